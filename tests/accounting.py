"""The report's accounting contract, and a runner of the real CLI that checks it on every run.

``entries_read == articles + duplicates_merged + len(rejected)``: every entry the ingest read
is an article, a copy merged into one, or a rejection it reported. A whole file rejected at
once (binary, unreadable, missing) counts as one entry read.

Reuse it from any test::

    from tests.accounting import assert_accounting, run_cli

    result, report = run_cli(project, "--feeds", "feeds")   # asserts no traceback + accounting
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ``FILE:LINE: message``; FILE may itself hold colons, LINE is the last number before ": ".
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


def assert_accounting(report) -> None:
    """The contract, on a JSON report (dict) or an ``IngestReport``."""
    data = report if isinstance(report, dict) else report.as_json()
    read, articles, merged = data["entries_read"], data["articles"], data["duplicates_merged"]
    rejected = len(data["rejected"])
    assert read == articles + merged + rejected, (
        f"entries_read {read} != articles {articles} + duplicates_merged {merged} + rejected {rejected}"
    )
    assert min(read, articles, merged) >= 0


def ingest_command(project: Path, *args: str) -> list[str]:
    """``python -m ingest run`` with the project's taxonomy and no curated titles, to run in ``project``."""
    command = [sys.executable, "-m", "ingest", "--taxonomy", str(ROOT / "taxonomy.yml"), "run"]
    return command + ["--titles", str(project / "no-titles.yml"), *args]


def ingest_env(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}


def run_cli(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """``python -m ingest run ARGS --report ...`` in ``project``; returns the process and the report.

    Uses the project's taxonomy and no curated titles unless ``args`` say otherwise, and asserts
    what must hold on every run: no traceback, every stderr line ``FILE:LINE: message`` (bar the
    closing summary), and the accounting contract. ``env`` replaces the inherited environment.
    """
    report_path = project / "ingest-report.json"
    report_path.unlink(missing_ok=True)
    command = ingest_command(project, "--report", str(report_path), *args)
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=ingest_env(env))
    assert "Traceback" not in result.stderr, result.stderr
    *problems, summary = result.stderr.splitlines() or [""]
    assert "entries ->" in summary, result.stderr
    for line in problems:
        assert PROBLEM_LINE.match(line), f"not FILE:LINE: message: {line!r}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert_accounting(report)
    return result, report
