"""Organisations own their data; networks connect them around a theme."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mosty.core.models import (
    Authored,
    District,
    Labelled,
    Timestamped,
    Versioned,
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
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
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
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        # An organisation's name is its public profile, not personal data.
        return self.name


class NetworkTheme(models.TextChoices):
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    MENTORS = "mentors", _("Mentors")
    POLISH_TEACHERS = "polish_teachers", _("Polish teachers")
    TRANSLATORS = "translators", _("Translators and interpreters")
    INTEGRATION = "integration", _("Integration organisers")
    OTHER = "other", _("Other")


class Network(Timestamped, Authored, Versioned, Labelled):
    """A thematic network of organisations and people (Gdańsk's model)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    theme = models.CharField(_("theme"), max_length=30, choices=NetworkTheme.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        related_name="coordinated_networks",
        null=True,
        blank=True,
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, user__isnull=True)
                | models.Q(organisation__isnull=True, user__isnull=False),
                name="network_member_is_org_or_person",
            ),
            models.UniqueConstraint(fields=["network", "organisation"], name="network_org_unique"),
            models.UniqueConstraint(fields=["network", "user"], name="network_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.organisation or self.user}"

    @property
    def audit_label(self) -> str:
        return f"network #{self.network_id} member #{self.pk}"


# Labels live in the directory catalogue (the networks pages are translated there).
from mosty.directory import network_labels as NL  # noqa: E402


class NetworkMeeting(Timestamped, Authored, Versioned):
    """A meeting of a network: agenda before, minutes and attendance after."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(NL.DATE)
    title = models.CharField(NL.TITLE, max_length=200)
    agenda = models.TextField(NL.AGENDA, blank=True)
    minutes = models.TextField(NL.MINUTES, blank=True)
    attendees = models.ManyToManyField(
        NetworkMembership, verbose_name=NL.ATTENDEES, related_name="meetings", blank=True
    )

    class Meta:
        verbose_name = NL.MEETING
        verbose_name_plural = NL.MEETINGS
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.network} · {self.date}"

    @property
    def audit_label(self) -> str:
        return f"network #{self.network_id} meeting #{self.pk}"


class NetworkDocument(Timestamped, Labelled):
    """A file or a link shared with a network's members."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(NL.TITLE, max_length=200)
    file = models.FileField(NL.FILE, upload_to="networks/%Y/%m/", blank=True)
    url = models.URLField(NL.LINK, blank=True)
    shared_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = NL.DOCUMENT
        verbose_name_plural = NL.DOCUMENTS
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="network_document_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title
