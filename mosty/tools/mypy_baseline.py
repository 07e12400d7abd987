"""Turn mypy's errors into baseline entries for pyproject.toml.

    .venv/bin/mypy | .venv/bin/python -m mosty.tools.mypy_baseline

prints one `[[tool.mypy.overrides]]` block per module that has errors, switching off only the
error codes it breaks. For code that predates the type check (docs/developing.md): new code is
fixed instead, and a module that is fixed is deleted from the baseline.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable

ERROR = re.compile(r"^(?P<file>mosty/\S+)\.py:\d+: error: .*\[(?P<code>[a-z-]+)\]$")


def baseline(lines: Iterable[str]) -> str:
    codes: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        match = ERROR.match(line.strip())
        if match:
            module = match["file"].removesuffix("/__init__").replace("/", ".")
            codes[module].add(match["code"])
    blocks = [
        f'[[tool.mypy.overrides]]\nmodule = ["{module}"]\n'
        f"disable_error_code = [{', '.join(f'{c!r}' for c in sorted(found))}]\n".replace("'", '"')
        for module, found in sorted(codes.items())
    ]
    return "\n".join(blocks)


def main() -> None:
    sys.stdout.write(baseline(sys.stdin))


if __name__ == "__main__":
    main()
