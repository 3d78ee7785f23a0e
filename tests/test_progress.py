"""The progress lines of `budget-etl run`: counts, estimates, and Dagster's steps as they end."""

import io
import threading

import dagster as dg

from pipelines.progress import Progress, duration_to_text, eta_to_text


def test_durations_and_estimates_read_as_people_say_them():
    assert [duration_to_text(s) for s in (4.4, 75, 3725)] == ["4 s", "1 min 15 s", "1 h 02 min"]
    assert eta_to_text(done=10, total=40, elapsed=20) == "about 1 min 00 s left"
    # Too early to tell, or nothing left: no estimate.
    assert eta_to_text(done=1, total=40, elapsed=2) == "" and eta_to_text(done=40, total=40, elapsed=90) == ""


def test_a_line_per_document_as_it_finishes_none_missed_at_the_end():
    out = io.StringIO()
    finished: set[str] = set()
    with Progress(out).documents(["a", "b", "c"], finished.__contains__, lambda d: f"extracted {d}.pdf"):
        finished.update({"b"})
        threading.Event().wait(1.2)
        finished.update({"a", "c"})  # done just as the block ends
    lines = out.getvalue().splitlines()
    assert lines == ["[1/3] extracted b.pdf", "[2/3] extracted a.pdf", "[3/3] extracted c.pdf"]


@dg.asset
def first() -> int:
    return 1


@dg.asset
def second(first: int) -> int:
    if first:
        raise ValueError("broken on purpose")
    return first


def test_a_line_per_step_of_the_tagged_run_with_its_outcome():
    out = io.StringIO()
    instance = dg.DagsterInstance.ephemeral()
    tags = {"budget-etl/build": "test"}
    with Progress(out).steps(instance, tags):
        dg.materialize([first, second], instance=instance, tags=tags, raise_on_error=False)
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["build: first done", "build: second FAILED"]
