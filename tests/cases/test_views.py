import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mosty.access.models import AuditEvent
from mosty.cases.models import Assessment, Case, Domain, Referral
from tests.cases.factories import (
    make_case,
    make_goal,
    make_note,
    make_participant,
    make_referral,
    make_task,
)
from tests.utils import assert_constant_queries


def test_open_case_by_participant_code(world, login):
    client = login("caseworker")
    participant = make_participant(world)
    url = reverse("cases:create")
    response = client.post(
        url,
        {
            "organisation": world.org_a.pk,
            "participant_code": "NOPE",
            "lead": world.user("caseworker").pk,
        },
    )
    assert response.status_code == 200 and "participant_code" in response.context["form"].errors
    response = client.post(
        url,
        {
            "organisation": world.org_a.pk,
            "participant_code": participant.code,
            "lead": world.user("caseworker").pk,
        },
    )
    case = Case.objects.get(participant=participant)
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.pk]
    )


def test_case_team_is_chosen_from_searchable_selects(world, login):
    """A large organisation's staff run to hundreds: the new-case form lists 50 of them for
    lead and team, finds one by surname, and opens the case with a member never listed."""
    from tests.factories import MembershipFactory, UserFactory

    for n in range(55):
        MembershipFactory(
            organisation=world.org_a, role="caseworker", user=UserFactory(last_name=f"Nowak {n}")
        )
    rare = UserFactory(first_name="Olena", last_name="Zielińska")
    MembershipFactory(organisation=world.org_a, role="caseworker", user=rare)
    participant = make_participant(world)
    client = login("caseworker")
    url = reverse("cases:create")
    page = client.get(url).content.decode()
    for name in ("lead", "members"):
        select = page.split(f'id="id_{name}"', 1)[1].split("</select>", 1)[0]
        # at most: the empty choice, the one already chosen, 50 matches
        assert select.count("<option") <= 52 and "Zielińska" not in select
    found = client.post(url, {"_search": "members", "members__q": "zieli"}).content.decode()
    assert "Zielińska" in found.split('id="id_members"', 1)[1].split("</select>", 1)[0]
    response = client.post(
        url,
        {
            "organisation": world.org_a.pk,
            "participant_code": participant.code,
            "lead": world.user("caseworker").pk,
            "members": [rare.pk],
        },
    )
    assert response.status_code == 302
    assert list(Case.objects.get(participant=participant).members.all()) == [rare]


def test_task_partner_is_chosen_from_a_searchable_select(world, login):
    """Any of a city's thousands of organisations may take a task: the form lists 50 and
    assigns one found by a search."""
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(55, name="Fundacja Pomocy")
    partner = OrganisationFactory(name="Zzz Centrum Integracji")
    goal = make_goal(make_case(world, lead=world.user("caseworker")))
    client = login("caseworker")
    url = reverse("cases:task_create", args=[goal.pk])
    page = client.get(url).content.decode()
    select = page.split('id="id_assignee_organisation"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 51 and "Zzz Centrum" not in select
    response = client.post(
        url,
        {"title": "Zapis na kurs", "assignee_kind": "partner", "assignee_organisation": partner.pk},
    )
    assert response.status_code == 302
    assert goal.tasks.get().assignee_organisation == partner


def test_detail_shows_plan_notes_and_audits_the_read(world, login):
    case = make_case(world)
    make_task(make_goal(case), title="Visit the housing office")
    make_note(case, body="Very private note")
    client = login("caseworker")
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert b"Visit the housing office" in response.content
    assert b"Very private note" in response.content
    assert AuditEvent.objects.filter(
        action="mosty.cases.case.viewed", object_id=str(case.pk)
    ).exists()


def test_stale_form_gets_conflict_message(world, login):
    case = make_case(world)
    client = login("caseworker")
    url = reverse("cases:edit", args=[case.pk])
    data = {"version": case.version, "lead": case.lead_id, "review_date": "2030-01-01"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "review_date": "2031-01-01"})
    assert response.status_code == 200
    # The conflict message reaches the user in their language (here Polish).
    assert "Odśwież stronę" in " ".join(response.context["form"].non_field_errors())
    case.refresh_from_db()
    assert case.review_date == datetime.date(2030, 1, 1)


