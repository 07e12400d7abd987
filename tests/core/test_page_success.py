"""Where FormPage and ActionPage send the user after success: `success_list`, a page
without arguments, beside `success_detail`."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from mosty.core.pages import ActionPage, FormPage


class _NameForm(forms.Form):
    name = forms.CharField()


class _Create(FormPage):
    form_class = _NameForm
    template_name = "core/form_page.html"
    success_list = "core:dashboard"

    def save(self, form):
        return form.cleaned_data["name"]


class _Nothing(ActionPage):
    object_optional = True
    success_list = "core:dashboard"

    def act(self, form):
        return "done"


class _Nowhere(ActionPage):
    object_optional = True

    def act(self, form):
        return "done"


def _post(view, world, data=None):
    request = RequestFactory().post("/", data or {})
    request.user = world.user("coordinator", "a")
    request.session = {}
    request._messages = FallbackStorage(request)
    return view.as_view()(request)


def test_form_page_goes_to_its_success_list(world):
    response = _post(_Create, world, {"name": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_action_page_goes_to_its_success_list(world):
    response = _post(_Nothing, world)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_a_page_that_names_no_next_page_says_so(world):
    with pytest.raises(NotImplementedError):
        _post(_Nowhere, world)
