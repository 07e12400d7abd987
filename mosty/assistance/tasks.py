"""Notices about assistance, each in its recipient's language, through the messaging outbox
(and the bell), and the daily reminder."""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.accounts.models import Membership, Role, User
from mosty.assistance.models import (
    Assignment,
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    AssistantProfile,
    HoursFigure,
    ServiceLevelFigure,
)
from mosty.assistance.selectors import (
    hours_figures_of,
    request_cancelled_by_side,
    service_level_of,
)
from mosty.core.formats import language_name
from mosty.core.kept import keep, wanted_sets
from mosty.messaging.models import MessageStatus
from mosty.messaging.outbox import message_to_user, notify
from mosty.messaging.tasks import deliver

KINDS = ("request", "offer", "accepted", "cancelled", "withdrawn", "reminder", "released")


def _subject(kind: str, request: AssistanceRequest) -> str:
    when = date_format(timezone.localtime(request.starts_at), "SHORT_DATETIME_FORMAT")
    values = {"language": language_name(request.language), "when": when}
    if kind == "request":
        return _("New request for %(language)s on %(when)s") % values
    if kind == "offer":
        return _("Can you help? %(language)s on %(when)s") % values
    if kind == "accepted":
        return _("An assistant is confirmed for %(when)s") % values
    if kind in ("cancelled", "withdrawn"):
        return _("Cancelled: %(language)s on %(when)s") % values
    if kind == "released":
        return _("Open again: %(language)s on %(when)s") % values
    return _("Reminder: %(language)s tomorrow, %(when)s") % values


def _path(name: str, **kwargs: Any) -> str:
    return reverse(f"assistance:{name}", kwargs=kwargs or None)


