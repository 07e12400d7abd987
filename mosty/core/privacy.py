"""Classification of every free-text field on a model that holds personal data.

A text field (CharField, TextField and their kinds: e-mail, URL, slug) without `choices`, or a
JSONField (which can hold text as well), on a
model that holds personal data — one a GDPR section covers (`mosty.people.gdpr.covered_models`)
or one listed in `mosty.people.gdpr.OTHER_PEOPLE` — is either

- encrypted at rest: an `EncryptedTextField` (`mosty.core.crypto`), nothing to write here; or
- listed in PLAINTEXT below, with the reason it is stored as it is.

`tests/core/test_privacy.py` fails for a field that is neither, so a new free-text field about a
person cannot be added without deciding.
"""

from __future__ import annotations

# Reasons shared by several fields.
NAMES_AND_CONTACTS = (
    "A name or contact: searched (intake, duplicates), sorted and shown in lists, which "
    "encrypted text cannot be; erased or anonymised by the model's GDPR rule."
)
CODE = "A code, identifier or language tag, not free text about the person."
ERASED_PLAN_TITLE = (
    "A short action title of the integration plan, listed on dashboards, reminders and task "
    "lists of the whole team and sorted by due date; details belong in the (encrypted) notes. "
    "Replaced by a dash on erasure."
)
STAFF_ACCOUNT = "A staff, mentor or assistant account's own name or contact, shown across the app."
CODES_LIST = "A list of codes validated against fixed choices (languages, interests, slots)."
PUBLISHED_BY_CHOICE = (
    "Entered by the person or organisation to be published to partner organisations "
    "(directory, housing offers); public by their choice."
)

