"""Sample resident registration certificates (주민등록표 등본/초본) as PDF, from the citizen record.

Every page is stamped SAMPLE / 견본: the demo register is not the real one and the document has no
legal effect. Hangul is drawn with reportlab's built-in CID font, so no font file is needed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

FONT = "HYSMyeongJo-Medium"
TITLES = {"등본": "주민등록표 (등본)", "초본": "주민등록표 (초본)"}
RELATION_NAMES = {
    "self": "본인", "spouse": "배우자", "child": "자녀", "parent": "부모", "sibling": "형제자매",
    "grandparent": "조부모", "grandchild": "손자녀", "child_in_law": "사위/며느리", "other": "동거인",
}


@dataclass(frozen=True)
class CertificateRequest:
    """What goes on the certificate."""

    receipt_number: str
    certificate_type: str  # 등본 / 초본
    name: str
    registration_number: str  # masked unless the citizen asked to show the back digits
    address: str
    purpose: str
    copies: int = 1
    issued_on: date = field(default_factory=date.today)
    household: list[tuple[str, str, str]] = field(default_factory=list)  # (name, relation, masked number)
    address_history: list[tuple[str, str]] = field(default_factory=list)  # (moved in, address)


def render_certificate(request: CertificateRequest) -> bytes:
    """The PDF: one page per copy, each marked as a sample."""
    from reportlab.lib.pagesizes import A4  # imported here: nothing heavy at import time
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"SAMPLE {TITLES.get(request.certificate_type, '주민등록표')} {request.receipt_number}")
    pdf.setSubject(f"SAMPLE - not a legal document - {request.receipt_number}")
    width, height = A4
    for copy in range(1, request.copies + 1):
        _watermark(pdf, width, height)
        y = height - 70
        pdf.setFont(FONT, 20)
        pdf.drawCentredString(width / 2, y, TITLES.get(request.certificate_type, "주민등록표"))
        pdf.setFont(FONT, 10)
        y -= 22
        pdf.drawCentredString(width / 2, y, "견본 · SAMPLE — 데모용 문서로 법적 효력이 없습니다 (not a legal document)")
        y -= 34
        for label, value in (
            ("발급번호", f"{request.receipt_number}  ({copy}/{request.copies})"),
            ("발급일", request.issued_on.isoformat()),
            ("용도", request.purpose),
            ("성명", request.name),
            ("주민등록번호", request.registration_number),
            ("주소", request.address),
        ):
            pdf.setFont(FONT, 11)
            pdf.drawString(60, y, label)
            pdf.drawString(170, y, value)
            y -= 20
        if request.certificate_type == "등본" and request.household:
            y = _section(pdf, y - 10, "세대 구성원", [(n, RELATION_NAMES.get(r, r), num) for n, r, num in request.household])
        if request.address_history:
            y = _section(pdf, y - 10, "주소 변동 사항", [(d, a, "") for d, a in request.address_history])
        pdf.setFont(FONT, 9)
        pdf.drawString(60, 50, "이 문서는 민원 안내 도우미의 데모 주민 정보로 만든 견본입니다. SAMPLE ONLY.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _watermark(pdf, width: float, height: float) -> None:  # type: ignore[no-untyped-def]
    pdf.saveState()
    pdf.setFont(FONT, 64)
    pdf.setFillGray(0.85)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(35)
    pdf.drawCentredString(0, 0, "견본 SAMPLE")
    pdf.restoreState()


def _section(pdf, y: float, title: str, rows: list[tuple[str, str, str]]) -> float:  # type: ignore[no-untyped-def]
    pdf.setFont(FONT, 12)
    pdf.drawString(60, y, title)
    y -= 18
    pdf.setFont(FONT, 10)
    for first, second, third in rows:
        pdf.drawString(70, y, first)
        pdf.drawString(190, y, second)
        pdf.drawString(400, y, third)
        y -= 16
    return y
