import pytest
from django.urls import reverse

from mosty.people.search import build_search_key, name_skeletons
from mosty.people.selectors import participant_list
from tests.people.factories import ParticipantFactory


@pytest.mark.parametrize(
    "variants",
    [
        ["Oleksandr", "Aleksandr", "Олександр", "Александр", "Aliaksandr", "Alexander"],
        ["Shevchenko", "Szewczenko", "Шевченко", "Ševčenko"],
        ["Yevhen", "Evgeniy", "Євген", "Евгений"],
        ["Kharkiv", "Harkiv", "Харків"],
        ["Mohammad", "Muhammed", "Mohamed"],
    ],
)
def test_spelling_variants_share_a_skeleton(variants):
    skeletons = {tuple(name_skeletons(v)) for v in variants}
    assert len(skeletons) == 1, skeletons


def test_different_names_differ():
    assert name_skeletons("Olena") != name_skeletons("Oleksandr")
    assert name_skeletons("Petro") != name_skeletons("Pavlo")


def test_search_key_holds_names_and_phone():
    key = build_search_key("Olena", "Бондар", phone="+48 (601) 234-567")
    assert key.startswith(" ") and key.endswith(" ")
    assert " aln " in key and " bndr " in key and " #601234567 " in key


@pytest.mark.parametrize(
    "query", ["Aleksandr", "Олександр", "oleks", "Александр Коваленко", "601 234 567", "Kovalenko"]
)
def test_participant_found_under_any_spelling(world, query):
    coordinator = world.user("coordinator", "a")
    wanted = ParticipantFactory(
        owner=world.org_a, first_name="Oleksandr", last_name="Kovalenko", first_name_original=""
    )
    ParticipantFactory(
        owner=world.org_a, first_name="Olena", last_name="Bondar", first_name_original="", phone=""
    )
    found = list(participant_list(fetched_by=coordinator, filters={"q": query}))
    assert found == [wanted]


def test_search_by_code_and_birth_year(world):
    coordinator = world.user("coordinator", "a")
    p = ParticipantFactory(owner=world.org_a, birth_year=1980)
    ParticipantFactory(owner=world.org_a, birth_year=2001)
    assert list(participant_list(fetched_by=coordinator, filters={"q": p.code})) == [p]
    assert list(participant_list(fetched_by=coordinator, filters={"q": p.code[:8]})) == [p]
    by_year = participant_list(fetched_by=coordinator, filters={"birth_year": 1981})
    assert list(by_year) == [p]


@pytest.mark.parametrize(
    "variants",
    [
        ["Omar", "Umar"],
        ["Yulia", "Юлія", "Iuliia", "Julia"],
        ["Ihor", "Igor", "Ігор"],
        ["Olena", "Олена", "Elena", "Yelena", "Елена"],
        ["Yevhen", "Ievgen", "Evgenii", "Євген"],
        ["Yaroslav", "Jarosław", "Ярослав"],
    ],
)
def test_first_vowel_variants_still_share_a_skeleton(variants):
    assert len({tuple(name_skeletons(v)) for v in variants}) == 1


@pytest.mark.parametrize(
    ("query", "other"),
    [
        ("Олена", "Louise Ilunga"),  # seen on the demo: "Олена" found "Louise Ilunga"
        ("Olena", "Ilunga"),
        ("Ігор", "Agora Ahr"),
        ("Ivan", "Evan"),
    ],
)
def test_no_false_positive_across_first_vowels(world, query, other):
    coordinator = world.user("coordinator", "a")
    first, last = other.split(" ", 1) if " " in other else (other, "")
    ParticipantFactory(
        owner=world.org_a, first_name=first, last_name=last, first_name_original="", phone=""
    )
    assert list(participant_list(fetched_by=coordinator, filters={"q": query})) == []


def test_olena_is_found_in_either_script_and_not_confused(world):
    coordinator = world.user("coordinator", "a")
    olena = ParticipantFactory(
        owner=world.org_a, first_name="Olena", last_name="Shevchenko", first_name_original=""
    )
    ParticipantFactory(
        owner=world.org_a, first_name="Louise", last_name="Ilunga", first_name_original="", phone=""
    )
    for query in ("Олена", "Olena", "olen", "Олена Шевченко"):
        assert list(participant_list(fetched_by=coordinator, filters={"q": query})) == [olena]


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("+48 601 234 567", True),
        ("+48601234567", True),
        ("0048 601-234-567", True),
        ("(+48) 601.234.567", True),
        ("601 234", True),
        # Seen on the demo: an unknown number with its country code listed almost everyone.
        ("+48 999 999 999", False),
        ("+48511222333", False),
        ("+380 (50) 123-45-67", False),
    ],
)
def test_phone_with_country_code_matches_phone_numbers_only(world, login, query, finds):
    wanted = ParticipantFactory(owner=world.org_a, first_name="Oleksandr", phone="601 234 567")
    others = [
        ParticipantFactory(owner=world.org_a, first_name=name, phone=phone)
        for name, phone in (("Olena", ""), ("Petro", "+48 511 000 111"), ("Anna", "+48 48 511"))
    ]
    coordinator = world.user("coordinator", "a")
    found = list(participant_list(fetched_by=coordinator, filters={"q": query}))
    assert found == ([wanted] if finds else [])
    page = login("coordinator").get(reverse("people:list"), {"q": query}).content.decode()
    assert (wanted.code in page) is finds
    assert not any(other.code in page for other in others)
