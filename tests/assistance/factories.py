import datetime

from django.utils import timezone

from mosty.assistance.models import (
    Assignment,
    AssistanceRequest,
    AssistantLanguage,
    AssistantProfile,
    AvailabilitySlot,
)


def next_weekday_at(weekday: int = 1, hour: int = 10, weeks: int = 1) -> datetime.datetime:
    """An aware moment on the given weekday (0 = Monday) at least a few days ahead."""
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_profile(
    organisation,
    user,
    *,
    languages=(("uk", "native"), ("pl", "fluent")),
    modes=("on_site", "phone", "video"),
    districts=(),
    slots=((1, 8, 16),),
) -> AssistantProfile:
    profile = AssistantProfile.objects.create(
        organisation=organisation, user=user, modes=list(modes)
    )
    for code, level in languages:
        AssistantLanguage.objects.create(profile=profile, code=code, level=level)
    profile.districts.set(list(districts))
    for weekday, start, end in slots:
        AvailabilitySlot.objects.create(
            profile=profile, weekday=weekday, starts=datetime.time(start), ends=datetime.time(end)
        )
    return profile


def make_request(
    organisation,
    *,
    provider=None,
    starts_at=None,
    minutes=60,
    language="uk",
    mode="on_site",
    district=None,
    created_by=None,
    **extra,
) -> AssistanceRequest:
    request = AssistanceRequest(
        organisation=organisation,
        provider=provider or organisation,
        starts_at=starts_at or next_weekday_at(),
        duration_minutes=minutes,
        language=language,
        language_with="pl",
        mode=mode,
        place="Szkoła Podstawowa nr 5, sala 12",
        district=district,
        topic="school",
        description="Parent-teacher meeting about the school year.",
        created_by=created_by,
        **extra,
    )
    request.schedule()
    request.save()
    return request


def make_offer(request, profile, *, status="offered") -> Assignment:
    return Assignment.objects.create(
        request=request,
        assistant=profile,
        status=status,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
    )
