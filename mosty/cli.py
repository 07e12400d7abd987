"""The `mosty` command: Mosty's own commands plus every `manage.py` command.

`mosty demo`, `mosty seed`, `mosty init-city PACK`, `mosty bench [NAME]`, `mosty worker`,
`mosty backup FILE` and `mosty restore FILE` are Django management commands; a hyphen in the
name is read as an underscore.
"""

import os
import sys

ALIASES: dict[str, str] = {}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mosty.settings")
    if argv and not argv[0].startswith("-"):
        argv[0] = ALIASES.get(argv[0], argv[0].replace("-", "_"))
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["mosty", *argv])
    except ImproperlyConfigured as exc:
        print(f"mosty: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
