"""`POST /api/chat`: the chat gateway in front of Rasa's REST channel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from assistant.rasa_runtime.client import RasaUnavailable
from starlette.concurrency import run_in_threadpool

from assistant import services
from assistant.identity import Session
from assistant.rasa_runtime.pool import RasaPool
from assistant.staff.recording import record_chat_turn
from assistant.records.citizens import CitizenDirectory
from assistant.web.deps import CitizensDep, OptionalSession, RasaDep, SettingsDep
from assistant.web.errors import ApiError
from assistant.web.limits import limit
from assistant.staff.masking import mask_personal_data
from assistant.web.server_timing import ServerTiming
from assistant.web.text import clean_chat_text
from assistant.web.schemas import BotMessage, Button, ChatMetadata, ChatRequest, ChatResponse, IntentOut, Source

router = APIRouter(prefix="/api", tags=["chat"])
PREFETCH_MIN_CHARS = 6


@router.post("/chat", response_model=ChatResponse)
async def chat(
    body: ChatRequest, request: Request, response: Response, rasa: RasaDep, settings: SettingsDep,
    session: OptionalSession, citizens: CitizensDep,
) -> ChatResponse:
    """Send the citizen's message to the assistant and return its reply.

    The `Server-Timing` header says where the turn's time went (browser developer tools and the load
    bench read it): `rasa` (the turn in Rasa, actions and retrieval included, with the state after it)
    and `record` (the staff console's analytics).
    """
    lang = body.metadata.lang
    limit(request, "chat", body.sender, lang)
    text = clean_chat_text(body.message).strip()
    if not text:
        raise ApiError(422, "empty_message", lang)
    if len(text) > settings.chat_max_chars:
        raise ApiError(413, "message_too_long", lang, limit=settings.chat_max_chars)
    metadata = await message_metadata(body.metadata, session, citizens)
    # Rasa keeps every message in its tracker store: registration and phone numbers go there masked.
    # No form asks for either (they come from the signed-in record), so nothing needs them raw.
    timing = ServerTiming()
    masked = mask_personal_data(text)
    if settings.query_prefetch:
        prefetch_question_vector(masked)
    reply = await converse(rasa, body.sender, masked, metadata, lang, timing)
    staff = getattr(request.app.state, "staff", None)
    if staff is not None:
        timing.start("record")
        await run_in_threadpool(
            record_chat_turn, staff.analytics, staff.misses, sender=body.sender, text=text, lang=lang,
            channel=body.metadata.channel, intent=reply.intent.name, confidence=reply.intent.confidence,
            active_form=reply.active_form, requested_slot=reply.requested_slot,
            services=[s.service_id for s in reply.sources], replies=[m.text or "" for m in reply.messages],
            domain_path=settings.root_dir / "domain.yml",
        )
        timing.stop()
    response.headers["Server-Timing"] = timing.header()
    return reply


def prefetch_question_vector(text: str) -> None:
    """Start embedding the message for the knowledge action, in case Rasa finds it is a question.

    Very short messages are answers ("네", "2부"), not questions: no vector is computed for them.
    """
    index = services.loaded_knowledge_index()
    if index is not None and index.embedder is not None and len(text) >= PREFETCH_MIN_CHARS:
        index.embedder.prefetch_query(text)


async def message_metadata(
    chat_metadata: ChatMetadata, session: Session | None, citizens: CitizenDirectory
) -> dict[str, Any]:
    """What travels to Rasa with the message: language, channel and the signed-in citizen.

    The citizen part is the masked prefill view (no full registration number, no phone), because
    Rasa keeps message metadata in its tracker store.
    """
    metadata: dict[str, Any] = chat_metadata.model_dump()
    if session is not None:
        citizen = await run_in_threadpool(citizens.get, session.citizen_id)
        if citizen is not None:
            metadata["citizen_id"] = citizen.id
            metadata["citizen"] = await run_in_threadpool(citizens.prefill_view, citizen)
    return metadata


async def converse(
    rasa: RasaPool, sender: str, text: str, metadata: dict[str, Any], lang: str, timing: ServerTiming | None = None
) -> ChatResponse:
    """One turn through Rasa, answered in the chat contract's shape."""
    timing = timing or ServerTiming()
    try:
        timing.start("rasa")
        replies, tracker = await rasa.send_turn(sender, text, metadata)
        timing.stop()
    except RasaUnavailable as exc:
        raise ApiError(503, "assistant_unavailable", lang) from exc
    messages, sources = split_sources(replies)
    latest = tracker.get("latest_message") or {}
    intent = latest.get("intent") or {}
    active_loop = (tracker.get("active_loop") or {}).get("name")
    return ChatResponse(
        sender=sender,
        messages=messages,
        intent=IntentOut(name=intent.get("name"), confidence=intent.get("confidence")),
        active_form=active_loop,
        requested_slot=(tracker.get("slots") or {}).get("requested_slot") if active_loop else None,
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
