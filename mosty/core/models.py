"""The installation's city, its districts, and the base for translated content."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        ordering = ["name"]
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

    Subclasses add the foreign key to their thing and the translated fields, and a unique
    constraint on (thing, language).
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
