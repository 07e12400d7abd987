"""Writes to thematic networks: create, add members, invite people by e-mail, record meetings,
share documents."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.accounts.models import User
from mosty.core.writes import create_fields, document_save, save_fields, save_validated
from mosty.messaging.outbox import broadcast
from mosty.networks.models import (
    INVITATION_DAYS,
    InvitationState,
    Network,
    NetworkDocument,
    NetworkInvitation,
    NetworkMeeting,
    NetworkMembership,
    NetworkRole,
    token_hash,
)
from mosty.networks.texts import MESSAGES
from mosty.organisations.models import Organisation
from mosty.organisations.services import unique_slug

NETWORK_FIELDS = ["name", "theme", "purpose", "is_public"]


@transaction.atomic
def network_create(*, by, coordinator: Organisation, **data) -> Network:
    require(by, "network.create")
    network = Network(
        coordinator=coordinator, **{k: v for k, v in data.items() if k in NETWORK_FIELDS}
    )
    if not can(by, "network.coordinate_as", coordinator):
        raise ValidationError({"coordinator": MESSAGES["not_your_org"]})
    network.slug = unique_slug(Network, network.name)
    network.created_by = by
    save_validated(network)
    NetworkMembership.objects.create(network=network, organisation=coordinator)
    return network


@transaction.atomic
def network_update(*, network: Network, by, version: int | None = None, **data) -> Network:
    """`version`: what the form showed; a second editor's save is an `EditConflict`."""
    require(by, "network.manage", network)
    return save_fields(network, NETWORK_FIELDS, data, version=version, by=by)


@transaction.atomic
def network_member_add(*, network: Network, by, organisation=None, user=None) -> NetworkMembership:
    """Invite an organisation or one person; inviting the same member twice is an error."""
    require(by, "network.manage", network)
    if (organisation is None) == (user is None):
        raise ValidationError(MESSAGES["org_or_person"])
    exists = NetworkMembership.objects.filter(
        network=network, **({"organisation": organisation} if organisation else {"user": user})
    ).exists()
    if exists:
        raise ValidationError(MESSAGES["already_member"])
    membership = NetworkMembership(network=network, organisation=organisation, user=user)
    save_validated(membership)
    audit(by, "mosty.networks.network.member_added", membership)
    return membership


@transaction.atomic
def network_member_remove(*, membership: NetworkMembership, by) -> None:
    require(by, "network.manage", membership.network)
    if (
        membership.organisation_id
        and membership.organisation_id == membership.network.coordinator_id
    ):
        raise ValidationError(MESSAGES["keep_coordinator"])
    membership.delete()


MEETING_FIELDS = ("date", "title", "agenda", "minutes")


class AlreadyRecorded(ValidationError):
    """What a form records (a meeting, a shared document) is one the network has already:
    the same form posted again (a double click, Back and Save, two tabs, two coordinators).
    `record` is the one recorded first."""

    def __init__(self, record: NetworkMeeting | NetworkDocument, message: Any) -> None:
        super().__init__(message, code="already_recorded")
        self.record = record


@transaction.atomic
def network_meeting_save(
    *,
    network: Network,
    by,
    meeting: NetworkMeeting | None = None,
    attendees=(),
    version: int | None = None,
    **data,
) -> NetworkMeeting:
    """Record a new meeting, or change one (`version`: what the form showed; a second
    editor's save is an `EditConflict` and writes nothing). A new meeting the network already
    has word for word is refused with `AlreadyRecorded`; new meetings queue on the network's row,
    so two posts at once cannot both find none."""
    require(by, "network.manage", network)
    attendees = list(attendees)
    if any(a.network_id != network.pk for a in attendees):
        raise ValidationError({"attendees": MESSAGES["attendee_not_member"]})
    if meeting is None:
        Network.objects.select_for_update().only("pk").get(pk=network.pk)
        recorded = (
            NetworkMeeting.objects.filter(
                network=network, **{name: data.get(name, "") for name in MEETING_FIELDS}
            )
            .order_by("pk")
            .first()
        )
        if recorded is not None:
            raise AlreadyRecorded(recorded, MESSAGES["meeting_recorded"])
        meeting = create_fields(
            NetworkMeeting(network=network, created_by=by), MEETING_FIELDS, data
        )
    else:
        save_fields(meeting, MEETING_FIELDS, data, version=version, by=by)
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def network_document_share(
    *, network: Network, by, title: str, file=None, url: str = ""
) -> NetworkDocument:
    """Share a file or a link with the network's members. The same title with the same link,
    or with a file of the same size, shared again is refused with `AlreadyRecorded` (a
    double click, two tabs); shares queue on the network's row."""
    require(by, "network.manage", network)
    if bool(file) == bool(url):
        raise ValidationError(MESSAGES["file_or_link"])
    Network.objects.select_for_update().only("pk").get(pk=network.pk)
    shared = _same_document(network, title=title, file=file, url=url)
    if shared is not None:
        raise AlreadyRecorded(shared, MESSAGES["document_already_shared"])
    document = NetworkDocument(network=network, title=title, url=url or "", shared_by=by)
    return document_save(document, file)


