"""`mosty hsds export FILE` / `mosty hsds import FILE --source NAME`: the directory as Open
Referral HSDS 3.0.

FILE ending in .zip is the tabular CSV data package, anything else HSDS JSON (any of its forms
on import). An import matches records only within its source; `--dry-run` prints what would be
created, updated and left alone and writes nothing.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Export or import the service directory as Open Referral HSDS 3.0 (JSON or CSV zip)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file")
        parser.add_argument(
            "--language", default="pl", help="language the imported descriptions are written in"
        )
        parser.add_argument(
            "--source",
            default="",
            help="where the data comes from (default: the file's name); a later import from "
            "the same source updates what this one created, nothing else is overwritten",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def handle(self, *args, action: str, file: str, language: str, **options):
        from mosty.directory import hsds

        path = Path(file)
        if action == "export":
            tables = hsds.export_tables()
            if path.suffix == ".zip":
                path.write_bytes(hsds.to_datapackage(tables))
            else:
                path.write_text(hsds.to_json(tables), encoding="utf-8")
            self.stdout.write(f"{len(tables['services']):,} services written to {path}")
            return
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        source = options["source"] or path.stem
        try:
            tables = hsds.parse_upload(path.name, path.read_bytes())
            report = hsds.hsds_import(
                tables=tables,
                by=None,
                source=source,
                language=language,
                preview=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except hsds.HsdsImportError as exc:
            for error in exc.report.errors[:100]:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.report.errors)} errors; nothing was imported.") from exc
        for warning in report.warnings:
            self.stderr.write(warning)
        prefix = "dry run, nothing written: " if report.preview else ""
        self.stdout.write(
            f"{prefix}{report.rows} rows from source {source!r}: created {dict(report.created)}, "
            f"updated {dict(report.updated)}, local records left alone {dict(report.left_alone)}"
        )
