"""Small-cell suppression holds: an attacker who knows the published table (cells, row and
column totals, grand total), that counts are whole numbers of at least zero and that a listed
row or column holds somebody cannot recover a suppressed small cell, neither from differences
of totals nor by any other combination."""

import random

import pytest

from mosty.core.suppression import Table, exposed, feasible_range, suppress, suppress_column

MIN = 5


def _published(table):
    """What anyone sees: every variable's value or None."""
    return {var: table.shown(var) for var in table.variables()}


def _by_differences(table, published):
    """The textbook attack: a hidden cell alone in its row (or column) is the total minus the
    others; repeat while it reveals more."""
    known = {v: x for v, x in published.items() if x is not None}
    changed = True
    while changed:
        changed = False
        for equation in table.equations():
            unknown = [v for v in equation if v not in known]
            if len(unknown) == 1:
                (var,) = unknown
                total = -sum(c * known[v] for v, c in equation.items() if v in known)
                known[var] = total // equation[var]
                changed = True
    return known


def _brute_force(table, published, var):
    """Every whole-number value of `var` consistent with the published table: a search over
    the hidden cells, cell by cell, dropping a branch as soon as a shown total is exceeded or
    missed. The totals are sums of cells, so they follow."""
    hidden = [v for v in table.variables() if v[0] == "cell" and published[v] is None]
    grand = published[("all",)] if published[("all",)] is not None else sum(table.cells.values())
    lines = [t for t in table.variables() if t[0] != "cell" and published[t] is not None]

    def members(line):
        if line[0] == "row":
            return [("cell", line[1], c) for c in table.cols]
        if line[0] == "col":
            return [("cell", r, line[1]) for r in table.rows]
        return [("cell", r, c) for r in table.rows for c in table.cols]

    line_cells = {line: members(line) for line in lines}
    values = set()

    def search(i, assigned):
        for line, cells in line_cells.items():
            known = [assigned.get(c, published[c]) for c in cells]
            total = sum(x for x in known if x is not None)
            if total > published[line] or (None not in known and total != published[line]):
                return
        if i == len(hidden):
            candidate = {v: assigned.get(v, published[v]) for v in table.variables()}
            # A listed line holds somebody: the page lists the districts people live in.
            for line in table.variables():
                if line[0] in ("row", "col") and table.value(line) > 0:
                    if sum(candidate[c] for c in members(line)) < 1:
                        return
            if var[0] == "cell":
                values.add(candidate[var])
            else:
                values.add(sum(candidate[c] for c in members(var)))
            return
        cell = hidden[i]
        upper, forced = grand, None
        for line, cells in line_cells.items():
            if cell not in cells:
                continue
            rest = [c for c in cells if c != cell]
            known = [assigned.get(c, published[c]) for c in rest]
            left = published[line] - sum(x for x in known if x is not None)
            upper = min(upper, left)
            if None not in known:
                forced = left
        if upper < 0:
            return
        for guess in [forced] if forced is not None else range(upper + 1):
            if 0 <= guess <= upper:
                search(i + 1, {**assigned, cell: guess})

    search(0, {})
    return values


def _check(rows, cols, cells):
    table = suppress(rows, cols, cells, MIN)
    published = _published(table)
    small = [v for v in table.variables() if 0 < table.value(v) < MIN]
    assert small, "the example must have a small cell"
    for var in small:
        assert published[var] is None, f"{var} is published"
    recovered = _by_differences(table, published)
    for var in small:
        assert var not in recovered, f"{var} = {recovered.get(var)} recovered from totals"
    return table, published, small


def test_one_small_cell_needs_three_more_hidden():
    rows, cols = ["Śródmieście", "Wrzeszcz", "Oliwa"], ["female", "male"]
    cells = {
        ("Śródmieście", "female"): 3,
        ("Śródmieście", "male"): 12,
        ("Wrzeszcz", "female"): 9,
        ("Wrzeszcz", "male"): 14,
        ("Oliwa", "female"): 20,
        ("Oliwa", "male"): 11,
    }
    table, published, small = _check(rows, cols, cells)
    # A single hidden cell in a row would be its total minus the rest: at least a 2x2 block.
    assert sum(1 for v in published if v[0] == "cell" and published[v] is None) >= 4
    for var in small:
        possible = _brute_force(table, published, var)
        assert len(possible) > 1 and max(possible) >= MIN, (var, possible)
    # Everything not needed stays published.
    assert published[("all",)] == sum(cells.values())


