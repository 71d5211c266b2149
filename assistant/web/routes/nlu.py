"""`POST /api/nlu/parse`: intent and entities of a text, from the running Rasa model."""

from __future__ import annotations

from fastapi import APIRouter, Request

from assistant.rasa_runtime.client import RasaUnavailable
from assistant.web.deps import RasaDep, SettingsDep
from assistant.web.errors import ApiError, request_lang
from assistant.web.text import clean_chat_text
from assistant.web.schemas import IntentOut, ParseRequest, ParseResponse

router = APIRouter(prefix="/api/nlu", tags=["nlu"])


@router.post("/parse", response_model=ParseResponse)
async def parse(body: ParseRequest, request: Request, rasa: RasaDep, settings: SettingsDep) -> ParseResponse:
    """Classify `text` without touching any conversation."""
    lang = request_lang(request)
    text = clean_chat_text(body.text)
    if not text.strip():
        raise ApiError(422, "empty_message", lang)
    if len(text) > settings.chat_max_chars:
        raise ApiError(413, "message_too_long", lang, limit=settings.chat_max_chars)
    try:
        result = await rasa.parse(text)
    except RasaUnavailable as exc:
        raise ApiError(503, "assistant_unavailable", lang) from exc
    intent = result.get("intent") or {}
    return ParseResponse(
        intent=IntentOut(name=intent.get("name"), confidence=intent.get("confidence")),
        entities=[_public_entity(e) for e in result.get("entities") or []],
        intent_ranking=[IntentOut(name=i.get("name"), confidence=i.get("confidence"))
                        for i in result.get("intent_ranking") or []],
    )


def _public_entity(entity: dict) -> dict:
    keep = ("entity", "value", "start", "end", "extractor", "confidence_entity", "role", "group")
    return {k: entity[k] for k in keep if k in entity}
