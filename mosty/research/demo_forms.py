"""XLSForms Mosty writes itself: the demo's migrant and institution surveys (in Polish,
English, Ukrainian and Arabic), and the 60-question form of the benchmark. Each is a real
workbook (`xlsform_bytes`), read back through pyxform like any upload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mosty.core.exports import xlsx_book_bytes
from mosty.research.xlsform import PLAIN_COLUMNS

LANGS = ("Polski (pl)", "English (en)", "Українська (uk)", "العربية (ar)")

Row = dict[str, Any]


def xlsform_bytes(
    survey: Sequence[Row],
    choices: Sequence[Row],
    settings: Row,
    languages: Sequence[str] = LANGS,
) -> bytes:
    """A workbook from rows: `label`, `hint` and `constraint_message` are tuples in the
    order of `languages`."""
    translated = ("label", "hint", "constraint_message")
    survey_header = [
        "type",
        "name",
        *(f"{b}::{lang}" for b in translated for lang in languages),
        *PLAIN_COLUMNS,
    ]

    def cells(row: Row, columns: Sequence[str]) -> list[Any]:
        out: list[Any] = []
        for column in columns:
            if "::" in column:
                base, lang = column.split("::", 1)
                value = row.get(base) or ()
                out.append(value[languages.index(lang)] if value else "")
            else:
                out.append(row.get(column, ""))
        return out

    extra = sorted({k for c in choices for k in c if k not in ("list_name", "name", "label")})
    choices_header = ["list_name", "name", *[f"label::{lang}" for lang in languages], *extra]
    return xlsx_book_bytes(
        [
            ("survey", survey_header, [cells(r, survey_header) for r in survey]),
            ("choices", choices_header, [cells(c, choices_header) for c in choices]),
            ("settings", list(settings), [list(settings.values())]),
        ]
    )


YES_NO = [
    {"list_name": "yes_no", "name": "yes", "label": ("Tak", "Yes", "Так", "نعم")},
    {"list_name": "yes_no", "name": "no", "label": ("Nie", "No", "Ні", "لا")},
]


# Questions of the migrant survey other forms reuse.
COUNTRY: Row = {
    "type": "select_one country",
    "name": "country",
    "label": (
        "Z jakiego kraju pochodzisz?",
        "Which country do you come from?",
        "З якої ви країни?",
        "من أي بلد أنت؟",
    ),
    "required": "yes",
}
REGION: Row = {
    "type": "select_one region",
    "name": "region",
    "label": ("Z jakiego regionu?", "Which region?", "З якого регіону?", "من أي منطقة؟"),
    "choice_filter": "country=${country}",
    "relevant": "${country} = 'ua'",
}
WORKS: Row = {
    "type": "select_one yes_no",
    "name": "works",
    "label": ("Czy pracujesz?", "Do you work?", "Чи працюєте ви?", "هل تعمل؟"),
    "required": "yes",
}
HOURS: Row = {
    "type": "decimal",
    "name": "hours",
    "label": (
        "Ile godzin tygodniowo?",
        "How many hours a week?",
        "Скільки годин на тиждень?",
        "كم ساعة في الأسبوع؟",
    ),
    "constraint": ". > 0 and . <= 80",
}
# Countries, and regions carrying their country for the choice filter (Polish, English,
# Ukrainian and Arabic labels).
COUNTRIES: list[Row] = [
    {"list_name": "country", "name": name, "label": label}
    for name, label in (
        ("ua", ("Ukraina", "Ukraine", "Україна", "أوكرانيا")),
        ("by", ("Białoruś", "Belarus", "Білорусь", "بيلاروسيا")),
        ("sy", ("Syria", "Syria", "Сирія", "سوريا")),
        ("other", ("Inny", "Other", "Інша", "بلد آخر")),
    )
] + [
    {"list_name": "region", "name": name, "label": label, "country": country}
    for name, label, country in (
        ("kyiv", ("Kijów", "Kyiv", "Київ", "كييف"), "ua"),
        ("kharkiv", ("Charków", "Kharkiv", "Харків", "خاركيف"), "ua"),
        ("minsk", ("Mińsk", "Minsk", "Мінськ", "مينسك"), "by"),
    )
]


def migrant_survey() -> bytes:
    """The diagnosis survey addressed to migrants: skip logic, a constraint with a translated
    message, a choice filter, `or_other`, a range, a calculation and a field-list page."""
    survey: list[Row] = [
        {
            "type": "integer",
            "name": "age",
            "label": ("Ile masz lat?", "How old are you?", "Скільки вам років?", "كم عمرك؟"),
            "required": "yes",
            "constraint": ". >= 16 and . <= 100",
            "constraint_message": (
                "Podaj wiek od 16 do 100 lat.",
                "Give an age from 16 to 100.",
                "Вкажіть вік від 16 до 100 років.",
                "أدخل عمراً بين 16 و100.",
            ),
        },
        COUNTRY,
        REGION,
        WORKS,
        {
            "type": "begin_group",
            "name": "work",
            "label": ("Praca", "Work", "Робота", "العمل"),
            "appearance": "field-list",
            "relevant": "${works} = 'yes'",
        },
        {
            "type": "select_multiple sector or_other",
            "name": "sector",
            "label": (
                "W jakiej branży?",
                "In which sector?",
                "У якій галузі?",
                "في أي قطاع؟",
            ),
        },
        HOURS,
        {"type": "end_group", "name": ""},
        {
            "type": "range",
            "name": "polish",
            "label": (
                "Jak oceniasz swój polski (1–5)?",
                "How good is your Polish (1–5)?",
                "Як ви оцінюєте свою польську (1–5)?",
                "كيف تقيّم لغتك البولندية (1–5)؟",
            ),
            "parameters": "start=1 end=5 step=1",
        },
        {
            "type": "calculate",
            "name": "needs_course",
            "calculation": "if(${polish} < 3, 'yes', 'no')",
        },
        {
            "type": "note",
            "name": "course_note",
            "label": (
                "Miasto prowadzi bezpłatne kursy polskiego.",
                "The city runs free Polish courses.",
                "Місто проводить безкоштовні курси польської.",
                "تنظم المدينة دورات مجانية في اللغة البولندية.",
            ),
            "relevant": "${needs_course} = 'yes'",
        },
        {
            "type": "text",
            "name": "needs",
            "label": (
                "Czego najbardziej potrzebujesz?",
                "What do you need most?",
                "Чого вам найбільше потрібно?",
                "ما الذي تحتاجه أكثر؟",
            ),
            "appearance": "multiline",
        },
    ]
    choices: list[Row] = [
        *COUNTRIES,
        {"list_name": "sector", "name": "care", "label": ("Opieka", "Care", "Догляд", "الرعاية")},
        {
            "list_name": "sector",
            "name": "logistics",
            "label": ("Logistyka", "Logistics", "Логістика", "الخدمات اللوجستية"),
        },
        {"list_name": "sector", "name": "it", "label": ("IT", "IT", "ІТ", "تكنولوجيا المعلومات")},
        *YES_NO,
    ]
    settings = {
        "form_title": "Diagnoza: ankieta dla migrantów",
        "form_id": "migrant_diagnosis",
        "default_language": LANGS[0],
    }
    return xlsform_bytes(survey, choices, settings)


def institution_survey() -> bytes:
    """The survey addressed to institutions and organisations working with migrants."""
    survey: list[Row] = [
        {
            "type": "select_one kind",
            "name": "kind",
            "label": ("Rodzaj instytucji", "Kind of institution", "Тип установи", "نوع المؤسسة"),
            "required": "yes",
        },
        {
            "type": "integer",
            "name": "clients",
            "label": (
                "Ilu migrantów obsłużyliście w zeszłym roku?",
                "How many migrants did you serve last year?",
                "Скільком мігрантам ви допомогли минулого року?",
                "كم عدد المهاجرين الذين خدمتموهم العام الماضي؟",
            ),
            "constraint": ". >= 0",
        },
        {
            "type": "select_multiple barrier",
            "name": "barriers",
            "label": (
                "Największe trudności",
                "The biggest difficulties",
                "Найбільші труднощі",
                "أكبر الصعوبات",
            ),
            "required": "yes",
        },
        {
            "type": "select_one yes_no",
            "name": "interpreter",
            "label": (
                "Czy macie dostęp do tłumacza?",
                "Do you have an interpreter?",
                "Чи маєте ви перекладача?",
                "هل لديكم مترجم؟",
            ),
            "relevant": "selected(${barriers}, 'language')",
        },
        {
            "type": "acknowledge",
            "name": "share",
            "label": (
                "Zgadzam się na udostępnienie wyników w raporcie.",
                "I agree to the results being shared in the report.",
                "Я погоджуюся на оприлюднення результатів у звіті.",
                "أوافق على نشر النتائج في التقرير.",
            ),
        },
    ]
    choices: list[Row] = [
        {"list_name": "kind", "name": "school", "label": ("Szkoła", "School", "Школа", "مدرسة")},
        {
            "list_name": "kind",
            "name": "social",
            "label": (
                "Pomoc społeczna",
                "Social assistance",
                "Соціальна допомога",
                "المساعدة الاجتماعية",
            ),
        },
        {
            "list_name": "kind",
            "name": "ngo",
            "label": (
                "Organizacja pozarządowa",
                "NGO",
                "Громадська організація",
                "منظمة غير حكومية",
            ),
        },
        {
            "list_name": "barrier",
            "name": "language",
            "label": ("Język", "Language", "Мова", "اللغة"),
        },
        {
            "list_name": "barrier",
            "name": "law",
            "label": ("Przepisy", "Regulations", "Законодавство", "اللوائح"),
        },
        {
            "list_name": "barrier",
            "name": "staff",
            "label": ("Brak kadry", "Too few staff", "Брак персоналу", "نقص الموظفين"),
        },
        *YES_NO,
    ]
    settings = {
        "form_title": "Diagnoza: ankieta dla instytucji",
        "form_id": "institution_diagnosis",
        "default_language": LANGS[0],
    }
    return xlsform_bytes(survey, choices, settings)


def benchmark_survey(questions: int = 60) -> bytes:
    """A long form with skip logic on every other question (the benchmark's)."""
    rows: list[Row] = [
        {
            "type": "begin_group",
            "name": "all",
            "appearance": "field-list",
            "label": ("A", "A", "A", "A"),
        }
    ]
    for n in range(questions):
        if n % 3 == 0:
            row: Row = {"type": "select_one yes_no", "name": f"q{n}", "required": "yes"}
        elif n % 3 == 1:
            row = {
                "type": "integer",
                "name": f"q{n}",
                "constraint": ". >= 0 and . < 1000",
                "relevant": f"${{q{n - 1}}} = 'yes'",
            }
        else:
            row = {
                "type": "text",
                "name": f"q{n}",
                "relevant": f"${{q{n - 1}}} > 10 or string-length(${{q{n - 2}}}) > 0",
            }
        row["label"] = tuple(f"Question {n}" for _lang in LANGS)
        rows.append(row)
    rows.append({"type": "end_group", "name": ""})
    return xlsform_bytes(rows, YES_NO, {"form_title": "Benchmark", "form_id": "bench"})
