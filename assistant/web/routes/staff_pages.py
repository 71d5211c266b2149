"""The staff console page at `/staff` (one static page and its script; the same strict CSP as the citizen pages)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from assistant.web.routes.pages import PAGE_HEADERS, STATIC_DIR

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/staff")
async def staff_console() -> FileResponse:
    """The console; it asks staff to sign in when there is no staff session."""
    return FileResponse(STATIC_DIR / "staff" / "index.html", media_type="text/html; charset=utf-8",
                        headers=PAGE_HEADERS)
