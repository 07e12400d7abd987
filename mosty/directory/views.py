"""Directory pages: the public search, map, service and district pages; editing for
organisation staff; housing offers; the linguist base; HSDS import and export."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from mosty.access.audit import audit, audit_read
from mosty.access.domains.directory import hsds_export_services
from mosty.access.policy import can, require
from mosty.core.forms import add_service_errors
from mosty.core.pages import DetailPage, FormPage, ListPage
from mosty.core.pagination import paginate, query_without_page
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
from mosty.directory.models import Service


def _search_filters(request) -> tuple[ServiceSearchForm, dict]:
    form = ServiceSearchForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


def _saved(request, form, write, message):
    """Run a service write; on success say `message` and return its result, otherwise put the
    service's ValidationError beside the form's fields and return None."""
    try:
        result = write()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, message)
    return result


def _annotate_texts(services_page):
    for service in services_page:
        service.shown = selectors.service_text(service)


# Public directory ------------------------------------------------------------------------------


def service_list(request):
    require(request.user, "service.list")
    form, filters = _search_filters(request)
    qs = selectors.service_search(fetched_by=request.user, filters=filters)
    page = paginate(request, selectors.service_list_page_prefetch(qs))
    _annotate_texts(page)
    return render(
        request,
        "directory/service_list.html",
        {"page": page, "filters": form, "querystring": query_without_page(request)},
    )


def _map_places(request, filters: dict, limit: int) -> tuple[list[dict], bool]:
    """Service places with coordinates, named in the visitor's language, linked to the service
    page: (at most `limit` places, whether there were more)."""
    points = selectors.map_points(fetched_by=request.user, filters=filters, limit=limit + 1)
    lang = translation.get_language()
    names = selectors.translated_names(
        selectors.service_search(fetched_by=request.user, filters=filters), lang
    )
    # One reverse() for all markers (reversing each of thousands is slow); pk 0 marks the slot.
    prefix = reverse("directory:service", args=[0]).removesuffix("0/")
    for point in points:
        point["url"] = f"{prefix}{point['service']}/"
        point["name"] = names.get(point["service"], point["name"])
    return points[:limit], len(points) > limit


# Places drawn and listed on the map page; the list page pages through the rest.
MAP_PAGE_PLACES = 500


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
            "truncated": truncated,
            "place_limit": MAP_PAGE_PLACES,
            "tile_url": tile_url,
            "tile_attribution": settings.MOSTY_TILE_ATTRIBUTION,
        },
    )


@require_GET
def service_map_data(request):
    """Markers for the map as JSON: {"points": [...], "truncated": bool}."""
    require(request.user, "service.list")
    _form, filters = _search_filters(request)
    points, truncated = _map_places(request, filters, 5000)
    return JsonResponse({"points": points, "truncated": truncated})


def service_detail(request, pk: int):
    service = selectors.service_get(fetched_by=request.user, pk=pk)
    require(request.user, "service.view", service)
    shown = selectors.service_text(service)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
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
                for loc in service.locations.all()
                if loc.latitude is not None
            ],
        },
    )


def district_list(request):
    require(request.user, "district.view")
    districts = selectors.district_list_with_counts()
    return render(request, "directory/district_list.html", {"districts": districts})


def district_detail(request, code: str):
    require(request.user, "district.view")
    district = selectors.district_get(code=code)
    qs = selectors.service_search(fetched_by=request.user, filters={"district": code})
    page = paginate(request, selectors.service_list_page_prefetch(qs))
    _annotate_texts(page)
    organisations = selectors.district_organisations(district, limit=50)
    events = selectors.district_events(district)
    return render(
        request,
        "directory/district_detail.html",
        {
            "district": district,
            "page": page,
            "organisations": organisations,
            "events": events,
            "querystring": query_without_page(request),
        },
    )


# Editing ---------------------------------------------------------------------------------------


@login_required
def manage(request):
    require(request.user, "service.manage")
    services_qs = selectors.editable_services(request.user).select_related("organisation")
    page = paginate(request, services_qs.order_by("organisation__name", "name"))
    locations = (
        selectors.editable_locations(request.user)
        .select_related("organisation", "district")
        .order_by("organisation__name", "name")[:100]
    )
    return render(
        request,
        "directory/manage.html",
        {"page": page, "locations": locations, "querystring": query_without_page(request)},
    )


@login_required
def service_create(request):
    require(request.user, "service.create")
    form = ServiceForm(
        request.POST or None, organisations=selectors.editor_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        service = _saved(
            request,
            form,
            lambda: services.service_create(by=request.user, **form.service_data()),
            _("Service created."),
        )
        if service:
            return redirect("directory:service", pk=service.pk)
    return render(request, "directory/service_form.html", {"form": form})


def _editable_service(request, pk: int) -> Service:
    service = selectors.editable_service_get(fetched_by=request.user, pk=pk)
    require(request.user, "service.change", service)
    return service


@login_required
def service_edit(request, pk: int):
    service = _editable_service(request, pk)
    form = ServiceForm(
        request.POST or None,
        instance=service,
        organisations=selectors.editor_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        # The form has written its values onto `service`; the service compares with the stored row.
        fresh = _editable_service(request, pk)
        if _saved(
            request,
            form,
            lambda: services.service_update(service=fresh, by=request.user, **form.service_data()),
            _("Changes saved."),
        ):
            return redirect("directory:service", pk=pk)
    translations = selectors.service_translation_list(service)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "service": service, "translations": translations},
    )


@login_required
def service_translate(request, pk: int):
    service = _editable_service(request, pk)
    language = request.GET.get("language") or request.POST.get("language") or ""
    existing = selectors.service_translation_list(service).filter(language=language).first()
    initial = {"language": language, "status": "published"}
    if existing:
        initial.update(
            name=existing.name,
            description=existing.description,
            eligibility=existing.eligibility,
            status=existing.status,
            machine_translated=existing.machine_translated,
        )
    form = ServiceTranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.service_translation_save(
                service=service, by=request.user, **form.cleaned_data
            ),
            _("Translation saved."),
        ):
            return redirect("directory:service_edit", pk=pk)
    return render(
        request,
        "directory/service_translation_form.html",
        {"form": form, "service": service, "existing": existing},
    )


@login_required
@require_POST
def service_verify(request, pk: int):
    service = get_object_or_404(selectors.visible_services(request.user), pk=pk)
    require(request.user, "service.verify", service)
    services.service_verify(service=service, by=request.user)
    messages.success(request, _("Marked as checked today."))
    return redirect("directory:service", pk=pk)


@login_required
def location_create(request):
    require(request.user, "service.create")
    form = LocationForm(
        request.POST or None, organisations=selectors.editor_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.location_create(by=request.user, **form.cleaned_data),
            _("Location created."),
        ):
            return redirect("directory:manage")
    return render(request, "directory/location_form.html", {"form": form})


@login_required
def location_edit(request, pk: int):
    location = get_object_or_404(selectors.editable_locations(request.user), pk=pk)
    require(request.user, "location.change", location)
    form = LocationForm(
        request.POST or None,
        instance=location,
        organisations=selectors.editor_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.location_update(
                location=location, by=request.user, **form.cleaned_data
            ),
            _("Changes saved."),
        ):
            return redirect("directory:manage")
    return render(request, "directory/location_form.html", {"form": form, "location": location})


# HSDS import and export ------------------------------------------------------------------------


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
        response = HttpResponse(hsds.to_json(tables), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="mosty-hsds.json"'
        return response
    response = HttpResponse(hsds.to_datapackage(tables), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mosty-hsds-datapackage.zip"'
    return response


# Housing ---------------------------------------------------------------------------------------


@login_required
def housing_list(request):
    require(request.user, "housing.list")
    filters = HousingFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.housing_offer_list(fetched_by=request.user, filters=cleaned))
    return render(
        request,
        "directory/housing_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


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


@login_required
def housing_create(request):
    require(request.user, "housing.create")
    form = HousingOfferForm(
        request.POST or None, organisations=selectors.editor_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        offer = _saved(
            request,
            form,
            lambda: services.housing_offer_create(by=request.user, **form.cleaned_data),
            _("Housing offer registered."),
        )
        if offer:
            if can(request.user, "housing.view", offer):
                return redirect("directory:housing_detail", pk=offer.pk)
            return redirect("directory:manage")
    return render(request, "directory/housing_form.html", {"form": form})


@login_required
def housing_detail(request, pk: int):
    offer = selectors.housing_offer_read(fetched_by=request.user, pk=pk)
    return render(
        request,
        "directory/housing_detail.html",
        {"offer": offer, "status_form": HousingStatusForm(initial={"status": offer.status})},
    )


@login_required
def housing_edit(request, pk: int):
    offer = selectors.housing_offer_get(fetched_by=request.user, pk=pk)
    require(request.user, "housing.change", offer)
    form = HousingOfferForm(
        request.POST or None,
        instance=offer,
        organisations=selectors.editor_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.housing_offer_update(
                offer=offer, by=request.user, **form.cleaned_data
            ),
            _("Changes saved."),
        ):
            return redirect("directory:housing_detail", pk=pk)
    return render(request, "directory/housing_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def housing_status(request, pk: int):
    offer = selectors.housing_offer_get(fetched_by=request.user, pk=pk)
    require(request.user, "housing.set_status", offer)
    form = HousingStatusForm(request.POST)
    if form.is_valid():
        try:
            services.housing_offer_set_status(
                offer=offer,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("directory:housing_detail", pk=pk)


# Linguists -------------------------------------------------------------------------------------


class LinguistList(ListPage):
    permission = "linguist.list"
    template_name = "directory/linguist_list.html"
    filter_form = LinguistSearchForm
    audit_fields = ("name",)

    def rows(self, filters):
        return selectors.linguist_search(fetched_by=self.user, filters=filters)


class LinguistDetail(DetailPage):
    template_name = "directory/linguist_detail.html"
    context_object_name = "linguist"

    def get_object(self):
        # linguist_read checks `linguist.view` and records the read of the contact.
        return selectors.linguist_read(fetched_by=self.user, pk=self.kwargs["pk"])


class LinguistCreate(FormPage):
    permission = "linguist.create"
    template_name = "directory/linguist_form.html"
    form_class = LinguistForm
    success_message = _lazy("Linguist added.")

    def form_kwargs(self):
        return {"organisations": selectors.linguist_organisations(self.user)}

    def save(self, form):
        return services.linguist_create(by=self.user, **form.cleaned_data)

    def success_url(self, linguist):
        return reverse("directory:linguist_detail", args=[linguist.pk])


class LinguistEdit(LinguistCreate):
    permission = "linguist.change"
    context_object_name = "linguist"
    success_message = _lazy("Changes saved.")

    def get_object(self):
        return selectors.linguist_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def form_kwargs(self):
        return {**super().form_kwargs(), "instance": self.object}

    def save(self, form):
        return services.linguist_update(linguist=self.object, by=self.user, **form.cleaned_data)
