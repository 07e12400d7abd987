import pytest
from django.urls import reverse

from mosty.research.models import FocusGroup
from tests.research.factories import make_focus_group, make_response, make_survey
from tests.utils import assert_constant_queries


@pytest.mark.django_db
def test_lists_and_details_keep_a_constant_number_of_queries(world, login):
    client = login("coordinator")
    survey = make_survey(world.org_a)
    assert_constant_queries(client, reverse("research:list"), lambda: make_survey(world.org_a))
    assert_constant_queries(
        client, reverse("research:detail", args=[survey.pk]), lambda: make_response(survey, {})
    )
    make_focus_group(world.org_a)
    assert_constant_queries(
        client, reverse("research:focus_list"), lambda: make_focus_group(world.org_a)
    )
    assert_constant_queries(
        client,
        reverse("research:results", args=[survey.pk]),
        lambda: make_response(survey, {"country": "ua"}),
    )


@pytest.mark.django_db
def test_a_focus_group_is_recorded_with_counts_and_encrypted_notes(world, login):
    from django.db import connection

    survey = make_survey(world.org_a)
    client = login("coordinator")
    page = client.post(
        reverse("research:focus_create"),
        {
            "title": "Research meeting 1",
            "held_on": "2026-03-02",
            "facilitator": "Coordinator A",
            "survey": survey.pk,
            "consent_obtained": "on",
            "notes": "People worry about rent.",
            "participants_text": "Women from Ukraine: 6\nMen from Belarus: 3",
            "findings_text": "Housing: landlords refuse short contracts\nA line without theme",
        },
    )
    assert page.status_code == 302
    group = FocusGroup.objects.get()
    assert group.participants == {"Women from Ukraine": 6, "Men from Belarus": 3}
    assert group.findings[0] == {"theme": "Housing", "text": "landlords refuse short contracts"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM research_focusgroup")
        assert "rent" not in cursor.fetchone()[0]
    bad = client.post(
        reverse("research:focus_edit", args=[group.pk]),
        {
            "title": "x",
            "held_on": "2026-03-02",
            "facilitator": "A",
            "participants_text": "Women: many",
        },
    )
    assert bad.status_code == 200 and "a colon and a number" in bad.content.decode()
    detail = client.get(reverse("research:focus_detail", args=[group.pk]))
    assert "People worry about rent." in detail.content.decode()


@pytest.mark.django_db
def test_figures_for_the_impact_registry(world, login):
    from mosty.research.selectors import research_figures

    survey = make_survey(world.org_a)
    other = make_survey(world.org_b)
    for _n in range(3):
        make_response(survey, {"age": 30})
    make_response(survey, {}, submitted=False)
    make_response(other, {"age": 30})
    links = [survey.invitations.create() for _n in range(4)]
    response = make_response(survey, {"age": 40})
    response.invitation = links[0]
    response.save()
    make_focus_group(world.org_a, participants={"Women": 6, "Men": 2})
    figures = research_figures(fetched_by=world.user("coordinator", "a"))
    assert figures["responses_by_audience"] == {"Migrants": 4}
    assert (figures["links_sent"], figures["links_answered"]) == (4, 1)
    assert (figures["focus_groups"], figures["focus_group_participants"]) == (1, 8)
    page = login("coordinator").get(reverse("research:list"))
    assert "1 / 4" in page.content.decode()


@pytest.mark.django_db
def test_a_focus_group_in_the_future_is_refused_and_not_counted_as_held(world, login):
    import datetime

    from django.utils import timezone

    from mosty.research.selectors import research_figures

    client = login("coordinator")
    page = client.post(
        reverse("research:focus_create"),
        {
            "title": "Research meeting 2030",
            "held_on": "2030-05-01",
            "facilitator": "Coordinator A",
            "participants_text": "Women from Ukraine: 6",
        },
    )
    assert page.status_code == 200
    assert "cannot be dated in the future" in page.context["form"].errors["held_on"][0]
    assert not FocusGroup.objects.exists()
    make_focus_group(world.org_a, participants={"Women": 6})
    # One written before the check (or straight into the database) is not counted as held.
    make_focus_group(
        world.org_a,
        participants={"Men": 4},
        held_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    figures = research_figures(fetched_by=world.user("coordinator", "a"))
    assert (figures["focus_groups"], figures["focus_group_participants"]) == (1, 6)
