"""`GET /api/kb/search`: knowledge-base search over the service guides."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.web.errors import ApiError, request_lang
from assistant.web.schemas import SearchResponse, SearchResult

router = APIRouter(prefix="/api/kb", tags=["knowledge base"])


@router.get("/search", response_model=SearchResponse)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=2000)],
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    lang: Literal["ko", "en"] = "ko",
) -> SearchResponse:
    """Services matching `q`, best first, each with its best section."""
    if not q.strip():
        raise ApiError(422, "bad_query", request_lang(request), detail="q is empty")
    index = services.knowledge_index()
    # Embedding the query and scanning the index are CPU work: keep them off the event loop.
    hits = await run_in_threadpool(index.search, q, k, lang)
    return SearchResponse(
        results=[
            SearchResult(service_id=h.service_id, title=h.title, section=h.section, snippet=h.snippet, score=h.score)
            for h in hits
        ]
    )
