import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.events import services
from mosty.events.models import Attendance, Event, Registration
from mosty.events.tasks import registration_mail
from tests.events.factories import make_event, make_registration
from tests.utils import assert_constant_queries


@pytest.fixture
def event(world):
    return make_event(world.org_a, district=world.district, capacity=2)


def _dt(value):
    return value.strftime("%Y-%m-%dT%H:%M")


def _event_post(world, **extra):
    start = timezone.localtime() + timedelta(days=3)
    data = {
        "kind": "staff_training",
        "source_language": "pl",
        "capacity": "12",
        "audiences": ["staff"],
        "languages": ["pl", "en"],
        "accessibility": "Winda, pętla indukcyjna",
        "is_public": "on",
        "tr-TOTAL_FORMS": "2",
        "tr-INITIAL_FORMS": "0",
        "tr-0-language": "pl",
        "tr-0-title": "Kompetencje międzykulturowe",
        "tr-0-description": "Szkolenie dla pracowników instytucji.",
        "tr-1-language": "uk",
        "tr-1-title": "Міжкультурні компетенції",
        "tr-1-description": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-starts_at": _dt(start),
        "sessions-0-ends_at": _dt(start + timedelta(hours=3)),
        "sessions-0-district": str(world.district.pk),
        "sessions-0-place": "Urząd Miasta, sala 1",
        "sessions-1-starts_at": _dt(start + timedelta(days=7)),
        "sessions-1-ends_at": _dt(start + timedelta(days=7, hours=3)),
        "sessions-1-online_url": "https://meet.example.org/abc",
    }
    data.update(extra)
    return data