def notice_render(payload: dict[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of an assistance notice in `language`, read when the outbox sends it
    (the payload holds ids, never the text): `mosty.messaging.catalog` calls it."""
    request = AssistanceRequest.objects.select_related("district").get(pk=payload["request_id"])
    user = User.objects.filter(pk=int(payload.get("user_id") or 0)).first()
    # A given-back assignment's reason (its payload names the assignment).
    released = Assignment.objects.filter(pk=int(payload.get("assignment_id") or 0)).first()
    with translation.override(language):
        context = {
            "kind": payload["kind"],
            "request": request,
            "user": user,
            "language": language_name(request.language),
            "language_with": language_name(request.language_with),
            "cancelled_side": request_cancelled_by_side(request),
            "release_reason": released.get_release_reason_display() if released else "",
            # The address is built inside the override, so it carries the recipient's language.
            "url": str(payload.get("base_url", "")).rstrip("/")
            + _path(str(payload["url_name"]), **payload.get("url_kwargs", {})),
        }
        return _subject(payload["kind"], request), render_to_string(
            "assistance/mail/notice.txt", context
        )


def _send(
    kind: str,
    request: AssistanceRequest,
    user: User,
    path: tuple[str, dict[str, Any]],
    base_url: str,
    key: str,
    assignment_id: int | None = None,
) -> int:
    """Through the outbox (status, retries, audit without the text, the bell beside it); sent
    at once, as this already runs in the worker."""
    if not user.email or not user.is_active:
        return 0
    url_name, url_kwargs = path
    template = f"assistance_{kind}"
    payload = {
        "kind": kind,
        "request_id": request.pk,
        "user_id": user.pk,
        "url_name": url_name,
        "url_kwargs": url_kwargs,
        "base_url": base_url,
    }
    if assignment_id is not None:
        payload["assignment_id"] = assignment_id
    message = message_to_user(user, template, payload, key=f"assistance:{key}:{user.pk}")
    if message.status != MessageStatus.QUEUED:
        return 0  # this notice went out (or was given up) before
    if message.attempts == 0:
        with translation.override(user.language):
            url = _path(url_name, **url_kwargs)
        notify([user], template, {"code": f"#{request.pk}"}, url=url)
    return int(deliver(message.pk) == MessageStatus.SENT)


@task()
def assistance_mail(
    *,
    kind: str,
    assignment_id: int | None = None,
    request_id: int | None = None,
    base_url: str = "",
) -> int:
    """One notice: `request` to the pool's coordinators, `offer`, `cancelled` and `reminder`
    to the assistant, `accepted` and `withdrawn` (someone else cancelled it) to the person who
    made the request, `released` (the assistant gave it back) to both the person who made it
    and the pool's coordinators."""
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
        if kind == "released":
            return _released_send(assignment, base_url)
        if kind == "accepted":
            creator = request.created_by
            if creator is None or assignment.status != AssignmentStatus.ACCEPTED:
                return 0
            path = ("request_detail", {"pk": request.pk})
            return _send(kind, request, creator, path, base_url, f"{kind}:{assignment.pk}")
        assistant = assignment.assistant.user
        path = ("offers" if kind == "offer" else "schedule", {})
        return _send(kind, request, assistant, path, base_url, f"{kind}:{assignment.pk}")
    if request_id is None:
        return 0
    found = AssistanceRequest.objects.filter(pk=request_id).first()
    if found is None:
        return 0
    if kind == "withdrawn":
        creator = found.created_by
        if creator is None or found.cancelled_at is None:
            return 0
        path = ("request_detail", {"pk": found.pk})
        return _send(kind, found, creator, path, base_url, f"withdrawn:{found.pk}")
    if kind != "request":
        return 0
    sent = 0
    for user in _coordinators(found):
        path = ("proposals", {"pk": found.pk})
        sent += _send(kind, found, user, path, base_url, f"request:{found.pk}")
    return sent


def _coordinators(request: AssistanceRequest) -> Any:
    """The coordinators of the pool a request is sent to."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=request.provider_id, role=Role.COORDINATOR, is_active=True
        ).values("user_id")
    )


def _released_send(assignment: Assignment, base_url: str) -> int:
    """The request is open again: its maker reads it, the pool's coordinators offer it anew
    (each once, also when the maker coordinates the pool too)."""
    request = assignment.request
    if assignment.status != AssignmentStatus.RELEASED:
        return 0
    key = f"released:{assignment.pk}"
    sent = 0
    told: set[int] = set()
    for user in _coordinators(request):
        path = ("proposals", {"pk": request.pk})
        sent += _send("released", request, user, path, base_url, key, assignment.pk)
        told.add(user.pk)
    creator = request.created_by
    if creator is not None and creator.pk not in told:
        path = ("request_detail", {"pk": request.pk})
        sent += _send("released", request, creator, path, base_url, key, assignment.pk)
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


@task()
def service_level_refresh() -> int:
    """Count the service level of every coordinator's set of pools again and keep it
    (`ServiceLevelFigure`): nightly, from MOSTY_DAILY_TASKS. Sets without a request are
    not kept (counted live, they cost nothing). One transaction, so the page reads the old
    figures or the new ones; one audit event for the whole refresh (numbers about
    organisations). Returns the number of sets kept."""
    now = timezone.now()
    providers = set(AssistanceRequest.objects.values_list("provider_id", flat=True).distinct())

    def count(pools: list[int] | None) -> dict[str, Any]:
        requests = AssistanceRequest.objects.all()
        if pools is not None:  # always a set: `all_too` is off
            requests = requests.filter(provider_id__in=pools)
        figures = service_level_of(requests, now=now)
        del figures["kept_at"]
        for row in figures["unanswered_by_language"]:
            del row["name"]  # said in the reader's language when read
        return figures

    return keep(
        ServiceLevelFigure,
        wanted_sets(lambda pools: bool(pools & providers), all_too=False),
        count,
        set_field="pools",
        event="mosty.assistance.service_level.refreshed",
    )


@task()
def hours_figures_refresh() -> int:
    """Count the hours report (per assistant and per institution, over the whole time) again
    for every coordinator's set of pools with logged hours, and for all pools (the
    administrator's report), and keep it (`HoursFigure`): nightly, from MOSTY_DAILY_TASKS.
    One transaction, so the page reads the old figures or the new ones; one audit event for
    the whole refresh. Returns the number of sets kept."""
    logged = set(
        AssignmentLog.objects.values_list("assignment__assistant__organisation_id", flat=True)
        .order_by()
        .distinct()
    )

    def count(pools: list[int] | None) -> dict[str, Any]:
        profiles = AssistantProfile.objects.all()
        if pools is not None:
            profiles = profiles.filter(organisation_id__in=pools)
        return hours_figures_of(profiles)

    return keep(
        HoursFigure,
        wanted_sets(lambda pools: bool(pools & logged), all_too=bool(logged)),
        count,
        set_field="pools",
        event="mosty.assistance.hours.refreshed",
    )
