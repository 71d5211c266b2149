"""Builds the FastAPI application: routes, error handling, and a lifespan that loads heavy things once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.rasa_runtime.pool import RasaPool
from assistant.rasa_runtime.process import RasaProcess
from assistant.identity import DemoIdentityProvider, SessionSigner
from assistant.retrieval.builder import ensure_index, make_embedder
from assistant.settings import Settings, get_settings
from assistant.staff.console import build_console
from assistant.staff.publishing import catch_up_with_files
from assistant.web.actions_loader import load_action_executor
from assistant.web.database_errors import install_database_error_handler
from assistant.web.errors import install_error_handlers
from assistant.web.routes import staff_analytics, staff_auth, staff_guides, staff_pages, staff_queue, staff_questions
from assistant.web.limits import BodySizeLimit, RateLimits, trusted_proxies
from assistant.web.security_headers import SecurityHeaders
from assistant.security import action_webhook_token
from assistant.web.routes import admin_models, applications, auth, chat, health, kb, nlu, pages, staff, uploads, webhook

STATIC_DIR = Path(__file__).parent / "static"
MAX_JSON_BODY = 1_000_000
# Multipart framing around a 10 MB file; the route itself refuses files over the exact limit.
UPLOAD_BODY_MARGIN = 64 * 1024
# Rasa posts the whole tracker (every event so far) with each action call: a conversation of ~140
# turns passed 1 MB and every action after it failed with 413 (the citizen got no answer). /webhook
# answers only to our Rasa's token, so a larger limit opens nothing to the public.
WEBHOOK_MAX_BODY = 64 * 1024 * 1024
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, rasa_process: RasaProcess | None = None) -> FastAPI:
    """The assistant service. Custom actions are imported here, so a broken `actions/` stops start-up.

    Args:
        settings: defaults to the process settings.
        rasa_process: the supervised Rasa child, when this process started one (its state is on /health).
    """
    settings = settings or get_settings()
    executor = load_action_executor("actions")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        records, citizens, uploads_store = await run_in_threadpool(
            services.build_records_services, settings
        )
        database = records.database
        services.install(records=records, citizens=citizens, uploads=uploads_store)
        app.state.records, app.state.citizens, app.state.uploads = records, citizens, uploads_store
        app.state.identity = DemoIdentityProvider(citizens)
        app.state.sessions = SessionSigner(settings, database)
        app.state.staff = await run_in_threadpool(build_console, settings, database)
        index, app.state.index_version = await run_in_threadpool(_active_registered_index, settings)
        if index is not None:
            # Guides published in the staff console since the snapshot are in the files: answer from them.
            stats = await run_in_threadpool(catch_up_with_files, index, settings.knowledge_base_dir)
            log.info("knowledge index caught up with knowledge_base/: %s", stats)
        else:
            embedder = make_embedder(settings)
            if embedder is not None:
                await run_in_threadpool(embedder.load)
            index, report = await run_in_threadpool(ensure_index, settings, embedder)
            log.info("knowledge index %s: %d chunks, %d services", report.action, report.chunks, report.services)
        services.install(knowledge=index)
        app.state.knowledge = index
        app.state.rasa = RasaPool(settings)  # every Rasa replica, sticky per conversation
        app.state.actions_ready = True
        follower = None
        if settings.workers > 1:
            # Another worker's activation or publish must reach this one too (see models/follower.py).
            from assistant.models.follower import KnowledgeFollower

            follower = asyncio.create_task(KnowledgeFollower(app, settings.knowledge_follow_s).run())
        try:
            yield
        finally:
            if follower is not None:
                follower.cancel()
            try:  # the staff console's last chat turns
                staff = getattr(app.state, "staff", None)
                if staff is not None:
                    await run_in_threadpool(staff.analytics.flush)
            except Exception:  # noqa: BLE001 - shutting down anyway
                log.exception("chat turns for the staff console were not written at shutdown")
            await app.state.rasa.close()
            database.dispose()

    app = FastAPI(
        title="Government-service assistant",
        version="0.1.0",
        description="Korean-first assistant for public services: chat, knowledge-base search, applications.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.action_executor = executor
    app.state.rasa_process = rasa_process
    app.state.actions_ready = False
    app.state.knowledge = None
    app.state.index_version = None
    app.add_middleware(
        BodySizeLimit, max_bytes=MAX_JSON_BODY,
        per_path={"/api/uploads": settings.upload_max_bytes + UPLOAD_BODY_MARGIN, "/webhook": WEBHOOK_MAX_BODY},
    )
    # Outermost, so refusals of the size guard carry the headers too.
    app.add_middleware(SecurityHeaders, trusted_proxies=trusted_proxies(settings))
    app.state.rate_limits = RateLimits(settings)
    app.state.action_webhook_token = action_webhook_token(settings)  # what our Rasa sends to /webhook
    install_error_handlers(app)
    install_database_error_handler(app)  # records DB away past its retry budget -> 503
    for router in (chat.router, nlu.router, kb.router, health.router, webhook.router, auth.router, uploads.router,
                   applications.router, staff.router, admin_models.router, staff_auth.router, staff_guides.router,
                   staff_questions.router, staff_queue.router, staff_analytics.router, staff_pages.router, pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    return app


def _active_registered_index(settings: Settings):  # type: ignore[no-untyped-def]
    """The index the model registry marks active (with its embedding model) and its version, or
    (None, None) without one."""
    from assistant.models.hotswap import load_index, registry_of
    from assistant.models.rollout import plan_state

    registry = registry_of(settings)
    active = registry.active()
    if not active.get("index"):
        return None, None
    target = plan_state(registry, {"index": active["index"]}).target
    log.info("knowledge index: registry version %s (%s)", active["index"], target.index_dir)
    return load_index(settings, Path(str(target.index_dir)), target.embedding_model), active["index"]
