"""The build's second process: used from FROM_PAGES pages, its work the same as done here, and
never outliving the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ingest.site import second_process as second_process_module
from ingest.site.second_process import FROM_PAGES, SecondProcess, outcome
from tests.conftest import ROOT
from tests.pipeline.test_interrupted import assert_no_child_survives, running


def test_a_small_build_does_its_work_itself():
    process = SecondProcess(FROM_PAGES - 1)
    assert not process.running
    assert process.submit(pow, 2, 10) is None
    assert outcome(None, lambda: pow(2, 10)) == 1024


def test_a_large_build_hands_work_to_another_process(second_process):
    assert second_process.running
    future = second_process.submit(os.getpid)
    assert future is not None
    assert outcome(future, lambda: pytest.fail("done here although the process answered")) != os.getpid()
    second_process.close()
    assert not second_process.running
    assert second_process.submit(os.getpid) is None  # closed: the work is done here


def test_work_the_dead_process_did_not_return_is_done_here(second_process):
    dying = second_process.submit(os._exit, 1)
    assert outcome(dying, lambda: "done here") == "done here"
    # The pool is broken now: later work is done here too.
    assert outcome(second_process.submit(pow, 2, 3), lambda: 8) == 8


def test_a_process_that_cannot_start_leaves_the_work_here(monkeypatch):
    def refuse(workers):
        raise OSError("no more processes")

    monkeypatch.setattr(second_process_module, "forkserver_pool", refuse)
    process = SecondProcess(FROM_PAGES)
    assert not process.running and process.submit(pow, 2, 3) is None


# A build that starts its second process, keeps it busy, prints its pid and waits.
BUILD = """
import time
from ingest.site.second_process import FROM_PAGES, SecondProcess
process = SecondProcess(FROM_PAGES)
process.submit(time.sleep, 600)
while not process.pool._processes:
    time.sleep(0.01)
print(" ".join(str(pid) for pid in process.pool._processes), flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's prctl")
def test_the_second_process_dies_with_a_killed_build():
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        workers = {int(pid) for pid in build.stdout.readline().split()}
        assert workers and all(running(pid) for pid in workers)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        assert_no_child_survives(workers)
    finally:
        build.kill()
        build.wait()
