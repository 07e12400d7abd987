"""`mosty survey_import FORM.xlsx`: check an XLSForm, and import it as a survey (or a new
version of one) on behalf of a researcher."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mosty.core.uploads import check_size


class Command(BaseCommand):
    help = "Check an XLSForm with pyxform and import it as a survey (or a new version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", help="e-mail of the researcher importing (needed to import)")
        parser.add_argument("--organisation", type=int, help="id of the owning organisation")
        parser.add_argument("--title", help="title of the new survey (default: the form's)")
        parser.add_argument("--audience", default="migrants")
        parser.add_argument("--survey", type=int, help="add a new version to this survey")
        parser.add_argument("--check", action="store_true", help="only check; write nothing")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        from mosty.accounts.models import User
        from mosty.organisations.models import Organisation
        from mosty.research import services
        from mosty.research.models import Survey
        from mosty.research.xlsform import analyse, problem_messages, read_xlsform

        path = Path(file)
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            check_size(path.stat().st_size)
            content = path.read_bytes()
            definition = read_xlsform(content, path.name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        analysis = analyse(definition)
        for line in problem_messages(analysis.unsupported):
            self.stderr.write(f"will not work: {line}")
        for line in problem_messages(analysis.ignored):
            self.stderr.write(f"ignored: {line}")
        languages = ", ".join(lang["key"] for lang in analysis.languages)
        self.stdout.write(f"{path.name}: pyxform accepts it; languages: {languages}")
        if options["check"]:
            return
        user = User.objects.filter(email__iexact=options["user"] or "").first()
        if user is None:
            raise CommandError("Give --user, the e-mail of the researcher importing the form.")
        try:
            if options["survey"]:
                survey = Survey.objects.get(pk=options["survey"])
                version = services.form_version_add(
                    survey=survey, content=content, filename=path.name, by=user
                )
                self.stdout.write(f"survey {survey.pk}: version {version.number} imported")
                return
            organisation = Organisation.objects.get(pk=options["organisation"])
            survey = services.survey_create(
                organisation=organisation,
                title=options["title"] or str(definition.get("title") or path.stem),
                audience=options["audience"],
                content=content,
                filename=path.name,
                by=user,
            )
        except (Survey.DoesNotExist, Organisation.DoesNotExist) as exc:
            raise CommandError("No such survey or organisation.") from exc
        except PermissionDenied as exc:
            raise CommandError("This user may not run surveys for that organisation.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"survey {survey.pk} imported ({survey.slug})")
