import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.access.policy import require


def audit_event_list(*, fetched_by, filters: dict) -> QuerySet[AuditEvent]:
    require(fetched_by, "audit.view")
    qs = AuditEvent.objects.all()
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"].lower())
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(created_at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tz))
    if filters.get("date_to"):
        qs = qs.filter(
            created_at__lt=dt.datetime.combine(
                filters["date_to"] + dt.timedelta(days=1), dt.time.min, tz
            )
        )
    return qs.order_by("-created_at", "-id")
