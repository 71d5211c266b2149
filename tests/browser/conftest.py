"""A real `assistant serve` and Debian's chromium driven by Playwright (never a downloaded browser).

Screenshots of each step go to `artifacts/browser/<test>/NN-step.png` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import RunningAssistant, start_assistant, stop_assistant

CHROMIUM = Path("/usr/bin/chromium")
# Offline and quiet: no GPU, no QUIC, no background calls home, no component updates.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"


@pytest.fixture(scope="package")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the served system for the browser tests (stopped when they finish).

    `ASSISTANT_BROWSER_TEST_URL` points the tests at a system already running (`make run`) instead,
    which is quicker while working on the pages.
    """
    external = os.environ.get("ASSISTANT_BROWSER_TEST_URL")
    if external:
        yield external.rstrip("/")
        return
    running: RunningAssistant = start_assistant(tmp_path_factory.mktemp("browser") / "var")
    try:
        running.wait_health(200)
        yield running.url
    finally:
        stop_assistant(running)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless chromium from the system (`make setup-browser` installs it).

    Module scope, not package: while sync Playwright is open, an asyncio loop counts as running in
    the main thread, and this folder has no `__init__.py`, so a package-scoped fixture stayed open
    for the rest of the run and broke every later test that starts a loop of its own.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup-browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Shots:
    """Numbered screenshots of one test's steps."""

    def __init__(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder, self.count = folder, 0

    def __call__(self, page: object, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    """Where this test's screenshots go."""
    return Shots(ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name))


def _new_context(browser: object, served: str, **options: object) -> Iterator[object]:
    ctx = browser.new_context(  # type: ignore[attr-defined]
        base_url=served, locale="ko-KR", viewport={"width": 1080, "height": 1600}, **options
    )
    ctx.set_default_timeout(90_000)  # a Rasa turn on a busy 2-core machine can take seconds
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def context(browser: object, served: str) -> Iterator[object]:
    """A fresh browser profile (own cookies and localStorage) on the served system; Korean locale."""
    yield from _new_context(browser, served)


@pytest.fixture
def touch_context(browser: object, served: str) -> Iterator[object]:
    """Like `context`, on a touch screen: `locator.tap()` works there (a kiosk's screen)."""
    yield from _new_context(browser, served, has_touch=True)
