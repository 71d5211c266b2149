"""Rasa's REST channel for the chat gateway: the bot's messages and the conversation state after the
turn, in one answer. Imported by Rasa in `.venv-rasa` (credentials.yml names it).

With the stock REST channel the gateway needed a second request per turn (`GET
/conversations/<id>/tracker`) for the intent, the active form and the requested slot: another HTTP
round trip through Rasa's server and a replay of the whole conversation from the tracker store,
every turn. This channel reads the state right after the turn, in-process, from the current session.
Only Rasa, Sanic and the standard library are imported here.
"""

from __future__ import annotations

import inspect
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.trackers import EventVerbosity
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)


class GatewayInput(RestInput):
    """`POST /webhooks/gateway/webhook` with the REST channel's body; answers
    `{"messages": [...], "tracker": <state without events>}`."""

    @classmethod
    def name(cls) -> Text:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        self._extract_message(request), collector, sender_id,
                        input_channel=self._extract_input_channel(request), metadata=self.get_metadata(request),
                    )
                )
            except CancelledError:
                # As the REST channel does: the turn's messages so far, not an error page. Unlike it,
                # the message text is not logged (it is the citizen's).
                log.error("gateway turn timed out")
            except Exception:  # noqa: BLE001
                log.exception("gateway turn failed")
            return response.json({"messages": collector.messages, "tracker": await _state(request, sender_id)})

        return webhook


async def _state(request: Request, sender_id: Text) -> Dict[Text, Any]:
    """The conversation's state without its events, as `GET /conversations/<id>/tracker?include_events=NONE`."""
    agent = request.app.ctx.agent
    tracker = await agent.tracker_store.retrieve(sender_id) if agent is not None else None
    return tracker.current_state(EventVerbosity.NONE) if tracker is not None else {}
