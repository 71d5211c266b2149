"""Admin endpoints of the model registry: list, activate, roll back (behind `ASSISTANT_ADMIN_TOKEN`).

`assistant models activate|rollback` calls these when the service runs, so the swap happens inside
the process that serves the conversations.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.models.hotswap import SwapFailed, activate_in_service, registry_of, rollback_in_service
from assistant.models.registry import RegistryError
from assistant.models.rollout import ActivationRefused
from assistant.web.errors import ApiError, request_lang

router = APIRouter(prefix="/api/admin/models", tags=["admin"])


def _admin(request: Request) -> None:
    # Off unless ASSISTANT_ADMIN_TOKEN is set; compared in constant time.
    lang = request_lang(request)
    expected = request.app.state.settings.admin_token
    if not expected:
        raise ApiError(403, "admin_disabled", lang)
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "admin_token_invalid", lang)


CurrentAdmin = Annotated[None, Depends(_admin)]


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
        return await activate_in_service(request.app, body.version, body.force)
    except ActivationRefused as exc:
        raise ApiError(409, "model_refused", lang, detail=str(exc)) from exc
    except SwapFailed as exc:
        raise ApiError(502, "model_swap_failed", lang, detail=str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(404, "model_not_found", lang, detail=str(exc)) from exc


@router.post("/rollback")
async def rollback(request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Back to the previous active Rasa model and index."""
    lang = request_lang(request)
    try:
        return await rollback_in_service(request.app)
    except SwapFailed as exc:
        raise ApiError(502, "model_swap_failed", lang, detail=str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(409, "model_not_found", lang, detail=str(exc)) from exc


class TrainingRequest(BaseModel):
    """Start a training run; `fine_tune_questions` is a CSV path on the server."""

    force: bool = False
    fine_tune_questions: str | None = Field(default=None, max_length=500)


@router.post("/train", status_code=202)
async def start_training(body: TrainingRequest, request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """Start `assistant train --no-activate` in the background; follow it with GET /train/{id}."""
    from pathlib import Path

    from assistant.models.jobs import start_training as start

    questions = Path(body.fine_tune_questions) if body.fine_tune_questions else None
    if questions is not None and not questions.is_file():
        raise ApiError(422, "invalid_request", request_lang(request), detail=f"{questions}: no such file")
    job = await run_in_threadpool(start, request.app.state.settings, questions, body.force)
    return asdict(job)


@router.get("/train/{job_id}")
async def training_status(job_id: str, request: Request, admin: CurrentAdmin) -> dict[str, Any]:
    """running | succeeded | failed, with the last lines of the run's output."""
    from assistant.models.jobs import job_status

    try:
        return asdict(await run_in_threadpool(job_status, request.app.state.settings, job_id))
    except FileNotFoundError as exc:
        raise ApiError(404, "not_found", request_lang(request)) from exc
