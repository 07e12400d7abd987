import io

import pytest
from django.conf import settings

from mosty.access.models import AuditEvent
from mosty.core.citypack import city_init
from mosty.core.seeding import SeedContext
from mosty.organisations.seed import demo_users_create
from mosty.participation import selectors
from mosty.participation.models import Call, Group, Idea, ProgrammeTranslation
from mosty.participation.seed import seed_participation

LANGUAGES = {code for code, _name in settings.LANGUAGES}


@pytest.mark.django_db
def test_demo_explains_the_calls_in_seven_languages_and_runs_the_idea_path():
    city_init(path=settings.DEMO_PACK)
    demo_users_create()
    ctx = SeedContext(scale="demo", out=io.StringIO())
    seed_participation(ctx)
    for kind in ("citizens_budget", "consultation"):
        languages = set(
            ProgrammeTranslation.objects.filter(programme__kind=kind).values_list(
                "language", flat=True
            )
        )
        assert languages == LANGUAGES
    consultation = Call.objects.get(collects_opinions=True)
    assert set(consultation.translations.values_list("language", flat=True)) == LANGUAGES
    selected = Idea.objects.get(status="selected")
    assert selected.supporter.email == "mentor@demo.mosty.local"
    assert selectors.idea_support_hours(idea=selected) > 0
    assert selectors.call_voice(call=consultation) == {"submitted": 1, "answered": 1}
    assert AuditEvent.objects.filter(action="mosty.participation.idea.selected").exists()
    team = Group.objects.get(kind="advisory_team")
    document = team.policy_documents.get()
    tally = selectors.opinion_accountability(document=document)
    assert (tally["accepted"], tally["partly"], tally["rejected"]) == (1, 1, 1)
    for kind in ("womens_group", "cooperative"):
        assert Group.objects.get(kind=kind).meetings.exists()
    assert Group.objects.get(kind="cooperative").milestones.count() == 6
    assert "already there" in seed_participation(ctx)  # idempotent
