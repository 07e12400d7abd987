"""Knowledge-base API: published articles and search for anyone; editing by the same policy
as the pages (editors; translators for the translations assigned to them)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.policy import require
from mosty.core.api import AuditedDetailApi, AuditedListApi, choice_param, parse_input
from mosty.core.collation import by_name
from mosty.core.i18n import language_codes
from mosty.core.routing import Routes
from mosty.knowledge import selectors, services
from mosty.knowledge.models import ArticleTranslation, Audience, Category
from mosty.knowledge.text import render_markdown

routes = Routes()

LANGUAGE = OpenApiParameter("language", str, enum=language_codes())


def _language(request) -> str:
    code = request.query_params.get("language") or translation.get_language() or "pl"
    if code not in language_codes():
        raise serializers.ValidationError(
            {"language": [_("Choose one of the languages Mosty ships.")]}
        )
    return code


class TranslationOutputSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="article.slug")
    category = serializers.CharField(source="article.category")
    audience = serializers.CharField(source="article.audience")
    source_language = serializers.CharField(source="article.source_language")
    revision = serializers.IntegerField(source="article.revision")
    outdated = serializers.BooleanField(source="is_outdated")
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = ArticleTranslation
        fields = [
            "id",
            "slug",
            "category",
            "audience",
            "source_language",
            "revision",
            "language",
            "status",
            "title",
            "summary",
            "body",
            "body_html",
            "source_revision",
            "outdated",
            "machine_translated",
            "version",
            "updated_at",
        ]

    def get_body_html(self, obj) -> str:
        return str(render_markdown(obj.body))


@routes.path("knowledge/articles/", name="knowledge_article_list")
@extend_schema(tags=["knowledge"], parameters=[LANGUAGE])
class ArticleListApi(AuditedListApi):
    """Published articles in one language (?language=, default: the request's language)."""

    permission_classes = [AllowAny]
    serializer_class = TranslationOutputSerializer
    permission = "knowledge.read"

    def filters(self, params):
        return {
            "language": _language(self.request),
            "category": choice_param(params, "category", Category.values) or "",
            "audience": choice_param(params, "audience", Audience.values) or "",
        }

    def rows(self, filters):
        return selectors.article_list_public(fetched_by=self.request.user, **filters).order_by(
            "article__category", *by_name("title"), "pk"
        )


class ArticleDetailOutputSerializer(serializers.Serializer):
    slug = serializers.CharField(source="article.slug")
    available_languages = serializers.SerializerMethodField()
    translation = TranslationOutputSerializer(allow_null=True)

    def get_available_languages(self, reading) -> list[str]:
        return [t.language for t in reading.available]


@routes.path("knowledge/articles/<slug:slug>/", name="knowledge_article_detail")
@extend_schema(tags=["knowledge"], parameters=[LANGUAGE], responses=ArticleDetailOutputSerializer)
class ArticleDetailApi(AuditedDetailApi):
    """One article in ?language=; `translation` is null when it is not published in it."""

    permission_classes = [AllowAny]
    serializer_class = ArticleDetailOutputSerializer
    permission = "knowledge.read"
    lookup_url_kwarg = "slug"

    def get_object(self, pk: str):
        return selectors.article_read(
            slug=pk, language=_language(self.request), fetched_by=self.request.user
        )


class SearchHitSerializer(serializers.Serializer):
    slug = serializers.CharField()
    language = serializers.CharField()
    title = serializers.CharField(help_text="HTML: the title with matched words in <mark>.")
    snippet = serializers.CharField()


class SearchOutputSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)


@routes.path("knowledge/search/", name="knowledge_search")
@extend_schema(
    tags=["knowledge"],
    parameters=[LANGUAGE, OpenApiParameter("q", str, required=True)],
    responses=SearchOutputSerializer,
)
class ArticleSearchApi(APIView):
    """Full-text search; `snippet` is HTML with the matched words in <mark>."""

    permission_classes = [AllowAny]

    def get(self, request):
        require(request.user, "knowledge.read")
        query = request.query_params.get("q", "")[:200]
        hits = selectors.article_search(
            language=_language(request), query=query, fetched_by=request.user
        )
        return Response(SearchOutputSerializer({"results": hits}).data)


