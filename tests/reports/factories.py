import datetime

from django.utils import timezone

from mosty.events.models import Attendance
from mosty.reports.models import Programme, Target
from tests.events.factories import make_event, make_registration


def make_programme(world, org="a", *, targets=(("events.programme_hours", 160),), **kw):
    today = timezone.localdate()
    programme = Programme.objects.create(
        organisation=world.org(org),
        name=kw.pop("name", "Samorzecznictwo imigrantów"),
        donor=kw.pop("donor", "Active Citizens Fund"),
        starts_on=kw.pop("starts_on", today - datetime.timedelta(days=90)),
        ends_on=kw.pop("ends_on", today + datetime.timedelta(days=90)),
        **kw,
    )
    for code, value in targets:
        Target.objects.create(programme=programme, indicator=code, value=value)
    return programme


def past_event(organisation, *, sessions=1, days_ago=20, **kw):
    start = (timezone.now() - datetime.timedelta(days=days_ago)).replace(second=0, microsecond=0)
    return make_event(organisation, sessions=sessions, start=start, **kw)


def attended(event, **kw):
    """A registration present at every session of `event`."""
    registration = make_registration(event, **kw)
    for session in event.sessions.all():
        Attendance.objects.create(session=session, registration=registration, present=True)
    return registration
