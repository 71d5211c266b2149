"""Loading the knowledge index for the service, rebuilding or updating it only when needed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.knowledge.loader import load_guides
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.index import KnowledgeIndex, StaleIndexError, read_manifest
from assistant.settings import Settings

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexReport:
    """What `ensure_index` did."""

    action: str  # loaded | updated | built
    chunks: int
    services: int
    stats: dict[str, int]


def make_embedder(settings: Settings) -> Embedder | None:
    """The configured embedder (not loaded yet), or None when dense retrieval is switched off."""
    if settings.dense_model is None:
        return None
    return Embedder(settings.dense_model, cache_dir=settings.model_cache_dir, query_engine=settings.query_engine)


def index_is_current(settings: Settings, kb_dir: Path, index_dir: Path) -> bool:
    """Whether the saved index already matches the guide files and the embedding model.

    Cheap (no model is loaded): `make run` asks this before deciding to load anything.
    """
    from assistant.retrieval.index import guide_hash, manifest_serves

    try:
        manifest = read_manifest(index_dir)
    except FileNotFoundError:
        return False
    if not manifest_serves(manifest, settings.dense_model):
        return False
    current = {g.id: guide_hash(g) for g in load_guides(kb_dir)}
    return current == manifest.get("guides")


def ensure_index(
    settings: Settings,
    embedder: Embedder | None,
    kb_dir: Path | None = None,
    index_dir: Path | None = None,
    progress: Progress | None = None,
) -> tuple[KnowledgeIndex, IndexReport]:
    """The index of `kb_dir`, loaded from `index_dir` and brought up to date with the guide files.

    An index from another embedding model is rebuilt; otherwise only changed guides are re-embedded.
    """
    kb_dir = kb_dir or settings.knowledge_base_dir
    index_dir = index_dir or settings.index_dir
    guides = load_guides(kb_dir)
    index: KnowledgeIndex | None = None
    try:
        read_manifest(index_dir)
        index = KnowledgeIndex.load(index_dir, embedder)
    except FileNotFoundError:
        pass
    except StaleIndexError as exc:
        log.warning("%s", exc)
    if index is None:
        index = KnowledgeIndex.build(guides, embedder, progress=progress)
        index.save(index_dir)
        return index, IndexReport("built", index.size, index.service_count, {"added": len(guides)})
    stats = index.update(guides, progress=progress)
    changed = stats["added"] + stats["changed"] + stats["removed"]
    if changed:
        index.save(index_dir)
    return index, IndexReport("updated" if changed else "loaded", index.size, index.service_count, stats)
