"""A respondent answers the migrant survey in Arabic, on a phone, with skip logic."""

from playwright.sync_api import expect

from tests.browser.conftest import serious_violations
from tests.research.factories import make_survey


def _next(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_a_migrant_answers_in_arabic_and_skip_logic_hides_questions(page, bworld):
    from mosty.research.models import Response

    survey = make_survey(bworld.org_a, consent_text="نحفظ إجاباتك دون اسم.")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/ar/research/s/{survey.slug}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.get_by_text("نحفظ إجاباتك دون اسم.")).to_be_visible()
    assert serious_violations(page) == []
    _next(page, "أوافق، ابدأ")
    page.get_by_label("كم عمرك؟").fill("12")
    _next(page, "التالي")
    expect(page.get_by_text("أدخل عمراً بين 16 و100.")).to_be_visible()  # the form's own message
    assert serious_violations(page) == []
    page.get_by_label("كم عمرك؟").fill("34")
    _next(page, "التالي")
    page.get_by_role("radio", name="سوريا", exact=True).check()
    _next(page, "التالي")
    # Syria: the region question (asked only of people from Ukraine) is skipped.
    assert page.get_by_text("من أي منطقة؟").count() == 0
    page.get_by_role("radio", name="لا", exact=True).check()
    _next(page, "التالي")
    # Not working: the work page is skipped; the Polish self-assessment comes next.
    assert page.get_by_text("في أي قطاع؟").count() == 0
    page.get_by_label("كيف تقيّم لغتك البولندية (1–5)؟").fill("2")
    _next(page, "التالي")
    expect(page.get_by_text("تنظم المدينة دورات مجانية في اللغة البولندية.")).to_be_visible()
    assert serious_violations(page) == []
    _next(page, "التالي")
    page.get_by_label("ما الذي تحتاجه أكثر؟").fill("سكن")
    _next(page, "إرسال الإجابات")
    expect(page.get_by_text("شكرًا لك! تم إرسال إجاباتك.")).to_be_visible()
    answers = Response.objects.get().answers
    assert answers["country"] == "sy" and "region" not in answers and answers["needs"] == "سكن"


def test_a_dependent_question_appears_without_sending_the_page(page, bworld):
    """Instant skips in Arabic on a phone: the server says what shows, nothing is saved
    until the page is sent, and the page stays axe clean."""
    from mosty.research.models import Response
    from tests.research.factories import skips_survey

    survey = make_survey(
        bworld.org_a, skips_survey(), filename="skips.xlsx", consent_text="نحفظ إجاباتك دون اسم."
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/ar/research/s/{survey.slug}/")
    _next(page, "أوافق، ابدأ")
    assert page.locator("html").get_attribute("dir") == "rtl"
    region = page.get_by_role("group", name="من أي منطقة؟")
    hours = page.get_by_label("كم ساعة في الأسبوع؟")
    expect(region).to_be_hidden()
    expect(hours).to_be_hidden()
    page.locator("form[data-skips-ready]").wait_for(state="attached")
    page.get_by_role("radio", name="أوكرانيا", exact=True).check()
    region.wait_for(state="visible")
    # The choice filter: only Ukraine's regions are offered.
    expect(page.get_by_role("radio", name="كييف")).to_be_visible()
    expect(page.get_by_role("radio", name="مينسك")).to_be_hidden()
    page.get_by_role("radio", name="نعم", exact=True).check()
    hours.wait_for(state="visible")
    # Announced politely, in the page's language.
    expect(page.locator("#skips-status")).to_have_text("ظهرت أسئلة إضافية في هذه الصفحة.")
    expect(page.get_by_role("button", name="إرسال الإجابات")).to_be_visible()  # now the last page
    assert Response.objects.get().answers.get("works") is None  # nothing saved yet
    assert serious_violations(page) == []
    page.get_by_role("radio", name="لا", exact=True).check()
    hours.wait_for(state="hidden")
    page.get_by_role("radio", name="كييف").check()
    _next(page, "التالي")
    answers = Response.objects.get().answers
    assert answers["region"] == "kyiv" and answers["works"] == "no" and "hours" not in answers
