"""The documentation stays inside the repository and names files that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)")
# `mosty/core/citypack.py`, `tests/access/test_matrix.py`: a path in backticks.
PATH = re.compile(r"`((?:mosty|tests|docs|benchmarks|packs|requirements)/[\w./-]+)`")
# The walk-through in developing.md builds a module that does not exist yet.
EXAMPLES = ("mosty/assistance", "tests/assistance", "mosty/access/domains/assistance.py")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_and_paths_in_the_docs_exist(page: Path):
    text = page.read_text(encoding="utf-8")
    missing = [
        target
        for target in LINK.findall(text)
        if "://" not in target and not (page.parent / target).exists()
    ]
    missing += [
        path
        for path in PATH.findall(text)
        if not path.startswith(EXAMPLES) and not (ROOT / path.rstrip("/")).exists()
    ]
    assert missing == []


def test_nothing_refers_to_design_notes_outside_the_repository():
    # The design map and style notes used to live beside the repository; what the code needs
    # of them is in docs/ now.
    files = [*PAGES, *(ROOT / "mosty").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    outside = re.compile(r"\b(DESIGN|STYLE)(\.md| §)")
    found = [
        str(f.relative_to(ROOT))
        for f in files
        if f != Path(__file__) and outside.search(f.read_text(encoding="utf-8"))
    ]
    assert found == []
