"""Writes to thematic networks: create, invite members, record meetings, share documents."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.organisations.models import (
    Network,
    NetworkDocument,
    NetworkMeeting,
    NetworkMembership,
    Organisation,
)
from mosty.organisations.services import save_fields, unique_slug

NETWORK_FIELDS = ["name", "theme", "purpose", "is_public"]


@transaction.atomic
def network_create(*, by, coordinator: Organisation, **data) -> Network:
    from mosty.directory.network_forms import MESSAGES

    require(by, "network.create")
    network = Network(
        coordinator=coordinator, **{k: v for k, v in data.items() if k in NETWORK_FIELDS}
    )
    if not can(by, "network.coordinate_as", coordinator):
        raise ValidationError({"coordinator": MESSAGES["not_your_org"]})
    network.slug = unique_slug(Network, network.name)
    network.created_by = by
    network.full_clean()
    network.save()
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
    from mosty.directory.network_forms import MESSAGES

    require(by, "network.manage", network)
    if (organisation is None) == (user is None):
        raise ValidationError(MESSAGES["org_or_person"])
    exists = NetworkMembership.objects.filter(
        network=network, **({"organisation": organisation} if organisation else {"user": user})
    ).exists()
    if exists:
        raise ValidationError(MESSAGES["already_member"])
    membership = NetworkMembership(network=network, organisation=organisation, user=user)
    membership.full_clean()
    membership.save()
    audit(by, "mosty.organisations.network.member_added", membership)
    return membership


@transaction.atomic
def network_member_remove(*, membership: NetworkMembership, by) -> None:
    from mosty.directory.network_forms import MESSAGES

    require(by, "network.manage", membership.network)
    if (
        membership.organisation_id
        and membership.organisation_id == membership.network.coordinator_id
    ):
        raise ValidationError(MESSAGES["keep_coordinator"])
    membership.delete()


MEETING_FIELDS = ("date", "title", "agenda", "minutes")


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
    editor's save is an `EditConflict` and writes nothing)."""
    from mosty.directory.network_forms import MESSAGES

    require(by, "network.manage", network)
    attendees = list(attendees)
    if any(a.network_id != network.pk for a in attendees):
        raise ValidationError({"attendees": MESSAGES["attendee_not_member"]})
    if meeting is None:
        meeting = NetworkMeeting(network=network, created_by=by)
        for field in MEETING_FIELDS:
            if field in data:
                setattr(meeting, field, data[field])
        meeting.full_clean()
        meeting.save()
    else:
        save_fields(meeting, MEETING_FIELDS, data, version=version, by=by)
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def network_document_share(
    *, network: Network, by, title: str, file=None, url: str = ""
) -> NetworkDocument:
    from mosty.directory.network_forms import MESSAGES

    require(by, "network.manage", network)
    if bool(file) == bool(url):
        raise ValidationError(MESSAGES["file_or_link"])
    document = NetworkDocument(network=network, title=title, url=url or "", shared_by=by)
    if file:
        document.file = file
    document.full_clean()
    document.save()
    return document
