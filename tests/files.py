"""Small real files for upload tests: a JPEG, a PNG and a PDF made on the spot."""

from __future__ import annotations

import io


def jpeg_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A 16x16 JPEG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A 16x16 PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(100, 700, "document")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
