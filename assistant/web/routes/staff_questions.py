"""Unanswered questions for staff: groups, and turning a group into guide text or NLU training data."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.staff.curation import add_nlu_examples, add_to_guide_text, known_intents
from assistant.staff.guides import GuideProblems
from assistant.web.errors import ApiError, request_lang
from assistant.web.schemas import RowId
from assistant.web.routes.staff_guides import problems_response
from assistant.web.staff_deps import ConsoleDep, Editor

router = APIRouter(prefix="/api/staff/unanswered", tags=["staff"])


class Selection(BaseModel):
    """The questions of a group (ids, as the group listing gave them)."""

    question_ids: list[RowId] = Field(min_length=1, max_length=5000)


class AttachIn(Selection):
    """Attach to a guide as asked questions, aliases, or one FAQ (with its answer)."""

    service_id: str = Field(min_length=2, max_length=80)
    attach_as: Literal["question", "alias", "faq"] = "question"
    answer_ko: str | None = Field(default=None, max_length=2000)
    answer_en: str | None = Field(default=None, max_length=2000)


class TrainIn(Selection):
    """Add as NLU training examples of an intent."""

    intent: str = Field(min_length=1, max_length=80)


def _encoder() -> Any:
    # The retrieval embedder groups paraphrases best; without one (lexical-only index) n-grams do.
    index = services.knowledge_index()
    if index.embedder is None:
        return None
    return lambda texts: index.embedder.encode_queries(list(texts))


@router.get("")
async def groups(member: Editor, console: ConsoleDep) -> dict[str, Any]:
    """Open questions grouped by similarity, largest group first, with counts per status."""
    found = await run_in_threadpool(console.misses.groups, _encoder())
    counts = await run_in_threadpool(console.misses.counts)
    return {"groups": found, "counts": counts}


@router.get("/intents")
async def intents(member: Editor, console: ConsoleDep) -> dict[str, list[str]]:
    """Intents one can add examples to."""
    return {"intents": await run_in_threadpool(known_intents, console.domain_path)}


@router.post("/attach", response_model=None)
async def attach(body: AttachIn, request: Request, member: Editor, console: ConsoleDep) -> dict[str, Any] | JSONResponse:
    """Add the questions to the guide's open draft (which then goes through review as usual)."""
    lang = request_lang(request)
    texts = await run_in_threadpool(console.misses.texts, body.question_ids)
    if not texts:
        raise ApiError(409, "nothing_selected", lang)
    try:
        base = await run_in_threadpool(_draft_or_published, console, body.service_id)
    except LookupError as exc:
        raise ApiError(404, "guide_not_found", lang) from exc
    answer = {"ko": body.answer_ko or "", "en": body.answer_en or ""} if body.attach_as == "faq" else None
    try:
        text = add_to_guide_text(base, texts, body.attach_as, answer)
    except ValueError as exc:
        raise ApiError(422, "bad_request", lang, detail=str(exc)) from exc
    try:
        version = await run_in_threadpool(console.desk.save_draft, body.service_id, text, member.username)
    except GuideProblems as exc:
        return problems_response(request, exc.problems)
    closed = await run_in_threadpool(console.misses.resolve, body.question_ids, "attached",
                                     f"guide:{body.service_id}:{body.attach_as}")
    await run_in_threadpool(console.audit.record, member.username, "attach_questions", f"guide:{body.service_id}",
                            questions=closed, attach_as=body.attach_as, version=version["number"])
    return {"version": version, "closed": closed}


@router.post("/train")
async def train(body: TrainIn, request: Request, member: Editor, console: ConsoleDep) -> dict[str, Any]:
    """Write the questions as examples of `intent` into `nlu_data/nlu/staff_examples.yml`."""
    lang = request_lang(request)
    if body.intent not in await run_in_threadpool(known_intents, console.domain_path):
        raise ApiError(422, "unknown_intent", lang, intent=body.intent)
    texts = await run_in_threadpool(console.misses.texts, body.question_ids)
    if not texts:
        raise ApiError(409, "nothing_selected", lang)
    added = await run_in_threadpool(add_nlu_examples, console.nlu_examples_path, body.intent, [t for t, _ in texts])
    closed = await run_in_threadpool(console.misses.resolve, body.question_ids, "trained", f"intent:{body.intent}")
    await run_in_threadpool(console.audit.record, member.username, "add_nlu_examples", f"intent:{body.intent}",
                            questions=closed, examples_added=added)
    return {"examples_added": added, "closed": closed, "file": "nlu_data/nlu/staff_examples.yml"}


@router.post("/dismiss")
async def dismiss(body: Selection, member: Editor, console: ConsoleDep) -> dict[str, int]:
    """Close the questions without acting on them."""
    closed = await run_in_threadpool(console.misses.resolve, body.question_ids, "dismissed", "dismissed")
    await run_in_threadpool(console.audit.record, member.username, "dismiss_questions", "unanswered", questions=closed)
    return {"closed": closed}


def _draft_or_published(console: Any, service_id: str) -> str:
    rows = console.desk.list_guides("")
    row = next((r for r in rows if r["service_id"] == service_id), None)
    if row is None:
        raise LookupError(service_id)
    if row["open_version"] is not None:
        return console.desk.version(row["open_version"]["id"])["yaml_text"]
    text = console.desk.file_text(service_id)
    if text is None:
        raise LookupError(service_id)
    return text
