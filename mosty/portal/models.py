"""The newcomer's own side: a login linked to exactly one participant record, the invitation
that creates it, and what the participant sends their caseworker (a task done, a request for
help)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import Labelled, optional_ref, staff_ref


def code_hash(code: str) -> str:
    """Invitation codes are stored hashed: whoever reads the table cannot accept one."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class PortalAccount(Labelled):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    participant = models.OneToOneField(
        "people.Participant", on_delete=models.CASCADE, related_name="portal_account"
    )
    invited_by = staff_ref()
    invited_at = models.DateTimeField(_("invited"))
    accepted_at = models.DateTimeField(_("accepted"))

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self) -> str:
        return f"portal account #{self.pk}"


class InvitationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail with a link")
    SMS = "sms", _("Text message with a code")


class PortalInvitation(Labelled):
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="portal_invitations"
    )
    channel = models.CharField(_("send by"), max_length=10, choices=InvitationChannel.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    invited_by = staff_ref(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation #{self.pk}"


# An answer to a request for help is short: the newcomer reads it on their page in Mosty.
HELP_REPLY_MAX = 1000


class HelpStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    HANDLED = "handled", _("Handled")


class HelpRequest(Labelled):
    """ "Ask for help": lands with the caseworkers of the participant's open case or, without
    one, in the intake queue of the organisation that registered them. Staff who see it answer
    it in Mosty (`reply`) or mark it handled."""

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="help_requests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="help_requests"
    )
    case = optional_ref("cases.Case", None, "help_requests")
    text = EncryptedTextField(_("What do you need help with?"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=HelpStatus.choices, default=HelpStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = staff_ref()
    handled_at = models.DateTimeField(null=True, blank=True)
    # Staff's answer, read by the newcomer on their page (the message that tells them of it
    # carries no text of it). Answering handles the request, so it is answered once.
    reply = EncryptedTextField(_("answer"), blank=True)
    replied_by = staff_ref(_("answered by"))
    replied_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="help_org_status")]

    def __str__(self) -> str:
        return f"help request #{self.pk}"


class TaskReport(Labelled):
    """A participant marked a task of their plan done, with a short note for the caseworker."""

    task = models.ForeignKey("cases.Task", on_delete=models.CASCADE, related_name="portal_reports")
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="task_reports"
    )
    note = EncryptedTextField(_("note for your caseworker"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(_("read by the team"), null=True, blank=True)
    # Who of the team marked it read (the audit log keeps it too, once the account is gone).
    seen_by = staff_ref(_("read by"))

    class Meta:
        verbose_name = _("task done by the participant")
        verbose_name_plural = _("tasks done by participants")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"task report #{self.pk}"
