import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mosty.access.domains.people import visible_participants
from mosty.access.models import AuditEvent
from mosty.access.policy import can
from mosty.accounts.models import Grant
from mosty.core.models import EditConflict
from mosty.people import services
from mosty.people.models import Consent, HouseholdMember, Participant, code_is_well_formed
from tests.factories import grant
from tests.people.factories import ConsentFactory, ParticipantFactory
from tests.utils import assert_constant_queries


def _form_data(**extra):
    data = {
        "owner": "",
        "first_name": "Olena",
        "last_name": "Bondarenko",
        "first_name_original": "Олена",
        "last_name_original": "Бондаренко",
        "birth_year": "1987",
        "gender": "female",
        "country_of_origin": "UA",
        "citizenship": "UA",
        "polish_level": "A2",
        "legal_status": "temporary_protection",
        "arrival_date": "2022-03-10",
        "phone": "+48 500 100 200",
        "email": "olena@example.org",
        "preferred_channel": "telegram",
        "language_0": "uk",
        "level_0": "native",
        "language_1": "pl",
        "level_1": "A2",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "10",
        "members-0-name": "Sofia",
        "members-0-birth_year": "2015",
        "members-0-relationship": "daughter",
    }
    data.update(extra)
    return data


# --- access -------------------------------------------------------------------------------


def test_visibility_by_role(world):
    mine = ParticipantFactory(owner=world.org_a, created_by=world.user("caseworker", "a"))
    other_b = ParticipantFactory(owner=world.org_b)
    coordinator = world.user("coordinator", "a")
    assert set(visible_participants(coordinator)) == {mine}
    assert mine in visible_participants(world.user("caseworker", "a"))
    for role in ("admin", "mentor", "assistant", "institution_staff", "participant"):
        assert not visible_participants(world.user(role, "a")).exists(), role
    assert set(visible_participants(world.user("coordinator", "b"))) == {other_b}


def test_sensitive_field_needs_coordinator_or_permission(world, client):
    caseworker = world.user("caseworker", "a")
    participant = ParticipantFactory(owner=world.org_a, created_by=caseworker)
    assert can(world.user("coordinator", "a"), "participant.view_sensitive", participant)
    assert not can(caseworker, "participant.view_sensitive", participant)

    client.force_login(caseworker)
    page = client.get(reverse("people:detail", args=[participant.pk])).content.decode()
    assert "Temporary protection" not in page
    assert "Oleksandr" in page

    caseworker = grant(caseworker, Grant.VIEW_SENSITIVE, world.org_a)
    client.force_login(caseworker)
    page = client.get(reverse("people:detail", args=[participant.pk])).content.decode()
    assert "Temporary protection" in page


def test_detail_read_is_audited_by_code_only(world, login):
    participant = ParticipantFactory(owner=world.org_a, first_name="Zainab")
    login("coordinator").get(reverse("people:detail", args=[participant.pk]))
    # The page's read, and the "taking part" block's read of the person's attendance.
    reads = AuditEvent.objects.filter(action="mosty.people.participant.viewed")
    assert {event.object_label for event in reads} == {participant.code}
    assert any("legal_status" in event.fields for event in reads)
    assert ["attendance"] in [event.fields for event in reads]
    assert not AuditEvent.objects.filter(object_label__icontains="Zainab").exists()


# --- intake, registration, edit -----------------------------------------------------------


def test_register_participant_with_household(world, login):
    client = login("caseworker")
    response = client.post(reverse("people:create"), _form_data(owner=str(world.org_a.pk)))
    assert response.status_code == 302, response.context["form"].errors
    participant = Participant.objects.get(last_name="Bondarenko")
    assert code_is_well_formed(participant.code)
    assert participant.owner == world.org_a
    assert participant.created_by == world.user("caseworker", "a")
    assert participant.country_of_origin == "UA"
    assert participant.languages == [
        {"code": "uk", "level": "native"},
        {"code": "pl", "level": "A2"},
    ]
    members = HouseholdMember.objects.filter(household=participant.household)
    assert {m.name for m in members if not m.participant_id} == {"Sofia"}
    # The caseworker who registered them sees them.
    assert client.get(reverse("people:detail", args=[participant.pk])).status_code == 200


