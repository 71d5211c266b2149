"""`POST /api/chat`: the chat gateway in front of Rasa's REST channel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assistant.rasa_runtime.client import RasaUnavailable
from assistant.web.deps import RasaDep, SettingsDep
from assistant.web.errors import ApiError
from assistant.web.schemas import BotMessage, Button, ChatRequest, ChatResponse, IntentOut, Source

router = APIRouter(prefix="/api", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, rasa: RasaDep, settings: SettingsDep) -> ChatResponse:
    """Send the citizen's message to the assistant and return its reply."""
    lang = body.metadata.lang
    text = body.message.strip()
    if not text:
        raise ApiError(422, "empty_message", lang)
    if len(text) > settings.chat_max_chars:
        raise ApiError(413, "message_too_long", lang, limit=settings.chat_max_chars)
    metadata = body.metadata.model_dump()
    try:
        replies = await rasa.send_message(body.sender, text, metadata)
        tracker = await rasa.tracker(body.sender)
    except RasaUnavailable as exc:
        raise ApiError(503, "assistant_unavailable", lang) from exc
    messages, sources = split_sources(replies)
    latest = tracker.get("latest_message") or {}
    intent = latest.get("intent") or {}
    active_loop = (tracker.get("active_loop") or {}).get("name")
    return ChatResponse(
        sender=body.sender,
        messages=messages,
        intent=IntentOut(name=intent.get("name"), confidence=intent.get("confidence")),
        active_form=active_loop,
        sources=sources,
    )


def split_sources(replies: list[dict[str, Any]]) -> tuple[list[BotMessage], list[Source]]:
    """Separate the `{"sources": [...]}` custom payloads the actions send from displayable messages."""
    messages: list[BotMessage] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and "sources" in custom:
            for source in custom.get("sources") or []:
                if source.get("service_id") not in seen:
                    seen.add(source.get("service_id"))
                    sources.append(Source.model_validate(source))
            if set(custom) == {"sources"} and not reply.get("text"):
                continue
        messages.append(
            BotMessage(
                text=reply.get("text"),
                buttons=[Button(title=b.get("title", ""), payload=b.get("payload", "")) for b in reply.get("buttons") or []],
                image=reply.get("image"),
                custom=custom if isinstance(custom, dict) else None,
            )
        )
    return messages, sources
