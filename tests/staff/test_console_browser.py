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


def _seed_live_index(running: RunningAssistant, snapshot: str) -> None:
    """The registry as a service in use has it: a live index (`index-seed`) and a weaker older
    snapshot (`index-weak`, recall@5 0.5), both real copies of the index the run just built."""
    import shutil
    from pathlib import Path

    from assistant.models.registry import Artefact, ModelRegistry

    registry = ModelRegistry.for_var_dir(running.var_dir)
    for version, metrics in (("index-seed", {}), ("index-weak", {"recall_at_5": 0.5})):
        folder = running.var_dir / "registry" / "index" / version
        shutil.copytree(Path(snapshot), folder)
        registry.register(Artefact("index", version, str(folder), version, metrics, embedding="embedding-base"))
    registry.set_active({"index": "index-seed", "embedding": "embedding-base"}, "test: the index in service")


def test_an_admin_trains_reads_the_report_activates_and_rolls_back(chromium: object, staff_served: RunningAssistant) -> None:
    """Models page: an index-only training run followed to its end, its report, the gate's refusal
    and a forced activation, and two rollbacks back to the index that was live."""
    from assistant.models.registry import ModelRegistry
    from assistant.records.database import Database
    from assistant.staff.accounts import StaffDirectory

    shots = Shots(ARTIFACTS / "staff-models")
    database = Database(f"sqlite:///{staff_served.var_dir / 'assistant.db'}")
    directory = StaffDirectory(database)
    if not any(m.username == "adm" for m in directory.list()):
        directory.create("adm", PASSWORD, "admin")
    database.dispose()
    registry = ModelRegistry.for_var_dir(staff_served.var_dir)

    reviewer = _page(chromium, staff_served)
    _sign_in(reviewer, "rev")
    assert reviewer.is_hidden("[data-tab='models']")  # type: ignore[attr-defined]  # admins only

    admin = _page(chromium, staff_served)
    _sign_in(admin, "adm")
    started = time.perf_counter()
    admin.click("[data-tab='models']")  # type: ignore[attr-defined]
    admin.select_option("#train-kind", "index")  # type: ignore[attr-defined]
    admin.click("#train-start")  # type: ignore[attr-defined]
    admin.wait_for_selector("#train-job:not([hidden])")  # type: ignore[attr-defined]
    admin.wait_for_function("() => ['succeeded', 'failed'].includes(document.getElementById('train-state').dataset.status)",  # type: ignore[attr-defined]
                            timeout=180_000)
    trained = time.perf_counter() - started
    shots(admin, "run-finished")
    assert admin.get_attribute("#train-state", "data-status") == "succeeded", admin.inner_text("#train-log")  # type: ignore[attr-defined]
    assert admin.eval_on_selector("#train-progress", "p => p.value") == 1  # type: ignore[attr-defined]
    assert "Training finished" in admin.inner_text("#train-log")  # type: ignore[attr-defined]
    new_index = next(a for a in registry.artefacts("index") if a.version.startswith("index-") and a.metrics)
    assert registry.active() == {}  # a run never activates anything by itself

    with admin.expect_popup() as popup:  # type: ignore[attr-defined]
        admin.click("#train-report")  # type: ignore[attr-defined]
    report = popup.value
    report.wait_for_load_state()
    assert "Quick run" in report.inner_text("body") and "Retrieval" in report.inner_text("body")
    assert report.eval_on_selector("img[alt*='recall']", "img => img.complete && img.naturalWidth > 100")
    shots(report, "report")

    _seed_live_index(staff_served, new_index.path)
    admin.click("[data-tab='models']")  # type: ignore[attr-defined]  # reload the list
    admin.click(f"[data-activate='{new_index.version}']")  # type: ignore[attr-defined]
    admin.wait_for_function("() => document.getElementById('status').textContent.includes('Activated')")  # type: ignore[attr-defined]
    assert registry.active()["index"] == new_index.version

    # Worse by more than the margin: the gate refuses and says why; forcing asks first.
    admin.click("[data-activate='index-weak']")  # type: ignore[attr-defined]
    admin.wait_for_selector("#model-refusal:not([hidden])")  # type: ignore[attr-defined]
    assert "recall_at_5 0.500 vs active" in admin.inner_text("#model-refusal-reasons")  # type: ignore[attr-defined]
    shots(admin, "gate-refused")
    assert registry.active()["index"] == new_index.version
    admin.once("dialog", lambda dialog: dialog.accept())  # type: ignore[attr-defined]
    admin.click("#model-force")  # type: ignore[attr-defined]
    admin.wait_for_function("() => document.getElementById('status').textContent.includes('index-weak')"  # type: ignore[attr-defined]
                            " && document.getElementById('status').textContent.includes('Activated')")
    assert registry.active()["index"] == "index-weak"

    for expected in (new_index.version, "index-seed"):
        admin.click("#model-rollback")  # type: ignore[attr-defined]
        admin.wait_for_function("() => document.getElementById('status').textContent.includes('Rolled back')")  # type: ignore[attr-defined]
        assert registry.active()["index"] == expected
        admin.evaluate("() => { document.getElementById('status').textContent = ''; }")  # type: ignore[attr-defined]
    shots(admin, "rolled-back")
    print(f"\nBROWSER models: index-only run with its report {trained:.1f} s; whole flow {time.perf_counter() - started:.1f} s")
    assert admin.csp_errors == [] and reviewer.csp_errors == []  # type: ignore[attr-defined]
