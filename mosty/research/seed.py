"""Demo research: a migrant survey and an institution survey (pl, en, uk, ar) with answers,
personal links, and a focus group. At large scale the migrant survey has 20,000 responses
(the benchmark's size)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.access.domains.knowledge import is_editor
from mosty.accounts.models import Membership, Role
from mosty.core.seeding import batched, seeder
from mosty.research import demo_forms
from mosty.research.models import (
    Audience,
    FocusGroup,
    FormVersion,
    Invitation,
    Response,
    Survey,
    SurveyStatus,
)
from mosty.research.xlsform import analyse, read_xlsform

CONSENT = (
    "Ankieta jest anonimowa. Wyniki posłużą do diagnozy potrzeb migrantów w mieście; "
    "w raporcie pokazujemy tylko zbiorcze liczby."
)
# The consent text and the titles in the forms' other languages, as an editor writes them.
CONSENT_TRANSLATIONS = {
    "en": "The survey is anonymous. The results will be used to assess the needs of migrants "
    "in the city; the report shows only totals.",
    "uk": "Анкета анонімна. Результати допоможуть оцінити потреби мігрантів у місті; у звіті "
    "ми показуємо лише загальні цифри.",
    "ar": "الاستبيان مجهول الهوية. ستُستخدم النتائج لتقييم احتياجات المهاجرين في المدينة؛ "
    "ولا يعرض التقرير سوى الأعداد الإجمالية.",
}
MIGRANT_TITLES = {
    "en": "Diagnosis: a survey for migrants",
    "uk": "Діагностика: анкета для мігрантів",
    "ar": "التشخيص: استبيان للمهاجرين",
}
INSTITUTION_TITLES = {
    "en": "Diagnosis: a survey for institutions",
    "uk": "Діагностика: анкета для установ",
    "ar": "التشخيص: استبيان للمؤسسات",
}


def _survey(
    organisation: Any,
    by: Any,
    title: str,
    audience: str,
    content: bytes,
    slug: str,
    titles: dict[str, str],
) -> Survey:
    survey = Survey.objects.create(
        organisation=organisation,
        title=title,
        slug=slug,
        audience=audience,
        status=SurveyStatus.OPEN,
        consent_text=CONSENT,
        title_translations=titles,
        consent_text_translations=CONSENT_TRANSLATIONS,
        created_by=by,
        updated_by=by,
    )
    definition = read_xlsform(content, f"{slug}.xlsx")
    analysis = analyse(definition)
    FormVersion.objects.create(
        survey=survey,
        number=1,
        definition=definition,
        languages=analysis.languages,
        unsupported=analysis.unsupported,
        ignored=analysis.ignored,
        filename=f"{slug}.xlsx",
    )
    return survey


def _migrant_answers(rng: Any) -> dict[str, Any]:
    country = rng.choice(["ua", "ua", "ua", "by", "sy", "other"])
    answers: dict[str, Any] = {"age": rng.randint(18, 70), "country": country}
    if country == "ua":
        answers["region"] = rng.choice(["kyiv", "kharkiv"])
    answers["works"] = rng.choice(["yes", "yes", "no"])
    if answers["works"] == "yes":
        answers["sector"] = " ".join(
            sorted(rng.sample(["care", "logistics", "it"], k=rng.randint(1, 2)))
        )
        answers["hours"] = rng.choice([20, 30, 40, 45])
    answers["polish"] = rng.randint(1, 5)
    answers["needs_course"] = "yes" if answers["polish"] < 3 else "no"
    if rng.random() < 0.3:
        answers["needs"] = rng.choice(["Mieszkanie", "Praca", "Kurs języka", "Житло", "سكن"])
    return answers


def _institution_answers(rng: Any) -> dict[str, Any]:
    barriers = sorted(rng.sample(["language", "law", "staff"], k=rng.randint(1, 3)))
    answers: dict[str, Any] = {
        "kind": rng.choice(["school", "social", "ngo"]),
        "clients": rng.randint(5, 400),
        "barriers": " ".join(barriers),
        "share": "OK",
    }
    if "language" in barriers:
        answers["interpreter"] = rng.choice(["yes", "no"])
    return answers


@seeder("research", order=80)  # type: ignore[untyped-decorator]
def seed_research(ctx: Any) -> str:
    membership = (
        Membership.objects.filter(role=Role.COORDINATOR, is_active=True)
        .select_related("organisation", "user")
        .order_by("organisation__pk", "pk")
        .first()
    )
    if membership is None:
        return "no coordinator: skipped"
    organisation, by = membership.organisation, membership.user
    if Survey.objects.filter(slug="diagnoza-migranci").exists():
        return "already seeded"
    migrants = _survey(
        organisation,
        by,
        "Diagnoza: ankieta dla migrantów",
        Audience.MIGRANTS,
        demo_forms.migrant_survey(),
        "diagnoza-migranci",
        MIGRANT_TITLES,
    )
    institutions = _survey(
        organisation,
        by,
        "Diagnoza: ankieta dla instytucji",
        Audience.INSTITUTIONS,
        demo_forms.institution_survey(),
        "diagnoza-instytucje",
        INSTITUTION_TITLES,
    )
    now = timezone.now()
    languages = ["Polski (pl)", "Українська (uk)", "العربية (ar)", "English (en)"]
    for survey, make, total in (
        (migrants, _migrant_answers, ctx.size(demo=80, large=20_000)),
        (institutions, _institution_answers, ctx.size(demo=30, large=500)),
    ):
        version = survey.versions.get()
        for batch in batched(range(total), 2000):
            with transaction.atomic():
                Response.objects.bulk_create(
                    Response(
                        survey=survey,
                        version=version,
                        language=ctx.rng.choice(languages),
                        answers=make(ctx.rng),
                        submitted_at=now - datetime.timedelta(hours=n),
                        page=0,
                    )
                    for n in batch
                )
    links = Invitation.objects.bulk_create(Invitation(survey=institutions) for _n in range(20))
    for link in links[:12]:
        Response.objects.create(
            survey=institutions,
            version=institutions.versions.get(),
            invitation=link,
            answers=_institution_answers(ctx.rng),
            submitted_at=now,
        )
    FocusGroup.objects.create(
        organisation=organisation,
        survey=migrants,
        title="Grupa fokusowa: matki z Ukrainy",
        held_on=(now - datetime.timedelta(days=20)).date(),
        facilitator=by.get_full_name() or "Koordynatorka",
        participants={"Kobiety z Ukrainy": 7, "Kobiety z Białorusi": 3},
        consent_obtained=True,
        notes="Najważniejsze: mieszkanie i opieka nad dziećmi w czasie kursów.",
        findings=[
            {"theme": "Mieszkanie", "text": "Wynajmujący odmawiają umów osobom bez stałej pracy."},
            {"theme": "Język", "text": "Kursy wieczorne kolidują z opieką nad dziećmi."},
        ],
        created_by=by,
        updated_by=by,
    )
    report = _publish_report(by)
    return f"2 surveys, {Response.objects.count()} responses, 1 focus group, {report}"


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text (the demo's report; real ones are uploaded)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _visual_notes() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for n, (height, colour) in enumerate(
        [(220, (40, 90, 160)), (140, (200, 90, 40)), (90, (60, 150, 90))]
    ):
        draw.rectangle([80 + n * 180, 320 - height, 200 + n * 180, 320], fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _publish_report(by: Any) -> str:
    """The diagnosis report, published in the knowledge base with its PDF and visual notes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mosty.knowledge import services as knowledge

    if not is_editor(by):
        return "no report (the coordinator may not edit the knowledge base)"
    article = knowledge.article_create(
        slug="diagnoza-raport",
        category="institutions",
        audience="institutions",
        source_language="pl",
        title="Diagnoza: potrzeby migrantów w mieście",
        summary="Raport z ankiet, grup fokusowych i spotkań badawczych.",
        body=(
            "Raport podsumowuje ankietę dla migrantów, ankietę dla instytucji, grupy "
            "fokusowe i trzy spotkania badawcze."
        ),
        publish=True,
        by=by,
    )
    files = [
        ("Raport (PDF)", SimpleUploadedFile("raport.pdf", _minimal_pdf("Diagnoza 2026"))),
        ("Notatki wizualne", SimpleUploadedFile("notatki.png", _visual_notes())),
    ]
    for title, upload in files:
        knowledge.article_file_add(article=article, upload=upload, title=title, language="", by=by)
    return "a published report with 2 files"
