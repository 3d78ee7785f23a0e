"""Guards that keep a published warehouse from being lost by mistake: the raw folder must hold PDFs, a run may not
drop most of what was published unless asked to, and one run at a time builds a warehouse. No Dagster here."""

import os
import re
import signal
from pathlib import Path

import duckdb

from pipelines.paths import BudgetPaths, duckdb_config

# A run that would remove more than this share of the published documents stops unless --allow-drop is given.
DEFAULT_MAX_DROP_SHARE = 0.5


class RunRefused(Exception):
    """A run that must not go ahead, with the one sentence that tells the user why."""


def check_raw_dir(paths: BudgetPaths, documents: dict[str, list[str]]) -> None:
    """A mistyped or empty raw folder would publish an empty warehouse over a populated one."""
    if not paths.raw_dir.is_dir():
        raise RunRefused(f"the raw folder {paths.raw_dir} does not exist (BUDGET_RAW_DIR or --raw-dir); nothing was changed")
    if not documents:
        raise RunRefused(f"the raw folder {paths.raw_dir} holds no PDF; nothing was changed")


def max_drop_share() -> float:
    """BUDGET_MAX_DROP_SHARE: the share of published documents a run may remove without --allow-drop."""
    value = os.environ.get("BUDGET_MAX_DROP_SHARE", str(DEFAULT_MAX_DROP_SHARE))
    try:
        share = float(value)
    except ValueError:
        raise RunRefused(f"BUDGET_MAX_DROP_SHARE must be a number between 0 and 1, not {value!r}") from None
    if not 0 <= share <= 1:
        raise RunRefused(f"BUDGET_MAX_DROP_SHARE must be between 0 and 1, not {share}")
    return share


def published_documents(warehouse: Path) -> set[str]:
    """The document ids of the published warehouse (none when there is no readable one yet)."""
    if not warehouse.exists():
        return set()
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=duckdb_config()) as con:
            return {row[0] for row in con.execute("select document_id from marts.dim_document").fetchall()}
    except duckdb.Error:
        return set()


def check_drop(paths: BudgetPaths, documents: dict[str, list[str]], allow_drop: bool) -> None:
    """Stop before a run removes more than the allowed share of the published documents."""
    published = published_documents(paths.warehouse)
    dropped = published - set(documents)
    share = max_drop_share()
    if published and not allow_drop and len(dropped) > share * len(published):
        raise RunRefused(
            f"this run would remove {len(dropped)} of the {len(published)} published documents (more than "
            f"{share:.0%}: is {paths.raw_dir} the right folder?); nothing was changed. "
            "Run again with --allow-drop to publish it anyway"
        )


def pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """`<warehouse>.lock` holds the pid (and process group) of the run building that warehouse. A lock whose holder
    died is taken over; what that holder left running (its dbt, say, when it led its own process group, as a command
    started from a shell does) is stopped, and what it left half-written (`.<name>.<pid>.publishing`) is removed."""

    def __init__(self, warehouse: Path):
        self.warehouse = warehouse
        self.path = warehouse.with_name(warehouse.name + ".lock")

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder, group = self._holder()
                if holder is not None and pid_is_alive(holder):
                    raise RunRefused(f"another run is building this warehouse (pid {holder}, lock {self.path}); try again when it ends") from None
                if holder is not None and group == holder:
                    stop_process_group(group)
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(handle, "w") as lock:
                lock.write(f"{os.getpid()} {os.getpgrp()}")
            break
        remove_orphan_publishing(self.warehouse)
        return self

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)

    def _holder(self) -> tuple[int | None, int | None]:
        try:
            numbers = [int(n) for n in self.path.read_text().split()]
        except (OSError, ValueError):
            return None, None
        pid, group, *_ = [*numbers, None, None]
        return pid, group


def stop_process_group(group: int) -> None:
    """Kill what is left of a dead run's process group (its leader is gone, so the group holds only its leftovers)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def remove_orphan_publishing(warehouse: Path) -> None:
    """Staged copies of runs that were killed before they renamed them over the warehouse."""
    pattern = re.compile(rf"^\.{re.escape(warehouse.name)}\.(\d+)\.publishing(\.wal)?$")
    for path in warehouse.parent.iterdir():
        match = pattern.match(path.name)
        if match and not pid_is_alive(int(match.group(1))):
            path.unlink(missing_ok=True)
