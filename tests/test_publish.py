"""Publishing replaces the warehouse atomically, even while a BI client holds it open read-only."""

import subprocess
import sys
import textwrap

import duckdb

from pipelines.paths import publish

READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from facts").fetchone()[0], flush=True)
    sys.stdin.readline()  # the parent publishes meanwhile
    print(con.execute("select count(*) from facts").fetchone()[0], flush=True)
""")


def _count_in_new_process(path) -> str:
    code = "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True).execute('select count(*) from facts').fetchone()[0])"
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout.strip()


def _warehouse(path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table facts as select range as n from range(?)", [rows])


def test_a_reader_holding_the_file_keeps_the_old_state_and_new_readers_see_the_new(tmp_path):
    published, build = tmp_path / "budget.duckdb", tmp_path / "budget.duckdb.build"
    _warehouse(published, 1)
    _warehouse(build, 2)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "1"
    publish(build, published)  # must neither fail nor wait for the reader
    reader.stdin.write("go\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "1"
    assert _count_in_new_process(published) == "2"
    assert reader.wait(timeout=30) == 0
    assert not list(tmp_path.glob(".*publishing"))