PLAINTEXT: dict[str, str] = {
    # people
    "people.Participant.code": (
        "The pseudonymous code: what the audit log and statistics use instead of the name; kept "
        "after erasure on purpose."
    ),
    "people.Participant.first_name": NAMES_AND_CONTACTS,
    "people.Participant.last_name": NAMES_AND_CONTACTS,
    "people.Participant.first_name_original": NAMES_AND_CONTACTS,
    "people.Participant.last_name_original": NAMES_AND_CONTACTS,
    "people.Participant.phone": NAMES_AND_CONTACTS,
    "people.Participant.email": NAMES_AND_CONTACTS,
    "people.Participant.search_key": (
        "Normalised names for transliteration-tolerant search; recomputed (emptied) on erasure."
    ),
    "people.Household.label": NAMES_AND_CONTACTS,
    "people.HouseholdMember.name": NAMES_AND_CONTACTS,
    "people.HouseholdMember.relationship": (
        "A one-word relation (daughter, husband) shown with the household; emptied on erasure."
    ),
    "people.Consent.text_shown": (
        "The consent text the organisation showed: the same wording for everyone, the proof of "
        "what was agreed; nothing about the person."
    ),
    "people.Consent.language": CODE,
    "people.Participant.languages": CODES_LIST,
    "people.ParticipantImport.rows": (
        "The uploaded list, read to map, check and import it: emptied when the import is done, "
        "purged by the daily job after MOSTY_IMPORT_ROWS_DAYS, and rows about an erased person "
        "removed at once."
    ),
    "people.ParticipantImport.headers": "The uploaded list's column titles.",
    "people.ParticipantImport.mapping": "Column numbers by Mosty field.",
    "people.ParticipantImport.duplicate_choices": "Row index -> skip, merge or import anyway.",
    "people.ParticipantImport.errors": "Row numbers, field names and messages; never the values.",
    "cases.Referral.shared_fields": CODES_LIST,
    "mentoring.Mentor.languages": CODES_LIST,
    "mentoring.Mentor.interests": CODES_LIST,
    "mentoring.Mentor.availability": CODES_LIST,
    "mentoring.MentoringProfile.interests": CODES_LIST,
    "mentoring.MentoringProfile.availability": CODES_LIST,
    "mentoring.MentoringProfile.mentor_kinds": CODES_LIST,
    "mentoring.Match.explanation": (
        "Structured reasons of the matching score (language codes, distance, shared interests "
        "and slots), rendered in the reader's language."
    ),
    "mentoring.MatchProposal.parts": (
        "Structured reasons of a stored proposal or of its absence (language codes, distance, "
        "shared interests and slots, a reason code and a count), rendered in the reader's "
        "language."
    ),
    "access.AuditEvent.fields": "Field names, never values.",
    "access.AuditEvent.details": "Non-personal details (counts, statuses, reasons as codes).",
    "people.ParticipantImport.filename": (
        "The uploaded file's name, shown in the import list; the rows themselves are purged "
        "when imported or stale (MOSTY_IMPORT_ROWS_DAYS)."
    ),
    # cases
    "cases.Goal.title": ERASED_PLAN_TITLE,
    "cases.Task.title": ERASED_PLAN_TITLE,
    # participation
    "participation.AlertSubscription.email": (
        "The address alerts are sent to, looked up when the same visitor subscribes again; "
        "the row is deleted when they unsubscribe."
    ),
    "participation.AlertSubscription.language": CODE,
    "participation.AlertSubscription.key": CODE,
    "participation.GroupMeeting.place": (
        "Where a group met (a community centre, a library), shown in the group's list of "
        "meetings; not about a person."
    ),
    "participation.Idea.title": (
        "A project's or opinion's short title, listed for the supporting team and the "
        "consultation's organiser; the idea itself is encrypted. Replaced by a dash on erasure."
    ),
    # events
    "events.Registration.name": NAMES_AND_CONTACTS,
    "events.Registration.email": NAMES_AND_CONTACTS,
    "events.Registration.phone": NAMES_AND_CONTACTS,
    "events.Registration.language": CODE,
    "events.Registration.institution": (
        "The staff member's workplace (trainings for institution staff), shown in the "
        "organiser's lists; not about a participant."
    ),
    # mentoring
    "mentoring.Mentor.name": STAFF_ACCOUNT,
    "mentoring.Mentor.email": STAFF_ACCOUNT,
    "mentoring.Mentor.phone": STAFF_ACCOUNT,
    "mentoring.Mentor.language": CODE,
    "mentoring.Mentor.motivation": (
        "The applicant's own words on the public sign-up form, read by the coordinators who vet "
        "them; no health, legal or third-party data is asked for."
    ),
    # accounts, audit
    "accounts.User.password": "A salted hash, never the password.",
    "accounts.User.email": STAFF_ACCOUNT,
    "accounts.User.first_name": STAFF_ACCOUNT,
    "accounts.User.last_name": STAFF_ACCOUNT,
    "accounts.User.phone": STAFF_ACCOUNT,
    "accounts.User.language": CODE,
    "access.AuditEvent.actor_label": (
        "The acting account's e-mail, kept so the append-only log stays readable when the "
        "account is deleted."
    ),
    "access.AuditEvent.action": CODE,
    "access.AuditEvent.object_type": CODE,
    "access.AuditEvent.object_id": CODE,
    "access.AuditEvent.object_label": (
        "The object's audit_label: ids and pseudonymous codes, never names or text (every "
        "model a GDPR section covers defines one; tests/people/test_gdpr_registry.py)."
    ),
    "access.AuditEvent.request_id": CODE,
    # networks and directory
    "networks.NetworkMeeting.title": (
        "Meetings between organisations of a thematic network; minutes record decisions, not "
        "cases (case content stays in cases)."
    ),
    "networks.NetworkMeeting.agenda": (
        "Meetings between organisations of a thematic network; minutes record decisions, not "
        "cases (case content stays in cases)."
    ),
    "networks.NetworkMeeting.minutes": (
        "Meetings between organisations of a thematic network; minutes record decisions, not "
        "cases (case content stays in cases)."
    ),
    "networks.NetworkInvitation.email": (
        "The address the invitation link goes to, compared with the account that accepts it; "
        "shown to the network's coordinators; deleted by the GDPR rule of the networks app."
    ),
    "networks.NetworkInvitation.language": CODE,
    "networks.NetworkInvitation.token_hash": "A SHA-256 hash of the link's secret, not text.",
    "directory.HousingOffer.title": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.address": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.conditions": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.landlord_name": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.contact_phone": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.contact_email": PUBLISHED_BY_CHOICE,
    "directory.HousingOffer.status_note": PUBLISHED_BY_CHOICE,
    # assistance
    "assistance.AssistantProfile.modes": CODES_LIST,
    "assistance.AssistantLanguage.code": CODE,
    "assistance.HoursFigure.key": 'A SHA-256 hash of pool ids (or "all"), not text.',
    "assistance.HoursFigure.pools": "Organisation ids, not text.",
    "assistance.HoursFigure.figures": (
        "Numbers per assistant profile id and per institution (the institution's name): hours "
        "the pool's coordinator already sees, recounted nightly; no name or contact of a person."
    ),
    "directory.Linguist.name": PUBLISHED_BY_CHOICE,
    "directory.Linguist.email": PUBLISHED_BY_CHOICE,
    "directory.Linguist.phone": PUBLISHED_BY_CHOICE,
    "directory.Linguist.availability": PUBLISHED_BY_CHOICE,
    # Open Referral rows kept whole as imported from a public directory.
    "directory.HsdsRecord.data": (
        "A public directory row as the provider published it (a service contact is the "
        "provider's own published contact); exported again as it came."
    ),
    "directory.HsdsRecord.source": CODE,
    "directory.HsdsRecord.table": CODE,
    "directory.HsdsRecord.external_id": CODE,
    "directory.HsdsRecord.hsds_id": CODE,
    "directory.HsdsRecord.owner": CODE,
    "directory.HsdsRecord.group_hash": CODE,
    # research
    "research.Response.answers": (
        "Anonymous survey answers keyed by question name, linked to no participant; counted "
        "across thousands of responses for results and exports, which encrypted text cannot be."
    ),
    "research.Response.language": CODE,
    "research.FocusGroup.title": "The meeting's topic, chosen by the research team.",
    "research.FocusGroup.facilitator": STAFF_ACCOUNT,
    "research.FocusGroup.participants": (
        'Counts per category ("women from Ukraine: 6"), never names: figures for the report.'
    ),
    "research.FocusGroup.findings": (
        "Themes and findings across the group, written for the published report; the "
        "discussion itself is in the encrypted notes."
    ),
    # messaging and the portal (the texts people write are encrypted; these are codes)
    "messaging.Message.template": CODE,
    "messaging.Message.language": CODE,
    "messaging.Message.idempotency_key": CODE,
    "messaging.Message.provider_id": CODE,
    "messaging.Message.error": (
        "The provider's or the mail server's error text (a code and a reason), never the "
        "message or the address."
    ),
    "messaging.Notification.template": CODE,
    "messaging.Notification.payload": (
        "Ids, pseudonymous codes and statuses the bell's line is built from; never a name."
    ),
    "messaging.Notification.url": CODE,
    "portal.HelpRequest.language": CODE,
    "portal.PortalInvitation.code_hash": (
        "A SHA-256 hash of the invitation code: reveals nothing and must be looked up."
    ),
}


def text_fields(model) -> list:
    """The free-text fields of `model` that need a classification (codes with choices do not)."""
    from django.db import models

    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField)
        or (isinstance(f, models.CharField | models.TextField) and not f.choices)
    ]


def personal_models() -> list:
    """Models holding personal data: covered by a GDPR section, or about other people."""
    from django.apps import apps

    from mosty.people import gdpr

    labels = set(gdpr.covered_models()) | set(gdpr.OTHER_PEOPLE)
    return [m for m in apps.get_models() if m._meta.label in labels]


def classification() -> dict[str, str]:
    """`app.Model.field` -> "encrypted" or the reason it is plaintext ("" when unclassified)."""
    from mosty.core.crypto import EncryptedTextField

    out = {}
    for model in personal_models():
        for field in text_fields(model):
            key = f"{model._meta.label}.{field.name}"
            out[key] = (
                "encrypted" if isinstance(field, EncryptedTextField) else PLAINTEXT.get(key, "")
            )
    return out
