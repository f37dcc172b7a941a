"""The unit of work of a scan: a Task (one top-level item, or one range of a big text file),
inspected whole or in parts.

The runner makes Tasks; this process, a worker process (scanner/run/workers.py) or a Dask
worker (scanner/run/cluster.py) inspects them with these functions.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator

from detectors.detector import Detector
from detectors.images.analysis import ImageSettings
from scanner.extract.text import TextPart
from scanner.model import FAILED, Blob, ItemResult
from scanner.run.pipeline import iter_inspect, nothing

PART_ITEMS = 500      # a file's results are handed on in parts of this many items …
PART_SECONDS = 0.2    # … or of what was read in this long, while the file is being read


@dataclass
class Task:
    """One top-level item to inspect; picklable (the blob opens through a partial). With `part`,
    one byte range of a big text file: the runner hands out a file's ranges as tasks of their
    own, so every worker reads it, and stores the file's item when all its ranges are done."""

    location: str
    blob: Blob
    images: ImageSettings = ImageSettings()
    content_hash: str | None = None  # set with ScanOptions.content_hash
    part: TextPart | None = None
    owner: str | None = None  # the file's owner; every item inside it is stored with it


Results = Iterator[tuple[Task, list[ItemResult], bool]]  # (task, a part of its results, whether it is the last)


def inspect_task(task: Task, detector: Detector) -> list[ItemResult]:
    """Inspect one top-level item, all its results at once (the unit of work on Dask)."""
    return list(iter_inspect(task.blob, task.location, detector, images=task.images, part=task.part))


def inspect_parts(task: Task, detector: Detector,
                  heartbeat: Callable[[], None] = nothing) -> Iterator[tuple[list[ItemResult], bool]]:
    """`inspect_task` in parts as the item is read, the last one marked True: a mailbox of
    100 000 messages is stored as it is read instead of being held whole in memory, and a
    worker that hands on a part shows it is not stuck (its time limit starts again).
    `heartbeat` is called after each slow step inside an item (see `iter_inspect`)."""
    part: list[ItemResult] = []
    last = time.monotonic()
    for result in iter_inspect(task.blob, task.location, detector, images=task.images, heartbeat=heartbeat,
                               part=task.part):
        part.append(result)
        if len(part) >= PART_ITEMS or time.monotonic() - last >= PART_SECONDS:
            yield part, False
            part, last = [], time.monotonic()
    yield part, True


def failed(task: Task, reason: str) -> list[ItemResult]:
    """The result recorded for a top-level item that could not be inspected (what was read of
    it before, the items inside it already handed on, is kept)."""
    blob = task.blob
    return [ItemResult(task.location, None, blob.size, blob.mtime, dict(blob.dates), status=FAILED, reason=reason)]
