"""Request-size guard: bodies over the limit are refused before they are read into memory."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.web.errors import error_body


class BodySizeLimit:
    """ASGI middleware answering 413 when Content-Length (or the streamed body) exceeds the limit.

    `per_path` gives some paths (the upload route) a larger limit than `max_bytes`.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        lang = "en" if headers.get(b"accept-language", b"").lower().startswith(b"en") else "ko"
        max_bytes = self.per_path.get(scope.get("path", ""), self.max_bytes)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > max_bytes:
            await _reject(send, lang)
            return
        received = 0

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await _reject(send, lang)


class _TooLarge(Exception):
    pass


async def _reject(send: Send, lang: str) -> None:
    import json

    body = json.dumps(error_body("body_too_large", lang), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
