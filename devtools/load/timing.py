"""Where the web requests' time went during a load run, from Gunicorn's access lines.

    timing.py LOG [FROM_LINE]

Reads the lines the stack wrote with SERVER_TIMING=1 (deploy/gunicorn.conf.py logs the header of
marketplace/core/server_timing.py), from line FROM_LINE on (the run's own lines), groups them by
the kinds locust reports, and prints the median and p95 of: app (wall time inside Django), cpu
(the thread's CPU), db (time in database calls, lock waits and commits included), waiting (app
minus cpu minus db: ready but not running, i.e. the interpreter lock or a busy core, or Redis),
and the queries per request. The client's latency minus app is time outside Django: Gunicorn's
queue, the network, the generator.
"""

import re
import sys
from collections import defaultdict
from statistics import median

KINDS = (
    ("trial cancel", re.compile(r"POST /api/v1/trials/\d+/cancel/")),
    ("trial create", re.compile(r"POST /api/v1/trials/ ")),
    ("search api", re.compile(r"GET /api/v1/search/products/")),
    ("search page", re.compile(r"GET /search/")),
    ("product page", re.compile(r"GET /products/\d+/")),
    ("product list api", re.compile(r"GET /api/v1/products/")),
)
TIMING = re.compile(r'timing="app;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+), dbq;desc=(\d+)"')


def _kind(line: str) -> str | None:
    return next((name for name, pattern in KINDS if pattern.search(line)), None)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main(path: str, first_line: int = 0) -> None:
    rows: dict[str, list[tuple[float, float, float, float, int]]] = defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as log:
        for number, line in enumerate(log):
            if number < first_line:
                continue
            kind, timing = _kind(line), TIMING.search(line)
            if kind and timing:
                app, cpu, db = (float(timing.group(n)) for n in (1, 2, 3))
                rows[kind].append((app, cpu, db, max(0.0, app - cpu - db), int(timing.group(4))))
    if not rows:
        print("no Server-Timing in the access log (is SERVER_TIMING=1 set for the web process?)")
        return
    print("\nServer side, ms (median / p95)  app = cpu + db + waiting")
    print(f"{'kind':<20}{'requests':>9}{'app':>13}{'cpu':>13}{'db':>13}{'waiting':>13}{'queries':>9}")
    for name, _pattern in KINDS:
        if not rows[name]:
            continue
        columns = list(zip(*rows[name], strict=True))
        cells = "".join(f"{median(c):>6.1f} /{_p95(list(c)):>5.0f}" for c in columns[:4])
        print(f"{name:<20}{len(rows[name]):>9}{cells}{median(columns[4]):>9.0f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
