"""Drive a scan over a source: crawl, skip what is done or unchanged, inspect the rest, store.

The unit of work is a Task (`scanner/run/tasks.py`): one top-level item. It runs in this
process (`workers=0`), in forked worker processes with a time and memory limit per item
(`scanner/run/workers.py`), or on a Dask cluster (`scanner/run/cluster.py`). Only this process
writes to the store. A file's results arrive in parts as it is read (`inspect_parts`: a big
mailbox is never held whole) and are stored as they come; the file's own top-level item is
stored last. Commits happen every `COMMIT_SECONDS`, so:

- **incremental**: a file whose size and mtime (and, with `content_hash`, SHA-256) equal the
  last finished scan's (same detector fingerprint) is not inspected again; its items and
  findings are copied forward in SQL;
- **resumable**: when the latest scan of the same source never finished (killed) and ran
  with the same fingerprint and config, it is continued: the files it stored whole (their
  top-level item is there) are kept, the parts of files it was still reading are dropped
  and those files read again.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from detectors.detector import Detector, code_digest
from detectors.images.analysis import ImageSettings
from scanner.model import ANALYSED, FAILED, SKIPPED, Blob, ItemResult
from scanner.run.cluster import run_on_dask
from scanner.run.tasks import Results, Task, inspect_parts
from scanner.run.workers import WorkerPool
from scanner.sources import Source, source_for
from scanner.store import Store, stored_time

log = logging.getLogger(__name__)

CARRY_BATCH = 2000  # unchanged files copied forward per transaction
COMMIT_SECONDS = 0.5  # what was read is committed at most this often (see resume: parts of a file are dropped)
SCANNER = Path(__file__).resolve().parents[1]
# Reading code whose change changes what a scan finds (detection has its own, Detector.fingerprint):
# a change re-analyses every file.
READING_CODE = (SCANNER / "extract", SCANNER / "run" / "pipeline.py", SCANNER / "model.py")
READING_LIBRARIES = ("pdfplumber", "python-docx", "openpyxl", "extract-msg", "pypdfium2", "olefile", "xlrd",
                     "odfpy", "python-pptx", "striprtf", "libpff-python", "msoffcrypto-tool")


Progress = Callable[[int, str], None]


@dataclass
class ScanOptions:
    """How to run a scan: where the work runs, its limits, and whether to re-read everything."""

    workers: int = 0                 # 0: in this process, no limits; N: N worker processes
    full: bool = False               # re-read every file, even unchanged ones
    content_hash: bool = False       # unchanged also means the same SHA-256 of the bytes (reads every file)
    time_limit: float = 300.0        # seconds per item read (workers); per top-level item (Dask)
    memory_limit_mb: int = 1024      # resident memory per worker process (workers only)
    dask: str | None = None          # address of a Dask scheduler, e.g. tcp://scheduler:8786
    smb_credentials: Path | None = None  # credentials file for smb:// sources (scanner/sources/smb.py)


@dataclass
class ScanStats:
    """Counts for the summary line; they add up: items = analysed + skipped + could_not_inspect.

    `unchanged` counts the files carried forward from the previous scan without reading them.
    """

    items: int = 0
    analysed: int = 0
    skipped: int = 0
    could_not_inspect: int = 0
    findings: int = 0
    bytes: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    by_entity: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of_scan(cls, store: Store, scan_id: int, seconds: float) -> "ScanStats":
        counts = store.scan_counts(scan_id)
        statuses = counts["statuses"]
        return cls(items=sum(statuses.values()), analysed=statuses.get(ANALYSED, 0),
                   skipped=statuses.get(SKIPPED, 0), could_not_inspect=statuses.get(FAILED, 0),
                   findings=sum(counts["by_entity"].values()), bytes=counts["bytes"],
                   unchanged=counts["unchanged"], seconds=round(seconds, 2), by_entity=counts["by_entity"])


def scan_fingerprint(detector: Detector, images: ImageSettings = ImageSettings()) -> str:
    """A hash of everything that decides what a scan finds: the detector's own fingerprint, the
    reading code and library versions, and the image settings (OCR). Files are re-analysed
    when it changes."""
    h = hashlib.sha256(detector.fingerprint().encode())
    h.update(code_digest(*READING_CODE, libraries=READING_LIBRARIES).encode())
    h.update(repr(images).encode())
    return h.hexdigest()[:32]


def content_hash(blob: Blob) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read (the inspection then says why)."""
    h = hashlib.sha256()
    try:
        with blob.open() as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except Exception:  # unreadable: inspect records the reason; no hash means "read it again next time"
        return None
    return h.hexdigest()


