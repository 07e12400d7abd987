"""GDPR art. 15/17/20 for participants: one registry every app adds its data to.

An app holding data about a participant registers a section, usually in its AppConfig.ready()
or its `nav.py` (both are imported at start-up):

    from mosty.people import gdpr

    gdpr.register(
        "cases",
        label=_("Cases"),
        export=lambda participant: [...],     # JSON-serialisable data held on them
        erase=lambda participant: None,       # remove names, free text; keep aggregates
        closed_since=cases_closed_since,      # optional, for the retention rule (see below)
        models=["cases.Case", "cases.Note", ...],  # the models whose rows it exports and erases
    )

`models` makes coverage checkable: `tests/people/test_gdpr_registry.py` walks every model and
fails for one that reaches a participant (directly or through a case, match, registration, …)
or that holds personal data, unless a section lists it or `NOT_PARTICIPANT_DATA` below says,
with a reason, why it needs no export and no erasure rule.

`closed_since(participant_ids: QuerySet) -> dict[int, datetime | None]` tells, for each
participant, since when the app has no open business with them (e.g. the date their last case
closed), or None while it still has (an open case). Retention anonymises a participant once every
registered `closed_since` says "closed" and the latest such date is older than
MOSTY_RETENTION_DAYS. With no `closed_since` registered nothing is anonymised automatically.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Choices, Count, JSONField, Max
from django.utils import timezone, translation

from mosty.access.audit import audit
from mosty.core import formats
from mosty.people.search import phone_digits

# What says the codes an export key holds: a `Choices` class, or a function that answers
# {code: label} (a registry's, such as the message templates').
Coded = type[Choices] | Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    export: Callable
    erase: Callable | None = None
    closed_since: Callable | None = None
    # "app_label.ModelName" of every model whose rows about the participant this section
    # exports and erases.
    models: tuple[str, ...] = ()
    # Keys of the export that are not a field of those models, to what says them on the
    # export page (`_renamed_label`).
    renamed: tuple[tuple[str, str], ...] = ()
    # Keys whose values are codes of choices no field carries (a JSON list of interests), to
    # those choices.
    coded: tuple[tuple[str, Coded], ...] = ()


SECTIONS: dict[str, Section] = {}

# The people app's own part of the export (`participant`, `household`, `consents`) and erasure
# (`anonymise_participant`).
CORE_MODELS = (
    "people.Participant",
    "people.Household",
    "people.HouseholdMember",
    "people.Consent",
    "people.ParticipantImport",  # the uploaded rows about them, until purged
)

# Models that need no section: they hold nothing about a participant. Each says why. Those in
# OTHER_PEOPLE hold personal data of someone else (staff, mentors, landlords, interpreters): their
# free-text fields are still classified (`mosty.core.privacy`).
OTHER_PEOPLE: dict[str, str] = {
    "accounts.User": "Staff, mentor and assistant accounts; a participant has no account here.",
    "accounts.Membership": "A user's role in an organisation.",
    "accounts.MembershipGrant": "A right (sensitive data, audit log) given to a staff membership.",
    "access.AuditEvent": (
        "Append-only log; names a participant only by pseudonymous code (audit_label), never "
        "by name, and records field names, never values."
    ),
    "mentoring.Mentor": "The mentor's own application, not the participant's data.",
    "mentoring.VettingStep": "The mentor's vetting, not the participant's data.",
    "directory.HousingOffer": "A landlord's offer: contact of the landlord, not of a tenant.",
    "directory.Linguist": "An interpreter's or translator's own directory entry.",
    "directory.HsdsRecord": (
        "Open Referral rows kept whole as imported: may name a service's contact person "
        "(staff of a provider), never a participant."
    ),
    "networks.NetworkMeeting": "Network minutes between organisations; staff attendees.",
    "assistance.AssistantProfile": "An interpreter's or assistant's own profile in a pool.",
    "assistance.AssistantLanguage": "Languages an assistant speaks, with levels.",
    "assistance.AvailabilitySlot": "When an assistant can usually take requests.",
    "assistance.AvailabilityException": "Days an assistant is away (no reason beyond a kind).",
    "assistance.Assignment": "An assistant's booking for an institution's request.",
    "assistance.AssignmentLog": "An assistant's hours and the outcome; no free text.",
    "assistance.HoursFigure": (
        "The kept hours report of a set of pools: assignments and hours per assistant profile "
        "id and per institution; no name, recounted nightly."
    ),
    "assistance.Feedback": "An institution's rating of an assistant's work (comment encrypted).",
    "research.Response": (
        "Anonymous survey answers, linked to no participant (a personal link is a random "
        "token); free-text answers may still describe someone."
    ),
    "research.FocusGroup": (
        "A focus group's facilitator (staff) and encrypted notes; participants are counted "
        "per category, never named."
    ),
    "participation.GroupMeeting": (
        "A group's meeting: date, place, its decisions and minutes (encrypted), written by the "
        "group's leaders about the group's work."
    ),
    "participation.SectionComment": "A group member's comment on a policy draft (encrypted).",
    "participation.AlertSubscription": (
        "A visitor's e-mail address for alerts about calls, given on the public form; deleted "
        "when they unsubscribe."
    ),
}
NO_PERSONAL_DATA: dict[str, str] = {
    "core.City": "Configuration from the city pack.",
    "core.District": "Configuration from the city pack.",
    "assistance.AssistanceRequest": (
        "An institution's request for an interpreter: a situation, never the person helped; "
        "the description is checked for e-mail addresses, phone and identity numbers."
    ),
    "assistance.ServiceLevelFigure": (
        "The kept service level of a coordinator's pools: counts per language and "
        "institution; numbers about organisations, recounted nightly."
    ),
    "organisations.Organisation": "An organisation's public profile.",
    "people.ConsentTemplate": "An organisation's consent information text, the same for everyone.",
    "networks.Network": "A thematic network's public profile.",
    "networks.NetworkDocument": "Links shared in a network.",
    "directory.HsdsOrganisation": "HSDS identifiers of an organisation.",
    "directory.Category": "Service taxonomy.",
    "directory.Location": "Public address of a service.",
    "directory.Service": "Public service directory entry.",
    "directory.ServiceCategory": "Service taxonomy link.",
    "directory.ServiceAtLocation": "Service-location link.",
    "directory.ServiceLanguage": "Languages a service is offered in.",
    "directory.ServiceTranslation": "Public service text in another language.",
    "directory.Phone": "Public phone number of a service or location.",
    "directory.Schedule": "Opening hours of a service.",
    "directory.LanguagePair": "An interpreter's language pair.",
    "events.Event": "Public or internal event description.",
    "participation.Programme": "A participation programme's public description.",
    "participation.ProgrammeTranslation": "Programme text in another language.",
    "participation.Call": "Dates and description of a programme's call or consultation.",
    "participation.CallTranslation": "Call text in another language.",
    "participation.CallDocument": "A consultation's public document or link.",
    "participation.Group": "A group's name, kind and aim, published by its choice.",
    "participation.GroupDocument": "A file or link the group shares about its work.",
    "participation.Milestone": "A step of a cooperative initiative, about the group.",
    "participation.PolicyDocument": "A public policy draft a group comments on.",
    "participation.PolicySection": "A section of a public policy draft.",
    "participation.OpinionPoint": "A point of a group's adopted opinion and the authority's answer.",
    "events.EventTranslation": "Event text in another language.",
    "events.Session": "Time and place of an event session.",
    "events.ReportFigure": (
        "The kept totals of the events report for a set of organisations: counts of "
        "registrations, attendance and institutions; numbers only, recounted nightly."
    ),
    "knowledge.Article": "Knowledge-base article.",
    "knowledge.ArticleTranslation": "Knowledge-base article text.",
    "knowledge.ArticleRevision": "Earlier text of an article.",
    "knowledge.Booklet": "A printable set of articles.",
    "knowledge.BookletItem": "An article in a booklet.",
    "knowledge.BookletExport": "A generated booklet file.",
    "knowledge.ArticleFile": "A report or image published with an article.",
    "knowledge.ArticleViewCount": "How many times an article was read per language and day.",
    "research.Survey": "A survey's settings and consent text, the same for every respondent.",
    "research.FormVersion": "An uploaded XLSForm definition.",
    "research.Invitation": "A personal survey link: a random token, naming no one.",
    "mentoring.MatchingSettings": "Scoring weights from the city pack.",
    "mentoring.MatchingRun": (
        "When a matching computation ran, for which organisations, and its counts; the "
        "proposals about people are MatchProposal rows."
    ),
}


def register(
    key, *, label, export, erase=None, closed_since=None, models=(), renamed=None, coded=None
) -> None:
    SECTIONS[key] = Section(
        key,
        label,
        export,
        erase,
        closed_since,
        tuple(models),
        tuple((renamed or {}).items()),
        tuple((coded or {}).items()),
    )


def covered_models() -> dict[str, str]:
    """Model label -> key of the section that exports and erases its rows about a participant."""
    covered = dict.fromkeys(CORE_MODELS, "participant")
    for key, section in SECTIONS.items():
        covered.update(dict.fromkeys(section.models, key))
    return covered


def _date(value):
    return value.isoformat() if value else None


def participant_core(participant) -> dict:
    return {
        "code": participant.code,
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "first_name_original": participant.first_name_original,
        "last_name_original": participant.last_name_original,
        "birth_year": participant.birth_year,
        "gender": participant.gender,
        "country_of_origin": participant.country_of_origin.code or "",
        "citizenship": participant.citizenship.code or "",
        "languages": participant.languages,
        "polish_level": participant.polish_level,
        "legal_status": participant.legal_status,
        "arrival_date": _date(participant.arrival_date),
        "district": participant.district.name if participant.district_id else None,
        "phone": participant.phone,
        "email": participant.email,
        "preferred_channel": participant.preferred_channel,
        "registered_by_organisation": participant.owner.name,
        "registered_at": _date(participant.created_at),
        "updated_at": _date(participant.updated_at),
        "anonymised_at": _date(participant.anonymised_at),
    }


def _export_household(participant) -> list:
    if participant.household_id is None:
        return []
    return [
        {
            "name": m.participant.display_name if m.participant_id else m.name,
            "birth_year": m.participant.birth_year if m.participant_id else m.birth_year,
            "relationship": m.relationship,
        }
        for m in participant.household.members.select_related("participant").order_by("pk")
    ]


def _export_consents(participant) -> list:
    return [
        {
            "purpose": c.purpose,
            "channel": c.channel,
            "legal_basis": c.legal_basis,
            "text_shown": c.text_shown,
            "language": c.language,
            "given_at": _date(c.given_at),
            "withdrawn_at": _date(c.withdrawn_at),
        }
        for c in participant.consents.order_by("given_at", "pk")
    ]


def _erase_household(participant) -> None:
    if participant.household_id is None:
        return
    household = participant.household
    household.members.filter(participant__isnull=True).delete()
    household.members.filter(participant=participant).update(relationship="")
    if household.label:
        household.label = ""
        household.save(update_fields=["label", "updated_at"])


def _mentions(row: list, participant) -> bool:
    """Whether an uploaded row is about `participant`: their e-mail or phone, or both names."""
    cells = {str(cell).strip().casefold() for cell in row if str(cell).strip()}
    if participant.email and participant.email.casefold() in cells:
        return True
    # Phones compared as everywhere else (`search.phone_digits`, the last nine digits):
    # "+48 600 987 321" is "600987321" in a list. A shorter number would match too much.
    phone = phone_digits(participant.phone)
    if len(phone) == 9 and any(phone_digits(cell) == phone for cell in cells):
        return True
    for first, last in (
        (participant.first_name, participant.last_name),
        (participant.first_name_original, participant.last_name_original),
    ):
        if first and last and first.casefold() in cells and last.casefold() in cells:
            return True
    return False


def _imports_holding(participant):
    from mosty.people.models import ParticipantImport

    # Rows are kept only until an import is done (or MOSTY_IMPORT_ROWS_DAYS): few uploads.
    for job in ParticipantImport.objects.exclude(total=0).only("pk", "filename", "rows"):
        rows = [row for row in job.rows if _mentions(row, participant)]
        if rows:
            yield job, rows


def _export_imports(participant) -> list:
    return [
        {"file": job.filename, "uploaded_at": _date(job.created_at), "rows": rows}
        for job, rows in _imports_holding(participant)
    ]


def _erase_imports(participant) -> None:
    for job, _rows in list(_imports_holding(participant)):
        job.rows = [row for row in job.rows if not _mentions(row, participant)]
        job.save(update_fields=["rows"])


def import_rows_purge(*, now: datetime | None = None) -> int:
    """Drop the uploaded rows of imports older than MOSTY_IMPORT_ROWS_DAYS (the daily job).

    An import keeps its rows only to be mapped, checked and started; one left longer is stale.
    Its counts, errors (row numbers and messages, no values) and file name stay; an unfinished
    one is marked failed, since it can no longer run. Returns the number of imports purged.
    """
    from mosty.people.models import ImportStatus, ParticipantImport

    days = getattr(settings, "MOSTY_IMPORT_ROWS_DAYS", 7)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    done = 0
    stale = ParticipantImport.objects.filter(created_at__lt=cutoff).only("pk", "status", "rows")
    for job in stale.iterator():
        if not job.rows:
            continue
        job.rows = []
        fields = ["rows"]
        if not job.is_finished:
            job.status = ImportStatus.FAILED
            job.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        job.save(update_fields=fields)
        audit(None, "mosty.people.import.rows_purged", job, details={"days": days})
        done += 1
    return done


def export_participant(participant, *, by) -> dict:
    """Everything held on `participant`, by section (art. 15 and 20)."""
    data = {
        "participant": participant_core(participant),
        "household": _export_household(participant),
        "consents": _export_consents(participant),
        "imports": _export_imports(participant),
    }
    for key, section in SECTIONS.items():
        data[key] = section.export(participant)
    audit(by, "mosty.people.participant.exported", participant, fields=sorted(data))
    return data


def section_labels() -> dict:
    from django.utils.translation import gettext as _

    labels = {
        "participant": _("Personal details"),
        "household": _("Household"),
        "consents": _("Consents"),
        "imports": _("Imported lists"),
    }
    labels.update({key: section.label for key, section in SECTIONS.items()})
    return labels


@dataclass(frozen=True)
class ReadableLabels:
    """What the export page says in the reader's language instead of the export's machine
    names (the JSON download keeps them): `names`, a field's or a related list's name to its
    verbose name; `choices`, (field name, stored code) to the choice's label; `codes`, a
    stored code to a label, for a code used as a key (an assessment's scores by domain);
    `languages`, the keys whose values are language codes ("uk", or {"code": "uk", "level":
    "B1"} in a list of languages spoken). What these do not know, `fallback` is asked."""

    names: dict[str, str]
    choices: dict[tuple[str, str], str]
    codes: dict[str, str]
    fallback: ReadableLabels | None = None
    languages: frozenset[str] = frozenset()

    def name(self, key: str) -> str:
        if key in self.names:
            return self.names[key]
        if self.fallback is not None:
            return self.fallback.name(key)
        return self.codes.get(key, key)

    def value(self, key: str, value: object) -> object:
        if self.is_language(key):
            if isinstance(value, str):
                return formats.language_name(value)
            if isinstance(value, dict) and "code" in value:
                return formats.languages_spoken([value])[0]
            return value
        label = self.choices.get((key, str(value)))
        if label is not None:
            return label
        return self.fallback.value(key, value) if self.fallback is not None else value

    def is_language(self, key: str) -> bool:
        if key in self.languages:
            return True
        if key in self.names or self.fallback is None:  # a field of the section's own that
            return False  # holds no code (a survey answer's free-text language)
        return self.fallback.is_language(key)


def _holds_language(field: object) -> bool:
    """A field whose values are language codes: "language", "source_language",
    "language_with" (at most a tag's length), or a JSON list "languages"."""
    if "language" not in getattr(field, "name", ""):
        return False
    if isinstance(field, CharField):
        return bool(field.max_length and field.max_length <= 10)
    return isinstance(field, JSONField) and field.name == "languages"


def _renamed_label(path: str) -> str:
    """What says an export key that is no field of its section's models, as the section
    declares it (`renamed=`): "app.Model.field" (that field's label), "app.Model" (the model's
    plural name, for a list) or "app.Model:one" (its singular name, for one record)."""
    from django.apps import apps

    if path.endswith(":one"):
        return str(apps.get_model(path.removesuffix(":one"))._meta.verbose_name)
    app_label, model_name, *field = path.split(".")
    model = apps.get_model(app_label, model_name)
    if field:
        return str(model._meta.get_field(field[0]).verbose_name)
    return str(model._meta.verbose_name_plural)


def _labels_of(
    models: list,
    fallback: ReadableLabels | None = None,
    renamed: tuple[tuple[str, str], ...] = (),
    coded: tuple[tuple[str, Coded], ...] = (),
) -> ReadableLabels:
    from django.utils.text import capfirst

    names: dict[str, str] = {}
    choices: dict[tuple[str, str], str] = {}
    codes: dict[str, str] = {}
    languages: set[str] = set()
    for model in models:
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                key = field.get_accessor_name()
                label = field.related_model._meta.verbose_name_plural
            else:
                key, label = field.name, getattr(field, "verbose_name", None)
            if key and label:
                names.setdefault(key, capfirst(str(label)))
            if key and _holds_language(field):
                languages.add(key)
            for code, text in getattr(field, "flatchoices", None) or ():
                choices.setdefault((field.name, str(code)), str(text))
                if fallback is None:  # a section's own codes are never asked (`name`)
                    codes.setdefault(str(code), str(text))
    for key, path in renamed:
        names[key] = capfirst(_renamed_label(path))
    for key, coded_choices in coded:
        if isinstance(coded_choices, type):
            pairs = list(coded_choices.choices)  # type: ignore[attr-defined]
        else:
            pairs = list(coded_choices().items())
        for code, text in pairs:
            choices[(key, str(code))] = str(text)
    return ReadableLabels(names, choices, codes, fallback, frozenset(languages))


# What people's own sections name otherwise than the field they export (`_renamed_label`).
CORE_RENAMED = {
    "participant": (
        ("registered_by_organisation", "people.Participant.owner"),
        ("registered_at", "people.Participant.created_at"),
    ),
    "imports": (("uploaded_at", "people.ParticipantImport.created_at"),),
}


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _every_label(language: str) -> ReadableLabels:
    """The labels of every Mosty model in `language`, built once per language (thousands of
    choices, countries and languages among them)."""
    from django.apps import apps

    with translation.override(language):
        return _labels_of([m for m in apps.get_models() if m.__module__.startswith("mosty.")])


def readable_labels() -> dict[str, ReadableLabels]:
    """For each section of the export, the labels of its fields, related lists and choices in
    the active language: first those of the models the section exports (a consent's
    `language` is the language of the text shown, a participant's `languages` the languages
    they speak), then those of every Mosty model."""
    from django.apps import apps

    every = _every_label(translation.get_language() or settings.LANGUAGE_CODE)
    own: dict[str, tuple[str, ...]] = {
        "participant": ("people.Participant",),
        "household": ("people.Household", "people.HouseholdMember"),
        "consents": ("people.Consent",),
        "imports": ("people.ParticipantImport",),
    }
    own.update({key: section.models for key, section in SECTIONS.items()})
    renamed = {key: section.renamed for key, section in SECTIONS.items()} | CORE_RENAMED
    coded = {key: section.coded for key, section in SECTIONS.items()}
    return {
        key: _labels_of(
            [apps.get_model(label) for label in labels],
            every,
            renamed.get(key, ()),
            coded.get(key, ()),
        )
        for key, labels in own.items()
    }


@transaction.atomic
def anonymise_participant(participant, *, by=None, reason: str = "request") -> None:
    """Remove what identifies the person; keep the code and what statistics count (art. 17)."""
    from mosty.people.models import Participant

    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at:
        return
    for section in SECTIONS.values():
        if section.erase:
            section.erase(participant)
    _erase_household(participant)
    _erase_imports(participant)
    participant.first_name = participant.last_name = ""
    participant.first_name_original = participant.last_name_original = ""
    participant.phone = participant.email = ""
    participant.preferred_channel = ""
    if participant.birth_year:
        participant.birth_year -= participant.birth_year % 5
    if participant.arrival_date:
        participant.arrival_date = participant.arrival_date.replace(day=1)
    participant.anonymised_at = timezone.now()
    participant.version += 1
    participant.save()
    audit(by, "mosty.people.participant.anonymised", participant, details={"reason": reason})


def retention_due(now: datetime | None = None) -> list[int]:
    """Ids of participants whose business closed longer than MOSTY_RETENTION_DAYS ago."""
    from mosty.people.models import Participant

    providers = [s.closed_since for s in SECTIONS.values() if s.closed_since]
    days = getattr(settings, "MOSTY_RETENTION_DAYS", 0)
    if not providers or not days:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    candidates = Participant.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
    latest: dict[int, datetime | None] = {}
    open_ids: set[int] = set()
    for provider in providers:
        for pk, since in provider(candidates.values("pk")).items():
            if since is None:
                open_ids.add(pk)
            elif latest.get(pk) is None or since > latest[pk]:
                latest[pk] = since
    return sorted(pk for pk, since in latest.items() if pk not in open_ids and since < cutoff)


def retention_run(*, now: datetime | None = None) -> int:
    from mosty.people.models import Participant

    done = 0
    for participant in Participant.objects.filter(pk__in=retention_due(now)):
        anonymise_participant(participant, by=None, reason="retention")
        done += 1
    return done


def register_module(module: str, *, label, models, renamed=None, coded=None) -> None:
    """Register the section of an app's `gdpr.py` (`module`, its `__name__`) by the convention
    they all follow: the section is named after the app (`mosty.cases.gdpr` -> "cases") and
    exports, erases and (where the module defines one) tells `closed_since` with the module's
    functions of those names."""
    found = sys.modules[module]
    register(
        module.split(".")[1],
        label=label,
        export=found.export,
        erase=found.erase,
        closed_since=getattr(found, "closed_since", None),
        models=models,
        renamed=renamed,
        coded=coded,
    )


def closed_since_of(records, *, open_when, last) -> dict:
    """The usual `closed_since`: participant id -> the latest `last` over their `records` (a
    queryset with a `participant_id`), or None while one of them matches `open_when` (a Q)."""
    rows = records.values("participant_id").annotate(
        open_records=Count("pk", filter=open_when), last=Max(last)
    )
    return {r["participant_id"]: None if r["open_records"] else r["last"] for r in rows}
