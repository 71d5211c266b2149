"""`POST /api/uploads` when the store fails or the body is too big: a clear ko/en error, nothing kept.

Rasa is absent here; the store's answer comes before the assistant is asked, so a store failure is
its own 503 (`upload_store_failed`), and a stored file shows in the database and on disk.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.records.demo_residents import DEMO_PIN
from assistant.records.models import Upload
from tests.web.module_app import module_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with module_app(tmp_path_factory.mktemp("upload-route"), ASSISTANT_RATE_LIMITS="false") as test_client:
        token = test_client.post("/api/auth/sign-in", json={"citizen_id": "c-1001", "pin": DEMO_PIN}).json()["token"]
        test_client.cookies.clear()
        test_client.headers["authorization"] = f"Bearer {token}"
        yield test_client


def photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (90, 80, 70)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(client: TestClient, data: bytes, lang: str = "ko"):  # type: ignore[no-untyped-def]
    return client.post("/api/uploads", data={"sender": "uploader", "lang": lang},
                       files={"file": ("photo.jpg", data, "image/jpeg")})


def upload_rows(client: TestClient) -> list[Upload]:
    with client.app.state.records.database.session() as session:
        return list(session.scalars(select(Upload)))


def test_a_full_disk_answers_clearly_keeps_nothing_and_the_next_upload_works(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = client.app.state.uploads
    before = len(upload_rows(client))

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", disk_full)
        for lang, words in (("ko", "저장하지 못했어요"), ("en", "could not be stored")):
            response = upload(client, photo(), lang)
            assert response.status_code == 503 and response.headers["retry-after"]
            assert response.json()["error"]["code"] == "upload_store_failed"
            assert words in response.json()["error"]["message"]
    assert len(upload_rows(client)) == before  # no row for a file that is not there
    assert not [p for p in Path(store.folder).rglob("*.part")]  # no half-written file
    response = upload(client, photo())
    assert response.json()["error"]["code"] != "upload_store_failed"  # stored (then Rasa's absence: 503)
    stored = [row for row in upload_rows(client) if row.status == "accepted"]
    assert len(stored) == before + 1 and store.path_for(stored[-1].sha256, "image/jpeg").is_file()


def test_a_folder_that_cannot_be_written_answers_clearly(client: TestClient, tmp_path: Path) -> None:
    store = client.app.state.uploads
    original = store.folder
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the uploads folder should be")  # mkdir fails, even for root
    store.folder = blocker / "uploads"
    try:
        response = upload(client, photo() + b"\x00")
        assert response.status_code == 503 and response.json()["error"]["code"] == "upload_store_failed"
    finally:
        store.folder = original


def test_an_oversize_body_is_refused_before_it_is_read(client: TestClient) -> None:
    limit = client.app.state.settings.upload_max_bytes
    response = upload(client, b"\xff\xd8\xff" + b"\x00" * (limit + 200_000), "en")
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the streamed body is counted as it arrives
        boundary = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n"
        yield boundary
        for _ in range(12):
            yield b"\x00" * (1024 * 1024)

    response = client.post("/api/uploads", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=x", "accept-language": "en"})
    assert response.status_code == 413 and response.json()["error"]["message"] == "The request is too large."
    # The same for a JSON route: a streamed 2 MB chat body is 413, not a parse error.
    response = client.post("/api/chat", content=iter([b'{"sender": "s", "message": "' + b"a" * 2_000_000 + b'"}']),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


def test_a_file_just_over_the_limit_is_refused_with_the_reason(client: TestClient) -> None:
    from assistant.records.uploads import check_content

    limit = client.app.state.settings.upload_max_bytes
    assert check_content(b"\xff\xd8\xff" + b"\x00" * limit, limit).reason == "upload_too_large"
