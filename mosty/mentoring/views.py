import functools
from collections.abc import Sequence
from typing import ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mosty.access.audit import audit, audit_read, audit_reads
from mosty.access.domains.mentoring import matchable_participants
from mosty.access.policy import can, require
from mosty.core.collation import by_name
from mosty.core.forms import add_service_errors as _errors_to_form
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, SimpleFormPage
from mosty.core.pagination import paginate, query_without_page
from mosty.core.routing import Routes
from mosty.mentoring import selectors, services
from mosty.mentoring.forms import (
    CheckInForm,
    EndForm,
    HandMatchForm,
    MeetingDeleteForm,
    MeetingEditForm,
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

routes = Routes()


# -- public sign-up ---------------------------------------------------------------------------
@routes.path("apply/", name="apply")
class MentorApply(FormPage):
    """The public application form (no login), rate-limited per client address."""

    public = True
    permission = "mentor.apply"
    template_name = "mentoring/apply.html"
    form_class = MentorApplicationForm
    # The programme box's "Find" only shows the form again: it neither applies nor spends
    # the client's allowance of applications (FormPage counts valid posts only).
    public_limit = "mentor_apply"

    def initial(self):
        return {"language": self.request.LANGUAGE_CODE}

    def save(self, form):
        return services.mentor_apply(**form.application())

    def success_url(self, mentor):
        return reverse("mentoring:applied")


@routes.path("apply/thanks/", name="applied")
def mentor_applied(request):
    return render(request, "mentoring/applied.html")


# -- coordinators: mentors and vetting --------------------------------------------------------
@routes.path("mentors/", name="mentor_list")
class MentorList(ListPage):
    permission = "mentor.list"
    template_name = "mentoring/mentor_list.html"
    title = gettext_lazy("Mentors")
    filter_form = MentorFilterForm
    audit_fields = ("name", "kind", "district", "status")
    selector = selectors.mentor_list


def _next_steps(mentor) -> list[str]:
    steps = [
        s
        for s in VETTING_NEXT[VettingStatus(mentor.status)]
        if not (s == VettingStatus.CERTIFICATE_CHECKED and mentor.certificate_checked_at)
    ]
    if mentor.status not in (VettingStatus.APPROVED, VettingStatus.REJECTED):
        steps.append(VettingStatus.REJECTED)
    return steps


class _MentorPage:
    context_object_name = "mentor"
    template_name = "mentoring/mentor_detail.html"
    kwargs: dict
    user: object
    selector = selectors.mentor_get


@routes.path("mentors/<int:pk>/", name="mentor_detail")
class MentorDetail(_MentorPage, DetailPage):
    permission = "mentor.view"
    # What the page shows of the mentor (the template's fields).
    read_fields = (
        "name", "email", "phone", "gender", "languages", "district", "interests",
        "availability", "motivation", "rejection_reason",
    )  # fmt: skip

    def extra_context(self):
        mentor = self.object
        steps = _next_steps(mentor)
        coordinator = can(self.user, "mentor.vet", mentor)
        return {
            "coordinator": coordinator,
            "form": VettingForm(steps=steps) if steps and coordinator else None,
            "history": mentor.vetting_steps.select_related("decided_by"),
            "matches": mentor.matches.exclude(status=MatchStatus.DECLINED).select_related(
                "participant"
            ),
        }


@routes.path("mentors/<int:pk>/vet/", name="mentor_vet")
class MentorVet(_MentorPage, FormPage):
    """The vetting form of the mentor page; a refused step shows the page again (400)."""

    http_method_names = ["post"]
    permission = "mentor.vet"
    form_class = VettingForm
    success_message = gettext_lazy("Vetting step recorded.")
    object_detail = "mentoring:mentor_detail"

    def form_kwargs(self):
        return {"steps": _next_steps(self.object)}

    def save(self, form):
        return services.mentor_vet(
            mentor=self.object,
            step=form.cleaned_data["step"],
            note=form.cleaned_data["note"],
            by=self.user,
            login_url=self.request.build_absolute_uri(reverse("account_reset_password")),
        )

    def extra_context(self):
        mentor = self.object
        return {
            "coordinator": True,
            "history": mentor.vetting_steps.select_related("decided_by"),
            "matches": mentor.matches.none(),
        }

    def respond(self, context):
        response = super().respond(context)
        response.status_code = 400
        return response


# -- coordinators: matching -------------------------------------------------------------------
MATCHING_PAGE = 50


def _hand_form(request, data=None):
    from mosty.access.domains.mentoring import visible_mentors
    from mosty.mentoring.engine_data import waiting_participants

    return HandMatchForm(
        data,
        participants=waiting_participants(matchable_participants(request.user)).order_by(
            *by_name("first_name"), "pk"
        ),
        mentors=visible_mentors(request.user)
        .filter(status=VettingStatus.APPROVED)
        .order_by(*by_name("name"), "pk"),
    )


def _swap_form(request, data=None):
    return SwapForm(data, proposals=selectors.proposed_matches(fetched_by=request.user))


@routes.path("matching/", name="matching")
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


def _matching_action(route: str, *, name: str):
    """A POST from the matching page, by a coordinator who may run matching."""

    def register(view):
        @functools.wraps(view)
        def checked(request):
            require(request.user, "matching.run")
            return view(request)

        return routes.path(route, name=name)(login_required(require_POST(checked)))

    return register


@_matching_action("matching/recompute/", name="matching_recompute")
def matching_recompute(request):
    """Queue a new computation of the proposals; the page shows its progress."""
    services.matching_recompute(by=request.user)
    messages.success(
        request, _("New proposals are being computed. This page shows them when they are ready.")
    )
    return redirect("mentoring:matching")


@routes.path("matching/runs/<int:pk>/", name="matching_progress")
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


@_matching_action("matching/propose/", name="propose")
def matching_propose(request):
    """Propose the ticked suggestions (or one) to their mentors, all or none."""
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


@_matching_action("matching/reject/", name="reject")
def matching_reject(request):
    participant, mentor = _pair(request, request.POST.get("pair", ""))
    services.match_reject_proposal(participant=participant, mentor=mentor, by=request.user)
    messages.success(request, _("Suggestion rejected; it will not be suggested again."))
    return redirect("mentoring:matching")


@_matching_action("matching/by-hand/", name="by_hand")
def matching_by_hand(request):
    return _matching_form_post(
        request,
        hand_form=_hand_form(request, request.POST),
        save=lambda data: services.match_propose(
            participant=data["participant"], mentor=data["mentor"], by=request.user, by_hand=True
        ),
        success=_("Proposal sent to the mentor."),
    )


@_matching_action("matching/swap/", name="swap")
def matching_swap(request):
    return _matching_form_post(
        request,
        swap_form=_swap_form(request, request.POST),
        save=lambda data: services.match_swap(
            first=data["first"], second=data["second"], by=request.user
        ),
        success=_("The two mentors were swapped."),
    )


def _matching_form_post(request, *, save, success, **posted):
    """One of the matching page's forms, posted: `save` its data and go back to the page, or
    show the page again with the form's errors (`posted`: the form by its context name)."""
    (form,) = posted.values()
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect("mentoring:matching")
    return _matching_with_errors(request, **posted)


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


class _MatchingParticipantPage:
    """A coordinator's page about one person waiting for a mentor."""

    context_object_name = "participant"
    read_fields: ClassVar[Sequence[str]] = ("first_name", "last_name")
    kwargs: dict
    user: object

    def get_object(self):
        require(self.user, "matching.run")
        return get_object_or_404(
            matchable_participants(self.user).select_related("district"), pk=self.kwargs["pk"]
        )


@routes.path("matching/<int:pk>/mentors/", name="candidates")
class MatchingCandidates(_MatchingParticipantPage, DetailPage):
    """Choose a mentor by hand for one person: the best mentors with a place, explained."""

    template_name = "mentoring/candidates.html"

    def extra_context(self):
        ranked, reason, mentors = selectors.candidates_for(
            fetched_by=self.user, participant=self.object
        )
        candidates = [
            {
                "mentor": mentors[x.mentor_id],
                "free": mentors[x.mentor_id].capacity - mentors[x.mentor_id].held,
                "score": round(x.score * 100),
                "text": x.text,
            }
            for x in ranked
        ]
        return {"candidates": candidates, "reason": reason}


@routes.path("participants/<int:pk>/wishes/", name="wishes")
class ParticipantWishes(_MatchingParticipantPage, FormPage):
    template_name = "mentoring/wishes.html"
    form_class = ProfileForm
    success_message = gettext_lazy("Changes saved.")
    service = services.profile_update
    object_kwarg = "participant"

    def initial(self):
        profile = MentoringProfile.objects.filter(participant=self.object).first()
        if profile is None:
            return {}
        return {name: getattr(profile, name) for name in ProfileForm.base_fields}

    def success_url(self, profile):
        return reverse("mentoring:matching")


# -- matches ----------------------------------------------------------------------------------
PARTICIPANT_SEEN_BY_MENTOR = ("first_name", "languages", "district")


@routes.path("matches/", name="match_list")
class MatchList(ListPage):
    """Open matches that need attention first, then every match a page at a time."""

    permission = "match.list"
    template_name = "mentoring/match_list.html"
    audit_fields = ("first_name", "last_name")
    selector = selectors.match_list
    filtered = False

    @cached_property
    def attention(self):
        return selectors.match_attention_list(fetched_by=self.user)

    def shown(self, page):
        return [match.participant for match in (*self.attention, *page)]

    def extra_context(self):
        return {"attention": self.attention}


def _is_coordinator_of(user, match) -> bool:
    return can(user, "mentor.vet", match.mentor)


class _MatchPage:
    context_object_name = "match"
    kwargs: dict
    user: object
    selector = selectors.match_get

    def success_url(self, result):
        return reverse("mentoring:match_detail", args=[self.kwargs["pk"]])


@routes.path("matches/<int:pk>/", name="match_detail")
class MatchDetail(_MatchPage, DetailPage):
    permission = "match.view"
    template_name = "mentoring/match_detail.html"

    @cached_property
    def coordinator(self) -> bool:
        return _is_coordinator_of(self.user, self.object)

    def get(self, request, *args, **kwargs):
        # A mentor sees only the first name, languages and district of the person.
        fields = None if self.coordinator else list(PARTICIPANT_SEEN_BY_MENTOR)
        audit_read(request.user, self.object.participant, fields=fields)
        return super().get(request, *args, **kwargs)

    def extra_context(self):
        match = self.object
        return {
            "coordinator": self.coordinator,
            "explanation": explain(match.explanation),
            "flags": selectors.attention_flags(match),
            "meetings": selectors.meeting_list(match=match)[:50],
            "checkins": match.checkins.select_related("recorded_by")[:24],
            "tasks": selectors.mentor_tasks(match=match),
            "meeting_form": MeetingForm(initial={"date": timezone.localdate(), "minutes": 60}),
            "invitables": _portal_invitables(self.user, match) if self.coordinator else [],
        }


def _portal_invitables(user, match) -> list:
    """The newcomer and their family with a participant record, not yet on the portal."""
    from mosty.portal.selectors import household_of, portal_invitables

    people = household_of(participant=match.participant)
    return portal_invitables(fetched_by=user, participants=people)


@routes.path("matches/<int:pk>/respond/", name="match_respond")
class MatchRespond(_MatchPage, ActionPage):
    """The mentor accepts or declines a proposal (the service checks `match.respond`)."""

    @property
    def accept(self) -> bool:
        return self.request.POST.get("answer") == "accept"

    def act(self, form):
        services.match_respond(match=self.object, by=self.user, accept=self.accept)
        messages.success(
            self.request,
            _("Thank you: the coordinator will introduce you.") if self.accept else _("Declined."),
        )
        return self.object

    def success_url(self, result):
        if result is not None and not self.accept:
            return reverse("mentoring:home")
        return super().success_url(result)


@routes.path("matches/<int:pk>/activate/", name="match_activate")
class MatchActivate(_MatchPage, ActionPage):
    success_message = gettext_lazy("The match is active.")
    service = services.match_activate
    object_kwarg = "match"


class _MatchStep(_MatchPage, SimpleFormPage):
    """One form about a match (end it, log a meeting, record a check-in): the service is
    called with the form's data; its errors land beside their fields. Each step names its
    heading, `edit_title` (the page is about the match)."""

    cancel_detail = "mentoring:match_detail"

    # The service that writes the step: `service(match=..., by=..., **form.cleaned_data)`.
    object_kwarg = "match"


@routes.path("matches/<int:pk>/end/", name="match_end")
class MatchEnd(_MatchStep):
    permission = "match.end"
    service = staticmethod(services.match_end)
    form_class = EndForm
    success_message = gettext_lazy("The match has ended. Thank you.")
    edit_title = gettext_lazy("End the match")

    def initial(self):
        return {"version": self.object.version}

    def form_kwargs(self):
        return {"coordinator": _is_coordinator_of(self.user, self.object)}


@routes.path("matches/<int:pk>/meetings/new/", name="meeting_log")
class MeetingLog(_MatchStep):
    permission = "meeting.log"
    service = staticmethod(services.meeting_log)
    form_class = MeetingForm
    success_message = gettext_lazy("Meeting logged.")
    edit_title = gettext_lazy("Log a meeting")

    def initial(self):
        return {"date": timezone.localdate(), "minutes": 60}


class _MeetingStep(SimpleFormPage):
    """A form about one logged meeting (correct it, delete it), for those who may change it
    (`meeting.change`); back to its match's page."""

    permission = "meeting.change"
    selector = selectors.meeting_get
    context_object_name = "meeting"
    object_kwarg = "meeting"

    def cancel_url(self):
        return reverse("mentoring:match_detail", args=[self.object.match_id])

    def success_url(self, result):
        return self.cancel_url()


@routes.path("meetings/<int:pk>/edit/", name="meeting_edit")
class MeetingEdit(_MeetingStep):
    service = staticmethod(services.meeting_update)
    form_class = MeetingEditForm
    success_message = gettext_lazy("The meeting is corrected.")
    edit_title = gettext_lazy("Correct the meeting")
    # The form shows the meeting's note.
    read_fields = ("note",)
    initial_from_object = True


@routes.path("meetings/<int:pk>/delete/", name="meeting_delete")
class MeetingDelete(_MeetingStep):
    """Asks first (GET, the meeting named), deletes on POST."""

    template_name = "mentoring/meeting_delete.html"
    service = staticmethod(services.meeting_delete)
    form_class = MeetingDeleteForm
    success_message = gettext_lazy("Meeting deleted.")
    edit_title = gettext_lazy("Delete the meeting")

    def extra_context(self):
        return {"submit_label": _("Delete the meeting")}


@routes.path("matches/<int:pk>/check-in/", name="checkin")
class CheckinRecord(_MatchStep):
    permission = "checkin.record"
    service = staticmethod(services.checkin_record)
    form_class = CheckInForm
    success_message = gettext_lazy("Check-in recorded.")
    edit_title = gettext_lazy("Monthly check-in")

    def initial(self):
        return {"date": timezone.localdate()}


# -- mentors' own pages -----------------------------------------------------------------------
@routes.path("", name="home")
class MentorHome(ListPage):
    """A mentor's own page: their open matches (a mentor supports at most ten people)."""

    permission = "mentor.home"
    template_name = "mentoring/home.html"
    audit_fields = PARTICIPANT_SEEN_BY_MENTOR

    @cached_property
    def mentor(self):
        return selectors.mentor_own(user=self.user)

    def rows(self, filters):
        if self.mentor is None:
            return []
        matches = list(
            selectors.match_list(fetched_by=self.user, filters={"status": "open"}).filter(
                mentor=self.mentor
            )
        )
        for match in matches:
            match.flags = selectors.attention_flags(match)
        return matches

    def shown(self, page):
        return [match.participant for match in page]

    def respond(self, context):
        return super().respond({**context, "mentor": self.mentor, "matches": list(context["page"])})


@routes.path("availability/", name="availability")
class MentorAvailability(SimpleFormPage):
    """A mentor changes their own weekly times and how many people they support."""

    edit_title = gettext_lazy("Update my availability")
    cancel_list = "mentoring:home"
    form_class = OwnAvailabilityForm
    context_object_name = "mentor"
    success_message = gettext_lazy("Changes saved.")
    service = services.mentor_update_own
    object_kwarg = "mentor"

    def get_object(self):
        require(self.user, "mentor.home")
        mentor = selectors.mentor_own(user=self.user)
        if mentor is None:
            raise Http404
        return mentor

    def initial(self):
        return {"availability": self.object.availability, "capacity": self.object.capacity}

    def success_url(self, mentor):
        return reverse("mentoring:home")
