"""`POST /webhook`: the Rasa action-server protocol, served by rasa-sdk's ActionExecutor in-process."""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from assistant.web.errors import error_body, request_lang

router = APIRouter(tags=["actions"])
log = logging.getLogger(__name__)


@router.post("/webhook")
async def webhook(request: Request) -> JSONResponse:
    """Run the custom action Rasa asks for and return its events and responses.

    Only our Rasa may call: it sends the action token (`?token=`, see assistant/security.py). Without
    it anyone reaching the port could forge a tracker and run actions as any citizen.
    """
    expected = request.app.state.action_webhook_token
    if not hmac.compare_digest(request.query_params.get("token", "").encode(), expected.encode()):
        return JSONResponse(error_body("webhook_token_invalid", request_lang(request)), status_code=401)
    try:
        action_call = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JSONResponse({"error": "Invalid body request: not JSON"}, status_code=400)
    if not isinstance(action_call, dict) or "next_action" not in action_call:
        return JSONResponse({"error": "Invalid body request: no next_action"}, status_code=400)
    executor = request.app.state.action_executor
    try:
        result = await executor.run(action_call)
    except ActionExecutionRejection as exc:
        return JSONResponse({"error": exc.message, "action_name": exc.action_name}, status_code=400)
    except ActionNotFoundException as exc:
        log.error("Rasa asked for an unknown action: %s", exc.action_name)
        return JSONResponse({"error": exc.message, "action_name": exc.action_name}, status_code=404)
    return JSONResponse(result.model_dump() if result else None)
