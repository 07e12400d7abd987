"""A period at the calendar's ends (a typing slip: year 0001, 9999) is refused beside the
field, on every page and in the API that takes one, instead of failing to count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mosty.reports.models import Programme
from tests.reports.factories import make_programme

pytestmark = pytest.mark.django_db

SLIPS = [
    ("0001-01-01", "0001-01-02"),  # the period before it starts before the year 1
    ("9999-12-01", "9999-12-31"),  # the last day's end passes the year 9999 in UTC
]


@pytest.mark.parametrize(("start", "end"), SLIPS)
def test_the_public_statistics_refuse_a_period_at_the_calendars_ends(client, world, start, end):
    response = client.get(reverse("reports:public"), {"start": start, "end": end})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wybierz dzień nie" in html  # "no earlier than" / "no later than", beside a field
    api = client.get(reverse("api:statistics_public"), {"start": start, "end": end})
    assert api.status_code == 400
    assert set(api.json()) == {"start", "end"}


@pytest.mark.parametrize(("start", "end"), SLIPS)
def test_the_dashboard_refuses_a_period_at_the_calendars_ends(world, login, start, end):
    response = login("coordinator").get(reverse("reports:dashboard"), {"start": start, "end": end})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_start_errors"' in html and 'id="id_end_errors"' in html


def test_a_far_future_period_names_the_last_day_allowed(world, login):
    last = datetime.date(timezone.localdate().year + 10, 12, 31)
    response = login("coordinator").get(
        reverse("reports:dashboard"),
        {"start": last.isoformat(), "end": (last + datetime.timedelta(days=1)).isoformat()},
    )
    html = response.content.decode()
    assert 'id="id_start_errors"' not in html
    assert f"Wybierz dzień nie późniejszy niż {last:%d.%m.%Y}." in html


def test_a_programme_cannot_run_to_the_year_9999(world, login):
    client = login("coordinator")
    response = client.post(
        reverse("reports:programme_create"),
        {
            "name": "Literówka",
            "organisation": world.org_a.pk,
            "starts_on": "2026-01-01",
            "ends_on": "9999-12-31",
            "language": "pl",
        },
    )
    assert response.status_code == 200
    assert 'id="id_ends_on_errors"' in response.content.decode()
    assert not Programme.objects.exists()
    programme = make_programme(world)
    response = client.get(
        reverse("reports:programme_detail", args=[programme.pk]),
        {"start": "0001-01-01", "end": "0001-01-02"},
    )
    assert response.status_code == 200
    assert 'id="id_start_errors"' in response.content.decode()
