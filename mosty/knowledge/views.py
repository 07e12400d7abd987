"""Pages of the knowledge base: public reading and search; editing, translating, booklets."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.core.exports import download_response
from mosty.core.i18n import text_direction
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, ObjectPage, ShowPage
from mosty.core.routing import Routes
from mosty.core.uploads import DOCUMENT_KINDS
from mosty.knowledge import exports, selectors, services, xliff
from mosty.knowledge.forms import (
    ArticleCreateForm,
    ArticleEditForm,
    ArticleFileForm,
    AssignForm,
    BookletForm,
    LanguageForm,
    ManageFilterForm,
    PublicFilterForm,
    SearchForm,
    TranslationForm,
    XliffExportForm,
    XliffImportForm,
)
from mosty.knowledge.models import (
    ArticleTranslation,
    Booklet,
    BookletExport,
    Category,
    ExportStatus,
)
from mosty.knowledge.text import render_markdown

routes = Routes()

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# Kinds of events (mosty.events) that go with an article category, for "related" links.
RELATED_EVENT_KINDS = {
    Category.POLISH: "language_course",
    Category.CULTURE: "cultural",
    Category.INSTITUTIONS: "staff_training",
    Category.GOOD_PRACTICES: "staff_training",
    Category.IMPLEMENTATION: "network_meeting",
}


def _language(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", "")
    return code if code in LANGUAGE_NAMES else "pl"


# --- public ---------------------------------------------------------------------------------


class PublicPage:
    """The public knowledge base: anyone may read it, in the language of the page."""

    public: ClassVar[bool] = True
    permission: ClassVar[str | None] = "knowledge.read"
    request: HttpRequest

    @property
    def language(self) -> str:
        return _language(self.request)


@routes.path("", name="index")
class KnowledgeIndex(PublicPage, ListPage):
    template_name = "knowledge/index.html"
    filter_form = PublicFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.article_list_public(
            language=self.language, fetched_by=self.user, audience=filters.get("audience", "")
        )

    def extra_context(self) -> dict[str, Any]:
        counts = selectors.category_counts(language=self.language, fetched_by=self.user)
        return {
            "categories": [
                (value, label, counts.get(value, 0)) for value, label in Category.choices
            ],
            "search": SearchForm(),
        }


@routes.path("category/<slug:category>/", name="category")
class KnowledgeCategory(PublicPage, ListPage):
    template_name = "knowledge/category.html"

    def rows(self, filters: dict[str, Any]) -> Any:
        if self.kwargs["category"] not in Category.values:
            raise Http404
        return selectors.article_list_public(
            language=self.language, fetched_by=self.user, category=self.kwargs["category"]
        )

    def extra_context(self) -> dict[str, Any]:
        return {"category": Category(self.kwargs["category"]), "search": SearchForm()}


@routes.path("a/<slug:slug>/", name="article")
class KnowledgeArticle(PublicPage, DetailPage):
    template_name = "knowledge/article.html"
    context_object_name = "reading"

    def get_object(self) -> Any:
        return selectors.article_read(
            slug=self.kwargs["slug"], language=self.language, fetched_by=self.user
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        # A public read, counted per language and day (issue 17's "article views"); editors
        # looking at their own articles are not readers.
        if (
            request.method == "GET"
            and response.status_code == 200
            and not can(self.user, "knowledge.edit")
        ):
            services.article_view_count(
                article=self.object.article,
                language=self.language,
                user_agent=request.headers.get("User-Agent", ""),
            )
        return response

    def extra_context(self) -> dict[str, Any]:
        reading = self.object
        elsewhere = []
        for t in reading.available:
            with translation.override(t.language):
                url = reverse("knowledge:article", kwargs={"slug": reading.article.slug})
            elsewhere.append(
                {
                    "code": t.language,
                    "name": translation.get_language_info(t.language)["name_local"],
                    "title": t.title,
                    "url": url,
                }
            )
        return {
            "translation": reading.translation,
            "body": render_markdown(reading.translation.body) if reading.translation else "",
            "elsewhere": elsewhere,
            "category": Category(reading.article.category),
            "event_kind": RELATED_EVENT_KINDS.get(reading.article.category, ""),
            "may_edit": can(self.user, "knowledge.edit"),
            "files": selectors.article_files(article=reading.article, language=self.language),
        }


@routes.path("search/", name="search")
class KnowledgeSearch(PublicPage, ShowPage):
    template_name = "knowledge/search.html"

    def extra_context(self) -> dict[str, Any]:
        form = SearchForm(self.request.GET or None)
        hits: Any = []
        query = ""
        if form.is_valid():
            query = form.cleaned_data["q"]
            hits = selectors.article_search(
                language=self.language, query=query, fetched_by=self.user
            )
        return {"search": form, "hits": hits, "query": query}


@routes.path("offline/", name="offline")
def knowledge_offline(request: HttpRequest) -> FileResponse:
    """The public knowledge base in the visitor's language as a zip of static pages, rebuilt
    only when a published translation changed."""
    require(request.user, "knowledge.read")
    language = _language(request)
    return FileResponse(
        default_storage.open(exports.offline_bundle_stored(language), "rb"),
        as_attachment=True,
        filename=f"mosty-knowledge-{language}.zip",
        content_type="application/zip",
    )


# --- editing --------------------------------------------------------------------------------


@routes.path("manage/", name="manage")
class ArticleManageList(ListPage):
    permission = "knowledge.edit"
    template_name = "knowledge/manage_list.html"
    title = gettext_lazy("Articles")
    filter_form = ManageFilterForm
    selector = selectors.article_manage_list

    def extra_context(self) -> dict[str, Any]:
        languages = [code for code, _name in settings.LANGUAGES]
        rows = []
        for article in self.page:
            by_language = {t.language: t for t in article.translations.all()}
            cells = []
            for code in languages:
                t = by_language.get(code)
                if t is not None:
                    t.article = article
                cells.append({"code": code, "t": t})
            source = by_language.get(article.source_language)
            rows.append(
                {"article": article, "title": source.title if source else "", "cells": cells}
            )
        return {
            "rows": rows,
            "languages": languages,
            "categories": Category.choices,
            "xliff_form": XliffExportForm(),
            "import_form": XliffImportForm(),
        }


@routes.path("manage/new/", name="article_create")
class ArticleCreate(FormPage):
    permission = "knowledge.edit"
    template_name = "knowledge/article_form.html"
    form_class = ArticleCreateForm
    success_message = gettext_lazy("Article created.")
    success_detail = "knowledge:article_detail"
    service = services.article_create

    def initial(self) -> dict[str, Any]:
        return {"source_language": _language(self.request)}


class ArticlePage(ObjectPage):
    """Editors' pages about one article (404 for what the user may not see)."""

    permission = "knowledge.edit"
    context_object_name = "article"
    selector = selectors.article_get

    def detail_context(self, assign_form: AssignForm | None = None) -> dict[str, Any]:
        """The article's page: every language with its state, and the form assigning one."""
        article = self.object
        translations = {t.language: t for t in selectors.article_translations(article=article)}
        rows = [
            {
                "code": code,
                "name": name,
                "t": translations.get(code),
                "is_source": code == article.source_language,
            }
            for code, name in settings.LANGUAGES
        ]
        return {
            "source": translations.get(article.source_language),
            "rows": rows,
            "assign_form": assign_form or AssignForm(source_language=article.source_language),
            "mt_enabled": settings.MT_ENABLED,
        }


