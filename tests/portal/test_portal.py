import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from mosty.access.models import AuditEvent
from mosty.accounts.models import Membership
from mosty.messaging.models import Message, Notification
from mosty.messaging.outbox import message_to_participant
from mosty.people.models import Consent
from mosty.portal import services
from mosty.portal.models import (
    HelpRequest,
    HelpStatus,
    PortalAccount,
    PortalInvitation,
    TaskReport,
)
from mosty.portal.selectors import portal_invitables
from tests.cases.factories import make_case, make_goal, make_participant, make_referral, make_task
from tests.portal.factories import link, with_plan

pytestmark = pytest.mark.django_db


def test_invite_by_email_then_join_links_exactly_that_participant(world, client, login):
    participant = make_participant(world, "a", email="olena@example.org")
    staff = login("caseworker")
    response = staff.post(
        reverse("portal:invite", args=[participant.pk]),
        {"channel": "email", "consent_text": "I want my own page."},
    )
    assert response.status_code == 302
    assert Consent.objects.filter(participant=participant, purpose="portal").exists()
    message = Message.objects.get(recipient_participant=participant)
    assert message.template == "portal_invitation_email" and message.channel == "email"
    code = re.search(
        r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", str(list(response.wsgi_request._messages)[0])
    )
    assert code
    client.logout()
    response = client.post(
        reverse("portal:join_code", args=[code.group(0)]),
        {
            "code": code.group(0),
            "email": "olena.own@example.org",
            "password1": "a long safe password 42",
            "password2": "a long safe password 42",
        },
    )
    assert response.status_code == 302
    account = PortalAccount.objects.get(participant=participant)
    assert account.user.email == "olena.own@example.org"
    assert Membership.objects.filter(
        user=account.user, organisation=participant.owner, role="participant"
    ).exists()
    # The code works once.
    with pytest.raises(ValidationError):
        services.invitation_accept(
            code=code.group(0), email="x@example.org", password="another long one 42", language="pl"
        )


def test_invite_by_sms_needs_a_phone_and_a_consent_text(world, login):
    participant = make_participant(world, "a", phone="")
    staff = login("caseworker")
    response = staff.post(
        reverse("portal:invite", args=[participant.pk]), {"channel": "sms", "consent_text": ""}
    )
    assert response.status_code == 200
    with translation.override("pl"):
        expected = gettext("Add the person's phone number first, or send an e-mail.")
    assert expected in response.content.decode()
    assert not Message.objects.exists()


def test_a_wrong_code_is_an_error_beside_the_field(client, world):
    response = client.post(
        reverse("portal:join"),
        {
            "code": "AAAA-BBBB-CC",
            "email": "a@example.org",
            "password1": "x" * 12,
            "password2": "x" * 12,
        },
    )
    assert response.status_code == 200
    with translation.override("pl"):
        expected = gettext("This code does not work. It may have expired: ask for a new one.")
    assert expected in response.content.decode()
    assert not PortalAccount.objects.exists()


