"""Mentoring in a participant's GDPR export and erasure (`mosty.people.gdpr`).

The export holds the participant's wishes, each match with its mentor's name, meetings and
check-ins as written, and the newest matching's proposal for them with its explanation. Erasure removes the free text (meeting and check-in notes, feedback) and the
wishes; dates, minutes, activities, statuses and satisfaction scores stay, so the programme's
figures (hours, matches, satisfaction) survive.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _d(value):
    return value.isoformat() if value else None


def export(participant) -> dict:
    from mosty.mentoring.matching import explain, unmatched_text
    from mosty.mentoring.models import Match, MatchProposal, MentoringProfile

    profile = MentoringProfile.objects.filter(participant=participant).first()
    matches = (
        Match.objects.filter(participant=participant)
        .select_related("mentor", "organisation")
        .prefetch_related("meetings", "checkins")
        .order_by("proposed_at", "pk")
    )
    return {
        "wishes": (
            {
                "interests": profile.interests,
                "availability": profile.availability,
                "mentor_gender": profile.mentor_gender,
                "mentor_kinds": profile.mentor_kinds,
                "with_children": profile.with_children,
            }
            if profile
            else None
        ),
        "matches": [
            {
                "organisation": m.organisation.name,
                "mentor": m.mentor.name,
                "status": m.status,
                "proposed_at": _d(m.proposed_at),
                "started_on": _d(m.started_on),
                "ended_at": _d(m.ended_at),
                "end_reason": m.end_reason,
                "mentor_feedback": m.mentor_feedback,
                "participant_feedback": m.participant_feedback,
                "meetings": [
                    {
                        "date": _d(meeting.date),
                        "minutes": meeting.minutes,
                        "activity": meeting.activity,
                        "note": meeting.note,
                    }
                    for meeting in m.meetings.all()
                ],
                "check_ins": [
                    {
                        "date": _d(c.date),
                        "mentor_satisfaction": c.mentor_satisfaction,
                        "participant_satisfaction": c.participant_satisfaction,
                        "note": c.note,
                    }
                    for c in m.checkins.all()
                ],
            }
            for m in matches
        ],
        # What the newest matching computation proposed (not yet sent to anyone), explained in
        # the reader's language as the matching page and the API explain it: the stored parts
        # are the engine's codes and keys, which no one reads.
        "matching_proposals": [
            {
                "computed_at": _d(x.run.finished_at),
                "mentor": x.mentor.name if x.mentor else None,
                "score": x.score,
                "explanation": explain(x.parts) if x.mentor else unmatched_text(x.parts),
            }
            for x in MatchProposal.objects.filter(participant=participant)
            .select_related("run", "mentor")
            .order_by("run_id")
        ],
    }


def erase(participant) -> None:
    """Notes, feedback and wishes go; dates, minutes, statuses and scores stay for the figures.
    Stored matching proposals go: they are a cache the next computation rebuilds."""
    from mosty.mentoring.models import CheckIn, Match, MatchProposal, Meeting, MentoringProfile

    matches = Match.objects.filter(participant=participant)
    Meeting.objects.filter(match__in=matches).update(note="")
    CheckIn.objects.filter(match__in=matches).update(note="")
    matches.update(mentor_feedback="", participant_feedback="")
    MentoringProfile.objects.filter(participant=participant).delete()
    MatchProposal.objects.filter(participant=participant).delete()


def closed_since(participant_ids) -> dict:
    """Participant id -> when their last match ended, or None while a match is open (the
    retention rule then waits: a mentor still meets them)."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    from mosty.mentoring.models import OPEN_MATCH_STATUSES, Match
    from mosty.people import gdpr

    return gdpr.closed_since_of(
        Match.objects.filter(participant_id__in=participant_ids),
        open_when=Q(status__in=OPEN_MATCH_STATUSES),
        last=Coalesce("ended_at", "responded_at", "proposed_at"),
    )


def register() -> None:
    from mosty.mentoring.models import Interest, MentorKind, Slot
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Mentoring"),
        models=[
            "mentoring.MentoringProfile",
            "mentoring.Match",
            "mentoring.Meeting",
            "mentoring.CheckIn",
            "mentoring.MatchProposal",
        ],
        renamed={
            "wishes": "mentoring.MentoringProfile",
            "check_ins": "mentoring.CheckIn",
            "matching_proposals": "mentoring.MatchProposal",
            "computed_at": "mentoring.MatchingRun.finished_at",
        },
        coded={"interests": Interest, "mentor_kinds": MentorKind, "availability": Slot},
    )
