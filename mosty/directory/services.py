"""Writes to the directory. Each is atomic and checks the policy itself."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.core.writes import save_changes, save_validated
from mosty.directory.models import (
    Category,
    HousingOffer,
    HousingStatus,
    LanguagePair,
    Linguist,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceTranslation,
    validate_iso_language,
)

# Also the order in which the service form shows them.
SERVICE_FIELDS = [
    "organisation",
    "name",
    "source_language",
    "description",
    "eligibility",
    "required_documents",
    "is_free",
    "fees_description",
    "email",
    "url",
    "status",
]
# Where a location is: what the form asks and the API tells, in this order.
LOCATION_PLACE_FIELDS = [
    "address_1",
    "address_2",
    "postal_code",
    "city",
    "district",
    "latitude",
    "longitude",
]
# Also the order in which the location form shows them.
LOCATION_FIELDS = [
    "organisation",
    "name",
    *LOCATION_PLACE_FIELDS,
    "transportation",
    "accessibility",
    "description",
]


def _new(model, fields: list[str], data: dict, *, by, permission: str):
    """A new owned record from the `fields` in `data`, checked against the policy and the
    model's rules, then saved with its author."""
    record = model(**{k: v for k, v in data.items() if k in fields}, created_by=by)
    require(by, permission, record)
    return save_validated(record)


def _changed(record, fields: list[str], data: dict, *, by, version: int | None, **derived):
    """Write the `fields` in `data` (never the organisation: a record does not move) and any
    `derived` values onto `record`, after the model's rules, in one guarded UPDATE: an
    `EditConflict` when someone saved since the form read `version`."""
    changes = {k: v for k, v in data.items() if k in fields and k != "organisation"}
    changes.update(derived)
    return save_changes(record, changes, version=version, by=by)


def languages_clean(codes) -> list[str]:
    """Lower-cased, de-duplicated ISO codes; raises a `languages` error on a bad one."""
    codes = list(dict.fromkeys(c.strip().lower() for c in codes if c and c.strip()))
    for code in codes:
        try:
            validate_iso_language(code)
        except ValidationError as exc:
            raise ValidationError({"languages": exc.messages}) from exc
    return codes


def _languages_set(service: Service, codes: list[str]) -> None:
    codes = languages_clean(codes)
    service.languages.exclude(code__in=codes).delete()
    have = set(service.languages.values_list("code", flat=True))
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, code=c) for c in codes if c not in have]
    )


def _links_set(link_model, service: Service, field: str, wanted: set[int]) -> None:
    """Make `service`'s link rows (`ServiceCategory`, `ServiceAtLocation`) point at exactly the
    `wanted` ids of `field`, keeping the rows (and their HSDS ids) that stay."""
    rows = link_model.objects.filter(service=service)
    rows.exclude(**{f"{field}_id__in": wanted}).delete()
    have = set(rows.values_list(f"{field}_id", flat=True))
    link_model.objects.bulk_create(
        [link_model(service=service, **{f"{field}_id": pk}) for pk in wanted - have]
    )


def _categories_set(service: Service, categories) -> None:
    _links_set(ServiceCategory, service, "category", {c.pk for c in categories})


def _locations_set(service: Service, locations) -> None:
    for loc in locations:
        if loc.organisation_id != service.organisation_id:
            raise ValidationError(
                {"locations": _("Choose locations of the service's own organisation.")}
            )
    _links_set(ServiceAtLocation, service, "location", {loc.pk for loc in locations})


def _hours_set(service: Service, hours: dict[int, tuple[time, time]]) -> None:
    rows = []
    for weekday, (opens, closes) in sorted(hours.items()):
        row = Schedule(service=service, weekday=weekday, opens_at=opens, closes_at=closes)
        row.full_clean(exclude=["service", "hsds_id"])
        rows.append(row)
    service.schedules.all().delete()
    Schedule.objects.bulk_create(rows)


def _phone_set(*, service=None, location=None, number: str) -> None:
    owner = {"service": service} if service is not None else {"location": location}
    phones = Phone.objects.filter(**owner)
    number = (number or "").strip()
    if not number:
        phones.delete()
        return
    first = phones.first()
    if first is None:
        Phone.objects.create(number=number, **owner)
    elif first.number != number:
        first.number = number
        first.save(update_fields=["number"])