def test_participant_sees_own_plan_not_staff_notes_and_marks_task_done(world, login):
    task = with_plan(world, "a")
    case = task.goal.case
    case.notes.create(body="Staff only: difficult landlord.", author=case.lead)
    client = login("participant")
    page = client.get(reverse("portal:plan")).content.decode()
    assert task.title in page
    assert "difficult landlord" not in page
    response = client.post(reverse("portal:task_done", args=[task.pk]), {"note": "Done on Monday"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    assert TaskReport.objects.get(task=task).note == "Done on Monday"
    bell = Notification.objects.get(user=case.lead, template="task_done_by_participant")
    assert bell.url.endswith(reverse("cases:detail", args=[case.pk]) + "#case-done-heading")
    # The caseworker sees it on the dashboard.
    dashboard = login("caseworker").get(reverse("core:dashboard")).content.decode()
    assert "Done on Monday" in dashboard


def test_a_task_already_done_says_so_instead_of_refusing(world, login):
    task = with_plan(world, "a")
    client = login("participant")
    translation.activate("en")
    url = reverse("portal:task_done", args=[task.pk])
    client.post(url, {"note": "Done on Monday"})
    for again in (client.get(url, follow=True), client.post(url, {"note": "x"}, follow=True)):
        assert again.status_code == 200
        assert again.redirect_chain[-1][0] == reverse("portal:plan")
        assert "This task is already done." in again.content.decode()
    assert TaskReport.objects.filter(task=task).count() == 1


def test_second_participant_gets_404_for_the_first_ones_task(world, client):
    task = with_plan(world, "a")
    other = make_participant(world, "a")
    PortalAccount.objects.create(
        user=world.user("participant", "b"),
        participant=make_participant(world, "b"),
        invited_at=task.created_at,
        accepted_at=task.created_at,
    )
    client.force_login(world.user("participant", "b"))
    assert client.get(reverse("portal:task_done", args=[task.pk])).status_code == 404
    assert other.code not in client.get(reverse("portal:plan")).content.decode()


def test_ask_for_help_lands_with_the_case_team_or_the_intake_queue(world, login):
    participant = link(world, "a")
    client = login("participant")
    client.post(reverse("portal:help"), {"text": "Потрібен лікар"})
    request = HelpRequest.objects.get()
    assert request.case is None and request.organisation == world.org_a
    # Intake: the organisation's coordinators and caseworkers are told.
    assert Notification.objects.filter(user=world.user("coordinator", "a")).exists()
    case = make_case(world, "a", participant=participant)
    client.post(reverse("portal:help"), {"text": "Where is my appointment?"})
    assert HelpRequest.objects.filter(case=case).exists()
    dashboard = login("caseworker").get(reverse("core:dashboard")).content.decode()
    assert "Where is my appointment?" in dashboard
    # Org B's caseworker sees none of it.
    assert (
        "Where is my appointment?"
        not in login("caseworker", "b").get(reverse("portal:help_list")).content.decode()
    )


def test_participant_withdraws_own_consent_after_confirming(world, login):
    participant = link(world, "a")
    consent = Consent.objects.get(participant=participant, purpose="referral")
    client = login("participant")
    translation.activate("en")
    url = reverse("portal:consent_withdraw", args=[consent.pk])
    assert f'href="{url}"' in client.get(reverse("portal:consents")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "If you withdraw this consent:" in page.content.decode()
    assert "no longer use your data for this purpose" in page.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # only shown, nothing withdrawn yet
    response = client.post(url, {"confirm": "yes"})
    assert response.url == reverse("portal:consents")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    # Back, or a second tap: told it is done already, not a 403.
    for again in (client.get(url), client.post(url, {"confirm": "yes"})):
        assert again.status_code == 200
        assert "This consent is already withdrawn." in again.content.decode()
        assert 'name="confirm"' not in again.content.decode()
    assert client.get(reverse("portal:home")).status_code == 200  # the portal stays


def test_withdrawing_the_portal_consent_ends_the_portal_access(world, client):
    participant = link(world, "a")
    user = world.user("participant", "a")
    consent = Consent.objects.get(participant=participant, purpose="portal")
    client.force_login(user)
    url = f"/uk/my/consents/{consent.pk}/withdraw/"
    with translation.override("uk"):
        warning = gettext(
            "Your account in this portal ends at once: you are logged out and can no longer "
            "open these pages."
        )
    assert warning in client.get(url).content.decode()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "_auth_user_id" not in client.session  # logged out
    assert not Membership.objects.get(user=user, role="participant").is_active
    # Logging in again (or a session on another device) no longer opens the portal.
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 403


def test_my_data_exports_myself_only(world, login):
    participant = link(world, "a")
    other = make_participant(world, "a")
    client = login("participant")
    data = client.get(reverse("portal:data") + "?format=json").json()
    assert data["participant"]["code"] == participant.code
    assert other.code not in str(data)


def test_staff_page_of_a_participant_offers_the_invitation(world, login):
    participant = make_participant(world, "a")
    page = login("caseworker").get(reverse("people:detail", args=[participant.pk])).content
    assert reverse("portal:invite", args=[participant.pk]).encode() in page


def test_portal_pages_are_right_to_left_in_arabic(world, client):
    link(world, "a")
    client.force_login(world.user("participant", "a"))
    page = client.get("/ar/my/").content.decode()
    assert 'dir="rtl"' in page


def test_goal_without_tasks_shows(world, login):
    participant = link(world, "a")
    make_goal(make_case(world, "a", participant=participant))
    page = login("participant").get(reverse("portal:plan")).content.decode()
    assert "Flat" in page
    assert "has not written your plan" not in page


def test_handled_request_tells_the_person_in_their_language(world, login):
    participant = link(world, "a")
    participant.languages = [{"code": "uk", "level": "native"}]
    participant.email = "olena@example.org"
    participant.save()
    user = world.user("participant", "a")
    user.language = "uk"  # chosen when they joined (the page's language)
    user.save()
    client = login("participant")
    client.post(reverse("portal:help"), {"text": "Потрібен лікар"})
    request = HelpRequest.objects.get()
    staff = login("caseworker")
    assert staff.post(reverse("portal:help_handle", args=[request.pk])).status_code == 302
    message = Message.objects.get(template="help_handled")
    assert (message.channel, message.language) == ("email", "uk")
    assert message.recipient_participant_id == participant.pk


def test_portal_and_staff_lists_keep_a_constant_number_of_queries(world, login):
    from tests.utils import assert_constant_queries

    participant = link(world, "a")
    case = make_case(world, "a", participant=participant)
    goal = make_goal(case)
    make_task(goal)
    make_referral(case)
    client = login("participant")
    assert_constant_queries(client, reverse("portal:plan"), lambda: make_task(goal))
    assert_constant_queries(
        client,
        reverse("portal:referrals"),
        lambda: make_referral(case),
    )
    assert_constant_queries(
        client, reverse("portal:home"), lambda: make_goal(case) and make_task(goal)
    )
    HelpRequest.objects.create(
        participant=participant, organisation=world.org_a, case=case, text="x", language="uk"
    )
    staff = login("caseworker")
    assert_constant_queries(
        staff,
        reverse("portal:help_list"),
        lambda: HelpRequest.objects.create(
            participant=participant, organisation=world.org_a, case=case, text="x", language="uk"
        ),
    )


def test_every_portal_page_renders_in_the_seven_languages(world, client):
    link(world, "a")
    client.force_login(world.user("participant", "a"))
    for language in ("pl", "en", "uk", "ru", "ar", "fa", "fr"):
        for name in ("home", "plan", "referrals", "registrations", "consents", "data", "help"):
            response = client.get(f"/{language}/my/" + reverse(f"portal:{name}").split("/my/")[1])
            assert response.status_code == 200, (language, name)
            direction = "rtl" if language in ("ar", "fa") else "ltr"
            assert f'lang="{language}" dir="{direction}"' in response.content.decode()


def test_my_documents_lists_certificates_and_booklets_in_my_language(world, login):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from mosty.events.models import Attendance
    from mosty.knowledge import services as kb
    from mosty.knowledge.models import BookletExport
    from tests.events.factories import make_event, make_registration
    from tests.knowledge.factories import article
    from tests.portal.factories import link

    participant = link(world, "a")
    user = world.user("participant", "a")
    event = make_event(world.org_a, district=world.district)
    registration = make_registration(event, participant=participant)
    Attendance.objects.create(session=event.sessions.get(), registration=registration)
    booklet = kb.booklet_create(
        title="Informator", articles=[article()], by=world.user("coordinator")
    )
    for language in (user.language, "ar"):
        export = BookletExport(booklet=booklet, language=language, status="done")
        export.pdf.save(f"b-{language}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        export.save()
    client = login("participant")
    page = client.get(reverse("portal:documents")).content.decode()
    assert "certificate.pdf" in page
    mine = BookletExport.objects.get(language=user.language)
    other = BookletExport.objects.get(language="ar")
    assert reverse("portal:booklet", args=[mine.pk]) in page
    assert reverse("portal:booklet", args=[other.pk]) not in page
    download = client.get(reverse("portal:booklet", args=[mine.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    name = mine.pdf.name.rsplit("/", 1)[-1]
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert client.get(reverse("portal:booklet", args=[other.pk])).status_code == 404


def test_own_record_lists_record_what_they_show(world, login):
    from mosty.access.models import AuditEvent

    participant = link(world, "a")
    case = make_case(world, "a", participant=participant)
    make_task(make_goal(case))
    referral = make_referral(case)
    consent = Consent.objects.get(participant=participant, purpose="portal")
    client = login("participant")
    for name in ("plan", "referrals", "registrations", "consents"):
        assert client.get(reverse(f"portal:{name}")).status_code == 200
    reads = {
        (event.object_type, event.object_id): event.fields
        for event in AuditEvent.objects.filter(action__endswith=".viewed")
    }
    assert reads[("cases.case", str(case.pk))] == ["goals", "tasks"]
    assert reads[("cases.referral", str(referral.pk))] == ["status"]
    assert reads[("people.consent", str(consent.pk))] == ["purpose", "text_shown"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_my_data_is_a_readable_page_in_my_language(world, client, language):
    import datetime as dt

    participant = link(world, "a")
    participant.citizenship = "RU"
    participant.arrival_date = dt.date(2024, 4, 11)
    participant.save()
    client.force_login(world.user("participant", "a"))
    page = client.get(f"/{language}/my/my-data/").content.decode()
    assert "{&#x27;" not in page and "<pre" not in page and "anonymised_at" not in page
    with translation.override(language):
        from django.utils.formats import date_format
        from django.utils.text import capfirst

        from mosty.people.models import Participant

        label = str(Participant._meta.get_field("citizenship").verbose_name)
        country = str(dict(Participant._meta.get_field("citizenship").flatchoices)["RU"])
        arrival = date_format(dt.date(2024, 4, 11), "DATE_FORMAT")
    assert f">{capfirst(label)}</dt>" in page
    assert country in page and arrival in page
    assert "2024-04-11" not in page


def test_staff_recording_the_portal_withdrawal_ends_the_access_too(world, client):
    """A participant who withdraws on paper: the caseworker records it on their page, and the
    portal closes as when they withdraw it themself (people.signals)."""
    from mosty.people.services import consent_withdraw

    participant = link(world, "a")
    user = world.user("participant", "a")
    consent = Consent.objects.get(participant=participant, purpose="portal")
    consent_withdraw(consent=consent, by=world.user("caseworker", "a"))
    assert not Membership.objects.get(user=user, role="participant").is_active
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 403


def test_withdrawing_the_referral_consent_in_the_portal_withdraws_open_referrals(world, login):
    """The newcomer's own withdrawal goes through the same people service as staff's: the other
    modules hear of it (people.signals), so an open referral no longer waits for the partner."""
    participant = link(world, "a")
    case = make_case(world, "a", participant=participant)
    sent = make_referral(case, to=world.org_b)
    accepted = make_referral(case, to=world.org_b, status="accepted")
    consent = Consent.objects.get(participant=participant, purpose="referral")
    client = login("participant")
    with translation.override("en"):
        url = reverse("portal:consent_withdraw", args=[consent.pk])
        warning = "to help you are cancelled if they have not answered yet."
        assert warning in client.get(url).content.decode()
        response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "1 open referral was withdrawn." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "withdrawn"
    assert "withdrew their consent to referrals" in sent.decision_reason
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert AuditEvent.objects.filter(
        action="mosty.case.referral.withdrawn",
        object_id=str(sent.pk),
        actor=world.user("participant", "a"),
    ).exists()


def test_the_consent_recorded_with_an_invitation_sends_the_held_messages(
    world, login, django_capture_on_commit_callbacks
):
    """The consent to the portal an invitation records goes through the people service too
    (people.signals' `consent_recorded`): messaging sends what it held for want of a channel."""
    participant = make_participant(world, "a", consents=(), email="olena@example.org")
    held = message_to_participant(participant, "event_cancelled", {"title": "Kurs"}, key="h-1")
    assert held.status == "held"
    with django_capture_on_commit_callbacks():
        response = login("caseworker").post(
            reverse("portal:invite", args=[participant.pk]),
            {"channel": "email", "consent_text": "I want my own page."},
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.channel) == ("queued", "email")


def _code_of(response) -> str:
    found = re.search(
        r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", str(list(response.wsgi_request._messages)[0])
    )
    assert found
    return found.group(0)


def test_a_person_whose_portal_access_ended_can_be_invited_again(world, client, login):
    """They withdrew the consent to the portal, later give it again: the caseworker invites
    them as the first time, and the code opens the same account again, not a second one."""
    participant = link(world, "a")
    user = world.user("participant", "a")
    consent = Consent.objects.get(participant=participant, purpose="portal")
    services.consent_withdraw_own(consent=consent, by=user)
    assert not Membership.objects.get(user=user, role="participant").is_active
    staff = login("caseworker")
    with translation.override("en"):
        url = reverse("portal:invite", args=[participant.pk])
        person = staff.get(reverse("people:detail", args=[participant.pk])).content.decode()
        assert f'href="{url}"' in person
        assert "Their access to the portal ended. A new invitation opens" in person
        page = staff.get(url).content.decode()
    assert 'name="consent_text"' in page
    # Offered where staff meet the person too (a match, a registrant just linked).
    assert portal_invitables(fetched_by=world.user("caseworker"), participants=[participant]) == [
        participant
    ]
    # The consent to the portal is needed again, as for a first invitation.
    again = staff.post(url, {"channel": "sms", "consent_text": ""})
    assert again.status_code == 200
    assert not PortalInvitation.objects.filter(participant=participant).exists()
    response = staff.post(url, {"channel": "sms", "consent_text": "I want my page back."})
    assert response.status_code == 302
    assert Consent.objects.filter(
        participant=participant, purpose="portal", withdrawn_at__isnull=True
    ).exists()
    assert Message.objects.filter(
        recipient_participant=participant, template="portal_invitation_sms"
    ).exists()
    code = _code_of(response)
    client.logout()
    joined = client.post(
        reverse("portal:join_code", args=[code]),
        {
            "code": code,
            "email": user.email,
            "password1": "a new long safe password 42",
            "password2": "a new long safe password 42",
        },
    )
    assert joined.status_code == 302
    account = PortalAccount.objects.get(participant=participant)
    assert account.user_id == user.pk  # the same account, no duplicate
    user.refresh_from_db()
    assert user.check_password("a new long safe password 42")
    assert Membership.objects.get(user=user, role="participant").is_active
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 200
    # An open account is not invited twice.
    with pytest.raises(ValidationError):
        services.invitation_create(
            participant=participant, channel="sms", consent_text="", by=world.user("caseworker")
        )


def test_a_login_given_another_role_is_not_reopened_by_an_invitation(world, login):
    """The code an invitation sends (which the caseworker sees too) sets the login's password:
    a login that also holds another role since (the newcomer became an interpreter) is not
    handed over that way; the caseworker is told why, nothing is sent."""
    participant = link(world, "a")
    user = world.user("participant", "a")
    Membership.objects.create(user=user, organisation=world.org_b, role="assistant")
    consent = Consent.objects.get(participant=participant, purpose="portal")
    services.consent_withdraw_own(consent=consent, by=user)
    with translation.override("en"):
        response = login("caseworker").post(
            reverse("portal:invite", args=[participant.pk]),
            {"channel": "sms", "consent_text": "I want my page back."},
        )
    assert response.status_code == 200
    assert "holds another role in Mosty, so an invitation cannot open it again" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert not PortalInvitation.objects.filter(participant=participant).exists()
    assert not Message.objects.filter(template="portal_invitation_sms").exists()


def test_asking_twice_with_the_same_words_sends_one_request(world, login):
    """A second tap on "Send" over a slow connection, or the form sent again after Back: the
    team gets one request and one notice, and the person is thanked both times."""
    participant = link(world, "a")
    make_case(world, "a", participant=participant)
    client = login("participant")
    for _attempt in range(2):
        response = client.post(reverse("portal:help"), {"text": "Потрібен лікар "}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("portal:home")
        assert len(list(response.context["messages"])) == 1
    assert HelpRequest.objects.count() == 1
    assert Notification.objects.filter(user=world.user("caseworker", "a")).count() == 1
    # Another question is another request; so is the same one once answered or handled.
    client.post(reverse("portal:help"), {"text": "Де мій лист?"})
    assert HelpRequest.objects.count() == 2
    HelpRequest.objects.update(status=HelpStatus.HANDLED)
    client.post(reverse("portal:help"), {"text": "Потрібен лікар"})
    assert HelpRequest.objects.count() == 3


def test_the_demo_participant_is_greeted_by_the_name_of_their_record(world):
    """`make demo`'s participant login is linked to a person's record: its page greeted
    "Dmytro" above the plan of "Emiliia"."""
    import io

    from mosty.accounts.models import User
    from mosty.cases.seed import seed_cases
    from mosty.core.seeding import SeedContext
    from mosty.organisations.seed import demo_users_create
    from mosty.portal.models import PortalAccount
    from mosty.portal.seed import seed_portal
    from tests.factories import OrganisationFactory

    for slug in ("fundacja-most", "centrum-wsparcia", "urzad-miasta-demo", "sp-100-demo"):
        OrganisationFactory(slug=slug)
    demo_users_create()
    ctx = SeedContext(scale="demo", out=io.StringIO())
    seed_cases(ctx)
    seed_portal(ctx)

    user = User.objects.get(email="participant@demo.mosty.local")
    person = PortalAccount.objects.get(user=user).participant
    assert (user.first_name, user.last_name) == (person.first_name, person.last_name)
