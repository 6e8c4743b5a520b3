"""The one check of an uploaded file, for every attachment (a case's, a report's, a comment's, a
signed application): the type by its name and by its first bytes, and the size."""

import os

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

ALLOWED_UPLOADS = {
    # extension: (content type, magic bytes at the start of the file)
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def extension_of(upload):
    return os.path.splitext(upload.name)[1].lower()


def upload_problem(upload, max_mb=None):
    """Why an uploaded file is refused, or None: only PDF, Word and Excel, at most ``max_mb`` MB
    (``settings.MAX_UPLOAD_MB`` unless given), and the content must be what the name says."""
    max_mb = settings.MAX_UPLOAD_MB if max_mb is None else max_mb
    extension = extension_of(upload)
    if extension not in ALLOWED_UPLOADS:
        return _("Filtypen %(ext)s tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx).") % {
            "ext": extension or "?"
        }
    if upload.size > max_mb * 1024 * 1024:
        return _("Filen är %(size)s MB; högsta tillåtna storlek är %(max)s MB.") % {
            "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
            "max": max_mb,
        }
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_UPLOADS[extension][1]):
        return _("Filens innehåll är inte %(ext)s.") % {"ext": extension}
    return None


def content_type_of(upload):
    """The content type of an upload that passed ``upload_problem``, by its extension."""
    return ALLOWED_UPLOADS[extension_of(upload)][0]


def _upload_help_text(per_file, pdf_only):
    values = {"mb": settings.MAX_UPLOAD_MB}
    if pdf_only:
        return _("PDF, högst %(mb)s MB.") % values
    if per_file:
        return _("PDF, Word eller Excel, högst %(mb)s MB per fil.") % values
    return _("PDF, Word eller Excel, högst %(mb)s MB.") % values


def upload_help_text(*, per_file=False, pdf_only=False):
    """The help text of a file field: what is taken and how large. A form's fields are made once,
    when the module is imported, so the text stays lazy and is put into words (the reader's
    language, the size allowed now) only when a page shows it."""
    return lazy(_upload_help_text, str)(per_file, pdf_only)
