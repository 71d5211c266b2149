"""Guide curation for staff: list, edit (validated per field), review, publish, history, rollback, preview."""

from __future__ import annotations

import time
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.staff.guides import GuideProblems, Published, WorkflowError
from assistant.staff.publishing import preview_answer, refresh_index
from assistant.staff.validation import FieldProblem, check_guide_text
from assistant.web.errors import ApiError, error_body, request_lang
from assistant.web.schemas import MAX_ROW_ID, RowIdPath
from assistant.web.staff_deps import ConsoleDep, Editor, Reviewer

router = APIRouter(prefix="/api/staff/guides", tags=["staff"])
MAX_GUIDE_CHARS = 200_000


class DraftIn(BaseModel):
    """The guide's full YAML text."""

    yaml_text: str = Field(min_length=1, max_length=MAX_GUIDE_CHARS)


class ReviewNote(BaseModel):
    """Why a text is sent back."""

    note: str = Field(min_length=1, max_length=1000)


class RollbackIn(BaseModel):
    """Which earlier version to publish again."""

    number: int = Field(ge=1, le=MAX_ROW_ID)


class PreviewIn(BaseModel):
    """A question, and the text to answer it from (the open draft when omitted)."""

    question: str = Field(min_length=1, max_length=2000)
    lang: Literal["ko", "en"] = "ko"
    yaml_text: str | None = Field(default=None, max_length=MAX_GUIDE_CHARS)


def problems_response(request: Request, problems: list[FieldProblem]) -> JSONResponse:
    """422 naming each field that fails the guide schema."""
    body = error_body("guide_invalid", request_lang(request))
    body["error"]["fields"] = [{"field": p.field, "reason": p.reason} for p in problems]  # type: ignore[index]
    return JSONResponse(body, status_code=422)


@router.get("")
async def list_guides(member: Editor, console: ConsoleDep, q: str = "") -> dict[str, Any]:
    """Guides (filtered by id, name or alias), each with its open draft if any."""
    return {"guides": await run_in_threadpool(console.desk.list_guides, q[:100])}


@router.get("/{service_id}")
async def get_guide(service_id: str, request: Request, member: Editor, console: ConsoleDep) -> dict[str, Any]:
    """The published text and the open draft (with its text and diff)."""
    try:
        published = await run_in_threadpool(console.desk.file_text, service_id)
    except LookupError as exc:
        raise ApiError(404, "guide_not_found", request_lang(request)) from exc
    rows = await run_in_threadpool(console.desk.list_guides, "")
    row = next((r for r in rows if r["service_id"] == service_id), None)
    if row is None:
        raise ApiError(404, "guide_not_found", request_lang(request))
    draft = None
    if row["open_version"] is not None:
        draft = await run_in_threadpool(console.desk.version, row["open_version"]["id"])
        draft["diff"] = await run_in_threadpool(console.desk.diff_against_published, draft["id"])  # type: ignore[index]
    return {"service_id": service_id, "published_text": published, "draft": draft}


@router.post("/{service_id}/validate")
async def validate(service_id: str, body: DraftIn, member: Editor) -> dict[str, Any]:
    """Check a text without saving it: `{"valid", "fields": [{"field","reason"}]}`."""
    _, problems = await run_in_threadpool(check_guide_text, body.yaml_text, service_id)
    return {"valid": not problems, "fields": [{"field": p.field, "reason": p.reason} for p in problems]}


@router.put("/{service_id}/draft", response_model=None)
async def save_draft(service_id: str, body: DraftIn, request: Request, member: Editor,
                     console: ConsoleDep) -> dict[str, Any] | JSONResponse:
    """Save the guide's open draft (422 with per-field problems when it fails the schema)."""
    try:
        version = await run_in_threadpool(console.desk.save_draft, service_id, body.yaml_text, member.username)
    except GuideProblems as exc:
        return problems_response(request, exc.problems)
    await run_in_threadpool(console.audit.record, member.username, "save_draft", f"guide:{service_id}",
                            version=version["number"])
    return {"version": version}


@router.post("/versions/{version_id}/submit")
async def submit(version_id: RowIdPath, request: Request, member: Editor, console: ConsoleDep) -> dict[str, Any]:
    """Send a draft for review."""
    version = await _workflow(request, console.desk.submit, version_id, member.username)
    await run_in_threadpool(console.audit.record, member.username, "submit_for_review",
                            f"guide:{version['service_id']}", version=version["number"])
    return {"version": version}


