"""Writes on participants, households and consents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.core.writes import save_validated
from mosty.people import imports, signals, tasks
from mosty.people.models import (
    Consent,
    ConsentPurpose,
    DuplicateChoice,
    Household,
    HouseholdMember,
    ImportStatus,
    LegalBasis,
    Participant,
    ParticipantImport,
    code_prefix,
    generate_code,
)

# Fields a registration or edit form may set.
PARTICIPANT_FIELDS = list(Participant.EDITABLE_FIELDS)


def new_code(prefix: str | None = None) -> str:
    prefix = prefix or code_prefix()
    while True:
        code = generate_code(prefix)
        if not Participant.objects.filter(code=code).exists():
            return code


def _check_owner(by, owner) -> None:
    if owner is None or not can(by, "participant.create", owner):
        raise ValidationError(
            {"owner": _("You can register participants only for your own organisation.")}
        )


def _save_members(*, participant: Participant, members: list[dict], by) -> None:
    """Create the household (if needed) and add the listed members to it."""
    members = [m for m in members if (m.get("name") or "").strip() or m.get("participant")]
    if not members:
        return
    household = participant.household
    if household is None:
        household = Household.objects.create(owner=participant.owner, created_by=by)
        participant.household = household
        participant.save(update_fields=["household", "updated_at"])
        HouseholdMember.objects.create(
            household=household, participant=participant, relationship=_("registered person")
        )
    for data in members:
        linked = data.get("participant")
        if linked is not None:
            if linked.pk == participant.pk or household.members.filter(participant=linked).exists():
                continue
            if linked.household_id is None:
                linked.household = household
                linked.save(update_fields=["household", "updated_at"])
        member = HouseholdMember(
            household=household,
            participant=linked,
            name=(data.get("name") or "").strip(),
            birth_year=data.get("birth_year"),
            relationship=(data.get("relationship") or "").strip(),
        )
        save_validated(member)


@transaction.atomic
def participant_create(*, by, owner, members: list[dict] | None = None, **data) -> Participant:
    require(by, "participant.create")
    _check_owner(by, owner)
    participant = Participant(
        owner=owner,
        created_by=by,
        code=new_code(),
        **{k: v for k, v in data.items() if k in PARTICIPANT_FIELDS},
    )
    if not (participant.first_name or participant.first_name_original or participant.last_name):
        raise ValidationError({"first_name": _("Enter at least a first name.")})
    save_validated(participant)
    _save_members(participant=participant, members=members or [], by=by)
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, by, version: int, members: list[dict] | None = None, **data
) -> Participant:
    """Save the changes if nobody saved since `version` was read (optimistic concurrency)."""
    require(by, "participant.change", participant)
    if any(f in data for f in Participant.SENSITIVE_FIELDS):
        require(by, "participant.view_sensitive", participant)
    fields = [k for k in data if k in PARTICIPANT_FIELDS]
    for field in fields:
        setattr(participant, field, data[field])
    participant.full_clean()
    values = {f: getattr(participant, f) for f in fields}
    participant.save_changes(
        version=version, by=by, **values, search_key=participant.compute_search_key()
    )
    if fields:
        audit(by, "mosty.people.participant.updated", participant, fields=fields)
    _save_members(participant=participant, members=members or [], by=by)
    return participant


# --- consent ------------------------------------------------------------------------------


def consent_active(participant: Participant, purpose: str, channel: str = "") -> Consent | None:
    """The active consent for `purpose` (for `messages`, on `channel` when given)."""
    found = Consent.objects.filter(
        participant=participant, purpose=purpose, withdrawn_at__isnull=True
    )
    if channel:
        found = found.filter(channel=channel)
    return found.order_by("-given_at").first()


def consent_require(participant: Participant, purpose: str) -> Consent:
    """The participant's active consent for `purpose`, or a ValidationError saying it is missing.

    Call it before any processing that needs the consent (a referral, a mentoring match).
    """
    consent = consent_active(participant, purpose)
    if consent is None:
        raise ValidationError(
            _(
                "%(code)s has not given consent for “%(purpose)s”. "
                "Record the consent on the participant's page first."
            ),
            code="consent_missing",
            params={"code": participant.code, "purpose": ConsentPurpose(purpose).label},
        )
    return consent


@transaction.atomic
def consent_record(
    *,
    participant: Participant,
    by,
    purpose: str,
    text_shown: str,
    legal_basis: str = LegalBasis.CONSENT,
    given_at=None,
    language: str = "",
    save_as_template: bool = False,
    channel: str = "",
) -> Consent:
    require(by, "participant.consent.record", participant)
    channel = channel if purpose == ConsentPurpose.MESSAGES else ""
    if purpose == ConsentPurpose.MESSAGES and not channel:
        raise ValidationError({"channel": _("Choose the channel the person agreed to.")})
    if consent_active(participant, purpose, channel) is not None:
        raise ValidationError(
            {"purpose": _("There already is an active consent for this purpose.")}
        )
    consent = Consent(
        participant=participant,
        purpose=purpose,
        channel=channel,
        legal_basis=legal_basis,
        text_shown=(text_shown or "").strip(),
        language=language,
        given_at=given_at or timezone.now(),
        recorded_by=by,
    )
    if consent.given_at > timezone.now():
        raise ValidationError({"given_at": _("The consent cannot be given in the future.")})
    save_validated(consent)
    if save_as_template and language:
        consent_template_save(
            participant=participant,
            purpose=purpose,
            language=language,
            text=consent.text_shown,
            by=by,
        )
    consent.effects = _effects(signals.consent_recorded, consent, by)
    return consent


@transaction.atomic
def consent_template_save(*, participant, purpose: str, language: str, text: str, by):
    """Keep `text` as the consent text for `purpose` in `language` of the organisation that
    registered `participant` (whoever may record that person's consent may keep it)."""
    from mosty.people.models import ConsentTemplate

    require(by, "participant.consent.record", participant)
    template, _created = ConsentTemplate.objects.update_or_create(
        organisation_id=participant.owner_id,
        purpose=purpose,
        language=language,
        defaults={"text": text.strip(), "updated_by": by},
        create_defaults={"text": text.strip(), "created_by": by, "updated_by": by},
    )
    return template


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, by, withdrawn_at=None, rule: str = "consent.withdraw"
) -> Consent:
    """Withdraw `consent` and tell the other modules (people.signals), which answer with what
    follows (open referrals withdrawn, the portal closed). `rule` is what lets `by` do it:
    staff recording a withdrawal (`consent.withdraw`), or the person withdrawing their own in
    the portal (`portal.consent.withdraw`, `portal.services.consent_withdraw_own`): both
    withdrawals take this one way."""
    require(by, rule, consent)
    consent.withdrawn_at = withdrawn_at or timezone.now()
    consent.withdrawn_recorded_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_recorded_by"])
    audit(by, "mosty.people.consent.withdrawn", consent, details={"purpose": consent.purpose})
    consent.effects = _effects(signals.consent_withdrawn, consent, by)
    return consent


