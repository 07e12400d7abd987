"""Writes of the portal: invitations and what a participant does on their own side."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.domains.messaging import organisation_staff
from mosty.access.domains.portal import login_beyond_portal, own_participant
from mosty.access.policy import require
from mosty.accounts.models import Membership, Role, User
from mosty.cases.models import CaseStatus, Task, TaskStatus
from mosty.core.writes import save_validated
from mosty.messaging.outbox import message_to_participant, notify
from mosty.people.models import CODE_ALPHABET, Consent, ConsentPurpose, Participant
from mosty.people.services import consent_active, consent_record, consent_withdraw
from mosty.portal.models import (
    HELP_REPLY_MAX,
    HelpRequest,
    HelpStatus,
    InvitationChannel,
    PortalAccount,
    PortalInvitation,
    TaskReport,
    code_hash,
)
from mosty.portal.selectors import open_accounts


def _new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


@transaction.atomic
def invitation_create(
    *, participant: Participant, channel: str, consent_text: str, by: Any, base_url: str = ""
) -> tuple[PortalInvitation, str]:
    """Invite `participant` to the portal by e-mail link or text-message code, recording their
    consent to the portal first. Returns the invitation and its code (shown once, never stored).
    A person whose portal access ended (they withdrew the consent to it) is invited the same
    way: accepting opens their account again (`invitation_accept`)."""
    require(by, "portal.invite", participant)
    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    if account is not None:
        if open_accounts().filter(pk=account.pk).exists():
            raise ValidationError(_("This person already has a portal account."), code="exists")
        if login_beyond_portal(account.user):
            raise ValidationError(_login_shared_message(), code="login_shared")
    if channel == InvitationChannel.EMAIL and not participant.email:
        raise ValidationError(
            {"channel": _("Add the person's e-mail address first, or send a text message.")}
        )
    if channel == InvitationChannel.SMS and not participant.phone:
        raise ValidationError(
            {"channel": _("Add the person's phone number first, or send an e-mail.")}
        )
    if consent_active(participant, ConsentPurpose.PORTAL) is None:
        if not (consent_text or "").strip():
            raise ValidationError({"consent_text": _("Write what the person agreed to.")})
        consent_record(
            participant=participant,
            by=by,
            purpose=ConsentPurpose.PORTAL,
            text_shown=consent_text,
            language=get_language() or "",
        )
    now = timezone.now()
    PortalInvitation.objects.filter(
        participant=participant, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    code = _new_code()
    invitation = PortalInvitation.objects.create(
        participant=participant,
        channel=channel,
        code_hash=code_hash(code),
        invited_by=by,
        expires_at=now + dt.timedelta(days=settings.MOSTY_PORTAL_INVITATION_DAYS),
    )
    base = base_url.rstrip("/")
    if channel == InvitationChannel.EMAIL:
        payload = {"link": base + reverse("portal:join_code", args=[code])}
    else:
        payload = {"link": base + reverse("portal:join"), "code": code}
    payload["organisation"] = participant.owner.name
    message_to_participant(
        participant,
        f"portal_invitation_{channel}",
        payload,
        key=f"portal-invitation:{invitation.pk}",
        channel=channel,
    )
    audit(by, "mosty.portal.invitation.sent", invitation, details={"channel": channel})
    return invitation, code


def invitation_find(code: str) -> PortalInvitation | None:
    """The open invitation a code belongs to (None when unknown, used, revoked or expired)."""
    return (
        PortalInvitation.objects.select_related("participant", "participant__owner")
        .filter(
            code_hash=code_hash(code or ""),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _login_shared_message() -> str:
    return _(
        "This person's portal login is switched off or holds another role in Mosty, so an "
        "invitation cannot open it again. Ask an administrator."
    )


def _password_set(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)


@transaction.atomic
def invitation_accept(*, code: str, email: str, password: str, language: str) -> User:
    """The invited person chooses their login: a participant-role user linked to exactly the
    invited record. The code itself is the permission. A person whose portal access ended gets
    their account back, with the login they choose now, not a second one."""
    invitation = invitation_find(code)
    if invitation is None:
        raise ValidationError(
            {"code": _("This code does not work. It may have expired: ask for a new one.")}
        )
    participant = invitation.participant
    account = (
        PortalAccount.objects.select_for_update()
        .filter(participant=participant)
        .select_related("user")
        .first()
    )
    if account is not None and open_accounts().filter(pk=account.pk).exists():
        raise ValidationError({"code": _("This invitation was already used.")})
    email = User.objects.normalize_email(email).lower()
    taken = User.objects.filter(email__iexact=email)
    if account is not None:
        taken = taken.exclude(pk=account.user_id)
    if taken.exists():
        raise ValidationError(
            {"email": _("This e-mail address already has an account. Choose another one.")}
        )
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if account is not None:
        user = _account_reopen(
            account, invitation, email=email, password=password, language=language
        )
    else:
        user = _account_create(invitation, email=email, password=password, language=language)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit(user, "mosty.portal.invitation.accepted", invitation)
    return user


def _account_create(
    invitation: PortalInvitation, *, email: str, password: str, language: str
) -> User:
    participant = invitation.participant
    user = User(
        email=email,
        first_name=participant.first_name or participant.first_name_original,
        language=language,
    )
    _password_set(user, password)
    try:
        with transaction.atomic():
            user.save()
            Membership.objects.create(
                user=user, organisation=participant.owner, role=Role.PARTICIPANT
            )
            PortalAccount.objects.create(
                user=user,
                participant=participant,
                invited_by=invitation.invited_by,
                invited_at=invitation.created_at,
                accepted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError({"code": _("This invitation was already used.")}) from exc
    return user


def _account_reopen(
    account: PortalAccount,
    invitation: PortalInvitation,
    *,
    email: str,
    password: str,
    language: str,
) -> User:
    """The account whose access ended opens again: the login chosen now (the person may have
    forgotten the old one; its sessions end with the new password), and the participant
    membership in the organisation that registered them active again."""
    user = account.user
    if login_beyond_portal(user):
        raise ValidationError({"code": _login_shared_message()})
    user.email, user.language = email, language
    _password_set(user, password)
    user.save(update_fields=["email", "language", "password"])
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation_id=account.participant.owner_id, role=Role.PARTICIPANT
    )
    membership.is_active = True
    membership.save(update_fields=["is_active", "updated_at"])
    account.invited_by = invitation.invited_by
    account.invited_at = invitation.created_at
    account.accepted_at = timezone.now()
    account.save(update_fields=["invited_by", "invited_at", "accepted_at"])
    audit(user, "mosty.portal.account.reopened", account)
    return user


def _case_team(case: Any) -> list[Any]:
    return [case.lead, *case.members.all()]


@transaction.atomic
def task_mark_done(*, task: Task, note: str, by: Any) -> TaskReport:
    """The participant did a task of their plan; their note goes to the case team. Marked
    once: a second tap at the same moment (a slow phone, two tabs) waits for the first and
    returns its report, so the team gets one note and one notification."""
    require(by, "portal.task.complete", task)
    participant = own_participant(by)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.DONE:
        first = TaskReport.objects.filter(task=task, participant=participant).order_by("pk")
        if (done := first.first()) is not None:
            return done
    report = TaskReport(task=task, participant=participant, note=(note or "").strip())
    save_validated(report)
    task.status = TaskStatus.DONE
    task.completed_at = timezone.now()
    task.save(update_fields=["status", "completed_at", "updated_at"])
    case = task.goal.case
    notify(
        _case_team(case),
        "task_done_by_participant",
        {"code": participant.code, "case": case.pk},
        # Straight to the case's list of tasks marked done, where the note is.
        url=reverse("cases:detail", args=[case.pk]) + "#case-done-heading",
    )
    audit(by, "mosty.portal.task.done", task)
    return report


# How long the same question, still waiting, counts as sent already (`_same_help_request`).
HELP_RESENT_WITHIN = dt.timedelta(minutes=30)


def _same_help_request(participant: Participant, text: str) -> HelpRequest | None:
    """The person's request for help with this text, sent a moment ago and still waiting: a
    second tap on "Send" over a slow connection, or the form sent again after Back or a
    reload. The team is asked and told once. The person's row is locked first, so two taps
    at the same moment are taken one after the other."""
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    recent = HelpRequest.objects.filter(
        participant=participant,
        status=HelpStatus.OPEN,
        replied_at__isnull=True,
        created_at__gte=timezone.now() - HELP_RESENT_WITHIN,
    ).order_by("-pk")
    # The text is encrypted: compared here, on the few requests of the last minutes.
    return next((earlier for earlier in recent if earlier.text == text), None)


@transaction.atomic
def help_request_create(*, text: str, by: Any) -> HelpRequest:
    """ "Ask for help": to the team of the person's open case, or the intake queue of the
    organisation that registered them."""
    require(by, "portal.help.ask")
    participant = own_participant(by)
    text = (text or "").strip()
    if (earlier := _same_help_request(participant, text)) is not None:
        return earlier
    case = (
        participant.cases.exclude(status=CaseStatus.CLOSED)
        .select_related("lead")
        .order_by("-opened_on", "-pk")
        .first()
    )
    help_request = HelpRequest(
        participant=participant,
        organisation_id=case.organisation_id if case else participant.owner_id,
        case=case,
        text=text,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    save_validated(help_request)
    if case is not None:
        staff = _case_team(case)
        url = reverse("cases:detail", args=[case.pk]) + "#case-help-heading"
    else:
        staff = list(organisation_staff(help_request.organisation_id))
        url = reverse("portal:help_list")
    notify(staff, "help_requested", {"code": participant.code}, url=url)
    return help_request


@transaction.atomic
def help_request_handle(*, help_request: HelpRequest, by: Any) -> HelpRequest:
    require(by, "help_request.handle", help_request)
    help_request.status = HelpStatus.HANDLED
    help_request.handled_by = by
    help_request.handled_at = timezone.now()
    help_request.save(update_fields=["status", "handled_by", "handled_at"])
    message_to_participant(
        help_request.participant, "help_handled", {}, key=f"help:{help_request.pk}:handled"
    )
    return help_request


@transaction.atomic
def task_report_read(*, report: TaskReport, by: Any) -> TaskReport:
    """The case team read what the participant wrote when they marked a task done: it leaves
    the dashboard's list of news. Read once: marking it again (another tab, a colleague at the
    same time) changes nothing, and the first reader's name stays."""
    require(by, "task_report.read", report)
    # The row as it is now, locked: a colleague who marked it read after this page was loaded
    # is seen here, and a second reader waits for the first to finish rather than overwriting.
    current = TaskReport.objects.select_for_update().get(pk=report.pk)
    if current.seen_at is None:
        current.seen_at = timezone.now()
        current.seen_by = by
        current.save(update_fields=["seen_at", "seen_by"])
    return current


