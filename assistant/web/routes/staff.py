"""Token endpoint for scripts: move an application through its review (behind `ASSISTANT_STAFF_TOKEN`).

People use the staff console (`/staff`, `routes/staff_queue.py`); this endpoint stays for automation.
A request without a bearer token is answered as a console request instead: it needs a signed-in
reviewer and the CSRF header. Either way the move is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from assistant.records.models import ApplicationStatus
from assistant.web.deps import RecordsDep, _staff
from assistant.web.errors import ApiError, request_lang
from assistant.web.routes.staff_queue import change_status
from assistant.web.staff_deps import ConsoleDep, current_staff

router = APIRouter(prefix="/api/staff", tags=["staff"])


class StatusChange(BaseModel):
    """The new status, and a note (required for a rejection)."""

    status: ApplicationStatus
    note: str | None = Field(default=None, max_length=1000)


async def _token_or_reviewer(request: Request) -> str:
    """Who is acting: "token" for a valid bearer token, else the signed-in reviewer's name."""
    if request.headers.get("authorization", "").lower().startswith("bearer"):
        _staff(request)
        return "token"
    member = await current_staff(request)
    if not member.can("reviewer"):
        raise ApiError(403, "role_required", request_lang(request), role="reviewer")
    return member.username


@router.post("/applications/{receipt_number}/status")
async def move_status(
    receipt_number: str, body: StatusChange, request: Request, records: RecordsDep, console: ConsoleDep,
    actor: str = Depends(_token_or_reviewer),
) -> dict[str, Any]:
    """submitted -> in_review -> approved / rejected; any other move is refused with 409."""
    return {"application": await change_status(request, records, console, actor, receipt_number, body.status, body.note)}
