"""Where items come from: a registry of sources by URL scheme.

A plain path is a local or mounted folder (scanner/sources/local.py); `smb://server/share/folder`
is read directly over SMB (scanner/sources/smb.py). Add a source by writing a class with
`from_url`, `name` and `crawl` (scanner/sources/base.py) and adding its scheme here.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from scanner.sources.base import Coverage, CrawledItem, Source, SourceError
from scanner.sources.local import LocalSource
from scanner.sources.smb import SmbSource

__all__ = ["Coverage", "CrawledItem", "Source", "SourceError", "SOURCES", "source_for"]

SOURCES: dict[str, type] = {"": LocalSource, "smb": SmbSource}


def source_for(location: str, credentials_file: Path | None = None) -> Source:
    """The source a location names; SourceError (one line saying why) when it cannot be used."""
    scheme = urlsplit(location).scheme.lower() if "://" in location else ""
    if scheme not in SOURCES:
        raise SourceError(f"{location}: datakort cannot read {scheme}:// locations; "
                          f"give a folder or one of {', '.join(s + '://' for s in SOURCES if s)}")
    return SOURCES[scheme].from_url(location, credentials_file)
