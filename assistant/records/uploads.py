"""Document photos: checked by content, stored on disk under their SHA-256, recorded in the database.

Only JPEG, PNG and PDF are taken, judged by the bytes (the name and declared type are ignored);
images must also decode, stay within a pixel budget (decompression bombs) and end where the image
ends (a JPEG or PNG with a ZIP, HTML or script appended or hidden inside is a polyglot); a PDF may
not carry JavaScript, launch actions or embedded files. A refused file is recorded with its reason
and nothing of it is kept. An accepted file is written to a temporary name, flushed, and renamed
into place, and only then recorded: a failed write (disk full, read-only or vanished folder) leaves
neither a partial file nor a row pointing at a missing one.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import secrets
import tempfile
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from assistant.records.database import Database
from assistant.records.models import Upload

ACCEPTED = "accepted"
REJECTED = "rejected"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# A 40-megapixel phone photo is the largest document photo we expect; a PNG declaring 50000 x 50000
# pixels would need ~7.5 GB to decode.
MAX_DOCUMENT_PIXELS = 40_000_000
# Markers of content that has no business inside a photo (HTML, script, PHP, SVG, a ZIP archive's
# directory); matched case-insensitively over the whole file.
_HIDDEN_IN_IMAGE = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed)\b|<\?php|javascript:", re.IGNORECASE)
_ZIP_DIRECTORY = (b"PK\x01\x02", b"PK\x05\x06")
# PDF names that run code or carry other files. Names may hide letters as #xx escapes (/J#61vaScript).
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|SubmitForm|ImportData)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_START = re.compile(rb"\bstream\r?\n")
_PDF_STREAM_BODY = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)
_MARKUP_IN_PDF = re.compile(rb"<\s*(script|html)\b|<\?php", re.IGNORECASE)
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024


class UploadStoreError(OSError):
    """The file could not be written (disk full, permission denied, folder gone); nothing was kept."""


@dataclass(frozen=True)
class ContentCheck:
    """The type the bytes really are, or why they are refused."""

    content_type: str | None
    reason: str | None


def check_content(data: bytes, max_bytes: int) -> ContentCheck:
    """JPEG, PNG or PDF within `max_bytes`, judged by magic bytes, structure and (for images) a decode.

    Reasons: `upload_empty`, `upload_too_large`, `upload_type_not_allowed`, `upload_damaged`,
    `upload_hidden_content`, `upload_too_many_pixels`.
    """
    if not data:
        return ContentCheck(None, "upload_empty")
    if len(data) > max_bytes:
        return ContentCheck(None, "upload_too_large")
    if data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"%PDF-"):
        return ContentCheck("application/pdf", _pdf_problem(data))
    else:
        return ContentCheck(None, "upload_type_not_allowed")
    return ContentCheck(kind, _image_problem(data, kind))


def _image_problem(data: bytes, kind: str) -> str | None:
    # Markup is looked for in the metadata only: compressed pixel data is random enough to contain
    # "<svg" by chance in a large photo.
    if _HIDDEN_IN_IMAGE.search(_image_metadata(data, kind)) or all(marker in data for marker in _ZIP_DIRECTORY):
        return "upload_hidden_content"
    pixels = _image_pixels(data)
    if pixels is None:
        return "upload_damaged"
    if pixels > MAX_DOCUMENT_PIXELS:
        return "upload_too_many_pixels"
    if _bytes_after_image(data, kind):
        return "upload_hidden_content"
    return None


def _image_pixels(data: bytes) -> int | None:
    """Width x height of a decodable image, or None when it does not decode.

    The declared size is read before any pixel is decoded, so a decompression bomb costs nothing.
    """
    from PIL import Image, UnidentifiedImageError  # imported here: nothing heavy at import time

    try:
        with warnings.catch_warnings():
            # Our own budget decides; Pillow's warning (and its 2x error) must not reach the log or a 500.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_DOCUMENT_PIXELS:
                    return width * height
                image.verify()
        return width * height
    except Image.DecompressionBombError:
        return MAX_DOCUMENT_PIXELS + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        return None


def _image_metadata(data: bytes, kind: str) -> bytes:
    """The non-pixel parts of an image: JPEG segments before the scan, PNG chunks other than IDAT."""
    parts: list[bytes] = []
    if kind == "image/png":
        i = 8
        while i + 8 <= len(data):
            length, chunk = int.from_bytes(data[i:i + 4], "big"), data[i + 4:i + 8]
            if chunk != b"IDAT":
                parts.append(chunk + data[i + 8:i + 8 + length])
            i += 12 + length
        return b"\n".join(parts)
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: pixel data follows
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        parts.append(data[i + 4:i + 2 + length])
        i += 2 + length
    return b"\n".join(parts)


def _bytes_after_image(data: bytes, kind: str) -> bool:
    """Whether anything but padding follows the image's end marker (a polyglot's appended file)."""
    tail = data.rstrip(b"\x00\r\n\t ")
    if kind == "image/png":
        return not tail.endswith(b"IEND\xaeB`\x82")
    return not tail.endswith(b"\xff\xd9")


def _pdf_problem(data: bytes) -> str | None:
    # A PDF ends with %%EOF (possibly followed by whitespace); a truncated one does not.
    if b"%%EOF" not in data[-1024:]:
        return "upload_damaged"
    for text in _pdf_texts(data):
        names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        if _PDF_ACTIVE.search(names) or _MARKUP_IN_PDF.search(names):
            return "upload_hidden_content"
    return None


def _pdf_texts(data: bytes):  # type: ignore[no-untyped-def]
    """Where a PDF's dictionaries live: the file outside its streams, then its object streams inflated.

    Stream bodies (compressed pages, images) are left out: random bytes would match "/JS" by chance.
    """
    yield _PDF_STREAM_BODY.sub(b"stream endstream", data)
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_STREAM_START.finditer(data):
        head = data[max(0, match.start() - 2000):match.start()]
        dictionary = head[head.rfind(b"obj"):]
        if b"/ObjStm" not in dictionary:
            continue
        if b"/FlateDecode" not in dictionary:
            yield data[match.end():match.end() + 1024 * 1024]
            continue
        inflater = zlib.decompressobj()
        try:
            # Bounded: an object stream that inflates beyond the budget is itself a bomb.
            text = inflater.decompress(data[match.end():], budget)
        except zlib.error:
            continue
        budget -= len(text)
        yield text
        if budget <= 0 or inflater.unconsumed_tail:
            yield b"/JavaScript"  # too large to inspect: treated as hiding something
            return


class UploadStore:
    """Stores document photos for citizens and links them to applications."""

    def __init__(self, database: Database, folder: Path, max_bytes: int) -> None:
        self.database = database
        self.folder = folder
        self.max_bytes = max_bytes

    def receive(self, citizen_id: str, sender: str, data: bytes) -> Upload:
        """Check and record one file; an accepted one is written under its content hash.

        Raises:
            UploadStoreError: the file could not be written; no row was recorded, no file remains.
        """
        check = check_content(data, self.max_bytes)
        upload = Upload(id=f"u-{secrets.token_hex(10)}", citizen_id=citizen_id, sender=sender, size=len(data))
        if check.reason is not None:
            upload.status, upload.reason = REJECTED, check.reason
        else:
            assert check.content_type is not None
            digest = hashlib.sha256(data).hexdigest()
            self._write(self.path_for(digest, check.content_type), data)
            upload.status, upload.content_type, upload.sha256 = ACCEPTED, check.content_type, digest
        with self.database.session() as session:
            session.add(upload)
        return upload

    def _write(self, path: Path, data: bytes) -> None:
        """Temp file in the target folder, fsync, atomic rename; on any OSError nothing remains."""
        if path.is_file() and path.stat().st_size == len(data):
            return  # the same photo sent twice is stored once
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A unique temporary name: two uploads of one photo at once must not share a half-written file.
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
            temporary = None
        except OSError as exc:
            raise UploadStoreError(exc.errno or errno.EIO, f"upload store: {exc.strerror or exc}") from exc
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass

    def path_for(self, sha256: str, content_type: str) -> Path:
        """Where a file with this hash is kept."""
        return self.folder / sha256[:2] / f"{sha256}.{_EXTENSIONS[content_type]}"

    def get(self, upload_id: str) -> Upload | None:
        """The upload with this id."""
        with self.database.session() as session:
            return session.get(Upload, upload_id)

    def get_for_citizen(self, upload_id: str, citizen_id: str) -> Upload | None:
        """The upload, only if this citizen sent it."""
        with self.database.session() as session:
            return session.scalar(select(Upload).where(Upload.id == upload_id, Upload.citizen_id == citizen_id))

    def link(self, upload_ids: list[str], application_id: int) -> None:
        """Attach the uploads to the application they were sent for."""
        with self.database.session() as session:
            session.execute(update(Upload).where(Upload.id.in_(upload_ids)).values(application_id=application_id))
