"""Reading a report PDF's text, page by page, with pypdfium2.

Anything that is not a readable PDF with a text layer raises a ReportError subclass
that names the file and the reason (see errors.py); nothing else escapes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from lacs.errors import EmptyFile, EncryptedPDF, NotAPDF, NoTextLayer, TruncatedPDF, UnreadableFile

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class PdfText:
    """The text of every page of one PDF file, and the file's identity."""

    path: str
    sha256: str
    size: int
    pages: tuple[str, ...]


def read_pdf(path: Path | str) -> PdfText:
    """Read every page's text. Raises a ReportError subclass for a file that is not a readable PDF."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None
    return pdf_text_from_bytes(data, str(path))


def pdf_text_from_bytes(data: bytes, name: str) -> PdfText:
    """Like read_pdf, for bytes already in memory (a download, a test fixture)."""
    check_pdf_bytes(data, name)
    pages = tuple(_page_texts(data, name))
    if not any(p.strip() for p in pages):
        raise NoTextLayer(name, f"no text layer on any of its {len(pages)} pages (scanned images?)")
    return PdfText(name, hashlib.sha256(data).hexdigest(), len(data), pages)


def check_pdf_opens(data: bytes, name: str) -> int:
    """Raise a ReportError unless the bytes are a PDF whose document and first page load;
    returns the page count. Much cheaper than reading every page's text."""
    check_pdf_bytes(data, name)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _load_error(data, name, exc) from None
    try:
        if len(doc) == 0:
            raise TruncatedPDF(name, "damaged PDF: no pages")
        doc[0].close()
        return len(doc)
    except pdfium.PdfiumError as exc:
        raise TruncatedPDF(name, f"damaged PDF: a page cannot be read ({exc})") from None
    finally:
        doc.close()


def check_pdf_bytes(data: bytes, name: str) -> None:
    """Raise EmptyFile or NotAPDF unless the bytes start like a PDF."""
    if not data:
        raise EmptyFile(name, "empty file (0 bytes)")
    head = data[:1024]
    if PDF_MAGIC not in head:
        raise NotAPDF(name, f"not a PDF: {describe_content(head)}")


def describe_content(head: bytes) -> str:
    """A few words on what a non-PDF file looks like, for the error message."""
    sniff = head.lstrip()[:200].lower()
    if b"<html" in sniff or sniff.startswith(b"<!doctype html"):
        return "an HTML page (a failed download saved as .pdf?)"
    if sniff.startswith((b"<?xml", b"{", b"[")):
        return "a text document, not a PDF"
    return f"starts with {head[:8]!r}, not %PDF-"


def _page_texts(data: bytes, name: str) -> list[str]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _load_error(data, name, exc) from None
    try:
        texts = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    except pdfium.PdfiumError as exc:
        raise TruncatedPDF(name, f"damaged PDF: a page cannot be read ({exc})") from None
    finally:
        doc.close()


def _load_error(data: bytes, name: str, exc: Exception) -> Exception:
    message = str(exc)
    if "password" in message.lower() or "security" in message.lower():
        return EncryptedPDF(name, "encrypted PDF: needs a password")
    if b"%%EOF" not in data[-2048:]:
        return TruncatedPDF(name, f"truncated PDF: the file ends early after {len(data):,} bytes")
    return TruncatedPDF(name, f"damaged PDF: {message}")
