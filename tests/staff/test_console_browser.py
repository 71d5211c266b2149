"""The staff console in Debian's chromium, as a new member of staff would use it: fix a fee, have it
published, see the citizen's chat answer change; process an application. Screenshots go to
artifacts/browser/staff-*/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ARTIFACTS, Shots
from tests.browser.pages import last_bot_text, log_size, wait_for_reply
from tests.integration.citizen import Citizen, custom
from tests.integration.conftest import RunningAssistant
from tests.staff.served import PASSWORD, staff_served  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration, pytest.mark.slow]
GUIDE = "resident-registration-certificate"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup-browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _page(chromium: object, running: RunningAssistant) -> object:
    context = chromium.new_context(base_url=running.url, locale="ko-KR", viewport={"width": 1280, "height": 1400})  # type: ignore[attr-defined]
    context.set_default_timeout(90_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Content Security" in m.text else None)
    page.csp_errors = errors  # type: ignore[attr-defined]
    return page


def _sign_in(page: object, username: str) -> None:
    page.goto("/staff")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("#sign-in")  # type: ignore[attr-defined]
    page.wait_for_selector("#console:not([hidden])")  # type: ignore[attr-defined]


def _ask(page: object, question: str) -> str:
    before = log_size(page)
    page.fill("#message", question)  # type: ignore[attr-defined]
    page.press("#message", "Enter")  # type: ignore[attr-defined]
    wait_for_reply(page, before)
    return last_bot_text(page)


def test_fix_a_fee_in_the_console_and_the_chat_answers_it(chromium: object, staff_served: RunningAssistant) -> None:
    shots = Shots(ARTIFACTS / "staff-fix-a-fee")
    editor = _page(chromium, staff_served)
    _sign_in(editor, "ed")
    editor.fill("#guide-search", "등본")  # type: ignore[attr-defined]
    editor.click(f"[data-guide='{GUIDE}']")  # type: ignore[attr-defined]
    editor.wait_for_selector("#guide-editor:not([hidden])")  # type: ignore[attr-defined]
    text = editor.input_value("#guide-text")  # type: ignore[attr-defined]
    fixed = re.sub(r"방문 발급은 1통 \d+원", "방문 발급은 1통 630원", text, count=1)
    assert fixed != text
    # A mistake first: the schema's complaint names the field.
    editor.fill("#guide-text", fixed.replace("category:", "category: nonsense\nx_category:", 1))  # type: ignore[attr-defined]
    editor.click("#save-draft")  # type: ignore[attr-defined]
    editor.wait_for_selector("#guide-problems li")  # type: ignore[attr-defined]
    assert "category" in editor.inner_text("#guide-problems")  # type: ignore[attr-defined]
    shots(editor, "field-problem")
    editor.fill("#guide-text", fixed)  # type: ignore[attr-defined]
    editor.click("#save-draft")  # type: ignore[attr-defined]
    editor.wait_for_function("() => document.getElementById('guide-state').textContent.includes('draft')")  # type: ignore[attr-defined]
    editor.fill("#preview-question", "등본 발급 수수료 얼마예요?")  # type: ignore[attr-defined]
    editor.click("#preview")  # type: ignore[attr-defined]
    editor.wait_for_function("() => document.getElementById('preview-answer').textContent.includes('630원')")  # type: ignore[attr-defined]
    assert "+" in editor.inner_text("#guide-diff") and "630원" in editor.inner_text("#guide-diff")  # type: ignore[attr-defined]
    editor.click("#submit-review")  # type: ignore[attr-defined]
    editor.wait_for_function("() => document.getElementById('guide-state').textContent.includes('in_review')")  # type: ignore[attr-defined]
    assert editor.is_hidden("#publish")  # type: ignore[attr-defined]  # editors do not see publish at all
    shots(editor, "sent-for-review")

    reviewer = _page(chromium, staff_served)
    _sign_in(reviewer, "rev")
    reviewer.click(f"[data-guide='{GUIDE}']")  # type: ignore[attr-defined]
    reviewer.wait_for_function("() => document.getElementById('guide-state').textContent.includes('in_review')")  # type: ignore[attr-defined]
    started = time.perf_counter()
    reviewer.click("#publish")  # type: ignore[attr-defined]
    reviewer.wait_for_function("() => document.getElementById('status').textContent.includes('Published')")  # type: ignore[attr-defined]
    shots(reviewer, "published")

    citizen = _page(chromium, staff_served)
    citizen.goto("/")  # type: ignore[attr-defined]
    answer = _ask(citizen, "등본 발급 수수료 얼마예요?")
    print(f"\nBROWSER publish->answer: {time.perf_counter() - started:.2f} s (includes loading the chat page)")
    shots(citizen, "citizen-answer")
    assert "630원" in answer
    for page in (editor, reviewer, citizen):
        assert page.csp_errors == []  # type: ignore[attr-defined]


def test_process_an_application_in_the_console(chromium: object, staff_served: RunningAssistant) -> None:
    shots = Shots(ARTIFACTS / "staff-process-application")
    me = Citizen(staff_served, "ko", "c-1001")
    for message in ("등본 떼 주세요", "네", "기본으로 해 주세요", "은행 제출용", "네"):
        body = me.say(message)
    receipt = custom(body, "receipt")["receipt_number"]
    reviewer = _page(chromium, staff_served)
    _sign_in(reviewer, "rev")
    reviewer.click("[data-tab='queue']")  # type: ignore[attr-defined]
    reviewer.select_option("#queue-status", "submitted")  # type: ignore[attr-defined]
    reviewer.click("#queue-filter button[type='submit']")  # type: ignore[attr-defined]
    reviewer.click(f"#queue-rows button:has-text('{receipt}')")  # type: ignore[attr-defined]
    reviewer.wait_for_selector("#application:not([hidden])")  # type: ignore[attr-defined]
    reviewer.click("[data-decision='in_review']")  # type: ignore[attr-defined]
    reviewer.wait_for_function("() => document.getElementById('application-title').textContent.includes('in_review')")  # type: ignore[attr-defined]
    reviewer.fill("#decision-note", "서류 확인 완료")  # type: ignore[attr-defined]
    reviewer.click("[data-decision='approved']")  # type: ignore[attr-defined]
    reviewer.wait_for_function("() => document.getElementById('application-title').textContent.includes('approved')")  # type: ignore[attr-defined]
    assert "서류 확인 완료" in reviewer.inner_text("#application-audit")  # type: ignore[attr-defined]
    shots(reviewer, "approved")
    assert "승인됨" in "\n".join(m["text"] for m in me.say("내 신청 현황 알려줘")["messages"] if m.get("text"))
