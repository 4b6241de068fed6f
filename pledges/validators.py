"""Limits the GCM pledging form states to pledgers, enforced here once for forms, services and the admin."""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

TEXT_MIN_CHARS = 300
TEXT_MAX_CHARS = 3000
DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
# filetype needs at most this many leading bytes to recognise any type it knows.
_SNIFF_BYTES = 8192


def normalise_text(value: str) -> str:
    """Browsers send line breaks as CRLF; a person counts one character per line break."""
    return (value or "").replace("\r\n", "\n").strip()


def validate_text_length(value: str) -> None:
    count = len(normalise_text(value))
    if count < TEXT_MIN_CHARS:
        raise ValidationError(
            ngettext_lazy(
                "Write at least %(min)d characters (this text has %(count)d character).",
                "Write at least %(min)d characters (this text has %(count)d characters).",
                "count",
            ),
            code="too_short",
            params={"min": TEXT_MIN_CHARS, "count": count},
        )
    if count > TEXT_MAX_CHARS:
        raise ValidationError(
            ngettext_lazy(
                "Write at most %(max)d characters (this text has %(count)d character).",
                "Write at most %(max)d characters (this text has %(count)d characters).",
                "count",
            ),
            code="too_long",
            params={"max": TEXT_MAX_CHARS, "count": count},
        )


def validate_pdf_document(upload) -> None:
    """Accept one PDF up to 25 MB, recognised by its content: a renamed executable is refused."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 25 MB."), code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError(
            _("Only PDF documents are accepted, and this file is not a PDF."), code="not_pdf"
        )
