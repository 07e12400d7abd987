from tests.access_matrix import Route
from tests.directory.factories import (
    HousingOfferFactory,
    LinguistFactory,
    LocationFactory,
    service_with_location,
)

EDITORS = frozenset({"admin", "coordinator", "caseworker", "institution_staff"})
HOUSING = frozenset({"admin", "coordinator", "caseworker"})
LINGUISTS = frozenset({"admin", "coordinator", "institution_staff"})
ADMIN = frozenset({"admin"})


def _service(world):
    return {"pk": service_with_location(world.org_a, district=world.district).pk}


def _location(world):
    return {"pk": LocationFactory(organisation=world.org_a).pk}


def _offer(world):
    return {"pk": HousingOfferFactory(organisation=world.org_a).pk}


def _linguist(world):
    return {"pk": LinguistFactory(organisation=world.org_a).pk}


def _listed_offer(world):
    """A list route with one offer of organisation A on it (so the read audit has a record)."""
    _offer(world)
    return {}


def _listed_linguist(world):
    _linguist(world)
    return {}


def _hsds_service(world):
    return {"hsds_id": service_with_location(world.org_a).hsds_id}


def _hsds_org(world):
    from mosty.directory.hsds import organisation_hsds_ids

    service_with_location(world.org_a)
    return {"hsds_id": organisation_hsds_ids([world.org_a.pk])[world.org_a.pk]}


def _hsds_service_at_location(world):
    from mosty.directory.models import ServiceAtLocation

    service = service_with_location(world.org_a)
    return {"hsds_id": ServiceAtLocation.objects.filter(service=service).first().hsds_id}


def _hsds_term(world):
    from mosty.directory.models import Category

    category = Category.objects.create(code="legal", name="Legal advice", taxonomy="mosty")
    return {"hsds_id": category.hsds_id}


def _hsds_taxonomy(world):
    from mosty.directory.hsds.export import taxonomy_id

    _hsds_term(world)
    return {"hsds_id": taxonomy_id("mosty")}


ROUTES = [
    # Public directory.
    Route("directory:list", public=True),
    Route("directory:map", public=True),
    Route("directory:map_data", public=True),
    Route("directory:service", public=True, kwargs=_service),
    Route("directory:districts", public=True),
    Route("directory:district", public=True, kwargs=lambda w: {"code": w.district.code}),
    # Editing by the organisation's staff; verification and import by admins.
    Route("directory:manage", allowed=EDITORS, org_scoped=False),
    Route("directory:service_create", allowed=EDITORS, org_scoped=False),
    Route("directory:service_edit", allowed=EDITORS, kwargs=_service),
    Route("directory:service_translate", allowed=EDITORS, kwargs=_service),
    Route("directory:service_verify", allowed=ADMIN, method="post", kwargs=_service, ok=(302,)),
    Route("directory:location_create", allowed=EDITORS, org_scoped=False),
    Route("directory:location_edit", allowed=EDITORS, kwargs=_location),
    Route("directory:hsds_import", allowed=ADMIN),
    # Housing offers: a shared pool for housing staff of every organisation.
    Route("directory:housing_list", allowed=HOUSING, org_scoped=False),
    Route("directory:housing_match", allowed=HOUSING, org_scoped=False),
    Route("directory:housing_create", allowed=EDITORS, org_scoped=False),
    Route(
        "directory:housing_detail",
        reads_personal=True,
        allowed=HOUSING | {"institution_staff"},
        kwargs=_offer,
        org_scoped=False,
        note="housing staff of any organisation see the pool; institution staff their own",
    ),
    Route("directory:housing_edit", allowed=EDITORS, kwargs=_offer),
    Route(
        "directory:housing_status",
        allowed=frozenset({"admin", "coordinator"}),
        method="post",
        kwargs=_offer,
        data=lambda w: {"status": "reserved"},
        ok=(302,),
        org_scoped=False,
    ),
    # Translators and interpreters.
    Route(
        "directory:linguist_list",
        reads_personal=True,
        kwargs=_listed_linguist,
        allowed=LINGUISTS,
        org_scoped=False,
    ),
    Route(
        "directory:linguist_create", allowed=frozenset({"admin", "coordinator"}), org_scoped=False
    ),
    Route(
        "directory:linguist_detail",
        reads_personal=True,
        allowed=LINGUISTS,
        kwargs=_linguist,
        org_scoped=False,
    ),
    Route("directory:linguist_edit", allowed=frozenset({"admin", "coordinator"}), kwargs=_linguist),
    # Open Referral HSDS: public read API and exports.
    Route("hsds:root", public=True, api=True),
    Route("hsds:services", public=True, api=True),
    Route("hsds:service", public=True, api=True, kwargs=_hsds_service),
    Route("hsds:organizations", public=True, api=True),
    Route("hsds:organization", public=True, api=True, kwargs=_hsds_org),
    Route("hsds:taxonomy_terms", public=True, api=True),
    Route("hsds:taxonomy_term", public=True, api=True, kwargs=_hsds_term),
    Route("hsds:taxonomies", public=True, api=True),
    Route("hsds:taxonomy", public=True, api=True, kwargs=_hsds_taxonomy),
    Route("hsds:service_at_locations", public=True, api=True),
    Route("hsds:service_at_location", public=True, api=True, kwargs=_hsds_service_at_location),
    Route("hsds:export_json", public=True),
    Route("hsds:export_datapackage", public=True),
]


