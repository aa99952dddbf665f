"""Worker processes that never outlive the process that started them (the ingest, a site build).

A forked ``ProcessPoolExecutor`` worker waits on a pipe whose write end it inherited itself,
so when the parent is killed (``kill -9``, an OOM kill) nothing ever wakes it: orphaned
workers of 100 MB each were found alive half an hour after a killed run. On Linux each
worker asks the kernel for ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
then checks that its parent is still the process that forked it, in case the parent died
before the request was made. The pool is created from the main thread, which lives as long
as the process (the death signal follows the thread that forked).

A forkserver pool's workers are the forkserver's children, and each holds the pipe by which
the forkserver would learn that its users are gone: neither ever notices the death of the
process that started them. Each such worker watches that process itself (``exit_with``).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
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


def forkserver_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by a forkserver, which copies none of this process's
    threads or open files (a fork would keep a subprocess's pipe open in every worker); they die
    with it, and it with this process."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=exit_with,
        initargs=(os.getpid(),),
    )


def exit_with(pid: int) -> None:
    """Worker initializer: exit as soon as process ``pid`` has ended (at once if it has already)."""
    try:
        handle = os.pidfd_open(pid)  # Linux 5.3: readable once the process has ended
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        handle = None  # no pidfd here: ask every second

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
            os._exit(1)
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # alive, owned by another user
            time.sleep(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
