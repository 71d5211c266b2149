"""Steps a citizen takes on the two pages, shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

from tests.files import jpeg_bytes, pdf_bytes, png_bytes

RECEIPT_PATTERN = r"\d{4}-BR-\d{6}"

# The kiosk's touch keyboard (2-beolsik): the keys that type each jamo of a syllable. Double consonants
# and ㅒ ㅖ take Shift first; compound vowels and double 받침 are two keys (ㅘ = ㅗ ㅏ, ㄺ = ㄹ ㄱ).
_CHO = ["ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅉ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_JUNG = ["ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ", "ㅜ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ",
         "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ"]
_JONG = ["", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅁ",
         "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_SHIFTED = set("ㄲㄸㅃㅆㅉㅒㅖ")


def touch_keys(text: str) -> list[str]:
    """The `data-key`s of the on-screen keys to tap, in order, to type Korean text, digits and spaces."""
    keys: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            jamo = _CHO[code // 588] + _JUNG[code % 588 // 28] + _JONG[code % 28]
        elif ch.isdigit() or "\u3131" <= ch <= "\u3163":
            jamo = ch
        elif ch == " ":
            keys.append("space")
            continue
        else:
            raise ValueError(f"no key for {ch!r} on the Korean layout")
        for j in jamo:
            keys.extend(["shift", j] if j in _SHIFTED else [j])
    return keys


def document_files(folder: Path) -> list[Path]:
    """The three documents of a birth registration, as files a person would pick."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, data in (("birth-certificate.jpg", jpeg_bytes()), ("id-card.png", png_bytes()),
                       ("signed-form.pdf", pdf_bytes())):
        path = folder / name
        path.write_bytes(data)
        files.append(path)
    return files


def wait_for_reply(page: object, before: int) -> None:
    """Wait until the turn that started with `before` log items has been answered."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """(before) => {
             const items = document.querySelectorAll('#log > li');
             return items.length >= before + 2 && document.getElementById('typing').hidden;
           }""",
        arg=before,
    )


def log_size(page: object) -> int:
    return page.locator("#log > li").count()  # type: ignore[attr-defined]


def last_bot_text(page: object) -> str:
    return page.locator("#log > li.bot").last.inner_text()  # type: ignore[attr-defined]
