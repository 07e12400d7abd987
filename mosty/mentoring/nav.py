from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import MENTORING, dashboard_panel, nav_item, record_section

nav_item(_("Mentors"), "mentoring:mentor_list", rule="mentor.list", order=40, group=MENTORING)
nav_item(_("Matching"), "mentoring:matching", rule="matching.run", order=41, group=MENTORING)
nav_item(_("Matches"), "mentoring:match_list", rule="match.list", order=42, group=MENTORING)
nav_item(_("My mentoring"), "mentoring:home", rule="mentor.home", order=43, group=MENTORING)


def _panel(request):
    from mosty.access.policy import can
    from mosty.mentoring import selectors

    user = request.user
    if can(user, "match.list"):
        attention = selectors.match_attention_list(fetched_by=user)
        flagged = [m for m in attention if m.flags["quiet"] or m.flags["checkin_overdue"]]
        return {
            "coordinator": True,
            "active": len(attention),
            "flagged": len(flagged),
            "applied": selectors.mentor_list(
                fetched_by=user, filters={"status": "applied"}
            ).count(),
        }
    if can(user, "mentor.home"):
        return {
            "coordinator": False,
            "proposed": selectors.match_list(fetched_by=user, filters={"status": "proposed"})
            .filter(mentor__user=user)
            .count(),
        }
    return None


dashboard_panel("mentoring/_dashboard.html", _panel, order=40)


def _participant_matches(request, participant):
    """The participant page's mentoring block: their matches the user may see, and the way to
    find a mentor (the by-hand matching page)."""
    from mosty.access.audit import audit_reads
    from mosty.access.policy import can
    from mosty.mentoring import selectors

    user = request.user
    if not can(user, "match.list"):
        return None
    matches = list(
        selectors.match_list(fetched_by=user, filters={})
        .filter(participant=participant)
        .select_related("mentor")[:10]
    )
    audit_reads(user, matches, fields=["mentor", "status"])
    return {
        "participant": participant,
        "matches": matches,
        "may_match": can(user, "matching.run") and participant.anonymised_at is None,
    }


record_section("participant", "mentoring/_participant_matches.html", _participant_matches, order=30)
