"""Where a declared page sends the user after success (mosty/core/pages.py): the saved
record's page, the page's own object's page, or a list."""

from types import SimpleNamespace

from django.urls import reverse

from mosty.core.pages import ActionPage, FormPage


def _page(cls, obj=None):
    page = cls()
    page.object = obj
    return page


def test_form_page_goes_to_the_saved_record_by_default():
    class Page(FormPage):
        success_detail = "people:detail"

    assert _page(Page).success_url(SimpleNamespace(pk=7)) == reverse("people:detail", args=[7])


def test_form_page_that_adds_to_a_record_goes_back_to_that_record():
    class Page(FormPage):
        object_detail = "people:detail"

    url = _page(Page, SimpleNamespace(pk=3)).success_url(SimpleNamespace(pk=99))
    assert url == reverse("people:detail", args=[3])


def test_form_and_action_pages_may_go_to_a_list():
    class Form(FormPage):
        success_list = "core:dashboard"

    class Action(ActionPage):
        success_list = "core:dashboard"

    assert _page(Form).success_url(SimpleNamespace(pk=1)) == reverse("core:dashboard")
    obj = SimpleNamespace(pk=4)
    assert _page(Action, obj).success_url(None) == reverse("core:dashboard")


def test_action_page_goes_back_to_its_object_by_default():
    class Action(ActionPage):
        success_detail = "people:detail"

    obj = SimpleNamespace(pk=5)
    assert _page(Action, obj).success_url(None) == reverse("people:detail", args=[5])


def test_create_page_chooses_the_asked_organisation_among_those_offered(world, rf):
    from mosty.core.pages import chosen_organisation
    from mosty.organisations.models import Organisation

    offered = Organisation.objects.filter(pk=world.org_b.pk)
    asked_b = rf.get("/", {"organisation": str(world.org_b.pk)})
    asked_a = rf.get("/", {"organisation": str(world.org_a.pk)})
    assert chosen_organisation(asked_b, offered) == world.org_b
    # An organisation the user may not act for is not chosen: the first offered one is.
    assert chosen_organisation(asked_a, offered) == world.org_b
    assert chosen_organisation(rf.get("/", {"organisation": "x"}), offered) == world.org_b
    assert chosen_organisation(asked_b, Organisation.objects.none()) is None


def test_page_about_a_part_is_asked_about_its_owner_and_goes_back_to_it():
    from mosty.reports.models import Target

    class Action(ActionPage):
        owner = "programme"
        owner_detail = "people:detail"

    owner = SimpleNamespace(pk=6)
    assert _page(Action, SimpleNamespace(pk=2, programme=owner)).permission_target() is owner
    # Back to the owner's page by its key, without reading the owner.
    part = Target(pk=2, programme_id=6)
    assert _page(Action, part).success_url(None) == reverse("people:detail", args=[6])
    assert _page(ActionPage, part).permission_target() is part
