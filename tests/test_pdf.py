"""Reading PDFs: every kind of bad file gets its own typed, one-line error naming the file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from lacs.errors import EmptyFile, EncryptedPDF, NotAPDF, NoTextLayer, ReportError, TruncatedPDF
from lacs.reports.pdf import read_pdf
from pdfs import make_pdf


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reads_every_page(tmp_path: Path) -> None:
    pdf = read_pdf(write(tmp_path, "ok.pdf", make_pdf(["first page", "second page"])))
    assert [p.strip() for p in pdf.pages] == ["first page", "second page"]
    assert len(pdf.sha256) == 64 and pdf.size > 0


@pytest.mark.parametrize(
    ("name", "data", "error", "words"),
    [
        ("error.pdf", b"<!DOCTYPE html><html><body>Error 503</body></html>", NotAPDF, "HTML page"),
        ("random.pdf", os.urandom(4096).replace(b"%PDF-", b"xxxxx"), NotAPDF, "not a PDF"),
        ("empty.pdf", b"", EmptyFile, "empty"),
        ("cut.pdf", make_pdf(["some text"])[:200], TruncatedPDF, "truncated"),
    ],
)
def test_bad_files_get_typed_errors(tmp_path: Path, name: str, data: bytes, error: type, words: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(error) as caught:
        read_pdf(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and words in message and "\n" not in message


def test_encrypted_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.append(io.BytesIO(make_pdf(["secret text"])))
    writer.encrypt("a password")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(EncryptedPDF, match="password"):
        read_pdf(write(tmp_path, "locked.pdf", buffer.getvalue()))


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(NoTextLayer, match="no text layer"):
        read_pdf(write(tmp_path, "scan.pdf", buffer.getvalue()))


def test_missing_file_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="cannot be read"):
        read_pdf(tmp_path / "nowhere.pdf")


def test_corpus_html_error_pages_are_not_pdfs(corpus: Path) -> None:
    html = [p for p in corpus.rglob("*.pdf") if b"%PDF-" not in p.read_bytes()[:1024]]
    assert len(html) == 4
    for path in html:
        with pytest.raises(NotAPDF, match="HTML page"):
            read_pdf(path)