@routes.path("manage/<int:pk>/", name="article_detail")
class ArticleDetail(ArticlePage, DetailPage):
    template_name = "knowledge/article_detail.html"

    def extra_context(self) -> dict[str, Any]:
        return self.detail_context()


@routes.path("manage/<int:pk>/edit/", name="article_edit")
class ArticleEdit(ArticlePage, FormPage):
    template_name = "knowledge/article_form.html"
    form_class = ArticleEditForm
    success_message = gettext_lazy("Changes saved.")
    object_detail = "knowledge:article_detail"
    service = services.article_update
    object_kwarg = "article"

    def initial(self) -> dict[str, Any]:
        source = selectors.article_source(article=self.object)
        return {
            "category": self.object.category,
            "audience": self.object.audience,
            "title": source.title,
            "summary": source.summary,
            "body": source.body,
        }

    def extra_context(self) -> dict[str, Any]:
        return {"source": selectors.article_source(article=self.object)}


@routes.path("manage/<int:pk>/files/", name="article_files")
class ArticleFiles(ArticlePage, FormPage):
    """The files published with the article (reports, images) and the form adding one."""

    template_name = "knowledge/article_files.html"
    form_class = ArticleFileForm
    success_message = gettext_lazy("The file was published with the article.")
    object_detail = "knowledge:article_files"

    def save(self, form: Any) -> Any:
        return services.article_file_add(
            article=self.object,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            language=form.cleaned_data["language"],
            by=self.user,
        )

    def extra_context(self) -> dict[str, Any]:
        return {"files": selectors.article_files(article=self.object)}


