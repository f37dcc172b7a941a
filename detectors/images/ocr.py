"""OCR in Danish with Debian's tesseract (`tesseract-ocr` + `tesseract-ocr-dan`).

tesseract runs as a separate process, one thread (OMP_THREAD_LIMIT=1), with a time
limit per picture; it reads the picture from stdin and needs no network. When it is not
installed, or is too slow on one picture, `read_text` raises `OcrError` with a reason a
person can act on; the scan goes on.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache

LANGUAGE = "dan"
EXTRA_LANGUAGE = "eng"  # added when installed: the Danish model alone often reads "@" as "&"
DEFAULT_SECONDS = 60.0
NOT_AVAILABLE = "OCR not available: install tesseract-ocr and tesseract-ocr-dan (or scan with --no-ocr)"

# tesseract often reads the "@" of an e-mail address as "&" or "©"; between a local part
# and a domain name (no spaces) that can only be an "@".
_MISREAD_AT = re.compile(r"(?<=[\w.])[&©®](?=[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)")


class OcrError(Exception):
    """A picture could not be OCR'd; the message says why."""


@lru_cache(maxsize=1)
def _tesseract() -> tuple[str, str] | None:
    """The tesseract binary and its language argument, if it is installed with Danish; else None."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    if LANGUAGE not in langs:
        return None
    return binary, f"{LANGUAGE}+{EXTRA_LANGUAGE}" if EXTRA_LANGUAGE in langs else LANGUAGE


def available() -> bool:
    """True when tesseract with Danish is installed."""
    return _tesseract() is not None


def read_text(picture: bytes, seconds: float = DEFAULT_SECONDS) -> str:
    """The text tesseract reads in a picture (PGM, PNG, TIFF …), within `seconds`."""
    found = _tesseract()
    if found is None:
        raise OcrError(NOT_AVAILABLE)
    binary, languages = found
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([binary, "stdin", "stdout", "-l", languages, "--psm", "3"], input=picture,
                              capture_output=True, timeout=seconds, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"not OCR'd: took longer than {seconds:g} s (raise --ocr-seconds to allow more)") from None
    except OSError as exc:
        raise OcrError(f"not OCR'd: tesseract could not run ({exc})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"not OCR'd: tesseract failed ({message[-1] if message else f'exit code {done.returncode}'})")
    return repair(done.stdout.decode("utf-8", "replace"))


def repair(text: str) -> str:
    """Undo OCR misreadings that hide personal data from the detectors (the "@" of e-mail addresses)."""
    return _MISREAD_AT.sub("@", text)
