"""Reads of the directory; every query starts from a `visible_*` selector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from mosty.access.audit import audit_read
from mosty.access.domains.directory import (  # noqa: F401 (re-exported)
    editable_locations,
    editable_services,
    visible_housing_offers,
    visible_linguists,
    visible_services,
)
from mosty.access.policy import require
from mosty.core.collation import by_name
from mosty.core.models import District
from mosty.directory.models import (
    Category,
    HousingOffer,
    HousingStatus,
    LanguagePair,
    Linguist,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceStatus,
    ServiceTranslation,
)
from mosty.organisations.models import Organisation


def _translations_prefetch(language: str) -> Prefetch:
    return Prefetch(
        "translations",
        queryset=ServiceTranslation.objects.filter(language=language),
        to_attr="visitor_translations",
    )


def open_now_ids(now: datetime | None = None) -> QuerySet:
    """Ids of services open at `now` (local time), as a subquery."""
    local = timezone.localtime(now or timezone.now())
    return Schedule.objects.filter(
        weekday=local.isoweekday(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    ).values("service_id")


def service_search(*, fetched_by, filters: dict | None = None) -> QuerySet[Service]:
    """The public directory search: text, category, language offered, district, free, open now."""
    filters = filters or {}
    qs = visible_services(fetched_by).filter(status=ServiceStatus.ACTIVE)
    if filters.get("q"):
        q = filters["q"]
        # Each alternative is a semi-join on one table, so PostgreSQL answers it from that
        # table's trigram index (migration 0004) instead of matching the text against every
        # service's description; the same shape serves the paginator's count.
        qs = qs.filter(
            Q(pk__in=Service.objects.filter(Q(name__icontains=q) | Q(description__icontains=q)))
            | Q(organisation_id__in=Organisation.objects.filter(name__icontains=q).values("pk"))
            | Q(pk__in=ServiceTranslation.objects.filter(name__icontains=q).values("service_id"))
        )
    # Semi-joins (pk IN subquery) let the database start from the selective side.
    if filters.get("category"):
        qs = qs.filter(
            pk__in=ServiceCategory.objects.filter(category__code=filters["category"]).values(
                "service_id"
            )
        )
    if filters.get("language"):
        qs = qs.filter(
            pk__in=ServiceLanguage.objects.filter(code=filters["language"]).values("service_id")
        )
    if filters.get("district"):
        qs = qs.filter(
            pk__in=ServiceAtLocation.objects.filter(
                location__district__code=filters["district"]
            ).values("service_id")
        )
    if filters.get("free"):
        qs = qs.filter(is_free=True)
    if filters.get("open_now"):
        qs = qs.filter(pk__in=open_now_ids())
    return qs.order_by(*by_name("name"), "pk")


def service_list_page_prefetch(qs: QuerySet[Service]) -> QuerySet[Service]:
    language = translation.get_language() or "pl"
    return qs.select_related("organisation").prefetch_related(
        _translations_prefetch(language),
        "categories",
        "languages",
        Prefetch("locations", queryset=Location.objects.select_related("district")),
    )


def service_get(*, fetched_by, pk: int) -> Service:
    language = translation.get_language() or "pl"
    qs = visible_services(fetched_by).select_related("organisation", "checked_by")
    qs = qs.prefetch_related(
        _translations_prefetch(language),
        "categories",
        "languages",
        "phones",
        "schedules",
        "translations",
        Prefetch(
            "locations",
            queryset=Location.objects.select_related("district").prefetch_related("phones"),
        ),
    )
    return get_object_or_404(qs, pk=pk)


def service_find(*, fetched_by, pk: int) -> Service:
    """A visible service without its related rows, for an action on it (404 otherwise)."""
    return get_object_or_404(visible_services(fetched_by), pk=pk)


def editable_location_get(*, fetched_by, pk: int) -> Location:
    """A location the user may edit (404 otherwise)."""
    return get_object_or_404(editable_locations(fetched_by), pk=pk)


def editable_service_get(*, fetched_by, pk: int) -> Service:
    """A service the user may edit (404 otherwise)."""
    return get_object_or_404(editable_services(fetched_by), pk=pk)


def service_translation_list(service: Service) -> QuerySet[ServiceTranslation]:
    return ServiceTranslation.objects.filter(service=service).order_by("language")


@dataclass
class ShownText:
    """A service's texts in the visitor's language, or in the source language with a mark."""

    name: str
    description: str
    eligibility: str
    language: str
    is_visitor_language: bool
    is_outdated: bool = False
    machine_translated: bool = False


def service_text(service: Service, language: str | None = None) -> ShownText:
    """Pick the visitor's-language translation (prefetched as `visitor_translations`)."""
    language = language or translation.get_language() or "pl"
    if service.source_language == language:
        return ShownText(service.name, service.description, service.eligibility, language, True)
    found = getattr(service, "visitor_translations", None)
    if found is None:
        found = list(service.translations.filter(language=language))
    usable = [t for t in found if t.language == language and t.status != "draft"]
    if usable:
        t = usable[0]
        return ShownText(
            t.name,
            t.description or service.description,
            t.eligibility or service.eligibility,
            language,
            True,
            is_outdated=t.source_revision < service.revision,
            machine_translated=t.machine_translated or t.status == "machine_draft",
        )
    return ShownText(
        service.name, service.description, service.eligibility, service.source_language, False
    )