def _service_input(world):
    return {"organisation": world.org_a.pk, "name": "Porady prawne", "languages": ["pl", "uk"]}


def _offer_input(world):
    return {
        "organisation": world.org_a.pk,
        "kind": "room",
        "title": "Pokój",
        "capacity": 2,
        "rent": "700.00",
        "available_from": "2030-01-01",
    }


def _linguist_input(world):
    return {"organisation": world.org_a.pk, "name": "Anna", "pairs": "uk-pl"}


ROUTES += [
    Route("api:service_list", public=True, api=True),
    Route("api:service_detail", public=True, api=True, kwargs=_service),
    Route(
        "api:service_create",
        allowed=EDITORS,
        api=True,
        method="post",
        data=_service_input,
        ok=(201,),
        denied=(403, 404, 400),
    ),
    Route(
        "api:service_update",
        allowed=EDITORS,
        api=True,
        method="patch",
        kwargs=_service,
        data=lambda w: {"name": "Nowa nazwa"},
    ),
    Route("api:district_detail", public=True, api=True, kwargs=lambda w: {"code": w.district.code}),
    Route(
        "api:housing_list",
        reads_personal=True,
        kwargs=_listed_offer,
        allowed=HOUSING,
        api=True,
        org_scoped=False,
    ),
    Route(
        "api:housing_create",
        allowed=EDITORS,
        api=True,
        method="post",
        data=_offer_input,
        ok=(201,),
    ),
    Route(
        "api:housing_match",
        reads_personal=True,
        kwargs=_listed_offer,
        allowed=HOUSING,
        api=True,
        org_scoped=False,
        query="size=2",
    ),
    Route(
        "api:housing_detail",
        reads_personal=True,
        allowed=HOUSING | {"institution_staff"},
        api=True,
        kwargs=_offer,
        org_scoped=False,
    ),
    Route(
        "api:housing_status",
        allowed=frozenset({"admin", "coordinator"}),
        api=True,
        method="post",
        kwargs=_offer,
        data=lambda w: {"status": "reserved"},
        org_scoped=False,
    ),
    Route(
        "api:linguist_list",
        reads_personal=True,
        kwargs=_listed_linguist,
        allowed=LINGUISTS,
        api=True,
        org_scoped=False,
    ),
    Route(
        "api:linguist_create",
        allowed=frozenset({"admin", "coordinator"}),
        api=True,
        method="post",
        data=_linguist_input,
        ok=(201,),
    ),
    Route(
        "api:linguist_detail",
        reads_personal=True,
        allowed=LINGUISTS,
        api=True,
        kwargs=_linguist,
        org_scoped=False,
    ),
]

ROUTES += [
    Route(
        "api:hsds_import",
        allowed=ADMIN,
        api=True,
        method="post",
        data=lambda w: [
            {"id": "5b0c3f0e-2d4a-4c1e-9f7b-6a8d9e0f1a2b", "name": "Nowa", "description": "X"}
        ],
    ),
]
