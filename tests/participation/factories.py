from datetime import timedelta

from django.utils import timezone

from mosty.participation.models import Call, CallTranslation, Programme, ProgrammeTranslation


def make_programme(
    organisation, *, title="Budżet obywatelski", kind="citizens_budget", published=True
):
    programme = Programme.objects.create(
        organisation=organisation,
        kind=kind,
        source_language="pl",
        foreigners_may_take_part=True,
        is_published=published,
    )
    ProgrammeTranslation.objects.create(
        programme=programme,
        language="pl",
        title=title,
        summary="Mieszkańcy decydują.",
        status="published",
    )
    ProgrammeTranslation.objects.create(
        programme=programme,
        language="uk",
        title=f"{title} (uk)",
        summary="Мешканці вирішують.",
        status="published",
    )
    return programme


def make_call(programme, *, title="Nabór 2027", days_open=30, collects_opinions=False, opens=None):
    today = timezone.localdate()
    opens = opens or today - timedelta(days=1)
    call = Call.objects.create(
        programme=programme,
        source_language="pl",
        opens_on=opens,
        closes_on=today + timedelta(days=days_open),
        collects_opinions=collects_opinions,
    )
    CallTranslation.objects.create(
        call=call, language="pl", title=title, summary="Zgłoś projekt.", status="published"
    )
    return call


def make_idea(world, *, kind="project", call=None, status="draft", supporter=None, **kw):
    from mosty.participation.models import Idea
    from tests.cases.factories import make_participant

    participant = kw.pop("participant", None) or make_participant(world)
    return Idea.objects.create(
        organisation=world.org_a,
        kind=kind,
        call=call,
        participant=participant,
        supporter=supporter,
        title="Ogród sąsiedzki na Zaspie",
        text="Chcemy założyć ogród z sąsiadami.",
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        **kw,
    )


def make_consultation(world, **kw):
    programme = make_programme(world.org_a, title="Konsultacje społeczne", kind="consultation")
    return make_call(programme, title="Strategia 2030", collects_opinions=True, **kw)


def make_group(world, *, kind="advisory_team", leader=None, public=True, **kw):
    from mosty.participation.models import Group, GroupMember

    group = Group.objects.create(
        organisation=world.org_a,
        name="Regionalny Zespół Imigrantów",
        kind=kind,
        is_public=public,
        **kw,
    )
    if leader is not None:
        GroupMember.objects.create(
            group=group, user=leader, role="leader", starts_on=timezone.localdate()
        )
    return group


def make_policy_document(group, *, sections=("Cel 1: język.", "Cel 2: praca.")):
    from mosty.participation.models import OpinionPoint, PolicyDocument, PolicySection

    document = PolicyDocument.objects.create(group=group, title="Strategia województwa 2030")
    for n, text in enumerate(sections, 1):
        PolicySection.objects.create(document=document, number=n, text=text)
    OpinionPoint.objects.create(document=document, text="Kursy polskiego wieczorami.")
    return document
