"""Uploads: judged by their bytes, stored once under their hash, refused ones leave nothing behind."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.records import Database
from assistant.records.uploads import UploadStore, check_content
from tests.files import jpeg_bytes, pdf_bytes, png_bytes


@pytest.mark.parametrize(("data", "expected"), [
    (jpeg_bytes(), ("image/jpeg", None)),
    (png_bytes(), ("image/png", None)),
    (pdf_bytes(), ("application/pdf", None)),
    (b"", (None, "upload_empty")),
    (b"GIF89a......", (None, "upload_type_not_allowed")),
    (b"MZ\x90\x00 an exe renamed to .jpg", (None, "upload_type_not_allowed")),
    (b"\xff\xd8\xff\xe0 a JPEG header and nothing else", ("image/jpeg", "upload_damaged")),
    (b"%PDF-1.4 truncated", ("application/pdf", "upload_damaged")),
])
def test_content_is_judged_by_the_bytes(data: bytes, expected: tuple) -> None:  # type: ignore[type-arg]
    check = check_content(data, max_bytes=10 * 1024 * 1024)
    assert (check.content_type, check.reason) == expected


def test_too_large(tmp_path: Path) -> None:
    assert check_content(jpeg_bytes(), max_bytes=10).reason == "upload_too_large"


@pytest.fixture()
def uploads(tmp_path: Path, database_url: str) -> Iterator[UploadStore]:
    database = Database(database_url)
    database.create_schema()
    yield UploadStore(database, tmp_path / "uploads", 10 * 1024 * 1024)
    database.dispose()


def test_accepted_files_are_stored_once_under_their_hash(uploads: UploadStore) -> None:
    data = jpeg_bytes()
    first, second = uploads.receive("c-1", "s", data), uploads.receive("c-1", "s", data)
    digest = hashlib.sha256(data).hexdigest()
    assert first.id != second.id and first.sha256 == second.sha256 == digest
    stored = list((uploads.folder).rglob("*.jpg"))
    assert stored == [uploads.folder / digest[:2] / f"{digest}.jpg"] and stored[0].read_bytes() == data


def test_refused_files_are_recorded_without_content(uploads: UploadStore) -> None:
    upload = uploads.receive("c-1", "s", b"plain text, not a photo")
    assert (upload.status, upload.reason, upload.sha256) == ("rejected", "upload_type_not_allowed", None)
    assert not uploads.folder.exists() or not any(uploads.folder.rglob("*"))


def test_uploads_are_found_only_for_their_citizen(uploads: UploadStore) -> None:
    upload = uploads.receive("c-1", "s", png_bytes())
    assert uploads.get_for_citizen(upload.id, "c-1") is not None
    assert uploads.get_for_citizen(upload.id, "c-2") is None
