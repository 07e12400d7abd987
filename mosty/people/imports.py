"""Import participants from a CSV or XLSX file: read, map columns, validate every row, insert.

This is the import's engine, run inline for small files or by the `participant_import_run` task;
the services that create and start an import (`participant_import_create`, `..._start`) are in
`mosty.people.services`, above the task that runs it.

Nothing is imported while any row has errors, unless the user chose "valid rows only"; the
insert is one transaction (all rows or none). A row that looks like a participant the
organisation already has, or like an earlier row of the file (same name under the
transliteration-tolerant matching of intake search, compatible birth year), is shown in the
preview and skipped unless the user chooses to merge it or import it anyway. Validation is written for speed (plain checks, no
per-row `full_clean()`), so 50,000 rows import at a rate close to a bare bulk insert.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.audit import audit
from mosty.core.models import District
from mosty.core.uploads import check_size, check_zip, limit_rows
from mosty.people.models import (
    Channel,
    DuplicateChoice,
    Gender,
    ImportStatus,
    LanguageLevel,
    LegalStatus,
    Participant,
    ParticipantImport,
    PolishLevel,
    code_prefix,
    generate_code,
)
from mosty.people.search import name_skeletons

MAX_ROWS = 60_000
MAX_COLUMNS = 100
# Characters in one cell: no participant field comes near it; a longer one is a broken file.
MAX_CELL = 100_000
BATCH = 2000
# Uploads up to this many rows are imported within the request; larger ones by `mosty worker`.
INLINE_ROWS = 500
# A running import whose worker sent no heartbeat for this long is marked failed (the worker
# died: killed, out of memory, machine restarted). Validation beats every BATCH rows; the
# insert of 60,000 rows takes well under a minute.
STALE_AFTER = timedelta(minutes=15)

logger = logging.getLogger(__name__)

# Target field -> (label, header names that map to it automatically).
TARGETS = {
    "first_name": (
        gettext_lazy("First name (Latin script)"),
        ["first name", "first_name", "imię", "imie", "name"],
    ),
    "last_name": (
        gettext_lazy("Last name (Latin script)"),
        ["last name", "last_name", "surname", "nazwisko"],
    ),
    "first_name_original": (
        gettext_lazy("First name (original script)"),
        ["first_name_original", "ім'я", "имя"],
    ),
    "last_name_original": (
        gettext_lazy("Last name (original script)"),
        ["last_name_original", "прізвище", "фамилия"],
    ),
    "birth_year": (
        gettext_lazy("Birth year"),
        ["birth year", "birth_year", "rok urodzenia", "year"],
    ),
    "gender": (gettext_lazy("Gender"), ["gender", "sex", "płeć", "plec"]),
    "country_of_origin": (
        gettext_lazy("Country of origin"),
        ["country", "country_of_origin", "kraj"],
    ),
    "citizenship": (gettext_lazy("Citizenship"), ["citizenship", "obywatelstwo", "nationality"]),
    "languages": (gettext_lazy("Languages (uk:native; pl:A2)"), ["languages", "języki", "jezyki"]),
    "polish_level": (gettext_lazy("Polish level (CEFR)"), ["polish", "polish_level", "polski"]),
    "legal_status": (gettext_lazy("Legal status"), ["legal_status", "status"]),
    "arrival_date": (gettext_lazy("Arrival date"), ["arrival", "arrival_date", "data przyjazdu"]),
    "district": (gettext_lazy("District (code or name)"), ["district", "dzielnica"]),
    "phone": (gettext_lazy("Phone"), ["phone", "telefon", "tel"]),
    "email": (gettext_lazy("E-mail address"), ["email", "e-mail", "mail"]),
    "preferred_channel": (
        gettext_lazy("Preferred channel"),
        ["channel", "preferred_channel", "kanał"],
    ),
}
_GENDER_ALIASES = {
    "f": "female",
    "k": "female",
    "m": "male",
    "kobieta": "female",
    "mężczyzna": "male",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


class ImportFileError(ValidationError):
    pass


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (as strings) of a CSV or XLSX file; reading stops at the row limit."""
    check_size(len(content))
    if name.lower().endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.lower().endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    if len(rows) < 2:
        raise ImportFileError(_("The file needs a header row and at least one row of data."))
    if len(rows[0]) > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS})
    headers = [h.strip() or f"#{i + 1}" for i, h in enumerate(rows[0])]
    width = len(headers)
    return headers, [(r + [""] * width)[:width] for r in rows[1:]]


