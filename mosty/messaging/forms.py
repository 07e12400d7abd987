from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

BROADCAST_CHOICES = [
    ("event_cancelled", gettext_lazy("The event is cancelled")),
    ("event_changed", gettext_lazy("The event has changed: check the date and place")),
]


class BroadcastForm(forms.Form):
    template = forms.ChoiceField(
        label=gettext_lazy("Message to every registrant"),
        choices=BROADCAST_CHOICES,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Each person gets it in their own language, through the channel they chose."
        ),
    )
    # One sending of this page: posted twice, it still sends once (`services.event_broadcast`).
    sending = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sending"].initial = uuid.uuid4()
