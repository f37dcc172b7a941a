"""Benchmark: one big text file scanned by worker processes: throughput and memory of the whole scan.

Files (generated at run time into --workdir, reused, never committed):
- contacts-N.csv: a contact list of N MB, every row a customer (number, name, phone, e-mail,
  address): the densest personal data there is;
- oneline-N.txt: N MB of JSON on one line (named .txt: the code before read no .json), an
  order record with a customer's name, phone and e-mail in one record of 20;
- log-N.log: an N MB log, a line with a phone number and an e-mail address in one line of 100.

The scan (`run_scan`, `--workers`) runs in a child process with the code of `--code` (this
checkout by default; pass an export of an older commit to compare, e.g.
`git archive 170d7dc | tar -x -C /tmp/base`). Every 0.25 s the memory of the scan (the child
and its workers: the sum of PSS, shared pages counted once, and the sum of RSS) is sampled. With
`--seconds T` the scan is stopped after T s (a 2 GB file of dense personal data takes hours on
two cores); the throughput is then the bytes the workers have read (their `rchar`) over the time.
The CPU time of the scan's processes gives the cores it kept busy and the MB per CPU second,
which depend less on other work on the machine; the load average is printed with every number.

Usage:
  python bench/bench_bigfiles.py --kind csv --mb 2048 --seconds 600
  python bench/bench_bigfiles.py --kind oneline --mb 200
  python bench/bench_bigfiles.py --kind log --mb 1024 --seconds 600
  python bench/bench_bigfiles.py --kind csv --mb 60 --code /tmp/base     # the code before, same file
  python bench/bench_bigfiles.py --kind csv --mb 60 --seconds 200 --baseline /tmp/base   # both, one after the other
  python bench/bench_bigfiles.py --kind csv --mb 30 --report --baseline /tmp/base   # and the report of each scan
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POOL = 5000  # people drawn for a file; rows repeat them with their own numbers

FIRST = ["Mette", "Søren", "Lene", "Jens", "Anne", "Peter", "Kirsten", "Lars", "Hanne", "Niels", "Birgit", "Ole"]
LAST = ["Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen"]
STREETS = ["Vestergade", "Nørregade", "Søndergade", "Algade", "Jernbanegade", "Skolevej", "Kirkevej"]


def _person(rng: random.Random, i: int) -> tuple[str, str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    phone = f"{rng.choice('2345678')}{rng.randrange(10**6, 10**7)}"
    phone = " ".join(phone[k:k + 2] for k in range(0, 8, 2))
    mail = f"{first.lower().replace('ø', 'oe')}.{last.lower().replace('ø', 'oe')}{i % 1000}@kunde.dk"
    return f"{first} {last}", phone, mail, f"{rng.choice(STREETS)} {rng.randrange(1, 200)}, {rng.randrange(1000, 9990)} By"


def _write(path: Path, mb: int, line) -> None:
    """Lines from `line(i)` until the file has `mb` MB (written in blocks of about 4 MB)."""
    target, size, i = mb * 2**20, 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < target:
            block, block_size = [], 0
            while block_size < 4 * 2**20 and size + block_size < target:
                text = line(i)
                block.append(text)
                block_size += len(text.encode())
                i += 1
            f.write("".join(block))
            size += block_size


def make_file(workdir: Path, kind: str, mb: int, people: int = POOL) -> Path:
    """The share with one file of `kind` and `mb` MB; its people are drawn from a pool of `people`
    (0: every row a person of its own, as in a real customer list: nothing repeats)."""
    rng = random.Random(mb)
    share = workdir / (f"{kind}-{mb}" if people == POOL else f"{kind}-{mb}-people{people}")
    share.mkdir(parents=True, exist_ok=True)
    path = share / {"csv": f"contacts-{mb}.csv", "oneline": f"oneline-{mb}.txt", "log": f"log-{mb}.log"}[kind]
    if path.exists() and path.stat().st_size >= mb * 2**20:
        return share
    pool = [_person(rng, i) for i in range(people or POOL)]  # drawn once, numbered apart in the file
    items = [f"Etiket {rng.randrange(100, 999)}x{rng.randrange(10, 99)} mm" for _ in range(POOL)]
    if kind == "csv":
        def line(i):
            if i == 0:
                return "Kundenr;Navn;Telefon;E-mail;Adresse\n"
            return f"{i};{';'.join(pool[i % people] if people else _person(rng, i))}\n"
    elif kind == "oneline":
        def line(i):
            if i % 20 == 0:
                name, phone, mail, _ = pool[i % len(pool)]
                return f'{{"ordre": {i}, "kunde": "{name}", "telefon": "{phone}", "mail": "{mail}"}},'
            return f'{{"ordre": {i}, "vare": "{items[i % POOL]}", "antal": {i % 97}}},'
    else:
        def line(i):
            if i % 100 == 99:
                _, phone, mail, _ = pool[i % len(pool)]
                return f"2026-11-28 12:{i % 60:02d}:00 INFO ordre {i}: kontakt tlf. {phone}, {mail}\n"
            return f"2026-11-28 12:{i % 60:02d}:00 DEBUG request {i} served in {i % 300} ms from cache\n"
    started = time.monotonic()
    _write(path, mb, line)
    print(f"generated {path} ({mb} MB) in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return share


SCAN = """
import json, sys, time
sys.path.insert(0, {code!r})
from detectors.detector import Detector
from detectors.images.analysis import ImageSettings
from scanner.run.runner import ScanOptions, run_scan
from scanner.store import WorkspaceStore
store = WorkspaceStore({db!r})  # as `datakort scan` opens it (with the workspace's tables and indexes)
started = time.monotonic()
scan_id, stats = run_scan({share!r}, store, Detector(b"b" * 32), images=ImageSettings(ocr=False),
                          options=ScanOptions(workers={workers}))
