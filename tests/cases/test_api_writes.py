"""The case API's writes on one case (goals, assessments, notes, support, tasks, the plan):
what each answers and what it writes."""

from mosty.cases.models import Domain, Goal, Note, PlanStatus, SupportLog, Task
from tests.cases.factories import make_case, make_referral


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_goal_note_and_support_are_added_with_201(login, world):
    case = make_case(world)
    client = login("caseworker")
    goal = _post(client, f"/api/cases/{case.pk}/goals/", {"domain": "polish", "title": "B1"})
    assert goal.status_code == 201
    assert goal.json()["title"] == "B1" and goal.json()["tasks"] == []
    assert Goal.objects.get(case=case).title == "B1"

    note = _post(client, f"/api/cases/{case.pk}/notes/create/", {"body": "Called."})
    assert note.status_code == 201
    assert note.json()["body"] == "Called." and note.json()["visibility"] == "team"
    assert Note.objects.get(case=case).body == "Called."

    body = {"kind": "legal", "happened_on": "2026-01-05", "minutes": 30, "summary": "Visa"}
    support = _post(client, f"/api/cases/{case.pk}/support/create/", body)
    assert support.status_code == 201
    assert support.json()["minutes"] == 30
    assert SupportLog.objects.get(case=case).minutes == 30


def test_bad_input_is_a_400_and_writes_nothing(login, world):
    case = make_case(world)
    response = _post(login("caseworker"), f"/api/cases/{case.pk}/goals/", {"domain": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"domain", "title"}
    assert not Goal.objects.filter(case=case).exists()


def test_a_case_the_user_may_not_see_is_a_404(login, world):
    case = make_case(world, org="b")
    response = _post(login("caseworker"), f"/api/cases/{case.pk}/notes/create/", {"body": "x"})
    assert response.status_code == 404
    assert not Note.objects.filter(case=case).exists()


def test_assessment_is_recorded_with_its_scores(login, world):
    case = make_case(world)
    scores = [{"domain": d, "score": 3} for d in Domain.values if d != "polish"]
    body = {
        "assessed_on": "2026-01-10",
        "scores": [*scores, {"domain": "polish", "score": 2, "comment": "A2"}],
    }
    url = f"/api/cases/{case.pk}/assessments/create/"
    response = _post(login("caseworker"), url, body)
    assert response.status_code == 201
    answered = {s["domain"]: (s["score"], s["comment"]) for s in response.json()["scores"]}
    assert answered["polish"] == (2, "A2") and answered["work"] == (3, "")
    assert len(answered) == len(Domain.values)
    assert _post(login("caseworker"), url, {**body, "scores": scores}).status_code == 400


def test_task_status_and_the_plan_request_and_decision(login, world):
    case = make_case(world)
    goal = Goal.objects.create(case=case, domain="language", title="B1")
    task = Task.objects.create(goal=goal, title="Enrol", assignee_kind="staff")
    caseworker = login("caseworker")
    done = _post(caseworker, f"/api/cases/tasks/{task.pk}/status/", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None

    asked = _post(caseworker, f"/api/cases/{case.pk}/plan/decide/", {"decision": "request"})
    assert asked.status_code == 200
    assert asked.json() == {"plan_status": PlanStatus.REQUESTED, "plan_comment": ""}
    coordinator = login("coordinator")
    returned = _post(coordinator, f"/api/cases/{case.pk}/plan/decide/", {"decision": "return"})
    assert returned.status_code == 400
    back = {"decision": "return", "comment": "Add a work goal."}
    returned = _post(coordinator, f"/api/cases/{case.pk}/plan/decide/", back)
    assert returned.status_code == 200
    assert returned.json() == {
        "plan_status": PlanStatus.RETURNED,
        "plan_comment": "Add a work goal.",
    }


def test_task_is_added_to_a_goal_with_its_assignee(login, world):
    case = make_case(world)
    goal = Goal.objects.create(case=case, domain="polish", title="B1")
    body = {"title": "Enrol", "assignee_kind": "staff", "assignee_user": case.lead_id}
    response = _post(login("caseworker"), f"/api/cases/goals/{goal.pk}/tasks/", body)
    assert response.status_code == 201
    assert response.json()["assignee_user"] == case.lead_id
    assert Task.objects.get(goal=goal).title == "Enrol"


def test_partner_answers_a_referral(login, world):
    referral = make_referral(make_case(world), to=world.org("b"))
    url = f"/api/referrals/{referral.pk}/respond/"
    partner = login("coordinator", "b")
    assert _post(partner, url, {"action": "decline"}).status_code == 400
    response = _post(partner, url, {"action": "accept", "comment": "We call them."})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    referral.refresh_from_db()
    assert referral.status == "accepted"
