"""Run a scan: crawl -> open -> extract -> detect -> store.

`inspect` handles one blob and everything nested in it and returns plain ItemResults,
so it can run anywhere (in this process, a worker process or a Dask worker);
`scanner/run/runner.py` drives it over a source and writes the results to the store.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from detectors.detector import Detector
from detectors.images.analysis import ImageSettings, analyse_image
from detectors.privacy import mask, scrub
from scanner.extract.dates import content_date
from scanner.extract import CouldNotInspect, extractor_for
from scanner.extract.text import TextPart, part_content
from scanner.model import FAILED, LOCATION_SEP, SKIPPED, Blob, ItemResult, Segment, TableRows
from scanner.run.quiet import parser_output_in_log

log = logging.getLogger(__name__)

MAX_DEPTH = 8  # containers inside containers
BATCH_CHARS = 250_000  # text analysed between two heartbeats; a longer item hands on its findings in parts
# (1 000 000 until the sixth session: a quarter of it took the peak PSS of a big contact-list scan from 334 MB to 283)


def nothing() -> None:
    """The default heartbeat: nobody is watching."""
MAX_NESTED_ITEMS = 1_000_000       # items inside one file on the share, all levels (a .pst of 100 000 mails fits)
MAX_NESTED_BYTES = 50 * 1024**3    # bytes unpacked from one file on the share, all levels


def inspect(blob: Blob, location: str, detector: Detector, images: ImageSettings = ImageSettings()) -> list[ItemResult]:
    """Inspect one blob (and, recursively, what it contains), all results at once. Never raises for bad content."""
    return list(iter_inspect(blob, location, detector, images=images))


def masked_name(name: str, detector: Detector) -> str:
    """A nested item's name (a mail's subject, an attachment's file name) with the personal
    data in it masked: `Sygemelding Mette Hansen, CPR 150385-1004` is stored as
    `Sygemelding M**** H*****, CPR 1503xx-xxxx`."""
    for entity in reversed(detector.entities(name)):
        name = name[:entity.start] + mask(entity.entity_type, name[entity.start:entity.end]) + name[entity.end:]
    return name


def batches(segments: Iterable[Segment | TableRows]) -> Iterator[tuple[list[Segment | TableRows], bool]]:
    """Segments (and table rows) in batches of about BATCH_CHARS characters, each marked whether more follow."""
    batch: list[Segment | TableRows] = []
    size = 0
    for segment in segments:
        chars = segment.chars if isinstance(segment, TableRows) else len(segment.text)
        if batch and size + chars > BATCH_CHARS:
            yield batch, True
            batch, size = [], 0
        batch.append(segment)
        size += chars
    yield batch, False


def beating(segments: Iterable[Segment | TableRows], heartbeat: Callable[[], None]) -> Iterator[Segment | TableRows]:
    """The segments, with a heartbeat after each is read: an extractor that hands out its text
    in parts (a PDF's pages, a workbook's rows, a mail body's pieces) shows with each part that
    it is not stuck, so a worker's time limit holds per part, not per file."""
    for segment in segments:
        yield segment
        heartbeat()


def _unique(name: str, seen: dict[str, int]) -> str:
    """`name`, or `name (2)`, `name (3)` … when a sibling already has it (two mails, one subject)."""
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name} ({seen[name]})"


@dataclass
class NestedBudget:
    """What one file on the share may hold inside it, all levels together: a nested zip bomb
    (42.zip: 16 zips of 16 zips … of 4.3 GB each) stops here even when every single zip is
    within the limits of scanner/extract/archive.py."""

    items: int = 0
    bytes: int = 0
    exceeded: bool = False

    def take(self, child: Blob) -> str | None:
        """Count one more nested item; the reason to stop when that is one too many."""
        self.items, self.bytes = self.items + 1, self.bytes + max(child.size, 0)
        if self.items > MAX_NESTED_ITEMS:
            self.exceeded = True
            return f"more than {MAX_NESTED_ITEMS:,} items inside one file; the rest is not read"
        if self.bytes > MAX_NESTED_BYTES:
            self.exceeded = True
            return f"more than {MAX_NESTED_BYTES / 1024**3:.0f} GB inside one file; the rest is not read (a zip bomb?)"
        return None


