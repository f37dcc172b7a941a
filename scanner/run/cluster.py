"""Run extraction and detection on a Dask distributed cluster (`--dask tcp://scheduler:8786`).

The scanning process crawls and writes the store, as always; each top-level item (each range
of a big text file) is one Dask task running `inspect_task` on a worker. Each Dask worker process builds its Detector
once (from the key, threshold and spaCy model) and keeps it. At most one task per worker
thread is in flight, so a crawl of millions of files does not flood the scheduler.
Workers must see the files at the same path (a share mounted alike on every machine, or an
smb:// source), and run the same datakort version (docs/scale.md).
"""
from __future__ import annotations

import time
from typing import Iterable, Iterator

from detectors.detector import Detector, DetectorSpec
from scanner.model import ItemResult
from scanner.run.tasks import Task, failed, inspect_task

# One task per worker thread: the scheduler holds nothing back, so a task starts about when it is
# submitted and the time limit (counted from submission) is fair to it.
IN_FLIGHT_PER_THREAD = 1
_DETECTORS: dict[DetectorSpec, Detector] = {}


def _inspect_on_worker(task: Task, spec: DetectorSpec) -> list[ItemResult]:
    """Runs on a Dask worker: the worker's own Detector (built on first use), then the unit of work."""
    if spec not in _DETECTORS:
        _DETECTORS[spec] = Detector.from_spec(spec)
    return inspect_task(task, _DETECTORS[spec])


def run_on_dask(tasks: Iterable[Task], detector: Detector, address: str,
                time_limit: float) -> Iterator[tuple[Task, list[ItemResult], bool]]:
    """Yield (task, results, True) as the cluster finishes them: whole files (results are not
    handed on in parts from a Dask worker, so a huge mailbox is held whole there). An item
    running past `time_limit` is reported as timed out and its task cancelled (Dask cannot stop
    a running thread: that worker thread stays busy until the reader returns)."""
    from distributed import Client, wait  # optional and heavy: only with --dask

    spec = detector.spec
    with Client(address) as client:
        threads = sum(client.nthreads().values()) or 1
        pending = iter(tasks)
        running: dict = {}  # future -> (task, submitted)
        exhausted = False
        while True:
            while not exhausted and len(running) < threads * IN_FLIGHT_PER_THREAD:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                future = client.submit(_inspect_on_worker, task, spec, pure=False)
                running[future] = (task, time.monotonic())
            if not running:
                return
            try:
                done, _ = wait(list(running), timeout=0.5, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished within the poll interval
                done = []
            for future in done:
                task, _ = running.pop(future)
                try:
                    yield task, future.result(), True
                except Exception as exc:  # the worker died or the task failed outside inspect
                    reason = f"the Dask worker could not inspect it ({type(exc).__name__}: {exc})"
                    yield task, failed(task, reason), True
            now = time.monotonic()
            for future, (task, submitted) in list(running.items()):
                if now - submitted > time_limit:
                    del running[future]
                    future.cancel()
                    yield task, failed(task, f"timed out after {time_limit:g} s on the Dask cluster"), True