def test_coordinator_publishes_a_course_with_sessions_and_translations(world, login):
    client = login("coordinator")
    response = client.post(reverse("events:create"), _event_post(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.organisation == world.org_a
    assert event.sessions.count() == 2
    assert event.sessions.first().minutes == 180
    assert set(event.translations.values_list("language", flat=True)) == {"pl", "uk"}
    assert event.starts_at == event.sessions.first().starts_at
    # In Ukrainian the public list shows the Ukrainian title; in French it falls back to Polish.
    client.logout()
    assert "Міжкультурні компетенції" in client.get("/uk/events/").content.decode()
    assert "Kompetencje międzykulturowe" in client.get("/fr/events/").content.decode()


def test_event_form_bad_input_gets_field_errors_not_a_500(world, login):
    client = login("coordinator")
    data = _event_post(world, capacity="-3", kind="party")
    data["sessions-0-ends_at"] = data["sessions-0-starts_at"]
    data["sessions-1-online_url"] = "not a url"
    response = client.post("/en/events/manage/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_capacity_errors"' in html
    assert 'id="id_kind_errors"' in html
    assert "A session must end after it starts." in html
    assert 'id="id_sessions-1-online_url_errors"' in html
    assert not Event.objects.exists()


def test_event_needs_a_session_and_a_title_in_its_source_language(world, login):
    client = login("coordinator")
    data = _event_post(world, **{"tr-0-language": "en", "sessions-TOTAL_FORMS": "0"})
    response = client.post("/en/events/manage/new/", data)
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_coordinator_of_another_organisation_cannot_edit(world, event):
    with pytest.raises(PermissionDenied):
        services.event_update(event=event, by=world.user("coordinator", "b"), capacity=99)


def test_visitor_registers_then_event_fills_and_next_one_is_waitlisted(
    world, client, event, committed
):
    url = f"/uk/events/{event.pk}/register/"
    form = {
        "reg-name": "Olena Kovalenko",
        "reg-email": "olena@example.org",
        "reg-language": "uk",
        "reg-consent": "on",
    }
    response = committed(client.post, url, form)
    assert response.status_code == 302
    first = Registration.objects.get(email="olena@example.org")
    assert first.status == "confirmed"
    assert first.language == "uk"
    # The confirmation mail is in Ukrainian and carries the signed cancel link.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Вашу реєстрацію підтверджено")
    assert "/events/registration/" in mail.outbox[0].body

    committed(
        client.post,
        url,
        {**form, "reg-name": "Ali", "reg-email": "ali@example.org", "reg-language": "ar"},
    )
    committed(
        client.post,
        url,
        {**form, "reg-name": "Jan", "reg-email": "jan@example.org", "reg-language": "pl"},
    )
    assert Registration.objects.get(email="jan@example.org").status == "waitlisted"
    assert "liście rezerwowej" in mail.outbox[-1].subject

    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Full: new registrations go to the waiting list." in page
    assert "Olena" not in page and "Ali" not in page  # public pages never show names


def test_anonymous_registrations_are_rate_limited_per_client(world, client, event, settings):
    settings.MOSTY_PUBLIC_FORM_RATE = "1/h"
    url = f"/en/events/{event.pk}/register/"
    form = {"reg-name": "Olena", "reg-language": "uk", "reg-consent": "on"}
    first = client.post(url, {**form, "reg-email": "olena@example.org"})
    assert first.status_code == 302
    second = client.post(url, {**form, "reg-email": "oksana@example.org"})
    assert second.status_code == 429
    assert "Too many submissions" in second.content.decode()
    assert not Registration.objects.filter(email="oksana@example.org").exists()


def test_registration_form_errors(world, client, event):
    response = client.post(
        f"/en/events/{event.pk}/register/", {"reg-name": "", "reg-language": "xx"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("name", "email", "language", "consent"):
        assert f'id="id_reg-{field}_errors"' in html
    assert not Registration.objects.exists()


def test_staff_training_asks_for_the_institution(world, client):
    training = make_event(world.org_a, kind="staff_training")
    response = client.post(
        f"/en/events/{training.pk}/register/",
        {
            "reg-name": "Ewa",
            "reg-phone": "+48 600 000 000",
            "reg-language": "pl",
            "reg-consent": "on",
        },
    )
    assert 'id="id_reg-institution_errors"' in response.content.decode()


def test_cancel_link_promotes_the_first_on_the_waiting_list_and_tells_them(
    world, client, event, committed
):
    confirmed = make_registration(event, name="Anna A")
    make_registration(event, name="Boris B")
    first_waiting = make_registration(event, name="Chloé C", status="waitlisted", language="fr")
    second_waiting = make_registration(event, name="Dara D", status="waitlisted")
    token = services.cancel_token(confirmed)
    page = client.get(f"/en/events/registration/{token}/")
    assert page.status_code == 200
    response = committed(client.post, f"/en/events/registration/{token}/")
    assert response.status_code == 302
    confirmed.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert confirmed.status == "cancelled"
    assert first_waiting.status == "confirmed" and first_waiting.promoted_at
    assert second_waiting.status == "waitlisted"
    promoted_mail = [m for m in mail.outbox if first_waiting.email in m.to]
    assert promoted_mail and promoted_mail[0].subject.startswith("Une place s’est libérée")
    assert AuditEvent.objects.filter(action="mosty.event.registration.promoted").exists()
    # A forged token opens nothing.
    assert client.get(f"/en/events/registration/{token}x/").status_code == 404


def test_logged_in_user_registers_with_account_and_cancels(world, login, event):
    client = login("institution_staff")
    response = client.post(
        f"/en/events/{event.pk}/register/",
        {"reg-language": "en", "reg-institution": "SP 100", "reg-consent": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=world.user("institution_staff"))
    assert registration.email == world.user("institution_staff").email
    # Registering twice is refused with a message, not a 500.
    with pytest.raises(ValidationError):
        services.registration_create(
            event=event,
            by=world.user("institution_staff"),
            user=world.user("institution_staff"),
            consent=True,
        )
    page = client.get("/en/events/mine/").content.decode()
    assert event.title in page
    client.post(f"/en/events/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_caseworker_registers_a_person_they_support(world, login, event):
    client = login("caseworker", "b")  # any organisation's caseworker, at a public event
    response = client.post(
        f"/en/events/{event.pk}/register-person/",
        {"name": "Dmytro S", "phone": "+48 500 100 200", "language": "uk", "consent": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(name="Dmytro S")
    assert registration.registered_by == world.user("caseworker", "b")
    assert registration.user is None
    # ...but only the organiser sees the registrants.
    assert client.get(f"/en/events/manage/{event.pk}/registrations/").status_code == 404


def test_closed_registration_is_refused(world, event):
    event.registration_closes = timezone.now() - timedelta(hours=1)
    event.save(update_fields=["registration_closes"])
    with pytest.raises(ValidationError):
        services.registration_create(event=event, consent=True, name="X", email="x@example.org")


def test_internal_events_are_hidden_from_the_public_and_other_organisations(world, client, login):
    internal = make_event(world.org_a, title="Spotkanie zespołu", is_public=False)
    assert "Spotkanie zespołu" not in client.get("/pl/events/").content.decode()
    assert client.get(f"/pl/events/{internal.pk}/").status_code == 404
    assert login("mentor", "b").get(f"/pl/events/{internal.pk}/").status_code == 404
    assert login("mentor", "a").get(f"/pl/events/{internal.pk}/").status_code == 200


def test_public_list_filters(world, client):
    from tests.factories import DistrictFactory

    other = DistrictFactory(city=world.city, name="Oliwa")
    make_event(
        world.org_a,
        title="Gotujemy razem",
        kind="cooking",
        district=world.district,
        languages=["uk"],
    )
    make_event(
        world.org_a,
        title="Kino",
        kind="film",
        district=other,
        audiences=["local"],
        languages=["pl"],
    )

    def titles(query):
        return client.get(f"/pl/events/?{query}").content.decode()

    assert "Kino" not in titles("kind=cooking") and "Gotujemy razem" in titles("kind=cooking")
    assert "Gotujemy razem" not in titles(f"district={other.pk}")
    assert "Kino" in titles("audience=local") and "Gotujemy razem" not in titles("audience=mentors")
    assert "Gotujemy razem" in titles("language=uk") and "Kino" not in titles("language=uk")
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert "Kino" not in titles(f"date_from={later}")
    assert client.get("/pl/events/?date_from=nonsense").status_code == 200


def test_attendance_ticks_hours_and_certificate(world, login, event):
    course = make_event(world.org_a, sessions=5, capacity=5)
    olena = make_registration(course, name="Olena K", language="uk")
    mariam = make_registration(course, name="Mariam H", language="ar")
    sessions = list(course.sessions.all())
    client = login("caseworker")
    page = client.get(f"/en/events/manage/sessions/{sessions[0].pk}/attendance/").content.decode()
    assert "Olena K" in page and 'hx-post="' in page
    # htmx: one tick at a time (the form sends the other ticks along; only this one counts).
    for session in sessions[:4]:
        response = client.post(
            f"/en/events/manage/sessions/{session.pk}/attendance/{olena.pk}/",
            {"present": [str(olena.pk)]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "checked" in response.content.decode()
    # Without JavaScript: the whole list at once.
    client.post(
        f"/en/events/manage/sessions/{sessions[0].pk}/attendance/",
        {"present": [olena.pk, mariam.pk]},
    )
    assert Attendance.objects.filter(registration=mariam, present=True).count() == 1
    # Unticking records "absent".
    client.post(f"/en/events/manage/sessions/{sessions[0].pk}/attendance/{mariam.pk}/", {})
    assert Attendance.objects.filter(registration=mariam, present=True).count() == 0

    from mosty.events.selectors import person_progress

    progress = person_progress(registration=olena)
    assert progress == {**progress, "attended": 4, "sessions": 5, "hours": 8.0, "completed": True}
    assert not person_progress(registration=mariam)["completed"]

    response = client.get(f"/en/events/registrations/{olena.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Olena K" in text
    assert "Сертифікат" in text  # in the person's language (Ukrainian)
    assert client.get(f"/en/events/registrations/{mariam.pk}/certificate.pdf").status_code == 404
    # The registrant downloads it through the link from their mail too.
    token = services.cancel_token(olena)
    assert client.get(f"/en/events/registration/{token}/certificate.pdf").status_code == 200


def test_certificate_links_only_for_those_who_completed_and_mailed_to_them_at_once(
    world, login, django_capture_on_commit_callbacks
):
    course = make_event(world.org_a, sessions=5, capacity=5)
    olena = make_registration(course, name="Olena K", language="uk", email="olena@example.org")
    mariam = make_registration(course, name="Mariam H", language="ar", email="mariam@example.org")
    nomail = make_registration(course, name="Ahmad S", email="", phone="+48600100200")
    for session in course.sessions.all():
        Attendance.objects.create(session=session, registration=olena, present=True)
        Attendance.objects.create(session=session, registration=nomail, present=True)
    Attendance.objects.create(session=course.sessions.first(), registration=mariam, present=True)
    client = login("coordinator")
    url = f"/en/events/manage/{course.pk}/registrations/"
    page = client.get(url).content.decode()
    assert f"/registrations/{olena.pk}/certificate.pdf" in page
    assert f"/registrations/{mariam.pk}/certificate.pdf" not in page  # would answer 404
    # The completion threshold reads as a percentage, not a share ("0.80").
    assert "at least 80% of the sessions" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/manage/{course.pk}/certificates/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]
    assert "Сертифікат" in mail.outbox[0].subject or "сертифікат" in mail.outbox[0].subject
    assert services.cancel_token(olena) in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="mosty.event.certificates.sent").exists()


def test_certificate_in_arabic_is_right_to_left(world, event):
    from mosty.events.certificates import certificate_html, certificate_pdf

    registration = make_registration(event, name="مريم حداد", language="ar")
    progress = {"sessions": 1, "attended": 1, "hours": 2.0, "share": 1.0, "completed": True}
    html = certificate_html(registration=registration, progress=progress)
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert certificate_pdf(registration=registration, progress=progress).startswith(b"%PDF")


def test_attendance_only_for_confirmed_registrations(world, event):
    waiting = make_registration(event, status="waitlisted")
    with pytest.raises(ValidationError):
        services.attendance_set(
            session=event.sessions.first(),
            registration=waiting,
            present=True,
            by=world.user("coordinator"),
        )


def test_reminder_mail_in_the_registrants_language(world, event):
    registration = make_registration(event, name="Reza", language="fa")
    registration_mail.call(registration_id=registration.pk, kind="reminder", base_url="http://x/")
    assert mail.outbox[-1].subject.startswith("یادآوری")
    registration.status = "cancelled"
    registration.save(update_fields=["status"])
    assert registration_mail.call(registration_id=registration.pk, kind="reminder") == 0


def test_reminder_is_scheduled_before_the_first_session(
    world, event, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, consent=True, name="Ola", email="ola@example.org")
    reminder = DBTaskResult.objects.get(args_kwargs__kwargs__kind="reminder")
    first = event.sessions.first().starts_at
    assert abs(reminder.run_after - (first - timedelta(hours=24))) < timedelta(seconds=5)


def test_report_numbers_and_exports(world, login):
    training = make_event(
        world.org_a, kind="staff_training", sessions=2, start=timezone.now() - timedelta(days=20)
    )
    people = [
        make_registration(training, name=f"P{i}", institution=inst, audience="staff")
        for i, inst in enumerate(["SP 100", "sp 100", "MOPS", "Urząd"])
    ]
    for session in training.sessions.all():
        for registration in people[:3]:
            Attendance.objects.create(session=session, registration=registration, present=True)
    make_event(world.org_b, kind="film")  # another organisation's event: not in A's report
    client = login("coordinator")
    response = client.get("/en/events/manage/report/")
    totals = response.context["totals"]
    assert totals["events"] == 1
    assert totals["confirmed"] == 4
    assert totals["persons"] == 3
    assert totals["institutions"] == 2  # "SP 100" and "sp 100" are one institution
    assert totals["hours"] == 12.0  # 3 persons x 2 sessions x 2 h
    assert totals["attendance_rate"] == 75.0  # 6 of 8 expected marks
    assert totals["by_audience"] == {"staff": 3}
    csv = client.get("/en/events/manage/report/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Institutions represented" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/en/events/manage/report/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Event" and rows[1][6] == 4
    assert AuditEvent.objects.filter(action="mosty.event.report.exported").count() == 2
    # The installation admin sees the whole city's numbers.
    assert login("admin").get("/en/events/manage/report/").context["totals"]["events"] == 2


def test_registrants_page_is_audited(world, login, event):
    make_registration(event)
    login("coordinator").get(f"/en/events/manage/{event.pk}/registrations/")
    assert AuditEvent.objects.filter(
        action="mosty.events.event.viewed", object_id=str(event.pk)
    ).exists()


def test_pages_keep_a_constant_number_of_queries(world, login, client):
    from tests.factories import DistrictFactory

    event = make_event(world.org_a, capacity=100, sessions=2)
    session = event.sessions.first()

    def grow_events():
        make_event(world.org_a, district=DistrictFactory(city=world.city), sessions=2)

    def grow_registrations():
        registration = make_registration(event, language="uk", institution="MOPS")
        Attendance.objects.create(session=session, registration=registration, present=True)
        me = world.user("caseworker")
        other = make_event(world.org_a, sessions=2)
        make_registration(other, user=me)

    assert_constant_queries(client, "/en/events/", grow_events)
    assert_constant_queries(client, f"/en/events/{event.pk}/", grow_registrations)
    assert_constant_queries(client, "/en/events/calendar.ics", grow_events)
    staff = login("caseworker")
    assert_constant_queries(staff, "/en/events/manage/", grow_events)
    assert_constant_queries(
        staff, f"/en/events/manage/{event.pk}/registrations/", grow_registrations
    )
    assert_constant_queries(
        staff, f"/en/events/manage/sessions/{session.pk}/attendance/", grow_registrations
    )
    assert_constant_queries(staff, "/en/events/mine/", grow_registrations)
    assert_constant_queries(staff, "/en/dashboard/", grow_events)
    coordinator = login("coordinator")
    assert_constant_queries(coordinator, "/en/events/manage/report/", grow_registrations)
    assert_constant_queries(coordinator, "/api/events/", grow_events)
    assert_constant_queries(
        coordinator, f"/api/events/{event.pk}/registrations/", grow_registrations
    )


def test_caseworker_links_the_registration_to_a_participant_they_support(world, login, event):
    from tests.people.factories import ParticipantFactory

    caseworker = world.user("caseworker")
    mine = ParticipantFactory(
        owner=world.org_a, created_by=caseworker, email="olek@example.org", phone=""
    )
    theirs = ParticipantFactory(owner=world.org_b, email="other@example.org")
    client = login("caseworker")
    url = f"/en/events/{event.pk}/register-person/"
    response = client.post(
        url, {"participant_code": theirs.code, "language": "uk", "consent": "on"}
    )
    assert 'id="id_participant_code_errors"' in response.content.decode()
    response = client.post(
        url, {"participant_code": mine.code.lower(), "language": "uk", "consent": "on"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(participant=mine)
    assert registration.name == mine.display_name and registration.email == "olek@example.org"
    with pytest.raises(PermissionDenied):
        services.registration_create(
            event=event,
            by=world.user("caseworker", "b"),
            participant=mine,
            consent=True,
            name="X",
            email="x@example.org",
        )


def _edit_post(event, *, capacity="3", place="Nowe miejsce", mark=" *", **extra):
    """The edit form as the page shows it for `event`, with a few values changed."""
    session = event.sessions.get()
    translations = list(event.translations.order_by("language"))
    data = {
        "kind": event.kind,
        "source_language": "pl",
        "capacity": capacity,
        "audiences": ["newcomers"],
        "languages": ["pl"],
        "is_public": "on",
        "version": str(event.version),
        "tr-TOTAL_FORMS": str(len(translations) + 1),
        "tr-INITIAL_FORMS": str(len(translations)),
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": str(session.pk),
        "sessions-0-event": str(event.pk),
        "sessions-0-starts_at": _dt(timezone.localtime(session.starts_at)),
        "sessions-0-ends_at": _dt(timezone.localtime(session.ends_at) + timedelta(hours=1)),
        "sessions-0-place": place,
    }
    for i, item in enumerate(translations):
        data.update(
            {
                f"tr-{i}-id": str(item.pk),
                f"tr-{i}-event": str(event.pk),
                f"tr-{i}-language": item.language,
                f"tr-{i}-title": item.title + mark,
            }
        )
    data.update(extra)
    return data


def test_coordinator_edits_event_raising_capacity_promotes_the_waiting_list(world, login, event):
    make_registration(event, name="Anna A")
    make_registration(event, name="Boris B")
    waiting = make_registration(event, name="Chloé C", status="waitlisted")
    client = login("coordinator")
    page = client.get(f"/en/events/manage/{event.pk}/edit/")
    assert page.status_code == 200
    response = client.post(f"/en/events/manage/{event.pk}/edit/", _edit_post(event))
    assert response.status_code == 302, response.content.decode()[:2000]
    session = event.sessions.get()
    assert session.place == "Nowe miejsce" and session.minutes == 180
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert event.translations.get(language="pl").title.endswith(" *")
    event.refresh_from_db()
    assert event.version == 2 and event.updated_by == world.user("coordinator", "a")


def test_two_organisers_editing_at_once_the_second_is_told_and_writes_nothing(world, login, event):
    client = login("coordinator")
    first = _edit_post(event, capacity="5", place="Sala A", mark=" (A)")
    second = _edit_post(event, capacity="9", place="Sala B", mark=" (B)")
    assert client.post(f"/en/events/manage/{event.pk}/edit/", first).status_code == 302
    response = client.post(f"/pl/events/manage/{event.pk}/edit/", second)
    assert response.status_code == 200
    assert "Odśwież stronę" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5 and event.version == 2
    assert event.sessions.get().place == "Sala A"
    assert event.translations.get(language="pl").title.endswith(" (A)")


def test_month_calendar_shows_sessions_on_their_days(world, client):
    start = timezone.localtime().replace(day=10, hour=18, minute=0, second=0, microsecond=0)
    kino = make_event(world.org_a, title="Kino", start=start + timedelta(days=40))
    make_event(world.org_a, title="Gotujemy", kind="cooking", start=start)
    make_event(world.org_a, title="Tajne", is_public=False, start=start)
    page = client.get("/en/events/calendar/").content.decode()
    assert "Gotujemy (en)" in page and "Tajne" not in page and "Kino" not in page
    assert "Gotujemy" not in client.get("/en/events/calendar/?kind=film").content.decode()
    later = start + timedelta(days=40)
    arabic = client.get(f"/ar/events/calendar/{later.year}/{later.month}/").content.decode()
    assert 'dir="rtl"' in arabic and f'href="/ar/events/{kino.pk}/"' in arabic
    assert client.get("/en/events/calendar/2026/13/").status_code == 404

    def grow():
        make_event(world.org_a, start=start + timedelta(days=1), sessions=2)

    assert_constant_queries(client, "/en/events/calendar/", grow)


def test_a_busy_day_shows_a_few_sessions_and_links_to_all_of_them(world, client):
    """A large programme has 900 sessions in a month: a grid cell shows four and links to
    that day's agenda, which lists every one."""
    day = timezone.localtime().replace(day=12, hour=9, minute=0, second=0, microsecond=0)
    for hour in range(6):
        make_event(world.org_a, title=f"Lekcja {hour}", start=day + timedelta(hours=hour))
    page = client.get("/en/events/calendar/").content.decode()
    shown = [f"Lekcja {hour} (en)" for hour in range(6) if f"Lekcja {hour} (en)" in page]
    assert shown == [f"Lekcja {hour} (en)" for hour in range(4)]
    iso = day.date().isoformat()
    link = f"/en/events/?date_from={iso}&amp;date_to={iso}"
    assert link in page and "All 6 sessions this day" in page
    agenda = client.get(link.replace("&amp;", "&")).content.decode()
    assert all(f"Lekcja {hour} (en)" in agenda for hour in range(6))
    polish = client.get("/pl/events/calendar/").content.decode()
    assert "Wszystkie 6 spotkań tego dnia" in polish


def test_participant_export_and_erasure_cover_event_registrations(world, event):
    from mosty.people import gdpr
    from tests.people.factories import ParticipantFactory

    participant = ParticipantFactory(owner=world.org_a, created_by=world.user("caseworker"))
    registration = services.registration_create(
        event=event,
        by=world.user("caseworker"),
        participant=participant,
        consent=True,
        name=participant.display_name,
        phone="+48 600 000 000",
        accessibility_needs="wheelchair",
    )
    Attendance.objects.create(session=event.sessions.get(), registration=registration)
    exported = gdpr.export_participant(participant, by=world.user("coordinator"))["events"]
    assert exported[0]["sessions_attended"] == 1 and exported[0]["hours"] == 2.0
    gdpr.anonymise_participant(participant, by=world.user("coordinator"))
    registration.refresh_from_db()
    assert registration.name == participant.code
    assert registration.phone == "" and registration.accessibility_needs == ""
    assert registration.status == "confirmed" and registration.attendance.count() == 1


def test_participant_export_finds_public_sign_ups_by_email_ignoring_case_or_phone(
    world, login, event
):
    from mosty.people import gdpr
    from tests.people.factories import ParticipantFactory

    participant = ParticipantFactory(
        owner=world.org_a, email="Olena.K@Example.org", phone="+48 600 000 001"
    )
    other = ParticipantFactory(owner=world.org_a)
    by_email = make_registration(event, name="Olena K.", email="olena.k@EXAMPLE.ORG")
    by_phone = make_registration(event, name="O. K.", email="", phone="+48 600 000 001")
    # Not theirs: another address, and a sign-up a caseworker made for someone else with it.
    make_registration(event, name="Olga K.", email="olga.k@example.org")
    make_registration(event, name="Olena M.", email="olena.k@example.org", participant=other)
    exported = gdpr.export_participant(participant, by=world.user("coordinator"))["events"]
    assert sorted(row["name"] for row in exported) == sorted([by_email.name, by_phone.name])
    # The page shows the same, in as many queries however many events the person signed up for.
    client = login("coordinator")
    url = reverse("people:export", args=[participant.pk])
    assert "O. K." in client.get(url).content.decode()

    def grow():
        make_registration(make_event(world.org_a), email="OLENA.K@example.org")

    assert_constant_queries(client, url, grow, times=3)
    gdpr.anonymise_participant(participant, by=world.user("coordinator"))
    assert Registration.objects.filter(participant=participant).count() == 5
    assert not Registration.objects.filter(email__iexact="olena.k@example.org", participant=None)


def test_event_list_day_headings_use_the_month_in_the_genitive(client, world):
    start = timezone.make_aware(timezone.datetime(timezone.now().year + 1, 12, 10, 17, 0))
    make_event(world.org_a, start=start)
    page = client.get("/pl/events/?date_from=" + start.date().isoformat()).content.decode()
    assert "10 grudnia" in page and "10 grudzień" not in page.lower()
    page = client.get("/uk/events/?date_from=" + start.date().isoformat()).content.decode()
    assert "10 грудня" in page


def test_audience_label_is_a_word_in_arabic(client, world, event):
    page = client.get(f"/ar/events/{event.pk}/").content.decode()
    assert "الفئة المستهدفة" in page and ">لـ<" not in page


def test_polish_texts_keep_their_direction_on_a_farsi_page(client, world, event):
    """A Polish title, description or place on a right-to-left page: its full stop and
    brackets stay where Polish puts them (they moved to the wrong end before)."""
    event.translations.filter(language="pl").update(description="Szkolenie z tłumaczem.")
    event.accessibility = "Winda dostępna."
    event.save(update_fields=["accessibility"])
    event.sessions.update(place="Sala 1 (parter)")

    page = client.get(f"/fa/events/{event.pk}/").content.decode()

    assert '<h1 class="h3" dir="auto">Warsztaty międzykulturowe</h1>' in page
    assert '<div class="mb-3" dir="auto"><p>Szkolenie z tłumaczem.</p></div>' in page
    assert 'dir="auto">Winda dostępna.</dd>' in page
    assert f"<bdi>{event.organisation.name}</bdi>" in page
    assert "<bdi>Sala 1 (parter)</bdi>" in page and '<bdi lang="pl">polski</bdi>' in page
    listing = client.get("/fa/events/").content.decode()
    assert "<bdi>Warsztaty międzykulturowe</bdi>" in listing


def test_dashboard_gives_a_participant_their_next_events_or_a_way_to_find_one(world, login, event):
    client = login("participant")
    page = client.get("/en/dashboard/").content.decode()
    assert "You are not registered for any upcoming event." in page
    make_registration(event, name="Dmytro S", user=world.user("participant"))
    page = client.get("/en/dashboard/").content.decode()
    assert "Your next events" in page and f"/events/{event.pk}/" in page
    # Organisers keep their own panel instead.
    assert "Your next events" not in login("coordinator").get("/en/dashboard/").content.decode()


@pytest.mark.parametrize(
    "language, sentence",
    [
        ("pl", "osoba: <bdi"),
        ("uk", "особа <bdi"),
        ("fr", "Nous certifions que <bdi"),
        ("ar", "بإتمام <bdi"),
    ],
)
def test_certificate_is_one_translated_sentence_with_local_numbers(world, language, sentence):
    """The name and the title sit inside one translated sentence (each language orders and
    declines it), and hours are written the reader's way."""
    from mosty.events.certificates import certificate_html

    course = make_event(world.org_a, sessions=3, capacity=5)
    person = make_registration(course, name="Olena K", language=language)
    html = certificate_html(
        registration=person,
        progress={"attended": 3, "sessions": 3, "hours": 4.5, "completed": True},
    )
    paragraph = next(p for p in html.split("<p") if "Olena K" in p)
    assert sentence in paragraph and course.title in paragraph
    assert "has completed" not in html
    decimal = "." if language == "ar" else ","
    assert f"4{decimal}5" in html


def _page_text(response):
    """A page as its reader sees it: without the tokens each rendering draws anew."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def _mailed_registration(message):
    """The registration whose signed link a mail carries."""
    token = re.search(r"/events/registration/([^/\s]+)/", message.body).group(1)
    return services.registration_from_token(token)


def test_a_visitor_registering_twice_takes_one_place_and_is_told_by_mail(
    world, client, event, committed
):
    """Anyone may type a neighbour's e-mail into the public form: the answer must not say
    whether that person signed up. A second registration with the same address (in any
    case) takes no second place; the visitor sees what a new registrant sees, and the
    address hears by mail that it is already registered, with its own link to cancel."""
    url = f"/en/events/{event.pk}/register/"
    form = {
        "reg-name": "Olena Kovalenko",
        "reg-email": "olena@example.org",
        "reg-language": "uk",
        "reg-consent": "on",
    }
    first = committed(client.post, url, form, follow=True)
    registration = Registration.objects.get(event=event)
    first_mail = mail.outbox[-1]
    assert first_mail.to == ["olena@example.org"]
    assert _mailed_registration(first_mail) == registration

    again = committed(
        client.post,
        url,
        {**form, "reg-name": "Someone", "reg-email": "OLENA@example.ORG"},
        follow=True,
    )
    assert Registration.objects.filter(event=event).count() == 1
    assert event.registrations.filter(status="confirmed").count() == 1
    assert again.redirect_chain == first.redirect_chain
    assert _page_text(again) == _page_text(first)
    page = _page_text(again)
    assert "Check your e-mail" in page
    assert "already registered" not in page and "Olena" not in page
    # The second mail goes to the registered address, in its language, and says so.
    assert len(mail.outbox) == 2
    second_mail = mail.outbox[-1]
    assert second_mail.to == ["olena@example.org"]
    assert second_mail.subject.startswith("Ви вже зареєстровані")
    assert "друге місце не зайнято" in second_mail.body
    assert _mailed_registration(second_mail) == registration  # its link to see or cancel
    assert AuditEvent.objects.filter(
        action="mosty.event.registration.repeated", object_id=str(registration.pk)
    ).exists()
    # Once cancelled, the address may register again and takes a new place.
    services.registration_cancel(registration=registration)
    committed(client.post, url, form)
    assert event.registrations.filter(status="confirmed").count() == 1
    assert Registration.objects.filter(event=event).count() == 2


def test_a_caseworker_cannot_register_one_participant_twice(world, login, event):
    from tests.people.factories import ParticipantFactory

    caseworker = world.user("caseworker")
    person = ParticipantFactory(owner=world.org_a, created_by=caseworker, email="", phone="")
    client = login("caseworker")
    url = f"/en/events/{event.pk}/register-person/"
    form = {"participant_code": person.code, "name": "Olek", "phone": "+48 511 000 111"}
    form |= {"language": "uk", "consent": "on"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, {**form, "phone": "+48 522 000 222"})
    assert again.status_code == 200
    html = again.content.decode()
    errors = re.search(r'id="id_participant_code_errors"[^>]*>(.*?)</', html, re.S)
    assert errors and "This person is already registered for this event." in errors.group(1)
    assert Registration.objects.filter(event=event, participant=person).count() == 1
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_a_person_registered_through_their_record_without_e_mail_is_texted(
    world, login, event, committed
):
    """Their caseworker registers them by their code; they have only a phone and agreed to
    text messages: they are told in their language, and again when a place opens up."""
    from mosty.messaging import backends
    from tests.cases.factories import make_participant

    person = make_participant(
        world,
        "a",
        consents=("case_management", "messages"),
        email="",
        phone="+48 511 000 222",
        preferred_channel="sms",
        languages=[{"code": "uk", "level": "native"}],
    )
    first = make_registration(event, name="Anna A")
    make_registration(event, name="Boris B")  # the event (2 places) is full
    backends.SENT.clear()
    url = f"/en/events/{event.pk}/register-person/"
    form = {"participant_code": person.code, "language": "uk", "consent": "on"}

    response = committed(login("caseworker").post, url, form)

    assert response.status_code == 302
    registration = Registration.objects.get(participant=person)
    assert registration.status == "waitlisted" and registration.email == ""
    [waiting] = backends.SENT
    assert waiting["to"] == person.phone
    # In Ukrainian (the event has no Ukrainian title: its Polish one), with the page's link.
    assert "«Warsztaty międzykulturowe»" in waiting["body"]
    assert "списку очікування" in waiting["body"] and "/uk/events/registration/" in waiting["body"]

    committed(services.registration_cancel, registration=first)

    assert len(backends.SENT) == 2 and backends.SENT[1]["to"] == person.phone
    assert "звільнилося місце" in backends.SENT[1]["body"]  # a place has opened up


def test_a_visitor_who_gave_only_a_phone_is_told_to_come_back_not_promised_a_message(
    world, client, event, committed
):
    from mosty.messaging import backends

    make_registration(event, name="Anna A")
    make_registration(event, name="Boris B")
    backends.SENT.clear()
    before = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "give an email address and we will write to you if a place opens up" in before
    assert "If you give only a phone number, we will not write to you" in before  # the field
    form = {"reg-name": "Omid", "reg-phone": "+48 500 300 400", "reg-consent": "on"}
    form["reg-language"] = "en"

    response = committed(client.post, f"/en/events/{event.pk}/register/", form, follow=True)

    page = response.content.decode()
    assert "open it again to see whether a place has opened up" in page
    assert "open this page again to see whether yours is confirmed" in page
    assert "we will write to you" not in page.lower() and backends.SENT == []


def test_the_organiser_is_told_whom_to_call_as_nobody_writes_to_them(world, login, event):
    """Visitors who gave only a phone number get no message: the organiser's list counts them
    and marks the one a cancellation moved up, so someone calls them."""
    first = make_registration(event, name="Anna A")
    make_registration(event, name="Boris B")
    phone_only = make_registration(
        event, name="Omid R", email="", phone="+48 500 300 400", status="waitlisted"
    )
    make_registration(event, name="Ewa E", status="waitlisted")  # has an e-mail address
    url = f"/en/events/manage/{event.pk}/registrations/"
    organiser = login("coordinator")
    page = organiser.get(url).content.decode()
    assert "1 person gave only a phone number" in page
    assert "Moved up from the waiting list: call them." not in page

    services.registration_cancel(registration=first)

    phone_only.refresh_from_db()
    assert phone_only.status == "confirmed"
    page = organiser.get(url).content.decode()
    assert page.count("Moved up from the waiting list: call them.") == 1
    row = page[page.index("Omid R") :]
    assert row.index("Moved up from the waiting list") < row.index("</tr>")
