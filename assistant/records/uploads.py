"""Document photos: checked by content, stored on disk under their SHA-256, recorded in the database.

Only JPEG, PNG and PDF are taken, judged by the bytes (the name and declared type are ignored);
images must also decode. A refused file is recorded with its reason and nothing of it is kept.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from assistant.records.database import Database
from assistant.records.models import Upload

ACCEPTED = "accepted"
REJECTED = "rejected"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@dataclass(frozen=True)
class ContentCheck:
    """The type the bytes really are, or why they are refused."""

    content_type: str | None
    reason: str | None


def check_content(data: bytes, max_bytes: int) -> ContentCheck:
    """JPEG, PNG or PDF within `max_bytes`, judged by magic bytes and (for images) a real decode.

    Reasons: `upload_empty`, `upload_too_large`, `upload_type_not_allowed`, `upload_damaged`.
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
        # A PDF ends with %%EOF (possibly followed by whitespace); a truncated one does not.
        return ContentCheck("application/pdf", None if b"%%EOF" in data[-1024:] else "upload_damaged")
    else:
        return ContentCheck(None, "upload_type_not_allowed")
    return ContentCheck(kind, None if _image_decodes(data) else "upload_damaged")


def _image_decodes(data: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError  # imported here: nothing heavy at import time

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


class UploadStore:
    """Stores document photos for citizens and links them to applications."""

    def __init__(self, database: Database, folder: Path, max_bytes: int) -> None:
        self.database = database
        self.folder = folder
        self.max_bytes = max_bytes

    def receive(self, citizen_id: str, sender: str, data: bytes) -> Upload:
        """Check and record one file; an accepted one is written under its content hash."""
        check = check_content(data, self.max_bytes)
        upload = Upload(id=f"u-{secrets.token_hex(10)}", citizen_id=citizen_id, sender=sender, size=len(data))
        if check.reason is not None:
            upload.status, upload.reason = REJECTED, check.reason
        else:
            assert check.content_type is not None
            digest = hashlib.sha256(data).hexdigest()
            path = self.path_for(digest, check.content_type)
            if not path.exists():  # the same photo sent twice is stored once
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".part")
                temporary.write_bytes(data)
                temporary.replace(path)
            upload.status, upload.content_type, upload.sha256 = ACCEPTED, check.content_type, digest
        with self.database.session() as session:
            session.add(upload)
        return upload

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
