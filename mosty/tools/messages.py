"""Extract and check gettext catalogues.

Catalogues: the project's in `locale/` (everything under `mosty/` except apps with their own
`locale/` folder) and one per such app in `mosty/<app>/locale/`.

    python -m mosty.tools.messages extract [project|APP]  # update .po files from the source
    python -m mosty.tools.messages check     # fail on missing, stale, untranslated or fuzzy
                                             # entries, on one string translated two ways,
                                             # on what GNU msgfmt refuses and on French
                                             # punctuation after a plain space

At run time the project's catalogue wins over the apps', and an app listed earlier in
INSTALLED_APPS over a later one: the same string translated differently in two catalogues shows
one of the translations everywhere. Where the meaning differs ("Name" of a person or of a
service), give the string a context (`pgettext_lazy("person", "Name")`,
`{% translate "Name" context "person" %}`); where it does not, translate it the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]


def app_catalogue_dirs(root: Path = ROOT) -> list[Path]:
    return sorted(p.parent for p in (root / "mosty").glob("*/locale") if p.is_dir())


def _makemessages(cwd: Path, ignore: list[str]) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mosty.settings", "PYTHONPATH": str(ROOT)}
    # -P: do not put the app folder on sys.path (its selectors.py would hide the stdlib module).
    cmd = [
        sys.executable,
        "-P",
        "-m",
        "django",
        "makemessages",
        "--no-obsolete",
        "--no-location",
        *[f"-l{code}" for code in LANGUAGES],
        *[f"--ignore={pattern}" for pattern in ignore],
    ]
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)


def extract(root: Path = ROOT, *, only: str | None = None) -> None:
    """Update catalogues; `only` = "project" or an app name limits it to one catalogue."""
    app_dirs = app_catalogue_dirs(root)
    (root / "locale").mkdir(exist_ok=True)
    if only in (None, "project"):
        # Run from the repository root so makemessages writes to its locale/ folder.
        _makemessages(
            root,
            [
                "var/*",
                ".venv/*",
                "tests/*",
                "benchmarks/*",
                "mosty/static/*",
                "*/static/*",
                *[f"mosty/{d.name}/*" for d in app_dirs],
            ],
        )
    for app_dir in app_dirs:
        if only in (None, app_dir.name):
            _makemessages(app_dir, ["static/*"])


def _msgids(po: polib.POFile) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in po if not e.obsolete}


def check() -> list[str]:
    """Problems found; empty when every catalogue is complete and in sync with the source."""
    if shutil.which("xgettext") is None:
        raise RuntimeError("xgettext is not installed (apt-get install gettext)")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT / "mosty",
            copy / "mosty",
            ignore=shutil.ignore_patterns("*.mo", "__pycache__", "static"),
        )
        (copy / "locale").mkdir()
        for po_file in copy.rglob("*.po"):
            po_file.unlink()
        extract(copy)
        pairs = [(copy / "locale", ROOT / "locale")] + [
            (copy / "mosty" / d.name / "locale", d / "locale") for d in app_catalogue_dirs()
        ]
        for fresh_dir, kept_dir in pairs:
            for code in LANGUAGES:
                rel = Path(code) / "LC_MESSAGES" / "django.po"
                kept_path = kept_dir / rel
                fresh_path = fresh_dir / rel
                if not fresh_path.exists():
                    continue
                name = kept_path.relative_to(ROOT)
                if not kept_path.exists():
                    problems.append(f"{name}: missing catalogue")
                    continue
                kept, fresh = polib.pofile(str(kept_path)), polib.pofile(str(fresh_path))
                if kept.metadata_is_fuzzy:
                    problems.append(
                        f"{name}: the header is marked fuzzy (remove '#, fuzzy' at the top)"
                    )
                for _ctx, msgid in sorted(_msgids(fresh) - _msgids(kept)):
                    problems.append(f"{name}: no entry for {msgid[:70]!r}")
                for _ctx, msgid in sorted(_msgids(kept) - _msgids(fresh)):
                    problems.append(f"{name}: stale entry {msgid[:70]!r} (no longer in the source)")
                problems += _msgfmt_problems(kept_path, name)
                for entry in kept:
                    if entry.obsolete:
                        continue
                    if "fuzzy" in entry.flags:
                        problems.append(f"{name}: fuzzy {entry.msgid[:70]!r}")
                    elif not entry.translated():
                        problems.append(f"{name}: untranslated {entry.msgid[:70]!r}")
                    else:
                        problems += _typography_problems(code, entry, name)
    return problems + conflicts()


# French sets a non-breaking space before : ; ? ! and inside « »: a plain one lets a line
# break leave the mark alone at the start of the next line (and reviewers asked for it).
_FRENCH_PLAIN_SPACE = re.compile(r"(?<=\S) (?=[:;?!»])|« ")


def _typography_problems(code: str, entry: polib.POEntry, name: Path) -> list[str]:
    if code != "fr":
        return []
    texts = [entry.msgstr, *entry.msgstr_plural.values()]
    if any(_FRENCH_PLAIN_SPACE.search(text) for text in texts):
        return [f"{name}: a plain space before : ; ? ! or inside « » in {entry.msgid[:60]!r}"]
    return []


def _msgfmt_problems(path: Path, name: Path) -> list[str]:
    """What GNU msgfmt (Django's `compilemessages`) refuses: syntax it does not read (a
    `#| msgctxt` without `#| msgid` once stopped it) and format strings a translation
    changed."""
    run = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    if run.returncode == 0:
        return []
    return [f"{name}: msgfmt: {line}" for line in run.stderr.splitlines() if "fatal" not in line]


def conflicts(root: Path = ROOT) -> list[str]:
    """Strings (with the same context) translated differently in two catalogues."""
    problems = []
    dirs = [root / "locale"] + [d / "locale" for d in app_catalogue_dirs(root)]
    for code in LANGUAGES:
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for locale_dir in dirs:
            path = locale_dir / code / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            where = str(path.relative_to(root))
            for e in polib.pofile(str(path)):
                if e.obsolete or e.msgid_plural or not e.msgstr:
                    continue
                seen.setdefault((e.msgctxt or "", e.msgid), {})[where] = e.msgstr
        for (ctx, msgid), found in sorted(seen.items()):
            if len(set(found.values())) > 1:
                label = f"{ctx}|{msgid}" if ctx else msgid
                ways = "; ".join(f"{w}: {t!r}" for w, t in found.items())
                problems.append(f"{code}: {label[:60]!r} is translated two ways ({ways})")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["extract"]:
        extract(only=argv[1] if len(argv) > 1 else None)
        return 0
    if argv[:1] == ["check"]:
        problems = check()
        print("\n".join(problems) or "all catalogues complete")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