@routes.path("manage/files/<int:pk>/remove/", name="article_file_remove")
class ArticleFileRemove(ActionPage):
    permission = "knowledge.edit"
    success_message = gettext_lazy("The file was removed.")
    selector = selectors.article_file_manage_get
    service = services.article_file_remove
    object_kwarg = "record"
    owner = "article"
    owner_detail = "knowledge:article_files"


@routes.path("a/<slug:slug>/files/<int:pk>/", name="article_file")
class ArticleFileDownload(PublicPage, DetailPage):
    """A published file: served as a download, never rendered inline by the browser."""

    def get_object(self) -> Any:
        return selectors.article_file_get(
            fetched_by=self.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        record = self.object
        return FileResponse(
            record.file.open("rb"),
            as_attachment=True,
            filename=f"{record.article.slug}-{record.pk}.{record.kind}",
            content_type=DOCUMENT_KINDS.get(record.kind, "application/octet-stream"),
        )


@routes.path("manage/<int:pk>/assign/", name="translation_assign")
class TranslationAssign(ArticlePage, FormPage):
    """Errors stay beside their fields on the article's page."""

    http_method_names = ["post"]
    template_name = "knowledge/article_detail.html"
    form_class = AssignForm
    success_message = gettext_lazy("Translation assigned.")
    object_detail = "knowledge:article_detail"

    def form_kwargs(self) -> dict[str, Any]:
        return {"source_language": self.object.source_language}

    def save(self, form: Any) -> ArticleTranslation:
        return services.translation_assign(
            article=self.object,
            language=form.cleaned_data["language"],
            translator=form.cleaned_data["translator"],
            by=self.user,
        )

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        return super().respond({**context, **self.detail_context(assign_form=context["form"])})


class TranslationPage(ObjectPage):
    """Pages about one language of an article (`knowledge.translate`: editors, and the
    translator it is assigned to)."""

    context_object_name = "t"

    def get_object(self) -> ArticleTranslation:
        return selectors.translation_for_editing(
            fetched_by=self.user, article_pk=self.kwargs["pk"], language=self.kwargs["language"]
        )


@routes.path("manage/<int:pk>/translations/<str:language>/", name="translation_edit")
class TranslationEdit(TranslationPage, FormPage):
    permission = "knowledge.translate"
    template_name = "knowledge/translation_form.html"
    form_class = TranslationForm
    success_message = gettext_lazy("Translation saved.")
    initial_from_object = True

    def handle(self, request: HttpRequest) -> HttpResponse:
        if self.object.is_source:
            return redirect("knowledge:article_edit", pk=self.kwargs["pk"])
        return super().handle(request)

    def save(self, form: Any) -> ArticleTranslation:
        return services.translation_save(
            translation=self.object,
            by=self.user,
            submit="submit" in self.request.POST,
            **form.cleaned_data,
        )

    def success_url(self, result: ArticleTranslation) -> str:
        return reverse(
            "knowledge:translation_edit", args=[self.kwargs["pk"], self.kwargs["language"]]
        )

    def extra_context(self) -> dict[str, Any]:
        t = self.object
        language = self.kwargs["language"]
        source = selectors.article_source(article=t.article)
        return {
            "article": t.article,
            "source": source,
            "source_html": render_markdown(source.body),
            "diff": selectors.translation_source_diff(translation=t),
            "language_name": LANGUAGE_NAMES[language],
            "language_dir": text_direction(language),
            "source_dir": text_direction(t.article.source_language),
            "may_publish": can(self.user, "knowledge.publish", t),
            "mt_enabled": settings.MT_ENABLED,
        }


@routes.path("manage/<int:pk>/translations/<str:language>/publish/", name="translation_publish")
class TranslationPublish(ActionPage):
    """Publish (or, with `action=unpublish`, withdraw) a translation; back to `next`."""

    permission = "knowledge.publish"

    def get_object(self) -> ArticleTranslation:
        return selectors.translation_get(
            fetched_by=self.user, article_pk=self.kwargs["pk"], language=self.kwargs["language"]
        )

    def unpublishing(self) -> bool:
        return self.request.POST.get("action") == "unpublish"

    def act(self, form: Any) -> ArticleTranslation:
        if self.unpublishing():
            return services.translation_unpublish(translation=self.object, by=self.user)
        return services.translation_publish(translation=self.object, by=self.user)

    def success_text(self, result: Any) -> str:
        if self.unpublishing():
            return _("The translation is no longer public.")
        return _("Published.")

    def success_url(self, result: Any) -> str:
        next_url = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return next_url
        return reverse("knowledge:article_detail", args=[self.kwargs["pk"]])


@routes.path("manage/<int:pk>/translations/<str:language>/machine/", name="translation_machine")
class TranslationMachine(ArticlePage, ActionPage):
    success_message = gettext_lazy(
        "Machine draft ready: a person must review it before publishing."
    )

    def act(self, form: Any) -> ArticleTranslation:
        if self.kwargs["language"] not in LANGUAGE_NAMES:
            raise Http404
        return services.translation_machine_draft(
            article=self.object, language=self.kwargs["language"], by=self.user
        )

    def success_url(self, result: Any) -> str:
        if result is None:
            return reverse("knowledge:article_detail", args=[self.object.pk])
        return reverse("knowledge:translation_edit", args=[self.object.pk, self.kwargs["language"]])


@routes.path("queue/", name="queue")
class TranslationQueue(ListPage):
    permission = "knowledge.queue"
    template_name = "knowledge/queue.html"
    title = gettext_lazy("My translations")

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.translation_queue(user=self.user)


@routes.path("manage/xliff/export/", name="xliff_export")
@login_required
def xliff_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "knowledge.edit")
    form = XliffExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose a language."), status=400, content_type="text/plain")
    language, version = form.cleaned_data["language"], form.cleaned_data["version"]
    articles = selectors.article_manage_list(fetched_by=request.user).exclude(
        source_language=language
    )
    if request.GET.get("article", "").isdecimal():
        articles = articles.filter(pk=int(request.GET["article"]))
    try:
        data = xliff.xliff_export(list(articles), language, version=version)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    audit(
        request.user,
        "mosty.knowledge.xliff.exported",
        details={"language": language, "version": version},
    )
    suffix = "" if version == "1.2" else "-xliff2"
    return download_response(
        data, f"mosty-knowledge-{language}{suffix}.xlf", "application/xliff+xml; charset=utf-8"
    )


