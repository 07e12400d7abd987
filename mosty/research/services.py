"""Writes of the research module: surveys and their form versions, personal links,
responses saved page by page, focus groups. Each checks the policy first and is atomic."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.core.writes import save_changes, save_fields, save_validated
from mosty.research.engine import Form
from mosty.research.models import (
    FocusGroup,
    FormVersion,
    Invitation,
    Response,
    ResponseMode,
    Survey,
    SurveyStatus,
    new_token,
)
from mosty.research.xlsform import ANSWERED_KINDS, analyse, read_xlsform

MAX_INVITATIONS = 2000


def _version(survey: Survey, content: bytes, filename: str) -> FormVersion:
    definition = read_xlsform(content, filename)
    analysis = analyse(definition)
    _check_compatible(survey, Form(definition, analysis.languages))
    number = (survey.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = FormVersion(
        survey=survey,
        number=number,
        definition=definition,
        languages=analysis.languages,
        unsupported=analysis.unsupported,
        ignored=analysis.ignored,
        filename=filename[:200],
    )
    return save_validated(version)


def _check_compatible(survey: Survey, new: Form) -> None:
    """A new version keeps every question that already has answers, with its type: results
    and exports read earlier answers by the question's name, so a select_multiple answered as
    "a b" counted as a select_one, or a choice read as text, would show figures nobody gave.
    Questions without answers may change or go."""
    current = survey.current_version() if survey.pk else None
    if current is None:
        return
    answered: set[str] = set()
    for answers in survey.responses.values_list("answers", flat=True).iterator():
        if isinstance(answers, dict):
            answered.update(name for name, value in answers.items() if value not in (None, ""))
    kinds = {q.name: q.kind for q in new.questions if not q.repeat}
    errors: list[str] = []
    for question in current.form().questions:
        name, kind = question.name, question.kind
        if question.repeat or kind not in ANSWERED_KINDS or name not in answered:
            continue
        if name not in kinds:
            errors.append(
                _('The question "%(name)s" already has answers: it cannot be left out.')
                % {"name": name}
            )
        elif kinds[name] != kind:
            errors.append(
                _(
                    'The question "%(name)s" already has answers as %(old)s: it cannot '
                    "become %(new)s."
                )
                % {"name": name, "old": kind, "new": kinds[name]}
            )
    if errors:
        raise ValidationError({"file": errors})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:40] or "survey"
    return f"{base}-{new_token()[:8].lower().replace('_', 'x').replace('-', 'x')}"


@transaction.atomic
def survey_create(
    *,
    organisation: Any,
    title: str,
    audience: str,
    content: bytes,
    filename: str,
    by: Any,
    consent_text: str = "",
    anonymous_link: bool = True,
    closes_at: datetime.datetime | None = None,
    response_cap: int | None = None,
) -> Survey:
    """A survey from an XLSForm (pyxform refuses a broken form: nothing is written)."""
    require(by, "survey.create")
    require(by, "survey.change", Survey(organisation=organisation))
    _check_limits(Survey(), {"closes_at": closes_at, "response_cap": response_cap})
    survey = Survey(
        organisation=organisation,
        title=title,
        slug=_unique_slug(title),
        audience=audience,
        consent_text=consent_text,
        anonymous_link=anonymous_link,
        closes_at=closes_at,
        response_cap=response_cap,
        created_by=by,
        updated_by=by,
    )
    save_validated(survey)
    _version(survey, content, filename)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, version: int | None, by: Any, **changes: Any) -> Survey:
    require(by, "survey.change", survey)
    _check_limits(survey, changes)
    allowed = {
        "title",
        "audience",
        "consent_text",
        "anonymous_link",
        "closes_at",
        "response_cap",
        "title_translations",
        "consent_text_translations",
    }
    return save_fields(survey, allowed, changes, version=version, by=by)


def _same_minute(a: datetime.datetime, b: datetime.datetime | None) -> bool:
    """The form shows a date to the minute: the stored one sent back unchanged is the same."""
    return b is not None and a.replace(second=0, microsecond=0) == b.replace(
        second=0, microsecond=0
    )


def _check_limits(survey: Survey, changes: dict[str, Any]) -> None:
    """A new closing date or response cap must leave the survey as its status says: a date
    already past (or a cap under the answers already sent) would close an open survey behind
    the coordinator's back, while it still reads "Open". Closing now is "Close survey"."""
    errors: dict[str, str] = {}
    # As stored: a settings form has already copied what it was sent onto `survey`.
    row = Survey.objects.filter(pk=survey.pk).values("closes_at", "response_cap").first()
    stored: dict[str, Any] = dict(row) if row else {}
    closes_at = changes.get("closes_at")
    if (
        closes_at is not None
        and not _same_minute(closes_at, stored.get("closes_at"))
        and survey.status != SurveyStatus.CLOSED
        and closes_at <= timezone.now()
    ):
        errors["closes_at"] = _(
            "This date has already passed. To stop taking answers now, close the survey."
        )
    cap = changes.get("response_cap")
    if cap is not None and cap != stored.get("response_cap") and survey.pk is not None:
        sent = survey.responses.filter(submitted_at__isnull=False).count()
        if cap < sent:
            errors["response_cap"] = _(
                "Answers already sent: %(count)s. The limit cannot be lower."
            ) % {"count": sent}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def form_version_add(*, survey: Survey, content: bytes, filename: str, by: Any) -> FormVersion:
    """A new version of the form. Earlier responses keep theirs; a survey that is open
    closes when the new version has something Mosty cannot do."""
    require(by, "survey.change", survey)
    version = _version(survey, content, filename)
    if version.unsupported and survey.status == SurveyStatus.OPEN:
        survey.save_changes(version=None, by=by, status=SurveyStatus.CLOSED)
    audit(by, "mosty.research.survey.form_uploaded", survey, details={"version": version.number})
    return version