def _same_document(network: Network, *, title: str, file: Any, url: str) -> NetworkDocument | None:
    same_title = NetworkDocument.objects.filter(network=network, title=title).order_by("pk")
    if url:
        return same_title.filter(url=url).first()
    for document in same_title.exclude(file=""):
        try:
            if document.file.size == file.size:
                return document
        except OSError:  # the stored file is gone: not the same
            continue
    return None


# Invitations of people by e-mail ------------------------------------------------------------


@transaction.atomic
def network_invitation_create(
    *, network: Network, email: str, role: str, language: str, by: Any, base_url: str = ""
) -> tuple[NetworkInvitation, str]:
    """Mail `email` a link to join `network` with `role`, in `language`; the person may have an
    account or not. Returns the invitation and the link's secret (never stored: only its
    hash is)."""
    require(by, "network.manage", network)
    email = User.objects.normalize_email(email).strip().lower()
    if role not in NetworkRole.values:
        raise ValidationError({"role": MESSAGES["bad_role"]})
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if NetworkMembership.objects.filter(network=network, user__email__iexact=email).exists():
        raise ValidationError({"email": MESSAGES["already_member"]})
    now = timezone.now()
    if NetworkInvitation.objects.filter(
        network=network,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise ValidationError({"email": MESSAGES["invitation_pending"]})
    token = secrets.token_urlsafe(32)
    invitation = NetworkInvitation(
        network=network,
        email=email,
        role=role,
        language=language,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    save_validated(invitation)
    with translation.override(language):
        # The link opens the page in the invitee's language.
        link = base_url.rstrip("/") + reverse("networks:invitation_accept", args=[token])
    broadcast(
        [{"to": email, "language": language}],
        "network_invitation",
        {
            "network": network.name,
            "organisation": network.coordinator.name if network.coordinator else "Mosty",
            "link": link,
            "days": INVITATION_DAYS,
        },
        key=f"network-invitation:{invitation.pk}",
    )
    audit(by, "mosty.networks.invitation.sent", invitation)
    return invitation, token


@transaction.atomic
def network_invitation_revoke(*, invitation: NetworkInvitation, by: Any) -> NetworkInvitation:
    """Withdraw an invitation still waiting for an answer; its link stops working."""
    require(by, "network.manage", invitation.network)
    now = timezone.now()
    withdrawn = NetworkInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now, revoked_by=by)
    if not withdrawn:
        raise ValidationError(MESSAGES["invitation_not_pending"], code="not_pending")
    invitation.refresh_from_db()
    audit(by, "mosty.networks.invitation.revoked", invitation)
    return invitation


def _open_invitation(token: str) -> NetworkInvitation:
    """The invitation of `token`, locked, if it still works; otherwise a `ValidationError`
    saying why (its code is the state: unknown, expired, accepted, revoked)."""
    invitation = (
        NetworkInvitation.objects.select_for_update()
        .select_related("network")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(MESSAGES["link_unknown"], code="unknown")
    state = invitation.state
    if state != InvitationState.PENDING:
        key = {InvitationState.ACCEPTED: "link_used"}.get(state, f"link_{state}")
        raise ValidationError(MESSAGES[key], code=state)
    return invitation


def _join(invitation: NetworkInvitation, user: Any) -> NetworkMembership:
    membership, _created = NetworkMembership.objects.get_or_create(
        network=invitation.network, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(user, "mosty.networks.invitation.accepted", invitation)
    audit(user, "mosty.networks.network.member_added", membership)
    return membership


@transaction.atomic
def network_invitation_accept(*, token: str, user: Any) -> NetworkMembership:
    """A person logged in with the invited address joins. The link is the permission (no
    policy rule), and it works once, for that address only."""
    invitation = _open_invitation(token)
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(MESSAGES["wrong_person"], code="wrong_person")
    return _join(invitation, user)


@transaction.atomic
def network_invitation_accept_new(
    *, token: str, first_name: str, last_name: str, password: str
) -> User:
    """A person without an account creates one with the invited address, and joins."""
    invitation = _open_invitation(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(MESSAGES["email_taken"], code="email_taken")
    user = User(
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=(last_name or "").strip(),
        language=invitation.language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _join(invitation, user)
    return user
