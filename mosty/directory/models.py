"""The local resources directory: services and locations (Open Referral HSDS 3.0-aligned),
housing offers and the base of translators and interpreters.

Every HSDS entity keeps its HSDS `id` (`hsds_id`) so a re-import updates instead of duplicating.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.collation import InNames
from mosty.core.models import (
    OwnedRecord,
    TranslationBase,
    district_ref,
    one_per_language,
    optional_part_of,
    optional_ref,
    owned_by,
    staff_ref,
    validate_language_code,
)
from mosty.organisations.models import Organisation


def new_hsds_id() -> str:
    return str(uuid.uuid4())


LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}$")


def validate_iso_language(value: str) -> None:
    """Services and linguists may use any ISO 639 code (Georgian, German…), not only ours."""
    if not LANGUAGE_CODE_RE.match(value or ""):
        raise ValidationError(
            _("%(code)s is not an ISO 639 language code (two or three small letters)."),
            params={"code": value},
        )


class HsdsOrganisation(models.Model):
    """The HSDS id of an organisation (the foundation's model has no such field)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="hsds")
    hsds_id = models.CharField(max_length=100, unique=True)
    # The HSDS id of the organisation's phone row, kept so a round trip does not renumber it.
    phone_hsds_id = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.hsds_id


class HsdsRecord(models.Model):
    """An Open Referral HSDS row as it was imported, kept whole (the faithful extension table).

    Mosty keeps in its own columns only what it uses; everything else the standard defines
    (contacts, programs, funding, service areas, schedule recurrence, `state_province` …) lives
    here and is exported again, so an import → export round trip loses nothing. `source` names
    where the data came from: an import matches records only through ids of the same source.
    """

    source = models.CharField(max_length=100)
    table = models.CharField(max_length=40)
    # The id in the source's data, and the id the record has in Mosty (the same, unless the
    # source's id was already taken by a record that did not come from this source).
    external_id = models.CharField(max_length=100)
    hsds_id = models.CharField(max_length=100)
    # The record this row hangs under (a service's id for its phones …), itself for a service.
    owner = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict)
    # What Mosty's own columns gave for this row's group right after the import: while they
    # still give the same, the row is exported exactly as imported.
    group_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "table", "external_id"], name="hsds_record_source_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["owner"], name="hsds_record_owner"),
            models.Index(fields=["hsds_id"], name="hsds_record_hsds_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.table}:{self.external_id}"

    @property
    def audit_label(self) -> str:
        # A contact row's data may name a person: the log names only the table and id.
        return f"hsds {self.table} {self.hsds_id}"


class Category(models.Model):
    """An HSDS taxonomy term; its name is a short label translated per language (`names`)."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    code = models.SlugField(_("code"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    taxonomy = models.CharField(_("taxonomy"), max_length=100, default="mosty")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = [InNames(F("name"))]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.names.get(translation.get_language() or "", "") or self.name


class ServiceStatus(models.TextChoices):
    # HSDS 3.0 service.status values.
    ACTIVE = "active", pgettext_lazy("service status", "Active")
    INACTIVE = "inactive", pgettext_lazy("service status", "Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Location(OwnedRecord):
    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    organisation = owned_by("locations", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_2 = models.CharField(_("address, line 2"), max_length=200, blank=True)
    city = models.CharField(pgettext_lazy("address", "city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PL")
    district = district_ref("locations")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    transportation = models.CharField(_("how to get there"), max_length=300, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    address_hsds_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = [InNames(F("name"))]
        indexes = [models.Index(fields=["district"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must be between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must be between -180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def address_line(self) -> str:
        parts = [
            self.address_1,
            self.address_2,
            " ".join(p for p in [self.postal_code, self.city] if p),
        ]
        return ", ".join(p for p in parts if p)


class Service(OwnedRecord):
    """A service an organisation offers; its texts are written in `source_language`."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    organisation = owned_by("services", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    source_language = models.CharField(
        _("language of the description"),
        max_length=10,
        default="pl",
        validators=[validate_language_code],
    )
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("who can use it"), blank=True)
    required_documents = models.TextField(
        _("required documents"), blank=True, help_text=_("One document per line.")
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.CharField(_("fees"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    url = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        through="ServiceCategory",
        related_name="services",
        blank=True,
    )
    locations = models.ManyToManyField(
        Location,
        verbose_name=_("locations"),
        through="ServiceAtLocation",
        related_name="services",
        blank=True,
    )
    # Bumped when the source texts change; translations of older revisions are outdated.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    checked_by = staff_ref()

    TRANSLATED_FIELDS = ("name", "description", "eligibility")

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = [InNames(F("name"))]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class ServiceLink(models.Model):
    """A row linking a service to another record, with its own HSDS id (HSDS keeps such links
    as rows: `attribute` for a taxonomy term, `service_at_location`)."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)

    class Meta:
        abstract = True


class ServiceCategory(ServiceLink):
    """An HSDS attribute linking a service to a taxonomy term."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "category"], name="service_category_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.category_id}"


class ServiceAtLocation(ServiceLink):
    location = models.ForeignKey(Location, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class ServiceLanguage(models.Model):
    """A language the service is offered in (HSDS `language`)."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3, validators=[validate_iso_language])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="service_language_unique")
        ]
        indexes = [models.Index(fields=["code", "service"])]

    def __str__(self) -> str:
        return self.code


class ServiceTranslation(TranslationBase):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("who can use it"), blank=True)

    class Meta:
        verbose_name = _("service translation")
        verbose_name_plural = _("service translations")
        constraints = [one_per_language("service", "service_translation_unique")]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"

    @property
    def is_outdated(self) -> bool:
        return self.source_revision < self.service.revision


class Phone(models.Model):
    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    service = optional_part_of(Service, None, "phones")
    location = optional_part_of(Location, None, "phones")
    number = models.CharField(_("phone number"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


# RFC 5545 BYDAY codes, as HSDS 3.0 schedules use them.
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}


class Schedule(models.Model):
    """Weekly opening hours of a service: one row per weekday and opening interval."""

    hsds_id = models.CharField(max_length=100, unique=True, default=new_hsds_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    description = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens_at"]
        indexes = [models.Index(fields=["weekday", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must be after opening time.")})


# Housing -------------------------------------------------------------------------------------


class HousingKind(models.TextChoices):
    ROOM = "room", _("Room")
    APARTMENT = "apartment", _("Apartment")
    SHELTER = "shelter", _("Shelter place")


class HousingStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    TAKEN = "taken", _("Taken")


class HousingOffer(OwnedRecord):
    """A place to live offered by a landlord, an organisation or the city."""

    audit_noun = "housing offer"

    organisation = owned_by(
        "housing_offers",
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("housing offer", "registered by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=HousingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity (persons)"), default=1)
    rent = models.DecimalField(_("monthly rent (PLN)"), max_digits=8, decimal_places=2, default=0)
    district = district_ref("housing_offers")
    address = models.CharField(_("address"), max_length=300, blank=True)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    children_welcome = models.BooleanField(_("children welcome"), default=True)
    pets_allowed = models.BooleanField(_("pets allowed"), default=False)
    conditions = models.TextField(_("conditions"), blank=True)
    landlord_name = models.CharField(_("landlord or contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HousingStatus.choices, default=HousingStatus.AVAILABLE
    )
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("housing offer")
        verbose_name_plural = _("housing offers")
        ordering = ["available_from", "pk"]
        indexes = [models.Index(fields=["status", "available_until"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if (
            self.available_until
            and self.available_from
            and self.available_until < self.available_from
        ):
            raise ValidationError(
                {"available_until": _("The end date must be on or after the start date.")}
            )
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError({"capacity": _("At least one person must fit.")})
        if self.rent is not None and self.rent < 0:
            raise ValidationError({"rent": _("Rent cannot be negative.")})

    @property
    def is_expired(self) -> bool:
        return bool(self.available_until and self.available_until < timezone.localdate())


# Translators and interpreters ----------------------------------------------------------------


class Linguist(OwnedRecord):
    """A translator or interpreter. Institutions will book them in a later module, which can
    point at this model (availability is kept as text now, weekly slots later)."""

    name = models.CharField(_("name"), max_length=200)
    organisation = owned_by("linguists", on_delete=models.CASCADE)
    user = optional_ref(settings.AUTH_USER_MODEL, _("user account"), "linguist_profiles")
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_sworn = models.BooleanField(_("sworn translator"), default=False)
    does_written = models.BooleanField(_("written translation"), default=False)
    does_consecutive = models.BooleanField(_("consecutive interpreting"), default=False)
    does_remote = models.BooleanField(_("phone or video interpreting"), default=False)
    is_volunteer = models.BooleanField(_("volunteer"), default=True)
    hourly_rate = models.DecimalField(
        _("hourly rate (PLN)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    availability = models.TextField(_("availability"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("linguist")
        verbose_name_plural = _("linguists")
        ordering = [InNames(F("name"))]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.is_volunteer and self.hourly_rate is None:
            raise ValidationError({"hourly_rate": _("Give the hourly rate of a paid linguist.")})
        if self.hourly_rate is not None and self.hourly_rate < 0:
            raise ValidationError({"hourly_rate": _("The rate cannot be negative.")})

    @property
    def modes(self) -> list[str]:
        labels = []
        if self.does_written:
            labels.append(str(_("written")))
        if self.does_consecutive:
            labels.append(str(_("consecutive")))
        if self.does_remote:
            labels.append(str(_("phone/video")))
        return labels


class LanguagePair(models.Model):
    linguist = models.ForeignKey(Linguist, on_delete=models.CASCADE, related_name="pairs")
    source = models.CharField(
        pgettext_lazy("source language", "from"), max_length=3, validators=[validate_iso_language]
    )
    target = models.CharField(_("into"), max_length=3, validators=[validate_iso_language])
    both_ways = models.BooleanField(_("both ways"), default=True)

    class Meta:
        verbose_name = _("language pair")
        verbose_name_plural = _("language pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["linguist", "source", "target"], name="linguist_pair_unique"
            )
        ]
        indexes = [models.Index(fields=["source", "target"])]

    def __str__(self) -> str:
        arrow = "↔" if self.both_ways else "→"
        return f"{self.source} {arrow} {self.target}"
