"""Reports and images published with an article: checked, re-encoded, downloaded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mosty.knowledge.models import ArticleFile
from tests.knowledge import factories


def _article(world):
    article = factories.article(slug="raport-2026", by=world.user("coordinator"))
    factories.translation(article, language="en")
    return article


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.django_db
def test_an_editor_publishes_a_report_and_an_image_that_anyone_downloads(client, world, login):
    article = _article(world)
    editor = login("coordinator")
    url = reverse("knowledge:article_files", args=[article.pk])
    pdf = SimpleUploadedFile("Raport końcowy.pdf", b"%PDF-1.7\n% report\n")
    assert editor.post(url, {"title": "Report", "language": "", "file": pdf}).status_code == 302
    photo = SimpleUploadedFile("notes.jpg", _jpeg_with_metadata())
    assert (
        editor.post(url, {"title": "Visual notes", "language": "en", "file": photo}).status_code
        == 302
    )
    report, notes = ArticleFile.objects.order_by("pk")
    assert report.kind == "pdf" and "Raport" not in report.file.name  # a random name on disk
    stored = notes.file.open("rb").read()
    assert b"SecretCamera" not in stored and Image.open(io.BytesIO(stored)).size == (40, 30)
    page = client.get(
        reverse("knowledge:article", kwargs={"slug": article.slug}).replace("/pl/", "/en/")
    )
    html = page.content.decode()
    assert "Report" in html and "Visual notes" in html
    download = client.get(reverse("knowledge:article_file", args=[article.slug, report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.django_db
def test_a_file_that_is_neither_pdf_nor_image_is_refused(world, login, settings):
    article = _article(world)
    editor = login("coordinator")
    url = reverse("knowledge:article_files", args=[article.pk])
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    page = editor.post(url, {"title": "X", "language": "", "file": fake})
    assert page.status_code == 200 and not ArticleFile.objects.exists()
    settings.MOSTY_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    page = editor.post(url, {"title": "X", "language": "", "file": big})
    assert page.status_code == 200 and not ArticleFile.objects.exists()


@pytest.mark.django_db
def test_an_editor_removes_a_published_file(world, login):
    article = _article(world)
    editor = login("coordinator")
    files_url = reverse("knowledge:article_files", args=[article.pk])
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n% report\n")
    editor.post(files_url, {"title": "Report", "language": "", "file": pdf})
    record = ArticleFile.objects.get()
    response = editor.post(reverse("knowledge:article_file_remove", args=[record.pk]))
    assert response.status_code == 302 and response["Location"] == files_url
    assert not ArticleFile.objects.exists()
