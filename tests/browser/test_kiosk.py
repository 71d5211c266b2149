"""The kiosk at `/kiosk` in headless chromium, by touch alone: a birth registration from the tile to
the printable receipt (sign-in on the PIN pad, the name, birth time and hospital on the on-screen
keyboard, three document photos), the keyboard's Hangul composition, the language switch, the
display switches, and the idle timeout that wipes the conversation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.pages import RECEIPT_PATTERN, document_files, last_bot_text, log_size, touch_keys, wait_for_reply

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Kiosk:
    """A person at the kiosk's touch screen; counts every tap (a button, a tile, a key of the on-screen keyboard)."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.taps = 0

    def tap(self, selector: str, text: str | None = None, reply: bool = True) -> str:
        """Tap a control; with `reply`, wait for the assistant's answer to it."""
        before = log_size(self.page)
        locator = self.page.locator(selector, has_text=text) if text else self.page.locator(selector)  # type: ignore[attr-defined]
        locator.last.tap()
        self.taps += 1
        if reply:
            wait_for_reply(self.page, before)
            return last_bot_text(self.page)
        return ""

    def choose(self, title: str) -> str:
        """Tap a big quick-reply button of the newest reply."""
        return self.tap("#log > li.bot .buttons button:enabled", title)

    def type(self, text: str) -> str:
        """Tap `text` key by key on the on-screen keyboard (open already), then its Send key."""
        self.page.wait_for_selector("#touch-keys:not([hidden])")  # type: ignore[attr-defined]
        for key in touch_keys(text):
            self.tap(f"#touch-keys button[data-key='{key}']", reply=False)
        assert self.page.input_value("#message") == text  # type: ignore[attr-defined]
        return self.tap("#touch-keys button[data-key=send]")

    def photograph(self, path: Path) -> str:
        """Tap the photo button and take the picture (two taps: the button, the shutter)."""
        before = log_size(self.page)
        self.page.locator("#log .upload input[type=file]").last.set_input_files(str(path))  # type: ignore[attr-defined]
        self.taps += 2
        wait_for_reply(self.page, before)
        return last_bot_text(self.page)


def open_kiosk(context: object, query: str = "") -> object:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto("/kiosk" + query)
    page.wait_for_selector("body[data-ready]")
    return page


def test_birth_registration_by_touch_alone_ends_with_a_printable_receipt(touch_context: object, shots, tmp_path: Path) -> None:
    page = open_kiosk(touch_context, "?idle=600")
    shots(page, "home")
    assert page.locator(".tile").count() >= 4 and page.locator("#mic").count() == 1
    me = Kiosk(page)

    me.tap(".tile", "출생신고", reply=False)
    page.wait_for_selector("#sign-in[open] #residents button")  # the form asks to sign in first
    assert "로그인" in page.inner_text("#guide-says")
    shots(page, "sign-in")
    me.tap("#residents button[data-citizen=c-1001]", reply=False)
    for key in "1234":
        me.tap(f"#keypad button[data-key='{key}']", reply=False)
    assert page.inner_text("#pin-dots") == "●●●●"
    shots(page, "pin-pad")
    before = log_size(page)
    me.tap("#keypad button[data-key=ok]", reply=False)
    wait_for_reply(page, before)  # signed in, the kiosk tells the form to carry on
    prefill = last_bot_text(page)
    assert "김민준" in prefill and "이서연" in prefill
    assert page.inner_text("#guide-says").startswith("등록된 정보로")  # the guide shows what it says
    shots(page, "prefill")

    assert page.locator("#touch-keys").is_hidden()
    assert "이름" in me.choose("네, 맞아요")
    assert page.locator("#touch-keys").is_visible()  # a free-text question opens the on-screen keyboard
    assert page.get_attribute("#keys-toggle", "aria-expanded") == "true"
    shots(page, "asked-name-keyboard")
    assert "성별" in me.type("김하늘")
    assert page.locator("#touch-keys").is_hidden()  # a question with buttons closes it again
    assert "날짜" in me.choose("여자")
    assert "시각" in me.choose("어제")  # a touch choice the kiosk offers for dates
    assert "태어난 곳" in me.type("오후 3시 20분")
    shots(page, "asked-place")
    assert "출생증명서" in me.type("서울대학교병원")
    assert page.locator("#touch-keys").is_hidden()
    shots(page, "asked-document")
    for path in document_files(tmp_path):
        reply = me.photograph(path)
    assert "확인해 주세요" in reply
    shots(page, "summary")
    me.choose("네, 제출해 주세요")
    card = page.locator("#log > li.receipt-card").last
    assert re.search(RECEIPT_PATTERN, card.inner_text())
    shots(page, "receipt")
    print(f"\nKIOSK TAPS birth registration: {me.taps} (tile to receipt by touch alone; name, birth time and "
          "hospital tapped on the on-screen keyboard, keys included)")

    # The printable receipt view: only the card is printed.
    page.evaluate("window.print = () => {}")  # headless has no print dialog; the print CSS is what we check
    card.locator(".print").tap()
    page.emulate_media(media="print")
    assert card.is_visible() and not page.locator("#tiles").is_visible() and not page.locator(".guide").is_visible()
    shots(page, "receipt-print-view")
    page.emulate_media(media="screen")


