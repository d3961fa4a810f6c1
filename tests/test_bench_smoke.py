"""`make bench --smoke` (bench/run.py) runs end to end: seeds, serves Kring and the reference
page with waitress, loads every page with wrk and prints the table. Not a timed test: the
figures are not checked, only that each page was measured without errors."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("reference", "reference-kept", "thread", "home", "library", "notifications", "reply")


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
@pytest.mark.skipif(shutil.which("taskset") is None, reason="taskset is not installed (util-linux)")
def test_bench_smoke_prints_a_row_per_page_without_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--no-install", "--results", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = result.stdout[result.stdout.index("req/s (min–max, median)"):]
    for page in PAGES:
        assert f"\n{page} " in table, f"no row for {page}:\n{table}"
    saved = json.loads(next(tmp_path.glob("*-smoke.json")).read_text())
    for page in PAGES:
        run = saved["results"][page][0]
        # Every answer right; a timeout on a machine busy with the rest of the suite is not
        # the page's fault (the figures are not checked here either).
        assert run["rps"] > 0 and run["non2xx"] == 0, (page, run)
    assert saved["statements"]["thread"] > 0
    assert not saved["database_locked"]
