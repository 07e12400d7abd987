"""The installation's city, its districts, and the base for translated content."""

import hashlib
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import InNames


def validate_language_code(value: str) -> None:
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(_("%(code)s is not a language Mosty ships."), params={"code": value})


def validate_language_list(value: list) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Choose a list of languages."))
    for code in value:
        validate_language_code(code)


class City(models.Model):
    """The one city (or region) an installation serves, loaded from a city pack."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    default_language = models.CharField(
        _("default language"), max_length=10, validators=[validate_language_code]
    )
    languages = models.JSONField(
        _("enabled languages"), default=list, validators=[validate_language_list]
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    pack_name = models.CharField(_("city pack"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "City | None":
        return cls.objects.order_by("pk").first()


class District(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="districts")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    outline = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = [InNames(F("name"))]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="district_code_unique_per_city")
        ]

    def __str__(self) -> str:
        return self.name


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    MACHINE_DRAFT = "machine_draft", _("Machine draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class TranslationBase(models.Model):
    """Base of every `<Thing>Translation` model (Integreat's EventTranslation pattern).

    Subclasses add the foreign key to their thing and the translated fields, and
    `one_per_language("<thing>", "<constraint name>")` to their constraints.
    """

    language = models.CharField(_("language"), max_length=10, validators=[validate_language_code])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
    )
    source_revision = models.PositiveIntegerField(_("source revision"), default=1)
    machine_translated = models.BooleanField(_("machine translated"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TranslatedRecord(models.Model):
    """A record whose texts live in `translations` (a `TranslationBase` subclass): the reader's
    language, else the source language, else any. Reads the prefetched translations once per
    instance, so lists keep a constant number of queries. Named by its title."""

    source_language = models.CharField(
        _("source language"), max_length=10, validators=[validate_language_code], default="pl"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def translation_for(self, language: str | None = None):
        language = (language or translation.get_language() or "pl").split("-")[0]
        found = self.__dict__.get("_translations_list")
        if found is None:
            found = self.__dict__["_translations_list"] = list(
                self.translations.all()  # type: ignore[attr-defined]
            )
        for wanted in (language, self.source_language):
            for item in found:
                if item.language == wanted:
                    return item
        return found[0] if found else None

    def text(self, field: str, language: str | None = None) -> str:
        item = self.translation_for(language)
        return getattr(item, field) if item is not None else ""

    @property
    def title(self) -> str:
        return self.text("title") or f"#{self.pk}"

    @property
    def summary(self) -> str:
        return self.text("summary")


# A shared document's rule: an uploaded file or a link, exactly one of the two.
FILE_OR_LINK = (models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url=""))


class FileOrLink(models.Model):
    """A document shared as an uploaded file or a link, never both (subclasses add what it
    belongs to). Uploads go through `mosty.core.uploads` in the form that takes them."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=FILE_OR_LINK, name="%(app_label)s_%(class)s_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Upload a file or give a link (one of the two)."))


# Owned records --------------------------------------------------------------------------------
# What every record an organisation keeps carries, in small abstract pieces a model combines
# (docs/architecture.md, "The shape of a record"). `OwnedRecord` is all of them together.


def staff_ref(verbose_name: Any = None, *, blank: bool = True) -> Any:
    """A foreign key to the staff account that did something to a record (created, changed,
    recorded it). `SET_NULL`: the account can be erased without losing the record, and the
    audit log keeps who it was; no reverse relation. `blank=False` where the record is always
    made by someone (`full_clean()` then asks for the account)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Authored(models.Model):
    """Who created the record and who changed it last (`staff_ref`)."""

    created_by = staff_ref(_("created by"))
    updated_by = staff_ref(_("changed by"))

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """Someone else saved the record after the form (or API client) read it."""


def edit_conflict() -> EditConflict:
    return EditConflict(
        _(
            "Someone else changed this record while you were editing it. Your changes were "
            "not saved: reload the page to see their changes, then make yours again."
        ),
        code="conflict",
    )


class Versioned(models.Model):
    """Optimistic locking: a form carries the `version` it was read at, and
    `save_changes(version=...)` writes only if nobody saved since (one guarded UPDATE, so two
    editors can never both win)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_changes(self, *, version: int | None, by=None, **changes) -> None:
        """Write `changes` (field name → value) and bump `version`, or raise `EditConflict`
        when `version` is stale. `version=None` is for writes that cannot conflict (a system
        job, a status a service derives). Sets `updated_at`/`updated_by` where the model has
        them."""
        names = {f.name for f in self._meta.concrete_fields}
        values = dict(changes)
        if "updated_at" in names:
            values["updated_at"] = timezone.now()
        if by is not None and "updated_by" in names:
            values["updated_by"] = by if getattr(by, "pk", None) else None
        rows = type(self)._default_manager.filter(pk=self.pk)
        if version is not None:
            rows = rows.filter(version=version)
        if not rows.update(**values, version=F("version") + 1):
            raise edit_conflict()
        for name, value in values.items():
            setattr(self, name, value)
        self.refresh_from_db(fields=["version"])


class Labelled(models.Model):
    """`audit_label`: what the audit log shows beside the type and id. The default names no
    one (the log is append-only, erasure cannot reach it): `audit_noun` (an English noun, by
    default the model's code name) and the id. A model may override it with a code or a
    reference number, never a name or free text."""

    # English, not the translated verbose name: the log reads the same whichever language
    # the request was in.
    audit_noun: ClassVar[str] = ""

    class Meta:
        abstract = True

    @property
    def audit_label(self) -> str:
        return f"{self.audit_noun or self._meta.model_name} #{self.pk}"


def owned_by(related_name: str, *, on_delete=models.PROTECT, verbose_name=None):
    """The organisation foreign key of an owned record (each model names its reverse
    relation: `organisation.cases`, `organisation.events`)."""
    return models.ForeignKey(
        "organisations.Organisation",
        verbose_name=verbose_name or _("organisation"),
        on_delete=on_delete,
        related_name=related_name,
    )


class OwnedRecord(Timestamped, Authored, Versioned, Labelled):
    """A record an organisation keeps: subclasses declare
    `organisation = owned_by("<reverse name>")` and their own fields."""

    class Meta:
        abstract = True


# Where a record is --------------------------------------------------------------------------


def district_ref(related_name: str) -> Any:
    """The district a record is in (an organisation, a location, a person): optional, and
    emptied rather than losing the record when the city pack drops the district."""
    return optional_ref(District, _("district"), related_name)


def figures_key(organisations: Iterable[int] | None) -> str:
    """The name under which the figures of a set of organisations are kept: a hash of their
    sorted ids, or "all" for every organisation (what an administrator reports on)."""
    if organisations is None:
        return "all"
    text = ",".join(str(pk) for pk in sorted(set(organisations)))
    return hashlib.sha256(text.encode()).hexdigest()


class KeptFigures(models.Model):
    """Figures a page shows for a set of organisations, counted ahead by a nightly task so the
    page reads one row instead of counting every record of hundreds of organisations (the
    service level, the hours report, the events report). `key` is `figures_key(set)`;
    `figures` is what the page shows, numbers and organisations' or institutions' names, never
    a person. `mosty.core.kept.keep` replaces them all at once."""

    key = models.CharField(max_length=64, unique=True)
    figures = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        abstract = True


# Links between records ------------------------------------------------------------------------


def _optional_key(to: Any, verbose_name: Any, related_name: str, on_delete: Any) -> Any:
    """A foreign key a record may have without (null and blank)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
    )


def optional_ref(to: Any, verbose_name: Any, related_name: str) -> Any:
    """An optional link to another record (an account, a service, a call, a household):
    emptied rather than losing this record when the other one goes (`SET_NULL`)."""
    return _optional_key(to, verbose_name, related_name, models.SET_NULL)


class PartLabelled(Labelled):
    """`audit_label` of a record that is part of another (an assistant's time slot, an
    event's registration): its own noun and id, then those of the whole it belongs to,
    "assignment #7 (request #3)". `audit_whole` is that noun and the foreign key to it."""

    audit_whole: ClassVar[tuple[str, str]] = ("", "")

    class Meta:
        abstract = True

    @property
    def audit_label(self) -> str:
        noun, key = self.audit_whole
        return f"{super().audit_label} ({noun} #{getattr(self, key + '_id')})"


def one_per_language(thing: str, name: str) -> models.UniqueConstraint:
    """The constraint of a `TranslationBase` subclass: one translation of a thing (the name
    of its foreign key) per language."""
    return models.UniqueConstraint(fields=[thing, "language"], name=name)


def optional_part_of(to: Any, verbose_name: Any, related_name: str) -> Any:
    """An optional link to a record this one belongs to (a membership of an organisation or
    of a person, a phone of a service or of a location, a proposal of a mentor): when that
    one goes, this one goes with it (`CASCADE`)."""
    return _optional_key(to, verbose_name, related_name, models.CASCADE)
