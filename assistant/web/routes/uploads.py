"""`POST /api/uploads`: a document photo sent into the conversation.

The file is checked by content and stored under its hash; then `/inform{"upload_id": ...}` goes to
the assistant, so the form in progress takes the document (or says why it cannot and asks again).
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.records.uploads import UploadStoreError
from assistant.web.deps import CitizensDep, CurrentSession, RasaDep, SettingsDep, UploadsDep
from assistant.web.errors import error_body
from assistant.web.limits import limit
from assistant.web.routes.chat import converse, message_metadata
from assistant.web.schemas import ChatMetadata

router = APIRouter(prefix="/api", tags=["uploads"])
log = logging.getLogger(__name__)


@router.post("/uploads")
async def upload_document(
    request: Request,
    file: Annotated[UploadFile, File(description="JPEG, PNG or PDF, at most 10 MB")],
    sender: Annotated[str, Form(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")],
    session: CurrentSession, rasa: RasaDep, settings: SettingsDep, uploads: UploadsDep, citizens: CitizensDep,
    lang: Annotated[Literal["ko", "en"], Form()] = "ko",
    channel: Annotated[Literal["web", "kiosk"], Form()] = "web",
) -> JSONResponse:
    """201 with the upload and the assistant's reply, or 422 with the reason and the reply asking again."""
    limit(request, "uploads", f"{session.citizen_id}|{sender}", lang)
    # One byte more than allowed is enough to know the file is too large.
    data = await file.read(settings.upload_max_bytes + 1)
    await file.close()
    try:
        upload = await run_in_threadpool(uploads.receive, session.citizen_id, sender, data)
    except UploadStoreError as exc:
        # Disk full, read-only or vanished folder: nothing was kept; the citizen can simply retry.
        log.error("upload store failed (errno %s): %s", exc.errno, exc.strerror)
        return JSONResponse(error_body("upload_store_failed", lang), status_code=503, headers={"Retry-After": "30"})
    del data  # the bytes are on disk (or refused); never logged, never kept in memory longer
    metadata = await message_metadata(ChatMetadata(lang=lang, channel=channel), session, citizens)
    message = "/inform" + json.dumps({"upload_id": upload.id})
    reply = await converse(rasa, sender, message, metadata, lang)
    body: dict[str, Any] = {
        "upload": {"id": upload.id, "status": upload.status, "content_type": upload.content_type, "size": upload.size},
        "reply": reply.model_dump(),
    }
    if upload.reason is not None:
        return JSONResponse({**error_body(upload.reason, lang), **body}, status_code=422)
    return JSONResponse(body, status_code=201)
