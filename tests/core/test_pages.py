import pytest
from django.db import DatabaseError

from tests.utils import assert_constant_queries


def test_root_redirects_to_polish_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"


def test_language_choice_persists(client, db):
    response = client.post("/i18n/setlang/", {"language": "uk", "next": "/pl/"})
    assert response.status_code == 302
    assert response["Location"] == "/uk/"
    assert client.get("/")["Location"] == "/uk/"


@pytest.mark.parametrize("browser", ["pl", "en-US", "ar", "fa"])
def test_switching_language_works_whatever_the_browser_says(client, db, browser):
    """The page to go back to is read in the language of its own address: a visitor whose
    browser (or earlier choice) says another language still gets the page they chose."""
    response = client.post(
        "/i18n/setlang/",
        {"language": "fa", "next": "/uk/directory/?q=psycholog"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )
    assert response.status_code == 302
    assert response["Location"] == "/fa/directory/?q=psycholog"
    client.cookies.clear()
    response = client.post(
        "/i18n/setlang/", {"language": "uk", "next": "/ar/my/plan/"}, HTTP_ACCEPT_LANGUAGE=browser
    )
    assert response["Location"] == "/uk/my/plan/"


@pytest.mark.parametrize(
    ("lang", "direction"),
    [
        ("pl", "ltr"),
        ("en", "ltr"),
        ("uk", "ltr"),
        ("ru", "ltr"),
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("fr", "ltr"),
    ],
)
def test_home_in_every_language_with_direction(client, world, lang, direction):
    html = client.get(f"/{lang}/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert ("bootstrap.rtl.css" in html) == (direction == "rtl")


def test_pages_reference_no_other_host(client, world, login):
    for url in ["/pl/", "/ar/accounts/login/", "/api/docs/"]:
        html = client.get(url).content.decode()
        assert "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html
    client = login("admin")
    html = client.get("/en/manage/organisations/").content.decode()
    assert "https://" not in html


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_reports_unreachable_database(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("could not connect to server")

    monkeypatch.setattr("mosty.core.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_404_is_translated(client, db):
    response = client.get("/uk/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="uk"' in response.content.decode()


def test_api_404_and_403_are_json(client, world, login):
    assert client.get("/api/no-such-thing/").json()["detail"]
    login("mentor")
    response = client.get(f"/api/organisations/{world.org_b.pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_dashboard_lists_roles_with_constant_queries(world, login):
    from tests.factories import MembershipFactory, OrganisationFactory

    client = login("coordinator")
    user = client.get("/en/dashboard/").wsgi_request.user
    assert_constant_queries(
        client,
        "/en/dashboard/",
        lambda: MembershipFactory(user=user, organisation=OrganisationFactory(), role="caseworker"),
    )
