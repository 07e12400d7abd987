from django import forms
from django.utils.translation import gettext_lazy as _

from mosty.access.domains.cases import case_mentors, case_team_candidates
from mosty.accounts.models import User
from mosty.cases.models import (
    TRANSITIONS,
    AssigneeKind,
    CaseStatus,
    ClosureReason,
    Domain,
    GoalStatus,
    NoteVisibility,
    SharedField,
    SupportKind,
)
from mosty.core.collation import by_name
from mosty.core.forms import SearchModelChoiceField, SearchModelMultipleChoiceField
from mosty.organisations.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def staff_of(*organisation_ids):
    """Caseworkers and coordinators of the organisations: who may lead or join a case."""
    return case_team_candidates(*organisation_ids).order_by(
        *by_name("last_name", "first_name"), "email"
    )


# A city office opens cases for 300 organisations, whose staff run to a thousand people: the
# team is chosen from searchable selects (core.forms), which list 50 and find the rest.
USER_SEARCH = ("first_name", "last_name", "email")


class UserChoiceField(SearchModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, search_fields=USER_SEARCH, **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class UserMultipleChoiceField(SearchModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, search_fields=USER_SEARCH, **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class _CaseTeamFields(forms.Form):
    """The team of a case, chosen among the staff of its organisation(s), and its next review:
    the same fields when a case is opened and when it is edited."""

    lead = UserChoiceField(label=_("Lead caseworker"), queryset=User.objects.none())
    members = UserMultipleChoiceField(
        label=_("Team members"), queryset=User.objects.none(), required=False
    )
    review_date = forms.DateField(label=_("Next review"), required=False, widget=DateInput())

    def team_among(self, staff) -> None:
        self.fields["lead"].queryset = staff  # type: ignore[attr-defined]
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]


class CaseCreateForm(_CaseTeamFields):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    participant_code = forms.CharField(
        label=_("Participant's code"),
        max_length=20,
        help_text=_("The pseudonymous code shown on the participant's page."),
    )
    field_order = ["organisation", "participant_code", "lead", "members", "review_date"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        org_ids = [o.pk for o in organisations]
        if len(org_ids) == 1:
            self.fields["organisation"].initial = org_ids[0]
            self.fields["organisation"].widget = forms.HiddenInput()
        self.team_among(staff_of(*org_ids))


class CaseEditForm(_CaseTeamFields, VersionedForm):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_among(staff_of(case.organisation_id))


class CaseStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"))
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
        help_text=_("Required when closing the case."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[case.status]
        self.fields["status"].choices = [c for c in CaseStatus.choices if c[0] in allowed]

    def clean(self):
        data = super().clean()
        if data.get("status") == CaseStatus.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Say why the case is closed."))
        return data


SCORE_CHOICES = [
    (1, _("1 — in crisis")),
    (2, _("2 — vulnerable")),
    (3, _("3 — stable with support")),
    (4, _("4 — mostly self-sufficient")),
    (5, _("5 — fully self-sufficient")),
]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Domain.choices:
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=label, choices=[("", "—"), *SCORE_CHOICES], coerce=int
            )
            self.fields[f"comment_{value}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=500,
                widget=forms.TextInput(),
            )

    def domain_rows(self):
        return [
            (label, self[f"score_{value}"], self[f"comment_{value}"])
            for value, label in Domain.choices
        ]

    def scores(self) -> dict:
        return {
            d: (self.cleaned_data[f"score_{d}"], self.cleaned_data[f"comment_{d}"])
            for d in Domain.values
        }


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    title = forms.CharField(label=_("Goal"), max_length=300)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class GoalEditForm(GoalForm, VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    assignee_kind = forms.ChoiceField(label=_("Assigned to"), choices=AssigneeKind.choices)
    assignee_user = UserChoiceField(
        label=_("Person (team member or mentor)"), queryset=User.objects.none(), required=False
    )
    # Any of the city's organisations (3,000 on the large seed): listed as they match a search.
    assignee_organisation = SearchModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        team = [case.lead_id, *case.members.values_list("pk", flat=True)]
        mentors = case_mentors(case.organisation_id).values("pk")
        self.fields["assignee_user"].queryset = User.objects.filter(
            pk__in=team
        ) | User.objects.filter(pk__in=mentors)
        self.fields["assignee_organisation"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=case.organisation_id)
            .order_by(*by_name("name"), "pk")
        )


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the plan")), ("return", _("Return with a comment"))],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change in the plan."))
        return data


class ReferralForm(forms.Form):
    # A city has thousands of organisations and services: each select lists what matches the
    # words typed beside it (core.forms.SearchSelect), not all of them.
    to_organisation = SearchModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none(), required=False
    )
    to_service = SearchModelChoiceField(
        label=_("Or a service from the directory"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The organisation running the service receives the referral."),
        search_fields=("name", "organisation__name"),
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    shared_fields = forms.MultipleChoiceField(
        label=_("Share with the partner"),
        choices=SharedField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The partner sees only these fields, and only after accepting."),
    )
    message = forms.CharField(
        label=_("Request to the partner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you ask the partner to do. Do not write personal details here."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=case.organisation_id)
            .order_by(*by_name("name"))
        )
        from mosty.directory.models import Service

        self.fields["to_service"].queryset = (
            Service.objects.filter(status="active", organisation__is_active=True)
            .exclude(organisation_id=case.organisation_id)
            .select_related("organisation")
            .order_by(*by_name("name"))
        )
        self.fields["to_service"].label_from_instance = lambda s: (
            f"{s.name} · {s.organisation.name}"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("to_organisation") and not cleaned.get("to_service"):
            self.add_error(
                "to_organisation",
                _("Choose a partner organisation or a service from the directory."),
            )
        return cleaned


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferralAcceptForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralCompleteForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.TEAM,
        help_text=_(
            "Restricted notes are read only by you and by staff allowed to see sensitive data."
        ),
    )


class SupportLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by code or name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    awaiting_approval = forms.BooleanField(label=_("Plans awaiting approval"), required=False)
