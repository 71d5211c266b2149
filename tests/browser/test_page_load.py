"""Both pages load from this service alone (no CDN, no external font or script: they work offline),
under a Content-Security-Policy they do not violate, quickly and lightly. Prints the figures the
issue asks for: time to interactive (median of 5 cold loads, headless) and KB transferred."""

from __future__ import annotations

import statistics
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LOADS = 5


def cold_load(browser: object, base_url: str, path: str) -> dict:
    """One load in a fresh profile (empty cache); what it requested and how long it took."""
    context = browser.new_context(base_url=base_url, locale="ko-KR")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        requests: list[str] = []
        console: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console.append(m.text))
        response = page.goto(path)
        page.wait_for_selector("body[data-ready]")
        page.wait_for_load_state("networkidle")
        timing = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const resources = performance.getEntriesByType('resource');
            return { ready: Number(document.body.dataset.readyAt), domInteractive: nav.domInteractive,
                     bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0) };
        }""")
        return {**timing, "requests": requests, "console": console, "headers": response.headers}
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/kiosk"])
def test_page_loads_offline_under_its_csp_quickly(browser: object, served: str, path: str) -> None:
    loads = [cold_load(browser, served, path) for _ in range(LOADS)]
    origin = urlsplit(served).netloc
    for load in loads:
        assert {urlsplit(u).netloc for u in load["requests"]} == {origin}  # nothing from elsewhere
        assert not [m for m in load["console"] if "Content Security Policy" in m]
    csp = loads[0]["headers"]["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    ready = statistics.median(load["ready"] for load in loads)
    interactive = statistics.median(load["domInteractive"] for load in loads)
    kilobytes = statistics.median(load["bytes"] for load in loads) / 1024
    print(f"\nPAGE {path}: interactive (app ready) median {ready:.0f} ms, domInteractive median {interactive:.0f} ms, "
          f"{kilobytes:.1f} KB transferred (median of {LOADS} cold loads, headless chromium)")
    assert ready < 3000 and kilobytes < 300
