"""The web chat at `/` in headless chromium: sign in, a birth registration with three uploads and its
receipt, a reload that keeps the conversation, and both ways of switching the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.pages import RECEIPT_PATTERN, document_files, last_bot_text, log_size, wait_for_reply

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def say(page: object, text: str) -> str:
    """Type a message and send it with Enter; returns the newest reply's text."""
    before = log_size(page)
    page.fill("#message", text)  # type: ignore[attr-defined]
    page.press("#message", "Enter")  # type: ignore[attr-defined]
    wait_for_reply(page, before)
    return last_bot_text(page)


def tap(page: object, title: str) -> str:
    """Press a quick-reply button of the newest reply."""
    before = log_size(page)
    page.locator("#log > li.bot .buttons button:enabled", has_text=title).first.click()  # type: ignore[attr-defined]
    wait_for_reply(page, before)
    return last_bot_text(page)


def upload(page: object, path: Path) -> str:
    """Choose a file with the upload button the form shows."""
    before = log_size(page)
    page.locator("#log .upload input[type=file]").last.set_input_files(str(path))  # type: ignore[attr-defined]
    wait_for_reply(page, before)
    return last_bot_text(page)


def sign_in(page: object, citizen_id: str) -> None:
    page.wait_for_selector("#resident option", state="attached")  # type: ignore[attr-defined]
    page.select_option("#resident", citizen_id)  # type: ignore[attr-defined]
    page.fill("#pin", "1234")  # type: ignore[attr-defined]
    page.click("#sign-in")  # type: ignore[attr-defined]
    page.wait_for_selector("#signed-in:not([hidden])")  # type: ignore[attr-defined]


def test_birth_registration_with_three_uploads_survives_a_reload(context: object, shots, tmp_path: Path) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    shots(page, "loaded")
    sign_in(page, "c-1001")
    shots(page, "signed-in")

    prefill = say(page, "출생신고 하고 싶어요")
    assert "김민준" in prefill and "이서연" in prefill
    assert "이름" in tap(page, "네, 맞아요")
    assert "성별" in say(page, "김하늘")
    shots(page, "asked-sex")
    assert "날짜" in tap(page, "여자")
    assert "시각" in say(page, "어제")
    assert "태어난 곳" in say(page, "오후 3시 20분")
    say(page, "서울대학교병원")
    upload_input = page.locator("#log .upload input[type=file]").last
    assert upload_input.get_attribute("accept") == "image/*,application/pdf"
    assert upload_input.get_attribute("capture") == "environment"
    shots(page, "asked-document")
    for path in document_files(tmp_path):
        reply = upload(page, path)
    assert "확인해 주세요" in reply
    shots(page, "summary")

    tap(page, "네, 제출해 주세요")
    card = page.locator("#log > li.receipt-card").last
    receipt = re.search(RECEIPT_PATTERN, card.inner_text())
    assert receipt is not None and card.get_attribute("lang") == "ko"
    assert page.locator("#log > li.receipt-card .print").count() == 1
    shots(page, "receipt")

    # A reload shows the same conversation, receipt included, and the same sender goes on.
    items = log_size(page)
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert log_size(page) == items
    assert receipt.group(0) in page.locator("#log > li.receipt-card").last.inner_text()
    assert "김하늘" in page.locator("#log").inner_text()
    shots(page, "reloaded")


def test_language_switch_by_button_and_in_the_conversation(context: object, shots) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.click(".lang button[data-lang=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("#message", "placeholder") == "How can I help?"
    assert page.inner_text("#send") == "Send"
    shots(page, "english-by-button")
    page.click(".lang button[data-lang=ko]")
    assert page.get_attribute("html", "lang") == "ko"

    reply = say(page, "영어로 바꿔줘")
    assert page.get_attribute("html", "lang") == "en"  # change_language switched the page too
    assert page.locator("#log > li.bot").last.get_attribute("lang") == "en"
    assert page.locator("#log > li.me").last.get_attribute("lang") == "ko"
    assert reply
    shots(page, "english-by-conversation")


def test_certificate_is_issued_and_downloaded_from_the_receipt(context: object, shots, tmp_path: Path) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    sign_in(page, "c-2001")
    assert "주민등록표 등본" in say(page, "주민등록등본 떼 주세요")
    say(page, "네")
    say(page, "기본으로 해 주세요")
    say(page, "은행 제출용")
    say(page, "네")
    link = page.locator("#log > li.receipt-card a.download").last
    assert re.search(r"\d{4}-RC-\d{6}", page.locator("#log > li.receipt-card").last.inner_text())
    shots(page, "certificate-receipt")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