def test_close_without_reason_is_a_field_error(world, login):
    case = make_case(world, status="active")
    client = login("caseworker")
    response = client.post(
        reverse("cases:status", args=[case.pk]), {"version": case.version, "status": "closed"}
    )
    assert response.status_code == 200 and "closure_reason" in response.context["form"].errors


def test_assessment_form_and_progress_chart(world, login):
    case = make_case(world)
    client = login("caseworker")
    url = reverse("cases:assessment_create", args=[case.pk])
    data = {"assessed_on": timezone.localdate().isoformat()}
    for d in Domain.values:
        data[f"score_{d}"] = "2"
        data[f"comment_{d}"] = ""
    bad = {**data, "score_housing": "9"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "score_housing" in response.context["form"].errors
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "score_housing": "4"}).status_code == 302
    assert Assessment.objects.filter(case=case).count() == 2
    response = client.get(reverse("cases:progress", args=[case.pk]))
    assert b"<svg" in response.content and b'class="mosty-chart"' in response.content
    assert b"<table" in response.content


def test_partner_sees_only_shared_fields_after_accepting(world, login):
    case = make_case(world)
    make_note(case, body="Secret therapy note")
    referral = make_referral(case, to=world.org_b, shared_fields=("first_name",))
    client = login("caseworker", "b")
    url = reverse("cases:referral_detail", args=[referral.pk])
    page = client.get(url).content.decode()
    assert case.participant.first_name not in page
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.post(reverse("cases:referral_accept", args=[referral.pk]), {"comment": ""})
    page = client.get(url).content.decode()
    assert case.participant.first_name in page
    assert case.participant.phone not in page
    assert case.participant.last_name not in page
    assert "Secret therapy note" not in page
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # Decline needs a reason (shown as a message, nothing changes).
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_api_conflict_is_409_and_bad_input_400(world, login):
    case = make_case(world)
    client = login("caseworker")
    url = reverse("api:case_status", args=[case.pk])
    assert (
        client.post(
            url, {"status": "active", "version": 1}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.post(
        url, {"status": "on_hold", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 409
    response = client.post(url, {"status": "flying"}, content_type="application/json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.post(
        reverse("api:case_goal_create", args=[case.pk]),
        {"domain": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_api_referral_partner_view(world, login):
    case = make_case(world)
    referral = make_referral(case, to=world.org_b, shared_fields=("birth_year",))
    client = login("coordinator", "b")
    url = reverse("api:referral_detail", args=[referral.pk])
    assert client.get(url).json()["shared"] is None
    response = client.post(
        reverse("api:referral_respond", args=[referral.pk]),
        {"action": "decline"},
        content_type="application/json",
    )
    assert response.status_code == 400
    client.post(
        reverse("api:referral_respond", args=[referral.pk]),
        {"action": "accept"},
        content_type="application/json",
    )
    data = client.get(url).json()
    assert list(data["shared"].values()) == ["1990"]
    assert "participant" not in data and "case" not in data
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_constant_queries(world, login):
    client = login("caseworker")
    case = make_case(world, review_date=timezone.localdate())

    def grow():
        c = make_case(world, review_date=timezone.localdate())
        goal = make_goal(c)
        make_task(goal, due_date=timezone.localdate() - datetime.timedelta(days=2))
        make_goal(case)
        make_task(make_goal(case))
        make_note(case)
        make_referral(case)

    urls = [
        reverse("cases:list"),
        reverse("cases:dashboard"),
        reverse("core:dashboard"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:note_list", args=[case.pk]),
        reverse("cases:referral_list") + "?direction=outgoing",
        reverse("api:case_list"),
    ]
    for url in urls:
        assert_constant_queries(client, url, grow, times=3)


def test_coordinator_finds_plans_awaiting_approval(world, login):
    waiting = make_case(world, plan_status="requested")
    make_case(world)
    client = login("coordinator")
    response = client.get(reverse("cases:list") + "?awaiting_approval=on")
    assert [c.pk for c in response.context["page"]] == [waiting.pk]
    response = client.get(reverse("core:dashboard"))
    assert reverse("cases:list").encode() + b"?awaiting_approval=on" in response.content
    response = client.get(reverse("cases:plan_decide", args=[waiting.pk]))
    assert response.status_code == 200
    response = client.post(
        reverse("cases:plan_decide", args=[waiting.pk]), {"decision": "return", "comment": ""}
    )
    assert response.status_code == 200 and "comment" in response.context["form"].errors


def test_api_task_status_and_support_log(world, login):
    case = make_case(world)
    task = make_task(make_goal(case))
    client = login("caseworker")
    url = reverse("api:case_task_status", args=[task.pk])
    assert client.post(url, {"status": "nope"}, content_type="application/json").status_code == 400
    assert (
        client.post(url, {"status": "done"}, content_type="application/json").json()["status"]
        == "done"
    )
    url = reverse("api:case_support_create", args=[case.pk])
    bad = client.post(
        url,
        {"kind": "legal", "happened_on": "2999-01-01", "minutes": 30},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "happened_on" in bad.json()
    ok = client.post(
        url,
        {"kind": "legal", "happened_on": "2025-01-01", "minutes": 30, "summary": "Card"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    logs = client.get(reverse("api:case_support", args=[case.pk])).json()
    assert logs[0]["summary"] == "Card" and logs[0]["minutes"] == 30


def test_note_list_paginates_and_hides_others_restricted_notes(world, login):
    case = make_case(world, members=[world.user("coordinator")])
    for i in range(30):
        make_note(case, body=f"Note number {i:02d}")
    make_note(case, body="Therapy session details", visibility="restricted")
    client = login("coordinator")
    url = reverse("cases:note_list", args=[case.pk])
    first = client.get(url).content.decode()
    assert "Note number 29" in first and "Note number 00" not in first
    assert "Therapy session details" not in first
    assert "Note number 00" in client.get(url + "?page=2").content.decode()


def test_case_list_search_finds_a_name_in_any_script(world, login):
    case = make_case(world, participant=make_participant(world, first_name="Oleksandr"))
    make_case(world)
    client = login("caseworker")
    for query in ("Олександр", "oleksandr", case.participant.code):
        page = client.get(reverse("cases:list"), {"q": query}).context["page"]
        assert [c.pk for c in page] == [case.pk], query


def test_plan_reads_are_audited(world, login):
    case = make_case(world, plan_status="requested")
    make_goal(case)
    login("caseworker").get(reverse("api:case_plan", args=[case.pk]))
    login("coordinator").get(reverse("cases:plan_decide", args=[case.pk]))
    events = AuditEvent.objects.filter(action="mosty.cases.case.viewed", object_id=str(case.pk))
    assert events.count() == 2 and all(e.fields == ["plan"] for e in events)


def test_participant_page_leads_to_their_cases_and_opens_a_prefilled_case(world, login):
    participant = make_participant(world)
    case = make_case(world, participant=participant)
    client = login("caseworker")
    page = client.get(reverse("people:detail", args=[participant.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in page
    open_url = f"{reverse('cases:create')}?participant={participant.pk}"
    assert open_url in page
    form = client.get(open_url).context["form"]
    assert form.initial["participant_code"] == participant.code
    # A coordinator of the organisation is offered the same way on.
    page = login("coordinator").get(reverse("people:detail", args=[participant.pk]))
    assert open_url in page.content.decode()


def test_participant_cases_constant_queries(world, login):
    participant = make_participant(world)
    # One case to begin with: with none, the page reads (and audits) nothing about cases, so
    # the first case adds the audit's writes; what must not grow is the cost of each more.
    make_case(world, participant=participant)
    client = login("caseworker")
    url = reverse("people:detail", args=[participant.pk])

    def grow():
        make_case(world, participant=participant)

    assert_constant_queries(client, url, grow)


def test_task_added_by_mistake_can_be_deleted_shortly_after_and_is_audited(world, login):
    case = make_case(world)
    task = make_task(make_goal(case), title="Typo task")
    client = login("caseworker")
    delete_url = reverse("cases:task_delete", args=[task.pk])
    assert delete_url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    assert not case.goals.get().tasks.exists()
    assert AuditEvent.objects.filter(
        action="mosty.case.task.deleted", object_id=str(task.pk), actor=world.user("caseworker")
    ).exists()
    # An older task is kept for the plan's history: it can only be cancelled.
    old = make_task(case.goals.get(), title="Old task")
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:task_delete", args=[old.pk]) not in page
    assert client.post(reverse("cases:task_delete", args=[old.pk])).status_code == 403
    assert case.goals.get().tasks.filter(pk=old.pk).exists()


def test_words_on_notes_and_referrals_read_right_in_polish(world, login):
    case = make_case(world)
    make_note(case, body="Spotkanie w urzędzie.")
    client = login("caseworker")
    page = client.get(f"/pl/cases/{case.pk}/notes/new/").content.decode()
    assert "Notatka" in page and "Uwaga" not in page
    page = client.get(f"/pl/cases/{case.pk}/").content.decode()
    assert '<p class="mb-0" dir="auto">Spotkanie w urzędzie.</p>' in page
    referral = make_referral(case, to=world.org_b)
    partner = login("caseworker", "b")
    partner.post(f"/pl/cases/referrals/{referral.pk}/accept/", {"comment": "Zapraszamy we wtorek."})
    page = partner.get(f"/pl/cases/referrals/{referral.pk}/").content.decode()
    assert "Komentarz partnera" in page and "Powód" not in page


def test_stale_goal_form_gets_the_shared_conflict_message(world, login):
    goal = make_goal(make_case(world))
    client = login("caseworker")
    url = reverse("cases:goal_edit", args=[goal.pk])
    data = {
        "version": goal.version,
        "domain": "housing",
        "title": "Flat in Oliwa",
        "status": "open",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Stale edit"})
    assert response.status_code == 200
    assert "Odśwież stronę" in " ".join(response.context["form"].non_field_errors())
    goal.refresh_from_db()
    assert goal.title == "Flat in Oliwa" and goal.version == 2
    assert goal.updated_by == world.user("caseworker")


def test_refused_referral_answer_is_a_message_and_changes_nothing(world, login):
    referral = make_referral(make_case(world), to=world.org_b)
    client = login("coordinator", "b")
    response = client.post(
        reverse("cases:referral_decline", args=[referral.pk]), {"reason": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("cases:referral_detail", args=[referral.pk])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_referral_shows_languages_as_the_participant_page_does(world, login):
    from django.utils import translation

    from mosty.core.formats import languages_spoken

    languages = [{"code": "ar", "level": "native"}, {"code": "en", "level": "B1"}]
    participant = make_participant(world, languages=languages)
    referral = make_referral(
        make_case(world, participant=participant),
        to=world.org_b,
        status="accepted",
        shared_fields=("languages",),
    )
    partner = login("coordinator", "b")
    for language in ("pl", "ar", "en"):
        with translation.override(language):
            words = languages_spoken(languages)
            page = partner.get(reverse("cases:referral_detail", args=[referral.pk]))
        text = page.content.decode()
        assert ", ".join(words) in text, language
        assert "ar (native)" not in text


def test_new_review_target_and_due_dates_cannot_be_in_the_past(world, login):
    from django.utils import translation

    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    participant = make_participant(world)
    client = login("caseworker")
    with translation.override("pl"):
        said = str(gettext("The date cannot be in the past."))
    create = {
        "organisation": world.org_a.pk,
        "participant_code": participant.code,
        "lead": world.user("caseworker").pk,
    }
    response = client.post(reverse("cases:create"), {**create, "review_date": "2020-01-01"})
    assert response.context["form"].errors["review_date"] == [said]
    assert not Case.objects.filter(participant=participant).exists()
    assert client.post(reverse("cases:create"), {**create, "review_date": today}).status_code == 302
    case = Case.objects.get(participant=participant)

    goal_url = reverse("cases:goal_create", args=[case.pk])
    response = client.post(goal_url, {"domain": "work", "title": "Job", "target_date": past})
    assert response.context["form"].errors["target_date"] == [said]
    assert client.post(goal_url, {"domain": "work", "title": "Job"}).status_code == 302
    goal = case.goals.get()

    task_url = reverse("cases:task_create", args=[goal.pk])
    task = {"title": "Call", "assignee_kind": "staff", "assignee_user": case.lead_id}
    response = client.post(task_url, {**task, "due_date": "2020-01-01"})
    assert response.context["form"].errors["due_date"] == [said]
    assert not goal.tasks.exists()
    assert client.post(task_url, {**task, "due_date": today}).status_code == 302

    # A record that already holds a past date is still edited.
    type(case).objects.filter(pk=case.pk).update(review_date=datetime.date(2020, 1, 1))
    case.refresh_from_db()
    edit = {"version": case.version, "lead": case.lead_id, "review_date": "2020-01-01"}
    assert client.post(reverse("cases:edit", args=[case.pk]), edit).status_code == 302