def map_points(*, fetched_by, filters: dict | None = None, limit: int = 5000) -> list[dict]:
    """Markers for the map: one per service location with coordinates (values only, 1 query)."""
    services = service_search(fetched_by=fetched_by, filters=filters)
    # Driven from the services in name order (the status-and-name index), so the database
    # stops after `limit` places instead of sorting every place of the city (75 ms -> 1.4 ms
    # for the large seed's 20,000 services).
    rows = (
        services.filter(locations__latitude__isnull=False, locations__longitude__isnull=False)
        .values_list(
            "pk",
            "name",
            "locations__pk",
            "locations__name",
            "locations__latitude",
            "locations__longitude",
            "locations__address_1",
        )
        .order_by(*by_name("name"), "pk", "locations__pk")[:limit]
    )
    return [
        {
            "service": sid,
            "name": sname,
            "location": lid,
            "location_name": lname,
            "lat": lat,
            "lon": lon,
            "address": address,
        }
        for sid, sname, lid, lname, lat, lon, address in rows
    ]


def district_service_counts(*, fetched_by, filters: dict | None = None) -> dict[str, int]:
    """District code -> how many of the found services have a place there (one query)."""
    services = service_search(fetched_by=fetched_by, filters=filters)
    # A join from the services, not `IN` over all of them (48 ms -> 27 ms, large seed).
    rows = (
        services.filter(locations__district__isnull=False)
        .values("locations__district__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["locations__district__code"]: row["n"] for row in rows}


def translated_names(services: QuerySet, language: str) -> dict[int, str]:
    """Published names in `language` of the services in the queryset (one query)."""
    rows = ServiceTranslation.objects.filter(
        language=language, service__in=services.values("pk")
    ).exclude(status="draft")
    return dict(rows.values_list("service_id", "name"))


def district_list() -> QuerySet[District]:
    return District.objects.order_by(*by_name("name"))


def district_list_with_counts() -> QuerySet[District]:
    """Districts with `organisation_count` (one query)."""
    return district_list().annotate(organisation_count=Count("organisations", distinct=True))


def district_get(*, code: str) -> District:
    return get_object_or_404(District, code=code)


def district_organisations(district: District, *, limit: int) -> QuerySet:
    """Active organisations working in the district, by name."""
    return district.organisations.filter(is_active=True).order_by(*by_name("name"))[:limit]


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by(*by_name("name"))


# Housing -------------------------------------------------------------------------------------


def housing_offer_list(*, fetched_by, filters: dict | None = None) -> QuerySet[HousingOffer]:
    filters = filters or {}
    qs = visible_housing_offers(fetched_by).select_related("district", "organisation")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    return qs.order_by("available_from", "pk")


def housing_offer_get(*, fetched_by, pk: int) -> HousingOffer:
    return get_object_or_404(
        visible_housing_offers(fetched_by).select_related("district", "organisation"), pk=pk
    )


# The landlord's contact: personal data, so every read of it is audited.
HOUSING_CONTACT_FIELDS = ["landlord_name", "contact_phone", "contact_email"]


def housing_offer_read(*, fetched_by, pk: int) -> HousingOffer:
    """An offer with its landlord's contact, for the detail page and API: checks
    `housing.view` and records the read."""
    offer = housing_offer_get(fetched_by=fetched_by, pk=pk)
    require(fetched_by, "housing.view", offer)
    audit_read(fetched_by, offer, fields=HOUSING_CONTACT_FIELDS)
    return offer


@dataclass
class HousingNeed:
    """What a household needs: persons, budget, preferred district, step-free access, kids, pets."""

    size: int
    budget: float | None = None
    district_id: int | None = None
    needs_step_free: bool = False
    has_children: bool = False
    has_pets: bool = False

    @classmethod
    def from_cleaned(cls, data: dict) -> HousingNeed:
        """From a form's or serializer's cleaned data (district is a District or absent)."""
        return cls(
            size=data["size"],
            budget=float(data["budget"]) if data.get("budget") is not None else None,
            district_id=data["district"].pk if data.get("district") else None,
            needs_step_free=data["needs_step_free"],
            has_children=data["has_children"],
            has_pets=data["has_pets"],
        )


def housing_matches(*, fetched_by, need: HousingNeed) -> list[tuple[HousingOffer, int, list]]:
    """Available offers that fit the need, best first, with a score and the reasons."""
    from django.utils.translation import gettext as _

    qs = visible_housing_offers(fetched_by).filter(
        status=HousingStatus.AVAILABLE, capacity__gte=need.size
    )
    if need.budget is not None:
        qs = qs.filter(rent__lte=need.budget)
    if need.needs_step_free:
        qs = qs.filter(step_free=True)
    if need.has_children:
        qs = qs.filter(children_welcome=True)
    if need.has_pets:
        qs = qs.filter(pets_allowed=True)
    scored = []
    for offer in qs.select_related("district", "organisation")[:200]:
        score, reasons = 50, [_("enough room")]
        if need.district_id and offer.district_id == need.district_id:
            score += 30
            reasons.append(_("in the preferred district"))
        # Less spare room is a better use of a scarce place.
        score -= min(offer.capacity - need.size, 5) * 4
        if need.budget is not None:
            reasons.append(_("within the budget"))
            if need.budget:
                score += int(10 * (1 - float(offer.rent) / float(need.budget)))
        scored.append((offer, score, reasons))
    scored.sort(key=lambda item: (-item[1], item[0].pk))
    return scored


# Linguists -----------------------------------------------------------------------------------


def linguist_search(*, fetched_by, filters: dict | None = None) -> QuerySet[Linguist]:
    filters = filters or {}
    qs = visible_linguists(fetched_by).filter(is_active=True)
    source, target = filters.get("source"), filters.get("target")
    if source or target:
        pair = Q()
        forward = Q(linguist=OuterRef("pk"))
        if source:
            forward &= Q(source=source)
        if target:
            forward &= Q(target=target)
        backward = Q(linguist=OuterRef("pk"), both_ways=True)
        if source:
            backward &= Q(target=source)
        if target:
            backward &= Q(source=target)
        pair = Exists(LanguagePair.objects.filter(forward)) | Exists(
            LanguagePair.objects.filter(backward)
        )
        qs = qs.filter(pair)
    mode = filters.get("mode")
    if mode == "written":
        qs = qs.filter(does_written=True)
    elif mode == "consecutive":
        qs = qs.filter(does_consecutive=True)
    elif mode == "remote":
        qs = qs.filter(does_remote=True)
    if filters.get("sworn"):
        qs = qs.filter(is_sworn=True)
    if filters.get("volunteer"):
        qs = qs.filter(is_volunteer=True)
    return (
        qs.select_related("organisation").prefetch_related("pairs").order_by(*by_name("name"), "pk")
    )


def linguist_get(*, fetched_by, pk: int) -> Linguist:
    return get_object_or_404(
        visible_linguists(fetched_by).select_related("organisation").prefetch_related("pairs"),
        pk=pk,
    )


LINGUIST_CONTACT_FIELDS = ["name", "email", "phone"]


def linguist_read(*, fetched_by, pk: int) -> Linguist:
    """A linguist with their contact, for the detail page and API: checks `linguist.view`
    and records the read."""
    linguist = linguist_get(fetched_by=fetched_by, pk=pk)
    require(fetched_by, "linguist.view", linguist)
    audit_read(fetched_by, linguist, fields=LINGUIST_CONTACT_FIELDS)
    return linguist


# Helpers for forms and pages -----------------------------------------------------------------


def editor_organisations(user):
    from mosty.access.domains.directory import service_organisations

    return service_organisations(user)


def linguist_organisations(user):
    from mosty.access.domains.directory import linguist_owner_organisations

    return linguist_owner_organisations(user)


def district_events(district, *, limit: int = 10) -> list:
    """Upcoming public event sessions in the district (empty when the events app is absent)."""
    try:
        from mosty.events.models import Session
    except ImportError:  # pragma: no cover - the events module is optional
        return []
    return list(
        Session.objects.filter(
            district=district, event__is_public=True, starts_at__gte=timezone.now()
        )
        .select_related("event")
        .prefetch_related("event__translations")
        .order_by("starts_at")[:limit]
    )


def households_needing_housing(user) -> list:
    from mosty.access.domains.directory import housing_households

    return list(
        housing_households(user).annotate(size=Count("members")).order_by("-created_at")[:100]
    )
