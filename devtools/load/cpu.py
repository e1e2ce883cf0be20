"""CPU seconds per process group during a load run, from /proc: where the two cores went.

    cpu.py snap FILE            remember every process's CPU time so far, and the clock
    cpu.py diff FILE OUT        write the CPU seconds each group used since then (JSON)
    cpu.py show OUT REQUESTS    print them: seconds, cores busy, ms of CPU per request

The load generator runs on the same cores as the stack it measures, so requests/s alone cannot
say whether the web processes, the Celery worker, PostgreSQL or locust itself is the limit.
`diff` must run while locust is still alive (devtools/load/run takes it a second before the end):
a process that has exited is no longer in /proc and its CPU is counted only once its parent has
waited for it (a recycled Gunicorn worker, in the master's figures).
"""

import json
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
# First match wins: locust's command line names its CSV files after the server it loads.
GROUPS = (
    ("locust", "load generator (locust)"),
    ("bin/gunicorn", "web (gunicorn)"),
    ("manage.py runserver", "web (runserver)"),
    ("celery -A marketplace worker", "celery worker"),
    ("celery -A marketplace beat", "celery beat"),
    ("postgres", "postgresql"),
    ("redis-server", "redis"),
)


def _group(cmdline: str) -> str:
    return next((label for needle, label in GROUPS if needle in cmdline), "everything else")


def _snapshot() -> dict[str, tuple[str, float]]:
    seen: dict[str, tuple[str, float]] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                cmdline = f.read().replace("\0", " ")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        # utime + stime, and cutime + cstime: the CPU of its children that have exited and been
        # waited for. Gunicorn recycles a worker every few thousand requests, Celery its pool
        # processes: without these, a worker that ended during the run took its CPU with it.
        seen[pid] = (_group(cmdline), sum(int(f) for f in fields[11:15]) / HZ)
    return seen


def main() -> None:
    command, path = sys.argv[1], sys.argv[2]
    if command == "snap":
        with open(path, "w") as f:
            json.dump({"clock": time.monotonic(), "processes": _snapshot()}, f)
    elif command == "diff":
        with open(path) as f:
            before = json.load(f)
        used: dict[str, float] = {}
        now = _snapshot()
        for pid, (group, seconds) in now.items():
            used[group] = used.get(group, 0.0) + seconds - before["processes"].get(pid, (group, 0.0))[1]
        # A process that ended during the run is in its parent's cutime now with all its life's
        # CPU: take off what it had used before the run.
        for pid, (group, seconds) in before["processes"].items():
            if pid not in now:
                used[group] = used.get(group, 0.0) - seconds
        with open(sys.argv[3], "w") as f:
            json.dump({"elapsed": time.monotonic() - before["clock"], "groups": used}, f)
    else:
        _show(path, float(sys.argv[3]))


def _show(path: str, requests_per_second: float) -> None:
    with open(path) as f:
        measured = json.load(f)
    elapsed, groups = measured["elapsed"], measured["groups"]
    total = sum(groups.values())
    print(f"{'CPU by process group':<26}{'cores':>7}{'share':>7}{'ms/request':>12}")
    for group, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        share = seconds / total * 100 if total else 0.0
        per_request = seconds / (requests_per_second * elapsed) * 1000 if requests_per_second else 0.0
        print(f"{group:<26}{seconds / elapsed:>7.2f}{share:>6.0f}%{per_request:>12.1f}")


if __name__ == "__main__":
    main()
