from django import forms
from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.accounts.models import User
from mosty.core.forms import SearchMultipleChoiceField, SearchSelectMultiple
from mosty.core.pages import VersionedForm
from mosty.core.uploads import read_upload, validate_upload_size
from mosty.knowledge.models import Audience, Category

MARKDOWN_HELP = _("Markdown: ## heading, **bold**, - list item, [link text](https://…).")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), max_length=200, required=False)


class PublicFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For whom"), choices=[("", _("Everyone"))] + Audience.choices, required=False
    )


class ManageFilterForm(forms.Form):
    """The editors' article list: a search text, a category, "only outdated"; a value the
    list does not know is ignored rather than refused (the fields are typed in the page)."""

    q = forms.CharField(required=False)
    category = forms.CharField(required=False)
    outdated = forms.CharField(required=False)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]

    def clean_category(self) -> str:
        category = self.cleaned_data["category"]
        return category if category in Category.values else ""

    def clean_outdated(self) -> bool:
        return self.cleaned_data["outdated"] == "1"


class ArticleTextForm(forms.Form):
    """The text of an article in one language: the source (create, edit) or a translation."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=pgettext_lazy("article", "Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}), help_text=MARKDOWN_HELP
    )


class ArticleForm(ArticleTextForm):
    """The source text with where the article sits (category, audience)."""

    field_order = ["category", "audience"]

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)


class ArticleCreateForm(ArticleForm):
    field_order = ["slug", "category", "audience", "source_language"]

    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=100,
        help_text=_("Lowercase letters, digits and hyphens, like 'pesel-number'."),
    )
    source_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    publish = forms.BooleanField(label=_("Publish now"), required=False)


class ArticleEditForm(VersionedForm, ArticleForm):
    minor = forms.BooleanField(
        label=_("Minor edit (a typo or formatting): translations need no update"),
        required=False,
    )


class TranslationForm(VersionedForm, ArticleTextForm):
    pass


class AssignForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    translator = forms.EmailField(
        label=_("Translator's e-mail address"),
        help_text=_("The person must already have an account in Mosty."),
    )

    def __init__(self, *args, source_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code != source_language
        ]

    def clean_translator(self):
        email = self.cleaned_data["translator"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return user


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


def article_choices(language: str) -> list[tuple[int, str]]:
    """Every article as (pk, "title (short name)"), titled in `language` where translated,
    else in its source language; ordered by category and title."""
    from mosty.knowledge.models import Article, ArticleTranslation

    titles: dict[int, str] = {}
    rows = ArticleTranslation.objects.filter(
        Q(language=language) | Q(language=F("article__source_language"))
    ).values_list("article_id", "language", "title")
    for article_id, lang, title in rows:
        if lang == language or article_id not in titles:
            titles[article_id] = title
    articles = Article.objects.order_by("category", "slug").values_list("pk", "slug")
    choices = [(pk, f"{titles.get(pk, slug)} ({slug})") for pk, slug in articles]
    return sorted(choices, key=lambda c: c[1].casefold())


class BookletForm(VersionedForm):
    """Title (with the cover title in other languages) and the articles: the current ones with
    their place and a "remove" box, and a list to add more from (added ones go at the end)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    # Thousands of articles: the list shows those whose title matches a search.
    add = SearchMultipleChoiceField(
        label=_("Add articles"),
        coerce=int,
        required=False,
        widget=SearchSelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several. They are added at the end."),
    )

    def __init__(self, *args, items=(), language: str = "pl", title_translations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        choices = article_choices(language)
        labels = dict(choices)
        self.fields["add"].choices = choices
        self.item_rows = []
        for item in self.items:
            position = forms.IntegerField(
                label=_("Place of “%(title)s”") % {"title": labels.get(item.article_id, "")},
                min_value=1,
                initial=item.position,
            )
            remove = forms.BooleanField(label=_("Remove"), required=False)
            self.fields[f"position_{item.article_id}"] = position
            self.fields[f"remove_{item.article_id}"] = remove
            self.item_rows.append(
                {
                    "label": labels.get(item.article_id, ""),
                    "position": self[f"position_{item.article_id}"],
                    "remove": self[f"remove_{item.article_id}"],
                }
            )
        current = title_translations or {}
        self.title_fields = []
        for code, name in settings.LANGUAGES:
            name_field = f"title_{code}"
            self.fields[name_field] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=200,
                required=False,
                initial=current.get(code, ""),
            )
            self.title_fields.append(self[name_field])

    def clean(self):
        from mosty.knowledge.models import Article

        cleaned = super().clean()
        kept = []
        for n, item in enumerate(self.items):
            if cleaned.get(f"remove_{item.article_id}"):
                continue
            place = cleaned.get(f"position_{item.article_id}") or item.position
            kept.append((place, n, item.article_id))
        ids = [article_id for _place, _n, article_id in sorted(kept)]
        ids += [pk for pk in cleaned.get("add") or [] if pk not in ids]
        if not ids:
            raise forms.ValidationError(_("Add at least one article."))
        found = Article.objects.in_bulk(ids)
        cleaned["articles"] = [found[pk] for pk in ids if pk in found]
        cleaned["title_translations"] = {
            code: cleaned[f"title_{code}"].strip()
            for code, _name in settings.LANGUAGES
            if cleaned.get(f"title_{code}", "").strip()
        }
        return cleaned

    def service_data(self) -> dict:
        return {
            "title": self.cleaned_data["title"],
            "title_translations": self.cleaned_data["title_translations"],
            "articles": self.cleaned_data["articles"],
        }


class XliffExportForm(LanguageForm):
    version = forms.ChoiceField(
        label=_("Format"),
        choices=[("1.2", "XLIFF 1.2"), ("2.1", "XLIFF 2.1")],
        required=False,
    )

    def clean_version(self):
        return self.cleaned_data["version"] or "1.2"


class XliffImportForm(forms.Form):
    file = forms.FileField(label=_("XLIFF file (1.2 or 2.1)"), validators=[validate_upload_size])

    def clean_file(self):
        return read_upload(self.cleaned_data["file"])


class ArticleFileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of the file"),
        choices=[("", _("Every language"))] + list(settings.LANGUAGES),
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        validators=[validate_upload_size],
        help_text=_("A PDF or an image; images are re-encoded, which removes their metadata."),
    )
