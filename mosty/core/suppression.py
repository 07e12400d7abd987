"""Small-cell suppression of a published table of counts of people.

A table of counts (rows × columns, with row totals, column totals and a grand total) is
published with:

- **primary suppression**: no cell or total between 1 and `min_cell - 1` is shown (zero is
  shown: "nobody" reveals no one);
- **complementary suppression**: more cells are hidden until no primary-suppressed cell can be
  worked out from what is shown. "Worked out" is checked as an attacker would: the hidden
  values are unknowns, the shown cells and totals give linear equations, every count is at
  least zero, and every row and column the table lists holds at least one person (a line is
  listed because somebody is in it: seven listed districts under a total of 7 hold one person
  each); for each primary cell the smallest and largest value consistent with everything
  shown are computed (two linear programmes). The cell is safe when that range is wider than
  one value and reaches `min_cell` (so nobody can even tell that the count is small).

Tables that count the same people by different rows under the same columns (district ×
gender, age × gender) are one `Table` of several blocks: they share the column totals and the
grand total, so a total hidden in one is hidden in all, and what one table shows is weighed
against the others (the attacker reads them side by side).

For each exposed cell the cheapest protection that works is hidden: the other three corners of
a rectangle through it, or for a small total another whole line; failing that, the cheapest
neighbour, and the search goes on (it ends, at worst with everything hidden).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from scipy.optimize import linprog

Key = Hashable
# A variable of the table: ("cell", row, col), ("row", row), ("col", col), ("all",).
Var = tuple[Hashable, ...]


@dataclass
class Table:
    rows: list[Key]
    cols: list[Key]
    cells: dict[tuple[Key, Key], int]
    hidden: set[Var] = field(default_factory=set)
    primary: set[Var] = field(default_factory=set)
    # Groups of rows, each adding up to the same column totals (one block per table counted
    # together); empty: all rows are one block.
    blocks: list[list[Key]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.blocks:
            self.blocks = [list(self.rows)]
        self._block_of = {r: i for i, block in enumerate(self.blocks) for r in block}

    def block(self, row: Key) -> list[Key]:
        return self.blocks[self._block_of[row]]

    def floor(self, var: Var) -> int:
        """The least value the attacker knows `var` has: a listed row or column holds
        somebody (a cell may be zero)."""
        return 0 if var[0] == "cell" else min(1, self.value(var))

    def variables(self) -> list[Var]:
        found: list[Var] = [("cell", r, c) for r in self.rows for c in self.cols]
        found += [("row", r) for r in self.rows]
        found += [("col", c) for c in self.cols]
        return [*found, ("all",)]

    def value(self, var: Var) -> int:
        kind = var[0]
        if kind == "cell":
            return self.cells.get((var[1], var[2]), 0)
        if kind == "row":
            return sum(self.cells.get((var[1], c), 0) for c in self.cols)
        if kind == "col":
            return sum(self.cells.get((r, var[1]), 0) for r in self.blocks[0])
        return sum(self.cells.get((r, c), 0) for r in self.blocks[0] for c in self.cols)

    def shown(self, var: Var) -> int | None:
        """What the published table says (None: suppressed)."""
        return None if var in self.hidden else self.value(var)

    def equations(self) -> list[dict[Var, int]]:
        """Each row's and column's cells add up to its total (a column once per block); the
        totals to the grand total."""
        found: list[dict[Var, int]] = []
        for r in self.rows:
            found.append({**{("cell", r, c): 1 for c in self.cols}, ("row", r): -1})
        for block in self.blocks:
            for c in self.cols:
                found.append({**{("cell", r, c): 1 for r in block}, ("col", c): -1})
            found.append({**{("row", r): 1 for r in block}, ("all",): -1})
        found.append({**{("col", c): 1 for c in self.cols}, ("all",): -1})
        return found


def feasible_range(table: Table, target: Var) -> tuple[float, float]:
    """The smallest and largest value of hidden `target` consistent with what is shown."""
    hidden = sorted(table.hidden, key=repr)
    index = {var: i for i, var in enumerate(hidden)}
    a_eq, b_eq = [], []
    for equation in table.equations():
        row = np.zeros(len(hidden))
        constant = 0.0
        for var, coefficient in equation.items():
            if var in index:
                row[index[var]] += coefficient
            else:
                constant += coefficient * table.value(var)
        if row.any():
            a_eq.append(row)
            b_eq.append(-constant)
    objective = np.zeros(len(hidden))
    objective[index[target]] = 1.0
    bounds = [(table.floor(var), None) for var in hidden]
    low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    lowest = low.fun if low.status == 0 else 0.0
    highest = -high.fun if high.status == 0 else float("inf")  # unbounded: fully protected
    return lowest, highest


def exposed(table: Table, var: Var, min_cell: int) -> bool:
    lowest, highest = feasible_range(table, var)
    return highest - lowest < 1 - 1e-9 or highest < min_cell - 1e-9


def _options(table: Table, var: Var) -> list[set[Var]]:
    """Ways to protect `var`, cheapest first: for a cell, the three other corners of a
    rectangle through it (so every row and column it touches keeps two unknowns); then any
    shown variable sharing an equation with it, alone."""
    options: list[set[Var]] = []
    if var[0] == "cell":
        _kind, r, c = var
        for other_r in table.block(r):
            for other_c in table.cols:
                if other_r != r and other_c != c:
                    corners: set[Var] = {
                        ("cell", r, other_c),
                        ("cell", other_r, c),
                        ("cell", other_r, other_c),
                    }
                    options.append(corners - table.hidden)
    elif var[0] in ("row", "col"):
        # A small total: hide another line of the same direction, total and cells, so that
        # neither follows from the grand total and the other lines.
        others = table.block(var[1]) if var[0] == "row" else table.cols
        for other in others:
            if other == var[1]:
                continue
            line = (
                [("cell", other, c) for c in table.cols]
                if var[0] == "row"
                else [("cell", r, other) for r in table.rows]
            )
            options.append({(var[0], other), *line} - table.hidden)
    for equation in table.equations():
        if var in equation:
            options.extend({v} for v in equation if v not in table.hidden)
    options = [option for option in options if option]

    def cost(option: set[Var]) -> tuple[int, int, int]:
        # Fewest people hidden, then fewest totals hidden, then fewest cells.
        return (
            sum(table.value(v) for v in option),
            sum(1 for v in option if v[0] != "cell"),
            len(option),
        )

    return sorted(options, key=lambda option: (cost(option), sorted(map(repr, option))))


def suppress(
    rows: Sequence[Key],
    cols: Sequence[Key],
    cells: Mapping[Any, int],
    min_cell: int,
    blocks: Sequence[Sequence[Key]] = (),
) -> Table:
    """The table with its small counts protected (`Table.hidden`). `blocks`: the rows grouped
    by the table they belong to, when several tables count the same people (rows must then
    be distinct keys across blocks, e.g. (table, row))."""
    table = Table(list(rows), list(cols), dict(cells), blocks=[list(b) for b in blocks])
    table.primary = {v for v in table.variables() if 0 < table.value(v) < min_cell}
    table.hidden = set(table.primary)
    # Each step hides at least one more variable; there are finitely many, so this ends (at
    # worst with everything hidden).
    while True:
        # Totals first: a cell cannot be protected while its line's small total is known.
        at_risk = [
            v
            for v in sorted(table.primary, key=lambda v: (v[0] == "cell", repr(v)))
            if exposed(table, v, min_cell)
        ]
        if not at_risk:
            return table
        var = at_risk[0]
        options = _options(table, var)
        if not options:
            table.hidden.update(table.variables())
            return table
        chosen = options[0]
        for option in options:
            table.hidden |= option
            safe = not exposed(table, var, min_cell)
            table.hidden -= option
            if safe:
                chosen = option
                break
        table.hidden |= chosen


K = TypeVar("K", bound=Hashable)


def suppress_column(counts: Mapping[K, Any], min_cell: int) -> dict[K, int | None]:
    """A one-column table of counts of people (one breakdown: keys and their counts, under a
    published total equal to their sum) suppressed in closed form: `suppress` on such a table
    solves linear programmes cell by cell, which takes minutes for a breakdown by country.

    With the total shown, the hidden cells are known only to add up to the total less the
    shown ones (S), and a listed key with somebody in it to hold at least one (F of the hidden
    keys do): with two or more hidden, each lies anywhere from its least value to that plus
    S - F. A small cell is therefore safe when at least two cells are hidden and S - F + 1
    reaches `min_cell`: the small cells are hidden, then the cheapest others (zeros first,
    then the fewest people; ties in key order) until both hold. A small total hides
    everything."""
    values = {key: int(value) for key, value in counts.items()}
    total = sum(values.values())
    if 0 < total < min_cell:
        return dict.fromkeys(values)
    hidden = {key for key, value in values.items() if 0 < value < min_cell}
    if hidden:
        order = list(values)
        others = sorted(
            (key for key in values if key not in hidden),
            key=lambda key: (values[key], order.index(key)),
        )
        for key in others:
            slack = sum(values[k] - 1 for k in hidden if values[k] > 0)
            if len(hidden) >= 2 and slack + 1 >= min_cell:
                break
            hidden.add(key)
    return {key: None if key in hidden else value for key, value in values.items()}
