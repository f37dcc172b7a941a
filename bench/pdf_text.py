"""Compare PDF text extraction: pdfplumber (pdfminer.six) against pypdfium2 (PDFium).

Writes a PDF of N text pages with fpdf2 and times getting every page's text with each.
Usage: .venv/bin/python bench/pdf_text.py [PAGES]    (pypdfium2 must be installed)
"""
from __future__ import annotations

import io
import sys
import time

from fpdf import FPDF


def make_pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for n in range(pages):
        pdf.add_page()
        for line in range(45):
            pdf.cell(0, 6, f"Side {n + 1} linje {line + 1}: Kontakt Mette Hansen, tlf. 20 12 34 {line:02d}, "
                           f"mette{line}@firma.dk", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def with_pdfplumber(data: bytes) -> int:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def with_pypdfium2(data: bytes) -> int:
    import pypdfium2
    pdf = pypdfium2.PdfDocument(data)
    try:
        return sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
    finally:
        pdf.close()


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    data = make_pdf(pages)
    print(f"{pages} pages, {len(data) / 1024:.0f} KiB")
    for name, func in (("pdfplumber", with_pdfplumber), ("pypdfium2", with_pypdfium2)):
        started = time.perf_counter()
        chars = func(data)
        seconds = time.perf_counter() - started
        print(f"{name:11s} {seconds:6.2f} s  {pages / seconds:7.1f} pages/s  {chars} characters")


if __name__ == "__main__":
    main()
