import pytest
from django.urls import reverse

from mosty.access.models import AuditEvent
from tests.participation.factories import make_call, make_consultation, make_idea, make_programme

pytestmark = pytest.mark.django_db


def test_programmes_and_calls_are_public_with_every_language(client, world):
    programme = make_programme(world.org_a)
    make_programme(world.org_a, title="Ukryty", published=False)
    call = make_call(programme)
    listed = client.get(reverse("api:participation_programme_list")).json()
    assert [p["id"] for p in listed["results"]] == [programme.pk]
    languages = {t["language"] for t in listed["results"][0]["translations"]}
    assert languages == {"pl", "uk"}
    detail = client.get(reverse("api:participation_programme_detail", args=[programme.pk])).json()
    assert [c["id"] for c in detail["calls"]] == [call.pk]
    calls = client.get(reverse("api:participation_call_list") + "?consultations=1").json()
    assert calls["results"] == []
    bad = client.get(reverse("api:participation_call_list") + "?kind=nonsense")
    assert bad.status_code == 200  # an unknown filter value is ignored, never a 500


def test_ideas_api_is_under_the_policy_and_audited(client, world):
    idea = make_idea(world, kind="response", call=make_consultation(world), status="submitted")
    client.force_login(world.user("caseworker"))
    rows = client.get(reverse("api:participation_idea_list")).json()["results"]
    assert [r["id"] for r in rows] == [idea.pk]
    assert rows[0]["participant_code"] == idea.participant.code
    detail = client.get(reverse("api:participation_idea_detail", args=[idea.pk])).json()
    assert detail["text"] == idea.text
    assert AuditEvent.objects.filter(action__endswith=".viewed", object_id=str(idea.pk)).exists()
    client.force_login(world.user("caseworker", "b"))
    assert client.get(reverse("api:participation_idea_detail", args=[idea.pk])).status_code == 404
    assert client.get(reverse("api:participation_idea_list")).json()["results"] == []


def test_creating_an_idea_through_the_api(client, world):
    from mosty.participation.models import Idea
    from tests.cases.factories import make_participant

    participant = make_participant(world)
    url = reverse("api:participation_idea_list")
    client.force_login(world.user("caseworker"))
    response = client.post(
        url,
        {"participant": participant.pk, "kind": "project", "title": "Ogród", "text": "Sadzimy."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(pk=response.json()["id"])
    assert (idea.participant, idea.status, idea.organisation) == (participant, "draft", world.org_a)
    assert response.json()["text"] == "Sadzimy."
    assert AuditEvent.objects.filter(action__endswith=".created", object_id=str(idea.pk)).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "project", "title": "Bez osoby", "text": "x"}, "participant"),
        ({"kind": "response", "title": "Opinia", "text": "x", "participant": "me"}, "call"),
        ({"kind": "nonsense", "title": "x", "text": "x"}, "kind"),
        ({"kind": "project", "text": "x"}, "title"),
        ({"kind": "project", "title": "x", "text": "x", "organisation": 999999}, "organisation"),
    ],
)
def test_idea_api_bad_input_is_a_400_by_field_and_writes_nothing(client, world, body, field):
    from mosty.participation.models import Idea
    from tests.cases.factories import make_participant

    if body.get("participant") == "me":
        body["participant"] = make_participant(world).pk
    client.force_login(world.user("caseworker"))
    response = client.post(
        reverse("api:participation_idea_list"), body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Idea.objects.exists()


def test_a_participant_posts_their_own_idea_others_may_not(client, world):
    from tests.cases.factories import make_participant

    url = reverse("api:participation_idea_list")
    newcomer = world.user("participant")
    client.force_login(newcomer)
    body = {"kind": "project", "title": "Moja", "text": "Tekst.", "participant": 1}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["participant_code"] is None
    # Staff of B cannot write for A's participant; a mentor may not create at all.
    other = make_participant(world)
    client.force_login(world.user("caseworker", "b"))
    body = {"kind": "project", "title": "x", "text": "x", "participant": other.pk}
    assert client.post(url, body, content_type="application/json").status_code == 400
    client.force_login(world.user("mentor"))
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.logout()
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
