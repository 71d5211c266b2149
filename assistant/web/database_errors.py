"""A records database that stays away past the retry budget answers 503, in the citizen's language."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.records.database import DatabaseUnavailable
from assistant.web.errors import request_lang

RETRY_AFTER_S = 5

MESSAGES: dict[str, str] = {
    "ko": "신청·기록 저장소에 잠시 연결할 수 없어요. 아무것도 바뀌지 않았으니 잠시 후 다시 시도해 주세요.",
    "en": "The records store cannot be reached for a moment. Nothing was changed; please try again shortly.",
}


def database_unavailable_body(lang: str) -> dict[str, dict[str, str]]:
    """The 503 body: `{"error": {"code": "database_unavailable", "message": ...}}`."""
    return {"error": {"code": "database_unavailable", "message": MESSAGES.get(lang, MESSAGES["ko"])}}


def install_database_error_handler(app: FastAPI) -> None:
    """Answer `DatabaseUnavailable` with 503 + Retry-After instead of a 500."""

    @app.exception_handler(DatabaseUnavailable)
    async def _database_unavailable(request: Request, exc: DatabaseUnavailable) -> JSONResponse:
        return JSONResponse(
            database_unavailable_body(request_lang(request)), status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
