"""Shared fixtures: a private secret key per test session, the detector, the sample share."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "samples" / "interket"
DEMO_DATE = date(2026, 11, 1)


@pytest.fixture(autouse=True, scope="session")
def _private_key_file(tmp_path_factory):
    """Never touch the user's real key: every test session gets its own key file."""
    path = tmp_path_factory.mktemp("key") / "secret.key"
    mp = pytest.MonkeyPatch()
    mp.setenv("DATAKORT_KEY_FILE", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def detector():
    from detectors.engine import Detector
    return Detector(b"k" * 32)


def load_sample_generator():
    spec = importlib.util.spec_from_file_location("sample_share", SAMPLE_DIR / "make_share.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sample_generator():
    return load_sample_generator()


@pytest.fixture(scope="session")
def sample_share(tmp_path_factory, sample_generator):
    """The generated Interket share and the personal values written into it."""
    root = tmp_path_factory.mktemp("share") / "share"
    written = sample_generator.make_share(root, DEMO_DATE)
    return root, written
