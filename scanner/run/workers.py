"""Worker processes for a scan: one task (a top-level item, or a range of a big text file) in
flight per worker, with a time and memory limit per item.

Workers are forked from the scanning process, so each starts with the Detector already
built (Presidio's start-up is paid once, not per worker or per item). The parent hands out
one item at a time (the queue is bounded by the number of workers), and watches each
worker's clock and resident memory (Linux /proc). A worker over its limit is killed and
replaced; its item becomes "could not inspect: timed out …" or "… too much memory", and
the scan goes on. Workers never touch the store.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator

from detectors.detector import Detector
from scanner.extract import supported_suffixes
from scanner.model import ItemResult
from scanner.run.tasks import PART_SECONDS, Task, failed, inspect_parts

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
ORPHAN_CHECK_SECONDS = 1.0  # an idle worker checks this often that its scanner still runs
# Libraries the extractors import on first use: imported once before forking, so every worker
# starts with them (a cold import costs each worker about a second). Missing ones are skipped.
PRELOAD = ("docx", "openpyxl", "pdfplumber", "extract_msg", "PIL.Image")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _serve(conn: Connection, detector: Detector) -> None:
    """A worker's life: receive a Task, send back its results in parts, ("part", results) while
    it reads (an empty part is a sign of life inside a slow item) and ("ok", results) at the
    end, or ("error", message).

    It ends when the scanner says so, or when the scanner is gone (kill -9): forked workers
    hold each other's pipe ends, so a dead scanner does not always close the pipe."""
    last_sign = time.monotonic()

    def alive() -> None:  # after each slow step inside an item, at most every PART_SECONDS
        nonlocal last_sign
        if time.monotonic() - last_sign >= PART_SECONDS:
            conn.send(("part", []))
            last_sign = time.monotonic()

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scanner's to handle: it stops the workers
    scanner = os.getppid()
    while True:
        try:
            if not conn.poll(ORPHAN_CHECK_SECONDS):
                if os.getppid() != scanner:
                    return
                continue
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            for part, last in inspect_parts(task, detector, heartbeat=alive):
                conn.send(("ok" if last else "part", part))
        except Exception as exc:  # inspect never raises for bad content; this is a bug or a pickling problem
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _preload() -> None:
    supported_suffixes()  # the extractor modules themselves
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def resident_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it cannot be read, e.g. outside Linux)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def _death(exitcode: int | None) -> str:
    """Why a worker died, for the "could not inspect" record."""
    if exitcode == -9:
        return "the reader was killed by the system (out of memory?)"
    return f"the reader crashed (worker exit code {exitcode})"


@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: Connection
    task: object = None
    started: float = 0.0


class WorkerPool:
    """Run `inspect_task` over tasks in `n` worker processes; yields (task, results) as they finish."""

    def __init__(self, detector: Detector, n: int, time_limit: float, memory_limit_mb: float):
        self.detector, self.n = detector, max(1, n)
        self.time_limit, self.memory_limit_mb = time_limit, memory_limit_mb
        self.context = multiprocessing.get_context("fork")
        _preload()

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child_end, self.detector), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def _over_limit(self, worker: _Worker, now: float) -> str | None:
        if now - worker.started > self.time_limit:
            return f"timed out after {self.time_limit:g} s (the file may be damaged or built to stall readers)"
        rss = resident_mb(worker.process.pid)
        if rss > self.memory_limit_mb:
            return (f"too much memory: reading it took more than {self.memory_limit_mb:g} MB "
                    "(raise --memory-limit to try again)")
        return None

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, list[ItemResult], bool]]:
        """(task, part of its results, whether it is the last part) as workers read. A free
        worker gets its next file before the results are handed on (stored), so workers never
        wait for the store. A worker's time limit starts again with each part it sends: a big
        mailbox read steadily is not "timed out", a message that hangs is."""
        pending = iter(tasks)
        idle = [self._start() for _ in range(self.n)]
        busy: dict[Connection, _Worker] = {}
        done: list[tuple[Task, list[ItemResult], bool]] = []
        exhausted = False
        try:
            while True:
                while idle and not exhausted:
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    worker = idle.pop()
                    worker.task, worker.started = task, time.monotonic()
                    worker.conn.send(task)
                    busy[worker.conn] = worker
                yield from done
                done.clear()
                if not busy:
                    return
                for conn in wait(list(busy), timeout=POLL_SECONDS):
                    worker = busy[conn]
                    try:
                        kind, payload = conn.recv()
                    except (EOFError, OSError):  # the worker died (killed by the OS, a crash in a library)
                        del busy[conn]
                        self._stop(worker, kill=True)
                        done.append((worker.task, failed(worker.task, _death(worker.process.exitcode)), True))
                        idle.append(self._start())
                        continue
                    if kind == "part":
                        worker.started = time.monotonic()
                        done.append((worker.task, payload, False))
                        continue
                    del busy[conn]
                    if kind == "ok":
                        done.append((worker.task, payload, True))
                    else:
                        log.warning("could not inspect %s: %s", worker.task.location, payload)
                        done.append((worker.task, failed(worker.task, f"unexpected error while reading ({payload})"),
                                     True))
                    idle.append(worker)
                now = time.monotonic()
                for conn, worker in list(busy.items()):
                    if reason := self._over_limit(worker, now):
                        del busy[conn]
                        log.warning("could not inspect %s: %s", worker.task.location, reason)
                        self._stop(worker, kill=True)
                        done.append((worker.task, failed(worker.task, reason), True))
                        idle.append(self._start())
        finally:
            for worker in idle + list(busy.values()):
                self._stop(worker, kill=worker.conn in busy)

