"""Security headers on every response: pages keep their strict CSP, everything else allows nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.web.routes.pages import CONTENT_SECURITY_POLICY
from tests.web.module_app import module_app

PROXY = "testclient"  # the peer address Starlette's TestClient reports


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with module_app(tmp_path_factory.mktemp("headers"), ASSISTANT_TRUSTED_PROXIES=PROXY,
                    ASSISTANT_STAFF_TOKEN="staff-secret") as test_client:
        yield test_client


REQUESTS = [
    ("GET", "/", None), ("GET", "/kiosk", None), ("GET", "/staff", None), ("GET", "/static/chat.js", None),
    ("GET", "/health", None), ("GET", "/api/auth/demo-residents", None), ("GET", "/api/kb/search?q=등본", None),
    ("GET", "/no/such/page", None), ("POST", "/api/chat", b"{oops"), ("POST", "/api/chat", b"x" * 1_100_000),
    ("GET", "/api/applications", None), ("GET", "/api/staff/analytics/export.csv", None),
    ("POST", "/api/chat", b'{"sender": "s", "message": "hi"}'),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS)
def test_every_response_carries_the_headers(client: TestClient, method: str, path: str, body: bytes | None) -> None:
    response = client.request(method, path, content=body, headers={"content-type": "application/json"} if body else {})
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert "strict-transport-security" not in headers  # plain HTTP: no HSTS


@pytest.mark.parametrize("path", ["/", "/kiosk", "/staff"])
def test_pages_keep_their_own_policy(client: TestClient, path: str) -> None:
    assert client.get(path).headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_api_responses_allow_nothing(client: TestClient) -> None:
    csp = client.get("/health").headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")


def test_hsts_only_over_tls(client: TestClient) -> None:
    # Through a trusted TLS-terminating proxy.
    assert "max-age=" in client.get("/health", headers={"x-forwarded-proto": "https"}).headers["strict-transport-security"]
    assert "strict-transport-security" not in client.get("/health", headers={"x-forwarded-proto": "http"}).headers
    # Directly over https.
    with TestClient(client.app, base_url="https://testserver") as https:
        assert "strict-transport-security" in https.get("/health").headers


def test_an_untrusted_peer_cannot_claim_tls(tmp_path_factory: pytest.TempPathFactory) -> None:
    with module_app(tmp_path_factory.mktemp("untrusted"), ASSISTANT_TRUSTED_PROXIES="") as untrusted:
        response = untrusted.get("/health", headers={"x-forwarded-proto": "https"})
        assert "strict-transport-security" not in response.headers


def test_no_page_script_writes_html() -> None:
    """Bot and user text reach the page as text (textContent), never parsed as HTML."""
    import re

    from assistant.web.routes.pages import STATIC_DIR

    sinks = re.compile(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
    scripts = sorted(STATIC_DIR.rglob("*.js"))
    assert len(scripts) >= 5
    for script in scripts:
        assert not sinks.search(script.read_text()), script
    pages = sorted(STATIC_DIR.rglob("*.html"))
    for page in pages:
        text = page.read_text()
        assert not re.search(r"<script>(?!\s*</script>)", text), page  # no inline script (the CSP would block it)
        assert not re.search(r"\son[a-z]+\s*=", text), page  # no inline event handlers
