"""The shape of the code: no import cycles, and layers that depend one way only.

A cycle hidden behind a function-local import still breaks start-up the day someone moves the
import to the top of the file, and makes the order modules load in matter; the layers keep
what is below (core, the policy, models) from depending on what is above (services, pages).
The contracts are in pyproject.toml (`[tool.importlinter]`); docs/architecture.md explains them.
"""

from __future__ import annotations

from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_itself_round_a_loop():
    # Every import counts, also one inside a function: that is where cycles used to hide.
    graph = grimp.build_graph("mosty", cache_dir=None, exclude_type_checking_imports=True)
    # A package importing its own submodules (an __init__ re-exporting them) is not a loop.
    for module in list(graph.modules):
        for child in graph.find_children(module):
            if graph.direct_import_exists(importer=module, imported=child):
                graph.remove_import(importer=module, imported=child)
    assert strongly_connected(graph) == []


def test_import_contracts_hold(capsys):
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_cycle_finder_finds_a_loop():
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.three")
    graph.add_import(importer="a.three", imported="a.one")
    assert strongly_connected(graph) == [["a.one", "a.three", "a.two"]]


def test_mypy_baseline_switches_off_only_the_codes_a_module_breaks():
    from mosty.tools.mypy_baseline import baseline

    out = baseline(
        [
            "mosty/cases/views.py:3: error: no attribute  [attr-defined]",
            "mosty/cases/views.py:9: error: wrong type  [assignment]",
            "mosty/people/__init__.py:1: error: wrong type  [assignment]",
            "mosty/cases/views.py: note: not an error",
        ]
    )
    assert (
        'module = ["mosty.cases.views"]\ndisable_error_code = ["assignment", "attr-defined"]' in out
    )
    assert 'module = ["mosty.people"]\ndisable_error_code = ["assignment"]' in out
    assert out.count("[[tool.mypy.overrides]]") == 2


def test_every_app_with_services_is_held_to_the_app_layers():
    # A new module is checked only once it is listed among the contract's containers.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "app-layers"
    )
    apps = {
        f"mosty.{path.parent.name}"
        for path in (ROOT / "mosty").glob("*/*.py")
        if path.stem in {"services", "tasks", "views", "api"}
    }
    assert apps - set(contract["containers"]) == set()
