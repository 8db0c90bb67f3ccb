"""Read-only SPARQL with a deadline: each query runs in a child process that can be stopped.

A thread cannot be interrupted, and pyoxigraph has no query timeout, so a runaway query in
the dashboard would spin forever and hold the store's shared lock, blocking every ingest.
``Sandbox`` keeps one child process (started with ``spawn``: the dashboard's server is
multi-threaded, so ``fork`` is unsafe) that opens the store read-only per query, exactly as
the dashboard does. When a query passes its deadline the child is killed, which also releases
its lock, and the next query starts a fresh child.

Examples
--------
>>> with Sandbox(timeout=30, limit=2) as sandbox:
...     result = sandbox.run(":memory:", "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> [row["n"] for row in result.table.values()], result.total
([1, 2], 3)
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph.errors import InputError, PolicyGraphError, StoreError
from graph.store import Table

TIMEOUT = 20.0
FETCH_LIMIT = 100_000
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


def _serve(connection: Connection) -> None:
    """The child's loop: run each ``(location, text, limit)`` read-only and send the result."""
    from graph.core import PolicyGraph

    while True:
        try:
            location, text, limit = connection.recv()
        except EOFError:
            return
        try:
            with PolicyGraph.open(location, "read") as graph:
                table = graph.query(text)
            if table is None:  # only an update returns None, and query() refused those
                raise InputError("the query changed nothing: updates are refused")
            reply: tuple[Any, ...] = (
                "ok",
                Table(table.columns, table.rows[:limit]),
                len(table.rows),
            )
        except PolicyGraphError as error:
            kind = type(error).__name__ if type(error).__name__ in _ERRORS else "StoreError"
            reply = ("error", kind, str(error))
        except Exception as error:  # any other failure is still one line for the user
            reply = ("error", "StoreError", f"query failed: {type(error).__name__}: {error}")
        connection.send(reply)


class Sandbox:
    """Runs read-only queries in a child process, each stopped after ``timeout`` seconds.

    Safe to share between threads: queries run one at a time, and the deadline counts from
    the moment a query starts running.
    """

    def __init__(self, timeout: float = TIMEOUT, limit: int = FETCH_LIMIT) -> None:
        self.timeout = timeout
        self.limit = limit
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        if self._connection is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child,), daemon=True)
            self._process.start()
            child.close()
            self._connection = parent
        return self._connection

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=5)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def run(self, location: str, text: str) -> Result:
        """The result of ``text`` over the store at ``location``; ``InputError`` if the query
        is wrong or takes longer than the timeout, ``StoreError`` if the store fails."""
        with self._lock:
            connection = self._start()
            connection.send((location, text, self.limit))
            if not connection.poll(self.timeout):
                self._stop()
                raise InputError(
                    f"the query was stopped after {self.timeout:g} s: add a LIMIT, or narrow it "
                    "with more specific patterns"
                )
            try:
                reply = connection.recv()
            except EOFError:
                self._stop()
                raise StoreError("the query process ended unexpectedly; try again") from None
        if reply[0] == "error":
            raise _ERRORS[reply[1]](reply[2])
        return Result(reply[1], reply[2])

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