@routes.path("manage/xliff/import/", name="xliff_import")
class XliffImport(FormPage):
    """Translations back from a translator's XLIFF file; they wait for review."""

    permission = "knowledge.edit"
    template_name = "knowledge/xliff_import.html"
    form_class = XliffImportForm
    errors_beside = "file"
    success_list = "knowledge:manage"

    def save(self, form: Any) -> Any:
        result = services.translations_import_xliff(data=form.cleaned_data["file"], by=self.user)
        messages.success(
            self.request,
            ngettext(
                "%(n)d translation imported; it waits for review.",
                "%(n)d translations imported; they wait for review.",
                len(result.imported),
            )
            % {"n": len(result.imported)},
        )
        if result.unchanged:
            messages.info(
                self.request,
                ngettext(
                    "%(n)d translation in the file is what Mosty already has; it was "
                    "left as it is.",
                    "%(n)d translations in the file are what Mosty already has; they "
                    "were left as they are.",
                    result.unchanged,
                )
                % {"n": result.unchanged},
            )
        return result


# --- booklets -------------------------------------------------------------------------------


@routes.path("booklets/", name="booklet_list")
class BookletList(ListPage):
    permission = "knowledge.booklet"
    template_name = "knowledge/booklet_list.html"
    title = gettext_lazy("Booklets")
    selector = selectors.booklet_list
    filtered = False


