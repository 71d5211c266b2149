"""Request and response models of the public API (the contracts of ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

# Row ids live in 64-bit integers (SQLite and PostgreSQL): a larger number in a request is refused
# with 422, instead of overflowing the database driver into a 500.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
RowIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class ChatMetadata(BaseModel):
    """Where and in which language the citizen is chatting."""

    model_config = ConfigDict(extra="ignore")

    lang: Literal["ko", "en"] = "ko"
    channel: Literal["web", "kiosk"] = "web"


class ChatRequest(BaseModel):
    """One citizen turn. `message` length is checked by the route so the error can say the limit."""

    sender: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    message: str
    metadata: ChatMetadata = Field(default_factory=ChatMetadata)


class Button(BaseModel):
    """A quick reply."""

    title: str
    payload: str


class BotMessage(BaseModel):
    """One bot message as the REST channel gives it."""

    text: str | None = None
    buttons: list[Button] = Field(default_factory=list)
    image: str | None = None
    custom: dict[str, Any] | None = None


class IntentOut(BaseModel):
    """The classified intent of the citizen's last message."""

    name: str | None = None
    confidence: float | None = None


class Source(BaseModel):
    """A guide an answer came from."""

    service_id: str
    title: str
    url: str | None = None


class ChatResponse(BaseModel):
    """The bot's turn."""

    sender: str
    messages: list[BotMessage]
    intent: IntentOut
    active_form: str | None = None
    # The form's question now open (e.g. "child_birth_date"): the kiosk offers fitting touch choices.
    requested_slot: str | None = None
    sources: list[Source] = Field(default_factory=list)


class ParseRequest(BaseModel):
    """Text to classify."""

    text: str = Field(min_length=1)


class ParseResponse(BaseModel):
    """Rasa's NLU result."""

    intent: IntentOut
    entities: list[dict[str, Any]]
    intent_ranking: list[IntentOut]


class SearchResult(BaseModel):
    """One service found by knowledge-base search."""

    service_id: str
    title: str
    section: str
    snippet: str
    score: float


class SearchResponse(BaseModel):
    """Knowledge-base search results, best first."""

    results: list[SearchResult]
