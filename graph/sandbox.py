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

import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph.errors import InputError, PolicyGraphError, StoreError
from graph.store import Mode, Table

TIMEOUT = 20.0
FETCH_LIMIT = 100_000
MEMORY = 4 * 1024**3
_ERRORS: dict[str, type[PolicyGraphError]] = {"InputError": InputError, "StoreError": StoreError}


@dataclass(frozen=True)
class Result:
    """The first ``limit`` rows of a query's result, and how many rows it had in all (None
    where they were not counted; ``more`` then says whether rows were left out). An update
    has no table, and ``total`` is the number of graphs it changed."""

    table: Table | None
    total: int | None
    more: bool = False

    @property
    def truncated(self) -> bool:
        """Whether rows were left out."""
        shown = len(self.table.rows) if self.table else 0
        return self.more or (self.total is not None and self.total > shown)


@dataclass(frozen=True)
class Request:
    """One query for the child: where, what, and how much of the answer to keep.

    ``count`` counts every row (the dashboard says "5,000 of 12,345 rows"); without it the
    child stops after ``limit`` rows and says only whether there were more, so a query with
    a huge result and a small limit is cheap. ``update`` lets a SPARQL update run (validated
    like an ingest); ``allow_service`` names the endpoints ``SERVICE`` may reach."""

    location: str
    text: str
    limit: int | None
    count: bool = True
    update: bool = False
    allow_service: tuple[str, ...] = ()
    stream: bool = False  # send the rows as they are computed, in batches


def _answer(request: Request, notify: Callable[[tuple[Any, ...]], None]) -> tuple[Any, ...]:
    """Run one request: ``("ok", first rows or None, total or None, more)`` or
    ``("error", kind, line, detail)``. An update sends ``notify(("writing",))`` once it has
    been checked and its write begins."""
    from graph.core import PolicyGraph
    from graph.queries import is_update

    try:
        mode: Mode = "write" if request.update else "read"
        with PolicyGraph.open(request.location, mode) as graph:
            graph.store.allow_service = request.allow_service
            if request.update and is_update(request.text):
                changed = graph.update(request.text, lambda: notify(("writing",)))
                return ("ok", None, len(changed), False)
            if request.stream:
                if is_update(request.text):
                    raise InputError("query: this is a SPARQL update; pass --update to run it")
                return _stream(graph.store, request, notify)
            if request.count or request.limit is None:
                table = graph.query(request.text)
            else:
                table = graph.query(request.text, limit=request.limit + 1)
        if table is None:  # only an update returns None, and query() refused those
            raise InputError("the query changed nothing: updates are refused")
        total = len(table.rows)
        kept = Table(table.columns, table.rows[: request.limit])
        if request.count:
            return ("ok", kept, total, False)
        return ("ok", kept, None, total > len(kept.rows))
    except PolicyGraphError as error:
        kind = type(error).__name__ if type(error).__name__ in _ERRORS else "StoreError"
        return ("error", kind, str(error), error.detail)
    except MemoryError:
        return ("error", "InputError", _OUT_OF_MEMORY, None)
    except Exception as error:  # any other failure is still one line for the user
        return ("error", "StoreError", f"query failed: {type(error).__name__}: {error}", None)


_OUT_OF_MEMORY = "the query ran out of memory: narrow it, or add a LIMIT"
BATCH = 500  # rows a streamed answer sends at a time


def _stream(
    store: Any, request: Request, notify: Callable[[tuple[Any, ...]], None]
) -> tuple[Any, ...]:
    """Send a query's columns, then its rows in batches as they are computed, up to the
    limit; ``("ok", None, rows sent, more)`` closes it."""
    columns, rows = store.rows(request.text)
    notify(("columns", columns))
    batch: list[dict[str, Any]] = []
    sent = 0
    for row in rows:
        if request.limit is not None and sent + len(batch) >= request.limit:
            if batch:
                notify(("rows", batch))
            return ("ok", None, sent + len(batch), True)
        batch.append(row)
        if len(batch) == BATCH:
            notify(("rows", batch))
            sent, batch = sent + len(batch), []
    if batch:
        notify(("rows", batch))
    return ("ok", None, sent + len(batch), False)


_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000


def cut_off_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up: from
    then on no connection leaves it, whatever a query asks (a SERVICE or LOAD that slipped
    past the guard fails with "network is unreachable"). Unprivileged, it takes a user
    namespace too, which changes nothing for files. Returns whether it worked (a kernel or
    container may forbid namespaces; the guard then stands alone)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(_CLONE_NEWNET) == 0 or libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _serve(memory: int, isolated: bool) -> None:
    """The child's loop: read ``Request``s from stdin, answer each.

    Its heap is capped at ``memory`` bytes (none if 0), so a query with a huge result fails
    (one line) instead of taking the machine's memory; when ``isolated`` it has no network."""
    if isolated:
        cut_off_network()
    if memory:
        # over the hard limit, the machine's own cap stands
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    replies = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break a reply
    requests = Connection(os.dup(sys.stdin.fileno()), writable=False)
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        replies.send(_answer(request, replies.send))


