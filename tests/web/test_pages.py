"""The page routes: both pages with a strict Content-Security-Policy, and nothing from another origin."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from assistant.web.errors import install_error_handlers
from assistant.web.routes import pages


@pytest.fixture()
def client() -> TestClient:
    # Only the page routes and the static files: no Rasa, no index, no database needed.
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return TestClient(app)


@pytest.mark.parametrize("path", ["/", "/kiosk"])
def test_pages_are_served_with_a_csp_without_inline_code(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    html = response.text
    # No inline script or style (the CSP would block them) and no address of another origin.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html and " on" + "click=" not in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html):
        assert client.get(asset).status_code == 200, asset


def test_static_code_names_no_other_origin(client: TestClient) -> None:
    for path in sorted(pages.STATIC_DIR.rglob("*")):
        if path.suffix in {".js", ".css", ".html"}:
            assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path


def test_vendor_route_serves_only_known_files(client: TestClient) -> None:
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404
    if pages.VENDOR_FILES["axe.min.js"].is_file():  # after `make setup-browser`
        response = client.get("/vendor/axe.min.js")
        assert response.status_code == 200 and "axe" in response.text[:2000]
    if pages.VENDOR_FILES["hangul.min.js"].is_file():  # the kiosk's touch keyboard composes Hangul with it
        response = client.get("/vendor/hangul.min.js")
        assert response.status_code == 200 and "hangul" in response.text[:200]
