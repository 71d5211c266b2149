"""The signed-in citizen's applications, and the sample certificate PDFs issued to them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from actions.clients import CertificateClient
from assistant.records.models import Application
from assistant.web.deps import CurrentSession, RecordsDep, SettingsDep
from assistant.web.errors import ApiError, request_lang

router = APIRouter(prefix="/api/applications", tags=["applications"])


@router.get("")
async def my_applications(session: CurrentSession, records: RecordsDep) -> dict[str, list[dict[str, Any]]]:
    """The citizen's applications, newest first."""
    rows = await run_in_threadpool(records.list_for_citizen, f"citizen:{session.citizen_id}")
    return {"applications": [public_application(a) for a in rows]}


@router.get("/{receipt_number}/certificate.pdf")
async def certificate_pdf(
    receipt_number: str, request: Request, session: CurrentSession, records: RecordsDep, settings: SettingsDep
) -> FileResponse:
    """The issued sample certificate; only the citizen it was issued to can download it."""
    application = await run_in_threadpool(records.find_for_citizen, receipt_number, f"citizen:{session.citizen_id}")
    recorded = (application.payload or {}).get("certificate_file") if application is not None else None
    if application is not None and application.kind == "resident_certificate" and \
            (not recorded or not (settings.certificates_dir / recorded).is_file()):
        # Filed, but the service stopped (a crash, a kill) before the PDF was written or recorded:
        # issue it now, exactly as the submission would have (an existing file is only recorded).
        await CertificateClient().issue(application.receipt_number, session.citizen_id, application.payload or {})
        application = await run_in_threadpool(records.find_for_citizen, receipt_number, f"citizen:{session.citizen_id}")
    file_name = (application.payload or {}).get("certificate_file") if application else None
    path = settings.certificates_dir / file_name if file_name else None
    if path is None or not path.is_file():
        # The same answer for "not yours" and "does not exist": nothing leaks about others.
        raise ApiError(404, "certificate_not_found", request_lang(request))
    return FileResponse(path, media_type="application/pdf", filename=f"SAMPLE-{application.receipt_number}.pdf")


def public_application(application: Application) -> dict[str, Any]:
    """An application as the API shows it."""
    return {
        "receipt_number": application.receipt_number,
        "kind": application.kind,
        "status": application.status.value,
        "status_note": application.status_note,
        "attachments": [a.get("document") for a in application.attachments or []],
        "created_at": application.created_at.isoformat(),
        "updated_at": application.updated_at.isoformat(),
    }
