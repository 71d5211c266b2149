"""Staff endpoint: move an application through its review (behind `ASSISTANT_STAFF_TOKEN`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.records.models import ApplicationStatus
from assistant.records.store import IllegalTransition
from assistant.web.deps import CurrentStaff, RecordsDep
from assistant.web.errors import ApiError, request_lang
from assistant.web.routes.applications import public_application

router = APIRouter(prefix="/api/staff", tags=["staff"])


class StatusChange(BaseModel):
    """The new status, and a note (required for a rejection)."""

    status: ApplicationStatus
    note: str | None = Field(default=None, max_length=1000)


@router.post("/applications/{receipt_number}/status")
async def move_status(
    receipt_number: str, body: StatusChange, request: Request, staff: CurrentStaff, records: RecordsDep
) -> dict[str, Any]:
    """submitted -> in_review -> approved / rejected; any other move is refused with 409."""
    lang = request_lang(request)
    if body.status is ApplicationStatus.REJECTED and not (body.note or "").strip():
        raise ApiError(422, "note_required", lang)
    current = await run_in_threadpool(records.find, receipt_number)
    if current is None:
        raise ApiError(404, "application_not_found", lang)
    try:
        moved = await run_in_threadpool(records.move_status, receipt_number, body.status, body.note)
    except IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", lang, current=current.status.value, target=body.status.value) from exc
    return {"application": public_application(moved)}
