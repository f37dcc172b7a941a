"""Run a scan: crawl -> open -> extract -> detect -> store.

`inspect` handles one blob and everything nested in it and returns plain ItemResults,
so it can run anywhere (later: in worker processes); `run_scan` drives it over a
source and writes the results to the store.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from detectors.engine import Detector
from detectors.images import ImageSettings, analyse_image
from detectors.privacy import scrub
from scanner.crawl import crawl, printable
from scanner.dates import content_date
from scanner.extract import CouldNotInspect, extractor_for
from scanner.model import ANALYSED, FAILED, LOCATION_SEP, SKIPPED, Blob, ItemResult
from scanner.store import Store

log = logging.getLogger(__name__)

MAX_DEPTH = 8  # containers inside containers


def inspect(blob: Blob, location: str, detector: Detector, parent: str | None = None, depth: int = 0,
            images: ImageSettings = ImageSettings()) -> list[ItemResult]:
    """Inspect one blob (and, recursively, what it contains). Never raises for bad content.

    A reason taken from an exception is scrubbed (`detectors.privacy.scrub`): parsers may quote
    the content they choke on, and reasons go to the store, the log and the reports.

    Pictures inside the item that could not be read (damaged, not OCR'd in time) are
    their own "could not inspect" records (see `picture_problems`), so the item keeps its findings.
    """
    result = ItemResult(location=location, parent=parent, size=blob.size, mtime=blob.mtime, dates=dict(blob.dates))
    problems: list[tuple[str, str]] = []
    extract = extractor_for(blob)
    if extract is None:
        result.status, result.reason = SKIPPED, f"file type {blob.suffix or '(none)'} is not read by this version"
        return [result]
    if blob.path and blob.size == 0:  # an empty file holds nothing: no extractor, no "damaged" gap
        return [result]
    if blob.path and (unreadable := _cannot_open(blob)):
        result.status, result.reason = FAILED, unreadable
        return [result]
    try:
        content = extract(blob)
        for segment in content.segments:
            result.findings.extend(detector.findings(segment))
        for image in content.images:
            analysis = analyse_image(image, detector, images)
            result.findings.extend(analysis.findings)
            problems.extend(analysis.problems)
    except CouldNotInspect as exc:
        result.status, result.reason = FAILED, scrub(str(exc))
        return [result]
    except MemoryError:
        result.status, result.reason = FAILED, "too large to read in memory"
        return [result]
    except OSError as exc:  # a disk error while reading
        result.status, result.reason = FAILED, scrub(f"the file cannot be read: {exc.strerror or exc}")
        return [result]
    except Exception as exc:  # a bug or an unforeseen file: record it, never stop the scan
        result.status, result.reason = FAILED, scrub(f"unexpected error while reading ({type(exc).__name__}: {exc})")
        log.warning("could not inspect %s: %s", location, result.reason)
        return [result]
    if "content" not in content.dates and (stated := content_date(content.segments)):
        content.dates["content"] = stated
    result.dates.update(content.dates)
    results = [result]
    results.extend(picture_problems(location, blob, problems))
    for child in content.children:
        child_location = f"{location}{LOCATION_SEP}{child.name}"
        if depth + 1 > MAX_DEPTH:
            results.append(ItemResult(child_location, location, child.size, child.mtime, status=FAILED,
                                      reason=f"nested more than {MAX_DEPTH} containers deep"))
        else:
            results.extend(inspect(child, child_location, detector, location, depth + 1, images))
    return results


def _cannot_open(blob: Blob) -> str | None:
    """Why a file on disk cannot be opened (no read permission, gone since the crawl), or None.

    Checked before the extractor runs, so the reason is not mistaken for a damaged file."""
    try:
        blob.open().close()
    except OSError as exc:
        what = "the scanning account may not read it" if isinstance(exc, PermissionError) else "it cannot be opened"
        return f"{what} ({exc.strerror or exc})"
    return None


def picture_problems(location: str, blob: Blob, problems: list[tuple[str, str]]) -> list[ItemResult]:
    """One "could not inspect" record per reason: `<location> › page 2 (OCR)`, or for several
    pictures with the same reason `<location> › page 1 (OCR) … page 9 (OCR) (9 pictures)`."""
    by_reason: dict[str, list[str]] = {}
    for where, reason in problems:
        by_reason.setdefault(scrub(reason), []).append(where)
    records = []
    for reason, wheres in by_reason.items():
        where = wheres[0] if len(wheres) == 1 else f"{wheres[0]} … {wheres[-1]} ({len(wheres)} pictures)"
        records.append(ItemResult(f"{location}{LOCATION_SEP}{where}", location, 0, blob.mtime, status=FAILED, reason=reason))
    return records


@dataclass
class ScanStats:
    """Counts for the summary line; they add up: items = analysed + skipped + could_not_inspect."""

    items: int = 0
    analysed: int = 0
    skipped: int = 0
    could_not_inspect: int = 0
    findings: int = 0
    bytes: int = 0
    seconds: float = 0.0
    by_entity: dict[str, int] = field(default_factory=dict)

    def add(self, result: ItemResult) -> None:
        self.items += 1
        if result.parent is None:
            self.bytes += result.size or 0
        if result.status == ANALYSED:
            self.analysed += 1
        elif result.status == SKIPPED:
            self.skipped += 1
        else:
            self.could_not_inspect += 1
        self.findings += len(result.findings)
        for f in result.findings:
            self.by_entity[f.entity_type] = self.by_entity.get(f.entity_type, 0) + 1


Progress = Callable[[int, str], None]


def run_scan(root: str | Path, store: Store, detector: Detector, *, register_file: str | None = None,
             register_version: str | None = None, config: dict | None = None,
             progress: Progress | None = None, images: ImageSettings = ImageSettings()) -> tuple[int, ScanStats]:
    """Scan every file below `root` into `store`; returns the scan id and its stats."""
    started = time.monotonic()
    root = Path(root)
    scan_id = store.begin_scan(printable(str(root)), register_file, register_version, config or {})
    stats = ScanStats()
    for n, crawled in enumerate(crawl(root), start=1):
        if progress:
            progress(n, crawled.location)
        if crawled.blob is None:
            results: Iterable[ItemResult] = [ItemResult(crawled.location, None, crawled.size, crawled.mtime,
                                                        status=crawled.status, reason=crawled.reason)]
        else:
            results = inspect(crawled.blob, crawled.location, detector, images=images)
        results = list(results)
        for r in results:
            stats.add(r)
            if r.status == FAILED:
                log.info("could not inspect %s: %s", r.location, r.reason)
        store.add_results(scan_id, results)
    stats.seconds = round(time.monotonic() - started, 2)
    store.finish_scan(scan_id, stats.__dict__)
    return scan_id, stats