rows = store.db.execute("SELECT status, reason FROM items WHERE scan_id = ? AND parent IS NULL", (scan_id,)).fetchall()
print(json.dumps({{"seconds": time.monotonic() - started, "findings": stats.findings, "by_entity": stats.by_entity,
                  "items": [list(r) for r in rows]}}))
"""


def _tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                stack.extend(int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split())
        except OSError:
            continue
    return pids


def _field(path: str, name: str) -> int:
    try:
        for line in open(path):
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


REPORT = """
import sys
sys.path.insert(0, {code!r})
from datakort.main import main
sys.exit(main(["report", "--db", {db!r}, "--out", {out!r}, "--register", {register!r},
               "--format", "html,json,csv,xlsx", "-q"]))
"""


def report(code: Path, workdir: Path, db: Path) -> dict:
    """`datakort report` of the scan just stored (all four formats): its time and peak memory."""
    out = workdir / f"{db.stem}-report"
    script = REPORT.format(code=str(code), db=str(db), out=str(out),
                           register=str(code / "samples" / "interket" / "register.yaml"))
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", script], cwd=code)
    peak_rss = 0.0
    while child.poll() is None:
        peak_rss = max(peak_rss, _field(f"/proc/{child.pid}/status", "VmRSS:") / 1024)
        time.sleep(0.1)
    return {"report_seconds": round(time.monotonic() - started, 1), "report_peak_rss_MB": round(peak_rss),
            "report_exit_code": child.returncode,
            "report_MB_on_disk": round(sum(p.stat().st_size for p in out.iterdir()) / 2**20, 1) if out.exists() else 0}


def run(share: Path, code: Path, workers: int, seconds: float, workdir: Path, with_report: bool = False) -> dict:
    db = workdir / f"{share.name}-{code.name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    script = SCAN.format(code=str(code), db=str(db), share=str(share), workers=workers)
    load_before = os.getloadavg()
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", script], cwd=code, stdout=subprocess.PIPE, text=True)
    peak_pss = peak_rss = 0.0
    worker_read = 0
    read_by: dict[int, int] = {}  # bytes each worker has read: all of them read one big file
    cpu: dict[int, float] = {}  # CPU seconds of each process of the scan, last seen
    while child.poll() is None:
        pids = _tree(child.pid)
        cpu.update({p: _cpu_seconds(p) for p in pids})
        peak_pss = max(peak_pss, sum(_field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024)
        peak_rss = max(peak_rss, sum(_field(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024)
        read_by.update({p: _field(f"/proc/{p}/io", "rchar:") for p in pids[1:]})
        worker_read = max(worker_read, sum(read_by.values()))
        if seconds and time.monotonic() - started > seconds:
            for p in reversed(pids):
                try:
                    os.kill(p, 9)
                except OSError:
                    pass
            break
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    out = child.communicate()[0]
    size = sum(p.stat().st_size for p in share.iterdir())
    row = {"file": share.name, "MB": round(size / 2**20), "code": str(code), "workers": workers,
           "seconds": round(elapsed, 1), "cpu_seconds": round(sum(cpu.values()), 1),
           "cores_busy": round(sum(cpu.values()) / elapsed, 2), "cpu_seconds_of_the_scanning_process": round(cpu.get(child.pid, 0), 1),
           "MB_read_by_each_worker": sorted((round(n / 2**20) for n in read_by.values() if n > 2**20), reverse=True),
           "peak_pss_MB": round(peak_pss), "peak_rss_sum_MB": round(peak_rss),
           "load_before": [round(x, 1) for x in load_before], "load_after": [round(x, 1) for x in os.getloadavg()]}
    if child.returncode == 0 and out.strip():
        result = json.loads(out.strip().splitlines()[-1])
        row.update(finished=True, findings=result["findings"], items=result["items"],
                   MB_per_s=round(size / 2**20 / result["seconds"], 2),
                   MB_per_cpu_s=round(size / 2**20 / max(sum(cpu.values()), 0.1), 2))
        if with_report:
            row.update(report(code, workdir, db))
    else:
        read_mb = worker_read / 2**20
        row.update(finished=False, stopped_after_s=seconds, MB_read_by_workers=round(read_mb),
                   MB_per_s=round(read_mb / elapsed, 2), MB_per_cpu_s=round(read_mb / max(sum(cpu.values()), 0.1), 2))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=("csv", "oneline", "log"), required=True)
    parser.add_argument("--mb", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=POOL,
                        help="people the rows are drawn from (0: a new person in every row; csv only)")
    parser.add_argument("--seconds", type=float, default=0, help="stop the scan after this long (0: to the end)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code scans (default: this one)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="also scan the same file with this checkout's code (an export of an older commit), after")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/datakort-bigfiles"))
    parser.add_argument("--report", action="store_true",
                        help="after a finished scan, time `datakort report` of it (html, json, csv, xlsx) and its peak memory")
    args = parser.parse_args()
    share = make_file(args.workdir, args.kind, args.mb, args.people)
    for code in (args.code, args.baseline):
        if code:
            print(json.dumps(run(share, code.resolve(), args.workers, args.seconds, args.workdir, args.report),
                             ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
