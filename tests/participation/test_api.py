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
