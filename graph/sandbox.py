"""Read-only SPARQL with a deadline: each query runs in a child process that can be stopped.

A thread cannot be interrupted, and pyoxigraph has no query timeout, so a runaway query in
the dashboard would spin forever and hold the store's shared lock, blocking every ingest.
``Sandbox`` keeps one child process (a fresh ``python -m graph.sandbox``: the dashboard's
server is multi-threaded, so ``fork`` is unsafe, and ``multiprocessing``'s ``spawn`` would
re-run whatever script Streamlit last ran as ``__main__``) that opens the store read-only per
query, exactly as the dashboard does. Requests and replies are pickled over its stdin and
stdout. When a query passes its deadline the child is killed, which also releases
its lock, and the next query starts a fresh child.

Examples
--------
>>> with Sandbox(timeout=30, limit=2) as sandbox:
...     result = sandbox.run(":memory:", "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> [row["n"] for row in result.table.values()], result.total
([1, 2], 3)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph.errors import InputError, PolicyGraphError, StoreError
from graph.store import Table

TIMEOUT = 20.0
FETCH_LIMIT = 100_000
MEMORY = 4 * 1024**3
_ERRORS: dict[str, type[PolicyGraphError]] = {"InputError": InputError, "StoreError": StoreError}


@dataclass(frozen=True)
class Result:
    """The first ``limit`` rows of a query's result, and how many rows it had in all."""

    table: Table
    total: int

    @property
    def truncated(self) -> bool:
        """Whether rows were left out."""
        return self.total > len(self.table.rows)


def _answer(location: str, text: str, limit: int) -> tuple[Any, ...]:
    """Run one query read-only: ``("ok", first rows, total)`` or
    ``("error", kind, line, detail)``."""
    from graph.core import PolicyGraph

    try:
        with PolicyGraph.open(location, "read") as graph:
            table = graph.query(text)
        if table is None:  # only an update returns None, and query() refused those
            raise InputError("the query changed nothing: updates are refused")
        return ("ok", Table(table.columns, table.rows[:limit]), len(table.rows))
    except PolicyGraphError as error:
        kind = type(error).__name__ if type(error).__name__ in _ERRORS else "StoreError"
        return ("error", kind, str(error), error.detail)
    except Exception as error:  # any other failure is still one line for the user
        return ("error", "StoreError", f"query failed: {type(error).__name__}: {error}", None)


def _serve() -> None:
    """The child's loop: read ``(location, text, limit)`` requests from stdin, answer each.

    Its heap is capped at ``MEMORY`` bytes, so a query with a huge result fails (one line)
    instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY, MEMORY))
    replies = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break a reply
    requests = Connection(os.dup(sys.stdin.fileno()), writable=False)
    while True:
        try:
            location, text, limit = requests.recv()
        except EOFError:
            return
        replies.send(_answer(location, text, limit))


class Sandbox:
    """Runs read-only queries in a child process, each stopped after ``timeout`` seconds.

    Safe to share between threads: queries run one at a time, and the deadline counts from
    the moment a query starts running.
    """

    def __init__(self, timeout: float = TIMEOUT, limit: int = FETCH_LIMIT) -> None:
        self.timeout = timeout
        self.limit = limit
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None

    def _start(self) -> tuple[Connection, Connection]:
        if self._process is None or self._process.poll() is not None:
            self._stop()
            process = subprocess.Popen(
                [sys.executable, "-m", "graph.sandbox"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            assert process.stdin is not None and process.stdout is not None
            self._requests = Connection(os.dup(process.stdin.fileno()), readable=False)
            self._replies = Connection(os.dup(process.stdout.fileno()), writable=False)
            process.stdin.close()
            process.stdout.close()
            self._process = process
        assert self._requests is not None and self._replies is not None
        return self._requests, self._replies

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
        for connection in (self._requests, self._replies):
            if connection is not None:
                connection.close()
        self._process = self._requests = self._replies = None

    def run(self, location: str, text: str) -> Result:
        """The result of ``text`` over the store at ``location``; ``InputError`` if the query
        is wrong or takes longer than the timeout, ``StoreError`` if the store fails."""
        with self._lock:
            requests, replies = self._start()
            try:
                requests.send((location, text, self.limit))
            except OSError:  # the child died between queries: start afresh
                self._stop()
                requests, replies = self._start()
                requests.send((location, text, self.limit))
            if not replies.poll(self.timeout):
                self._stop()
                raise InputError(
                    f"the query was stopped after {self.timeout:g} s: add a LIMIT, or narrow it "
                    "with more specific patterns"
                )
            try:
                reply = replies.recv()
            except EOFError:
                self._stop()
                raise StoreError("the query process ended unexpectedly; try again") from None
        if reply[0] == "error":
            raise _ERRORS[reply[1]](reply[2], detail=reply[3])
        return Result(reply[1], reply[2])

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    _serve()
