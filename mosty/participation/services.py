"""Writes of the participation module: `<entity>_<action>(*, ..., by)`, atomic, checked with
`require`, audited (creates and updates by signal, events that matter by `audit`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.domains.participation import (
    idea_organisations,
    idea_supporter_candidates,
    writes_for_others,
)
from mosty.access.policy import require
from mosty.core.writes import create_fields, document_save, save_fields, save_validated
from mosty.participation.models import (
    AlertSubscription,
    Call,
    CallDocument,
    CallTranslation,
    Group,
    GroupDocument,
    GroupKind,
    GroupMeeting,
    GroupMember,
    Idea,
    IdeaKind,
    IdeaStatus,
    Milestone,
    OpinionPoint,
    PolicyDocument,
    PolicySection,
    Programme,
    ProgrammeTranslation,
    Response,
    SectionComment,
    SupportEntry,
    new_alert_key,
)
from mosty.participation.tasks import alert_confirmation_message, idea_answer_message

PROGRAMME_FIELDS = [
    "kind",
    "source_language",
    "foreigners_may_take_part",
    "official_url",
    "is_published",
]
PROGRAMME_TEXTS = ["title", "summary", "eligibility", "steps"]
CALL_FIELDS = ["source_language", "opens_on", "closes_on", "official_url", "collects_opinions"]
CALL_TEXTS = ["title", "summary", "how_to_respond", "outcome"]


def _translations_save(
    record: models.Model,
    model: type[models.Model],
    parent: str,
    texts: list[str],
    items: list[dict[str, Any]],
) -> None:
    """Upsert one translation per language; an empty title removes that language. The source
    language must keep a title."""
    for item in items:
        language = item.get("language")
        title = (item.get("title") or "").strip()
        rows = model._default_manager.filter(**{parent: record, "language": language})
        if not title:
            rows.delete()
            continue
        found = rows.first() or model(**{parent: record, "language": language})
        for field in texts:
            setattr(found, field, (item.get(field) or "").strip())
        found.status = "published"  # type: ignore[attr-defined]
        save_validated(found)
    source = record.source_language  # type: ignore[attr-defined]
    if not model._default_manager.filter(**{parent: record, "language": source}).exists():
        raise ValidationError(
            {"source_language": _("Write the title at least in the source language.")}
        )


def _create(record: Any, fields: list[str], data: dict[str, Any], texts: Any) -> None:
    """Save a new translated record from the fields its form may set, then its texts."""
    create_fields(record, fields, data)
    texts()


def _update(
    record: Any, fields: list[str], data: dict[str, Any], version: int | None, by: Any, texts: Any
) -> None:
    """One guarded write (`EditConflict` when `version` is stale), then the texts if given."""
    save_fields(record, fields, data, version=version, by=by)
    if texts is not None:
        texts()


def _programme_texts(programme: Programme, items: list[dict[str, Any]]) -> Any:
    return lambda: _translations_save(
        programme, ProgrammeTranslation, "programme", PROGRAMME_TEXTS, items
    )


def _call_texts(call: Call, items: list[dict[str, Any]]) -> Any:
    return lambda: _translations_save(call, CallTranslation, "call", CALL_TEXTS, items)


@transaction.atomic
def programme_create(
    *, organisation: Any, by: Any, translations: list[dict[str, Any]], **data: Any
) -> Programme:
    require(by, "civic_programme.change", Programme(organisation=organisation))
    programme = Programme(organisation=organisation, created_by=by, updated_by=by)
    _create(programme, PROGRAMME_FIELDS, data, _programme_texts(programme, translations))
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    by: Any,
    version: int | None = None,
    translations: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Programme:
    """`version` is the one the editor's form showed: a save by someone else since is an
    `EditConflict`, and nothing is written (translations included)."""
    require(by, "civic_programme.change", programme)
    texts = None if translations is None else _programme_texts(programme, translations)
    _update(programme, PROGRAMME_FIELDS, data, version, by, texts)
    return programme


@transaction.atomic
def call_create(
    *, programme: Programme, by: Any, translations: list[dict[str, Any]], **data: Any
) -> Call:
    require(by, "civic_programme.change", programme)
    call = Call(programme=programme, created_by=by, updated_by=by)
    _create(call, CALL_FIELDS, data, _call_texts(call, translations))
    return call


@transaction.atomic
def call_update(
    *,
    call: Call,
    by: Any,
    version: int | None = None,
    translations: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Call:
    require(by, "call.change", call)
    texts = None if translations is None else _call_texts(call, translations)
    _update(call, CALL_FIELDS, data, version, by, texts)
    return call


# --- alerts -------------------------------------------------------------------------------


@transaction.atomic
def alert_subscribe(
    *, email: str, language: str, base_url: str, by: Any = None
) -> AlertSubscription:
    """Ask for alerts: a confirmation mail goes out, nothing else until it is confirmed. The
    same answer whether the address was known or not, so the form reveals no subscriber."""
    require(by or AnonymousUser(), "alert.subscribe")
    email = email.strip()
    subscription = AlertSubscription.objects.filter(email__iexact=email).first()
    if subscription is not None and subscription.confirmed_at is not None:
        # Already confirmed: only the language changes; no mail that someone else could trigger.
        if subscription.language != language:
            subscription.language = language
            subscription.full_clean()
            subscription.save(update_fields=["language", "updated_at"])
        return subscription
    if subscription is None:
        subscription = AlertSubscription(email=email, language=language)
    else:
        # Asked again before confirming: a new key, so the earlier link stops working and the
        # outbox (keyed by it) sends this new one.
        subscription.language, subscription.key = language, new_alert_key()
    save_validated(subscription)
    alert_confirmation_message(subscription, base_url=base_url)
    return subscription


@transaction.atomic
def alert_confirm(*, subscription: AlertSubscription, by: Any = None) -> AlertSubscription:
    """The second opt-in step: the holder of the mailed link confirms."""
    require(by or AnonymousUser(), "alert.subscribe")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "updated_at"])
        audit(by, "mosty.participation.alert.confirmed", subscription)
    return subscription


@transaction.atomic
def alert_unsubscribe(*, subscription: AlertSubscription, by: Any = None) -> None:
    """Deletes the address: an unsubscribed visitor leaves nothing behind."""
    require(by or AnonymousUser(), "alert.subscribe")
    subscription.delete()


# --- consultation documents ---------------------------------------------------------------


@transaction.atomic
def call_document_add(
    *, call: Call, by: Any, title: str, file: Any = None, url: str = ""
) -> CallDocument:
    require(by, "call.change", call)
    return document_save(CallDocument(call=call, title=title, url=url or ""), file)


# --- ideas and consultation responses -----------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    organisation: Any,
    by: Any,
    kind: str,
    title: str,
    text: str,
    call: Call | None = None,
    participant: Any = None,
) -> Idea:
    """Staff record an idea for a participant they support; a participant with an account
    writes their own (`participant` None)."""
    require(by, "idea.create")
    if organisation not in idea_organisations(by):
        raise PermissionDenied("idea.create")
    idea = Idea(
        organisation=organisation,
        kind=kind,
        title=title,
        text=text,
        call=call,
        created_by=by,
        updated_by=by,
    )
    if writes_for_others(by, organisation):
        if participant is None:
            raise ValidationError({"participant": _("Choose the person whose idea it is.")})
        require(by, "participant.view", participant)
        if participant.owner_id != organisation.pk:
            raise ValidationError({"participant": _("Choose a person your organisation supports.")})
        idea.participant = participant
    else:
        idea.author = by
    if call is not None:
        require(by, "call.view", call)
    same = _same_draft(idea)
    return same if same is not None else save_validated(idea)


def _same_draft(idea: Idea) -> Idea | None:
    """The draft this one repeats word for word, by the same hands for the same person (a
    double tap on Save, Back and Save, a second tab): the form is then posted again, and one
    idea is kept. New ideas of an organisation queue on its row, so two posts at once cannot
    both find none; the text is encrypted, so it is compared here."""
    type(idea.organisation).objects.select_for_update().only("pk").get(pk=idea.organisation.pk)
    drafts = Idea.objects.filter(
        organisation=idea.organisation,
        kind=idea.kind,
        call=idea.call,
        title=idea.title,
        participant=idea.participant,
        author=idea.author,
        created_by=idea.created_by,
        status=IdeaStatus.DRAFT,
    ).order_by("-pk")
    return next((draft for draft in drafts[:10] if draft.text == idea.text), None)


@transaction.atomic
def idea_update(
    *, idea: Idea, by: Any, version: int | None, title: str, text: str, call: Call | None = None
) -> Idea:
    """Edit the text (Versioned: a second editor's stale save is an `EditConflict`)."""
    require(by, "idea.change", idea)
    if call is not None:
        require(by, "call.view", call)
    idea.title, idea.text, idea.call = title, text, call
    idea.full_clean()
    idea.save_changes(version=version, by=by, title=title, text=text, call=call)
    return idea


def _idea_locked(idea: Idea) -> Idea:
    locked: Idea = (
        Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
    )
    return locked


def _idea_move(idea: Idea, *, to: str, by: Any, rule: str, **stamps: Any) -> Idea:
    require(by, rule, idea)
    locked = _idea_locked(idea)
    if to not in locked.moves:
        raise ValidationError(
            _("The idea’s status is “%(status)s”: it cannot change that way.")
            % {"status": locked.get_status_display()}
        )
    locked.save_changes(version=None, by=by, status=to, **stamps)
    audit(by, f"mosty.participation.idea.{to}", locked)
    idea.refresh_from_db()
    return idea


@transaction.atomic
def idea_submit(*, idea: Idea, by: Any) -> Idea:
    if idea.kind == IdeaKind.RESPONSE and idea.call is not None and not idea.call.is_open():
        raise ValidationError(_("The consultation is closed: responses can no longer be sent."))
    return _idea_move(
        idea, to=IdeaStatus.SUBMITTED, by=by, rule="idea.submit", submitted_at=timezone.now()
    )


@transaction.atomic
def idea_withdraw(*, idea: Idea, by: Any) -> Idea:
    return _idea_move(
        idea, to=IdeaStatus.WITHDRAWN, by=by, rule="idea.withdraw", decided_at=timezone.now()
    )


@transaction.atomic
def idea_record_result(*, idea: Idea, result: str, by: Any) -> Idea:
    """The programme's decision: selected or rejected."""
    if result not in (IdeaStatus.SELECTED, IdeaStatus.REJECTED):
        raise ValidationError(_("Choose selected or rejected."))
    return _idea_move(idea, to=result, by=by, rule="idea.record_result", decided_at=timezone.now())


@transaction.atomic
def idea_assign(*, idea: Idea, supporter: Any, by: Any) -> Idea:
    """A coordinator gives the idea to a mentor or assistant of the organisation."""
    require(by, "idea.assign", idea)
    if supporter is not None and supporter not in idea_supporter_candidates(idea.organisation):
        raise ValidationError(
            {"supporter": _("Choose a mentor or assistant of the supporting organisation.")}
        )
    idea.save_changes(version=None, by=by, supporter=supporter)
    audit(by, "mosty.participation.idea.assigned", idea)
    return idea


@transaction.atomic
def support_log(*, idea: Idea, by: Any, date: Any, hours: Any, note: str = "") -> SupportEntry:
    require(by, "idea.log_support", idea)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Support cannot be logged for a future day.")})
    entry = SupportEntry(idea=idea, given_by=by, date=date, hours=hours, note=note)
    return save_validated(entry)


@transaction.atomic
def idea_answer(*, idea: Idea, answer: str, by: Any, base_url: str = "") -> Idea:
    """The consultation's organiser records the authority's answer to one response; its
    author, if they have an account, is told by mail."""
    require(by, "idea.answer", idea)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    # Answered once (its author is told by mail): a second tab or a colleague answering the
    # same response at the same time neither replaces that answer nor mails the author again.
    if _idea_locked(idea).answered_at is not None:
        raise ValidationError(
            _("This response has already been answered; the answer recorded first is kept."),
            code="already_answered",
        )
    idea.save_changes(version=None, by=by, answer=answer.strip(), answered_at=timezone.now())
    audit(by, "mosty.participation.idea.answered", idea)
    if idea.author_id is not None:
        idea_answer_message(idea, base_url=base_url or settings.MOSTY_SITE_URL)
    return idea


# --- groups ---------------------------------------------------------------------------------


@transaction.atomic
def group_create(*, organisation: Any, by: Any, **data: Any) -> Group:
    require(by, "group.create")
    group = Group(organisation=organisation, created_by=by, updated_by=by, **data)
    require(by, "group.manage", group)
    return save_validated(group)


GROUP_FIELDS = ["name", "kind", "women_only", "description", "is_public"]
MEMBER_FIELDS = ["role", "starts_on", "ends_on"]
MEETING_FIELDS = ["date", "place", "decisions", "minutes"]


@transaction.atomic
def group_update(*, group: Group, by: Any, version: int | None = None, **data: Any) -> Group:
    """Leaders and the host's coordinators edit the group (`EditConflict` on a stale form)."""
    require(by, "group.manage", group)
    if data.get("women_only") and not group.women_only:
        others = group.members.filter(participant__isnull=False).exclude(
            participant__gender__in=["female", ""]
        )
        if others.exists():
            raise ValidationError({"women_only": _("This group has members who are not women.")})
    _update(group, GROUP_FIELDS, data, version, by, None)
    return group


def _group_part_update(record: Any, fields: list[str], by: Any, version: Any, data: Any) -> Any:
    require(by, "group.manage", record.group)
    _update(record, fields, data, version, by, None)
    return record


@transaction.atomic
def group_member_update(
    *, member: GroupMember, by: Any, version: int | None = None, **data: Any
) -> GroupMember:
    """A member's role and term; who the member is stays (remove and add someone else)."""
    updated: GroupMember = _group_part_update(member, MEMBER_FIELDS, by, version, data)
    return updated


@transaction.atomic
def group_meeting_update(
    *, meeting: GroupMeeting, by: Any, version: int | None = None, **data: Any
) -> GroupMeeting:
    updated: GroupMeeting = _group_part_update(meeting, MEETING_FIELDS, by, version, data)
    return updated


@transaction.atomic
def group_member_add(
    *,
    group: Group,
    by: Any,
    role: str,
    starts_on: Any,
    ends_on: Any = None,
    user: Any = None,
    participant: Any = None,
) -> GroupMember:
    """Leaders add people who have an account; only the host organisation's staff add a
    participant they support (leaders have no access to participants' records)."""
    require(by, "group.manage", group)
    if participant is not None:
        require(by, "group.add_participant", group)
        require(by, "participant.view", participant)
        if group.women_only and participant.gender and participant.gender != "female":
            raise ValidationError({"participant": _("This group is for women only.")})
    if (user is None) == (participant is None):
        raise ValidationError(_("Choose either an account or a participant."))
    # Someone already a member for some of these days (added twice: a double click, Back and
    # Save, two leaders) is refused; a new term after the last one ended is another row.
    # Members of a group are added one at a time, queued on the group's row.
    Group.objects.select_for_update().only("pk").get(pk=group.pk)
    terms = GroupMember.objects.filter(group=group, user=user, participant=participant).filter(
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        terms = terms.filter(starts_on__lte=ends_on)
    if terms.exists():
        raise ValidationError(
            {
                "email" if user is not None else "participant": _(
                    "This person is already a member of the group on some of these days."
                )
            }
        )
    member = GroupMember(
        group=group,
        user=user,
        participant=participant,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return save_validated(member)


class MeetingAlreadyRecorded(ValidationError):
    """The meeting a form records is one the group has already: the same form posted again
    (Back and Save, a double click). `meeting` is the one recorded before."""

    def __init__(self, meeting: GroupMeeting) -> None:
        super().__init__(
            _("This meeting was already recorded, so it was not saved a second time."),
            code="already_recorded",
        )
        self.meeting = meeting


def _same_meeting(meeting: GroupMeeting) -> GroupMeeting | None:
    """The group's meeting with everything `meeting` says: its day and place, and the same
    decisions and minutes (encrypted, so compared here rather than by the database; a group
    has few meetings on one day)."""
    same_day = GroupMeeting.objects.filter(
        group=meeting.group, date=meeting.date, place=meeting.place
    ).order_by("pk")
    for recorded in same_day:
        if (recorded.decisions, recorded.minutes) == (meeting.decisions, meeting.minutes):
            return recorded
    return None


@transaction.atomic
def group_meeting_record(*, group: Group, by: Any, **data: Any) -> GroupMeeting:
    """Record a meeting the group held. The same meeting twice (Back after saving and Save
    again, a double click, two leaders) is refused with `MeetingAlreadyRecorded`, which names
    the meeting recorded first; writes of the group's meetings queue on the group's row, so
    two posts at once cannot both find none."""
    require(by, "group.manage", group)
    meeting = GroupMeeting(group=group, created_by=by, updated_by=by, **data)
    Group.objects.select_for_update().only("pk").get(pk=group.pk)
    recorded = _same_meeting(meeting)
    if recorded is not None:
        raise MeetingAlreadyRecorded(recorded)
    return save_validated(meeting)


@transaction.atomic
def group_document_add(
    *, group: Group, by: Any, title: str, file: Any = None, url: str = ""
) -> GroupDocument:
    require(by, "group.manage", group)
    return document_save(GroupDocument(group=group, title=title, url=url or ""), file)


@transaction.atomic
def milestone_record(
    *, group: Group, by: Any, step: str, due_on: Any = None, done_on: Any = None, support: str = ""
) -> Milestone:
    """Set one step of a cooperative initiative (each step once per group)."""
    require(by, "group.manage", group)
    if group.kind != GroupKind.COOPERATIVE:
        raise ValidationError(_("Milestones are kept for cooperative initiatives."))
    milestone = Milestone.objects.filter(group=group, step=step).first() or Milestone(
        group=group, step=step
    )
    milestone.due_on, milestone.done_on, milestone.support = due_on, done_on, support
    return save_validated(milestone)


# --- policy consultation by a group ---------------------------------------------------------


@transaction.atomic
def policy_document_create(
    *,
    group: Group,
    by: Any,
    title: str,
    text: str,
    source_url: str = "",
    call: Call | None = None,
) -> PolicyDocument:
    """The draft's text is split into sections at blank lines, numbered from 1. `call` is the
    city's consultation on it, when there is one in Mosty."""
    require(by, "group.manage", group)
    if call is not None:
        require(by, "call.view", call)
        if not call.collects_opinions:
            raise ValidationError({"call": _("Choose a consultation that collects opinions.")})
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not parts:
        raise ValidationError({"text": _("Paste the text of the document.")})
    document = PolicyDocument(
        group=group, title=title, source_url=source_url, call=call, created_by=by, updated_by=by
    )
    save_validated(document)
    PolicySection.objects.bulk_create(
        PolicySection(document=document, number=n, text=part) for n, part in enumerate(parts, 1)
    )
    return document


@transaction.atomic
def section_comment(*, section: PolicySection, by: Any, text: str) -> SectionComment:
    """A member's comment on one section. The same comment posted again (a double tap, Back
    and Add, a second tab) is the one already there, not a second copy: comments on a section
    queue on its row, and the text is encrypted, so it is compared here."""
    require(by, "group.comment", section.document.group)
    PolicySection.objects.select_for_update().only("pk").get(pk=section.pk)
    last = SectionComment.objects.filter(section=section, author=by).order_by("-pk").first()
    if last is not None and last.text == text:
        return last
    comment = SectionComment(section=section, author=by, text=text)
    return save_validated(comment)


@transaction.atomic
def opinion_point_adopt(
    *, document: PolicyDocument, by: Any, text: str, section: PolicySection | None = None
) -> OpinionPoint:
    """A point of the opinion the group adopted (recorded by a leader)."""
    require(by, "group.manage", document.group)
    if section is not None and section.document_id != document.pk:
        raise ValidationError({"section": _("Choose a section of this document.")})
    # The same point posted again (a double click, a second tab) is the one recorded.
    PolicyDocument.objects.select_for_update().only("pk").get(pk=document.pk)
    same = OpinionPoint.objects.filter(document=document, section=section, text=text).first()
    if same is not None:
        return same
    point = OpinionPoint(document=document, section=section, text=text)
    save_validated(point)
    audit(by, "mosty.participation.opinion_point.adopted", point)
    return point


@transaction.atomic
def opinion_point_respond(
    *, point: OpinionPoint, by: Any, response: str, reason: str
) -> OpinionPoint:
    """The authority's response to one point, with its reason."""
    require(by, "group.manage", point.document.group)
    if response != Response.ACCEPTED and not reason.strip():
        raise ValidationError({"reason": _("Give the authority's reason.")})
    point.response, point.reason, point.responded_at = response, reason.strip(), timezone.now()
    point.full_clean()
    point.save(update_fields=["response", "reason", "responded_at", "updated_at"])
    audit(by, "mosty.participation.opinion_point.answered", point)
    return point