class Sandbox:
    """Runs read-only queries in a child process, each stopped after ``timeout`` seconds.

    Safe to share between threads: queries run one at a time, and the deadline counts from
    the moment a query starts running.
    """

    def __init__(
        self,
        timeout: float | None = TIMEOUT,
        limit: int | None = FETCH_LIMIT,
        memory: int | None = MEMORY,
        count: bool = True,
        hint: str = "",
    ) -> None:
        self.timeout = timeout or None  # 0 or None: no deadline
        self.limit = limit
        self.memory = memory or 0
        self.count = count
        self.hint = hint  # said after a stop, e.g. which flag lifts the limit
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._isolated = True
        self._requests: Connection | None = None
        self._replies: Connection | None = None

    def _start(self, isolated: bool = True) -> tuple[Connection, Connection]:
        if self._process is not None and self._isolated != isolated:
            self._stop()  # a child with network for a remote store or an allowed SERVICE
        if self._process is None or self._process.poll() is not None:
            self._stop()
            self._isolated = isolated
            mode = "isolated" if isolated else "network"
            process = subprocess.Popen(
                [sys.executable, "-m", "graph.sandbox", str(self.memory), mode],
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

    def run(
        self,
        location: str,
        text: str,
        update: bool = False,
        allow_service: tuple[str, ...] = (),
        on_columns: Callable[[list[str]], None] | None = None,
        on_rows: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> Result:
        """The result of ``text`` over the store at ``location``; ``InputError`` if the query
        is wrong, takes longer than the timeout or more memory than the cap, ``StoreError`` if
        the store fails. With ``update`` a SPARQL update may run (validated, all or nothing).

        Given ``on_rows``, a query's rows are streamed: ``on_columns`` gets the columns and
        ``on_rows`` each batch of rows as the child computes them, and the result has no
        table, only how many rows were sent and whether the limit left some out."""
        stream = on_rows is not None
        request = Request(location, text, self.limit, self.count, update, allow_service, stream)
        # only a remote store, or a SERVICE the user allowed, needs the network
        isolated = not (location.startswith(("http://", "https://")) or allow_service)
        with self._lock:
            requests, replies = self._start(isolated)
            try:
                requests.send(request)
            except OSError:  # the child died between queries: start afresh
                self._stop()
                requests, replies = self._start(isolated)
                requests.send(request)
            deadline = None if self.timeout is None else time.monotonic() + self.timeout
            while True:
                left = None if deadline is None else max(deadline - time.monotonic(), 0)
                # once an update's write has begun it is let finish: stopped then, whether it
                # was written would be unknown
                if not replies.poll(left):
                    self._stop()
                    raise InputError(self._stopped(update))
                try:
                    reply = replies.recv()
                except EOFError:
                    code = self._process.wait(timeout=5) if self._process else None
                    self._stop()
                    raise self._ended(code) from None
                if reply[0] == "columns" and on_columns is not None:
                    on_columns(reply[1])
                elif reply[0] == "rows" and on_rows is not None:
                    on_rows(reply[1])
                elif reply[0] == "writing":
                    deadline = None
                else:
                    break
        if reply[0] == "error":
            raise _ERRORS[reply[1]](reply[2], detail=reply[3])
        return Result(reply[1], reply[2], reply[3])

    def _ended(self, code: int | None) -> PolicyGraphError:
        """What to say of a child that ended without answering."""
        if code == -signal.SIGABRT:  # Rust aborts when an allocation fails under the cap
            return InputError(_OUT_OF_MEMORY + self._hint())
        if code == -signal.SIGKILL:
            return StoreError(
                "the query process was killed (by the system, out of memory, or by another "
                "program); try again"
            )
        if code == -signal.SIGSEGV:  # the engine's stack, on a query nested or joined too deep
            return InputError(
                "the query engine could not run this query (too large or too deeply nested); "
                "split it into smaller queries"
            )
        return StoreError("the query process ended unexpectedly; try again")

    def _hint(self) -> str:
        return f" ({self.hint})" if self.hint else ""

    def _stopped(self, update: bool) -> str:
        """What a stopped query or update did: an update is stopped only before its write
        begins (once begun it is let finish), so nothing of it was written."""
        what = "update" if update else "query"
        line = f"the {what} was stopped after {self.timeout:g} s"
        if update:
            return line + ": nothing was written" + self._hint()
        return line + ": add a LIMIT, or narrow it with more specific patterns" + self._hint()

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    _serve(
        int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY,
        len(sys.argv) > 2 and sys.argv[2] == "isolated",
    )
