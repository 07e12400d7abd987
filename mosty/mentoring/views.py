from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mosty.access.audit import audit, audit_read, audit_reads
from mosty.access.domains.mentoring import matchable_participants
from mosty.access.policy import can, require
from mosty.core.forms import add_service_errors as _errors_to_form
from mosty.core.pagination import paginate, query_without_page
from mosty.core.ratelimit import public_form_spent, spent_message
from mosty.mentoring import selectors, services
from mosty.mentoring.forms import (
    CheckInForm,
    EndForm,
    HandMatchForm,
    MeetingForm,
    MentorApplicationForm,
    MentorFilterForm,
    OwnAvailabilityForm,
    ProfileForm,
    SwapForm,
    VettingForm,
)
from mosty.mentoring.matching import explain, unmatched_text
from mosty.mentoring.models import VETTING_NEXT, MatchStatus, MentoringProfile, VettingStatus


# -- public sign-up ---------------------------------------------------------------------------
def mentor_apply(request):
    require(request.user, "mentor.apply")
    form = MentorApplicationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        if public_form_spent(request, "mentor_apply"):
            form.add_error(None, spent_message())
            return render(request, "mentoring/apply.html", {"form": form}, status=429)
        data = form.application()
        try:
            services.mentor_apply(**data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("mentoring:applied")
    return render(request, "mentoring/apply.html", {"form": form})


def mentor_applied(request):
    return render(request, "mentoring/applied.html")


# -- coordinators: mentors and vetting --------------------------------------------------------
@login_required
def mentor_list(request):
    require(request.user, "mentor.list")
    filters = MentorFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.mentor_list(fetched_by=request.user, filters=cleaned))
    audit_reads(request.user, page, fields=["name", "kind", "district", "status"])
    return render(
        request,
        "mentoring/mentor_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


def _next_steps(mentor) -> list[str]:
    steps = [
        s
        for s in VETTING_NEXT[VettingStatus(mentor.status)]
        if not (s == VettingStatus.CERTIFICATE_CHECKED and mentor.certificate_checked_at)
    ]
    if mentor.status not in (VettingStatus.APPROVED, VettingStatus.REJECTED):
        steps.append(VettingStatus.REJECTED)
    return steps


@login_required
def mentor_detail(request, pk: int):
    mentor = selectors.mentor_get(fetched_by=request.user, pk=pk)
    require(request.user, "mentor.view", mentor)
    audit_read(request.user, mentor)
    steps = _next_steps(mentor)
    coordinator = can(request.user, "mentor.vet", mentor)
    form = VettingForm(steps=steps) if steps and coordinator else None
    return render(
        request,
        "mentoring/mentor_detail.html",
        {
            "mentor": mentor,
            "coordinator": coordinator,
            "form": form,
            "history": mentor.vetting_steps.select_related("decided_by"),
            "matches": mentor.matches.exclude(status=MatchStatus.DECLINED).select_related(
                "participant"
            ),
        },
    )


@login_required
@require_POST
def mentor_vet(request, pk: int):
    mentor = selectors.mentor_get(fetched_by=request.user, pk=pk)
    require(request.user, "mentor.vet", mentor)
    form = VettingForm(request.POST, steps=_next_steps(mentor))
    if form.is_valid():
        try:
            services.mentor_vet(
                mentor=mentor,
                step=form.cleaned_data["step"],
                note=form.cleaned_data["note"],
                by=request.user,
                login_url=request.build_absolute_uri(reverse("account_reset_password")),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Vetting step recorded."))
            return redirect("mentoring:mentor_detail", pk=pk)
    return render(
        request,
        "mentoring/mentor_detail.html",
        {
            "mentor": mentor,
            "coordinator": True,
            "form": form,
            "history": mentor.vetting_steps.select_related("decided_by"),
            "matches": mentor.matches.none(),
        },
        status=400,
    )


# -- coordinators: matching -------------------------------------------------------------------
MATCHING_PAGE = 50


def _hand_form(request, data=None):
    from mosty.access.domains.mentoring import visible_mentors
    from mosty.mentoring.engine_data import waiting_participants

    return HandMatchForm(
        data,
        participants=waiting_participants(matchable_participants(request.user)).order_by(
            "first_name", "pk"
        ),
        mentors=visible_mentors(request.user)
        .filter(status=VettingStatus.APPROVED)
        .order_by("name", "pk"),
    )


def _swap_form(request, data=None):
    return SwapForm(data, proposals=selectors.proposed_matches(fetched_by=request.user))


@login_required
def matching(request):
    """The stored proposals of the newest matching run, a page at a time (the engine runs in
    the background: `matching_recompute`), and how fresh they are."""
    require(request.user, "matching.run")
    runs = selectors.matching_runs(fetched_by=request.user)
    run = runs.latest
    proposals_page = unmatched_page = None
    proposals, unmatched = [], []
    if run is not None:
        # Best proposals first, a page at a time: a large programme has thousands.
        proposals_page = paginate(
            request,
            selectors.matching_proposals(fetched_by=request.user, run=run),
            per_page=MATCHING_PAGE,
        )
        unmatched_page = paginate(
            request,
            selectors.matching_unmatched(fetched_by=request.user, run=run),
            per_page=MATCHING_PAGE,
            param="upage",
        )
        proposals = [
            {
                "participant": x.participant,
                "mentor": x.mentor,
                "score": round(x.score * 100),
                "text": explain(x.parts),
            }
            for x in proposals_page
        ]
        unmatched = [
            {"participant": u.participant, "reason": unmatched_text(u.parts)}
            for u in unmatched_page
        ]
        audit_reads(
            request.user,
            [x.participant for x in proposals_page] + [u.participant for u in unmatched_page],
            fields=["first_name", "last_name"],
        )
    audit(
        request.user,
        "mosty.mentoring.matching.viewed",
        run,
        details={"proposals": len(proposals), "unmatched": len(unmatched)},
    )
    return render(
        request,
        "mentoring/matching.html",
        {
            "run": run,
            "pending_run": runs.pending,
            "failed_run": runs.failed,
            "proposals": proposals,
            "unmatched": unmatched,
            "proposals_page": proposals_page,
            "unmatched_page": unmatched_page,
            "proposals_query": query_without_page(request),
            "unmatched_query": query_without_page(request, "upage"),
            "total": round(run.total_score * 100) if run else 0,
            "pending": selectors.proposed_matches(fetched_by=request.user),
            "hand_form": _hand_form(request),
            "swap_form": _swap_form(request),
        },
    )


@login_required
@require_POST
def matching_recompute(request):
    """Queue a new computation of the proposals; the page shows its progress."""
    require(request.user, "matching.run")
    services.matching_recompute(by=request.user)
    messages.success(
        request, _("New proposals are being computed. This page shows them when they are ready.")
    )
    return redirect("mentoring:matching")


@login_required
def matching_progress(request, pk: int):
    """How far a run has got (polled by the matching page); once it has finished, the page
    reloads itself to show the new proposals."""
    require(request.user, "matching.run")
    run = selectors.matching_run_get(fetched_by=request.user, pk=pk)
    response = render(request, "mentoring/_matching_progress.html", {"pending_run": run})
    if run.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _pair(request, value: str):
    from mosty.access.domains.mentoring import visible_mentors

    try:
        p_id, m_id = (int(x) for x in value.split("-"))
    except (TypeError, ValueError):
        raise Http404 from None
    participant = get_object_or_404(matchable_participants(request.user), pk=p_id)
    mentor = get_object_or_404(visible_mentors(request.user), pk=m_id)
    return participant, mentor


@login_required
@require_POST
def matching_propose(request):
    """Propose the ticked suggestions (or one) to their mentors, all or none."""
    require(request.user, "matching.run")
    pairs = [_pair(request, v) for v in request.POST.getlist("pair")]
    if not pairs:
        messages.error(request, _("Tick at least one proposal."))
        return redirect("mentoring:matching")
    try:
        services.match_propose_many(pairs=pairs, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Proposals sent to the mentors."))
    return redirect("mentoring:matching")


@login_required
@require_POST
def matching_reject(request):
    require(request.user, "matching.run")
    participant, mentor = _pair(request, request.POST.get("pair", ""))
    services.match_reject_proposal(participant=participant, mentor=mentor, by=request.user)
    messages.success(request, _("Suggestion rejected; it will not be suggested again."))
    return redirect("mentoring:matching")


@login_required
@require_POST
def matching_by_hand(request):
    require(request.user, "matching.run")
    form = _hand_form(request, request.POST)
    if form.is_valid():
        try:
            services.match_propose(
                participant=form.cleaned_data["participant"],
                mentor=form.cleaned_data["mentor"],
                by=request.user,
                by_hand=True,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Proposal sent to the mentor."))
            return redirect("mentoring:matching")
    return _matching_with_errors(request, hand_form=form)


@login_required
@require_POST
def matching_swap(request):
    require(request.user, "matching.run")
    form = _swap_form(request, request.POST)
    if form.is_valid():
        try:
            services.match_swap(
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The two mentors were swapped."))
            return redirect("mentoring:matching")
    return _matching_with_errors(request, swap_form=form)


def _matching_with_errors(request, **forms):
    context = {
        "proposals": [],
        "unmatched": [],
        "total": 0,
        "pending": selectors.proposed_matches(fetched_by=request.user),
        "hand_form": forms.get("hand_form") or _hand_form(request),
        "swap_form": forms.get("swap_form") or _swap_form(request),
        "errors_only": True,
    }
    return render(request, "mentoring/matching.html", context, status=400)


@login_required
def matching_candidates(request, pk: int):
    """Choose a mentor by hand for one person: the best mentors with a place, explained."""
    require(request.user, "matching.run")
    participant = get_object_or_404(
        matchable_participants(request.user).select_related("district"), pk=pk
    )
    ranked, reason, mentors = selectors.candidates_for(
        fetched_by=request.user, participant=participant
    )
    audit_read(request.user, participant, fields=["first_name", "last_name"])
    candidates = [
        {
            "mentor": mentors[x.mentor_id],
            "free": mentors[x.mentor_id].capacity - mentors[x.mentor_id].held,
            "score": round(x.score * 100),
            "text": x.text,
        }
        for x in ranked
    ]
    return render(
        request,
        "mentoring/candidates.html",
        {"participant": participant, "candidates": candidates, "reason": reason},
    )


@login_required
def participant_wishes(request, pk: int):
    require(request.user, "matching.run")
    participant = get_object_or_404(matchable_participants(request.user), pk=pk)
    profile = MentoringProfile.objects.filter(participant=participant).first()
    initial = (
        {
            "interests": profile.interests,
            "availability": profile.availability,
            "mentor_gender": profile.mentor_gender,
            "mentor_kinds": profile.mentor_kinds,
            "with_children": profile.with_children,
        }
        if profile
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mentoring:matching")
    audit_read(request.user, participant, fields=["first_name", "last_name"])
    return render(request, "mentoring/wishes.html", {"form": form, "participant": participant})


# -- matches ----------------------------------------------------------------------------------
@login_required
def match_list(request):
    require(request.user, "match.list")
    attention = selectors.match_attention_list(fetched_by=request.user)
    page = paginate(request, selectors.match_list(fetched_by=request.user))
    audit_reads(
        request.user,
        [match.participant for match in (*attention, *page)],
        fields=["first_name", "last_name"],
    )
    return render(request, "mentoring/match_list.html", {"attention": attention, "page": page})


def _is_coordinator_of(user, match) -> bool:
    return can(user, "mentor.vet", match.mentor)


@login_required
def match_detail(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    require(request.user, "match.view", match)
    coordinator = _is_coordinator_of(request.user, match)
    audit_read(
        request.user,
        match.participant,
        fields=None if coordinator else ["first_name", "languages", "district"],
    )
    return render(
        request,
        "mentoring/match_detail.html",
        {
            "match": match,
            "coordinator": coordinator,
            "explanation": explain(match.explanation),
            "flags": selectors.attention_flags(match),
            "meetings": selectors.meeting_list(match=match)[:50],
            "checkins": match.checkins.select_related("recorded_by")[:24],
            "tasks": selectors.mentor_tasks(match=match),
            "meeting_form": MeetingForm(initial={"date": timezone.localdate(), "minutes": 60}),
        },
    )


@login_required
@require_POST
def match_respond(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    accept = request.POST.get("answer") == "accept"
    services.match_respond(match=match, by=request.user, accept=accept)
    messages.success(
        request, _("Thank you: the coordinator will introduce you.") if accept else _("Declined.")
    )
    return redirect(
        "mentoring:home" if not accept else "mentoring:match_detail",
        **({"pk": pk} if accept else {}),
    )


@login_required
@require_POST
def match_activate(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    services.match_activate(match=match, by=request.user)
    messages.success(request, _("The match is active."))
    return redirect("mentoring:match_detail", pk=pk)


def _match_step(request, match, *, form, action, done: str, title: str):
    """One form about a match (end it, log a meeting, record a check-in): the service is
    called with the form's data; its errors land beside their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            action(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("mentoring:match_detail", pk=match.pk)
    return render(
        request, "mentoring/match_form.html", {"form": form, "match": match, "title": title}
    )


@login_required
def match_end(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    require(request.user, "match.end", match)
    form = EndForm(request.POST or None, coordinator=_is_coordinator_of(request.user, match))
    return _match_step(
        request,
        match,
        form=form,
        action=services.match_end,
        done=_("The match has ended. Thank you."),
        title=_("End the match"),
    )


@login_required
def meeting_log(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    require(request.user, "meeting.log", match)
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate(), "minutes": 60})
    return _match_step(
        request,
        match,
        form=form,
        action=services.meeting_log,
        done=_("Meeting logged."),
        title=_("Log a meeting"),
    )


@login_required
def checkin_record(request, pk: int):
    match = selectors.match_get(fetched_by=request.user, pk=pk)
    require(request.user, "checkin.record", match)
    form = CheckInForm(request.POST or None, initial={"date": timezone.localdate()})
    return _match_step(
        request,
        match,
        form=form,
        action=services.checkin_record,
        done=_("Check-in recorded."),
        title=_("Monthly check-in"),
    )


# -- mentors' own pages -----------------------------------------------------------------------
@login_required
def mentor_home(request):
    require(request.user, "mentor.home")
    mentor = selectors.mentor_own(user=request.user)
    matches = []
    if mentor is not None:
        matches = list(
            selectors.match_list(fetched_by=request.user, filters={"status": "open"}).filter(
                mentor=mentor
            )
        )
        for match in matches:
            match.flags = selectors.attention_flags(match)
        audit_reads(
            request.user,
            [match.participant for match in matches],
            fields=["first_name", "languages", "district"],
        )
    return render(request, "mentoring/home.html", {"mentor": mentor, "matches": matches})


@login_required
def mentor_availability(request):
    require(request.user, "mentor.home")
    mentor = selectors.mentor_own(user=request.user)
    if mentor is None:
        raise Http404
    form = OwnAvailabilityForm(
        request.POST or None,
        initial={"availability": mentor.availability, "capacity": mentor.capacity},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_update_own(mentor=mentor, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mentoring:home")
    return render(request, "mentoring/availability.html", {"form": form, "mentor": mentor})
