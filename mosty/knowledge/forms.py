from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.accounts.models import User
from mosty.core.uploads import read_upload, validate_upload_size
from mosty.knowledge.models import Audience, Category

MARKDOWN_HELP = _("Markdown: ## heading, **bold**, - list item, [link text](https://…).")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), max_length=200, required=False)


class PublicFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For whom"), choices=[("", _("Everyone"))] + Audience.choices, required=False
    )


class ArticleCreateForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=100,
        help_text=_("Lowercase letters, digits and hyphens, like 'pesel-number'."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    source_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
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
    publish = forms.BooleanField(label=_("Publish now"), required=False)


class ArticleEditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
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
    minor = forms.BooleanField(
        label=_("Minor edit (a typo or formatting): translations need no update"),
        required=False,
    )


class TranslationForm(forms.Form):
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


class BookletForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    articles = forms.CharField(
        label=_("Articles, in order"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One short name per line, in the order they appear in the booklet."),
    )

    def clean_articles(self):
        from mosty.knowledge.models import Article

        slugs = [s.strip() for s in self.cleaned_data["articles"].splitlines() if s.strip()]
        found = Article.objects.in_bulk(slugs, field_name="slug")
        unknown = [s for s in slugs if s not in found]
        if unknown:
            raise forms.ValidationError(
                _("No article has the short name: %(names)s"), params={"names": ", ".join(unknown)}
            )
        if not slugs:
            raise forms.ValidationError(_("Add at least one article."))
        return [found[s] for s in slugs]


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
