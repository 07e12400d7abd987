"""Machine translation against a fake LibreTranslate, booklet PDF, offline zip."""

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from mosty.knowledge import exports, services
from mosty.knowledge.models import ArticleTranslation, BookletExport, ExportStatus
from mosty.knowledge.tasks import booklet_export_build
from tests.knowledge import factories


class _FakeLibreTranslate(BaseHTTPRequestHandler):
    calls: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeLibreTranslate.calls.append(payload)
        body = json.dumps(
            {"translatedText": [f"[{payload['target']}] {q}" for q in payload["q"]]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_mt(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOSTY_MT_URL = f"http://127.0.0.1:{server.server_port}"
    settings.MT_ENABLED = True
    _FakeLibreTranslate.calls = []
    yield _FakeLibreTranslate.calls
    server.shutdown()
    server.server_close()


def test_machine_draft_must_be_reviewed_before_publishing(world, login, fake_mt):
    article = factories.article(slug="pesel")
    client = login("coordinator")
    r = client.post(reverse("knowledge:translation_machine", args=[article.pk, "fr"]))
    assert r.status_code == 302
    assert fake_mt[0]["source"] == "pl" and fake_mt[0]["target"] == "fr"
    fr = ArticleTranslation.objects.get(article=article, language="fr")
    assert fr.status == "machine_draft" and fr.machine_translated
    assert fr.title == "[fr] Numer PESEL w Poznaniu"
    client.post(reverse("knowledge:translation_publish", args=[article.pk, "fr"]))
    fr.refresh_from_db()
    assert fr.status == "machine_draft"  # refused: nobody reviewed it
    client.post(
        reverse("knowledge:translation_edit", args=[article.pk, "fr"]),
        {"title": "Le numéro PESEL à Poznań", "body": fr.body, "submit": "1"},
    )
    client.post(reverse("knowledge:translation_publish", args=[article.pk, "fr"]))
    fr.refresh_from_db()
    assert fr.status == "published" and fr.machine_translated


def test_machine_translation_off_or_down_is_a_message(world, login, settings):
    article = factories.article(slug="pesel")
    client = login("coordinator")
    settings.MOSTY_MT_URL = ""
    with translation.override("en"):
        url = reverse("knowledge:translation_machine", args=[article.pk, "fr"])
    r = client.post(url, follow=True)
    assert r.status_code == 200 and "not configured" in r.content.decode()
    settings.MOSTY_MT_URL = "http://127.0.0.1:9"  # nothing listens there
    r = client.post(reverse("knowledge:translation_machine", args=[article.pk, "fr"]), follow=True)
    assert r.status_code == 200
    assert not ArticleTranslation.objects.filter(article=article, language="fr").exists()


def test_booklet_pdf_in_arabic_and_ukrainian(world, login, django_capture_on_commit_callbacks):
    first = factories.article(slug="pesel")
    factories.translation(
        first,
        language="ar",
        title="رقم PESEL في بوزنان",
        body="للحصول على **PESEL** اذهب إلى المكتب.",
    )
    second = factories.article(slug="szkola", title="Szkoła", body="Zapisy do szkoły.")
    factories.translation(second, language="uk", title="Школа", body="Запис до школи.")
    client = login("coordinator")
    r = client.post(
        reverse("knowledge:booklet_create"),
        {"title": "Informator", "add": [first.pk, second.pk]},
    )
    booklet_pk = int(r["Location"].rstrip("/").split("/")[-1])
    for language, expected in (
        ("uk", ["Школа", "Запис до школи", "Numer PESEL"]),
        ("ar", ["المكتب", "PESEL"]),
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            r = client.post(
                reverse("knowledge:booklet_export", args=[booklet_pk]), {"language": language}
            )
        assert r.status_code == 302 and len(callbacks) == 1  # enqueued on commit
        export = BookletExport.objects.latest("pk")
        status_page = client.get(reverse("knowledge:booklet_export_status", args=[export.pk]))
        assert 'hx-trigger="every 2s"' in status_page.content.decode()
        booklet_export_build.call(export.pk)
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE and export.progress == 100
        r = client.get(reverse("knowledge:booklet_download", args=[export.pk]))
        pdf = b"".join(r.streaming_content)
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        for snippet in expected:
            assert snippet in text, (language, snippet, text[:500])
        finished = client.get(
            reverse("knowledge:booklet_export_status", args=[export.pk]),
            headers={"HX-Request": "true"},
        )
        assert "hx-trigger" not in finished.content.decode()


def test_booklet_html_is_right_to_left_for_arabic(world):
    article = factories.article(slug="pesel")
    factories.translation(article, language="ar", title="رقم PESEL", body="نص")
    booklet = services.booklet_create(title="B", articles=[article], by=world.user("admin"))
    chapters = exports.booklet_chapters(booklet, "ar")
    assert chapters[0]["dir"] == "rtl" and not chapters[0]["fallback"]
    assert exports.booklet_chapters(booklet, "fr")[0]["fallback"]


def test_offline_bundle(world, client):
    article = factories.article(slug="pesel")
    factories.translation(article, language="en")
    factories.article(slug="not-in-english")
    with translation.override("en"):
        r = client.get(reverse("knowledge:offline"))
    assert r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = set(z.namelist())
    assert {"index.html", "articles/pesel.html", "assets/bootstrap.css"} <= names
    assert "articles/not-in-english.html" not in names
    index = z.read("index.html").decode()
    assert 'href="articles/pesel.html"' in index and 'href="assets/bootstrap.css"' in index
    page = z.read("articles/pesel.html").decode()
    assert 'href="../index.html"' in page and "<strong>PESEL</strong>" in page
    assert "http://" not in page.split("<main")[0] and "/static/" not in page


def test_booklet_form_lists_a_searchable_few_of_many_articles(world, login):
    """With thousands of articles the booklet form lists 50, a search finds the one needed,
    a chosen article stays chosen while searching, and an unlisted one can still be added."""
    for n in range(55):
        factories.article(slug=f"porada-{n:02d}", title=f"Porada {n:02d}", body="Tekst.")
    rare = factories.article(slug="meldunek", title="Meldunek", body="Jak się zameldować.")
    first = factories.article(slug="aaa-pierwszy", title="Aaa pierwszy", body="Tekst.")
    client = login("coordinator")
    url = reverse("knowledge:booklet_create")

    def options(page: str) -> list[str]:
        select = page.split('id="id_add"', 1)[1].split("</select>", 1)[0]
        return [o.split('"')[1] for o in select.split("<option value=")[1:]]

    assert len(options(client.get(url).content.decode())) == 50
    found = client.post(
        url, {"title": "Informator", "add": [first.pk], "_search": "add", "add__q": "melDUN"}
    ).content.decode()
    assert options(found) == [str(first.pk), str(rare.pk)]
    assert f'<option value="{first.pk}" selected>' in found
    r = client.post(url, {"title": "Informator", "add": [rare.pk]})
    assert r.status_code == 302
