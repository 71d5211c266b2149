"""Request limits: bodies over the size limit are refused before they are read into memory, and
per-client token buckets answer 429 (with Retry-After) to clients sending too much too fast."""

from __future__ import annotations

import math
import threading
import time

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.settings import Settings
from assistant.web.errors import ApiError, error_body


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
        exceeded = rejected = False

        async def limited_receive() -> dict:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    # Raising here would surface as FastAPI's generic 400 ("error parsing the body"):
                    # end the body instead, and answer 413 in place of whatever the app says.
                    exceeded = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded_send(message: dict) -> None:
            nonlocal rejected
            if not exceeded:
                await send(message)
            elif not rejected and message["type"] == "http.response.start":
                rejected = True
                await _reject(send, lang)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not rejected:
            await _reject(send, lang)


async def _reject(send: Send, lang: str) -> None:
    import json

    body = json.dumps(error_body("body_too_large", lang), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class TokenBucketLimiter:
    """Per-client token buckets: `burst` requests at once, refilled at `per_minute`.

    In-process and thread-safe; each worker process counts on its own (a deployment with several
    workers behind one address needs a shared store such as Redis to enforce one limit overall).
    """

    def __init__(self, per_minute: float, burst: int, max_clients: int = 50_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill, monotonic)
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token of `key`'s bucket: 0.0 when allowed, else the seconds until one is back."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > self.max_clients:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate > 0 else 3600.0

    def _forget_full(self, now: float) -> None:
        # Buckets that have refilled completely carry no information: drop them so memory stays bounded.
        full = [k for k, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


class RateLimits:
    """The service's limits by name ("chat", "sign_in", "uploads"), built from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits
        self.trusted_proxies = trusted_proxies(settings)
        self.buckets = {
            "chat": TokenBucketLimiter(settings.rate_limit_chat_per_minute, settings.rate_limit_chat_burst),
            "sign_in": TokenBucketLimiter(settings.rate_limit_sign_in_per_minute, settings.rate_limit_sign_in_burst),
            "uploads": TokenBucketLimiter(settings.rate_limit_uploads_per_minute, settings.rate_limit_uploads_burst),
        }

    def check(self, request: Request, name: str, who: str, lang: str) -> None:
        """Spend one request of `name` for this client and `who` (session or sender).

        Raises:
            ApiError: 429 `rate_limited` with Retry-After when the bucket is empty.
        """
        if not self.enabled:
            return
        key = f"{client_address(request, self.trusted_proxies)}|{who}"
        wait = self.buckets[name].take(key)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, "rate_limited", lang, headers={"Retry-After": str(seconds)}, seconds=seconds)


def trusted_proxies(settings: Settings) -> frozenset[str]:
    """The proxy addresses whose X-Forwarded-* headers are believed."""
    return frozenset(a.strip() for a in settings.trusted_proxies.split(",") if a.strip())


def client_address(request: Request, proxies: frozenset[str]) -> str:
    """The client's IP: the peer, or the last address a trusted proxy added to X-Forwarded-For."""
    peer = request.client.host if request.client else "unknown"
    if peer in proxies:
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
        # The right-most entry not itself a trusted proxy is the one our proxy saw connect.
        for address in reversed(forwarded):
            if address not in proxies:
                return address
    return peer


def limit(request: Request, name: str, who: str, lang: str) -> None:
    """Apply limit `name` to this request (no-op when the app has no limits installed)."""
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    if limits is not None:
        limits.check(request, name, who, lang)
