"""`assistant serve`: Rasa and the assistant service as one supervised unit.

Rasa runs as a child process in its own session; the service runs uvicorn in this process. Ctrl-C
(or SIGTERM) stops the service first, then Rasa. A Rasa crash shows on /health (503) and Rasa is
restarted with back-off.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from pathlib import Path

import httpx
import uvicorn

from assistant.rasa_runtime.process import RasaProcess
from assistant.rasa_runtime.training import current_model
from assistant.settings import Settings

log = logging.getLogger(__name__)


class NoModelError(RuntimeError):
    """No trained Rasa model exists yet."""


async def serve(settings: Settings, announce: bool = True) -> None:
    """Start Rasa and the service, print the URL once both are ready, run until stopped."""
    from assistant.web.main import create_app

    model = active_rasa_model(settings) or current_model(settings)
    if model is None:
        raise NoModelError("no trained Rasa model in models/: run `assistant train` (or `make run`)")
    rasa = RasaProcess(settings, model)
    app = create_app(settings, rasa_process=rasa)  # imports actions/: fails here if they are broken
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
        access_log=False, lifespan="on",
    )
    server = uvicorn.Server(config)
    started = time.monotonic()
    await rasa.start()
    server_task = asyncio.create_task(server.serve(), name="uvicorn")
    if announce:
        asyncio.create_task(_announce_when_ready(settings, started, server_task))
    try:
        await server_task
    finally:
        await rasa.stop()
        log.info("stopped")


async def _announce_when_ready(settings: Settings, started: float, server_task: asyncio.Task[None]) -> None:
    async with httpx.AsyncClient(timeout=5.0) as http:
        while not server_task.done():
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