@router.post("/versions/{version_id}/reject")
async def reject(version_id: RowIdPath, body: ReviewNote, request: Request, member: Reviewer,
                 console: ConsoleDep) -> dict[str, Any]:
    """Send a text under review back to its author with a note (reviewers)."""
    version = await _workflow(request, console.desk.reject, version_id, member.username, body.note)
    await run_in_threadpool(console.audit.record, member.username, "reject_version",
                            f"guide:{version['service_id']}", version=version["number"], note=body.note)
    return {"version": version}


@router.post("/versions/{version_id}/publish", response_model=None)
async def publish(version_id: RowIdPath, request: Request, member: Reviewer,
                  console: ConsoleDep) -> dict[str, Any] | JSONResponse:
    """Publish a text under review (reviewers): the file is written and the running index updated."""
    started = time.perf_counter()
    try:
        published: Published = await _workflow(request, console.desk.publish, version_id, member.username)
    except GuideProblems as exc:
        return problems_response(request, exc.problems)
    return await _after_publish(request, published, member.username, "publish", console, started)


@router.post("/{service_id}/rollback", response_model=None)
async def rollback(service_id: str, body: RollbackIn, request: Request, member: Reviewer,
                   console: ConsoleDep) -> dict[str, Any] | JSONResponse:
    """Publish an earlier version's text again, as a new version (reviewers)."""
    started = time.perf_counter()
    try:
        published = await run_in_threadpool(console.desk.rollback, service_id, body.number, member.username)
    except LookupError as exc:
        raise ApiError(404, "version_not_found", request_lang(request)) from exc
    except GuideProblems as exc:
        return problems_response(request, exc.problems)
    return await _after_publish(request, published, member.username, "rollback", console, started)


@router.get("/{service_id}/history")
async def history(service_id: str, request: Request, member: Editor, console: ConsoleDep) -> dict[str, Any]:
    """Every version, newest first, with a diff against the published text before it."""
    versions = await run_in_threadpool(console.desk.history, service_id)
    if not versions:
        raise ApiError(404, "guide_not_found", request_lang(request))
    return {"service_id": service_id, "versions": versions}


@router.post("/{service_id}/preview", response_model=None)
async def preview(service_id: str, body: PreviewIn, request: Request, member: Editor,
                  console: ConsoleDep) -> dict[str, Any] | JSONResponse:
    """What the assistant would answer to `question` with the draft applied (nothing is published)."""
    text = body.yaml_text
    if text is None:
        rows = await run_in_threadpool(console.desk.list_guides, "")
        row = next((r for r in rows if r["service_id"] == service_id), None)
        if row is None:
            raise ApiError(404, "guide_not_found", request_lang(request))
        text = (row["open_version"] and (await run_in_threadpool(console.desk.version, row["open_version"]["id"]))
                or {}).get("yaml_text") or await run_in_threadpool(console.desk.file_text, service_id)
    guide, problems = await run_in_threadpool(check_guide_text, text or "", service_id)
    if guide is None:
        return problems_response(request, problems)
    answer = await run_in_threadpool(preview_answer, services.knowledge_index(), console.desk.kb_dir, guide,
                                     body.question, body.lang)
    return {"answered": answer.answered, "text": answer.text, "service_id": answer.service_id, "hits": answer.hits}


async def _workflow(request: Request, step: Any, *args: Any) -> Any:
    try:
        return await run_in_threadpool(step, *args)
    except LookupError as exc:
        raise ApiError(404, "version_not_found", request_lang(request)) from exc
    except WorkflowError as exc:
        raise ApiError(409, "workflow_refused", request_lang(request), detail=str(exc)) from exc


async def _after_publish(request: Request, published: Published, actor: str, action: str, console: Any,
                         started: float) -> dict[str, Any]:
    settings = request.app.state.settings
    fresh, stats = await run_in_threadpool(refresh_index, console.desk.kb_dir, settings.var_dir)
    request.app.state.knowledge = fresh  # /health and the admin routes read it from here
    version = published.version
    await run_in_threadpool(console.audit.record, actor, action, f"guide:{version['service_id']}",
                            version=version["number"], index=stats)
    return {"version": version, "index": stats, "seconds": round(time.perf_counter() - started, 3)}
