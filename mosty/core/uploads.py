"""Uploaded files are measured before they are read: bytes, unpacked size, rows.

A participant list, an HSDS data package or an XLIFF file is checked against
`MOSTY_MAX_UPLOAD_MB` before anything reads it into memory; ZIP archives (XLSX is one) are
checked against `MOSTY_MAX_UNPACKED_MB` from their directory before anything is unpacked, and
readers stop at their row limit instead of reading the whole file first. Every refusal is a
`ValidationError` with a translated message that the form shows beside the file field.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


def max_upload_bytes() -> int:
    return settings.MOSTY_MAX_UPLOAD_MB * MB


def max_unpacked_bytes() -> int:
    return settings.MOSTY_MAX_UNPACKED_MB * MB


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // MB}


def check_size(size: int | None, *, limit: int | None = None) -> None:
    limit = limit or max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(too_large_message(limit), code="too_large")


def validate_upload_size(upload) -> None:
    """Form field validator: refuses a file above the limit before it is read."""
    check_size(getattr(upload, "size", None))


def read_upload(upload, *, limit: int | None = None) -> bytes:
    """The content of an uploaded file, refused before reading when it is too large (and
    never more than the limit read, whatever size the client claimed)."""
    limit = limit or max_upload_bytes()
    check_size(getattr(upload, "size", None), limit=limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    check_size(len(content), limit=limit)
    return content


def check_zip(archive: zipfile.ZipFile, *, limit: int | None = None) -> None:
    """Refuses an archive whose members would unpack to more than the limit (a "zip bomb").
    `zipfile` never unpacks more than a member's declared size, so the directory suffices."""
    limit = limit or max_unpacked_bytes()
    total = sum(info.file_size for info in archive.infolist())
    if total > limit:
        raise ValidationError(
            _("The archive unpacks to more than %(size)s MB.") % {"size": limit // MB},
            code="too_large",
        )


def limit_rows(rows: Iterable, limit: int) -> Iterator:
    """Yields at most `limit` rows and refuses the file when there are more (without reading
    the rest)."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise ValidationError(too_many_rows_message(limit), code="too_many_rows")
        yield row


def too_many_rows_message(limit: int) -> str:
    return _("The file has more than %(max)s rows; split it into smaller files.") % {"max": limit}


# Files published for anyone to download (a report, a picture of visual notes) --------------------

DOCUMENT_KINDS = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
MAX_IMAGE_PIXELS = 40_000_000


def clean_document(upload) -> tuple[bytes, str]:
    """The bytes to store for a published file and its extension (`pdf`, `png`, `jpg`):
    a PDF is kept as it is only when it is one (its signature, not its name, decides); an
    image is decoded and encoded again, which drops whatever else the file carried (metadata,
    location, appended data). Anything else is refused with a translated message."""
    content = read_upload(upload)
    if content.startswith(b"%PDF-"):
        return content, "pdf"
    import io

    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ("PNG", "JPEG", "GIF", "WEBP"):
                raise UnidentifiedImageError(image.format)
            image.load()
            # Drawings (PNG, GIF) stay lossless; photographs become JPEG.
            keeps_alpha = image.mode in ("RGBA", "LA", "P") or image.format in ("PNG", "GIF")
            clean = image.convert("RGBA" if keeps_alpha else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Upload a PDF or an image (PNG, JPEG, GIF or WebP)."), code="file_type"
        ) from exc
    out = io.BytesIO()
    if keeps_alpha:
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    clean.save(out, format="JPEG", quality=88)
    return out.getvalue(), "jpg"
