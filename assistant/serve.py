"""`assistant serve`: the Rasa replicas and the assistant service as one supervised unit.

N Rasa replicas run as child processes (each in its own session) on consecutive ports from
`rasa_port`, each restarted with back-off after a crash; their state goes on the replica board that
every service worker reads. The service runs uvicorn: in this process with one worker (the default,
as `make run` always did), or as M worker processes that each build their own app and Rasa pool
from the settings (uvicorn's multi-worker mode; Rasa supervision stays in this parent). Ctrl-C (or
SIGTERM) stops the service first, then Rasa.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import uvicorn

from assistant.rasa_runtime.process import RasaSupervisor
from assistant.rasa_runtime.training import current_model
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)


class NoModelError(RuntimeError):
    """No trained Rasa model exists yet."""


def _model_to_serve(settings: Settings) -> Path:
    model = active_rasa_model(settings) or current_model(settings)
    if model is None:
        raise NoModelError("no trained Rasa model in models/: run `assistant train` (or `make run`)")
    return model


async def serve(settings: Settings, announce: bool = True) -> None:
    """One service worker in this process: start Rasa and the service, print the URL once both are
    ready, run until stopped."""
    from assistant.web.main import create_app

    model = _model_to_serve(settings)
    rasa = RasaSupervisor(settings, model)
    app = create_app(settings, rasa_process=rasa.replicas[0])  # imports actions/: fails here if they are broken
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
        access_log=False, lifespan="on",
    )
    server = uvicorn.Server(config)
    started = time.monotonic()
    await rasa.start()
    server_task = asyncio.create_task(server.serve(), name="uvicorn")
    if announce:
        asyncio.create_task(_announce_when_ready(settings, started, server_task.done))
    try:
        await server_task
    finally:
        await rasa.stop()
        log.info("stopped")


def worker_app() -> FastAPI:
    """The app of one uvicorn worker process (`--workers M`): settings from the environment the
    parent set, its own Rasa pool reading the parent's replica board."""
    from assistant.web.main import create_app

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "bm25s", "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return create_app(settings)


def serve_workers(settings: Settings, announce: bool = True) -> None:
    """M uvicorn worker processes for the service, the Rasa supervisor on a thread of this parent.

    Blocks until SIGINT/SIGTERM (uvicorn's supervisor handles them on the main thread), then stops
    the workers and Rasa.
    """
    from uvicorn.supervisors import Multiprocess

    from assistant.web.actions_loader import load_action_executor

    model = _model_to_serve(settings)
    load_action_executor("actions")  # a broken actions/ stops start-up here, not in every worker
    prepare_shared_state(settings)
    # Workers are spawned processes: they read their settings from this environment.
    os.environ.update({"ASSISTANT_WORKERS": str(settings.workers),
                       "ASSISTANT_RASA_REPLICAS": str(settings.rasa_replicas)})
    loop = asyncio.new_event_loop()
    rasa = RasaSupervisor(settings, model)
    stopped = threading.Event()
    # Not a daemon: the interpreter must wait for it to stop Rasa.
    thread = threading.Thread(target=_run_supervisor, args=(loop, rasa, stopped), name="rasa-supervisor")
    thread.start()
    try:
        config = uvicorn.Config(
            "assistant.serve:worker_app", factory=True, host=settings.host, port=settings.port,
            workers=settings.workers, log_level=settings.log_level.lower(), access_log=False, lifespan="on",
            # A worker loading the index and embedding model on a busy machine answers uvicorn's
            # liveness ping late; the default 5 s had healthy workers killed and restarted in a loop.
            timeout_worker_healthcheck=120,
        )
        started = time.monotonic()
        workers = Multiprocess(config, sockets=[config.bind_socket()])
        if announce:
            threading.Thread(
                target=lambda: asyncio.run(_announce_when_ready(settings, started, workers.should_exit.is_set)),
                name="announce", daemon=True,
            ).start()
        workers.run()
    except KeyboardInterrupt:
        pass  # Ctrl-C before uvicorn's supervisor took the signals: stop as it would
    finally:
        stopped.set()  # the supervisor thread stops Rasa, then ends
        thread.join(timeout=90)
        log.info("stopped")


def prepare_shared_state(settings: Settings) -> None:
    """Create and seed the database and bring the index files up to date once, before the workers
    start: M workers doing it at the same moment would race (the same demo rows inserted twice, the
    same index files written twice). Each worker then only opens what exists."""
    from assistant import services
    from assistant.models.hotswap import registry_of
    from assistant.retrieval.builder import ensure_index, index_is_current, make_embedder
    from assistant.staff.console import build_console

    records, _, _ = services.build_records_services(settings)
    build_console(settings, records.database)
    records.database.dispose()
    # A registry index snapshot is only read by the workers; the plain index folder may need a build.
    if not registry_of(settings).active().get("index") and not index_is_current(
        settings, settings.knowledge_base_dir, settings.index_dir
    ):
        embedder = make_embedder(settings)
        if embedder is not None:
            embedder.load()
        ensure_index(settings, embedder)


def _run_supervisor(loop: asyncio.AbstractEventLoop, rasa: RasaSupervisor, stopped: threading.Event) -> None:
    async def supervise() -> None:
        await rasa.start()
        while not stopped.is_set():
            await asyncio.sleep(0.2)
        await rasa.stop()

    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(supervise())
    finally:
        loop.close()


async def _announce_when_ready(settings: Settings, started: float, finished) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(timeout=5.0) as http:
        while not finished():
            try:
                response = await http.get(f"http://127.0.0.1:{settings.port}/health")
                if response.status_code == 200:
                    seconds = time.monotonic() - started
                    print(f"\n  Ready in {seconds:.0f} s. Open {settings.service_url}/  (Ctrl-C stops)\n", flush=True)
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)


def active_rasa_model(settings: Settings) -> Path | None:
    """The Rasa model the model registry marks active, when there is one and its file exists."""
    from assistant.models.registry import ModelRegistry

    artefact = ModelRegistry.for_var_dir(settings.var_dir).active_artefact("rasa")
    if artefact is None:
        return None
    path = Path(artefact.path)
    if not path.exists():
        log.warning("active Rasa model %s is missing (%s); using the newest model", artefact.version, path)
        return None
    return path


def run(settings: Settings) -> None:
    """Blocking entry point; SIGTERM is treated like Ctrl-C."""
    if settings.workers > 1:
        serve_workers(settings)
        return
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    main = loop.create_task(serve(settings))
    # uvicorn installs its own SIGINT/SIGTERM handlers inside serve(); this covers the start-up window.
    for sig in (signal.SIGTERM,):
        try:
            loop.add_signal_handler(sig, main.cancel)
        except NotImplementedError:
            pass
    try:
        loop.run_until_complete(main)
    except KeyboardInterrupt:
        # Ctrl-C before uvicorn took over the signal: let serve()'s finally stop Rasa.
        main.cancel()
        try:
            loop.run_until_complete(main)
        except (asyncio.CancelledError, KeyboardInterrupt):
            pass
    except asyncio.CancelledError:
        pass
    finally:
        loop.close()
