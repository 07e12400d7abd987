"""Thematic networks of organisations and people (Gdańsk's model), their meetings, shared
documents and invitations of people by e-mail.

The tables keep the names they had while networks lived in `mosty/organisations`
(`db_table`), so moving the models here moved no data.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.collation import InNames
from mosty.core.models import (
    FILE_OR_LINK,
    Authored,
    Labelled,
    Timestamped,
    Versioned,
    optional_part_of,
    staff_ref,
)
from mosty.organisations.models import Organisation

# How long an invitation link works.
INVITATION_DAYS = 14


class NetworkTheme(models.TextChoices):
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    MENTORS = "mentors", _("Mentors")
    POLISH_TEACHERS = "polish_teachers", _("Polish teachers")
    TRANSLATORS = "translators", _("Translators and interpreters")
    INTEGRATION = "integration", _("Integration organisers")
    OTHER = "other", _("Other")


class NetworkRole(models.TextChoices):
    """What a member does in a network: a co-coordinator runs it with the coordinating
    organisation's coordinators (members, meetings, documents, invitations)."""

    MEMBER = "member", pgettext_lazy("network role", "Member")
    COORDINATOR = "coordinator", pgettext_lazy("network role", "Co-coordinator")


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
        db_table = "organisations_network"
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = [InNames(F("name"))]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organisation = optional_part_of(Organisation, None, "network_memberships")
    user = optional_part_of(settings.AUTH_USER_MODEL, None, "network_memberships")
    role = models.CharField(
        _("role"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.MEMBER
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "organisations_networkmembership"
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


class NetworkMeeting(Timestamped, Authored, Versioned):
    """A meeting of a network: agenda before, minutes and attendance after."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True)
    attendees = models.ManyToManyField(
        NetworkMembership,
        verbose_name=_("attendees"),
        related_name="meetings",
        blank=True,
        db_table="organisations_networkmeeting_attendees",
    )

    class Meta:
        db_table = "organisations_networkmeeting"
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.network} · {self.date}"

    @property
    def audit_label(self) -> str:
        return f"network #{self.network_id} meeting #{self.pk}"


class NetworkDocument(Timestamped, Labelled):
    """A file or a link shared with a network's members."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="networks/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    shared_by = staff_ref(blank=False)

    class Meta:
        db_table = "organisations_networkdocument"
        verbose_name = _("network document")
        verbose_name_plural = _("network documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=FILE_OR_LINK, name="network_document_file_or_link")
        ]

    def __str__(self) -> str:
        return self.title


def token_hash(token: str) -> str:
    """Invitation links are stored hashed: whoever reads the table cannot accept one."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")
    EXPIRED = "expired", pgettext_lazy("invitation", "Expired")


class NetworkInvitation(Labelled):
    """A person invited by e-mail, with or without an account: the link in the mail (only its
    hash is stored) lets them create an account or log in, and join with `role`. Used once."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.MEMBER
    )
    language = models.CharField(_("language of the invitation"), max_length=10)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = staff_ref(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = staff_ref()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = staff_ref()

    audit_noun = "network invitation"

    class Meta:
        verbose_name = _("network invitation")
        verbose_name_plural = _("network invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "accepted_at"], name="network_invitation_open")]

    def __str__(self) -> str:
        return f"network invitation #{self.pk}"

    @property
    def state(self) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING
