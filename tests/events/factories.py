from datetime import timedelta

from django.utils import timezone

from mosty.events.models import Event, EventTranslation, Registration, Session


def make_event(
    organisation,
    *,
    title="Warsztaty międzykulturowe",
    capacity=10,
    sessions=1,
    is_public=True,
    kind="workshop",
    district=None,
    start=None,
    audiences=("newcomers", "local"),
    languages=("pl", "uk"),
) -> Event:
    start = start or (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    event = Event.objects.create(
        organisation=organisation,
        kind=kind,
        source_language="pl",
        capacity=capacity,
        is_public=is_public,
        audiences=list(audiences),
        languages=list(languages),
    )
    EventTranslation.objects.create(event=event, language="pl", title=title, status="published")
    EventTranslation.objects.create(
        event=event, language="en", title=f"{title} (en)", status="published"
    )
    for i in range(sessions):
        Session.objects.create(
            event=event,
            starts_at=start + timedelta(days=7 * i),
            ends_at=start + timedelta(days=7 * i, hours=2),
            district=district,
            place="Klub Sąsiedzki, ul. Długa 1",
        )
    event.dates_refresh()
    return event


def make_registration(event, *, name="Olena K.", status="confirmed", user=None, **extra):
    return Registration.objects.create(
        event=event,
        name=name,
        email=extra.pop(
            "email", f"{name.split()[0].lower()}-{Registration.objects.count()}@example.org"
        ),
        status=status,
        user=user,
        consent_at=timezone.now(),
        **extra,
    )
