"""Drive a scan over a source: crawl, skip what is done or unchanged, inspect the rest, store.

The unit of work is a Task (`scanner/run/tasks.py`): one top-level item. It runs in this
process (`workers=0`), in forked worker processes with a time and memory limit per item
(`scanner/run/workers.py`), or on a Dask cluster (`scanner/run/cluster.py`). Only this process
writes to the store. A file's results arrive in parts as it is read (`inspect_parts`: a big
mailbox is never held whole) and are stored as they come; the findings of an item still being
read (a big text file) are stored under the id reserved for the item, which is stored last. A big text
file on disk is handed out as several tasks, one per byte range (`text_parts`), so all workers
read it; the file's own top-level item is stored last, when all its ranges are done.
Commits happen every `COMMIT_SECONDS`, so:

- **incremental**: a file whose size and mtime (and, with `content_hash`, SHA-256) equal the
  last finished scan's (same detector fingerprint) is not inspected again; its items and
  findings are copied forward in SQL;
- **resumable**: when the latest scan of the same source never finished (killed) and ran
  with the same fingerprint and config, it is continued: the files it stored whole (their
  top-level item is there) are kept, the parts of files it was still reading are dropped
  and those files read again. Ctrl-C commits what was read and raises `ScanInterrupted`;
- **covered**: the crawl records which folders it could list (`Coverage`, stored with the
  scan). A scan that saw nothing (an empty or unmounted share) or could not list its root is
  deleted again and raises `SourceError`: it must not make every earlier gap look fixed.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from detectors.detector import Detector, code_digest
from detectors.images.analysis import ImageSettings
from scanner.extract.text import text_parts
from scanner.model import ANALYSED, FAILED, SKIPPED, Blob, ItemResult
from scanner.run.cluster import run_on_dask
from scanner.run.tasks import Results, Task, inspect_parts
from scanner.run.workers import WorkerPool
from scanner.sources import Coverage, Source, SourceError, source_for
from scanner.sources.local import LocalSource
from scanner.store import Store, stored_time

log = logging.getLogger(__name__)

CARRY_BATCH = 2000  # unchanged files copied forward per transaction
COMMIT_SECONDS = 0.5  # what was read is committed at most this often (see resume: parts of a file are dropped)
GC_THRESHOLD = 50_000  # allocations between two runs of the cycle collector while scanning (Python: 700)
SCANNER = Path(__file__).resolve().parents[1]
# Reading code whose change changes what a scan finds (detection has its own, Detector.fingerprint):
# a change re-analyses every file.
READING_CODE = (SCANNER / "extract", SCANNER / "run" / "pipeline.py", SCANNER / "model.py")
READING_LIBRARIES = ("pdfplumber", "python-docx", "openpyxl", "extract-msg", "pypdfium2", "olefile", "xlrd",
                     "odfpy", "python-pptx", "striprtf", "libpff-python", "msoffcrypto-tool")


COUNT_SECONDS = 10.0  # a first scan of a local folder counts its files first, for at most this long

# Progress: called with the number of entries crawled so far and where the scan is. It may also have
# `expect(items, bytes)` (the totals, when known) and `read(bytes)` (a file done); see datakort/scan.py.
Progress = Callable[[int, str], None]


class ScanInterrupted(KeyboardInterrupt):
    """Ctrl-C during a scan: what was read is stored; running the same scan again resumes it."""

    def __init__(self, items: int):
        super().__init__(items)
        self.items = items


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


@dataclass
class _Reading:
    """A file whose results are still arriving: its top-level result so far, its tasks not yet
    done (several for a big text file read in ranges), and the items read inside it."""

    top: ItemResult | None = None
    tasks_left: int = 0
    all_handed_out: bool = False
    items: int = 0
    bytes_read: int = 0  # of its ranges done, told to the progress as they end

    def take_top(self, task: Task, result: ItemResult) -> None:
        """Merge one task's top-level result: a range's dates join the file's (the newest date
        the text states wins); a failure in any range (or of the whole file) makes the file
        "could not inspect", saying where."""
        if task.part is not None and result.status == FAILED and task.part.start > 0:
            result.reason = f"{result.reason} (in the part from line {task.part.first_line:,} on)"
        dates = {**self.top.dates, **result.dates} if self.top else dict(result.dates)
        if self.top and "content" in self.top.dates and "content" in result.dates:  # the newest any range states
            dates["content"] = max(self.top.dates["content"], result.dates["content"])
        if self.top is None or result.status == FAILED or self.top.status != FAILED:
            self.top = dataclasses.replace(result, dates=dates)
        else:
            self.top.dates = dates


def _split(tasks: Iterable[Task], reading: dict[str, _Reading]) -> Iterator[Task]:
    """Each task, a big text file on disk as one task per range; counts them in `reading`."""
    for task in tasks:
        file = reading.setdefault(task.location, _Reading())
        parts = text_parts(task.blob) if task.blob.content is None else None
        if parts is None:
            file.tasks_left, file.all_handed_out = 1, True
            yield task
            continue
        for part in parts:
            file.tasks_left += 1
            file.all_handed_out = part.last
            yield dataclasses.replace(task, part=part)


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


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector, less often while a scan runs (and in its workers, forked inside it):
    detection and the results of a big file make millions of small objects, and with the default
    threshold the collector ran every 700 of them, over the word lists each time (a quarter of
    the time of unpickling a big file's findings). What exists already (the detector) is frozen."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def run_scan(root: str | Path | Source, store: Store, detector: Detector, *, register_file: str | None = None,
             register_version: str | None = None, config: dict | None = None,
             progress: Progress | None = None, images: ImageSettings = ImageSettings(),
             options: ScanOptions | None = None) -> tuple[int, ScanStats]:
    """Scan every item of `root` (a folder or a Source) into `store`; returns the scan id and its stats.

    Resumes the latest scan of the same source if it was interrupted, and carries unchanged
    files forward from the last finished scan unless `options.full`. The findings are written
    with no index on their keyed hashes, which is built once at the end (`Store.without_value_index`).
    """
    with store.without_value_index():
        return _run_scan(root, store, detector, register_file=register_file, register_version=register_version,
                         config=config, progress=progress, images=images, options=options)


@_fewer_collections()
def _run_scan(root: str | Path | Source, store: Store, detector: Detector, *, register_file: str | None = None,
              register_version: str | None = None, config: dict | None = None,
              progress: Progress | None = None, images: ImageSettings = ImageSettings(),
              options: ScanOptions | None = None) -> tuple[int, ScanStats]:
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
        store.set_pid(scan_id)
        store.drop_unfinished_files(scan_id)  # what was stored of the files being read when it was killed
        done = set(store.top_states(scan_id))
    else:
        scan_id = store.begin_scan(source.name, register_file, register_version, config, fingerprint)
        done = set()
    previous = None if options.full else store.previous_scan(source.name, fingerprint, before=scan_id)
    known = store.top_states(previous) if previous else {}
    if expect := getattr(progress, "expect", None):
        expect(*expected_totals(store, source, scan_id))
    read = getattr(progress, "read", None)
    coverage = Coverage()
    carry: list[str] = []
    crawled_so_far = 0
    stored_files = len(done)
    root_reason: str | None = None

    def tasks() -> Iterator[Task]:
        """What must be read; on the way, store what is not (crawl errors) and carry what is unchanged."""
        nonlocal crawled_so_far, stored_files, root_reason
        for n, crawled in enumerate(source.crawl(coverage), start=1):
            crawled_so_far = n
            if progress:
                progress(n, crawled.location)
            if crawled.location in done:
                if read:
                    read(crawled.size)
                continue
            if crawled.blob is None:
                if crawled.location == ".":
                    root_reason = crawled.reason
                store.add_results(scan_id, [ItemResult(crawled.location, None, crawled.size, crawled.mtime,
                                                       status=crawled.status, reason=crawled.reason,
                                                       owner=crawled.owner)])
                stored_files += 1
                continue
            digest = content_hash(crawled.blob) if options.content_hash else None
            before = known.get(crawled.location)
            if (before and before[:2] == (crawled.size, stored_time(crawled.mtime))
                    and (not options.content_hash or before[2] == digest)):
                carry.append(crawled.location)
                if read:
                    read(crawled.size)
                if len(carry) >= CARRY_BATCH:
                    store.carry_forward(scan_id, previous, carry)
                    stored_files += len(carry)
                    carry.clear()
            else:
                yield Task(crawled.location, crawled.blob, images, digest, owner=crawled.owner)

    committed = time.monotonic()
    reading: dict[str, _Reading] = {}  # the files still being read
    pending: set[str] = set()  # items with findings waiting in the store (Store.add_pending_findings)
    executor = _executor(_split(tasks(), reading), detector, options)
    try:
        for task, results, last in executor:
            file = reading[task.location]
            inside = []
            for r in results:
                r.owner = r.owner or task.owner  # items inside a file belong to the file's owner
                if r.status == FAILED:
                    log.info("could not inspect %s: %s", r.location, r.reason)
                # a range's findings, and the rest of those of an item whose findings came in parts, wait
                if r.findings and (r.partial or r.location in pending or (task.part and r.parent is None)):
                    store.add_pending_findings(scan_id, r.location, r.findings)
                    pending.add(r.location)
                    r.findings = []
                if r.partial:
                    continue
                if r.parent is None:
                    file.take_top(task, r)  # a failure from the executor replaces what was read
                else:
                    inside.append(r)
            store.add_results(scan_id, inside, commit=False)  # an item's waiting findings are its own now
            pending.difference_update(r.location for r in inside)
            file.items += len(inside)
            if last:
                file.tasks_left -= 1
                if task.part is not None and read:  # a range of a big file: the progress moves with each
                    part_bytes = max(0, min(task.part.end, task.blob.size) - task.part.start)
                    read(part_bytes)
                    file.bytes_read += part_bytes
            if last and file.tasks_left == 0 and file.all_handed_out:
                del reading[task.location]
                if file.top:
                    # stored last: a stored top-level item means the whole file is stored (see resume)
                    store.add_results(scan_id, [file.top], task.content_hash, commit=False)
                    stored_files += 1
                    pending.discard(task.location)
                if read:
                    read(max(0, task.blob.size - file.bytes_read))
            elif progress and results:  # a big mailbox or text file: show that it is being read
                what = f"{file.items:,} items read inside" if file.items else "being read"
                progress(crawled_so_far, f"{task.location} ({what})")
            if time.monotonic() - committed >= COMMIT_SECONDS:  # a kill loses at most this much work
                store.commit()
                committed = time.monotonic()
        store.commit()
        if carry:
            store.carry_forward(scan_id, previous, carry)
            stored_files += len(carry)
    except KeyboardInterrupt:
        with _no_second_interrupt():
            getattr(executor, "close", lambda: None)()  # stops the workers now, not when garbage collected
            store.commit()
            if carry:  # unchanged files found so far count as done when the scan resumes
                store.carry_forward(scan_id, previous, carry)
                stored_files += len(carry)
        raise ScanInterrupted(stored_files) from None
    if coverage.root_unreadable or crawled_so_far == 0:
        store.drop_scan(scan_id)  # nothing seen is no evidence that anything went away
        raise SourceError(nothing_seen(source, coverage, root_reason))
    store.set_scan_facts(scan_id, coverage={"folders": coverage.folders, "unreadable": coverage.unreadable,
                                            "crawled": crawled_so_far})
    stats = ScanStats.of_scan(store, scan_id, time.monotonic() - started)
    store.finish_scan(scan_id, stats.__dict__)
    return scan_id, stats


@contextmanager
def _no_second_interrupt() -> Iterator[None]:
    """While what was read is saved after Ctrl-C, a second Ctrl-C waits (it would leave a traceback)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def expected_totals(store: Store, source: Source, scan_id: int) -> tuple[int | None, int | None]:
    """How many entries and bytes this scan will crawl: as many as the last scan of the same root did,
    else (a first scan of a local folder) counted fast first, else unknown."""
    last = store.last_finished_scan(source.name, before=scan_id)
    if last and last.coverage.get("crawled"):
        return last.coverage["crawled"], last.stats.get("bytes")
    if isinstance(source, LocalSource):
        started, n, size = time.monotonic(), 0, 0
        for crawled in source.crawl():
            n, size = n + 1, size + crawled.size
            if time.monotonic() - started > COUNT_SECONDS:
                return None, None
        return n, size
    return None, None


def nothing_seen(source: Source, coverage: Coverage, root_reason: str | None) -> str:
    """Why a scan saw nothing, naming the path and the likely cause; nothing of it was stored."""
    kept = "nothing was stored, so no earlier gap counts as fixed"
    if coverage.root_unreadable:
        return (f"cannot read {source.name}: {root_reason or 'its top folder cannot be listed'} (no permission for "
                f"the account running the scan, or the share went away); {kept}")
    if isinstance(source, LocalSource) and not os.path.ismount(source.root):
        cause = "an empty folder that is not a mount point: is the share mounted?"
    else:
        cause = "is the share empty, or not mounted?"
    return f"{source.name} holds no files ({cause}); {kept}"
