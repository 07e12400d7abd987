from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.forms import AuditFilterForm
from mosty.access.policy import require
from mosty.access.selectors import audit_event_list
from mosty.core.exports import csv_response
from mosty.core.pagination import paginate, query_without_page
from mosty.core.routing import Routes

routes = Routes()

CSV_COLUMNS = [
    "created_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "fields",
    "details",
    "ip_address",
    "request_id",
]


def _filters(request) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@routes.path("", name="audit_log")
@login_required
def audit_log(request):
    """The audit log, filtered. A function rather than a `ListPage`: the policy's own app
    imports no forms (contract `access-sees-models-only`), and `mosty.core.pages` does."""
    require(request.user, "audit.view")
    form, filters = _filters(request)
    page = paginate(
        request, audit_event_list(fetched_by=request.user, filters=filters), per_page=50
    )
    return render(
        request,
        "access/audit_log.html",
        {
            "title": _("Audit log"),
            "page": page,
            "filters": form,
            "querystring": query_without_page(request),
        },
    )


@routes.path("export.csv", name="audit_export")
@login_required
def audit_export(request):
    require(request.user, "audit.view")
    form, filters = _filters(request)
    events = audit_event_list(fetched_by=request.user, filters=filters)
    audit(
        request.user,
        "mosty.access.audit.exported",
        details={"filters": request.GET.urlencode()[:500]},
    )
    rows = (
        [value.isoformat() if hasattr(value, "isoformat") else value for value in event]
        for event in events.values_list(*CSV_COLUMNS).iterator(chunk_size=2000)
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"mosty-audit-{stamp}.csv", CSV_COLUMNS, rows, stream=True)