@transaction.atomic
def service_create(
    *,
    by,
    categories=(),
    languages=(),
    locations=(),
    hours: dict | None = None,
    phone: str = "",
    **data,
) -> Service:
    service = _new(Service, SERVICE_FIELDS, data, by=by, permission="service.change")
    _categories_set(service, categories)
    _languages_set(service, list(languages))
    _locations_set(service, locations)
    _hours_set(service, hours or {})
    _phone_set(service=service, number=phone)
    return service


@transaction.atomic
def service_update(
    *,
    service: Service,
    by,
    version: int | None = None,
    categories=None,
    languages=None,
    locations=None,
    hours: dict | None = None,
    phone: str | None = None,
    **data,
) -> Service:
    require(by, "service.change", service)
    texts_changed = any(
        k in data and getattr(service, k) != data[k] for k in Service.TRANSLATED_FIELDS
    )
    # Translations made from the older text now show as outdated.
    derived = {"revision": service.revision + 1} if texts_changed else {}
    _changed(service, SERVICE_FIELDS, data, by=by, version=version, **derived)
    if categories is not None:
        _categories_set(service, categories)
    if languages is not None:
        _languages_set(service, list(languages))
    if locations is not None:
        _locations_set(service, locations)
    if hours is not None:
        _hours_set(service, hours)
    if phone is not None:
        _phone_set(service=service, number=phone)
    return service


@transaction.atomic
def service_translation_save(
    *,
    service: Service,
    by,
    language: str,
    name: str,
    description: str = "",
    eligibility: str = "",
    status: str = "published",
    machine_translated: bool = False,
) -> ServiceTranslation:
    require(by, "service.change", service)
    if language == service.source_language:
        raise ValidationError(
            {"language": _("This is the language the service is written in; edit the service.")}
        )
    translation_row = ServiceTranslation.objects.filter(service=service, language=language).first()
    if translation_row is None:
        translation_row = ServiceTranslation(service=service, language=language)
    translation_row.name = name
    translation_row.description = description
    translation_row.eligibility = eligibility
    translation_row.status = status
    translation_row.machine_translated = machine_translated
    translation_row.source_revision = service.revision
    return save_validated(translation_row)


@transaction.atomic
def service_verify(*, service: Service, by) -> Service:
    """An admin confirms the entry is still true ("last checked on")."""
    require(by, "service.verify", service)
    # Cannot conflict with an edit: it confirms the entry, whatever its text.
    service.save_changes(version=None, by=by, last_checked_on=timezone.localdate(), checked_by=by)
    audit(by, "mosty.directory.service.verified", service)
    return service


@transaction.atomic
def location_create(*, by, phone: str = "", **data) -> Location:
    location = _new(Location, LOCATION_FIELDS, data, by=by, permission="location.change")
    _phone_set(location=location, number=phone)
    return location


@transaction.atomic
def location_update(
    *, location: Location, by, version: int | None = None, phone: str | None = None, **data
) -> Location:
    require(by, "location.change", location)
    _changed(location, LOCATION_FIELDS, data, by=by, version=version)
    if phone is not None:
        _phone_set(location=location, number=phone)
    return location


@transaction.atomic
def category_ensure(*, code: str, name: str, names: dict | None = None) -> Category:
    category, _created = Category.objects.update_or_create(
        code=code, defaults={"name": name, "names": names or {}}
    )
    return category


# Housing -------------------------------------------------------------------------------------

# Also the order of the housing form and the API serializer.
HOUSING_FIELDS = [
    "organisation",
    "kind",
    "title",
    "capacity",
    "rent",
    "district",
    "address",
    "available_from",
    "available_until",
    "step_free",
    "children_welcome",
    "pets_allowed",
    "conditions",
    "landlord_name",
    "contact_phone",
    "contact_email",
]


@transaction.atomic
def housing_offer_create(*, by, **data) -> HousingOffer:
    return _new(HousingOffer, HOUSING_FIELDS, data, by=by, permission="housing.change")


