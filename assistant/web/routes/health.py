"""`GET /health`: 200 when a Rasa replica answers with a model and the index is loaded, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from assistant.web.deps import RasaDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request, rasa: RasaDep) -> JSONResponse:
    """State of each Rasa replica (supervisor state, loaded model), the loaded model id and the index size."""
    state = request.app.state
    # The pool reads the supervisor's state from the replica board, so any service worker answers.
    rasa_info = await rasa.health()
    rasa_up = bool(rasa_info["up"])
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
