"""axe-core (from npm, served by the app at /vendor/axe.min.js) finds no serious or critical WCAG 2.1
A/AA violation on the web chat or the kiosk, in the states a citizen sees; both are keyboard operable."""

from __future__ import annotations

import pytest

from tests.browser.pages import log_size, wait_for_reply

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page: object) -> list[dict]:
    """Run axe on the page as it is now; the violations rated serious or critical."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        # Same origin, so the pages' Content-Security-Policy (script-src 'self') allows it.
        page.add_script_tag(url="/vendor/axe.min.js")  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def send(page: object, text: str) -> None:
    before = log_size(page)
    page.fill("#message", text)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    wait_for_reply(page, before)


def test_web_chat_has_no_serious_violations_and_works_by_keyboard(context: object, shots) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    assert serious_violations(page) == []
    # Keyboard only: Tab reaches the message box, Enter sends, Tab reaches a quick reply, Enter presses it.
    page.focus("#message")
    page.keyboard.type("무인민원발급기 수수료 얼마예요?")
    before = log_size(page)
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert page.get_attribute("#log", "aria-live") == "polite"
    assert all(lang in ("ko", "en") for lang in page.eval_on_selector_all("#log > li", "items => items.map(i => i.lang)"))
    send(page, "영어로 바꿔줘")
    assert serious_violations(page) == []
    shots(page, "after-conversation")


def test_kiosk_has_no_serious_violations_in_each_state(context: object, shots) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/kiosk?idle=600")
    page.wait_for_selector("body[data-ready]")
    assert serious_violations(page) == []
    # Keyboard: the first tile is reachable with Tab and answers to Enter.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tile')"):
            break
    assert page.evaluate("document.activeElement.dataset.tile") == "birth"
    page.keyboard.press("Enter")
    page.wait_for_selector("#sign-in[open] #residents button")
    assert serious_violations(page) == []
    shots(page, "sign-in-dialog")
    page.click("#sign-in-close")
    page.click("#keys-toggle")  # the on-screen keyboard, in both contrasts
    assert page.is_visible("#touch-keys[role=group]")
    assert serious_violations(page) == []
    page.click("#touch-keys button[data-key=mode]")  # its ABC layout
    assert serious_violations(page) == []
    shots(page, "touch-keyboard")
    page.click("#contrast")
    page.click("#bigger")
    assert serious_violations(page) == []
    shots(page, "high-contrast")
