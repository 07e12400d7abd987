"""Background work of the knowledge base."""

from django.core.files.base import ContentFile
from django.utils.text import slugify
from django_tasks import task

from mosty.knowledge.exports import booklet_pdf
from mosty.knowledge.models import BookletExport, ExportStatus


def booklet_export_progress(*, export: BookletExport, progress: int, status: str) -> None:
    """The editor's progress bar: written outside the export's own save, as the PDF renders."""
    BookletExport.objects.filter(pk=export.pk).update(progress=progress, status=status)
    export.progress, export.status = progress, status


@task()
def booklet_export_build(export_id: int) -> None:
    """Render one booklet PDF, writing progress to the export row as it goes."""
    export = BookletExport.objects.select_related("booklet").filter(pk=export_id).first()
    if export is None:
        return
    booklet_export_progress(export=export, progress=5, status=ExportStatus.RUNNING)
    try:
        pdf = booklet_pdf(
            export.booklet,
            export.language,
            progress=lambda p: booklet_export_progress(
                export=export, progress=p, status=ExportStatus.RUNNING
            ),
        )
    except Exception as exc:  # noqa: BLE001 - the editor sees the failure, the worker lives on
        BookletExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:2000]
        )
        raise
    name = f"{slugify(export.booklet.title) or 'booklet'}-{export.language}.pdf"
    export.pdf.save(name, ContentFile(pdf), save=False)
    export.status, export.progress = ExportStatus.DONE, 100
    export.save(update_fields=["pdf", "status", "progress", "updated_at"])
