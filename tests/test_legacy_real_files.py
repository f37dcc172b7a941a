"""Old Office files written by Office itself (Word, PowerPoint and Excel 97-2003), read by our
own reader for .doc and .ppt (scanner/extract/legacy.py) and by xlrd for .xls.

The files are oletools' test files (its PyPI source package), fetched once per machine into
~/.cache/datakort/realfiles by tests/realfiles.py, never committed. Each file's text is held
against words known to be in it (seen in Word/PowerPoint and with antiword/strings); every
word antiword (an independent C reader, Debian's `antiword`) finds in a .doc must be found by
ours too. The encrypted ones must say "encrypted", not "damaged".
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from detectors.images.analysis import ImageSettings
from scanner.model import ANALYSED, FAILED
from scanner.run.pipeline import iter_inspect
from scanner.sources.local import file_blob
from tests import realfiles

LEGACY = {".doc", ".dot", ".ppt", ".pps", ".xls"}
DATA = "pypi-oletools-0.60.2/tests/test-data"

# words each file holds, in its body, slides or cells
KNOWN = {
    "msodde/harmless-clean.doc": ("This is a harmless test document", "ünicöde-ßtringß", "different text sizes"),
    "msodde/dde-test-from-office2016.doc": ("This is a dde test file", "mean unicode chars (üöä)", "Hope this works"),
    "oleobj/embedded-simple-2007.doc": ("This document contains an embedded file",),
    "oleobj/embedded-unicode.doc": ("an embedded object which is a file with unicode in filename and contents",),
    "oleobj/embedded-simple-2007.ppt": ("Embedded Objects", "This slide contains an embedded object",
                                        "It is a simple harmless ASCII text file"),
    "oleobj/embedded-simple-2007.pps": ("Embedded Objects", "This slide contains an embedded object"),
    "oleobj/sample_with_lnk_file.ppt": ("Test", "Titelmasterformat durch Klicken bearbeiten"),
    "oleobj/sample_with_lnk_file.pps": ("Test", "Titelmasterformat durch Klicken bearbeiten"),
    "olevba/sample_with_vba.ppt": ("PPT VBA TEST", "마스터 제목 스타일 편집"),
    "oleobj/embedded-simple-2007.xls": ("This spreadsheet contains an embedded object", "Have fun parsing :-)"),
}
ENCRYPTED = {"encrypted/encrypted.doc": "encrypted Word (.doc) file",
             "encrypted/encrypted.ppt": "encrypted PowerPoint (.ppt) file",
             "encrypted/encrypted.xls": "encrypted Excel (.xls) file",
             "encrypted/autostart-encrypt-standardpassword.xls": "encrypted Excel (.xls) file",
             "encrypted/dde-test-encrypt-standardpassword.xls": "encrypted Excel (.xls) file"}


@pytest.fixture(scope="module")
def legacy() -> dict[str, Path]:
    try:
        cache = realfiles.fetch(packages=realfiles.LEGACY_PACKAGES)
    except realfiles.Unreachable as exc:
        pytest.skip(f"oletools' test files not fetched (PyPI is unreachable): {exc}")
    root = cache / DATA
    return {str(p.relative_to(root)): p for p in realfiles.files(cache, realfiles.LEGACY_PACKAGES)
            if p.suffix.lower() in LEGACY}


def read(path: Path, detector):
    [result, *children] = iter_inspect(file_blob(str(path)), path.name, detector, images=ImageSettings(ocr=False))
    return result


def text_of(path: Path) -> str:
    from scanner.extract import extractor_for

    blob = file_blob(str(path))
    return "\n".join(s.text for s in extractor_for(blob)(blob).segments)


def test_every_old_office_file_is_read_or_said_to_be_encrypted(legacy, detector):
    assert len(legacy) >= 18 and set(KNOWN) | set(ENCRYPTED) <= set(legacy)
    for name, path in legacy.items():
        result = read(path, detector)
        if name in ENCRYPTED:
            assert (result.status, result.reason) == (FAILED, f"{ENCRYPTED[name]}: it needs a password to open"), name
        else:
            assert (result.status, result.reason) == (ANALYSED, None), name


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_the_text_of_a_real_old_office_file_is_recovered(legacy, name):
    text = " ".join(text_of(legacy[name]).split())
    for words in KNOWN[name]:
        assert words in text, f"{name}: {words!r} not in {text[:300]!r}"


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed (apt-get install antiword)")
def test_every_word_antiword_finds_in_a_doc_is_found_by_our_reader(legacy):
    compared = 0
    for name, path in legacy.items():
        if path.suffix.lower() != ".doc" or name in ENCRYPTED:
            continue
        run = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=60)
        theirs = realfiles.words(run.stdout.decode("utf-8", "replace").replace("[pic]", " "))
        ours = realfiles.words(text_of(path))
        assert theirs <= ours, f"{name}: antiword finds {sorted(theirs - ours)} that we do not"
        compared += len(theirs)
    assert compared >= 60
