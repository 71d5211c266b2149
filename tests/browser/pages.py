"""Steps a citizen takes on the two pages, shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

from tests.files import jpeg_bytes, pdf_bytes, png_bytes

RECEIPT_PATTERN = r"\d{4}-BR-\d{6}"


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
