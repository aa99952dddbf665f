"""Worker processes exit when the ingest that started them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ingest.shared.workers import die_with_parent
from tests.conftest import ROOT
from tests.pipeline.test_interrupted import assert_no_child_survives, running

# A parent that starts a pool of two workers, keeps them busy, prints their pids and waits.
PARENT = """
import os, sys, time
from ingest.shared.workers import process_pool
pool = process_pool(2)
futures = [pool.submit(time.sleep, 600) for _ in range(2)]
while len(pool._processes) < 2:
    time.sleep(0.01)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's prctl")
def test_workers_die_when_their_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        workers = {int(pid) for pid in parent.stdout.readline().split()}
        assert len(workers) == 2 and all(running(pid) for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert_no_child_survives(workers)
    finally:
        parent.kill()
        parent.wait()


def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        try:
            die_with_parent(parent_pid=os.getppid() + 1_000_000)  # not our parent: it "died" before the fork settled
        finally:
            os._exit(0)  # reached only if die_with_parent failed to exit
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def test_a_worker_with_its_parent_alive_carries_on():
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        code = 1
        try:
            die_with_parent(parent_pid=os.getppid())
            time.sleep(0.05)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