def already_handled_message() -> str:
    """Why a request for help is not answered again."""
    return _("This request for help is already handled: it cannot be answered again.")


@transaction.atomic
def help_request_reply(*, help_request: HelpRequest, reply: str, by: Any) -> HelpRequest:
    """Staff answer a request for help in Mosty, which handles it. The newcomer reads the
    answer on their page; the message that tells them of it, through their own channel, says
    only that an answer waits (a text message or an e-mail is no place for what they asked
    about). Answered once: a second answer (another tab, a colleague at the same time) is
    refused, never written over the first."""
    require(by, "help_request.handle", help_request)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write your answer.")})
    if len(reply) > HELP_REPLY_MAX:
        raise ValidationError(
            {
                "reply": ngettext(
                    "Keep the answer to %(limit)d character or fewer.",
                    "Keep the answer to %(limit)d characters or fewer.",
                    HELP_REPLY_MAX,
                )
                % {"limit": HELP_REPLY_MAX}
            }
        )
    # The row as it is now, locked: whoever loaded the request before someone answered it
    # sees that answer here, not the open request they were shown.
    current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if current.status != HelpStatus.OPEN:
        raise ValidationError(already_handled_message(), code="handled")
    now = timezone.now()
    current.status = HelpStatus.HANDLED
    current.handled_by = current.replied_by = by
    current.handled_at = current.replied_at = now
    current.reply = reply
    current.full_clean()
    current.save(
        update_fields=["status", "handled_by", "handled_at", "reply", "replied_by", "replied_at"]
    )
    message_to_participant(
        current.participant, "help_answered", {}, key=f"help:{current.pk}:answered"
    )
    audit(by, "mosty.portal.help_request.answered", current)
    return current


