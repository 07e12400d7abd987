from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from mosty.portal.models import HELP_REPLY_MAX, InvitationChannel


class InvitationForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Send the invitation by"),
        choices=InvitationChannel.choices,
        widget=forms.RadioSelect,
        initial=InvitationChannel.EMAIL,
    )
    consent_text = forms.CharField(
        label=gettext_lazy("What the person agreed to"),
        help_text=gettext_lazy(
            "Read it to the person in a language they understand. Needed once: when the "
            "consent to the portal is already recorded, leave it as it is."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class JoinForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Your code"), max_length=20)
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("You log in with it."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"), widget=forms.PasswordInput, strip=False
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext_lazy("The two passwords are not the same."))
        return data


class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A short note for your caseworker (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class ConsentWithdrawForm(forms.Form):
    """The confirmation of a withdrawal: the button is the answer, there is nothing to fill in
    (the hidden `confirm` tells a confirmed post from an empty one)."""

    confirm = forms.ChoiceField(choices=[("yes", "yes")], widget=forms.HiddenInput, initial="yes")


class HelpForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What do you need help with?"),
        help_text=gettext_lazy("Write in your own language. Your caseworker will answer you."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
    )


class HelpReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("Your answer"),
        help_text=gettext_lazy(
            "Write in a language the person understands. They read it on their page in Mosty: "
            "the message that tells them of it does not carry your answer."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=HELP_REPLY_MAX,
    )


class HelpListFilterForm(forms.Form):
    """Which requests for help the staff list shows: those waiting (the default) or those
    answered or handled, with the answer given."""

    state = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("Waiting for an answer")),
            ("closed", gettext_lazy("Answered or handled")),
        ],
    )


class TaskReportFilterForm(forms.Form):
    """Which tasks marked done the staff list shows: those the team has not read (the
    default) or those read."""

    state = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[("", gettext_lazy("Not read yet")), ("read", gettext_lazy("Read by the team"))],
    )
