"""The export page's leaves, as a person reads them (`people_tags.render_value`)."""

from django.utils import translation

from mosty.people.templatetags.people_tags import render_value


def test_values_are_said_in_the_readers_language_and_time_zone(settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    with translation.override("pl"):
        page = str(
            render_value(
                {
                    "given": "2026-12-07T06:13:21.172735+00:00",
                    "on": "2026-03-01",
                    "children": False,
                    "hours": 2.5,
                }
            )
        )
    assert "7 grudnia 2026 07:13" in page  # 06:13 UTC is 07:13 in Warsaw
    assert "1 marca 2026" in page
    assert ">Nie<" in page
    assert ">2,5<" in page


def test_text_that_only_looks_like_a_date_stays_as_written():
    page = str(render_value({"note": "2026-02-31", "other": "2026-13-01T25:00"}))
    assert ">2026-02-31<" in page and ">2026-13-01T25:00<" in page
