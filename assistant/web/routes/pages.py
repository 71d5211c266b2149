"""The citizen pages: the web chat at `/` and the touch kiosk at `/kiosk`, plus locally served vendor JS.

Everything a page needs comes from this service (no CDN, no external font), so the pages work offline,
and a strict Content-Security-Policy says so to the browser: scripts and styles only from files here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from assistant.web.errors import ApiError

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor" / "node_modules"

# No 'unsafe-inline' anywhere: all JavaScript and CSS sit in files under /static. Images may be
# blob:/data: because a chosen document photo is previewed before it is uploaded.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The kiosk and the web chat use the microphone (speech recognition) only from this origin.
    "Permissions-Policy": "microphone=(self), camera=(self), geolocation=()",
    "Cache-Control": "no-cache",
}
# Vendor files the pages (and the browser tests) may load; a fixed list, so nothing else under
# node_modules is reachable.
VENDOR_FILES = {
    "axe.min.js": VENDOR_DIR / "axe-core" / "axe.min.js",  # accessibility checks of the browser tests
    "hangul.min.js": VENDOR_DIR / "hangul-js" / "hangul.min.js",  # Hangul composition of the kiosk's touch keyboard
}

router = APIRouter(tags=["pages"], include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC_DIR / name, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


@router.get("/")
async def web_chat() -> FileResponse:
    """The web chat for phones and PCs."""
    return _page("index.html")


@router.get("/kiosk")
async def kiosk() -> FileResponse:
    """The full-screen touch kiosk with the speaking guide."""
    return _page("kiosk.html")


@router.get("/vendor/{name}")
async def vendor_file(name: str) -> FileResponse:
    """A JavaScript file installed from npm (`make setup-browser`), served from our own origin."""
    path = VENDOR_FILES.get(name)
    if path is None or not path.is_file():
        raise ApiError(404, "not_found")
    return FileResponse(path, media_type="text/javascript", headers={"X-Content-Type-Options": "nosniff"})
