from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
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


def _filters(request) -> tuple[AuditFilterForm, dict | None]:
    """The filter form and its filters; None when they are wrong (the form says why): an
    auditor who mistyped a date must not read the whole log as if it were the period."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    return form, (form.cleaned_data if form.is_valid() else None)


@routes.path("", name="audit_log")
@login_required
def audit_log(request):
    """The audit log, filtered. A function rather than a `ListPage`: the policy's own app
    imports no forms (contract `access-sees-models-only`), and `mosty.core.pages` does."""
    require(request.user, "audit.view")
    form, filters = _filters(request)
    events = audit_event_list(fetched_by=request.user, filters=filters or {})
    page = paginate(request, events if filters is not None else events.none(), per_page=50)
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
    if filters is None:
        # The list shows the errors beside the fields; nothing is exported.
        messages.error(request, _("Correct the filter before exporting the log."))
        return redirect(f"{reverse('access:audit_log')}?{request.GET.urlencode()}")
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
