"""Personal data is never cached; templates hold nothing the Content Security Policy blocks."""

import re
from pathlib import Path

from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.cases.factories import make_participant

ROOT = Path(__file__).resolve().parents[2] / "mosty"
# Not served to a browser under the CSP: rendered to PDF by WeasyPrint, or the offline bundle
# that people open from their own disk.
NOT_UNDER_CSP = {
    "events/templates/events/certificate.html",
    "assistance/templates/assistance/certificate.html",
    "templates/core/certificate.html",
    "knowledge/templates/knowledge/booklet_pdf.html",
    "knowledge/templates/knowledge/offline/index.html",
    "reports/templates/reports/report_pdf.html",
    "reports/templates/reports/city_pdf.html",
}
BLOCKED = [
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "inline event handler (onclick=…)"),
    (re.compile(r"<[^>]*\sstyle\s*=", re.I), "inline style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> block"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_no_template_has_what_the_content_security_policy_blocks():
    """script-src and style-src are 'self': inline handlers and styles silently do nothing
    (the participant export's Print button did nothing). Use data attributes and
    mosty/core/static/mosty/mosty.js or a stylesheet instead."""
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        name = str(path.relative_to(ROOT))
        if name in NOT_UNDER_CSP:
            continue
        text = path.read_text()
        for pattern, what in BLOCKED:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert found == []


def test_staff_pages_with_personal_data_are_not_stored(world, login):
    participant = make_participant(world)
    client = login("caseworker")
    for url in (reverse("people:detail", args=[participant.pk]), reverse("core:dashboard")):
        response = client.get(url)
        assert response.status_code == 200
        assert _no_store(response), url


def test_api_answers_are_not_stored_whatever_the_authentication(world, client):
    token = Token.objects.create(user=world.user("caseworker"))
    response = client.get(reverse("api:participant_list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and _no_store(response)
    assert _no_store(client.get(reverse("api:participant_list")))  # 401 too


def test_personal_links_are_not_stored(world, client):
    response = client.get("/en/events/feed/not-a-real-token.ics")
    assert _no_store(response)


def test_public_pages_stay_cacheable(world, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert not _no_store(response)


def test_participant_export_print_button_is_wired_by_the_site_script(world, login):
    participant = make_participant(world)
    html = login("coordinator").get(reverse("people:export", args=[participant.pk]))
    text = html.content.decode()
    assert "data-print" in text and "/static/mosty/mosty.js" in text
    script = (ROOT / "core/static/mosty/mosty.js").read_text()
    assert "[data-print]" in script and "window.print()" in script