def test_a_small_total_is_hidden_with_its_cells():
    rows, cols = ["a", "b", "c"], ["x", "y"]
    cells = {
        ("a", "x"): 1,
        ("a", "y"): 2,
        ("b", "x"): 10,
        ("b", "y"): 7,
        ("c", "x"): 6,
        ("c", "y"): 9,
    }
    table, published, small = _check(rows, cols, cells)
    assert published[("row", "a")] is None
    for var in small:
        if var[0] == "cell":
            possible = _brute_force(table, published, var)
            assert len(possible) > 1, (var, possible)


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_leak_no_small_cell(seed):
    rng = random.Random(seed)
    rows = [f"r{i}" for i in range(rng.randint(2, 4))]
    cols = [f"c{j}" for j in range(rng.randint(2, 3))]
    cells = {(r, c): rng.choice([0, 1, 2, 3, 4, 6, 8, 11, 15]) for r in rows for c in cols}
    cells[(rows[0], cols[0])] = rng.randint(1, MIN - 1)
    table, published, small = _check(rows, cols, cells)
    # The linear-programming bound the module uses is what an attacker gets at best.
    for var in small:
        low, high = feasible_range(table, var)
        assert high - low >= 1 and high >= MIN, (var, low, high)


def test_the_suppression_is_not_a_no_op():
    """Without complementary suppression the differences attack does recover the cell: the
    check above can fail."""
    rows, cols = ["a", "b"], ["x", "y"]
    cells = {("a", "x"): 2, ("a", "y"): 10, ("b", "x"): 10, ("b", "y"): 10}
    table = suppress(rows, cols, cells, MIN)
    naive = {v: (None if v == ("cell", "a", "x") else table.value(v)) for v in table.variables()}
    assert _by_differences(table, naive)[("cell", "a", "x")] == 2


@pytest.mark.parametrize("seed", range(40))
def test_a_breakdowns_column_suppressed_in_closed_form_gives_nothing_away(seed):
    """`suppress_column` (one breakdown of the city report): no small count can be worked out
    from what it shows and the total, as the linear programmes of `exposed` check; and it
    hides only what it must (a column with no small count is shown whole)."""
    rng = random.Random(seed)
    counts = {
        f"k{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 40]) for i in range(rng.randint(1, 9))
    }
    shown = suppress_column(counts, MIN)
    table = Table(list(counts), ["n"], {(k, "n"): v for k, v in counts.items()})
    table.hidden = {("cell", k, "n") for k, v in shown.items() if v is None}
    table.hidden |= {("row", k) for k, v in shown.items() if v is None}
    if all(v is None for v in shown.values()):
        table.hidden |= {("col", "n"), ("all",)}
    for key, value in counts.items():
        if 0 < value < MIN:
            assert shown[key] is None
            assert not exposed(table, ("cell", key, "n"), MIN), (counts, shown)
        elif shown[key] is not None:
            assert shown[key] == value
    if not any(0 < v < MIN for v in counts.values()):
        assert shown == counts


def test_one_man_among_five_women_hides_both():
    assert suppress_column({"female": 5, "male": 1}, MIN) == {"female": None, "male": None}
    assert suppress_column({"female": 9, "male": 1, "other": 0, "x": 6}, MIN) == {
        "female": 9,
        "male": None,
        "other": None,
        "x": None,
    }


def test_listed_lines_with_one_person_each_give_nobody_away():
    """Seven districts listed under a total of 7 hold one person each, whatever is hidden:
    the zero beside a hidden count would then tell that person's gender. Found on the public
    statistics of the demo city."""
    rows = [f"district {i}" for i in range(7)]
    cols = ["female", "male"]
    cells = {(r, "female" if i % 2 else "male"): 1 for i, r in enumerate(rows)}
    cells.update({(r, "male" if i % 2 else "female"): 0 for i, r in enumerate(rows)})
    table, published, small = _check(rows, cols, cells)
    # Seven listed districts under a published 7 would pin each at one.
    assert published[("all",)] is None
    for var in small:
        low, high = feasible_range(table, var)
        assert high - low >= 1 and high >= MIN, (var, low, high)


@pytest.mark.parametrize("seed", range(12))
def test_tables_of_the_same_people_are_protected_together(seed):
    """District × gender and age × gender count the same people: one table of two blocks,
    whose shared column totals and grand total are hidden in both or in neither, and no
    small count can be worked out from the two read side by side."""
    rng = random.Random(seed)
    people = [(rng.randint(0, 3), rng.randint(0, 2), rng.choice("fm")) for _ in range(25)]
    cells = {}
    for district, age, gender in people:
        for key in (("district", district), ("age", age)):
            cells[(key, gender)] = cells.get((key, gender), 0) + 1
    blocks = [sorted({r for r, _c in cells if r[0] == kind}) for kind in ("district", "age")]
    cols = sorted({c for _r, c in cells})
    table = suppress([r for b in blocks for r in b], cols, cells, MIN, blocks=blocks)
    published = _published(table)
    for block in blocks:
        assert sum(table.value(("cell", r, c)) for r in block for c in cols) == len(people)
    small = [v for v in table.variables() if 0 < table.value(v) < MIN]
    recovered = _by_differences(table, published)
    for var in small:
        assert published[var] is None and var not in recovered, var
        low, high = feasible_range(table, var)
        assert high - low >= 1 and high >= MIN, (var, low, high)