@routes.path("booklets/new/", name="booklet_create")
class BookletCreate(FormPage):
    permission = "knowledge.booklet"
    template_name = "knowledge/booklet_form.html"
    form_class = BookletForm
    success_message = gettext_lazy("Booklet created.")
    success_detail = "knowledge:booklet_detail"

    def form_kwargs(self) -> dict[str, Any]:
        return {"language": _language(self.request)}

    def save(self, form: Any) -> Booklet:
        return services.booklet_create(by=self.user, **form.service_data())


@routes.path("booklets/<int:pk>/", name="booklet_detail")
class BookletDetail(BookletCreate):
    """The booklet's PDFs, and the form that changes its title and articles."""

    context_object_name = "booklet"
    template_name = "knowledge/booklet_detail.html"
    success_message = gettext_lazy("Changes saved.")
    items: list[Any]
    selector = selectors.booklet_get

    def form_kwargs(self) -> dict[str, Any]:
        self.items = list(selectors.booklet_items(booklet=self.object))
        return {
            **super().form_kwargs(),
            "items": self.items,
            "title_translations": self.object.title_translations,
        }

    def initial(self) -> dict[str, Any]:
        return {"title": self.object.title}

    def get_form(self) -> Any:
        form = super().get_form()
        labels = dict(form.fields["add"].choices)
        for item in self.items:
            item.label = labels.get(item.article_id, item.article.slug)
        return form

    def save(self, form: Any) -> Booklet:
        return services.booklet_update(
            booklet=self.object,
            by=self.user,
            version=form.cleaned_data["version"],
            **form.service_data(),
        )

    def extra_context(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "export_form": LanguageForm(initial={"language": _language(self.request)}),
            "exports": selectors.booklet_exports(booklet=self.object),
        }


@routes.path("booklets/<int:pk>/export/", name="booklet_export")
class BookletExportRequest(ActionPage):
    """Ask for a PDF in one language; the user follows its generation on the next page."""

    permission = "knowledge.booklet"
    form_class = LanguageForm
    invalid_message = gettext_lazy("Choose a language.")
    selector = selectors.booklet_get

    def act(self, form: Any) -> BookletExport:
        return services.booklet_export_request(
            booklet=self.object, language=form.cleaned_data["language"], by=self.user
        )

    def success_url(self, export: BookletExport | None) -> str:
        if export is None:
            return reverse("knowledge:booklet_detail", args=[self.object.pk])
        return reverse("knowledge:booklet_export_status", args=[export.pk])


class BookletExportPage(ObjectPage):
    """Pages about one PDF of a booklet, asked about the booklet."""

    permission = "knowledge.booklet"
    context_object_name = "export"
    selector = selectors.booklet_export_get
    owner = "booklet"


@routes.path("booklets/exports/<int:pk>/", name="booklet_export_status")
class BookletExportStatus(BookletExportPage, DetailPage):
    """The whole page, or (htmx polling) only the status fragment."""

    template_name = "knowledge/booklet_export.html"

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        htmx = getattr(self.request, "htmx", False)
        template = "knowledge/_export_status.html" if htmx else self.template_name
        export = self.object
        return render(
            self.request,
            template,
            {
                **context,
                "finished": export.status in {ExportStatus.DONE, ExportStatus.FAILED},
                "language_name": LANGUAGE_NAMES.get(export.language, export.language),
            },
        )


@routes.path("booklets/exports/<int:pk>/download/", name="booklet_download")
class BookletDownload(BookletExportPage, DetailPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        export = self.object
        if export.status != ExportStatus.DONE or not export.pdf:
            raise Http404
        return exports.booklet_pdf_download(export)
