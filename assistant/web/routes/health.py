"""`GET /health`: 200 when Rasa answers with a model and the index is loaded, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from assistant.web.deps import RasaDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request, rasa: RasaDep) -> JSONResponse:
    """State of Rasa, the loaded model id and the index size."""
    state = request.app.state
    supervisor = getattr(state, "rasa_process", None)
    rasa_info: dict[str, object] = {"url": rasa.base_url}
    if supervisor is not None:
        rasa_info.update(
            status=supervisor.state.status, restarts=supervisor.state.restarts,
            last_exit_code=supervisor.state.last_exit_code,
        )
    try:
        status = await rasa.status()
        rasa_info["model_id"] = status.get("model_id")
        rasa_info["model_file"] = status.get("model_file")
        rasa_up = bool(status.get("model_file"))
    except Exception:  # noqa: BLE001 - health must answer whatever Rasa does (down, slow, odd JSON)
        rasa_up = False
    if supervisor is not None and supervisor.state.status != "ready":
        rasa_up = False
    rasa_info["up"] = rasa_up
    index = getattr(state, "knowledge", None)
    index_info = {
        "loaded": index is not None,
        "chunks": index.size if index is not None else 0,
        "services": index.service_count if index is not None else 0,
        "embedding_model": index.model_id if index is not None else None,
    }
    ready = rasa_up and index is not None and getattr(state, "actions_ready", False)
    body = {"status": "ok" if ready else "unavailable", "rasa": rasa_info, "index": index_info}
    return JSONResponse(body, status_code=200 if ready else 503)
