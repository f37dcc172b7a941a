"""Fuzzing the extractors (hypothesis): every extractor in the registry, fed mutated real files of
every type and random bytes, returns Content or raises CouldNotInspect, and never hangs.

Extractors added later are fuzzed automatically: the test iterates over the registry. Bounded in
time: FUZZ_EXAMPLES mutated inputs per extractor (derandomised, so CI sees the same inputs each
run; `DATAKORT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py` explores further), each stopped after
HANG_SECONDS.
"""
from __future__ import annotations

import io
import os
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.extract import CouldNotInspect, extractor_for, supported_suffixes
from scanner.model import Blob, Content
from tests import hostile_corpus as hc
from tests.conftest import load_sample_generator

FUZZ_EXAMPLES = int(os.environ.get("DATAKORT_FUZZ_EXAMPLES", "300"))  # more for a longer run; the same inputs each run
HANG_SECONDS = 10


def _extractors() -> dict[str, list[str]]:
    """{extractor name: its suffixes}, one entry per extractor function in the registry."""
    by_func: dict = {}
    for suffix in supported_suffixes():
        func = extractor_for(Blob(f"x{suffix}", 0, io.BytesIO))
        by_func.setdefault(func, []).append(suffix)
    return {f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}": suffixes for func, suffixes in by_func.items()}


EXTRACTORS = _extractors()


def _seeds() -> list[bytes]:
    """Small real files of each type the sample generator writes, plus a zip, a PNG and mail text."""
    import tempfile
    from pathlib import Path

    from PIL import Image
    generator = load_sample_generator()
    line, _ = hc.cpr_line()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generator.write_docx(folder / "s.docx", ["Kunde", line], hc.WHEN, table=[["Navn", "CPR"], ["Jens", line]])
        generator.write_xlsx(folder / "s.xlsx", {"Ark1": [["Navn", "CPR"], ["Jens", line.split()[-1]]]})
        generator.write_pdf(folder / "s.pdf", "Kunde", [line.strip()], hc.WHEN)
        seeds = [(folder / f"s.{s}").read_bytes() for s in ("docx", "xlsx", "pdf")]
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(png, format="PNG")
    mail = (f"From: a@b.dk\nSubject: Kunde\nContent-Type: text/plain; charset=utf-8\n\n{line}").encode()
    return seeds + [png.getvalue(), hc._zip_bytes({"a.txt": line.encode()}), mail, f"navn;cpr\nJens;{line}".encode()]


SEEDS = _seeds()


@st.composite
def mutated(draw) -> bytes:
    """A seed file cut short, with bytes overwritten, or with bytes inserted; or plain random bytes."""
    how = draw(st.sampled_from(("truncate", "flip", "insert", "random")))
    if how == "random":
        return draw(st.binary(max_size=4096))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    if how == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        chunk = draw(st.binary(min_size=1, max_size=16))
        if how == "flip":
            data[at:at + len(chunk)] = chunk
        else:
            data[at:at] = chunk
    return bytes(data)


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int):
    def alarm(signum, frame):
        raise Hang(f"no answer in {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
def test_extractor_survives_fuzzing(name):
    suffix = EXTRACTORS[name][0]

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mutated())
    def fuzz(data: bytes) -> None:
        blob = Blob(f"fuzz{suffix}", len(data), lambda: io.BytesIO(data))
        extract = extractor_for(blob)
        try:
            with time_limit(HANG_SECONDS):
                content = extract(blob)
        except CouldNotInspect as exc:
            assert str(exc).strip(), "a could-not-inspect reason must say something"
            return
        assert isinstance(content, Content)

    fuzz()


def test_every_extractor_is_fuzzed():
    assert {"text.extract_text", "text.extract_csv", "office.extract_docx", "office.extract_xlsx", "pdf.extract_pdf"} <= set(EXTRACTORS)
