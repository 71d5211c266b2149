"""Keeping every service worker on the same knowledge: the active index and the published guides.

With `--workers M` an admin's activation (or a staff member's publish) reaches one worker process;
the others would answer from their old index until they restart. Each worker therefore follows the
two shared sources of truth: the model registry's active index version, and the guide files in
`knowledge_base/`. A change is loaded off the event loop and swapped in one step, as the worker
that made it did.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)


def guide_files_signature(kb_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every guide file: changes when a guide is published,
    added or removed (publishing replaces the file, so its mtime moves)."""
    try:
        entries = list(os.scandir(kb_dir))
    except FileNotFoundError:
        return ()
    rows = []
    for entry in entries:
        if entry.is_file() and entry.name.endswith((".yml", ".yaml", ".md")):
            stat = entry.stat()
            rows.append((entry.name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(rows))


class KnowledgeFollower:
    """Polls the registry and the guide folder; loads what another worker put live.

    Args:
        app: the worker's FastAPI app (`app.state.settings`, `.knowledge`, `.index_version`).
        interval_s: seconds between checks.
    """

    def __init__(self, app: Any, interval_s: float) -> None:
        self.app = app
        self.interval_s = interval_s
        settings: Settings = app.state.settings
        self.kb_dir = settings.knowledge_base_dir
        self._guides_seen = guide_files_signature(self.kb_dir)

    async def run(self) -> None:
        """Check forever (until cancelled); a failed check is logged and tried again next time."""
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.check_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a broken file must not stop following
                log.exception("following the shared knowledge failed; trying again in %.0f s", self.interval_s)

    async def check_once(self) -> list[str]:
        """One check; returns what was brought up to date ("index", "guides")."""
        done: list[str] = []
        if await self._follow_registry():
            done.append("index")
        signature = await run_in_threadpool(guide_files_signature, self.kb_dir)
        if signature != self._guides_seen:
            self._guides_seen = signature
            if await self._follow_guides():
                done.append("guides")
        return done

    async def _follow_registry(self) -> bool:
        from assistant.models.hotswap import install_index, load_index, registry_of
        from assistant.models.rollout import plan_state

        settings: Settings = self.app.state.settings
        registry = registry_of(settings)
        active = (await run_in_threadpool(registry.active)).get("index")
        if not active or active == getattr(self.app.state, "index_version", None):
            return False
        target = (await run_in_threadpool(plan_state, registry, {"index": active})).target
        index = await run_in_threadpool(
            load_index, settings, Path(str(target.index_dir)), target.embedding_model, self.app.state.knowledge
        )
        install_index(self.app, index, active)
        log.info("index %s put live by another worker: loaded here too", active)
        return True

    async def _follow_guides(self) -> bool:
        from assistant.staff.publishing import refresh_index

        settings: Settings = self.app.state.settings
        live = self.app.state.knowledge
        if live is None or not await run_in_threadpool(_guides_differ, live, self.kb_dir):
            return False  # this worker published it (or nothing that matters changed)
        fresh, stats = await run_in_threadpool(refresh_index, self.kb_dir, settings.var_dir)
        self.app.state.knowledge = fresh
        log.info("guides published by another worker: index updated here too (%s)", stats)
        return True


def _guides_differ(index: Any, kb_dir: Path) -> bool:
    """Whether the guide files say something the index does not (added, changed or removed guides)."""
    from assistant.knowledge.loader import load_guides
    from assistant.retrieval.index import guide_hash

    guides = load_guides(kb_dir)
    return {g.id: guide_hash(g) for g in guides} != dict(index._guide_hashes)
