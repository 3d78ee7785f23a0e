"""What `budget-etl run` shows while it works: a line per document as its extraction finishes (a running count and,
on long runs, an estimate of the time left) and a line per step of the warehouse build. Dagster's and dbt's own
output goes to the log file meanwhile; these lines go to the terminal."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

import dagster as dg

# How often the watchers look; a line appears at most this late.
POLL_SECONDS = 0.5
# No estimate before this much has run: the first documents say little about the rest.
ETA_AFTER_SECONDS = 5.0


def duration_to_text(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def eta_to_text(done: int, total: int, elapsed: float) -> str:
    """'about 3 min 10 s left', from the pace so far; empty when it is too early to tell or nothing is left."""
    if done == 0 or done >= total or elapsed < ETA_AFTER_SECONDS:
        return ""
    return f"about {duration_to_text(elapsed / done * (total - done))} left"


@contextlib.contextmanager
def watching(poll: Callable[[], None]) -> Iterator[None]:
    """Call `poll` in the background until the block ends, and once more after it, so nothing is missed."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(POLL_SECONDS):
            poll()

    thread = threading.Thread(target=loop, name="progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        poll()


class Progress:
    """Lines for the terminal, each flushed at once (the run's other output goes to its log file)."""

    def __init__(self, out: TextIO):
        self.out = out
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    @contextlib.contextmanager
    def documents(self, pending: list[str], is_done: Callable[[str], bool], describe: Callable[[str], str]) -> Iterator[None]:
        """A line per pending document once `is_done` says so: `[ 3/120] <describe(document)>  (about … left)`."""
        waiting, started, done = list(pending), time.monotonic(), 0
        width = len(str(len(pending)))

        def poll() -> None:
            nonlocal done
            for document in [d for d in waiting if is_done(d)]:
                waiting.remove(document)
                done += 1
                eta = eta_to_text(done, len(pending), time.monotonic() - started)
                self.line(f"[{done:>{width}}/{len(pending)}] {describe(document)}" + (f"  ({eta})" if eta else ""))

        with watching(poll):
            yield

    @contextlib.contextmanager
    def steps(self, instance: dg.DagsterInstance, tags: dict[str, str]) -> Iterator[None]:
        """A line per step of the Dagster run carrying `tags` as each step ends, with its time."""
        run_ids: list[str] = []
        cursor: str | None = None
        started: dict[str, float] = {}
        kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}

        def poll() -> None:
            nonlocal cursor
            if not run_ids:
                run_ids.extend(r.run_id for r in instance.get_runs(filters=dg.RunsFilter(tags=tags), limit=1))
                if not run_ids:
                    return
            connection = instance.get_records_for_run(run_ids[0], cursor=cursor, of_type=kinds)
            cursor = connection.cursor
            for record in connection.records:
                event = record.event_log_entry
                step, kind = event.step_key, event.dagster_event.event_type
                if kind == dg.DagsterEventType.STEP_START:
                    started[step] = event.timestamp
                    continue
                took = duration_to_text(event.timestamp - started.get(step, event.timestamp))
                # Dagster names an asset's step by its key joined with "__": shown as the key reads in the UI.
                self.line(f"build: {step.replace('__', '/')} {'done' if kind == dg.DagsterEventType.STEP_SUCCESS else 'FAILED'} ({took})")

        with watching(poll):
            yield
