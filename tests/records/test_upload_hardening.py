"""Uploads that lie, hide things or explode are refused with a reason; a failed disk keeps nothing."""

from __future__ import annotations

import errno
import io
import os
import random
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.records.database import Database
from assistant.records.models import Upload
from assistant.records.uploads import MAX_DOCUMENT_PIXELS, UploadStore, UploadStoreError, check_content

LIMIT = 10 * 1024 * 1024


def jpeg(width: int = 64, height: int = 48, noise: bool = False, comment: bytes | None = None) -> bytes:
    from PIL import Image

    if noise:
        rng = random.Random(7)
        image = Image.frombytes("RGB", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    else:
        image = Image.new("RGB", (width, height), (200, 180, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **({"comment": comment} if comment else {}))
    return buffer.getvalue()


def png(width: int = 32, height: int = 32) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 200)
    return buffer.getvalue()


def pdf(body: bytes = b"") -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog " + body + b" >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_with_object_stream(hidden: bytes) -> bytes:
    stream = zlib.compress(b"2 0 << " + hidden + b" >>")
    return (b"%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF\n")


@pytest.mark.parametrize(("name", "data"), [
    ("windows program named .jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100),
    ("linux program named .jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100),
    ("zip archive named .jpg", zip_bytes()),
    ("html page named .png", b"<!doctype html><script>alert(1)</script>"),
    ("svg named .png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
])
def test_lying_extensions_are_judged_by_their_bytes(name: str, data: bytes) -> None:
    assert check_content(data, LIMIT).reason == "upload_type_not_allowed", name


@pytest.mark.parametrize(("name", "data"), [
    ("jpeg with a zip appended", jpeg() + zip_bytes()),
    ("jpeg with html and script appended", jpeg() + b"<html><script>alert(document.cookie)</script></html>"),
    ("jpeg with a script in its comment", jpeg(comment=b"<script>alert(1)</script>")),
    ("png with a zip appended", png() + zip_bytes()),
    ("png with php appended", png() + b"<?php system($_GET['c']); ?>"),
    ("pdf with javascript", pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
    ("pdf with an escaped javascript name", pdf(b"/OpenAction << /S /J#61vaScript /JS (x) >>")),
    ("pdf launching a program", pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
    ("pdf with an embedded file", pdf(b"/Names << /EmbeddedFiles 2 0 R >>")),
    ("pdf with javascript inside a compressed object stream", pdf_with_object_stream(b"/S /JavaScript /JS (x)")),
])
def test_polyglots_and_active_pdfs_are_refused(name: str, data: bytes) -> None:
    assert check_content(data, LIMIT).reason == "upload_hidden_content", name


def test_clean_files_are_accepted_even_large_noisy_photos() -> None:
    from assistant.records.certificates import CertificateRequest, render_certificate

    # A noisy 6 MP photo: megabytes of compressed pixel data must not look like markup by chance.
    photo = jpeg(3000, 2000, noise=True)
    assert len(photo) > 2_000_000
    certificate = render_certificate(CertificateRequest("2026-RC-000001", "등본", "김민준", "900101-1******",
                                                        "서울특별시 종로구 세종대로 1", "은행 제출용"))
    for data in (jpeg(), photo, png(), pdf(), certificate, jpeg() + b"\x00\x00\r\n"):
        assert check_content(data, LIMIT).reason is None


def test_decompression_bombs_are_refused_before_decoding() -> None:
    import time

    started = time.monotonic()
    assert check_content(png_declaring(50_000, 50_000), LIMIT).reason == "upload_too_many_pixels"
    # Between our budget and Pillow's own error threshold (only a warning there): still refused.
    assert 8_000 * 6_000 > MAX_DOCUMENT_PIXELS
    assert check_content(png_declaring(8_000, 6_000), LIMIT).reason == "upload_too_many_pixels"
    assert time.monotonic() - started < 2.0  # nothing was decoded


def test_an_inflating_object_stream_beyond_the_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.records.uploads as uploads

    monkeypatch.setattr(uploads, "_PDF_INFLATE_BUDGET", 10_000)
    assert check_content(pdf_with_object_stream(b"/Type /Page " * 5_000), LIMIT).reason == "upload_hidden_content"


def test_oversize_files_are_refused() -> None:
    assert check_content(b"\xff\xd8\xff" + b"\x00" * 2000, 1000).reason == "upload_too_large"


# ------------------------------------------------------------------ a failing upload store


@pytest.fixture()
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'records.db'}")
    db.create_schema()
    return db


def rows(database: Database) -> list[Upload]:
    with database.session() as session:
        return list(session.scalars(select(Upload)))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_disk_full_keeps_nothing_and_the_next_upload_works(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "uploads"
    store = UploadStore(database, folder, LIMIT)
    real_fsync = os.fsync

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(UploadStoreError) as failure:
        store.receive("c-1001", "s1", jpeg())
    assert failure.value.errno == errno.ENOSPC
    assert files_under(folder) == [] and rows(database) == []  # no partial file, no row
    monkeypatch.setattr(os, "fsync", real_fsync)
    upload = store.receive("c-1001", "s1", jpeg())
    assert upload.status == "accepted" and store.path_for(upload.sha256, "image/jpeg").read_bytes() == jpeg()
    assert [r.id for r in rows(database)] == [upload.id]


def test_a_vanished_folder_is_made_again(database: Database, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "uploads"
    store = UploadStore(database, folder, LIMIT)
    first = store.receive("c-1001", "s1", jpeg())
    shutil.rmtree(folder)
    again = store.receive("c-1001", "s1", jpeg())  # the same photo: its file must be written again
    assert store.path_for(again.sha256, "image/jpeg").is_file() and first.sha256 == again.sha256


@pytest.fixture()
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, object]]:
    """A folder the process really cannot write: chmod for a normal user; for root (who ignores
    modes) a read-only tmpfs mount, or else /sys, which refuses new folders to everyone."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder, lambda: folder.chmod(0o755)
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    if mounted:
        def make_writable() -> None:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)

        try:
            yield folder, make_writable
        finally:
            subprocess.run(["umount", str(folder)], check=False)
        return
    yield Path("/sys/gov-assistant-uploads"), None


def test_a_read_only_folder_keeps_nothing_and_works_once_writable(database: Database, read_only_folder) -> None:  # type: ignore[no-untyped-def]
    folder, make_writable = read_only_folder
    store = UploadStore(database, folder, LIMIT)
    with pytest.raises(UploadStoreError) as failure:
        store.receive("c-1001", "s1", png())
    assert failure.value.errno in (errno.EACCES, errno.EROFS, errno.EPERM)
    assert rows(database) == [] and files_under(folder) == []
    if make_writable is not None:
        make_writable()
        assert store.receive("c-1001", "s1", png()).status == "accepted"
        assert len(files_under(folder)) == 1 and len(rows(database)) == 1


def test_a_tiny_real_disk_fills_up_cleanly(database: Database, tmp_path: Path) -> None:
    """A 64 KB tmpfs (root only): a 150 KB photo hits a real ENOSPC; nothing half-written stays."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and mount (ENOSPC is also covered by test_disk_full_keeps_nothing...)")
    try:
        store = UploadStore(database, folder, LIMIT)
        big = jpeg(400, 300, noise=True)
        assert len(big) > 64 * 1024
        with pytest.raises(UploadStoreError) as failure:
            store.receive("c-1001", "s1", big)
        assert failure.value.errno == errno.ENOSPC
        assert files_under(folder) == [] and rows(database) == []
        assert store.receive("c-1001", "s1", jpeg()).status == "accepted"  # a small one still fits
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_every_refusal_reason_can_be_told_to_the_citizen() -> None:
    """The form (actions) and the API (errors.py) both have ko/en words for every reason check_content gives."""
    import re as regex

    import assistant.records.uploads as uploads
    from actions.i18n import MESSAGES as FORM_WORDS
    from assistant.web.errors import MESSAGES as API_WORDS

    source = Path(uploads.__file__).read_text()
    reasons = set(regex.findall(r'"(upload_[a-z_]+)"', source)) - {"upload_id"}
    assert {"upload_hidden_content", "upload_too_many_pixels", "upload_damaged"} <= reasons
    for reason in reasons:
        for words in (FORM_WORDS, API_WORDS):
            assert words[reason]["ko"] and words[reason]["en"], reason
