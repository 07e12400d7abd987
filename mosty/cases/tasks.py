"""Background work of cases: reminders for plan tasks that are due soon."""

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.cases.models import OPEN_TASK_STATUSES, AssigneeKind, Task
from mosty.messaging import triggers


def _recipient(item: Task) -> tuple[str, str] | None:
    """(e-mail, language) of whoever must do the task."""
    if item.assignee_kind == AssigneeKind.PARTNER:
        org = item.assignee_organisation
        return (org.email, "pl") if org is not None and org.email else None
    user = item.assignee_user
    return (user.email, user.language) if user is not None and user.is_active else None


@task()
def task_remind(task_id: int) -> bool:
    """Remind the assignee of one open task; each task is reminded once."""
    from mosty.accounts.tasks import send_email

    with transaction.atomic():
        item = (
            Task.objects.select_for_update(of=("self",))
            .select_related("assignee_user", "assignee_organisation", "goal")
            .filter(pk=task_id, status__in=OPEN_TASK_STATUSES, reminded_at__isnull=True)
            .first()
        )
        if item is None:
            return False
        recipient = _recipient(item)
        if recipient is None:
            return False
        item.reminded_at = timezone.now()
        item.save(update_fields=["reminded_at"])
        triggers.task_due(item)
    email, language = recipient
    with translation.override(language):
        # No participant names in mail: the title of the task and its date only.
        subject = _("Reminder: a task is due soon")
        body = _("The task “%(title)s” is due on %(due)s.") % {
            "title": item.title,
            "due": item.due_date.isoformat() if item.due_date else "—",
        }
    send_email.call(subject=subject, body=body, to=[email])
    return True


@task()
def task_reminders_sweep(days: int = 2) -> int:
    """Enqueue reminders for every open task due within `days` (a daily safety net)."""
    horizon = timezone.localdate() + datetime.timedelta(days=days)
    ids = list(
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES, reminded_at__isnull=True, due_date__lte=horizon
        ).values_list("pk", flat=True)
    )
    for task_id in ids:
        task_remind.enqueue(task_id)
    return len(ids)
