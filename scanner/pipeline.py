"""Run a scan: crawl -> open -> extract -> detect -> store.

`inspect` handles one blob and everything nested in it and returns plain ItemResults,
so it can run anywhere (in this process, a worker process or a Dask worker);
`scanner/runner.py` drives it over a source and writes the results to the store.
"""
from __future__ import annotations

import logging

from detectors.engine import Detector
from detectors.images import ImageSettings, analyse_image
from scanner.dates import content_date
from scanner.extract import CouldNotInspect, extractor_for
from scanner.model import FAILED, LOCATION_SEP, SKIPPED, Blob, ItemResult

log = logging.getLogger(__name__)

MAX_DEPTH = 8  # containers inside containers


def inspect(blob: Blob, location: str, detector: Detector, parent: str | None = None, depth: int = 0,
            images: ImageSettings = ImageSettings()) -> list[ItemResult]:
    """Inspect one blob (and, recursively, what it contains). Never raises for bad content.

    Pictures inside the item that could not be read (damaged, not OCR'd in time) are
    their own "could not inspect" records (see `picture_problems`), so the item keeps its findings.
    """
    result = ItemResult(location=location, parent=parent, size=blob.size, mtime=blob.mtime, dates=dict(blob.dates))
    problems: list[tuple[str, str]] = []
    extract = extractor_for(blob)
    if extract is None:
        result.status, result.reason = SKIPPED, f"file type {blob.suffix or '(none)'} is not read by this version"
        return [result]
    try:
        content = extract(blob)
        result.findings.extend(detector.findings_in(content.segments))
        for image in content.images:
            analysis = analyse_image(image, detector, images)
            result.findings.extend(analysis.findings)
            problems.extend(analysis.problems)
    except CouldNotInspect as exc:
        result.status, result.reason = FAILED, str(exc)
        return [result]
    except MemoryError:
        result.status, result.reason = FAILED, "too large to read in memory"
        return [result]
    except Exception as exc:  # a bug or an unforeseen file: record it, never stop the scan
        log.warning("could not inspect %s: %s: %s", location, type(exc).__name__, exc)
        result.status, result.reason = FAILED, f"unexpected error while reading ({type(exc).__name__}: {exc})"
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


def picture_problems(location: str, blob: Blob, problems: list[tuple[str, str]]) -> list[ItemResult]:
    """One "could not inspect" record per reason: `<location> › page 2 (OCR)`, or for several
    pictures with the same reason `<location> › page 1 (OCR) … page 9 (OCR) (9 pictures)`."""
    by_reason: dict[str, list[str]] = {}
    for where, reason in problems:
        by_reason.setdefault(reason, []).append(where)
    records = []
    for reason, wheres in by_reason.items():
        where = wheres[0] if len(wheres) == 1 else f"{wheres[0]} … {wheres[-1]} ({len(wheres)} pictures)"
        records.append(ItemResult(f"{location}{LOCATION_SEP}{where}", location, 0, blob.mtime, status=FAILED, reason=reason))
    return records


def __getattr__(name: str):
    """`run_scan` and `ScanStats` moved to scanner/runner.py; old imports keep working."""
    if name in ("run_scan", "ScanStats"):
        from scanner import runner
        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