@transaction.atomic
def consent_withdraw_own(*, consent: Consent, by: Any) -> Consent:
    """The participant withdraws a consent themself (messages stop with it: the opt-out). It
    is the people service staff record a withdrawal with, so the other modules answer as they
    do then (people.signals): open referrals are withdrawn with the consent to referrals, and
    withdrawing the consent to the portal ends their access to it (`portal.consents`): their
    participant membership in the organisation that registered them ends (the portal's own
    pages are open only while it is active), so every session of theirs loses the portal at
    once. The consent's `effects` are the sentences those modules answered."""
    require(by, "portal.consent.withdraw", consent)
    return consent_withdraw(consent=consent, by=by, rule="portal.consent.withdraw")


def portal_access_end(*, participant: Participant, by: Any) -> None:
    """End the portal access of `participant`'s account (the consent to it is withdrawn): the
    account's participant membership ends, and an invitation not yet used is revoked. The
    account stays, so what they did in the portal keeps its history."""
    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    if account is not None:
        Membership.objects.filter(
            user=account.user,
            organisation_id=participant.owner_id,
            role=Role.PARTICIPANT,
            is_active=True,
        ).update(is_active=False, updated_by=by, updated_at=timezone.now())
        audit(by, "mosty.portal.account.ended", account)
    PortalInvitation.objects.filter(
        participant=participant, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
