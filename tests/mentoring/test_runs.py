"""Matching in the background: a coordinator asks for new proposals, the worker computes and
stores them, and the matching page reads the stored rows and says how fresh they are."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mosty.access.models import AuditEvent
from mosty.mentoring import engine_data, runs, services
from mosty.mentoring.matching import Engine
from mosty.mentoring.models import MatchingRun, MatchProposal, RunStatus
from mosty.mentoring.tasks import matching_run_compute
from mosty.people import gdpr
from tests.mentoring.factories import MentorFactory, queued_run, waiting_participant


def _compute(world, org="a"):
    run = services.matching_recompute(by=world.user("coordinator", org))
    matching_run_compute.call(run.pk)
    run.refresh_from_db()
    return run


def test_recompute_queues_one_run_and_the_page_follows_its_progress(
    login, world, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    page = client.get("/en/mentoring/matching/").content.decode()
    assert "No proposals have been computed yet." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/mentoring/matching/recompute/")
        client.post("/en/mentoring/matching/recompute/")  # a second click while it waits
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.organisation_ids == [world.org_a.pk]
    assert DBTaskResult.objects.filter(task_path__endswith="matching_run_compute").count() == 1
    page = client.get("/en/mentoring/matching/").content.decode()
    progress = f"/en/mentoring/matching/runs/{run.pk}/"
    assert f'hx-get="{progress}"' in page and "Recompute the proposals" not in page

    matching_run_compute.call(run.pk)
    finished = client.get(progress, HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    page = client.get("/en/mentoring/matching/").content.decode()
    assert "Proposals computed" in page and "hx-get" not in page


def test_the_page_shows_stored_proposals_without_running_the_engine(login, world, monkeypatch):
    mentor = MentorFactory(organisation=world.org_a, district=world.district)
    person = waiting_participant(world.org_a, first_name="Oksana", district=world.district)
    run = _compute(world)
    assert (run.status, run.proposal_count, run.unmatched_count) == (RunStatus.DONE, 1, 0)
    MatchingRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now() - dt.timedelta(hours=3, minutes=5)
    )

    def no_engine(*args, **kwargs):
        raise AssertionError("the page must not solve the matching")

    monkeypatch.setattr(Engine, "run", no_engine)
    response = login("coordinator").get("/en/mentoring/matching/")
    assert [(p["participant"], p["mentor"]) for p in response.context["proposals"]] == [
        (person, mentor)
    ]
    assert "Proposals computed 3\xa0hours, 5\xa0minutes ago." in response.content.decode()


def test_stored_reasons_are_read_in_the_readers_language(login, world):
    waiting_participant(world.org_a, languages=[{"code": "ti", "level": "native"}])
    _compute(world)
    english = login("coordinator").get("/en/mentoring/matching/").context["unmatched"]
    polish = login("coordinator").get("/pl/mentoring/matching/").context["unmatched"]
    assert english[0]["reason"] == "No approved mentor speaks Tigrinya."
    assert polish[0]["reason"] != english[0]["reason"] and polish[0]["reason"]


def test_a_new_run_replaces_the_older_ones(world):
    MentorFactory(organisation=world.org_a, district=world.district)
    waiting_participant(world.org_a, district=world.district)
    first = _compute(world)
    waiting_participant(world.org_a, district=world.district)
    second = _compute(world)
    assert list(MatchingRun.objects.values_list("pk", flat=True)) == [second.pk]
    assert MatchProposal.objects.filter(run=first).count() == 0
    assert MatchProposal.objects.filter(run=second, mentor__isnull=False).count() == 2
    assert (
        AuditEvent.objects.filter(
            action="mosty.mentoring.matchingrun.computed", actor=world.user("coordinator")
        ).count()
        == 2
    )


def test_runs_are_shared_by_the_same_organisations_only(login, world):
    MentorFactory(organisation=world.org_b, district=world.district)
    waiting_participant(world.org_b, first_name="Bogna", district=world.district)
    run = _compute(world, org="b")
    assert login("coordinator").get("/en/mentoring/matching/").context["run"] is None
    response = login("coordinator", "b").get("/en/mentoring/matching/")
    assert response.context["run"] == run
    assert response.context["proposals"][0]["participant"].first_name == "Bogna"


def test_a_run_whose_worker_died_may_be_started_again(world):
    coordinator = world.user("coordinator")
    stale = queued_run([world.org_a.pk], by=coordinator, status=RunStatus.RUNNING)
    MatchingRun.objects.filter(pk=stale.pk).update(
        heartbeat_at=timezone.now() - runs.STALE_AFTER - dt.timedelta(minutes=1)
    )
    fresh = services.matching_recompute(by=coordinator)
    stale.refresh_from_db()
    assert fresh.pk != stale.pk and stale.status == RunStatus.FAILED


def test_a_failed_run_keeps_the_older_proposals_and_says_so(login, world, monkeypatch):
    MentorFactory(organisation=world.org_a, district=world.district)
    waiting_participant(world.org_a, district=world.district)
    good = _compute(world)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine_data, "engine", broken)
    run = services.matching_recompute(by=world.user("coordinator"))
    with pytest.raises(RuntimeError):
        matching_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    response = login("coordinator").get("/en/mentoring/matching/")
    assert response.context["run"] == good and len(response.context["proposals"]) == 1
    assert "The last computation failed" in response.content.decode()


def test_gdpr_export_and_erasure_cover_stored_proposals(world):
    MentorFactory(organisation=world.org_a, district=world.district)
    person = waiting_participant(world.org_a, district=world.district)
    _compute(world)
    exported = gdpr.SECTIONS["mentoring"].export(person)
    assert len(exported["matching_proposals"]) == 1
    gdpr.SECTIONS["mentoring"].erase(person)
    assert not MatchProposal.objects.filter(participant=person).exists()


def test_the_daily_sweep_fails_runs_whose_worker_died_and_leaves_live_ones(world):
    from mosty.mentoring.tasks import matching_run_stale_sweep

    coordinator = world.user("coordinator")
    dead = queued_run([world.org_a.pk], by=coordinator, status=RunStatus.RUNNING)
    MatchingRun.objects.filter(pk=dead.pk).update(
        heartbeat_at=timezone.now() - runs.STALE_AFTER - dt.timedelta(minutes=1)
    )
    alive = queued_run(
        [world.org_b.pk], by=world.user("coordinator", "b"), status=RunStatus.RUNNING
    )
    MatchingRun.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())
    assert matching_run_stale_sweep.call() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == RunStatus.FAILED and alive.status == RunStatus.RUNNING


def test_the_api_reads_the_stored_run_and_queues_a_new_one(
    login, world, monkeypatch, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    empty = client.get("/api/mentoring/proposals/").json()
    assert (empty["count"], empty["run"], empty["pending"]) == (0, None, None)

    mentor = MentorFactory(organisation=world.org_a, district=world.district, capacity=1)
    person = waiting_participant(world.org_a, first_name="Oksana", district=world.district)
    alone = waiting_participant(world.org_a, first_name="Amir", district=None)
    run = _compute(world)

    def no_engine(*args, **kwargs):
        raise AssertionError("the API must not solve the matching")

    monkeypatch.setattr(engine_data, "engine", no_engine)
    data = client.get("/api/mentoring/proposals/").json()
    assert data["run"]["id"] == run.pk and data["run"]["status"] == "done"
    assert [(p["participant"], p["mentor"]) for p in data["results"]] == [(person.pk, mentor.pk)]
    assert data["results"][0]["explanation"]
    left = client.get("/api/mentoring/proposals/?unmatched=1").json()
    assert [(p["participant"], p["mentor"]) for p in left["results"]] == [(alone.pk, None)]
    assert AuditEvent.objects.filter(
        action="mosty.people.participant.viewed", object_id=str(person.pk)
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/mentoring/runs/")
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    pending = client.get("/api/mentoring/proposals/").json()
    assert pending["pending"]["id"] == queued.json()["id"] and pending["run"]["id"] == run.pk
    assert login("mentor").get("/api/mentoring/proposals/").status_code == 403
