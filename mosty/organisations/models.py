"""Organisations own their data (thematic networks are in `mosty/networks`)."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import InNames
from mosty.core.models import (
    Authored,
    Timestamped,
    Versioned,
    district_ref,
    validate_language_list,
)


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    SCHOOL = "school", _("School")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance centre")
    CITY_OFFICE = "city_office", _("City office")
    POLICE = "police", _("Police")
    CULTURAL = "cultural", _("Cultural institution")
    NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", _("Neighbourhood centre")
    MIGRANT_GROUP = "migrant_group", _("Migrant self-help group")
    COOPERATIVE = "cooperative", _("Social cooperative")
    OTHER = "other", _("Other")


# What the organisation's pages and API show and its coordinators edit (not the short name).
PROFILE_FIELDS = [
    "name",
    "kind",
    "district",
    "languages",
    "email",
    "phone",
    "website",
    "address",
    "description",
    "is_active",
]


class Organisation(Timestamped, Authored, Versioned):
    """An organisation's public profile; two people (its coordinator, an admin) may edit it at
    once, so edits carry the `version` they were made from."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    district = district_ref("organisations")
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_language_list]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [InNames(F("name"))]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        # An organisation's name is its public profile, not personal data.
        return self.name
