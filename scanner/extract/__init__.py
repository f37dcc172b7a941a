"""Extractors by file type: each turns a Blob into Content (text segments, dates, children).

Add a format by writing a function `def extract_x(blob: Blob) -> Content` in a module of
this package and decorating it with `@extractor(".x", ".y")`. An extractor raises
`CouldNotInspect` with a reason a person can act on when the bytes cannot be read.
"""
from __future__ import annotations

import importlib
from typing import Callable

from scanner.model import Blob, Content

Extractor = Callable[[Blob], Content]

_EXTRACTORS: dict[str, Extractor] = {}
_MODULES = ("text", "office", "pdf", "image")


class CouldNotInspect(Exception):
    """The item exists but its content cannot be read; the message says why."""


def extractor(*suffixes: str) -> Callable[[Extractor], Extractor]:
    """Register a function as the extractor for the given file suffixes."""

    def register(func: Extractor) -> Extractor:
        for suffix in suffixes:
            _EXTRACTORS[suffix.lower()] = func
        return func

    return register


def _load_modules() -> None:
    if not _EXTRACTORS:
        for name in _MODULES:
            importlib.import_module(f"{__name__}.{name}")


def extractor_for(blob: Blob) -> Extractor | None:
    """The extractor registered for the blob's suffix, or None when the type is not supported."""
    _load_modules()
    return _EXTRACTORS.get(blob.suffix)


def supported_suffixes() -> list[str]:
    _load_modules()
    return sorted(_EXTRACTORS)
