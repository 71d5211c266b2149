"""Putting artefacts live in the running service without dropping a conversation.

- The Rasa model is loaded by each Rasa replica itself (`PUT /model`), one replica at a time while
  the others take the turns (`assistant.rasa_runtime.rolling`; with a single replica a stand-in Rasa
  with the new model serves meanwhile); trackers live in the SQL tracker store, so every
  conversation continues with its slots and active form, and no turn waits for a model load.
- The new knowledge index (and its embedding model) is loaded in a worker thread while the old one
  keeps answering; then the reference is swapped in one step under the services lock.

The index is loaded before Rasa is asked, and swapped only after Rasa accepted its model, so a
failure leaves the service exactly as it was (except a Rasa model Rasa itself already switched to,
which cannot happen: Rasa switches last).
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.models.rollout import SwapTarget

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.retrieval.index import KnowledgeIndex
    from assistant.settings import Settings

log = logging.getLogger(__name__)


class SwapFailed(RuntimeError):
    """The new artefacts could not be loaded; the old ones stay live."""


def load_index(settings: Settings, index_dir: Path, embedding_model: str | None,
               current: KnowledgeIndex | None = None) -> KnowledgeIndex:
    """Load an index folder with its embedding model (blocking: seconds; run it off the event loop).

    The embedding model already in service is reused when it is the one the index needs.
    """
    from assistant.retrieval.embedder import Embedder
    from assistant.retrieval.index import KnowledgeIndex

    embedder = None
    if embedding_model:
        if current is not None and current.embedder is not None and current.embedder.model_id == embedding_model:
            embedder = current.embedder
        else:
            embedder = Embedder(
                embedding_model, cache_dir=settings.model_cache_dir, query_engine=settings.query_engine
            ).load()
    return KnowledgeIndex.load(index_dir, embedder)


def _swap_lock(app: FastAPI) -> asyncio.Lock:
    # One swap at a time; created lazily on the serving loop.
    lock = getattr(app.state, "model_swap_lock", None)
    if lock is None:
        lock = app.state.model_swap_lock = asyncio.Lock()
    return lock


async def swap(app: FastAPI, target: SwapTarget) -> dict[str, Any]:
    """Load `target` into the running service; returns what was loaded and how long it took.

    Raises:
        SwapFailed: a file is missing, the index does not load, or Rasa refused the model.
    """
    settings: Settings = app.state.settings
    async with _swap_lock(app):
        started = time.monotonic()
        report: dict[str, Any] = {}
        new_index = None
        if target.index_dir is not None:
            folder = Path(target.index_dir)
            if not (folder / "manifest.json").exists():
                raise SwapFailed(f"no index in {folder}")
            try:
                new_index = await run_in_threadpool(
                    load_index, settings, folder, target.embedding_model, app.state.knowledge
                )
            except Exception as exc:  # noqa: BLE001 - any loading error leaves the old index live
                raise SwapFailed(f"the index in {folder} did not load: {exc}") from exc
            report["index_load_s"] = round(time.monotonic() - started, 3)
        if target.rasa_model is not None:
            model = Path(target.rasa_model)
            if not model.exists():
                raise SwapFailed(f"no Rasa model at {model}")
            rasa_started = time.monotonic()
            try:
                # The pool rolls the model replica by replica (blue/green with a stand-in Rasa when
                # there is one replica), so turns keep flowing to a live Rasa; it also records the
                # model on the replica board, so the supervisor restarts a crashed replica with it.
                rolled = await app.state.rasa.load_model(str(model.resolve()))
            except Exception as exc:  # noqa: BLE001 - Rasa keeps its old agent when loading fails
                raise SwapFailed(f"Rasa did not load {model.name}: {exc}") from exc
            report["rasa_model"] = model.name
            report["rasa_load_s"] = round(time.monotonic() - rasa_started, 3)
            if isinstance(rolled, dict):
                report["rasa_rollout"] = rolled
        if new_index is not None:
            install_index(app, new_index)
            report["index"] = str(target.index_dir)
            report["embedding_model"] = new_index.model_id
        report["seconds"] = round(time.monotonic() - started, 3)
        log.info("models swapped: %s", report)
        return report


def install_index(app: FastAPI, index: KnowledgeIndex, version: str | None = None) -> None:
    """Put `index` live in this worker in one step; `version` is the registry version it is (what
    the follower of other workers' activations compares with)."""
    services.install(knowledge=index)
    app.state.knowledge = index
    if version is not None:
        app.state.index_version = version


def registry_of(settings: Settings) -> "ModelRegistry":
    """The registry of the service's runtime folder."""
    from assistant.models.registry import ModelRegistry

    return ModelRegistry.for_var_dir(settings.var_dir)


async def activate_in_service(app: FastAPI, version: str, force: bool = False) -> dict[str, Any]:
    """Gate, load and mark active one registered version; what the admin endpoint (and later the
    staff console) calls.

    Raises:
        RegistryError: unknown version. ActivationRefused: the gate said no. SwapFailed: loading failed.
    """
    from assistant.models.rollout import plan_activation

    settings: Settings = app.state.settings
    registry = registry_of(settings)
    plan = await run_in_threadpool(plan_activation, registry, version, force, settings.activate_margin)
    report = await swap(app, plan.target)
    active = await run_in_threadpool(registry.set_active, plan.versions, f"activate {version}")
    app.state.index_version = active.get("index")  # so this worker's follower does not load it again
    return {"active": active, "swap": report, "gate": [g.describe() for g in plan.gate]}


async def rollback_in_service(app: FastAPI) -> dict[str, Any]:
    """Return the service to the previous active pair and pop it from the history.

    Raises:
        RegistryError: nothing to roll back to. SwapFailed: loading failed (the registry is unchanged).
    """
    from assistant.models.rollout import plan_rollback

    registry = registry_of(app.state.settings)
    plan = await run_in_threadpool(plan_rollback, registry)
    report = await swap(app, plan.target)
    active = await run_in_threadpool(registry.pop_active)
    app.state.index_version = active.get("index")
    return {"active": active, "swap": report}


if TYPE_CHECKING:
    from assistant.models.registry import ModelRegistry