@transaction.atomic
def survey_open(*, survey: Survey, by: Any) -> Survey:
    require(by, "survey.change", survey)
    current = survey.current_version()
    if current is None or current.unsupported:
        raise ValidationError(
            _("The form uses something Mosty does not support: fix it and upload it again.")
        )
    if not current.form().pages:
        raise ValidationError(_("The form has no question to answer."))
    survey.save_changes(version=None, by=by, status=SurveyStatus.OPEN)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by: Any) -> Survey:
    require(by, "survey.change", survey)
    survey.save_changes(version=None, by=by, status=SurveyStatus.CLOSED)
    return survey


@transaction.atomic
def invitations_create(*, survey: Survey, count: int, by: Any) -> list[Invitation]:
    """`count` personal links (each answers the survey once)."""
    require(by, "survey.change", survey)
    if not 1 <= count <= MAX_INVITATIONS:
        raise ValidationError(
            {"count": _("Ask for 1 to %(max)s links at a time.") % {"max": MAX_INVITATIONS}}
        )
    return Invitation.objects.bulk_create(Invitation(survey=survey) for _n in range(count))


# Answering ------------------------------------------------------------------------------------


def _check_capacity(survey: Survey) -> None:
    if survey.is_closed():
        raise ValidationError(_("This survey is closed."), code="closed")
    if survey.response_cap is not None:
        done = survey.responses.filter(submitted_at__isnull=False).count()
        if done >= survey.response_cap:
            raise ValidationError(
                _("This survey has all the answers it needs. Thank you!"), code="full"
            )


@transaction.atomic
def response_start(
    *,
    survey: Survey,
    language: str,
    by: Any,
    invitation: Invitation | None = None,
    interview: bool = False,
) -> Response:
    """A new response (after the respondent saw the consent text). A personal link answers
    once: coming back to it resumes the same response."""
    if interview:
        require(by, "survey.interview", survey)
    else:
        require(by, "survey.answer", survey)
        if invitation is None and not survey.anonymous_link:
            raise ValidationError(_("This survey is answered through personal links only."))
    _check_capacity(survey)
    version = survey.current_version()
    if version is None:
        raise ValidationError(_("This survey is closed."))
    if invitation is not None:
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
    form = version.form()
    response = Response(
        survey=survey,
        version=version,
        invitation=invitation,
        language=form.language(language)["key"],
        mode=ResponseMode.INTERVIEW if interview else ResponseMode.SELF,
        entered_by=by if interview else None,
        answers=form.recalculate(
            form.stamp({}, "start", timezone.now().isoformat(timespec="seconds"))
        ),
        page=form.next_page(-1, {}) or 0,
    )
    return save_validated(response)


@transaction.atomic
def response_save_page(
    *, response: Response, page: int, data: Any, by: Any, back: bool = False
) -> dict[str, str]:
    """Saves one page's answers (page by page, so a dropped connection loses one page at
    most) and moves to the next page skip logic shows, or submits on the last. Returns the
    errors by question; nothing is saved when there are any."""
    survey = Survey.objects.select_for_update().get(pk=response.survey_id)
    if response.mode == ResponseMode.INTERVIEW:
        require(by, "survey.interview", survey)
    else:
        require(by, "survey.answer", survey)
    if response.submitted_at is not None:
        raise ValidationError(_("These answers were already sent."), code="submitted")
    form = response.version.form()
    if not 0 <= page < len(form.pages):
        raise ValidationError(_("This page does not exist."), code="page")
    language = form.language(response.language)
    answers, errors = form.validate_page(form.pages[page], data, response.answers, language)
    if errors and not back:
        return errors
    if back:
        # Going back keeps what was valid on this page and asks nothing more of it.
        answers = {k: v for k, v in answers.items() if k not in errors}
    answers = form.recalculate(answers)
    if back:
        target = form.previous_page(page, answers)
        response.answers, response.page = answers, page if target is None else target
        response.save(update_fields=["answers", "page", "updated_at"])
        return {}
    following = form.next_page(page, answers)
    response.answers = answers
    if following is None:
        _check_capacity(survey)
        answers = form.stamp(answers, "end", timezone.now().isoformat(timespec="seconds"))
        response.answers = form.stamp(answers, "today", timezone.localdate().isoformat())
        response.submitted_at = timezone.now()
        response.save(update_fields=["answers", "submitted_at", "updated_at"])
    else:
        response.page = following
        response.save(update_fields=["answers", "page", "updated_at"])
    return {}


# Focus groups ---------------------------------------------------------------------------------


def _clean_participants(value: Any) -> dict[str, int]:
    return {str(k).strip(): v for k, v in (value or {}).items() if str(k).strip()}


@transaction.atomic
def focus_group_create(*, organisation: Any, by: Any, **fields: Any) -> FocusGroup:
    require(by, "focus_group.create")
    require(by, "focus_group.change", FocusGroup(organisation=organisation))
    fields["participants"] = _clean_participants(fields.get("participants"))
    group = FocusGroup(organisation=organisation, created_by=by, updated_by=by, **fields)
    return save_validated(group)


@transaction.atomic
def focus_group_update(
    *, group: FocusGroup, version: int | None, by: Any, **fields: Any
) -> FocusGroup:
    require(by, "focus_group.change", group)
    if "participants" in fields:
        fields["participants"] = _clean_participants(fields["participants"])
    return save_changes(group, fields, version=version, by=by)
