"""XLIFF 1.2 strict and 2.1: valid against the OASIS schemas, read and written by
translate-toolkit, and imports that never lose or wipe text."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from lxml import etree
from translate.storage import xliff as tt_xliff

from mosty.access.models import AuditEvent
from mosty.knowledge import services, xliff
from mosty.knowledge.models import ArticleTranslation
from tests.knowledge import factories

SCHEMAS = Path(__file__).parent / "xliff_schemas"
XML_XSD = SCHEMAS / "xliff21/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"


class _LocalXmlXsd(etree.Resolver):
    """The 1.2 schema imports xml.xsd from w3.org; tests never touch the network."""

    def resolve(self, url, pubid, context):
        if url.endswith("/2001/xml.xsd"):
            return self.resolve_filename(str(XML_XSD), context)
        return None


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(path), parser))


@pytest.fixture(scope="module")
def xliff12_strict():
    return _schema(SCHEMAS / "xliff12/xliff-core-1.2-strict.xsd")


@pytest.fixture(scope="module")
def xliff21():
    # The core and the Metadata module together, so <mda:metadata> is checked too.
    driver = SCHEMAS / "xliff21/_core_and_metadata.xsd"
    driver.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:oasis:names:tc:xliff:document:2.0" '
        'schemaLocation="xliff_core_2.0.xsd"/>'
        '<xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0" '
        'schemaLocation="metadata.xsd"/></xs:schema>'
    )
    try:
        return _schema(driver)
    finally:
        driver.unlink()


def _assert_valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), [str(e) for e in schema.error_log]


@pytest.fixture
def arabic(world):
    """A published article with a published Arabic translation and a draft French one."""
    article = factories.article(slug="pesel")
    factories.translation(
        article,
        language="ar",
        title="رقم PESEL في بوزنان",
        summary="كيف تحصل على رقم PESEL.",
        body="للحصول على **PESEL** اذهب إلى المكتب.",
    )
    factories.translation(article, language="fr", title="Le PESEL", status="draft")
    return article


def _upload(client, data: bytes | str, name: str = "agency.xlf"):
    upload = io.BytesIO(data.encode() if isinstance(data, str) else data)
    upload.name = name
    return client.post(reverse("knowledge:xliff_import"), {"file": upload})


# --- exports --------------------------------------------------------------------------------


def test_exports_are_valid_against_the_oasis_schemas(arabic, xliff12_strict, xliff21):
    other = factories.article(slug="szkola", title="Szkoła", summary="", body="Zapisy.")
    for language in ("ar", "fr", "uk"):
        _assert_valid(xliff12_strict, xliff.xliff_export([arabic, other], language))
        _assert_valid(xliff21, xliff.xliff_export([arabic, other], language, version="2.1"))


def test_published_translations_are_approved_and_final(arabic):
    v12 = etree.fromstring(xliff.xliff_export([arabic], "ar"))
    ns = {"x": xliff.XLIFF12_NS}
    units = v12.findall(".//x:trans-unit", ns)
    assert [u.get("approved") for u in units] == ["yes", "yes", "yes"]
    assert {u.find("x:target", ns).get("state") for u in units} == {"final"}
    draft = etree.fromstring(xliff.xliff_export([arabic], "fr"))
    assert draft.find(".//x:trans-unit", ns).get("approved") is None
    v21 = etree.fromstring(xliff.xliff_export([arabic], "ar", version="2.1"))
    segments = v21.findall(f".//{{{xliff.XLIFF2_NS}}}segment")
    assert [s.get("state") for s in segments] == ["final", "final", "final"]


def test_an_outdated_published_translation_is_not_exported_as_approved(arabic, world):
    services.article_update(
        article=arabic, by=world.user("coordinator"), title="Nowy tytuł", summary="", body="x"
    )
    arabic.refresh_from_db()
    data = xliff.xliff_export([arabic], "ar")
    assert b'approved="yes"' not in data and b'state="final"' not in data


def test_translate_toolkit_counts_published_translations_and_writes_files_we_import(arabic, world):
    store = tt_xliff.xlifffile.parsestring(xliff.xliff_export([arabic], "ar"))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == 3
    assert all(u.istranslated() and not u.isfuzzy() for u in units)

    # A CAT tool built on translate-toolkit fills a Ukrainian export and saves it.
    store = tt_xliff.xlifffile.parsestring(xliff.xliff_export([arabic], "uk"))
    texts = {"title": "Номер PESEL", "summary": "Як отримати PESEL.", "body": "Ідіть до **ЦНАП**."}
    for unit in store.units:
        field = unit.getid().split("\x04")[-1]  # the toolkit prefixes the <file>'s name
        if field in texts:
            unit.target = texts[field]
    result = services.translations_import_xliff(data=bytes(store), by=world.user("coordinator"))
    uk = ArticleTranslation.objects.get(article=arabic, language="uk")
    assert result.imported == [uk]
    assert (uk.title, uk.summary, uk.body) == (texts["title"], texts["summary"], texts["body"])
    assert uk.status == "in_review"


# --- imports --------------------------------------------------------------------------------


def test_round_trip_through_the_page(world, login):
    article = factories.article(slug="pesel")
    data = xliff.xliff_export([article], "uk").decode()
    filled = data.replace(
        "<source>Numer PESEL w Poznaniu</source>",
        "<source>Numer PESEL w Poznaniu</source><target>Номер PESEL у Познані</target>",
    ).replace(
        "<source>Aby dostać **PESEL**, idź do urzędu w Poznaniu.</source>",
        "<source>Aby dostać **PESEL**, idź do urzędu w Poznaniu.</source>"
        "<target>Щоб отримати **PESEL**, ідіть до управління в Познані.</target>",
    )
    r = _upload(login("coordinator"), filled)
    assert r.status_code == 302
    uk = ArticleTranslation.objects.get(article=article, language="uk")
    assert uk.title == "Номер PESEL у Познані"
    assert uk.body.startswith("Щоб отримати **PESEL**")
    assert uk.summary == ""  # the file left it untranslated
    assert uk.status == "in_review" and uk.source_revision == 1
    again = xliff.xliff_export([article], "uk").decode()
    assert "Номер PESEL у Познані</target>" in again
    assert xliff.xliff_parse(again.encode())[0].texts["body"] == uk.body


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_re_importing_an_unchanged_export_changes_nothing(arabic, world, login, version):
    before = {t.language: (t.status, t.updated_at) for t in arabic.translations.all()}
    client = login("coordinator")
    for language in ("ar", "fr"):
        r = _upload(client, xliff.xliff_export([arabic], language, version=version))
        assert r.status_code == 302
    after = {t.language: (t.status, t.updated_at) for t in arabic.translations.all()}
    assert after == before
    assert after["ar"][0] == "published"
    # The public Arabic article is still the Arabic one.
    with translation.override("ar"):
        r = client.get(reverse("knowledge:article", args=["pesel"]))
    assert "رقم PESEL في بوزنان" in r.content.decode()


def test_inline_g_is_refused_and_the_arabic_summary_survives(arabic, world, login):
    data = xliff.xliff_export([arabic], "ar").decode()
    data = data.replace(
        "كيف تحصل على رقم PESEL.</target>",
        '<g id="1" ctype="bold">كيف</g> تحصل على رقم PESEL الجديد.</target>',
    )
    r = _upload(login("coordinator"), data)
    assert r.status_code == 200
    error = " ".join(r.context["form"].errors["file"])
    assert "pesel" in error and "summary" in error and "<g>" in error
    ar = ArticleTranslation.objects.get(article=arabic, language="ar")
    assert ar.summary == "كيف تحصل على رقم PESEL." and ar.status == "published"


def test_segmented_target_is_joined(arabic, world):
    data = xliff.xliff_export([arabic], "ar").decode()
    data = data.replace(
        "للحصول على **PESEL** اذهب إلى المكتب.</target>",
        '<mrk mtype="seg" mid="1">للحصول على **PESEL**، </mrk>'
        '<mrk mtype="seg" mid="2">اذهب إلى مكتب المدينة.</mrk></target>',
    )
    services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    ar = ArticleTranslation.objects.get(article=arabic, language="ar")
    assert ar.body == "للحصول على **PESEL**، اذهب إلى مكتب المدينة."
    assert ar.summary == "كيف تحصل على رقم PESEL." and ar.status == "in_review"


def test_placeholders_carry_the_markdown_back(arabic, world):
    data = xliff.xliff_export([arabic], "ar").decode()
    data = data.replace(
        "للحصول على **PESEL** اذهب إلى المكتب.</target>",
        'للحصول على <ph id="1">**</ph>PESEL<ph id="2">**</ph> اذهب إلى البلدية.</target>',
    )
    services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    body = ArticleTranslation.objects.get(article=arabic, language="ar").body
    assert body == "للحصول على **PESEL** اذهب إلى البلدية."
    assert "**PESEL** اذهب إلى البلدية.</target>" in xliff.xliff_export([arabic], "ar").decode()


def test_xliff_2_segments_and_original_data(arabic, world, xliff21):
    data = xliff.xliff_export([arabic], "uk", version="2.1").decode()
    body_unit = data.index('<unit id="body"')
    end = data.index("</unit>", body_unit) + len("</unit>")
    data = (
        data[:body_unit]
        + '<unit id="body" name="body"><originalData><data id="d1">**</data></originalData>'
        '<segment state="translated"><source>Aby dostać PESEL,</source>'
        '<target>Щоб отримати <pc id="1" dataRefStart="d1" dataRefEnd="d1">PESEL</pc>,</target>'
        "</segment><ignorable><source> </source></ignorable>"
        '<segment state="translated"><source>idź do urzędu.</source>'
        '<target>ідіть до <mrk id="m1" translate="no">ЦНАП</mrk>.</target></segment></unit>'
        + data[end:]
    )
    data = data.replace(
        "Numer PESEL w Poznaniu</source>",
        "Numer PESEL w Poznaniu</source><target>Номер PESEL</target>",
    )
    _assert_valid(xliff21, data.encode())
    services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    uk = ArticleTranslation.objects.get(article=arabic, language="uk")
    assert (uk.title, uk.body) == ("Номер PESEL", "Щоб отримати **PESEL**, ідіть до ЦНАП.")


def test_xliff_2_half_translated_unit_is_refused(arabic, world):
    data = xliff.xliff_export([arabic], "uk", version="2.1").decode()
    data = data.replace(
        "Numer PESEL w Poznaniu</source>",
        "Numer</source><target>Номер</target></segment><segment><source>PESEL w Poznaniu</source>",
    )
    with translation.override("en"), pytest.raises(ValidationError, match="1 of 2"):
        services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    assert not ArticleTranslation.objects.filter(article=arabic, language="uk").exists()


@pytest.mark.parametrize(
    "inline",
    ['<x id="1"/>', '<bx id="1"/>', '<ph id="1">a<sub>b</sub></ph>'],
)
def test_codes_mosty_cannot_store_are_refused_by_name(arabic, world, inline):
    data = xliff.xliff_export([arabic], "ar").decode()
    data = data.replace("اذهب إلى المكتب.</target>", f"{inline}اذهب.</target>")
    with pytest.raises(ValidationError, match="body"):
        services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    assert ArticleTranslation.objects.get(article=arabic, language="ar").body.endswith("المكتب.")


def test_older_exports_with_mosty_revision_still_import(world):
    article = factories.article(slug="pesel")
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"'
        ' xmlns:mosty="https://mosty.example/xliff" version="1.2"><file original="pesel"'
        ' source-language="pl" target-language="en" datatype="x-markdown" mosty:revision="1">'
        '<body><trans-unit id="title"><source>x</source><target>PESEL</target></trans-unit>'
        '<trans-unit id="body"><source>x</source><target>Text</target></trans-unit>'
        "</body></file></xliff>"
    )
    result = services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    assert [t.title for t in result.imported] == ["PESEL"]
    assert result.imported[0].source_revision == article.revision


def test_bad_files_get_a_message(world, login):
    client = login("coordinator")
    for content in (
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"/>',
    ):
        r = _upload(client, content, "bad.xlf")
        assert r.status_code == 200
        assert r.context["form"].errors["file"]


def test_import_is_all_or_nothing_and_audited(world):
    article = factories.article(slug="pesel")
    data = xliff.xliff_export([article], "fr").decode()
    data = data.replace(
        "<source>Numer PESEL w Poznaniu</source>", "<source>x</source><target>PESEL</target>"
    ).replace(
        "<source>Aby dostać **PESEL**, idź do urzędu w Poznaniu.</source>",
        "<source>x</source><target>Texte</target>",
    )
    bad_second = data.replace(
        "</xliff>",
        '<file original="no-such-article" source-language="pl" target-language="fr" '
        'datatype="x-markdown"><body/></file></xliff>',
    )
    for broken in (data.replace("</xliff>", ""), bad_second):
        with pytest.raises(ValidationError):
            services.translations_import_xliff(data=broken.encode(), by=world.user("coordinator"))
    assert not ArticleTranslation.objects.filter(language="fr").exists()
    services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    event = AuditEvent.objects.get(action="mosty.knowledge.xliff.imported")
    assert event.details == {"imported": 1, "unchanged": 0}


def test_export_page_offers_both_versions(world, login):
    article = factories.article(slug="pesel")
    client = login("coordinator")
    for version, marker in (("1.2", b'version="1.2"'), ("2.1", b'version="2.1"')):
        r = client.get(
            reverse("knowledge:xliff_export"),
            {"language": "uk", "version": version, "article": article.pk},
        )
        assert r.status_code == 200 and marker in r.content
    assert client.get(reverse("knowledge:xliff_export"), {"language": "xx"}).status_code == 400


def test_a_form_opened_before_an_import_cannot_save_over_the_imported_text(arabic, world, login):
    """The agency's text arrives while the Arabic translation is open in the editor: saving
    that form is refused (the page asks to reload), the imported text stays."""
    client = login("coordinator")
    url = reverse("knowledge:translation_edit", args=[arabic.pk, "ar"])
    shown = client.get(url).context["form"].initial["version"]
    data = xliff.xliff_export([arabic], "ar").decode()
    data = data.replace("اذهب إلى المكتب.</target>", "اذهب إلى مكتب المدينة.</target>")
    services.translations_import_xliff(data=data.encode(), by=world.user("coordinator"))
    response = client.post(url, {"title": "عنوان", "body": "نص قديم.", "version": shown})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    ar = ArticleTranslation.objects.get(article=arabic, language="ar")
    assert ar.body == "للحصول على **PESEL** اذهب إلى مكتب المدينة."