class ArticleTextInputSerializer(serializers.Serializer):
    """The text of an article in one language (the source or a translation)."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    body = serializers.CharField()


class ArticleCreateInputSerializer(ArticleTextInputSerializer):
    slug = serializers.SlugField(max_length=100)
    category = serializers.ChoiceField(choices=Category.choices)
    audience = serializers.ChoiceField(choices=Audience.choices)
    source_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    publish = serializers.BooleanField(required=False, default=False)


@routes.path("knowledge/manage/new/", name="knowledge_article_create")
@extend_schema(
    tags=["knowledge"],
    request=ArticleCreateInputSerializer,
    responses={201: TranslationOutputSerializer},
)
class ArticleCreateApi(APIView):
    def post(self, request):
        require(request.user, "knowledge.edit")
        data = parse_input(ArticleCreateInputSerializer, request)
        article = services.article_create(by=request.user, **data)
        source = selectors.article_source(article=article)
        return Response(TranslationOutputSerializer(source).data, status=status.HTTP_201_CREATED)


class ArticleUpdateInputSerializer(ArticleTextInputSerializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    minor = serializers.BooleanField(required=False, default=False)


@routes.path("knowledge/manage/<int:pk>/", name="knowledge_article_update")
@extend_schema(
    tags=["knowledge"], request=ArticleUpdateInputSerializer, responses=TranslationOutputSerializer
)
class ArticleUpdateApi(APIView):
    """Edit the source text; unless `minor`, translations become outdated."""

    def put(self, request, pk: int):
        article = selectors.article_get(fetched_by=request.user, pk=pk)
        require(request.user, "knowledge.edit", article)
        data = parse_input(ArticleUpdateInputSerializer, request)
        services.article_update(article=article, by=request.user, **data)
        return Response(TranslationOutputSerializer(selectors.article_source(article=article)).data)


@routes.path("knowledge/manage/<int:pk>/translations/", name="knowledge_translation_list")
@extend_schema(tags=["knowledge"])
class TranslationListApi(AuditedListApi):
    """Every language of an article with its status (editors)."""

    serializer_class = TranslationOutputSerializer

    def rows(self, filters):
        article = selectors.article_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
        require(self.request.user, "knowledge.edit", article)
        return selectors.article_translations(article=article)


class TranslationUpdateInputSerializer(ArticleTextInputSerializer):
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Send for review instead of saving a draft."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` the client read; a later change by someone else is refused "
        "(409) instead of overwritten.",
    )


@routes.path(
    "knowledge/manage/<int:pk>/translations/<str:language>/", name="knowledge_translation_update"
)
@extend_schema(
    tags=["knowledge"],
    request=TranslationUpdateInputSerializer,
    responses=TranslationOutputSerializer,
)
class TranslationUpdateApi(APIView):
    def put(self, request, pk: int, language: str):
        t = selectors.translation_for_editing(
            fetched_by=request.user, article_pk=pk, language=language
        )
        require(request.user, "knowledge.translate", t)
        data = parse_input(TranslationUpdateInputSerializer, request)
        t = services.translation_save(translation=t, by=request.user, **data)
        return Response(TranslationOutputSerializer(t).data)


@routes.path(
    "knowledge/manage/<int:pk>/translations/<str:language>/publish/",
    name="knowledge_translation_publish",
)
@extend_schema(tags=["knowledge"], request=None, responses=TranslationOutputSerializer)
class TranslationPublishApi(APIView):
    def post(self, request, pk: int, language: str):
        t = selectors.translation_get(fetched_by=request.user, article_pk=pk, language=language)
        require(request.user, "knowledge.publish", t)
        t = services.translation_publish(translation=t, by=request.user)
        return Response(TranslationOutputSerializer(t).data)