def test_registration_errors_are_field_level(world, login):
    client = login("caseworker")
    response = client.post(
        reverse("people:create"),
        _form_data(
            owner=str(world.org_a.pk),
            first_name="",
            first_name_original="",
            last_name="",
            birth_year="2999",
            country_of_origin="Ukraine",
            email="nope",
            language_0="uk",
            level_0="",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"first_name", "birth_year", "country_of_origin", "email", "level_0"} <= set(errors)
    assert not Participant.objects.exists()


def test_registration_refuses_another_organisation(world, login):
    response = login("caseworker").post(
        reverse("people:create"), _form_data(owner=str(world.org_b.pk))
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_possible_duplicate_must_be_confirmed(world, login):
    client = login("coordinator")
    ParticipantFactory(
        owner=world.org_a, first_name="Olena", last_name="Bondarenko", birth_year=1987
    )
    response = client.post(reverse("people:create"), _form_data(owner=str(world.org_a.pk)))
    assert response.status_code == 200
    assert response.context["duplicates"]
    assert Participant.objects.count() == 1
    # The names shown are a read of those people, recorded by code.
    shown = AuditEvent.objects.get(action="mosty.people.participant.searched")
    assert shown.details["shown"] == [p.code for p in response.context["duplicates"]]
    response = client.post(
        reverse("people:create"), _form_data(owner=str(world.org_a.pk), confirm_new="1")
    )
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_intake_search_finds_transliterated_name(world, login):
    participant = ParticipantFactory(owner=world.org_a, first_name="Oleksandr", last_name="Melnyk")
    response = login("coordinator").get(reverse("people:intake"), {"q": "Александр Мельник"})
    assert participant in response.context["results"]
    assert reverse("people:create") in response.content.decode()


def test_second_save_gets_a_conflict(world, login):
    participant = ParticipantFactory(owner=world.org_a)
    client = login("coordinator")
    url = reverse("people:edit", args=[participant.pk])
    base = _form_data(
        version="1",
        **{"members-0-name": "", "members-0-birth_year": "", "members-0-relationship": ""},
    )
    first = client.post(url, {**base, "phone": "+48 111 222 333"})
    assert first.status_code == 302
    second = client.post(url, {**base, "phone": "+48 999 888 777"})
    assert second.status_code == 200
    assert "Someone else changed this record" in second.content.decode()
    participant.refresh_from_db()
    assert participant.phone == "+48 111 222 333"
    assert participant.version == 2


def test_service_update_conflict(world):
    participant = ParticipantFactory(owner=world.org_a)
    coordinator = world.user("coordinator", "a")
    services.participant_update(participant=participant, by=coordinator, version=1, phone="1")
    with pytest.raises(EditConflict):
        services.participant_update(participant=participant, by=coordinator, version=1, phone="2")


def test_list_paginates_with_constant_queries(world, login):
    client = login("coordinator")
    for _ in range(3):
        ParticipantFactory(owner=world.org_a, district=world.district)
    assert_constant_queries(
        client,
        reverse("people:list"),
        lambda: ParticipantFactory(owner=world.org_a, district=world.district),
    )


def test_detail_constant_queries(world, login):
    participant = ParticipantFactory(owner=world.org_a)
    client = login("coordinator")
    assert_constant_queries(
        client,
        reverse("people:detail", args=[participant.pk]),
        lambda: ConsentFactory(
            participant=participant, purpose="statistics", withdrawn_at="2024-01-01T00:00Z"
        ),
    )


def test_anonymised_participant_cannot_be_edited(world):
    participant = ParticipantFactory(owner=world.org_a)
    from mosty.people.gdpr import anonymise_participant

    anonymise_participant(participant)
    participant.refresh_from_db()
    assert not can(world.user("coordinator", "a"), "participant.change", participant)


# --- consent ------------------------------------------------------------------------------


def test_consent_require_record_and_withdraw(world, login):
    participant = ParticipantFactory(owner=world.org_a)
    with pytest.raises(ValidationError) as missing:
        services.consent_require(participant, "referral")
    assert participant.code in missing.value.messages[0]
    client = login("coordinator")
    response = client.post(
        reverse("people:consent_record", args=[participant.pk]),
        {"purpose": "referral", "legal_basis": "consent", "text_shown": "We share your case."},
    )
    assert response.status_code == 302
    consent = services.consent_require(participant, "referral")
    assert consent.recorded_by == world.user("coordinator", "a")
    # A second active consent for the same purpose is refused with a field error.
    again = client.post(
        reverse("people:consent_record", args=[participant.pk]),
        {"purpose": "referral", "legal_basis": "consent", "text_shown": "Again."},
    )
    assert "purpose" in again.context["form"].errors
    client.post(reverse("people:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.consent_require(participant, "referral")


def test_consent_form_errors(world, login):
    participant = ParticipantFactory(owner=world.org_a)
    response = login("coordinator").post(
        reverse("people:consent_record", args=[participant.pk]),
        {"purpose": "bogus", "legal_basis": "consent", "text_shown": ""},
    )
    assert {"purpose", "text_shown"} <= set(response.context["form"].errors)
    assert not Consent.objects.exists()


def test_intake_live_search_returns_the_partial(world, login):
    ParticipantFactory(owner=world.org_a, first_name="Oleksandr", last_name="Melnyk")
    response = login("coordinator").get(
        reverse("people:intake"), {"q": "Melnik"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Oleksandr Melnyk" in body and "<html" not in body


def test_dashboard_panel_counts_visible_participants(world, login):
    ParticipantFactory(owner=world.org_a)
    ParticipantFactory(owner=world.org_b)
    body = login("coordinator").get(reverse("core:dashboard")).content.decode()
    assert "You work with 1 participant." in body
    mentor_page = login("mentor").get(reverse("core:dashboard")).content.decode()
    assert "You work with" not in mentor_page


def test_caseworker_gets_a_hint_about_matches_they_cannot_open(world, login):
    # Registered by the coordinator, not on any of the caseworker's cases.
    ParticipantFactory(
        owner=world.org_a, created_by=world.user("coordinator", "a"), first_name="Oleksandr"
    )
    response = login("caseworker").get(reverse("people:intake"), {"q": "Aleksandr"})
    if response.context["results"]:
        pytest.skip("caseworkers see every participant of their organisation (no cases app)")
    assert response.context["unseen"] == 1
    assert "cannot open it" in response.content.decode()


def test_api_list_constant_queries_for_caseworker_with_sensitive_permission(world, client):
    caseworker = world.user("caseworker", "a")
    caseworker = grant(caseworker, Grant.VIEW_SENSITIVE, world.org_a)
    client.force_login(caseworker)
    ParticipantFactory(owner=world.org_a, created_by=caseworker)
    assert_constant_queries(
        client,
        reverse("api:participant_list"),
        lambda: ParticipantFactory(owner=world.org_a, created_by=caseworker),
    )
    rows = client.get(reverse("api:participant_list")).json()["results"]
    assert rows[0]["legal_status"] == "temporary_protection"


def test_searches_are_audited_with_codes_not_the_query(world, login):
    participant = ParticipantFactory(owner=world.org_a, first_name="Oleksandr", last_name="Melnyk")
    client = login("coordinator")
    client.get(reverse("people:intake"), {"q": "Melnyk"})
    client.get(reverse("people:list"), {"q": "Melnyk"})
    client.get(reverse("api:participant_list"), {"q": "Melnyk"})
    events = AuditEvent.objects.filter(action="mosty.people.participant.searched")
    assert events.count() == 3
    assert all(e.details == {"shown": [participant.code]} for e in events)
    assert all("Melnyk" not in str(e.details) + e.object_label for e in AuditEvent.objects.all())


def test_household_member_linked_by_code(world, login):
    mother = ParticipantFactory(owner=world.org_a, first_name="Olena", last_name="Shevchuk")
    hidden = ParticipantFactory(owner=world.org_b)
    client = login("coordinator")
    bad = client.post(
        reverse("people:create"),
        _form_data(owner=str(world.org_a.pk), confirm_new="1", **{"members-1-code": hidden.code}),
    )
    assert bad.status_code == 200
    assert "code" in bad.context["members"].forms[1].errors
    response = client.post(
        reverse("people:create"),
        _form_data(
            owner=str(world.org_a.pk),
            confirm_new="1",
            **{"members-1-code": mother.code.lower(), "members-1-relationship": "mother"},
        ),
    )
    assert response.status_code == 302
    child = Participant.objects.get(last_name="Bondarenko")
    mother.refresh_from_db()
    assert mother.household == child.household
    linked = HouseholdMember.objects.get(household=child.household, participant=mother)
    assert linked.relationship == "mother"


def test_edit_page_and_consent_list_api_audit_the_read(world, login):
    participant = ParticipantFactory(owner=world.org_a)
    client = login("coordinator")
    client.get(reverse("people:edit", args=[participant.pk]))
    event = AuditEvent.objects.get(action="mosty.people.participant.viewed")
    assert "legal_status" in event.fields and "household" in event.fields
    client.get(reverse("api:participant_consent_list", args=[participant.pk]))
    assert AuditEvent.objects.filter(
        action="mosty.people.participant.viewed", fields=["consents"]
    ).exists()


def test_update_of_a_sensitive_field_needs_the_sensitive_rule(world):
    caseworker = world.user("caseworker", "a")
    participant = ParticipantFactory(owner=world.org_a, created_by=caseworker)
    with pytest.raises(PermissionDenied):
        services.participant_update(
            participant=participant, by=caseworker, version=1, legal_status="refugee"
        )
    participant.refresh_from_db()
    assert participant.legal_status == "temporary_protection" and participant.version == 1


def test_countries_are_picked_by_name_and_languages_read_as_words(world, login):
    client = login("caseworker")
    page = client.get("/pl/participants/new/").content.decode()
    assert '<option value="UA">Ukraina</option>' in page
    assert "ukraiński (українська)" in page  # language picker: reader's name, own name
    # "Ukraina" typed as two letters became "UK", which is no country: refused beside the field.
    response = client.post(
        "/pl/participants/new/", _form_data(owner=str(world.org_a.pk), country_of_origin="UK")
    )
    assert response.status_code == 200 and "country_of_origin" in response.context["form"].errors
    response = client.post("/pl/participants/new/", _form_data(owner=str(world.org_a.pk)))
    participant = Participant.objects.get(last_name="Bondarenko")
    page = client.get(f"/pl/participants/{participant.pk}/").content.decode()
    assert "Ukraina" in page and "ukraiński · ojczysty" in page and "uk · native" not in page
    page = client.get(f"/uk/participants/{participant.pk}/").content.decode()
    assert "Україна" in page and "українська · рідна" in page


def test_api_refuses_a_country_code_that_does_not_exist(world, client):
    client.force_login(world.user("caseworker"))
    response = client.post(
        "/api/participants/create/",
        {"owner": world.org_a.pk, "first_name": "Olena", "country_of_origin": "UK"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "country_of_origin" in response.json()


def test_consent_form_offers_the_organisations_texts_per_purpose_and_language(world, login):
    first = ParticipantFactory(owner=world.org_a)
    second = ParticipantFactory(owner=world.org_a)
    other_org = ParticipantFactory(owner=world.org_b)
    client = login("coordinator")
    text = "Ми передаємо вашу справу партнерській організації лише за вашою згодою."
    url = reverse("people:consent_record", args=[first.pk])
    data = {"purpose": "referral", "legal_basis": "consent", "text_shown": text}
    response = client.post(url, {**data, "save_as_template": "on"})
    assert response.status_code == 200 and "language" in response.context["form"].errors
    assert client.post(url, {**data, "language": "uk", "save_as_template": "on"}).status_code == 302

    url = reverse("people:consent_record", args=[second.pk])
    page = client.get(url).content.decode()
    assert "?purpose=referral&amp;language=uk" in page
    form = client.get(url + "?purpose=referral&language=uk").context["form"]
    assert form.initial["text_shown"] == text and form.initial["language"] == "uk"
    # Another organisation keeps its own texts.
    other = login("coordinator", "b").get(reverse("people:consent_record", args=[other_org.pk]))
    assert "?purpose=referral" not in other.content.decode()


def test_update_records_who_changed_the_record_and_made_the_household(world):
    participant = ParticipantFactory(owner=world.org_a)
    coordinator = world.user("coordinator", "a")
    services.participant_update(
        participant=participant,
        by=coordinator,
        version=participant.version,
        members=[{"name": "Sofia", "birth_year": 2015, "relationship": "daughter"}],
        phone="+48 500 600 700",
    )
    participant.refresh_from_db()
    assert participant.phone == "+48 500 600 700" and participant.version == 2
    assert participant.updated_by == coordinator
    assert participant.household.created_by == coordinator
    with pytest.raises(EditConflict):
        services.participant_update(participant=participant, by=coordinator, version=1, phone="1")
    participant.refresh_from_db()
    assert participant.phone == "+48 500 600 700"


def _country_options(page: str, name: str) -> list[str]:
    import re

    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_country_select_lists_the_likely_countries_and_finds_the_others(world, login):
    """Issue 15: the two country selects no longer list all ~250 countries on every form."""
    client = login("caseworker")
    page = client.get("/pl/participants/new/").content.decode()
    offered = _country_options(page, "country_of_origin")
    assert offered[:3] == ["", "UA", "BY"] and len(offered) < 40
    assert "PE" not in offered and 'name="country_of_origin__q"' in page
    # The search box's "Find": the form again with the matching countries, nothing saved and
    # no error shown for what is not filled in yet.
    response = client.post(
        "/pl/participants/new/",
        {"_search": "country_of_origin", "country_of_origin__q": "peru", "first_name": "Ana"},
    )
    found = response.content.decode()
    assert response.status_code == 200 and not Participant.objects.exists()
    assert _country_options(found, "country_of_origin") == ["", "PE"]
    assert 'value="Ana"' in found and "is-invalid" not in found
    # A country not listed at first is still accepted, and stays listed when editing.
    client.post(
        "/pl/participants/new/", _form_data(owner=str(world.org_a.pk), country_of_origin="PE")
    )
    participant = Participant.objects.get(last_name="Bondarenko")
    assert participant.country_of_origin == "PE"
    edit = client.get(f"/pl/participants/{participant.pk}/edit/").content.decode()
    assert "PE" in _country_options(edit, "country_of_origin")
    assert '<option value="PE" selected>Peru</option>' in edit


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_phone_reads_left_to_right_inside_its_grid_column(world, login, language):
    """Seen in ar/fa: `dir="ltr"` on the grid column itself pushed the phone out of its row."""
    import lxml.html
    from django.utils import translation

    participant = ParticipantFactory(owner=world.org_a, phone="+48 601 234 567")
    with translation.override(language):
        url = reverse("people:detail", args=[participant.pk])
    tree = lxml.html.fromstring(login("coordinator").get(url).content)
    assert tree.xpath("//html/@dir") == ["rtl"]
    assert not tree.xpath("//*[contains(concat(' ', @class, ' '), ' col-sm-9 ') and @dir]")
    (phone,) = tree.xpath("//dd[contains(@class, 'col-sm-9')]/bdi[@dir='ltr']")
    assert phone.text == participant.phone
