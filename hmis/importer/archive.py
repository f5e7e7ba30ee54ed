"""Opening an uploaded zip safely: size limits, zip bombs, path traversal, names."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from .problems import Problems


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_upload() -> int:
    return limit("HMIS_MAX_UPLOAD_BYTES", 1024**3)  # 1 GiB compressed


def max_uncompressed() -> int:
    return limit("HMIS_MAX_UNCOMPRESSED_BYTES", 16 * 1024**3)


MAX_RATIO = 200  # CSV compresses ~5-20×; far more is a bomb, not an export
MAX_ENTRIES = 200


def human(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


@dataclass
class Archive:
    zip: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]  # "Client.csv" -> entry


def open_archive(path: str, size: int, problems: Problems, expected: set[str]) -> Archive | None:
    """The archive's HUD files by name, or None with errors said in ``problems``."""
    if size == 0:
        problems.error("", None, "", "0 bytes", "The upload is empty: send the export's zip file.")
        return None
    if size > max_upload():
        problems.error(
            "",
            None,
            "",
            human(size),
            f"The upload is {human(size)}; the limit is {human(max_upload())}. "
            "Split the export by date range or ask the administrator to raise the limit.",
        )
        return None
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            head = handle.read(8)
        problems.error(
            "",
            None,
            "",
            repr(head),
            "The upload is not a zip archive: upload the HMIS CSV export as one .zip file.",
        )
        return None
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        problems.error("", None, "", "", f"The zip archive cannot be read: {exc}.")
        return None
    if len(infos) > MAX_ENTRIES:
        problems.error(
            "",
            None,
            "",
            str(len(infos)),
            f"The zip holds {len(infos)} entries; at most {MAX_ENTRIES}.",
        )
        return None
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or ".." in pure.parts or ":" in pure.parts[0]:
            problems.error(
                name,
                None,
                "",
                name,
                "The zip holds a path that leaves the archive (absolute or with '..'): "
                "refused for safety. Export again without folders.",
            )
            continue
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            problems.error(name, None, "", "", "The entry is encrypted: export without a password.")
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO and info.file_size > 10 * 1024**2:
            problems.error(
                name,
                None,
                "",
                f"{human(info.file_size)} from {human(info.compress_size)}",
                f"The entry expands {ratio:.0f}× (limit {MAX_RATIO}×): refused as a zip bomb.",
            )
            continue
        base = pure.name
        canonical = next((e for e in expected if e.lower() == base.lower()), None)
        if canonical is None:
            problems.warning(name, None, "", "", "Not a file of the HMIS CSV export: ignored.")
            continue
        if canonical in members:
            problems.error(name, None, "", "", f"The zip holds {canonical} twice.")
            continue
        members[canonical] = info
    if total > max_uncompressed():
        problems.error(
            "",
            None,
            "",
            human(total),
            f"The files expand to {human(total)}; the limit is {human(max_uncompressed())}: "
            "refused as a zip bomb.",
        )
    if problems.has_errors:
        archive.close()
        return None
    return Archive(archive, members)
