"""Which documents a failing warehouse build cannot take: found by building without them. No Dagster here.

A document's content should never fail the build (see the classes of the dbt tests), but a model can still
break on something no one foresaw. Then the build is tried without some documents: the ones whose presence
makes it fail are quarantined (loaded as rejected, with the reason), the others load exactly as they would
alone, and the run publishes. A build that fails with no document at all is the pipeline's own fault.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.paths import BudgetPaths, duckdb_config, read_json, write_json
from pipelines.version import pipeline_version, warehouse_version

# build(excluded) → None when the build succeeds without the excluded documents, else the error it reports.
Build = Callable[[frozenset[str]], str | None]


def quarantine_path(cache_dir: Path) -> Path:
    """The quarantine of this code: a change of code or models gives every quarantined document another try."""
    return cache_dir / f"quarantine-{warehouse_version()}-{pipeline_version()}.json"


class PipelineBroken(Exception):
    """The build fails even without any document: the fault is in the pipeline, not in a document."""


@dataclass(frozen=True)
class Quarantine:
    """Documents left out of the warehouse and why, kept per warehouse version (new code may take them)."""

    reasons: dict[str, str]

    @classmethod
    def read(cls, path: Path) -> "Quarantine":
        return cls(read_json(path))

    def write(self, path: Path) -> None:
        write_json(path, self.reasons)


def _search(candidates: list[str], excluded: frozenset[str], build: Build, known_error: str | None = None) -> dict[str, str]:
    """Culprits among `candidates`, given that the build succeeds without all of them (and `excluded`).

    Halving: a half whose documents build cleanly is cleared at once; a failing half is split again. A culprit
    is a document that fails the build on its own; k culprits among n documents take about 2·k·log2(n) builds.
    """
    error = known_error if known_error is not None else build(excluded)
    if error is None:
        return {}
    if len(candidates) == 1:
        return {candidates[0]: error}
    half = len(candidates) // 2
    first, second = candidates[:half], candidates[half:]
    found = _search(first, excluded | frozenset(second), build)
    return found | _search(second, excluded | frozenset(found), build)


def find_culprits(documents: list[str], build: Build, first_error: str, suspects: list[str] = ()) -> dict[str, str]:
    """Documents whose presence fails the build → the error each fails it with.

    `first_error` is what the build with every document reported. `suspects` (documents new since the last
    good build) are searched first: when the build succeeds without them, the others are cleared in one build.
    Raises PipelineBroken when the build fails without any document.
    """
    everything = frozenset(documents)
    if (error := build(everything)) is not None:
        raise PipelineBroken(error)
    suspects = [d for d in suspects if d in everything]
    others = [d for d in documents if d not in set(suspects)]
    if suspects and others and build(frozenset(suspects)) is None:
        return _search(suspects, frozenset(), build, first_error)
    return _search(list(documents), frozenset(), build, first_error)


def new_since_publish(paths: BudgetPaths, documents: list[str]) -> list[str]:
    """Documents the published warehouse does not hold yet: the likely cause of a build that newly fails."""
    try:
        with duckdb.connect(str(paths.warehouse), read_only=True, config=duckdb_config()) as con:
            published = {d for (d,) in con.execute("select document_id from marts.dim_document").fetchall()}
    except duckdb.Error:
        return []
    return [d for d in documents if d not in published]
