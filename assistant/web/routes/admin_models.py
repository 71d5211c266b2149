"""Admin endpoints of the model registry: list, activate, roll back, train, read a run's report.

Two ways in: the CLI sends `Authorization: Bearer $ASSISTANT_ADMIN_TOKEN`; the staff console sends
its session cookie (and the CSRF header on changes) and needs the admin role: editors and reviewers
get 403. `assistant models activate|rollback` calls these when the service runs, so the swap
happens inside the process that serves the conversations.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.models.hotswap import SwapFailed, activate_in_service, registry_of, rollback_in_service
from assistant.models.registry import RegistryError
from assistant.models.rollout import ActivationRefused
from assistant.web.errors import ApiError, request_lang

router = APIRouter(prefix="/api/admin/models", tags=["admin"])
# Files of a run's report: index.html, results.json and the plots (no folders, no dot files).
REPORT_FILE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,80}$")
REPORT_TYPES = {".html": "text/html; charset=utf-8", ".png": "image/png", ".json": "application/json"}


async def _admin(request: Request) -> str:
    """Who acts: `token` for the bearer token (CLI), else the signed-in staff admin's username.

    A bearer header decides alone (compared in constant time; off unless ASSISTANT_ADMIN_TOKEN is
    set). Without one, a staff session cookie is checked like every staff route (CSRF on changes)
    and must belong to an admin.
    """
    from assistant.staff.sessions import STAFF_COOKIE

    lang = request_lang(request)
    expected = request.app.state.settings.admin_token
    header = request.headers.get("authorization", "")
    staff = getattr(request.app.state, "staff", None)
    if not header and staff is not None and request.cookies.get(STAFF_COOKIE):
        from assistant.web.staff_deps import current_staff

        member = await current_staff(request)
        if not member.can("admin"):
            raise ApiError(403, "role_required", lang, role="admin")
        return member.username
    if not expected:
        raise ApiError(403, "admin_disabled", lang)
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "admin_token_invalid", lang)
    return "token"


CurrentAdmin = Annotated[str, Depends(_admin)]


async def _audit(request: Request, actor: str, action: str, target: str, **details: Any) -> None:
    # Console admins' roll-outs join the staff audit log; the CLI's token is not a person.
    staff = getattr(request.app.state, "staff", None)
    if staff is not None and actor != "token":
        await run_in_threadpool(staff.audit.record, actor, action, target, **details)


class Activation(BaseModel):
    """A registered version to put live; `force` skips the quality gate."""

    version: str = Field(min_length=1, max_length=200)
    force: bool = False


@router.get("")
async def list_models(request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Every registered artefact, the active versions, and what the service has loaded now."""
    registry = registry_of(request.app.state.settings)
    artefacts = await run_in_threadpool(registry.artefacts)
    index = request.app.state.knowledge
    return {
        "artefacts": [asdict(a) for a in artefacts],
        "active": await run_in_threadpool(registry.active),
        "loaded": {
            "index_chunks": index.size if index is not None else 0,
            "embedding_model": index.model_id if index is not None else None,
        },
    }


@router.post("/activate")
async def activate(body: Activation, request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Gate, load (Rasa via `PUT /model`, the index off the event loop) and mark active."""
    lang = request_lang(request)
    try:
        answer = await activate_in_service(request.app, body.version, body.force)
    except ActivationRefused as exc:
        raise ApiError(409, "model_refused", lang, detail=str(exc)) from exc
    except SwapFailed as exc:
        raise ApiError(502, "model_swap_failed", lang, detail=str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(404, "model_not_found", lang, detail=str(exc)) from exc
    await _audit(request, admin, "model_activate", body.version, force=body.force)
    return answer


@router.post("/rollback")
async def rollback(request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Back to the previous active Rasa model and index."""
    lang = request_lang(request)
    try:
        answer = await rollback_in_service(request.app)
    except SwapFailed as exc:
        raise ApiError(502, "model_swap_failed", lang, detail=str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(409, "model_not_found", lang, detail=str(exc)) from exc
    await _audit(request, admin, "model_rollback", ",".join(sorted(answer["active"].values())))
    return answer


class TrainingRequest(BaseModel):
    """Start a training run: `full` (Rasa model and index) or `index` only; `fine_tune_questions`
    is a CSV path on the server; `evaluate` ends the run with a quick evaluation and its report."""

    kind: Literal["full", "index"] = "full"
    force: bool = False
    fine_tune_questions: str | None = Field(default=None, max_length=500)
    evaluate: bool = True


@router.post("/train", status_code=202)
async def start_training(body: TrainingRequest, request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Start `assistant train --no-activate` in the background; follow it with GET /train/{id}."""
    from pathlib import Path

    from assistant.models.jobs import as_public
    from assistant.models.jobs import start_training as start

    questions = Path(body.fine_tune_questions) if body.fine_tune_questions else None
    if questions is not None and not questions.is_file():
        raise ApiError(422, "invalid_request", request_lang(request), detail=f"{questions}: no such file")
    job = await run_in_threadpool(
        lambda: start(request.app.state.settings, questions, body.force, kind=body.kind, evaluate=body.evaluate))
    await _audit(request, admin, "model_train", job.id, kind=body.kind)
    return as_public(job)


@router.get("/train/{job_id}")
async def training_status(job_id: str, request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """running | succeeded | failed, the step reached (`progress` 0..1), the last lines of the output,
    and whether the run's evaluation report is ready (`report_url`)."""
    from assistant.models.jobs import as_public, job_status

    try:
        job = await run_in_threadpool(job_status, request.app.state.settings, job_id)
    except FileNotFoundError as exc:
        raise ApiError(404, "not_found", request_lang(request)) from exc
    return {**as_public(job), "report_url": f"{router.prefix}/train/{job.id}/report/index.html" if job.report_ready else None}


@router.get("/train/{job_id}/report/{name}")
async def training_report(job_id: str, name: str, request: Request, admin: CurrentAdmin) -> FileResponse:
    """A file of the run's evaluation report (the HTML page and the plots it links relatively)."""
    from pathlib import Path

    from assistant.models.jobs import report_dir

    folder = report_dir(request.app.state.settings, job_id) if job_id.replace("-", "").isalnum() else None
    media = REPORT_TYPES.get(Path(name).suffix)
    if folder is None or media is None or not REPORT_FILE.match(name) or not (folder / name).is_file():
        raise ApiError(404, "not_found", request_lang(request))
    # The report carries its own inline styles: this page alone may use them; no scripts at all.
    headers = {"Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
               "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return FileResponse(folder / name, media_type=media, headers=headers)
