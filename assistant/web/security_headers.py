"""Security headers on every response, as one ASGI middleware.

Pages set their own Content-Security-Policy (routes/pages.py: scripts and styles from files here
only, never 'unsafe-inline'); every other response (JSON, PDF, CSV, SVG, static files) gets a
policy that allows nothing at all, so a response opened directly in a browser can run nothing.
HSTS is sent only when the request came over TLS: the scheme is https, or a trusted proxy
(`ASSISTANT_TRUSTED_PROXIES`) says so in X-Forwarded-Proto; over plain HTTP it would be ignored
at best and a trap for a later plain-HTTP deployment on the same name at worst.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Responses that are not pages: nothing may run, load or frame them.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Adds the headers above to every HTTP response (a route's own CSP is kept)."""

    def __init__(self, app: ASGIApp, trusted_proxies: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        over_tls = came_over_tls(scope, self.trusted_proxies)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    if name not in headers:
                        headers[name] = value
                policy = headers.get("content-security-policy")
                if policy is None:
                    headers["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
                elif "frame-ancestors" not in policy:  # a route's own policy still may not be framed
                    headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"
                if over_tls:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def came_over_tls(scope: Scope, trusted_proxies: frozenset[str]) -> bool:
    """Whether the client reached us over HTTPS (directly, or through a trusted TLS-terminating proxy)."""
    if scope.get("scheme") == "https":
        return True
    client = scope.get("client")
    if client is None or client[0] not in trusted_proxies:
        return False
    for name, value in scope.get("headers") or []:
        if name == b"x-forwarded-proto":
            # A chain of proxies appends; the first value is what the client used.
            return value.split(b",")[0].strip().lower() == b"https"
    return False
