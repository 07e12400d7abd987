"""Import of participants from CSV/XLSX: upload -> map and preview -> run -> progress."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mosty.access.audit import audit_read, audit_reads
from mosty.access.domains.people import participant_import_organisations
from mosty.access.policy import require
from mosty.core.pages import FormPage
from mosty.core.routing import Routes
from mosty.core.uploads import read_upload, validate_upload_size
from mosty.organisations.models import Organisation
from mosty.people import imports, selectors, services
from mosty.people.models import DuplicateChoice, ImportStatus

routes = Routes()

# Duplicates listed with a choice each; beyond this many the rest are skipped (and said so).
DUPLICATES_SHOWN = 500


class ImportUploadForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The first row holds the column names. At most 60,000 rows."),
        validators=[validate_upload_size],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = participant_import_organisations(user)
        self.fields["owner"].queryset = orgs
        if len(orgs) == 1:
            self.fields["owner"].initial = orgs[0].pk


class MappingForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only and skip rows with errors"), required=False
    )

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —")), *((str(i), h) for i, h in enumerate(headers))]
        for target, (label, _names) in imports.TARGETS.items():
            self.fields[f"map_{target}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
        self.order_fields([f"map_{t}" for t in imports.TARGETS] + ["valid_only"])

    def mapping(self) -> dict:
        return {
            name[4:]: int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value not in (None, "")
        }

    def clean(self):
        cleaned = super().clean()
        used = [v for k, v in cleaned.items() if k.startswith("map_") and v not in (None, "")]
        if len(used) != len(set(used)):
            raise ValidationError(_("Each column can be mapped to one field only."))
        if not any(
            cleaned.get(f"map_{t}") for t in ("first_name", "first_name_original", "last_name")
        ):
            raise ValidationError(_("Map at least the column with the first or last name."))
        return cleaned


@routes.path("import/", name="import")
class ImportUpload(FormPage):
    """A spreadsheet of participants, kept as an import job; the preview comes next."""

    permission = "participant.import"
    template_name = "people/import_upload.html"
    form_class = ImportUploadForm
    errors_beside = "file"

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.user}

    def save(self, form: Any) -> Any:
        upload = form.cleaned_data["file"]
        return services.participant_import_create(
            owner=form.cleaned_data["owner"],
            by=self.user,
            filename=upload.name,
            content=read_upload(upload),
        )

    def success_url(self, result: Any) -> str:
        return reverse("people:import_preview", args=[result.pk])

    def extra_context(self) -> dict[str, Any]:
        imports.participant_import_fail_stale()  # so the recent imports show their state
        recent = selectors.participant_import_list(fetched_by=self.user).defer(
            "rows", "headers", "errors"
        )[:10]
        return {"recent": recent}


@routes.path("import/<int:pk>/", name="import_preview")
@login_required
def import_preview(request, pk: int):
    require(request.user, "participant.import")
    imports.participant_import_fail_stale()
    job = selectors.participant_import_get(fetched_by=request.user, pk=pk, with_rows=True)
    if job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE}:
        return redirect("people:import_progress", pk=pk)
    initial = {f"map_{k}": str(v) for k, v in job.mapping.items()}
    initial["valid_only"] = job.valid_only
    form = MappingForm(request.POST or None, headers=job.headers, initial=initial)
    mapping = job.mapping
    if form.is_valid():
        mapping = form.mapping()
    duplicates = imports.find_duplicates(job, mapping)
    shown = duplicates[:DUPLICATES_SHOWN]
    if form.is_valid() and "start" in request.POST:
        choices = {}
        for duplicate in shown:
            choice = request.POST.get(f"dup_{duplicate.index}", DuplicateChoice.SKIP)
            if choice in DuplicateChoice.values:
                choices[duplicate.index] = choice
        services.participant_import_start(
            job=job,
            by=request.user,
            mapping=mapping,
            valid_only=form.cleaned_data["valid_only"],
            duplicate_choices=choices,
        )
        return redirect("people:import_progress", pk=pk)
    rows = imports.preview(job, mapping)
    targets = [(t, label) for t, (label, _n) in imports.TARGETS.items() if t in mapping]
    # The preview shows the file's people (not yet participants): the read is of the import.
    audit_read(request.user, job, fields=["rows", *(t for t, _label in targets)])
    return render(
        request,
        "people/import_preview.html",
        {
            "job": job,
            "form": form,
            "rows": rows,
            "targets": targets,
            "duplicates": _duplicate_rows(request, job, mapping, shown),
            "duplicates_total": len(duplicates),
            "duplicates_hidden": len(duplicates) - len(shown),
            "duplicate_choices": DuplicateChoice.choices,
        },
    )


def _duplicate_rows(request, job, mapping, duplicates) -> list[dict]:
    """What the preview shows of each duplicate: the row as written and whom it repeats."""
    ids = {d.participant_id for d in duplicates if d.participant_id is not None}
    known = {
        p.pk: p for p in selectors.participant_list(fetched_by=request.user).filter(pk__in=ids)
    }
    audit_reads(request.user, known.values(), fields=["first_name", "last_name", "birth_year"])
    columns = {k: int(v) for k, v in mapping.items() if v not in (None, "")}

    def written(row, field):
        i = columns.get(field)
        return row[i] if i is not None and i < len(row) else ""

    out = []
    for d in duplicates:
        row = job.rows[d.index]
        name = " ".join(filter(None, (written(row, f) for f in imports.NAME_FIELDS)))
        out.append(
            {
                "duplicate": d,
                "name": name,
                "birth_year": written(row, "birth_year"),
                "participant": known.get(d.participant_id),
                "choice": job.duplicate_choices.get(str(d.index), DuplicateChoice.SKIP),
            }
        )
    return out


@routes.path("import/<int:pk>/progress/", name="import_progress")
@login_required
def import_progress(request, pk: int):
    require(request.user, "participant.import")
    imports.participant_import_fail_stale()
    job = selectors.participant_import_get(fetched_by=request.user, pk=pk)
    template = "people/_import_progress.html" if request.htmx else "people/import_progress.html"
    labels = {target: label for target, (label, _names) in imports.TARGETS.items()}
    errors = [{**e, "field": labels.get(e["field"], e["field"])} for e in job.errors[:200]]
    return render(request, template, {"job": job, "errors": errors})