def iter_inspect(blob: Blob, location: str, detector: Detector, parent: str | None = None,
                 depth: int = 0, images: ImageSettings = ImageSettings(),
                 budget: NestedBudget | None = None, heartbeat: Callable[[], None] = nothing,
                 part: TextPart | None = None) -> Iterator[ItemResult]:
    """Like `inspect`, yielding each item's result as soon as it is known, children lazily.

    A child that fails to open or read becomes its own could-not-inspect item; a container
    that breaks half-way (a damaged .pst) keeps the children read so far and records why
    the rest is missing. Pictures inside the item that could not be read (damaged, not
    OCR'd in time) are their own "could not inspect" records (see `picture_problems`), so
    the item keeps its findings. `heartbeat` is called after each slow step inside the item (a
    picture analysed, a scanned page OCR'd): a worker process uses it to tell its scanner it is
    not stuck, so its time limit is per step (scanner/run/workers.py).

    Text is analysed in batches of BATCH_CHARS, with a heartbeat after each (and after each segment
    read, see `beating`): a big file's findings are handed on after each batch as a `partial`
    result for the same location (so they are stored as they come, never held whole), and its
    own result follows with the last ones. `part`: read only this range of a big text file (scanner/extract/text.py).

    A reason taken from an exception is scrubbed (`detectors.privacy.scrub`): parsers may quote
    the content they choke on, and reasons go to the store, the log and the reports.
    """
    result = ItemResult(location=location, parent=parent, size=blob.size, mtime=blob.mtime, dates=dict(blob.dates))
    problems: list[tuple[str, str]] = []
    try:  # every step that reads the blob's bytes, sniffing its type included, is inside this guard
        with parser_output_in_log(location):
            extract = extractor_for(blob) if part is None else (lambda b: part_content(b, part))
        if extract is None:
            result.status, result.reason = SKIPPED, f"file type {blob.suffix or '(none)'} is not read by this version"
            yield result
            return
        if _is_empty(blob):  # an empty file holds nothing: no extractor, no "damaged" gap, on disk or in a zip
            yield result
            return
        if blob.path and (unreadable := _cannot_open(blob)):
            result.status, result.reason = FAILED, unreadable
            yield result
            return
        with parser_output_in_log(location):
            content = extract(blob)
        stated = []  # the newest date the text states, per batch
        for n, (batch, more) in enumerate(batches(beating(content.segments, heartbeat))):
            result.findings.extend(detector.findings_in(batch, whole_item=part is None and n == 0 and not more))
            if "content" not in content.dates and (newest := content_date(batch)):
                stated.append(newest)
            if more:
                heartbeat()
                if result.findings:
                    yield dataclasses.replace(result, partial=True)
                    result.findings = []
        if stated:
            content.dates["content"] = max(stated)
        try:
            for image in content.images:  # may be read lazily (a scanned PDF's pages)
                analysis = analyse_image(image, detector, images)
                result.findings.extend(analysis.findings)
                problems.extend(analysis.problems)
                heartbeat()
        except CouldNotInspect as exc:  # the item keeps what was read; the pictures' failure is recorded
            problems.append(("(pictures)", str(exc)))
    except CouldNotInspect as exc:
        result.status, result.reason = FAILED, scrub(str(exc))
        yield result
        return
    except MemoryError:
        result.status, result.reason = FAILED, "too large to read in memory"
        yield result
        return
    except OSError as exc:  # a disk error while reading
        result.status, result.reason = FAILED, scrub(f"the file cannot be read: {exc.strerror or exc}")
        yield result
        return
    except Exception as exc:  # a bug or an unforeseen file: record it, never stop the scan
        result.status, result.reason = FAILED, scrub(f"unexpected error while reading ({type(exc).__name__}: {exc})")
        log.warning("could not inspect %s: %s", location, result.reason)
        yield result
        return
    result.dates.update(content.dates)
    yield result
    yield from picture_problems(location, blob, problems)
    seen: dict[str, int] = {}
    budget = budget or NestedBudget()
    children = iter(content.children)
    while not budget.exceeded:
        try:
            child = next(children)
        except StopIteration:
            return
        except CouldNotInspect as exc:
            yield ItemResult(f"{location}{LOCATION_SEP}(rest of the contents)", location, 0, None, status=FAILED,
                             reason=scrub(f"stopped reading the contents half-way: {exc}"))
            return
        except Exception as exc:
            log.warning("could not list the rest of %s: %s: %s", location, type(exc).__name__, exc)
            yield ItemResult(f"{location}{LOCATION_SEP}(rest of the contents)", location, 0, None, status=FAILED,
                             reason=scrub(f"stopped reading the contents half-way ({type(exc).__name__}: {exc})"))
            return
        if (too_much := budget.take(child)) is not None:
            yield ItemResult(f"{location}{LOCATION_SEP}(rest of the contents)", location, 0, None, status=FAILED,
                             reason=too_much)
            return
        child_location = f"{location}{LOCATION_SEP}{_unique(masked_name(child.name, detector), seen)}"
        child.mtime = child.mtime or blob.mtime  # a member without its own date changed with its container
        if depth + 1 > MAX_DEPTH:
            yield ItemResult(child_location, location, child.size, child.mtime, dict(child.dates), status=FAILED,
                             reason=f"nested more than {MAX_DEPTH} containers deep")
        else:
            yield from iter_inspect(child, child_location, detector, location, depth + 1, images, budget, heartbeat)


def _is_empty(blob: Blob) -> bool:
    """A file or member of 0 bytes (a nested item's stated size of 0 is checked by reading)."""
    if blob.size != 0 or blob.content is not None or blob.open is None:
        return False
    if blob.path:
        return True
    with blob.open() as f:
        return f.read(1) == b""


def _cannot_open(blob: Blob) -> str | None:
    """Why a file on disk cannot be opened (no read permission, gone since the crawl), or None.

    Checked before the extractor runs, so the reason is not mistaken for a damaged file."""
    try:
        blob.open().close()
    except OSError as exc:
        what = "the scanning account may not read it" if isinstance(exc, PermissionError) else "it cannot be opened"
        return f"{what} ({exc.strerror or exc})"
    return None


_MEMORY_ADDRESS = re.compile(r" ?<[\w.]+ object at 0x[0-9a-fA-F]+>")  # Pillow names its BytesIO in errors


def picture_problems(location: str, blob: Blob, problems: list[tuple[str, str]]) -> list[ItemResult]:
    """One "could not inspect" record per reason: `<location> › page 2 (OCR)`, or for several
    pictures with the same reason `<location> › page 1 (OCR) … page 9 (OCR) (9 pictures)`."""
    by_reason: dict[str, list[str]] = {}
    for where, reason in problems:
        by_reason.setdefault(scrub(_MEMORY_ADDRESS.sub("", reason)), []).append(where)
    records = []
    for reason, wheres in by_reason.items():
        where = wheres[0] if len(wheres) == 1 else f"{wheres[0]} … {wheres[-1]} ({len(wheres)} pictures)"
        records.append(ItemResult(f"{location}{LOCATION_SEP}{where}", location, 0, blob.mtime, status=FAILED, reason=reason))
    return records

