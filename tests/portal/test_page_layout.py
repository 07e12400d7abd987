"""Every page of the participant's own side has its heading, in the page's language, and the
portal's menu with the page marked current (portal/page.html)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.cases.factories import make_case, make_referral
from tests.mentoring.factories import MatchFactory, MentorFactory
from tests.portal.factories import link

pytestmark = pytest.mark.django_db

PAGES = [
    ("portal:plan", "My plan"),
    ("portal:referrals", "My referrals"),
    ("portal:registrations", "My events"),
    ("portal:documents", "My documents"),
    ("portal:consents", "My consents"),
    ("portal:data", "My data"),
    ("portal:help", "Ask for help"),
]


@pytest.mark.parametrize("language", ["uk", "ar"])
def test_each_portal_page_shows_its_heading_and_the_menu(world, login, language):
    link(world, "a")
    client = login("participant")
    with translation.override(language):
        for name, title in PAGES:
            url = reverse(name)
            html = client.get(url).content.decode()
            heading = re.search(r'<h1 class="h3">(.*?)</h1>', html, re.S).group(1)
            assert heading == gettext(title) != title, name
            assert f"<title>{gettext(title)}" in html or f"{gettext(title)}</title>" in html
            assert 'class="portal-nav' in html
            if name != "portal:help":
                assert f'href="{url}" aria-current="page"' in html, name


def test_home_greets_the_participant_by_name(world, login):
    link(world, "a")
    client = login("participant")
    with translation.override("en"):
        html = client.get(reverse("portal:home")).content.decode()
    name = world.user("participant").get_short_name()
    assert re.search(r'<h1 class="h3">Hello, ' + re.escape(name) + "</h1>", html)
    assert 'class="portal-nav' in html


def test_the_organisations_phone_reads_left_to_right_on_a_right_to_left_page(world, login):
    """ "+48 58 000 00 01" in a Farsi or Arabic sentence, left without a direction, shows
    its groups in reverse ("01 00 000 58 48+"): the person would dial a wrong number."""
    participant = link(world, "a")
    world.org_a.phone = "+48 58 000 00 01"
    world.org_a.save(update_fields=["phone"])
    MatchFactory(mentor=MentorFactory(organisation=world.org_a), participant=participant)
    client = login("participant")
    with translation.override("fa"):
        html = client.get(reverse("portal:home")).content.decode()
    assert '<a href="tel:+48 58 000 00 01" dir="ltr">+48 58 000 00 01</a>' in html


def test_what_the_person_agreed_to_keeps_its_own_direction_on_an_arabic_page(world, login):
    """The consent's text is in the language it was read in (Ukrainian, Polish): on a
    right-to-left page, without its own direction, its full stop lands at the wrong end."""
    participant = link(world, "a")
    consent = participant.consents.get(purpose="portal")
    consent.text_shown, consent.language = "Я хочу мати власну сторінку в Mosty.", "uk"
    consent.save(update_fields=["text_shown", "language"])
    client = login("participant")
    expected = '<p class="mb-2" dir="auto" lang="uk">Я хочу мати власну сторінку в Mosty.</p>'
    with translation.override("ar"):
        assert expected in client.get(reverse("portal:consents")).content.decode()
        page = client.get(reverse("portal:consent_withdraw", args=[consent.pk]))
    assert '<p dir="auto" lang="uk">Я хочу мати' in page.content.decode()


def test_my_data_names_when_a_referral_moved_in_the_readers_language(world, login):
    """The history of a referral on "My data" labelled its moments "At", in English, in every
    language (the field had no label of its own)."""
    participant = link(world, "a")
    make_referral(make_case(world, "a", participant=participant))
    client = login("participant")
    with translation.override("uk"):
        html = client.get(reverse("portal:data")).content.decode()
        assert f">{gettext('when').capitalize()}<" in html
    assert ">At<" not in html
