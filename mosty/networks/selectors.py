"""Reads of thematic networks; every query starts from the access domain's selectors."""

from typing import Any, TypeVar

from django.db.models import Count, Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.networks import public_networks, visible_networks
from mosty.core.collation import by_name
from mosty.networks.models import (
    Network,
    NetworkDocument,
    NetworkInvitation,
    NetworkMeeting,
    NetworkMembership,
    token_hash,
)

_Record = TypeVar("_Record", bound=Model)


def _in_visible_network(rows: QuerySet[_Record], *, fetched_by: Any, pk: int) -> _Record:
    """One of `rows` (a network's members, meetings, documents, invitations) by `pk`, with its
    network, when that network is one `fetched_by` may see; 404 otherwise."""
    return get_object_or_404(
        rows.filter(network__in=visible_networks(fetched_by)).select_related("network"), pk=pk
    )


def network_list(*, fetched_by: Any) -> QuerySet[Network]:
    networks: QuerySet[Network] = (
        visible_networks(fetched_by)
        .select_related("coordinator")
        .annotate(member_count=Count("members", distinct=True))
        .order_by(*by_name("name"))
    )
    return networks


def network_public_list() -> QuerySet[Network]:
    networks: QuerySet[Network] = (
        public_networks()
        .select_related("coordinator")
        .annotate(member_count=Count("members", distinct=True))
        .order_by(*by_name("name"))
    )
    return networks


def network_get(*, fetched_by: Any, pk: int) -> Network:
    network: Network = get_object_or_404(
        visible_networks(fetched_by).select_related("coordinator"), pk=pk
    )
    return network


def network_public_get(*, slug: str) -> Network:
    network: Network = get_object_or_404(
        public_networks()
        .select_related("coordinator")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=NetworkMembership.objects.filter(organisation__isnull=False)
                .select_related("organisation", "organisation__district")
                .order_by(*by_name("organisation__name")),
                to_attr="organisation_members",
            )
        ),
        slug=slug,
    )
    return network


def network_members(*, network: Network) -> QuerySet[NetworkMembership]:
    return (
        NetworkMembership.objects.filter(network=network)
        .select_related("organisation", "organisation__district", "user")
        .order_by(*by_name("organisation__name", "user__last_name"), "user__email")
    )


def network_membership_get(*, fetched_by: Any, pk: int) -> NetworkMembership:
    return _in_visible_network(NetworkMembership.objects.all(), fetched_by=fetched_by, pk=pk)


def network_meetings(*, network: Network) -> QuerySet[NetworkMeeting]:
    return (
        NetworkMeeting.objects.filter(network=network)
        .annotate(attendee_count=Count("attendees"))
        .order_by("-date", "-pk")
    )


def network_meeting_get(*, fetched_by: Any, pk: int) -> NetworkMeeting:
    attendees = NetworkMembership.objects.select_related("organisation", "user")
    return _in_visible_network(
        NetworkMeeting.objects.prefetch_related(Prefetch("attendees", queryset=attendees)),
        fetched_by=fetched_by,
        pk=pk,
    )


def network_documents(*, network: Network) -> QuerySet[NetworkDocument]:
    return NetworkDocument.objects.filter(network=network).select_related("shared_by")


def network_document_get(*, fetched_by: Any, pk: int) -> NetworkDocument:
    return _in_visible_network(NetworkDocument.objects.all(), fetched_by=fetched_by, pk=pk)


def network_invitations_pending(*, network: Network) -> QuerySet[NetworkInvitation]:
    """Invitations of `network` still waiting for an answer (not used, revoked or expired)."""
    return (
        NetworkInvitation.objects.filter(
            network=network,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def network_invitation_get(*, fetched_by: Any, pk: int) -> NetworkInvitation:
    return _in_visible_network(NetworkInvitation.objects.all(), fetched_by=fetched_by, pk=pk)


def invitation_by_token(token: str) -> NetworkInvitation | None:
    """The invitation a link's secret belongs to, whatever its state (None when unknown):
    the page tells an expired, used or revoked link apart from a wrong one."""
    return (
        NetworkInvitation.objects.select_related("network")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