def _rows_within_limit(rows) -> list[list[str]]:
    """The non-blank rows (header + at most MAX_ROWS), refusing the file at the first row past
    the limit instead of reading it all."""
    nonblank = (r for r in rows if any(cell.strip() for cell in r))
    header = next(nonblank, None)
    return [] if header is None else [header, *limit_rows(nonblank, MAX_ROWS)]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Save the CSV file as UTF-8 and upload it again.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = _rows_within_limit([c.strip() for c in row] for row in reader)
    except csv.Error:
        raise ImportFileError(_("This CSV file cannot be read.")) from None
    # csv's own field limit is process-wide and other libraries raise it: check ours here.
    if any(len(cell) > MAX_CELL for row in rows for cell in row):
        raise ImportFileError(_("This CSV file cannot be read."))
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_zip(archive)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise ImportFileError(_("This XLSX file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        return _rows_within_limit(
            [_cell(v) for v in row[: MAX_COLUMNS + 1]] for row in sheet.iter_rows(values_only=True)
        )
    finally:
        workbook.close()


# Typographic and modifier apostrophes people (and spreadsheet autocorrect) type for "'".
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032", "'"))


def header_key(text: str) -> str:
    """A column name as compared for automatic mapping: Unicode-normalised, apostrophe
    variants folded ("Ім’я" = "ім'я"), case-folded, underscores and runs of spaces as one."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return " ".join(text.replace("_", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, int]:
    mapping = {}
    keys = [header_key(h) for h in headers]
    for target, (_label, names) in TARGETS.items():
        wanted = {header_key(target), *(header_key(n) for n in names)}
        for i, key in enumerate(keys):
            if key in wanted and i not in mapping.values():
                mapping[target] = i
                break
    return mapping


def _fold(text: str) -> str:
    """Lower case without diacritics, for comparing district names as people type them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


class RowValidator:
    """Turns one mapped row into Participant field values, or a list of (field, message)."""

    def __init__(self, mapping: dict[str, int]):
        self.mapping = {k: int(v) for k, v in mapping.items() if v not in (None, "")}
        self.districts = {}
        self.district_names: dict[str, str] = {}  # folded name -> name, for suggestions
        for d in District.objects.all():
            self.districts[d.code.lower()] = d.pk
            self.districts[d.name.lower()] = d.pk
            self.districts[_fold(d.name)] = d.pk
            self.district_names[_fold(d.name)] = d.name
        self.this_year = timezone.now().year
        self.today = timezone.localdate()
        self.genders = set(Gender.values)
        self.polish = set(PolishLevel.values)
        self.legal = set(LegalStatus.values)
        self.channels = set(Channel.values)
        self.levels = set(LanguageLevel.values)

    def __call__(self, row: list[str]) -> tuple[dict, list[tuple[str, str]]]:
        values: dict = {}
        errors: list[tuple[str, str]] = []
        get = {t: row[i].strip() if i < len(row) else "" for t, i in self.mapping.items()}
        for field in ("first_name", "last_name", "first_name_original", "last_name_original"):
            value = get.get(field, "")
            if len(value) > 150:
                errors.append((field, _("At most 150 characters.")))
            values[field] = value
        if not (values["first_name"] or values["first_name_original"] or values["last_name"]):
            errors.append(("first_name", _("Enter at least a first name.")))
        year = get.get("birth_year", "")
        values["birth_year"] = None
        if year:
            if year.isdecimal() and 1900 <= int(year) <= self.this_year:
                values["birth_year"] = int(year)
            else:
                errors.append(("birth_year", _("Enter a year between 1900 and this year.")))
        gender = get.get("gender", "").lower()
        gender = _GENDER_ALIASES.get(gender, gender)
        if gender and gender not in self.genders:
            errors.append(("gender", _("Unknown gender: use female, male, other or undisclosed.")))
        values["gender"] = gender if gender in self.genders else ""
        for field in ("country_of_origin", "citizenship"):
            code = get.get(field, "").upper()
            if code and not (len(code) == 2 and code.isalpha() and code.isascii()):
                errors.append((field, _("Enter a two-letter ISO country code, for example UA.")))
                code = ""
            values[field] = code
        values["languages"] = self._languages(get.get("languages", ""), errors)
        for field, allowed in (
            ("polish_level", self.polish),
            ("legal_status", self.legal),
            ("preferred_channel", self.channels),
        ):
            value = get.get(field, "")
            if value and field == "polish_level" and value.upper() in allowed:
                value = value.upper()
            elif value:
                value = value.lower()
            if value and value not in allowed:
                errors.append((field, _("Not one of the allowed values.")))
                value = ""
            values[field] = value
        values["arrival_date"] = self._date(get.get("arrival_date", ""), errors)
        district = get.get("district", "")
        values["district_id"] = (
            self.districts.get(district.lower()) or self.districts.get(_fold(district))
            if district
            else None
        )
        if district and values["district_id"] is None:
            suggestions = self.district_suggestions(district)
            if suggestions:
                errors.append(
                    (
                        "district",
                        _("No district with this code or name. Did you mean: %(names)s?")
                        % {"names": ", ".join(suggestions)},
                    )
                )
            else:
                errors.append(("district", _("No district with this code or name.")))
        phone = get.get("phone", "")
        if phone and not re.fullmatch(r"[0-9+() .-]{6,40}", phone):
            errors.append(("phone", _("Enter a phone number with digits only.")))
            phone = ""
        values["phone"] = phone
        email = get.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(("email", _("Enter a valid e-mail address.")))
                email = ""
        values["email"] = email
        return values, errors

    def district_suggestions(self, typed: str) -> list[str]:
        """Districts the user probably meant: names containing every word typed ("Wrzeszcz"
        -> "Wrzeszcz Górny", "Wrzeszcz Dolny"), else the closest spellings."""
        folded = _fold(typed).split()
        if not folded:
            return []
        containing = [
            name
            for key, name in self.district_names.items()
            if all(any(w.startswith(t) for w in key.split()) for t in folded)
        ]
        if containing:
            return sorted(containing)[:5]
        close = difflib.get_close_matches(" ".join(folded), self.district_names, n=3, cutoff=0.75)
        return [self.district_names[key] for key in close]

    def _languages(self, raw: str, errors) -> list:
        result = []
        for part in re.split(r"[;,]", raw):
            part = part.strip()
            if not part:
                continue
            code, _sep, level = part.partition(":")
            code, level = code.strip().lower(), level.strip()
            level = level.lower() if level.lower() == "native" else level.upper()
            if not (2 <= len(code) <= 3 and code.isalpha()) or level not in self.levels:
                errors.append(
                    ("languages", _("Write languages as code:level, e.g. uk:native; pl:A2."))
                )
                return []
            result.append({"code": code, "level": level})
        return result

    def _date(self, raw: str, errors):
        if not raw:
            return None
        for fmt in _DATE_FORMATS:
            try:
                value = datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
            if value > self.today:
                errors.append(("arrival_date", _("The arrival date cannot be in the future.")))
                return None
            return value
        errors.append(("arrival_date", _("Enter a date as YYYY-MM-DD or DD.MM.YYYY.")))
        return None


def preview(job: ParticipantImport, mapping: dict, limit: int = 10) -> list[dict]:
    check = RowValidator(mapping)
    out = []
    district_column = check.mapping.get("district")
    for number, row in enumerate(job.rows[:limit], start=2):
        values, errors = check(row)
        if district_column is not None:
            # Show the district as written, not its database id.
            values["district"] = row[district_column] if district_column < len(row) else ""
            values.pop("district_id", None)
        out.append({"number": number, "values": values, "errors": errors})
    return out


# --- duplicates -----------------------------------------------------------------------------

NAME_FIELDS = ("first_name", "last_name", "first_name_original", "last_name_original")


@dataclass
class Duplicate:
    """Row `index` (0-based) looks like an existing participant or an earlier row."""

    index: int
    participant_id: int | None = None
    earlier_index: int | None = None

    @property
    def number(self) -> int:
        """The row's number in the file (the header is row 1)."""
        return self.index + 2

    @property
    def earlier_number(self) -> int | None:
        return None if self.earlier_index is None else self.earlier_index + 2


@functools.lru_cache(maxsize=100_000)
def _word_skeletons(word: str) -> tuple[str, ...]:
    # name_skeletons() works character by character, so word by word gives the same result;
    # names repeat, so a file of 50,000 people costs a few thousand transliterations.
    return tuple(name_skeletons(word))


def person_keys(names: dict) -> set[tuple[str, ...]]:
    """Keys under which a person is found again: the skeletons (search.py) of the Latin-script
    name and of the original-script name, in any order ("Bondar Olena" = "Olena Bondar"). A
    single word is too weak a key on its own; it is used together with the birth year."""
    keys = set()
    for first, last in (
        (names.get("first_name"), names.get("last_name")),
        (names.get("first_name_original"), names.get("last_name_original")),
    ):
        words = f"{first or ''} {last or ''}".split()
        skeletons = tuple(sorted(s for w in words for s in _word_skeletons(w)))
        if skeletons:
            keys.add(skeletons)
    return keys


def _same_year(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


class DuplicateFinder:
    """Finds rows that repeat a participant of `owner_id` (not anonymised) or an earlier row.
    The organisation's participants are read once, so a file of any length costs one query."""

    def __init__(self, owner_id: int):
        self.known: dict[tuple, list[tuple[int, int | None]]] = {}
        rows = Participant.objects.filter(owner_id=owner_id, anonymised_at__isnull=True)
        for pk, year, *names in rows.values_list("pk", "birth_year", *NAME_FIELDS):
            for key in person_keys(dict(zip(NAME_FIELDS, names, strict=True))):
                self.known.setdefault(key, []).append((pk, year))
        self.seen: dict[tuple, list[tuple[int, int | None]]] = {}

    @staticmethod
    def _match(candidates, key, year) -> int | None:
        for ident, other_year in candidates.get(key, ()):
            if len(key) < 2 and (year is None or other_year is None):
                continue
            if _same_year(year, other_year):
                return ident
        return None

    def check(self, index: int, names: dict, year: int | None) -> Duplicate | None:
        keys = person_keys(names)
        found = None
        for key in keys:
            if (pk := self._match(self.known, key, year)) is not None:
                found = Duplicate(index=index, participant_id=pk)
                break
        if found is None:
            for key in keys:
                if (earlier := self._match(self.seen, key, year)) is not None:
                    found = Duplicate(index=index, earlier_index=earlier)
                    break
        if found is None:
            for key in keys:
                self.seen.setdefault(key, []).append((index, year))
        return found


def _light_values(row: list[str], mapping: dict[str, int]) -> tuple[dict, int | None]:
    names = {f: row[mapping[f]].strip() for f in NAME_FIELDS if mapping.get(f, len(row)) < len(row)}
    raw = (
        row[mapping["birth_year"]].strip() if mapping.get("birth_year", len(row)) < len(row) else ""
    )
    return names, int(raw) if raw.isdigit() else None


def find_duplicates(job: ParticipantImport, mapping: dict) -> list[Duplicate]:
    """Every row of the upload that looks like someone already known (for the preview)."""
    mapping = {k: int(v) for k, v in mapping.items() if v not in (None, "")}
    finder = DuplicateFinder(job.owner_id)
    found = []
    for index, row in enumerate(job.rows):
        duplicate = finder.check(index, *_light_values(row, mapping))
        if duplicate is not None:
            found.append(duplicate)
    return found


def validate_all(job: ParticipantImport, *, progress=None) -> tuple[list[dict], list[dict]]:
    """(valid values by row, error report) for every row of the upload. Each valid row's
    values carry its index in the upload under "_index"."""
    check = RowValidator(job.mapping)
    valid, report = [], []
    for index, row in enumerate(job.rows):
        values, errors = check(row)
        if errors:
            report.extend(
                {"row": index + 2, "field": field, "message": str(message)}
                for field, message in errors
            )
        else:
            values["_index"] = index
            valid.append(values)
        if progress and (index + 1) % BATCH == 0:
            progress(index + 1)
    return valid, report


def _is_empty(value) -> bool:
    return value in (None, "", [])


def resolve_duplicates(job: ParticipantImport, valid: list[dict]) -> tuple[list[dict], dict]:
    """The rows to insert, and {participant id: [rows to merge into it]}; rows merged into an
    earlier row of the file fill its empty fields. Counts land on the job."""
    finder = DuplicateFinder(job.owner_id)
    choices = job.duplicate_choices or {}
    to_insert: dict[int, dict] = {}
    merges: dict[int, list[dict]] = {}
    job.skipped_count = job.merged_count = 0
    for values in valid:
        index = values.pop("_index")
        names = {f: values[f] for f in NAME_FIELDS}
        duplicate = finder.check(index, names, values["birth_year"])
        choice = DuplicateChoice.CREATE
        if duplicate is not None:
            choice = choices.get(str(index), DuplicateChoice.SKIP)
        if choice == DuplicateChoice.SKIP:
            job.skipped_count += 1
        elif choice == DuplicateChoice.MERGE and duplicate.participant_id is not None:
            merges.setdefault(duplicate.participant_id, []).append(values)
            job.merged_count += 1
        elif choice == DuplicateChoice.MERGE and duplicate.earlier_index in to_insert:
            earlier = to_insert[duplicate.earlier_index]
            for field, value in values.items():
                if _is_empty(earlier[field]) and not _is_empty(value):
                    earlier[field] = value
            job.merged_count += 1
        else:
            to_insert[index] = values
    return list(to_insert.values()), merges


def merge_into(merges: dict[int, list[dict]]) -> None:
    """Fill each participant's empty fields from the rows merged into it; nothing that is
    already filled in is overwritten."""
    for participant in Participant.objects.filter(pk__in=list(merges)).select_for_update():
        changed = []
        for values in merges[participant.pk]:
            for field, value in values.items():
                if _is_empty(getattr(participant, field)) and not _is_empty(value):
                    setattr(participant, field, value)
                    changed.append(field)
        if changed:
            # save() recomputes the search key from the names and the phone.
            participant.save(update_fields=[*set(changed), "search_key", "updated_at"])


def _unique_codes(count: int, prefix: str) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        needed = count - len(codes)
        fresh = {generate_code(prefix) for _ in range(needed + 8)} - codes
        taken = set(Participant.objects.filter(code__in=list(fresh)).values_list("code", flat=True))
        codes |= set(list(fresh - taken)[:needed])
    return list(codes)


def insert(values: list[dict], *, owner_id: int, created_by_id: int | None, prefix: str) -> int:
    codes = _unique_codes(len(values), prefix)
    now = timezone.now()
    objs = []
    for code, v in zip(codes, values, strict=True):
        objs.append(
            Participant.for_bulk_create(
                at=now, code=code, owner_id=owner_id, created_by_id=created_by_id, **v
            )
        )
    Participant.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)


class ImportAbandoned(Exception):
    """This run no longer owns the job: it was marked failed as stale, or started again."""


def run(job_id: int) -> ParticipantImport:
    """Validate every row, then insert them all in one transaction (or nothing).

    The run claims the job (RUNNING) and touches `heartbeat_at` as it goes; a job whose
    heartbeat stops (the worker was killed) is marked failed by
    `participant_import_fail_stale` and can be started again. A run that finds its job no
    longer RUNNING (marked stale meanwhile) stops without inserting anything."""
    claimed = (
        ParticipantImport.objects.filter(pk=job_id)
        .exclude(status__in=[ImportStatus.RUNNING, ImportStatus.DONE])
        .update(status=ImportStatus.RUNNING, processed=0, errors=[], heartbeat_at=timezone.now())
    )
    job = ParticipantImport.objects.get(pk=job_id)
    if not claimed:
        return job  # already running elsewhere or finished

    def beat(**fields) -> None:
        still_ours = ParticipantImport.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING
        ).update(heartbeat_at=timezone.now(), **fields)
        if not still_ours:
            raise ImportAbandoned

    def progress(done):
        # Validation is 0-90 % of the bar; the single insert transaction is the rest.
        beat(processed=int(done * 0.9))

    fields = ["errors", "status", "processed", "created_count", "rows", "finished_at"]
    fields += ["skipped_count", "merged_count"]
    try:
        valid, report = validate_all(job, progress=progress)
        job.errors = report[:1000]
        with transaction.atomic():
            beat()  # holds the row (and on SQLite the database) until the end
            if report and not job.valid_only:
                job.status = ImportStatus.HAS_ERRORS
                job.processed = job.total
            else:
                new_rows, merges = resolve_duplicates(job, valid)
                merge_into(merges)
                job.created_count = insert(
                    new_rows,
                    owner_id=job.owner_id,
                    created_by_id=job.created_by_id,
                    prefix=code_prefix(),
                )
                audit(
                    job.created_by,
                    "mosty.people.import.completed",
                    job,
                    details={
                        "created": job.created_count,
                        "merged": job.merged_count,
                        "duplicates_skipped": job.skipped_count,
                        "rows_with_errors": len(report),
                    },
                )
                job.status = ImportStatus.DONE
                job.processed = job.total
                job.rows = []  # the upload is no longer needed once imported
            job.finished_at = timezone.now()
            job.save(update_fields=fields)
    except ImportAbandoned:
        job.refresh_from_db()
        return job
    except Exception:
        _mark_failed(job.pk)
        raise
    return job


def _mark_failed(job_id: int) -> None:
    try:
        ParticipantImport.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
    except DatabaseError:
        # The database is unreachable or locked: the stale check will mark the job later.
        logger.warning("Could not mark participant import %s as failed.", job_id)


def participant_import_fail_stale(*, now=None) -> int:
    """Mark running imports whose worker stopped sending a heartbeat for STALE_AFTER as
    failed (nothing was imported: the insert is one transaction), so they can be started
    again. Called by the import pages and the daily job; returns how many it marked."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = ParticipantImport.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    jobs = list(stale.only("pk", "filename", "owner_id"))
    marked = 0
    for job in jobs:
        with transaction.atomic():
            if ParticipantImport.objects.filter(
                Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True),
                pk=job.pk,
                status=ImportStatus.RUNNING,
            ).update(status=ImportStatus.FAILED, finished_at=now):
                marked += 1
                audit(
                    None,
                    "mosty.people.import.stalled",
                    job,
                    details={"minutes_without_heartbeat": int(STALE_AFTER.total_seconds() // 60)},
                )
    return marked
