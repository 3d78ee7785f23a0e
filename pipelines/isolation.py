"""Run one document's extraction in a child process with a time and memory limit, so no bad PDF
can hang or exhaust the run. No Dagster here."""

import multiprocessing
import os
import resource
import threading
import time
import traceback
from typing import Any, Callable


class LimitExceeded(Exception):
    """The child ran out of time or memory; the message says which limit."""


class ChildFailed(Exception):
    """The function raised in the child; carries the exception's type name and message."""

    def __init__(self, type_name: str, message: str):
        super().__init__(message)
        self.type_name = type_name


def exit_with_parent(poll_seconds: float = 0.5) -> None:
    """End this process as soon as the one that started it is gone (killed with -9, say), so no worker is left behind.

    Linux's parent-death signal follows the thread that forked, not the process, and other systems lack it; the
    parent's pid is simply watched instead: an orphan is adopted by another process and sees its parent pid change.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def address_space_bytes() -> int:
    """The address space this process has mapped (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(connection, function, args, memory_bytes: int) -> None:
    exit_with_parent()
    # On top of what the fork inherited: a child of a run process (Dagster, DuckDB and dbt's manifest loaded, about
    # 1.4 GB mapped) gets the same room as a child of a small one.
    limit = address_space_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        connection.send(("ok", function(*args)))
    except MemoryError:
        connection.send(("memory", "", ""))
    except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
        connection.send(("error", type(exc).__name__, str(exc) or traceback.format_exc(limit=1)))
    finally:
        connection.close()


def run_isolated(function: Callable[..., Any], args: tuple, seconds: float, memory_mb: int) -> Any:
    """function(*args) in a forked child that may map `memory_mb` more than this process has; raises LimitExceeded or
    ChildFailed instead of hanging or crashing."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, memory_mb * 1024 * 1024), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise LimitExceeded(f"took longer than the {seconds:g} s limit")
        try:
            kind, *payload = receiver.recv()
        except EOFError:
            raise LimitExceeded(f"the extraction process died (exit code {child.exitcode}); likely over the {memory_mb} MB memory limit")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "memory":
        raise LimitExceeded(f"needed more than the {memory_mb} MB memory limit")
    if kind == "error":
        raise ChildFailed(*payload)
    return payload[0]
