from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from mosty.core.navigation import nav_for


def _labels(menu):
    return [
        (str(x["label"]), [str(i["label"]) for i in x["links"]])
        if "links" in x
        else str(x["label"])
        for x in menu
    ]


def test_visitors_get_plain_links(db):
    with translation.override("en"):
        menu = _labels(nav_for(AnonymousUser()))
    assert menu == ["Home", "Services directory", "Events", "Take part", "Knowledge base"]


def test_staff_get_one_dropdown_per_module_they_use(world, client):
    with translation.override("en"):
        menu = _labels(nav_for(world.user("coordinator")))
    assert ("Mentoring", ["Mentors", "Matching", "Matches"]) in menu
    assert (
        "Newcomers",
        [
            "Participants",
            "Consent texts",
            "Cases",
            "Referrals",
            "Requests for help",
            "Tasks done by participants",
        ],
    ) in menu
    # Short enough to stay on one line at desktop width.
    assert len(menu) <= 9
    client.force_login(world.user("coordinator"))
    page = client.get("/en/").content.decode()
    groups = [x for x in menu if isinstance(x, tuple)]
    # One dropdown per group, and plain links stay plain (Home is no dropdown).
    assert page.count('class="nav-link dropdown-toggle"') == len(groups)
    assert '<li class="nav-item"><a class="nav-link active" href="/en/"' in page
    assert ">Matching</a>" in page
