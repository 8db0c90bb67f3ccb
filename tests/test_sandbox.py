"""Read-only SPARQL in a child process with a deadline (``graph.sandbox``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import ENDLESS

from graph.errors import InputError
from graph.sandbox import Sandbox
from graph.store import DirectoryLock


@pytest.fixture
def sandbox():
    with Sandbox(timeout=2, limit=3) as box:
        yield box


def test_sandbox_runs_a_query_over_the_store(sandbox: Sandbox, seed_like_store: Path):
    result = sandbox.run(
        str(seed_like_store),
        "SELECT ?payee WHERE { GRAPH ?g { ?d pg:payee ?payee } } ORDER BY ?payee",
    )
    assert result.total == len(result.table.rows) >= 2
    assert not result.truncated


def test_sandbox_keeps_the_first_rows_and_counts_them_all(sandbox: Sandbox):
    result = sandbox.run(":memory:", "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } }")
    assert [row["n"] for row in result.table.values()] == [1, 2, 3]
    assert result.total == 5 and result.truncated


def test_sandbox_stops_a_query_at_the_timeout_and_recovers(sandbox: Sandbox, seed_like_store: Path):
    started = time.monotonic()
    with pytest.raises(InputError, match=r"stopped after 2 s"):
        sandbox.run(str(seed_like_store), ENDLESS)
    assert time.monotonic() - started < 10
    # the killed child released the store's shared lock: a writer gets in at once
    lock = DirectoryLock(seed_like_store, exclusive=True, wait=1)
    lock.acquire()
    lock.release()
    assert sandbox.run(":memory:", "SELECT ?n WHERE { VALUES ?n { 1 } }").total == 1


def test_sandbox_reports_errors_in_one_line(sandbox: Sandbox):
    with pytest.raises(InputError) as raised:
        sandbox.run(":memory:", "SELECT ?s WHERE {")
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("SPARQL syntax error at line 1, column 18")
    assert raised.value.detail == "  SELECT ?s WHERE {\n  " + " " * 17 + "^"  # shown below it
    with pytest.raises(InputError, match="update"):
        sandbox.run(":memory:", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")


CHILD = """
import sys, pyoxigraph
from graph.sandbox import cut_off_network
if not cut_off_network():
    print("no namespaces"); sys.exit(0)
try:
    list(pyoxigraph.Store().query("SELECT * WHERE { SERVICE <%s/q> { ?s ?p ?o } }"))
    print("answered")
except Exception as error:
    print("refused:", error)
"""


def test_sandbox_child_without_network_reaches_no_host_whatever_the_query() -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(3)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        # the query goes straight to pyoxigraph, past the guard: only the namespace stops it
        child = subprocess.run(
            [sys.executable, "-c", CHILD % url], capture_output=True, text=True, timeout=60
        )
        if child.stdout.startswith("no namespaces"):
            pytest.skip("this kernel or container forbids network namespaces")
        with pytest.raises(TimeoutError):
            server.accept()  # nothing ever connected
    assert child.stdout.startswith("refused:"), child.stdout + child.stderr
    assert "unreachable" in child.stdout.lower()