def _effects(signal, consent: Consent, by) -> list[str]:
    """Tell the other modules about `consent` (people.signals); the sentences they answer."""
    return [
        str(said) for _receiver, said in signal.send(sender=Consent, consent=consent, by=by) if said
    ]


# --- imports from CSV/XLSX (the engine is mosty.people.imports) -----------------------------


@transaction.atomic
def participant_import_create(*, owner, by, filename: str, content: bytes) -> ParticipantImport:
    """Read an uploaded list into a job waiting for its column mapping (ImportFileError when the
    file cannot be read)."""
    require(by, "participant.import")
    headers, rows = imports.read_table(filename, content)
    return ParticipantImport.objects.create(
        owner=owner,
        created_by=by,
        filename=filename[:255],
        headers=headers,
        rows=rows,
        total=len(rows),
        mapping=imports.guess_mapping(headers),
    )


@transaction.atomic
def participant_import_start(
    *,
    job: ParticipantImport,
    by,
    mapping: dict,
    valid_only: bool,
    duplicate_choices: dict[int, str] | None = None,
) -> ParticipantImport:
    """Queue the import: small lists finish within the request, large ones go to the worker.
    `duplicate_choices` says, by row index, what to do with rows that look like someone
    already known (DuplicateChoice); such rows without a choice are skipped."""
    require(by, "participant.import")
    job.mapping = mapping
    job.valid_only = valid_only
    job.duplicate_choices = {
        str(index): DuplicateChoice(choice).value
        for index, choice in (duplicate_choices or {}).items()
    }
    job.status = ImportStatus.QUEUED
    job.processed = 0
    job.save(update_fields=["mapping", "valid_only", "duplicate_choices", "status", "processed"])
    job_id = job.pk
    if job.total <= imports.INLINE_ROWS:
        transaction.on_commit(lambda: imports.run(job_id))
    else:
        transaction.on_commit(lambda: tasks.participant_import_run.enqueue(job_id))
    return job


def _template_unique_error() -> ValidationError:
    return ValidationError(
        {"language": _("The organisation already keeps a text for this purpose in this language.")}
    )


@transaction.atomic
def consent_template_create(*, organisation, purpose: str, language: str, text: str, by):
    """A consent information text the organisation's staff are offered when they record a
    consent for `purpose` in `language`."""
    from mosty.people.models import ConsentTemplate

    require(by, "consent_template.create", organisation)
    if ConsentTemplate.objects.filter(
        organisation=organisation, purpose=purpose, language=language
    ).exists():
        raise _template_unique_error()
    template = ConsentTemplate(
        organisation=organisation,
        purpose=purpose,
        language=language,
        text=(text or "").strip(),
        updated_by=by,
    )
    template.full_clean(validate_constraints=False)
    template.save()
    return template


@transaction.atomic
def consent_template_update(*, template, text: str, by):
    require(by, "consent_template.change", template)
    template.text = (text or "").strip()
    template.updated_by = by
    template.full_clean(validate_constraints=False)
    template.save(update_fields=["text", "updated_by", "updated_at"])
    return template


@transaction.atomic
def consent_template_delete(*, template, by) -> None:
    """Consents already recorded keep the text that was shown (`Consent.text_shown`)."""
    require(by, "consent_template.delete", template)
    template.delete()
