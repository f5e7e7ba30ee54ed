"""Signed documents: checked by content, named safely, stored outside the web root.

Nothing uploaded here is ever served by the web server directly: ``PRIVATE_MEDIA_ROOT`` lies
outside ``STATIC_ROOT`` and has no URL; a restricted view streams a file only to people allowed
to see it.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.text import get_valid_filename

# Signatures at the start of each accepted type: the extension and the browser's content type
# are chosen by the uploader, the bytes are not.
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "GOVERNANCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


class PrivateStorage(FileSystemStorage):
    """File storage under ``settings.PRIVATE_MEDIA_ROOT``, read at call time (tests move it)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # no public URL, ever
        raise ValueError("Private documents have no URL; use the restricted download view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """Callable for ``FileField(storage=...)``, so migrations do not freeze a path."""
    return private_storage


def safe_name(original: str) -> str:
    """The last path component of an uploaded name, reduced to safe characters.

    ``../../etc/passwd.pdf`` and ``..\\..\\boot.ini.pdf`` become ``passwd.pdf`` and
    ``boot.ini.pdf``: the stored path never leaves the upload folder.
    """
    base = os.path.basename(original.replace("\\", "/").replace("\x00", ""))
    base = get_valid_filename(base) if base.strip(". ") else ""
    base = base.lstrip(".")
    return base[:120] or "document"


def detect_kind(head: bytes) -> str | None:
    for kind, signatures in MAGIC.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def validate_document(upload) -> str:
    """Check an uploaded file; returns its kind (``pdf``, ``png``, ``jpg``) or raises.

    Errors say what to fix. The size is checked first so that a huge file is not read.
    """
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.0f} MB. Scan at a lower resolution or split the document."
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError("Upload the signed document as a PDF, PNG or JPEG file.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_kind(head)
    if kind is None:
        raise ValidationError(
            "The file's content is not a PDF, PNG or JPEG (whatever its name says). "
            "Export or scan the signed document to PDF and upload that."
        )
    if EXTENSIONS[extension] != kind:
        raise ValidationError(
            f"The file is named .{extension} but its content is {kind.upper()}; rename it to "
            f".{kind} or upload the right file."
        )
    return kind


def agreement_upload_to(instance, filename: str) -> str:
    """``agreements/<coc id>/<random>-<safe name>``: unguessable and never outside the folder."""
    return f"agreements/{instance.coc_id}/{uuid.uuid4().hex}-{safe_name(filename)}"