def _inline(tasks: Iterable[Task], detector: Detector) -> Results:
    for task in tasks:
        for part, last in inspect_parts(task, detector):
            yield task, part, last


def _executor(tasks: Iterable[Task], detector: Detector, options: ScanOptions) -> Results:
    if options.dask:
        return run_on_dask(tasks, detector, options.dask, options.time_limit)
    if options.workers > 0:
        return WorkerPool(detector, options.workers, options.time_limit, options.memory_limit_mb).run(tasks)
    return _inline(tasks, detector)


def run_scan(root: str | Path | Source, store: Store, detector: Detector, *, register_file: str | None = None,
             register_version: str | None = None, config: dict | None = None,
             progress: Progress | None = None, images: ImageSettings = ImageSettings(),
             options: ScanOptions | None = None) -> tuple[int, ScanStats]:
    """Scan every item of `root` (a folder or a Source) into `store`; returns the scan id and its stats.

    Resumes the latest scan of the same source if it was interrupted, and carries unchanged
    files forward from the last finished scan unless `options.full`.
    """
    started = time.monotonic()
    options = options or ScanOptions()
    source: Source = source_for(str(root)) if isinstance(root, (str, Path)) else root
    reading = {"full": options.full, "content_hash": options.content_hash}  # options that change what is stored
    config = {**(config or {}), **reading}
    fingerprint = scan_fingerprint(detector, images)
    scan_id = store.unfinished_scan(source.name, fingerprint, reading)
    if scan_id is not None:
        log.info("resuming scan %s of %s", scan_id, source.name)
        store.set_config(scan_id, config)  # e.g. today's --as-of, when the killed scan ran yesterday
        store.drop_unfinished_files(scan_id)  # what was stored of the files being read when it was killed
        done = set(store.top_states(scan_id))
    else:
        scan_id = store.begin_scan(source.name, register_file, register_version, config, fingerprint)
        done = set()
    previous = None if options.full else store.previous_scan(source.name, fingerprint, before=scan_id)
    known = store.top_states(previous) if previous else {}
    carry: list[str] = []
    crawled_so_far = 0

    def tasks() -> Iterator[Task]:
        """What must be read; on the way, store what is not (crawl errors) and carry what is unchanged."""
        nonlocal crawled_so_far
        for n, crawled in enumerate(source.crawl(), start=1):
            crawled_so_far = n
            if progress:
                progress(n, crawled.location)
            if crawled.location in done:
                continue
            if crawled.blob is None:
                store.add_results(scan_id, [ItemResult(crawled.location, None, crawled.size, crawled.mtime,
                                                       status=crawled.status, reason=crawled.reason,
                                                       owner=crawled.owner)])
                continue
            digest = content_hash(crawled.blob) if options.content_hash else None
            before = known.get(crawled.location)
            if (before and before[:2] == (crawled.size, stored_time(crawled.mtime))
                    and (not options.content_hash or before[2] == digest)):
                carry.append(crawled.location)
                if len(carry) >= CARRY_BATCH:
                    store.carry_forward(scan_id, previous, carry)
                    carry.clear()
            else:
                yield Task(crawled.location, crawled.blob, images, digest, crawled.owner)

    committed = time.monotonic()
    reading: dict[str, ItemResult] = {}  # the top-level result of each file still being read
    read_inside: dict[str, int] = {}     # items read so far inside each of those files (for progress)
    for task, results, last in _executor(tasks(), detector, options):
        for r in results:
            r.owner = r.owner or task.owner  # items inside a file belong to the file's owner
            if r.status == FAILED:
                log.info("could not inspect %s: %s", r.location, r.reason)
            if r.parent is None:
                reading[task.location] = r  # a failure from the executor replaces what was read
        store.add_results(scan_id, [r for r in results if r.parent is not None], commit=False)
        if last:
            read_inside.pop(task.location, None)
            if top := reading.pop(task.location, None):
                # stored last: a stored top-level item means the whole file is stored (see resume)
                store.add_results(scan_id, [top], task.content_hash, commit=False)
        elif progress and results:  # a big mailbox: show that it is being read
            read_inside[task.location] = read_inside.get(task.location, 0) + len(results)
            progress(crawled_so_far, f"{task.location} ({read_inside[task.location]:,} items read inside)")
        if time.monotonic() - committed >= COMMIT_SECONDS:  # a kill loses at most this much work
            store.commit()
            committed = time.monotonic()
    store.commit()
    if carry:
        store.carry_forward(scan_id, previous, carry)
    stats = ScanStats.of_scan(store, scan_id, time.monotonic() - started)
    store.finish_scan(scan_id, stats.__dict__)
    return scan_id, stats
