"""Mails about assistance, each in its recipient's language, and the daily reminder."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.accounts.models import Membership, Role, User
from mosty.assistance.models import Assignment, AssignmentStatus, AssistanceRequest
from mosty.core.formats import language_name

KINDS = ("request", "offer", "accepted", "cancelled", "reminder")


def _subject(kind: str, request: AssistanceRequest) -> str:
    when = date_format(timezone.localtime(request.starts_at), "SHORT_DATETIME_FORMAT")
    values = {"language": language_name(request.language), "when": when}
    if kind == "request":
        return _("New request for %(language)s on %(when)s") % values
    if kind == "offer":
        return _("Can you help? %(language)s on %(when)s") % values
    if kind == "accepted":
        return _("An assistant is confirmed for %(when)s") % values
    if kind == "cancelled":
        return _("Cancelled: %(language)s on %(when)s") % values
    return _("Reminder: %(language)s tomorrow, %(when)s") % values


def _send(kind: str, request: AssistanceRequest, user: User, path: str, base_url: str) -> int:
    if not user.email or not user.is_active:
        return 0
    with translation.override(user.language):
        context = {
            "kind": kind,
            "request": request,
            "user": user,
            "language": language_name(request.language),
            "language_with": language_name(request.language_with),
            "url": base_url.rstrip("/") + path,
        }
        subject = _subject(kind, request)
        body = render_to_string("assistance/mail/notice.txt", context)
        # The address is built inside the override, so it carries the recipient's language.
    return send_mail(subject, body, None, [user.email])


def _path(name: str, **kwargs: Any) -> str:
    return reverse(f"assistance:{name}", kwargs=kwargs or None)


@task()
def assistance_mail(
    *,
    kind: str,
    assignment_id: int | None = None,
    request_id: int | None = None,
    base_url: str = "",
) -> int:
    """One notice: `request` to the pool's coordinators, `offer`, `cancelled` and `reminder`
    to the assistant, `accepted` to the person who made the request."""
    if kind not in KINDS:
        return 0
    if assignment_id is not None:
        assignment = (
            Assignment.objects.select_related("request__district", "assistant__user")
            .filter(pk=assignment_id)
            .first()
        )
        if assignment is None:
            return 0
        request = assignment.request
        if kind == "accepted":
            creator = request.created_by
            if creator is None or assignment.status != AssignmentStatus.ACCEPTED:
                return 0
            with translation.override(creator.language):
                path = _path("request_detail", pk=request.pk)
            return _send(kind, request, creator, path, base_url)
        assistant = assignment.assistant.user
        with translation.override(assistant.language):
            path = _path("offers" if kind == "offer" else "schedule")
        return _send(kind, request, assistant, path, base_url)
    if request_id is None:
        return 0
    found = AssistanceRequest.objects.filter(pk=request_id).first()
    if found is None or kind != "request":
        return 0
    sent = 0
    coordinators = User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=found.provider_id, role=Role.COORDINATOR, is_active=True
        ).values("user_id")
    )
    for user in coordinators:
        with translation.override(user.language):
            path = _path("proposals", pk=found.pk)
        sent += _send(kind, found, user, path, base_url)
    return sent


@task()
def assignment_reminders_send() -> int:
    """Remind every assistant holding an assignment that starts tomorrow (once each)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    due = Assignment.objects.filter(
        status=AssignmentStatus.ACCEPTED,
        starts_at__gte=start,
        starts_at__lt=end,
        reminded_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        # Marked first, so a second run the same day never sends it twice.
        if Assignment.objects.filter(pk=pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            sent += assistance_mail.call(kind="reminder", assignment_id=pk)
    return sent
