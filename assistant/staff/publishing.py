"""Bringing the running index up to date after a publish, and previewing a draft's answer.

Both run in a worker thread (embedding is CPU work); the routes call them with `run_in_threadpool`.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.knowledge.loader import GuideValidationError, load_guide, load_guides
from assistant.knowledge.schema import ServiceGuide
from assistant.retrieval.index import KnowledgeIndex, SearchHit

# One index update at a time: two publishes in a row must not interleave their chunk edits.
_update_lock = threading.Lock()
PREVIEW_CANDIDATES = 5


def refresh_index(kb_dir: Path, scratch_parent: Path) -> tuple[KnowledgeIndex, dict[str, Any]]:
    """Put live an index that matches `kb_dir` (normally: the one guide just published re-embedded).

    Copy on write: the live index is copied (saved and loaded through a temporary folder, well under a
    second), the copy is updated, and the copy replaces the live one in one step. Citizens' searches
    keep running on the old index meanwhile, never on one half updated. The saved index in
    `index_dir` is not rewritten; the next start-up re-embeds the changed guide only.

    Returns:
        The new live index, and the update's counts with the seconds it took.
    """
    from assistant import services

    started = time.perf_counter()
    with _update_lock:
        guides = load_guides(kb_dir)
        live = services.knowledge_index()
        scratch_parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".publish-", dir=scratch_parent) as folder:
            live.save(Path(folder) / "index")
            fresh = KnowledgeIndex.load(Path(folder) / "index", live.embedder)
        fresh.weights = live.weights
        stats = fresh.update(guides)
        services.install(knowledge=fresh)
    return fresh, {**stats, "seconds": round(time.perf_counter() - started, 3)}


def catch_up_with_files(index: KnowledgeIndex, kb_dir: Path) -> dict[str, int]:
    """Bring an index loaded from a registry snapshot up to date with the guide files at start-up.

    Guides published in the console after the snapshot was taken live in `knowledge_base/`; without
    this, a restart would answer from the snapshot's older text until the next `assistant train`.
    The snapshot folder itself is not touched (the update is in memory).
    """
    with _update_lock:
        return index.update(load_guides(kb_dir))


@dataclass(frozen=True)
class PreviewAnswer:
    """What the assistant would answer to a question with the draft applied."""

    answered: bool
    text: str
    service_id: str | None
    hits: list[dict[str, Any]]


def preview_answer(index: KnowledgeIndex, kb_dir: Path, draft: ServiceGuide, question: str,
                   lang: str) -> PreviewAnswer:
    """Answer `question` as `action_answer_service_question` would, with `draft` replacing its guide.

    The live index names the candidate guides (its top hits); those guides, with the draft in place of
    its published text, are indexed in a scratch index with the live embedder and asked again. That is a
    few dozen chunks, so it takes a second or two; the live index is not touched.
    """
    from actions.i18n import say
    from actions.knowledge import answer_text, is_confident

    candidates = {h.service_id for h in index.search(question, k=PREVIEW_CANDIDATES, lang=lang)} - {draft.id}
    guides = [draft]
    for service_id in sorted(candidates):
        path = kb_dir / f"{service_id}.yml"
        if path.is_file():
            try:
                guides.append(load_guide(path))
            except GuideValidationError:
                continue
    scratch = KnowledgeIndex(index.embedder, index.weights)
    scratch.update(guides)
    hits: list[SearchHit] = scratch.search(question, k=3, lang=lang)
    summary = [{"service_id": h.service_id, "title": h.title, "section": h.section, "score": h.score,
                "confidence": h.confidence, "draft": h.service_id == draft.id} for h in hits]
    if not hits:
        return PreviewAnswer(False, say("kb_nothing", lang), None, summary)
    if not is_confident(hits, lang):
        return PreviewAnswer(False, say("kb_not_sure", lang), None, summary)
    return PreviewAnswer(True, answer_text(hits[0], lang), hits[0].service_id, summary)
