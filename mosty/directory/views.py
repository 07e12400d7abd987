"""Directory pages: the public search, map, service and district pages; editing for
organisation staff; housing offers; the linguist base; HSDS import and export."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from mosty.access.audit import audit, audit_read
from mosty.access.domains.directory import hsds_export_services
from mosty.access.policy import can, require
from mosty.core.collation import by_name
from mosty.core.exports import download_response
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, SimpleFormPage
from mosty.core.routing import Routes
from mosty.core.uploads import read_upload
from mosty.directory import hsds, selectors, services, vector_map
from mosty.directory.forms import (
    HousingFilterForm,
    HousingNeedForm,
    HousingOfferForm,
    HousingStatusForm,
    HsdsImportForm,
    LinguistForm,
    LinguistSearchForm,
    LocationForm,
    ServiceForm,
    ServiceSearchForm,
    ServiceTranslationForm,
)

routes = Routes()


def _search_filters(request) -> tuple[ServiceSearchForm, dict]:
    form = ServiceSearchForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


class ServicePage(ListPage):
    """A list of services a visitor reads: each in their language where a translation exists
    (`service.shown`)."""

    public = True

    def page_context(self, page):
        for service in page:
            service.shown = selectors.service_text(service)
        return {}


# Public directory ------------------------------------------------------------------------------


@routes.path("", name="list")
class ServiceList(ServicePage):
    permission = "service.list"
    template_name = "directory/service_list.html"
    title = gettext_lazy("Services directory")
    filter_form = ServiceSearchForm

    def rows(self, filters):
        qs = selectors.service_search(fetched_by=self.user, filters=filters)
        return selectors.service_list_page_prefetch(qs)


def _map_places(request, filters: dict, limit: int) -> tuple[list[dict], bool]:
    """Service places with coordinates, named in the visitor's language, linked to the service
    page: (at most `limit` places, whether there were more)."""
    points = selectors.map_points(fetched_by=request.user, filters=filters, limit=limit + 1)
    lang = translation.get_language()
    # Names of the services drawn only, not of every service found.
    names = selectors.translated_names(
        selectors.service_search(fetched_by=request.user, filters=filters).filter(
            pk__in={point["service"] for point in points}
        ),
        lang,
    )
    # One reverse() for all markers (reversing each of thousands is slow); pk 0 marks the slot.
    prefix = reverse("directory:service", args=[0]).removesuffix("0/")
    for point in points:
        point["url"] = f"{prefix}{point['service']}/"
        point["name"] = names.get(point["service"], point["name"])
    return points[:limit], len(points) > limit


# Places drawn and listed on the map page; the list page pages through the rest.
MAP_PAGE_PLACES = 500


@routes.path("map/", name="map")
def service_map(request):
    require(request.user, "service.list")
    form, filters = _search_filters(request)
    counts = selectors.district_service_counts(fetched_by=request.user, filters=filters)
    districts = [
        {
            "code": d.code,
            "name": d.name,
            "lat": d.latitude,
            "lon": d.longitude,
            "outline": d.outline,
            "url": reverse("directory:district", args=[d.code]),
            "count": counts.get(d.code, 0),
        }
        for d in selectors.district_list()
    ]
    places, truncated = _map_places(request, filters, MAP_PAGE_PLACES)
    tile_url = settings.MOSTY_TILE_URL
    return render(
        request,
        "directory/service_map.html",
        {
            "filters": form,
            "querystring": request.GET.urlencode(),
            # Tiles configured: the script map (Leaflet) over them; otherwise drawn here.
            "districts": districts if tile_url else None,
            "vector_map": None if tile_url else vector_map.draw(districts, places),
            "listed_districts": [d for d in districts if d["count"]],
            "places": places,
            "place_items": vector_map.place_items(places),
            "truncated": truncated,
            "place_limit": MAP_PAGE_PLACES,
            "tile_url": tile_url,
            "tile_attribution": settings.MOSTY_TILE_ATTRIBUTION,
        },
    )


@routes.path("map/data.json", name="map_data")
@require_GET
def service_map_data(request):
    """Markers for the map as JSON: {"points": [...], "truncated": bool}."""
    require(request.user, "service.list")
    _form, filters = _search_filters(request)
    points, truncated = _map_places(request, filters, 5000)
    return JsonResponse({"points": points, "truncated": truncated})


@routes.path("services/<int:pk>/", name="service")
class ServiceDetail(DetailPage):
    public = True
    permission = "service.view"
    template_name = "directory/service_detail.html"
    context_object_name = "service"
    selector = selectors.service_get

    def extra_context(self):
        shown = selectors.service_text(self.object)
        return {
            "shown": shown,
            "shown_language_name": translation.get_language_info(shown.language)["name_local"]
            if shown.language in dict(settings.LANGUAGES)
            else shown.language,
            "tile_url": settings.MOSTY_TILE_URL,
            "tile_attribution": settings.MOSTY_TILE_ATTRIBUTION,
            "points": [
                {
                    "name": loc.name,
                    "lat": loc.latitude,
                    "lon": loc.longitude,
                    "address": loc.address_line,
                }
                for loc in self.object.locations.all()
                if loc.latitude is not None
            ],
        }


@routes.path("districts/", name="districts")
def district_list(request):
    """Every district with its count (a city has tens, so no pages)."""
    require(request.user, "district.view")
    districts = selectors.district_list_with_counts()
    return render(request, "directory/district_list.html", {"districts": districts})


@routes.path("districts/<slug:code>/", name="district")
class DistrictDetail(ServicePage):
    """A district and the services offered in it."""

    permission = "district.view"
    template_name = "directory/district_detail.html"

    def rows(self, filters):
        self.district = selectors.district_get(code=self.kwargs["code"])
        qs = selectors.service_search(
            fetched_by=self.user, filters={"district": self.district.code}
        )
        return selectors.service_list_page_prefetch(qs)

    def extra_context(self):
        return {
            "district": self.district,
            "organisations": selectors.district_organisations(self.district, limit=50),
            "events": selectors.district_events(self.district),
        }


# Editing ---------------------------------------------------------------------------------------


@routes.path("manage/", name="manage")
class Manage(ListPage):
    """The services and locations a member of staff may edit."""

    permission = "service.manage"
    template_name = "directory/manage.html"

    def rows(self, filters):
        return (
            selectors.editable_services(self.user)
            .select_related("organisation")
            .order_by(*by_name("organisation__name", "name"))
        )

    def extra_context(self):
        locations = (
            selectors.editable_locations(self.user)
            .select_related("organisation", "district")
            .order_by(*by_name("organisation__name", "name"))[:100]
        )
        return {"locations": locations}


class OwnedRecordFormPage(FormPage):
    """Create or edit a directory record through an `OwnedRecordForm`: the form offers the
    organisations the user may file it under, and the `service` gets the form's
    `record_data()` (with the record as `object_kwarg` on an edit)."""

    def form_kwargs(self):
        kwargs = {"organisations": selectors.editor_organisations(self.user)}
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def call_service(self, form):
        target = {self.object_kwarg: self.object} if self.object_kwarg else {}
        return type(self).service(**target, by=self.user, **form.record_data())


@routes.path("manage/services/new/", name="service_create")
class ServiceCreate(OwnedRecordFormPage):
    permission = "service.create"
    template_name = "directory/service_form.html"
    form_class = ServiceForm
    success_message = gettext_lazy("Service created.")
    success_detail = "directory:service"
    service = services.service_create


class EditableServicePage(FormPage):
    """A form about one service the user may edit."""

    permission = "service.change"
    context_object_name = "service"
    selector = selectors.editable_service_get


@routes.path("manage/services/<int:pk>/edit/", name="service_edit")
class ServiceEdit(EditableServicePage, ServiceCreate):
    success_message = gettext_lazy("Changes saved.")

    def save(self, form):
        # The form has written its values onto `self.object`; the service compares the texts
        # with the stored row to know whether translations are now outdated.
        stored = self.get_object()
        return services.service_update(service=stored, by=self.user, **form.record_data())

    def extra_context(self):
        return {"translations": selectors.service_translation_list(self.object)}


@routes.path("manage/services/<int:pk>/translate/", name="service_translate")
class ServiceTranslate(EditableServicePage):
    template_name = "directory/service_translation_form.html"
    form_class = ServiceTranslationForm
    success_message = gettext_lazy("Translation saved.")
    object_detail = "directory:service_edit"

    @cached_property
    def existing(self):
        """The translation being edited: the language comes in the link, then in the form."""
        language = self.request.GET.get("language") or self.request.POST.get("language") or ""
        self.language = language
        return selectors.service_translation_list(self.object).filter(language=language).first()

    def initial(self):
        existing = self.existing
        initial = {"language": self.language, "status": "published"}
        if existing:
            initial.update(
                name=existing.name,
                description=existing.description,
                eligibility=existing.eligibility,
                status=existing.status,
                machine_translated=existing.machine_translated,
            )
        return initial

    def save(self, form):
        return services.service_translation_save(
            service=self.object, by=self.user, **form.cleaned_data
        )

    def extra_context(self):
        return {"existing": self.existing}


@routes.path("services/<int:pk>/verify/", name="service_verify")
class ServiceVerify(ActionPage):
    permission = "service.verify"
    success_message = gettext_lazy("Marked as checked today.")
    selector = selectors.service_find
    success_detail = "directory:service"
    service = services.service_verify
    object_kwarg = "service"


@routes.path("manage/locations/new/", name="location_create")
class LocationCreate(OwnedRecordFormPage, SimpleFormPage):
    permission = "service.create"
    form_class = LocationForm
    success_message = gettext_lazy("Location created.")
    create_title = gettext_lazy("New location")
    edit_title = gettext_lazy("Edit location")
    cancel_list = "directory:manage"
    success_list = "directory:manage"
    service: ClassVar[Any] = services.location_create  # the edit page names its own


@routes.path("manage/locations/<int:pk>/edit/", name="location_edit")
class LocationEdit(LocationCreate):
    permission = "location.change"
    context_object_name = "location"
    success_message = gettext_lazy("Changes saved.")
    selector = selectors.editable_location_get
    service = services.location_update
    object_kwarg = "location"


# HSDS import and export ------------------------------------------------------------------------


@routes.path("manage/hsds-import/", name="hsds_import")
@login_required
def hsds_import(request):
    """Upload -> a preview of what would be created, updated and left alone; the same file
    and source sent again with the preview's fingerprint -> the import."""
    require(request.user, "hsds.import")
    form = HsdsImportForm(request.POST or None, request.FILES or None)
    report, errors, fingerprint = None, [], ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = read_upload(upload)
        source = form.cleaned_data["source"]
        fingerprint = hashlib.sha256(content + b"\0" + source.encode()).hexdigest()
        preview = form.cleaned_data["previewed"] != fingerprint
        try:
            tables = hsds.parse_upload(upload.name, content)
            report = hsds.hsds_import(
                tables=tables, by=request.user, source=source, preview=preview
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except hsds.HsdsImportError as exc:
            errors = exc.report.errors
            form.add_error(
                "file",
                _("The file has %(count)s errors; nothing was imported.") % {"count": len(errors)},
            )
        else:
            if not preview:
                messages.success(request, _("Import finished."))
    if report is not None and report.preview:
        form = HsdsImportForm(
            initial={"source": form.cleaned_data["source"], "previewed": fingerprint}
        )
    return render(
        request,
        "directory/hsds_import.html",
        {
            "form": form,
            "report": report,
            # Plain dicts: a defaultdict would answer the template's `.items` lookup with 0.
            "created": dict(report.created) if report else {},
            "updated": dict(report.updated) if report else {},
            "left_alone": dict(report.left_alone) if report else {},
            "errors": errors[:200],
            "error_count": len(errors),
        },
    )


@require_GET
def hsds_export(request, fmt: str):
    require(request.user, "hsds.export")
    tables = hsds.export_tables(hsds_export_services(request.user))
    audit(request.user, "mosty.directory.hsds.exported", details={"format": fmt})
    if fmt == "json":
        return download_response(hsds.to_json(tables), "mosty-hsds.json", "application/json")
    return download_response(
        hsds.to_datapackage(tables), "mosty-hsds-datapackage.zip", "application/zip"
    )


# Housing ---------------------------------------------------------------------------------------


@routes.path("housing/", name="housing_list")
class HousingList(ListPage):
    permission = "housing.list"
    template_name = "directory/housing_list.html"
    title = gettext_lazy("Housing offers")
    filter_form = HousingFilterForm
    selector = selectors.housing_offer_list


@routes.path("housing/match/", name="housing_match")
@login_required
def housing_match(request):
    require(request.user, "housing.list")
    households = selectors.households_needing_housing(request.user)
    form = HousingNeedForm(request.GET or None, households=households)
    matches, household = None, None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        household = data["household"]
        if household is not None:
            audit_read(request.user, household, fields=["members"])
        matches = selectors.housing_matches(
            fetched_by=request.user, need=selectors.HousingNeed.from_cleaned(data)
        )
    return render(
        request,
        "directory/housing_match.html",
        {"form": form, "matches": matches, "household": household},
    )


@routes.path("housing/new/", name="housing_create")
class HousingCreate(OwnedRecordFormPage, SimpleFormPage):
    permission = "housing.create"
    form_class = HousingOfferForm
    success_message = gettext_lazy("Housing offer registered.")
    create_title = gettext_lazy("Register a housing offer")
    edit_title = gettext_lazy("Edit housing offer")
    cancel_detail = "directory:housing_detail"
    cancel_list = "directory:housing_list"
    service: ClassVar[Any] = services.housing_offer_create  # the edit page names its own

    def success_url(self, offer):
        # Staff who register offers for their organisation may not be the ones who read them.
        if can(self.user, "housing.view", offer):
            return reverse("directory:housing_detail", args=[offer.pk])
        return reverse("directory:manage")

    def cancel_url(self) -> str:
        # Nor the ones who read the list of offers: they came from the directory's pages.
        if self.object is None and not can(self.user, "housing.list"):
            return reverse("directory:manage")
        return super().cancel_url()


@routes.path("housing/<int:pk>/", name="housing_detail")
class HousingDetail(DetailPage):
    template_name = "directory/housing_detail.html"
    context_object_name = "offer"
    # housing_offer_read checks `housing.view` and records the read of the contact.
    selector = selectors.housing_offer_read

    def extra_context(self):
        return {"status_form": HousingStatusForm(initial={"status": self.object.status})}


@routes.path("housing/<int:pk>/edit/", name="housing_edit")
class HousingEdit(HousingCreate):
    permission = "housing.change"
    context_object_name = "offer"
    success_message = gettext_lazy("Changes saved.")
    selector = selectors.housing_offer_get
    success_detail = "directory:housing_detail"
    service = services.housing_offer_update
    object_kwarg = "offer"


@routes.path("housing/<int:pk>/status/", name="housing_status")
class HousingStatusChange(ActionPage):
    permission = "housing.set_status"
    form_class = HousingStatusForm
    success_message = gettext_lazy("Status changed.")
    invalid_message = gettext_lazy("Choose a valid status.")
    selector = selectors.housing_offer_get
    success_detail = "directory:housing_detail"
    service = services.housing_offer_set_status
    object_kwarg = "offer"


# Linguists -------------------------------------------------------------------------------------


@routes.path("linguists/", name="linguist_list")
class LinguistList(ListPage):
    permission = "linguist.list"
    template_name = "directory/linguist_list.html"
    title = gettext_lazy("Translators and interpreters")
    filter_form = LinguistSearchForm
    audit_fields = ("name",)
    selector = selectors.linguist_search


@routes.path("linguists/<int:pk>/", name="linguist_detail")
class LinguistDetail(DetailPage):
    template_name = "directory/linguist_detail.html"
    context_object_name = "linguist"
    # linguist_read checks `linguist.view` and records the read of the contact.
    selector = selectors.linguist_read


@routes.path("linguists/new/", name="linguist_create")
class LinguistCreate(OwnedRecordFormPage, SimpleFormPage):
    permission = "linguist.create"
    form_class = LinguistForm
    success_message = gettext_lazy("Linguist added.")
    success_detail = "directory:linguist_detail"
    create_title = gettext_lazy("Add a linguist")
    edit_title = gettext_lazy("Edit linguist")
    cancel_detail = "directory:linguist_detail"
    cancel_list = "directory:linguist_list"
    service: ClassVar[Any] = services.linguist_create  # the edit page names its own

    def form_kwargs(self):
        return {
            **super().form_kwargs(),
            "organisations": selectors.linguist_organisations(self.user),
        }


@routes.path("linguists/<int:pk>/edit/", name="linguist_edit")
class LinguistEdit(LinguistCreate):
    permission = "linguist.change"
    context_object_name = "linguist"
    success_message = gettext_lazy("Changes saved.")
    selector = selectors.linguist_get
    service = services.linguist_update
    object_kwarg = "linguist"
