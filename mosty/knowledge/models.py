"""Knowledge base: articles written in a source language, their translations, booklets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.models import (
    Authored,
    Labelled,
    Timestamped,
    TranslationBase,
    Versioned,
    one_per_language,
    optional_ref,
    staff_ref,
    validate_language_code,
)


class Category(models.TextChoices):
    FIRST_STEPS = "first_steps", _("First steps")
    DOCUMENTS = "documents", _("Documents and legal status")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    WORK = "work", _("Work")
    POLISH = "polish", _("Learning Polish")
    DAILY_LIFE = "daily_life", _("Daily life")
    CULTURE = "culture", _("Culture and community")
    CIVIC = "civic", _("Civic participation")
    INSTITUTIONS = "institutions", _("For institutions")
    GOOD_PRACTICES = "good_practices", _("Good practices")
    IMPLEMENTATION = "implementation", _("Implementation guide")


class Audience(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newcomers")
    COMMUNITY = "community", _("Local community")
    INSTITUTIONS = "institutions", _("Institutions")
    CITIES = "cities", _("Other cities")


class TranslationState(models.TextChoices):
    """TranslationStatus of mosty.core plus "missing": a task assigned, nothing written yet."""

    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    MACHINE_DRAFT = "machine_draft", _("Machine draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Article(Timestamped, Authored, Versioned, Labelled):
    """An article of the knowledge base. `version` guards the editing form against two editors
    saving at once; `revision` counts the source text's changes that translations follow."""

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.NEWCOMERS
    )
    source_language = models.CharField(
        _("source language"), max_length=10, validators=[validate_language_code]
    )
    # Moves on with every edit of the source that translations must follow.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["category", "slug"]

    def __str__(self) -> str:
        return self.slug


class ArticleTranslation(Versioned, TranslationBase):
    """One language of an article; the source language's row holds the original text.
    `version` guards the translation form against two people (or two tabs) saving at once."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TranslationState.choices,
        default=TranslationState.DRAFT,
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.CharField(pgettext_lazy("article", "summary"), max_length=500, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    translator = optional_ref(settings.AUTH_USER_MODEL, _("translator"), "knowledge_translations")
    # Lower-case text without diacritics, the same length as the original (search, snippets).
    search_title = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    # The summary and text without Markdown, which search_body folds: snippets are cut from it
    # where a word matched in search_body, without parsing the Markdown on every search.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        ordering = ["language"]
        constraints = [one_per_language("article", "knowledge_translation_unique_language")]
        indexes = [models.Index(fields=["language", "status"], name="knowledge_tr_lang_status")]

    def __str__(self) -> str:
        return f"{self.title or self.article.slug} ({self.language})"

    @property
    def is_source(self) -> bool:
        return self.language == self.article.source_language

    @property
    def is_outdated(self) -> bool:
        return not self.is_source and self.source_revision < self.article.revision


class ArticleRevision(Labelled):
    """The source text as it stood at one revision, so translators can see what changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(pgettext_lazy("article", "summary"), max_length=500, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="knowledge_revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} r{self.number}"


class Booklet(Timestamped, Authored, Versioned, Labelled):
    """An information booklet: an ordered selection of articles printed as a PDF."""

    title = models.CharField(_("title"), max_length=200)
    # The cover title in other languages: {"uk": "...", "ar": "..."}; `title` where missing.
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)

    class Meta:
        verbose_name = _("booklet")
        verbose_name_plural = _("booklets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        """The cover title in `language`, or the title where it has none."""
        return (self.title_translations or {}).get(language) or self.title


class BookletItem(models.Model):
    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["booklet", "article"], name="knowledge_booklet_article_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.article_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BookletExport(Timestamped, Labelled):
    """One PDF of a booklet in one language, generated by a background task."""

    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="exports")
    language = models.CharField(_("language"), max_length=10, validators=[validate_language_code])
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="knowledge/booklets/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = staff_ref(blank=False)

    class Meta:
        verbose_name = _("booklet PDF")
        verbose_name_plural = _("booklet PDFs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.booklet} ({self.language})"


class ArticleFile(Timestamped, Authored, Labelled):
    """A file published with an article: a report as PDF, an image (visual notes). Stored
    under a random name, checked and (images) re-encoded on upload (`mosty.core.uploads`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the file"),
        max_length=10,
        blank=True,
        validators=[validate_language_code],
        help_text=_("Empty: the file is shown in every language."),
    )
    file = models.FileField(_("file"), upload_to="knowledge/files/")
    kind = models.CharField(max_length=5, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("article file")
        verbose_name_plural = _("article files")
        ordering = ["article", "pk"]

    def __str__(self) -> str:
        return self.title


class ArticleViewCount(models.Model):
    """How many times an article's public page was read in one language on one day: a
    counter, incremented in place by anonymous readers (`selectors.article_view_count`), with
    nothing about who read it. Not audited (`mosty.access.audit.NOT_AUDITED`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_counts")
    language = models.CharField(_("language"), max_length=10)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views")
        verbose_name_plural = _("article views")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "day"], name="knowledge_view_count_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "language"], name="knowledge_view_day_lang")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.language} {self.day}: {self.count}"
