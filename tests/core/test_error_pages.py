"""The 400, 403 and 404 pages share one layout (templates/_error.html): each names itself in
the title and the heading, says why, and leads back to the home page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import override

from mosty.core import views

PAGES = [
    (views.bad_request, 400, "Bad request", "The request could not be understood."),
    (views.permission_denied, 403, "Access denied", "You do not have permission to see this page."),
    (views.page_not_found, 404, "Page not found", "The page you are looking for does not exist"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("handler", "status", "heading", "explanation"), PAGES)
def test_error_page_names_itself_says_why_and_leads_home(handler, status, heading, explanation):
    request = RequestFactory().get("/nowhere/")
    request.user = AnonymousUser()
    with override("en"):
        response = handler(request)
        home = reverse("core:home")
    html = response.content.decode()
    assert response.status_code == status
    assert f"<title>{heading}" in html
    assert f'<h1 class="h3">{heading}</h1>' in html
    assert f"<p>{explanation}" in html
    assert f'<p><a href="{home}">Go to the home page</a></p>' in html


@pytest.mark.django_db
def test_unknown_address_shows_the_404_page(client):
    with override("en"):
        response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "Page not found</h1>" in response.content.decode()
