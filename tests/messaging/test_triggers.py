import pytest
from django.urls import reverse
from django.utils import translation

from mosty.cases import services as case_services
from mosty.messaging import catalog
from mosty.messaging.models import Message, Notification
from tests.cases.factories import make_case, make_goal, make_participant
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_referral_sent_and_answered_reach_both_sides_and_the_person(world):
    participant = make_participant(world, "a", consents=("case_management", "referral", "messages"))
    participant.preferred_channel = "sms"
    participant.save()
    case = make_case(world, "a", participant=participant)
    partner = OrganisationFactory()
    partner_staff = UserFactory()
    MembershipFactory(user=partner_staff, organisation=partner, role="caseworker")
    referral = case_services.referral_send(
        case=case,
        to_organisation=partner,
        domain="housing",
        shared_fields=["first_name"],
        message="Please help.",
        by=case.lead,
    )
    sent = Notification.objects.get(user=partner_staff, template="referral_sent")
    assert sent.url == reverse("cases:referral_detail", args=[referral.pk])
    case_services.referral_accept(referral=referral, by=partner_staff)
    assert Notification.objects.filter(user=case.lead, template="referral_answered").exists()
    message = Message.objects.get(recipient_participant=participant)
    assert message.template == "referral_answered_participant" and message.channel == "sms"


def test_plan_request_tells_coordinators_and_task_tells_its_assignee(world):
    other = world.user("coordinator", "a")
    case = make_case(world, "a", members=[other])
    goal = make_goal(case)
    case_services.task_add(
        goal=goal, title="Call", assignee_kind="staff", assignee_user=other, by=case.lead
    )
    assert Notification.objects.filter(user=other, template="task_assigned").exists()
    case_services.plan_request_approval(case=case, by=case.lead)
    assert Notification.objects.filter(user=other, template="plan_requested").exists()
    assert not Notification.objects.filter(user=world.user("coordinator", "b")).exists()


def test_bell_shows_unread_count_and_reading_clears_it(world, login):
    user = world.user("caseworker", "a")
    n = Notification.objects.create(
        user=user, template="help_requested", payload={"code": "GDA-XXXX-1"}, url="/pl/dashboard/"
    )
    client = login("caseworker")
    page = client.get(reverse("messaging:list")).content.decode()
    with translation.override("pl"):
        expected = catalog.line("help_requested", {"code": "GDA-XXXX-1"})
    assert expected == "GDA-XXXX-1 prosi o pomoc."
    assert expected in page
    assert 'badge text-bg-danger"><span aria-hidden="true">1</span>' in page
    assert "1 nieprzeczytane powiadomienie" in page  # what a screen reader says
    response = client.post(reverse("messaging:read", args=[n.pk]))
    assert response.url == "/pl/dashboard/"
    assert "text-bg-danger" not in client.get(reverse("messaging:list")).content.decode()


def test_read_all_clears_only_own_bell_and_returns_to_the_list(world, login):
    user, other = world.user("caseworker", "a"), world.user("coordinator", "a")
    for person in (user, user, other):
        Notification.objects.create(user=person, template="help_requested", payload={})
    response = login("caseworker").post(reverse("messaging:read_all"))
    assert response.url == reverse("messaging:list")
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_reading_a_notification_without_a_link_returns_to_the_list(world, login):
    n = Notification.objects.create(
        user=world.user("caseworker", "a"), template="help_requested", payload={}
    )
    response = login("caseworker").post(reverse("messaging:read", args=[n.pk]))
    assert response.url == reverse("messaging:list")
    n.refresh_from_db()
    assert n.read_at is not None


def test_task_reminder_also_rings_the_assignees_bell(world):
    import datetime

    from django.utils import timezone

    from mosty.cases.tasks import task_remind
    from tests.cases.factories import make_task

    case = make_case(world, "a")
    task = make_task(make_goal(case), due_date=timezone.localdate() + datetime.timedelta(days=1))
    assert task_remind.call(task.pk) is True
    bell = Notification.objects.get(user=case.lead, template="task_due")
    assert bell.url == reverse("cases:detail", args=[case.pk])
    assert task_remind.call(task.pk) is False  # reminded once
    assert Notification.objects.filter(template="task_due").count() == 1


@pytest.mark.parametrize(
    ("language", "one", "many"), [("en", "for 1 day)", "for 14 days)"), ("pl", "1 dzień", "14 dni")]
)
def test_invitation_names_its_days_in_the_languages_plural(language, one, many):
    """The link's lifetime is a number in the text: ngettext picks the noun's form."""
    payload = {
        "organisation": "Fundacja",
        "network": "Sieć",
        "link": "https://x.example/",
        "days": 1,
    }
    assert one in catalog.render("network_invitation", payload, language)[1]
    assert many in catalog.render("network_invitation", {**payload, "days": 14}, language)[1]
