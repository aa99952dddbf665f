"""The ingest's progress bar: shown on a terminal (a real pseudo-terminal), silent through pipes."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from ingest.pipeline.progress import StageProgress
from ingest.pipeline.run import STAGES

ROOT = Path(__file__).resolve().parents[2]
FEED = """INCOMING TRANSMISSION

LATEST UPDATES
注意力机制(attention)让模型在每一步关注输入的不同部分,缩放点积注意力是最常见的形式...
Python
2026-01-11
AdamW 把权重衰减从梯度更新中解耦出来,是大语言模型训练的默认优化器。
"""


def write_feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feeds" / "000_dump.txt"
    feed.parent.mkdir()
    feed.write_text(FEED, encoding="utf-8")
    return feed


def ingest_command(tmp_path: Path) -> list[str]:
    feed, docs = write_feed(tmp_path), tmp_path / "docs"
    return [sys.executable, "-m", "ingest", "run", "--feeds", str(feed), "--docs", str(docs)]


def test_piped_output_has_no_bar_only_the_summary(tmp_path):
    done = subprocess.run(ingest_command(tmp_path), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "stages" not in done.stderr
    assert done.stderr.splitlines() == [
        "2 entries -> 2 articles (0 duplicates merged, 0 rejected); 2 written, 0 unchanged, 0 removed"
    ]


def test_a_terminal_sees_the_bar_move_through_every_stage(tmp_path):
    # A fresh pseudo-terminal reports a size of 0 x 0; the bar must show anyway.
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        ingest_command(tmp_path), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    text = output.decode("utf-8", errors="replace")
    assert "\r" in text  # redrawn in place
    for stage in STAGES:
        assert f"ingest: {stage}" in text
    assert "4/5 stages" in text
    assert "2 entries -> 2 articles" in text


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stage_progress_counts_finished_stages_and_clears_itself():
    stream = FakeTerminal()
    with StageProgress(["read", "write"], stream) as progress:
        progress("read")
        progress("write")
        assert progress.bar.n == 1  # "write" started: one stage done
    shown = stream.getvalue()
    assert "ingest: read" in shown and "1/2 stages" in shown
    last_line = shown.split("\r")[-2]
    assert shown.endswith("\r") and last_line.strip() == ""  # the bar line is wiped at the end


def test_stage_progress_writes_nothing_to_a_stream_that_is_not_a_terminal():
    stream = io.StringIO()
    with StageProgress(STAGES, stream) as progress:
        for stage in STAGES:
            progress(stage)
    assert stream.getvalue() == ""
