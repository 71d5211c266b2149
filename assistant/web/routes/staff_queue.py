"""The applications queue for staff: filter, detail with attachments, approve or reject with a note."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from assistant.records.models import Application, ApplicationStatus
from assistant.records.store import IllegalTransition
from assistant.web.deps import RecordsDep, UploadsDep
from assistant.web.errors import ApiError, request_lang
from assistant.web.routes.applications import public_application
from assistant.web.staff_deps import ConsoleDep, Reviewer

router = APIRouter(prefix="/api/staff/queue", tags=["staff"])


class Decision(BaseModel):
    """The new status and a note (required to reject)."""

    status: ApplicationStatus
    note: str | None = Field(default=None, max_length=1000)


@router.get("")
async def queue(member: Reviewer, records: RecordsDep, kind: str | None = None,
                status: ApplicationStatus | None = None, limit: int = 100) -> dict[str, Any]:
    """Applications, oldest first (first come, first served), filtered by kind and status."""
    def rows() -> list[Application]:
        query = select(Application).order_by(Application.id).limit(min(max(limit, 1), 500))
        if kind:
            query = query.where(Application.kind == kind)
        if status:
            query = query.where(Application.status == status)
        with records.database.session() as session:
            return list(session.scalars(query))

    return {"applications": [public_application(a) for a in await run_in_threadpool(rows)]}


@router.get("/{receipt_number}")
async def detail(receipt_number: str, request: Request, member: Reviewer, records: RecordsDep,
                 console: ConsoleDep) -> dict[str, Any]:
    """One application with its answers, its attachments and its audit trail."""
    application = await run_in_threadpool(records.find, receipt_number)
    if application is None:
        raise ApiError(404, "application_not_found", request_lang(request))
    attachments = [
        {"index": i, "document": a.get("document"), "content_type": a.get("content_type"),
         "url": f"/api/staff/queue/{application.receipt_number}/attachments/{i}"}
        for i, a in enumerate(application.attachments or [])
    ]
    await run_in_threadpool(console.audit.record, member.username, "view_application",
                            f"application:{application.receipt_number}")
    trail = await run_in_threadpool(console.audit.recent, 50, f"application:{application.receipt_number}")
    return {"application": {**public_application(application), "payload": application.payload,
                            "attachments": attachments}, "audit": trail}


@router.get("/{receipt_number}/attachments/{index}")
async def attachment(receipt_number: str, index: int, request: Request, member: Reviewer, records: RecordsDep,
                     uploads: UploadsDep) -> FileResponse:
    """An attached document photo (served as stored, never sniffed)."""
    application = await run_in_threadpool(records.find, receipt_number)
    items = (application.attachments or []) if application is not None else []
    if not 0 <= index < len(items) or not items[index].get("sha256"):
        raise ApiError(404, "not_found", request_lang(request))
    item = items[index]
    try:
        path = uploads.path_for(item["sha256"], item.get("content_type") or "")
    except KeyError:  # not a type uploads accept: nothing was stored
        path = None
    if path is None or not path.is_file():
        raise ApiError(404, "not_found", request_lang(request))
    return FileResponse(path, media_type=item.get("content_type") or "application/octet-stream",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                                 "Content-Security-Policy": "default-src 'none'"})


@router.post("/{receipt_number}/decision")
async def decide(receipt_number: str, body: Decision, request: Request, member: Reviewer, records: RecordsDep,
                 console: ConsoleDep) -> dict[str, Any]:
    """Move the application on (in_review, approved, rejected with a note); the citizen sees it in the chat."""
    return {"application": await change_status(request, records, console, member.username, receipt_number,
                                               body.status, body.note)}


async def change_status(request: Request, records: Any, console: Any, actor: str, receipt_number: str,
                        status: ApplicationStatus, note: str | None) -> dict[str, Any]:
    """Shared by the queue and the token endpoint: checks, moves, and writes the audit entry."""
    lang = request_lang(request)
    if status is ApplicationStatus.REJECTED and not (note or "").strip():
        raise ApiError(422, "note_required", lang)
    current = await run_in_threadpool(records.find, receipt_number)
    if current is None:
        raise ApiError(404, "application_not_found", lang)
    try:
        moved = await run_in_threadpool(records.move_status, receipt_number, status, note)
    except IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", lang, current=current.status.value, target=status.value) from exc
    await run_in_threadpool(console.audit.record, actor, f"application_{status.value}",
                            f"application:{moved.receipt_number}", previous=current.status.value, note=note)
    return public_application(moved)
