"""Compile every gettext catalogue (.po -> .mo) in pure Python, so no gettext install is needed.

CI additionally runs Django's `compilemessages` (GNU msgfmt) as a stricter check.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def catalogues() -> list[Path]:
    return sorted(p for base in (ROOT / "locale", ROOT / "mosty") for p in base.rglob("*.po"))


def main() -> int:
    count = 0
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    print(f"compiled {count} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
