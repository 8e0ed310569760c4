"""Figure 3 of the bench: the whole test suite's wall time, as `make test` runs it."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

from bench.common import PID, RESULTS_DIR, ROOT, BenchError, say, step

SUITE_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


def bench_suite(timeout: float, extra_args: list[str]) -> dict:
    """The pytest command `make test` runs (without its install/assets prerequisites), timed."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"suite-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{PID}.log"
    cmd = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider", *extra_args]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="aitcore.settings.test")
    step(f"suite: {' '.join(cmd[1:])}  (log {log_path.relative_to(ROOT)})")
    started = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            next_beat = 60
            while proc.poll() is None:
                elapsed = time.perf_counter() - started
                if elapsed > timeout:
                    raise BenchError(f"the suite ran longer than {timeout:.0f} s; stopped (log {log_path})")
                if elapsed >= next_beat:
                    step(f"suite still running: {elapsed:.0f} s")
                    next_beat += 60
                time.sleep(0.5)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    wall = time.perf_counter() - started
    lines = log_path.read_text(errors="replace").splitlines()
    summary = next((line.strip("= ") for line in reversed(lines) if SUITE_COUNTS.search(line) and " in " in line), "")
    counts = {}
    for number, word in SUITE_COUNTS.findall(summary):
        counts["errors" if word.startswith("error") else word] = int(number)
    result = {"wall_s": round(wall, 1), "exit_code": proc.returncode, "summary": summary or "(no pytest summary line)",
              "passed": counts.get("passed", 0), "failed": counts.get("failed", 0), "errors": counts.get("errors", 0),
              "skipped": counts.get("skipped", 0), "log": str(log_path.relative_to(ROOT))}
    if proc.returncode != 0:
        step(f"suite exited {proc.returncode}; last lines of the log:")
        for line in lines[-25:]:
            say("    " + line)
    return result