def test_touch_keyboard_composes_hangul_as_a_korean_keyboard_does(touch_context: object, shots) -> None:
    page = open_kiosk(touch_context, "?idle=600")
    keys = page.locator("#touch-keys")
    assert keys.is_hidden() and page.get_attribute("#keys-toggle", "aria-expanded") == "false"
    page.locator("#keys-toggle").tap()
    assert keys.is_visible() and page.get_attribute("#keys-toggle", "aria-expanded") == "true"
    assert keys.get_attribute("role") == "group" and keys.get_attribute("aria-label") == "화면 자판"
    rows = [keys.locator(".key-letters").nth(i).inner_text().replace("\n", "") for i in range(3)]
    assert rows == ["ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ"]  # 2-beolsik
    for button in keys.locator("button").all():  # big keys, each with a name
        box = button.bounding_box()
        assert box and box["width"] >= 56 and box["height"] >= 56, button.inner_text()
        assert (button.get_attribute("aria-label") or button.inner_text()).strip()

    def tap(*names: str) -> str:
        for name in names:
            keys.locator(f"button[data-key='{name}']").tap()
        return page.input_value("#message")

    assert tap("ㄱ", "ㅣ", "ㅁ") == "김"
    assert tap("ㅏ") == "기마"  # the 받침 moves on to the next syllable
    assert tap("backspace") == "김"  # backspace takes back one jamo
    assert tap("backspace", "backspace", "backspace") == ""
    assert tap(*touch_keys("김하늘")) == "김하늘"
    shots(page, "typed-name")
    assert tap("backspace") == "김하느"
    assert tap("ㄹ", "space", "ㅇ", "ㅗ", "ㅏ") == "김하늘 와"  # a compound vowel (ㅗ+ㅏ)
    assert tap("space", "shift") == "김하늘 와 "
    assert keys.locator("button[data-key=shift]").get_attribute("aria-pressed") == "true"
    assert keys.locator("button[data-key='ㄲ']").is_visible()  # shift shows the double consonants
    assert tap("ㄲ", "ㅗ", "ㅊ") == "김하늘 와 꽃"
    assert keys.locator("button[data-key=shift]").get_attribute("aria-pressed") == "false"  # one key only
    assert tap("space", "1", "2") == "김하늘 와 꽃 12"
    keys.locator("button[data-key=mode]").tap()  # ABC: QWERTY
    assert keys.locator(".key-letters").first.inner_text().replace("\n", "") == "qwertyuiop"
    assert tap("shift", "A", "b", "c") == "김하늘 와 꽃 12Abc"
    page.click("#contrast")  # the keys take the high-contrast colours
    assert keys.locator("button[data-key=q]").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 0, 0)"
    shots(page, "abc-high-contrast")
    keys.locator("button[data-key=mode]").tap()
    page.locator("#keys-toggle").tap()
    assert keys.is_hidden()


def test_language_and_display_switches(context: object, shots) -> None:
    page = open_kiosk(context, "?idle=600")
    page.click(".lang button[data-lang=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator(".tile", has_text="Birth registration").count() == 1
    assert "How can I help" in page.inner_text("#guide-says")
    page.click("#bigger")
    page.click("#contrast")
    assert page.get_attribute("html", "data-font") == "large"
    assert page.get_attribute("html", "data-contrast") == "high"
    shots(page, "english-large-high-contrast")
    before = log_size(page)
    page.locator(".tile", has_text="Passport").click()
    wait_for_reply(page, before)
    assert page.locator("#log > li.bot").last.get_attribute("lang") == "en"
    shots(page, "english-answer")
    page.click(".lang button[data-lang=ko]")
    assert page.get_attribute("html", "lang") == "ko"
    assert page.locator(".tile", has_text="출생신고").count() == 1


def test_idle_timeout_asks_then_wipes_the_conversation(context: object, shots) -> None:
    page = open_kiosk(context, "?idle=3&grace=3")
    page.click("#contrast")
    before = log_size(page)
    page.locator(".tile", has_text="여권").click()
    wait_for_reply(page, before)
    first_sender = page.get_attribute("body", "data-sender")
    assert log_size(page) >= 2
    shots(page, "answered")

    page.wait_for_selector("#idle[open]", timeout=15_000)
    assert page.inner_text("#idle-title") == "계속하시겠어요?"
    shots(page, "asks-to-continue")
    page.click("#idle-continue")  # still here: nothing is lost
    assert log_size(page) >= 2 and page.get_attribute("body", "data-sender") == first_sender

    page.wait_for_selector("#idle[open]", timeout=15_000)
    page.wait_for_selector("#idle", state="hidden", timeout=15_000)  # nobody answered
    page.wait_for_function("() => document.querySelectorAll('#log > li').length === 0")
    new_sender = page.get_attribute("body", "data-sender")
    assert new_sender and new_sender != first_sender
    assert page.evaluate("localStorage.getItem('assistant.kiosk.sender')") == new_sender
    assert page.evaluate(f"localStorage.getItem('assistant.kiosk.history.{first_sender}')") is None
    assert page.get_attribute("html", "data-contrast") == "normal"  # the next person gets the default screen
    assert page.evaluate("fetch('/api/auth/me').then(r => r.status)") == 401  # and is not signed in
    shots(page, "wiped")


def test_the_guides_mouth_moves_only_while_speech_plays(context: object, shots) -> None:
    page = open_kiosk(context, "?idle=600")
    voices = page.evaluate("new Promise(r => setTimeout(() => r(speechSynthesis.getVoices().length), 500))")
    if not voices:
        pytest.skip("this chromium has no speech-synthesis voice (none installed): the guide shows its words only")
    assert "speaking" not in (page.get_attribute("#guide-figure", "class") or "")
    before = log_size(page)
    page.locator(".tile", has_text="여권").click()
    wait_for_reply(page, before)
    page.wait_for_selector("#guide-figure.speaking", timeout=10_000)
    shots(page, "speaking")
    page.click("#mute")  # switching the voice off stops the speech and the mouth
    page.wait_for_selector("#guide-figure:not(.speaking)")