@transaction.atomic
def housing_offer_update(
    *, offer: HousingOffer, by, version: int | None = None, **data
) -> HousingOffer:
    require(by, "housing.change", offer)
    return _changed(offer, HOUSING_FIELDS, data, by=by, version=version)


# Allowed moves: available -> reserved/taken, reserved -> available/taken, taken -> available.
HOUSING_MOVES: dict[str, set[str]] = {
    HousingStatus.AVAILABLE: {HousingStatus.RESERVED, HousingStatus.TAKEN},
    HousingStatus.RESERVED: {HousingStatus.AVAILABLE, HousingStatus.TAKEN},
    HousingStatus.TAKEN: {HousingStatus.AVAILABLE},
}


@transaction.atomic
def housing_offer_set_status(
    *, offer: HousingOffer, by, status: str, note: str = ""
) -> HousingOffer:
    require(by, "housing.set_status", offer)
    # Lock the row: two coordinators must not reserve the same place at once.
    offer = HousingOffer.objects.select_for_update().get(pk=offer.pk)
    if status not in HOUSING_MOVES.get(offer.status, set()):
        raise ValidationError(
            {
                "status": _("An offer cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": offer.get_status_display(),
                    "new": HousingStatus(status).label
                    if status in HousingStatus.values
                    else status,
                }
            }
        )
    # The row lock above already orders two coordinators; the move itself is checked.
    offer.save_changes(version=None, by=by, status=status, status_note=note[:300])
    audit(by, f"mosty.directory.housingoffer.{status}", offer)
    return offer


# Linguists -----------------------------------------------------------------------------------

# What a linguist offers: what the form asks and the API tells, in this order.
LINGUIST_OFFER_FIELDS = [
    "is_sworn",
    "does_written",
    "does_consecutive",
    "does_remote",
    "is_volunteer",
    "hourly_rate",
    "availability",
]
LINGUIST_FIELDS = [
    "organisation",
    "name",
    "user",
    "email",
    "phone",
    *LINGUIST_OFFER_FIELDS,
    "is_active",
]

# What staff edit in the linguist form (the account link is set elsewhere).
LINGUIST_FORM_FIELDS = [f for f in LINGUIST_FIELDS if f != "user"]


def parse_pairs(text: str) -> list[tuple[str, str, bool]]:
    """'uk-pl, ar>pl' -> [(uk, pl, both ways), (ar, pl, one way)]; raises on bad codes."""
    pairs = []
    for chunk in (text or "").replace(";", ",").replace("\n", ",").split(","):
        chunk = chunk.strip().lower()
        if not chunk:
            continue
        sep = ">" if ">" in chunk else "-"
        parts = [p.strip() for p in chunk.split(sep)]
        if len(parts) != 2:
            raise ValidationError(
                {"pairs": _("Write pairs like “uk-pl” (both ways) or “ar>pl” (one way).")}
            )
        for code in parts:
            try:
                validate_iso_language(code)
            except ValidationError as exc:
                raise ValidationError({"pairs": exc.messages}) from exc
        pairs.append((parts[0], parts[1], sep == "-"))
    return pairs


def _pairs_set(linguist: Linguist, pairs: list[tuple[str, str, bool]]) -> None:
    linguist.pairs.all().delete()
    LanguagePair.objects.bulk_create(
        [
            LanguagePair(linguist=linguist, source=s, target=t, both_ways=b)
            for s, t, b in dict.fromkeys(pairs)
        ]
    )


@transaction.atomic
def linguist_create(*, by, pairs: list | None = None, **data) -> Linguist:
    linguist = _new(Linguist, LINGUIST_FIELDS, data, by=by, permission="linguist.change")
    _pairs_set(linguist, pairs or [])
    return linguist


@transaction.atomic
def linguist_update(
    *, linguist: Linguist, by, version: int | None = None, pairs: list | None = None, **data
) -> Linguist:
    require(by, "linguist.change", linguist)
    _changed(linguist, LINGUIST_FIELDS, data, by=by, version=version)
    if pairs is not None:
        _pairs_set(linguist, pairs)
    return linguist
