"""Worker processes that never outlive the ingest.

A forked ``ProcessPoolExecutor`` worker waits on a pipe whose write end it inherited itself,
so when the parent is killed (``kill -9``, an OOM kill) nothing ever wakes it: orphaned
workers of 100 MB each were found alive half an hour after a killed run. On Linux each
worker asks the kernel for ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
then checks that its parent is still the process that forked it, in case the parent died
before the request was made. The pool is created from the main thread, which lives as long
as the process (the death signal follows the thread that forked).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Worker initializer: be killed when the parent process dies, and exit now if it is gone already."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        os._exit(1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A fork pool of ``workers`` processes that die with this one (Linux: fork needs no importable ``__main__``)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
