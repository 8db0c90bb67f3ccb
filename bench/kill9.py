"""kill -9 campaign: the embedded store survives a writer killed at any moment.

``python -m bench.kill9 [--seconds 300] [--seed 9] [--articles A.txt ...] [--cases ...]
[--timeout 120] [--out bench/kill9.md] [--json FILE] [--workdir DIR] [--keep]``

Every write goes through the real command, ``policygraph --store DIR …``, and the campaign
sends ``SIGKILL`` at a moment drawn from a seeded RNG, timed in one of three ways: *anywhere*
in the command's life (mostly while spaCy loads and extracts), after the *lock* file
``DIR.lock`` is seen open by the command or a child of it (``/proc/PID/fd``: it is about to
open the store), or after the store's write-ahead log is seen to *grow* (the write has begun).
The kill goes to the command's whole process group, or (``update``) sometimes to the one
process holding the store, which for ``query --update`` is a sandbox child.

First a reference is built: every article ingested into a fresh store, one process each, with
its own ``--date`` (its ``.gold.json``'s date where it has one), and the store dumped after each
ingest as sorted N-Quads (the stores hold no blank nodes; if one ever did, its graph would be
dumped in rdflib's canonical labelling). ``policygraph export --format nquads --raw``, sorted, must
give the same bytes. Then, until the time budget is spent, the cases run in turn, each given a
share of the time:

- ``sequence``: a fresh store and the same ingests, one article per process, some killed;
  after each kill the killed ingest is re-run and the run goes on. Meanwhile a reader
  (``policygraph deals --format json``, row ``reader``) reads the store again and again: each
  read must succeed and equal what ``deals`` said of one of the reference's states.
- ``multi``: ``ingest A B C --date 1999-01-01`` over a copy of the reference store, which
  replaces three article graphs in one transaction: all three or none.
- ``update``: ``query --update`` over a copy of the reference store, one request that copies
  every quad into a new graph and moves an article's graph to a new name: whole or nothing.
- ``update-timeout``: the same update with a ``--timeout`` near its length, so that the
  command stops its own sandbox: what it then says (written, or "nothing was written") must
  be what the store holds.
- ``writers``: two ingest processes at once on a fresh store, each waiting for the lock 0 or
  15 seconds (``POLICYGRAPH_LOCK_WAIT``), one of them sometimes killed: each must succeed, or
  fail with the one-line "busy" error, or be the one killed.

After every kill: (1) the store opens read-only and for writing (``graph.store.EmbeddedStore``)
without error, and opening it for writing changes nothing; (2) it equals a state the write could
have left: every article graph whole (equal to that article's graph in the reference) or
absent, every write that finished before still there, a command that said it wrote having
written; (3) re-running the killed command gives a dump byte-identical to the reference's.
The report (``--out``) has one row per case; the exit status is 1 if any check failed. Each
process gets ``--timeout`` seconds; no run starts unless its expected time fits in what is
left of ``--seconds``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.vocab import CHANGES

ROOT = Path(__file__).resolve().parent.parent
POLICYGRAPH = Path(sys.executable).with_name("policygraph")
DEFAULT_DATE = "2024-11-18"  # the sample article's publication date, as `make ingest-samples`
MULTI_DATE = "1999-01-01"  # no article's own date, so the multi-file ingest replaces graphs
CASES = ("sequence", "multi", "update", "update-timeout", "writers")
WEIGHTS = {"sequence": 40, "multi": 15, "update": 15, "update-timeout": 10, "writers": 20}
KILL_CHANCE = 0.6  # of each ingest of a sequence run
MODES = (("anywhere", 0.2), ("lock", 0.4), ("write", 0.4))  # how a kill is timed
WRITER_ONLY_CHANCE = 0.5  # of an update's kill going to the process holding the store only
WRITERS_KILL_CHANCE = 0.35
BULK_GRAPH = "urn:kill9:bulk"
MOVED_GRAPH = "urn:kill9:moved"
BULK_QUADS = 12_000  # about how many quads the update copies (its SHACL check is most of its time)
WAL_GROWTH = 512  # bytes the write-ahead log must grow by to count as a write (not an open)
POLL = 0.003  # seconds between looks at a command's open files
TREE_SCAN = 0.02  # seconds between looks for its child processes
LOCK_WAIT = "15"  # the store's own default

State = dict[str, tuple[str, ...]]  # graph name ("" for the default graph) -> sorted N-Quads


# --- dumps and judgement ----------------------------------------------------------------------


def dump(store: Path) -> State:
    """The store's content, canonically: each graph's quads as sorted N-Quads lines.

    Read with pyoxigraph directly, read-only and without the lock: the caller makes sure no
    writer is running. A graph holding blank nodes is relabelled canonically (rdflib's
    algorithm), so that equal stores give equal dumps; the policygraph stores hold none.
    """
    if not (store / "CURRENT").exists():
        return {}
    opened = ox.Store.read_only(str(store))
    try:
        return quads_state(opened.quads_for_pattern(None, None, None, None))
    finally:
        del opened


def quads_state(quads: Iterable[ox.Quad]) -> State:
    """Quads as a ``State``: grouped by graph, sorted, blank nodes canonically labelled.

    The change log's graph (``id:changes``) is left out: it records when each write was
    made, so two runs of the same writes differ there by design. Its records are written in
    the same transaction as the graphs they describe."""
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        if name == str(CHANGES):
            continue
        graphs[name].append(quad)
    state = {}
    for name, found in graphs.items():
        blank = any(isinstance(t, ox.BlankNode) for q in found for t in (q.subject, q.object))
        lines = _canonical(name, found) if blank else [f"{q} ." for q in found]
        state[name] = tuple(sorted(lines))
    return state


def _canonical(name: str, quads: list[ox.Quad]) -> list[str]:
    """A graph with blank nodes as N-Quads lines, relabelled by rdflib's canonical algorithm."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    triples = "".join(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" for q in quads)
    canonical = to_canonical_graph(Graph().parse(data=triples, format="nt"))
    suffix = f" <{name}> ." if name else " ."
    lines = canonical.serialize(format="nt").splitlines()
    return [line.removesuffix(" .") + suffix for line in lines if line.strip()]


def blank_node_quads(state: State) -> int:
    """How many quads of a dump name a blank node (outside literals)."""
    return sum(1 for lines in state.values() for line in lines if "_:" in _outside_literals(line))


def _outside_literals(line: str) -> str:
    kept, inside, escaped = [], False, False
    for char in line:
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        else:
            kept.append(char)
    return "".join(kept)


def restrict(state: State, names: Iterable[str]) -> State:
    """The graphs of ``state`` named in ``names``."""
    return {name: state[name] for name in names if name in state}


def judge(state: State, candidates: Mapping[str, State], label: Callable[[str], str]) -> list[str]:
    """What is wrong with ``state``, which should equal one of ``candidates``: [] if nothing.

    Each problem names a graph and says whether it is partial (some of its quads, or others'),
    missing (a finished write lost) or unexpected; if every graph is whole but together they
    match no candidate, the write was not all or nothing.

    >>> a, b = ("<s> <p> <o> <g> .",), ("<s> <p> <o2> <g> .",)
    >>> judge({"g": a}, {"before": {}, "after": {"g": a}}, str)
    []
    >>> judge({"g": a + b}, {"after": {"g": a}}, str)
    ['g: partial, 1 of its 1 quads and 1 others']
    >>> judge({"g": a, "h": a}, {"none": {"g": b, "h": a}, "all": {"g": a, "h": b}}, str)
    ['not all or nothing: every graph is whole but they mix states (g as all; h as none)']
    """
    if any(state == candidate for candidate in candidates.values()):
        return []
    problems = []
    names = sorted(set(state).union(*(set(c) for c in candidates.values())))
    whole: dict[str, list[str]] = {}
    for name in names:
        have = state.get(name)
        allowed = {which: c.get(name) for which, c in candidates.items()}
        matches = [which for which, lines in allowed.items() if lines == have]
        if matches:
            if len(matches) < len(allowed):
                whole[name] = matches
            continue
        versions = [lines for lines in allowed.values() if lines is not None]
        if have is None:
            problems.append(f"{label(name)}: missing, though a finished write put it there")
        elif not versions:
            problems.append(f"{label(name)}: {len(have)} quads in a graph no write makes")
        else:
            best = max(versions, key=lambda lines: len(set(lines) & set(have)))
            common = len(set(best) & set(have))
            problems.append(
                f"{label(name)}: partial, {common} of its {len(best)} quads"
                f" and {len(have) - common} others"
            )
    if not problems:
        seen = "; ".join(f"{label(n)} as {'/'.join(w)}" for n, w in whole.items())
        problems.append(f"not all or nothing: every graph is whole but they mix states ({seen})")
    return problems


# --- commands, watched and killed -------------------------------------------------------------


@dataclass
class KillPlan:
    """When to kill: ``delay`` seconds after the command starts (``anywhere``), after its lock
    file is first seen open (``lock``) or after its write-ahead log first grows (``write``);
    ``target`` is the whole process ``group`` or only the process holding the store."""

    mode: str
    delay: float
    target: str = "group"

    def describe(self) -> str:
        after = {"anywhere": "start", "lock": "opening the lock", "write": "the log grew"}
        who = "" if self.target == "group" else ", the store's process only"
        return f"{self.delay:.3f} s after {after[self.mode]}{who}"


@dataclass
class Outcome:
    """How a command ended, and what was seen of it (times in seconds from its start)."""

    argv: list[str]
    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    lock_at: float | None = None  # the lock file first seen open (by it or a child)
    released_at: float | None = None  # seen closed again
    wal_at: float | None = None  # the write-ahead log first seen grown
    killed: bool = False  # a SIGKILL reached a live process of it
    kill_phase: str | None = None
    timed_out: bool = False
    plan: KillPlan | None = None
    started: float = 0.0  # time.monotonic() at start
    processes: int = 1
    child_at: float | None = None  # a child process first seen

    @property
    def missed(self) -> bool:
        """A kill was planned, but the command had ended (or not got so far) by then."""
        return self.plan is not None and not self.killed

    @property
    def hold(self) -> float:
        """How long it held the lock file open."""
        if self.lock_at is None:
            return 0.0
        return (self.released_at or self.seconds) - self.lock_at

    def brief(self) -> str:
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        tail = f": {lines[-1].strip()}" if lines else ""
        more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        return f"exit {self.rc}{tail}{more}"


class Command:
    """One ``policygraph`` command and its child processes, watched and killed as planned."""

    def __init__(
        self,
        argv: list[str],
        store: Path,
        workdir: Path,
        timeout: float,
        plan: KillPlan | None = None,
        lock_wait: str = LOCK_WAIT,
        watch_from: float = 0.0,
        poll: float = POLL,
        tree: bool = False,
    ) -> None:
        self.argv = argv
        self.poll = poll
        self.tree = tree  # look at its child processes too (`query` runs in a sandbox child)
        self.store = store.resolve()
        self.lock = str(self.store.with_name(self.store.name + ".lock"))
        self.inside = str(self.store) + os.sep
        self.timeout = timeout
        self.plan = plan
        self.watch_from = watch_from
        self.env = {**os.environ, "POLICYGRAPH_LOCK_WAIT": lock_wait}
        self.env.pop("POLICYGRAPH_STORE", None)
        handle, name = tempfile.mkstemp(dir=workdir, prefix="out-")
        os.close(handle)
        self.out_path = Path(name)
        self.err_path = self.out_path.with_name(self.out_path.name + ".err")
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.pids: set[int] = set()
        self.scanned = 0.0
        self.holder: int | None = None  # the process holding the lock file open
        self.open = False  # the store's files open at the last look
        self.baseline: dict[str, int] | None = None  # log sizes when the lock was first seen
        self.outcome: Outcome | None = None
        self.seen = Outcome(argv, None, "", "", 0.0, plan=plan)

    def start(self) -> None:
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen(
                self.argv, stdout=out, stderr=err, env=self.env, cwd=ROOT, start_new_session=True
            )
        self.started = self.seen.started = time.monotonic()
        self.pids = {self.process.pid}

    def phase(self) -> str:
        """Where the command is: before the store, locking it, holding it open (before or
        after its log grew), or past it."""
        if self.open:
            return "store open, written" if self.seen.wal_at is not None else "store open"
        if self.holder is not None:
            return "locking"
        return "before the store" if self.seen.lock_at is None else "after the store"

    def look(self, now: float) -> None:
        """Look at the open files of the command's processes."""
        assert self.process is not None
        age = now - self.started
        if age < self.watch_from:
            return
        if self.tree and now - self.scanned >= TREE_SCAN:
            self.pids |= descendants(self.pids)
            self.scanned = now
            if len(self.pids) > 1 and self.seen.child_at is None:
                self.seen.child_at = age
        holder, inside = None, False
        for pid in self.pids:
            files = open_files(pid)
            if self.lock in files:
                holder = pid
            inside = inside or any(f.startswith(self.inside) for f in files)
        if holder is not None and self.seen.lock_at is None:
            self.seen.lock_at = age
            self.baseline = log_sizes(self.store)
        if self.holder is not None and holder is None:
            self.seen.released_at = age
        self.holder, self.open = holder, inside
        if self.baseline is not None and self.seen.wal_at is None and holder is not None:
            sizes = log_sizes(self.store)
            growth = sum(max(0, n - self.baseline.get(f, 0)) for f, n in sizes.items())
            if growth > WAL_GROWTH:
                self.seen.wal_at = age

    def tick(self, now: float) -> bool:
        """Look, kill if due; True once every process of the command has ended."""
        if self.outcome is not None:
            return True
        assert self.process is not None
        main_alive = self.process.poll() is None
        if main_alive or group_alive(self.process.pid):
            self.look(now)
            age = now - self.started
            if self.plan is not None and self.seen.kill_phase is None and self._due(age):
                self.seen.kill_phase = self.phase()
                self.seen.killed = self._kill(self.plan.target)
            elif age > self.timeout and not self.seen.timed_out:
                self.seen.timed_out = True
                self._kill("group")
            return False
        self._finish(now)
        return True

    def _due(self, age: float) -> bool:
        assert self.plan is not None
        start = {"anywhere": 0.0, "lock": self.seen.lock_at, "write": self.seen.wal_at}
        begin = start[self.plan.mode]
        return begin is not None and age >= begin + self.plan.delay

    def _kill(self, target: str) -> bool:
        """SIGKILL the group, or the process holding the store; whether a live one got it."""
        assert self.process is not None
        if target != "group" and self.holder is not None:
            alive = is_alive(self.holder)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.holder, signal.SIGKILL)
            return alive
        alive = self.process.poll() is None or group_alive(self.process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        return alive

    def _finish(self, now: float) -> None:
        assert self.process is not None
        seen = self.seen
        seen.rc = self.process.wait()
        seen.seconds = now - self.started
        seen.stdout = self.out_path.read_text(encoding="utf-8", errors="replace")
        seen.stderr = self.err_path.read_text(encoding="utf-8", errors="replace")
        seen.processes = len(self.pids)
        self.outcome = seen
        self.out_path.unlink(missing_ok=True)
        self.err_path.unlink(missing_ok=True)


def open_files(pid: int) -> set[str]:
    """The paths a process has open, from ``/proc/PID/fd`` (empty once it has gone)."""
    folder = f"/proc/{pid}/fd"
    try:
        names = os.listdir(folder)
    except OSError:
        return set()
    found = set()
    for name in names:
        with contextlib.suppress(OSError):
            found.add(os.readlink(f"{folder}/{name}"))
    return found


def descendants(pids: Iterable[int]) -> set[int]:
    """The processes, and all their children's, from ``/proc/PID/task/TID/children``."""
    found, queue = set(pids), list(pids)
    while queue:
        pid = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            except OSError:
                continue
            for child in map(int, text.split()):
                if child not in found:
                    found.add(child)
                    queue.append(child)
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()  # state, ppid, pgrp, …


def is_alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in {"Z", "X"}


def group_alive(pgid: int) -> bool:
    """Whether a live process is left in the process group (an orphaned child, say)."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and fields[2] == str(pgid) and fields[0] not in {"Z", "X"}:
                return True
    return False


def log_sizes(store: Path) -> dict[str, int]:
    """The sizes of the store's write-ahead log files (RocksDB's ``NNNNNN.log``)."""
    sizes = {}
    try:
        with os.scandir(store) as entries:
            for entry in entries:
                if entry.name.endswith(".log"):
                    with contextlib.suppress(OSError):
                        sizes[entry.name] = entry.stat().st_size
    except OSError:
        pass
    return sizes


def drive(commands: Sequence[Command], offsets: Sequence[float] | None = None) -> list[Outcome]:
    """Start the commands (each ``offsets[i]`` seconds after the first) and watch them end."""
    offsets = offsets or [0.0] * len(commands)
    begin = time.monotonic()
    pending = sorted(range(len(commands)), key=lambda i: offsets[i])
    while True:
        now = time.monotonic()
        while pending and now - begin >= offsets[pending[0]]:
            commands[pending.pop(0)].start()
            now = time.monotonic()
        done = [c.tick(now) for c in commands if c.process is not None]
        if not pending and all(done):
            break
        time.sleep(min(c.poll for c in commands))
    return [c.outcome for c in commands if c.outcome is not None]


# --- the campaign -----------------------------------------------------------------------------


@dataclass
class Timing:
    """What the reference saw of a command: its length, when it opened the lock, how long it
    held it, and how long after its log grew it let go."""

    seconds: float = 0.0
    lock_at: float = 0.0
    hold: float = 0.0
    after_write: float = 0.0
    sandbox_at: float = 0.0  # for a query: when its child process was first seen

    @classmethod
    def of(cls, out: Outcome) -> Timing:
        lock_at = out.lock_at if out.lock_at is not None else out.seconds
        released = out.released_at or out.seconds
        wrote = out.wal_at if out.wal_at is not None else lock_at
        return cls(
            out.seconds,
            lock_at,
            max(out.hold, 0.005),
            max(released - wrote, 0.005),
            out.child_at or 0.0,
        )


@dataclass
class Article:
    path: Path
    date: str
    graph: str = ""
    timing: Timing = field(default_factory=Timing)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Failure:
    case: str
    run: int
    what: str
    details: list[str]
    kept: str | None = None


@dataclass
class Tally:
    """One row of the report."""

    case: str
    runs: int = 0
    kills: int = 0
    survived: int = 0
    identical: int = 0
    failures: int = 0
    seconds: float = 0.0
    phases: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "runs": self.runs,
            "kills": self.kills,
            "survived": self.survived,
            "identical": self.identical,
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
            "phases": dict(self.phases),
            "notes": dict(self.notes),
        }


def gold_date(path: Path) -> str | None:
    """The publication date in an article's ``.gold.json``, if it has one."""
    stem = path.name.removesuffix(path.suffix)
    for gold in (
        path.with_name(f"{stem}.gold.json"),
        ROOT / "tests" / "data" / f"{stem}.gold.json",
    ):
        if gold.is_file():
            found = json.loads(gold.read_text(encoding="utf-8")).get("date")
            if found:
                return str(found)
    return None


def default_articles() -> list[Path]:
    """samples/*.txt, then tests/data/corpus/dev/*.txt."""
    dev = ROOT / "tests" / "data" / "corpus" / "dev"
    return sorted((ROOT / "samples").glob("*.txt")) + sorted(dev.glob("*.txt"))


def update_text(moved: str, copies: int) -> str:
    """One SPARQL update request: ``copies`` copies of every (subject, predicate, object) as
    untyped resources in a new graph, then one article's graph moved to a new name."""
    ks = " ".join(str(k) for k in range(1, copies + 1))
    return (
        f"INSERT {{ GRAPH <{BULK_GRAPH}> {{ ?copy <urn:kill9:of> ?o }} }}\n"
        f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN (<{BULK_GRAPH}>, <{MOVED_GRAPH}>))\n"
        f"  VALUES ?k {{ {ks} }}\n"
        '  BIND(IRI(CONCAT("urn:kill9:copy/", STR(?k), "/", MD5(CONCAT(STR(?s), STR(?p)))))'
        " AS ?copy) } ;\n"
        f"DELETE {{ GRAPH <{moved}> {{ ?s ?p ?o }} }}\n"
        f"INSERT {{ GRAPH <{MOVED_GRAPH}> {{ ?s ?p ?o }} }}\n"
        f"WHERE {{ GRAPH <{moved}> {{ ?s ?p ?o }} }}"
    )


class NoReference(Exception):
    """The reference could not be built, so nothing can be judged."""


class Campaign:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.rng = random.Random(args.seed)
        self.begin = time.monotonic()
        self.deadline = self.begin + args.seconds
        self.timeout: float = args.timeout
        self.articles = [Article(p, gold_date(p) or args.date) for p in args.articles]
        self.tallies = {case: Tally(case) for case in (*CASES, "reader")}
        self.failures: list[Failure] = []
        self.notes: list[str] = []
        self.labels: dict[str, str] = {BULK_GRAPH: BULK_GRAPH, MOVED_GRAPH: MOVED_GRAPH}
        self.states: list[State] = []  # the reference after 0, 1, …, n ingests
        self.views: set[str] = set()  # what `deals --format json` said of each of them
        self.reference_store = Path()
        self.reference_seconds = 0.0
        self.multi: list[Article] = []
        self.multi_after: State = {}
        self.multi_timing = Timing()
        self.update_sparql = ""
        self.update_after: State = {}
        self.update_timing = Timing()

    # --- helpers ---------------------------------------------------------------------------

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def command(self, store: Path, *words: str) -> list[str]:
        return [str(POLICYGRAPH), "--store", str(store), *words]

    def ingest_argv(self, store: Path, article: Article) -> list[str]:
        return self.command(store, "ingest", str(article.path), "--date", article.date)

    def multi_argv(self, store: Path) -> list[str]:
        paths = [str(a.path) for a in self.multi]
        return self.command(store, "ingest", *paths, "--date", MULTI_DATE)

    def update_argv(self, store: Path, *extra: str) -> list[str]:
        return self.command(store, "query", "--update", *extra, self.update_sparql)

    def run(
        self,
        argv: list[str],
        store: Path,
        plan: KillPlan | None = None,
        measure: bool = False,
        **kw: Any,
    ) -> Outcome:
        """Run a command to its end: killed as ``plan`` says, timed finely (``measure``), or
        neither (then only waited for)."""
        kw.setdefault("tree", argv[3] == "query")
        if measure:
            kw.setdefault("poll", 0.01)
        elif plan is None:
            kw.update(poll=0.02, watch_from=float("inf"))
        return drive([Command(argv, store, self.workdir, self.timeout, plan, **kw)])[0]

    def fresh(self, name: str) -> Path:
        folder = self.workdir / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return (folder / "store").resolve()

    def copy_of(self, source: Path, name: str) -> Path:
        store = self.fresh(name)
        shutil.copytree(source, store)
        return store

    def label(self, name: str) -> str:
        return self.labels.get(name, name or "the default graph")

    def fail(self, case: str, run: int, what: str, details: list[str], store: Path | None) -> None:
        kept = None
        if store is not None and store.exists():
            target = self.workdir / "failures" / f"{case}-{run}-{len(self.failures)}"
            shutil.copytree(store, target)
            kept = str(target)
        self.failures.append(Failure(case, run, what, details, kept))
        self.tallies[case].failures += 1

    def plan(self, timing: Timing, target: str = "group") -> KillPlan:
        roll, mode = self.rng.random(), MODES[-1][0]
        for name, chance in MODES:
            if roll < chance:
                mode = name
                break
            roll -= chance
        span = {"anywhere": timing.seconds, "lock": timing.hold, "write": timing.after_write}
        return KillPlan(mode, self.rng.uniform(0.0, span[mode] * 1.2), target)

    def after_kill(self, store: Path, candidates: Mapping[str, State]) -> list[str]:
        """Checks (1) and (2): the store opens both ways, unchanged, in an acceptable state.

        Read-only first, as a reader would find it; then for writing, as the next writer
        would, which may repair what a reader could not open; then it is judged."""
        from graph.errors import PolicyGraphError
        from graph.store import EmbeddedStore

        problems = []
        try:
            with EmbeddedStore(store, "read") as reader:
                reader.graph_names()
        except (PolicyGraphError, OSError, RuntimeError) as error:
            problems.append(f"read-only open failed: {type(error).__name__}: {error}")
        before: State | None = None
        try:
            before = dump(store)
        except (OSError, RuntimeError) as error:
            problems.append(f"pyoxigraph's read-only open failed too: {error}")
        try:
            with EmbeddedStore(store, "write") as writer:
                writer.graph_names()
        except (PolicyGraphError, OSError, RuntimeError) as error:
            problems.append(f"open for writing failed: {type(error).__name__}: {error}")
        try:
            after = dump(store)
        except (OSError, RuntimeError) as error:
            return [*problems, f"after opening it for writing, still no read-only open: {error}"]
        if before is None and problems:
            problems.append(
                f"opening it for writing succeeded, and then it read as holding {len(after)} "
                "graphs" + ("" if judge(after, candidates, self.label) else ", as it should")
            )
        elif before is not None and after != before:
            problems.append("opening it for writing changed what it holds")
        return problems + judge(after, candidates, self.label)

    # --- the reference ---------------------------------------------------------------------

    def reference(self) -> None:
        started = time.monotonic()
        store = self.fresh("reference")
        self.reference_store = store
        self.states = [{}]
        self.views = {self.deals_view(store)}
        for article in self.articles:
            out = self.run(self.ingest_argv(store, article), store, measure=True)
            if out.rc != 0:
                raise NoReference(f"ingest {article.path} failed: {out.brief()}")
            state = dump(store)
            new = sorted(set(state) - set(self.states[-1]))
            if len(new) != 1 or "" in state:
                raise NoReference(f"ingest {article.path} added {len(new)} graphs, not one")
            article.graph, article.timing = new[0], Timing.of(out)
            self.labels[article.graph] = article.name
            self.states.append(state)
            self.views.add(self.deals_view(store))
        full = self.states[-1]
        exported = self.run(self.command(store, "export", "--format", "nquads", "--raw"), store)
        lines = sorted(line for line in exported.stdout.splitlines() if line.strip())
        dumped = sorted(line for graph in full.values() for line in graph)
        if exported.rc != 0 or lines != dumped:
            raise NoReference(
                "`policygraph export --format nquads --raw`, sorted, is not pyoxigraph's dump "
                f"({exported.brief()}, {len(lines)} lines against {len(dumped)})"
            )
        self.notes.append(
            f"Reference: {len(self.articles)} articles, {len(full)} graphs, {len(dumped):,} "
            f"quads, {blank_node_quads(full)} of them with a blank node; `policygraph export "
            "--format nquads`, sorted, is byte-identical to pyoxigraph's sorted dump; "
            f"`deals --format json` says {len(self.views)} different things of its "
            f"{len(self.states)} states (empty, then after each ingest)."
        )

        # the multi-file ingest: the three smallest articles again, dated otherwise
        self.multi = sorted(self.articles, key=lambda a: (a.path.stat().st_size, a.name))[:3]
        copy = self.copy_of(store, "reference-multi")
        out = self.run(self.multi_argv(copy), copy, measure=True)
        if out.rc != 0:
            raise NoReference(f"the multi-file ingest failed: {out.brief()}")
        self.multi_after, self.multi_timing = dump(copy), Timing.of(out)
        changed = {n for n in {*full, *self.multi_after} if full.get(n) != self.multi_after.get(n)}
        if changed != {a.graph for a in self.multi}:
            raise NoReference(f"the multi-file ingest changed {len(changed)} graphs")

        # the update: copies of every quad, and the first article's graph moved
        copies = max(1, min(50, BULK_QUADS // max(len(dumped), 1)))
        first = self.articles[0].graph
        self.update_sparql = update_text(first, copies)
        copy = self.copy_of(store, "reference-update")
        out = self.run(self.update_argv(copy), copy, measure=True)
        if out.rc != 0:
            raise NoReference(f"query --update failed: {out.brief()}")
        self.update_after, self.update_timing = dump(copy), Timing.of(out)
        if (
            self.update_after.get(MOVED_GRAPH) != tuple(sorted(
                line.replace(f"<{first}> .", f"<{MOVED_GRAPH}> .") for line in full[first]
            ))
            or first in self.update_after
            or not self.update_after.get(BULK_GRAPH)
        ):  # fmt: skip
            raise NoReference("query --update did not copy and move as it should")
        timing = [a.timing for a in self.articles]
        self.notes.append(
            f"Reference timings: an ingest takes {_mean(t.seconds for t in timing):.1f} s and "
            f"holds the store's lock {_mean(t.hold for t in timing) * 1000:.0f} ms; the "
            f"{len(self.multi)}-file ingest {self.multi_timing.seconds:.1f} s "
            f"({self.multi_timing.hold * 1000:.0f} ms); the update, which copies "
            f"{len(self.update_after[BULK_GRAPH]):,} quads and moves "
            f"{len(full[first])}, {self.update_timing.seconds:.1f} s "
            f"({self.update_timing.hold * 1000:.0f} ms, by its sandbox process)."
        )
        self.reference_seconds = time.monotonic() - started

    def deals_view(self, store: Path) -> str:
        out = self.run(self.command(store, "deals", "--format", "json"), store)
        if out.rc != 0:
            raise NoReference(f"deals on the reference failed: {out.brief()}")
        return _normal(out.stdout)

    # --- running the cases -----------------------------------------------------------------

    def estimate(self, case: str) -> float:
        per = _mean(a.timing.seconds for a in self.articles)
        if case == "sequence":
            return 4 * per
        if case == "multi":
            return 2.2 * self.multi_timing.seconds + 1
        if case.startswith("update"):
            return 2.2 * self.update_timing.seconds + 1
        return 3.2 * max(a.timing.seconds for a in self.articles) + 1

    def campaign(self, cases: Sequence[str]) -> None:
        while True:
            fits = [c for c in cases if self.estimate(c) <= self.remaining()]
            if not fits:
                return
            case = min(fits, key=lambda c: (self.tallies[c].seconds / WEIGHTS[c], cases.index(c)))
            tally = self.tallies[case]
            started = time.monotonic()
            getattr(self, "run_" + case.replace("-", "_"))(tally.runs + 1)
            tally.runs += 1
            tally.seconds += time.monotonic() - started

    def killed(
        self, case: str, run: int, out: Outcome, store: Path, candidates: Mapping[str, State]
    ) -> bool:
        """A kill landed: count it and check the store."""
        tally = self.tallies[case]
        tally.kills += 1
        tally.phases[out.kill_phase or "?"] += 1
        problems = self.after_kill(store, candidates)
        if problems:
            plan = out.plan.describe() if out.plan else "?"
            self.fail(case, run, f"after a kill ({plan}; {out.kill_phase})", problems, store)
            return False
        tally.survived += 1
        return True

    def rerun(
        self, case: str, run: int, argv: list[str], store: Path, expected: State, what: str
    ) -> bool:
        """Check (3): the command, re-run to its end, gives exactly ``expected``."""
        out = self.run(argv, store)
        if out.rc != 0:
            self.fail(case, run, f"re-run of {what} failed", [out.brief()], store)
            return False
        problems = judge(dump(store), {"expected": expected}, self.label)
        if problems:
            self.fail(case, run, f"re-run of {what} is not byte-identical", problems, store)
            return False
        self.tallies[case].identical += 1
        return True

    def ended(self, case: str, run: int, out: Outcome, what: str, store: Path) -> bool:
        """A command not killed: it must have succeeded, in time."""
        if out.missed:
            self.tallies[case].notes["planned kills that came after the command ended"] += 1
        if out.timed_out:
            self.fail(case, run, f"{what} took over {self.timeout:g} s", [out.brief()], store)
            return False
        if out.rc != 0:
            self.fail(case, run, f"{what} failed", [out.brief()], store)
            return False
        return True

    def finished(
        self, case: str, run: int, out: Outcome, what: str, store: Path, expected: State
    ) -> bool:
        """A command not killed must have succeeded, in time, and written ``expected``."""
        if not self.ended(case, run, out, what, store):
            return False
        if problems := judge(dump(store), {"expected": expected}, self.label):
            self.fail(case, run, f"{what} wrote", problems, store)
            return False
        return True

    def run_sequence(self, run: int) -> None:
        case = "sequence"
        store = self.fresh(f"sequence-{run}")
        reader = None if self.args.no_reader else Reader(self, store)
        if reader:
            reader.start()
        done = 0
        try:
            for index, article in enumerate(self.articles):
                if self.remaining() < 2.5 * article.timing.seconds:
                    self.tallies[case].notes["runs cut short by the time budget"] += 1
                    break
                plan = self.plan(article.timing) if self.rng.random() < KILL_CHANCE else None
                argv = self.ingest_argv(store, article)
                out = self.run(argv, store, plan, watch_from=0.6 * article.timing.lock_at)
                before, after = self.states[index], self.states[index + 1]
                if out.killed:
                    candidates = {"before": before, "after": after}
                    self.killed(case, run, out, store, candidates)  # a failure goes on if it can
                    if not self.rerun(case, run, argv, store, after, article.name):
                        return
                elif not self.finished(case, run, out, f"ingest {article.name}", store, after):
                    return
                done = index + 1
        finally:
            if reader:
                reader.stop()
        if done == len(self.articles):  # every check passed on the way: it is the reference
            self.tallies[case].notes["runs that ended byte-identical to the reference"] += 1

    def run_multi(self, run: int) -> None:
        case, what = "multi", "the multi-file ingest"
        store = self.copy_of(self.reference_store, f"multi-{run}")
        argv = self.multi_argv(store)
        timing = self.multi_timing
        out = self.run(argv, store, self.plan(timing), watch_from=0.6 * timing.lock_at)
        if out.killed:
            candidates = {"none": self.states[-1], "all": self.multi_after}
            self.killed(case, run, out, store, candidates)
            self.rerun(case, run, argv, store, self.multi_after, what)
        else:
            self.finished(case, run, out, what, store, self.multi_after)

    def run_update(self, run: int) -> None:
        case, what = "update", "the update"
        store = self.copy_of(self.reference_store, f"update-{run}")
        argv = self.update_argv(store)
        timing = self.update_timing
        target = "writer" if self.rng.random() < WRITER_ONLY_CHANCE else "group"
        plan = self.plan(timing, target)
        out = self.run(argv, store, plan, watch_from=0.6 * timing.lock_at)
        none, everything = self.states[-1], self.update_after
        if out.killed:
            tally = self.tallies[case]
            candidates = {"none": none, "all": everything}
            if out.rc == 0:  # the command said "applied": then it must have been
                candidates = {"all": everything}
            elif plan.target != "group":
                tally.notes[f"after its sandbox was killed, `query` said: {_said(out)}"] += 1
            self.killed(case, run, out, store, candidates)
            self.rerun(case, run, argv, store, everything, what)
        else:
            self.finished(case, run, out, what, store, everything)

    def run_update_timeout(self, run: int) -> None:
        case, what = "update-timeout", "the update"
        tally = self.tallies[case]
        store = self.copy_of(self.reference_store, f"update-timeout-{run}")
        timing = self.update_timing
        # the deadline counts from the sandbox's start; aim it around the lock's release
        span = timing.lock_at + timing.hold - timing.sandbox_at
        limit = max(0.05, self.rng.uniform(0.6, 1.15) * span)
        out = self.run(self.update_argv(store, "--timeout", f"{limit:.3f}"), store)
        none, everything = self.states[-1], self.update_after
        said = "finished" if out.rc == 0 else f"said {_said(out)}"
        stopped = out.rc != 0 and "was stopped after" in out.stderr
        if out.rc == 0:
            tally.notes["updates that finished in time"] += 1
        elif stopped:
            tally.kills += 1
        else:
            self.fail(case, run, f"{what} with --timeout {limit:.3f} failed", [out.brief()], store)
            return
        problems = self.after_kill(store, {"none": none, "all": everything})
        if problems:
            self.fail(case, run, f"--timeout {limit:.3f}: {what} {said}", problems, store)
            return
        held = "all" if dump(store) == everything else "none"
        claimed = "all" if out.rc == 0 else "none" if "nothing was written" in out.stderr else "?"
        if stopped:
            tally.survived += 1
            tally.phases[f"stopped, and the store held {held} of it"] += 1
        if claimed not in {"?", held}:
            holds = "the whole update" if held == "all" else "nothing of it"
            self.fail(
                case,
                run,
                f"--timeout {limit:.3f}: {what} {said}",
                [f"but the store holds {holds} (byte-identical to the {held!r} state)"],
                store,
            )
        elif claimed == "?":
            tally.notes[f"stopped updates that said {_said(out)}"] += 1
        if stopped:
            self.rerun(case, run, self.update_argv(store), store, everything, what)

    def run_writers(self, run: int) -> None:
        case = "writers"
        tally = self.tallies[case]
        store = self.fresh(f"writers-{run}")
        pair = self.rng.sample(self.articles, 2)
        waits = [self.rng.choice(["0", LOCK_WAIT]) for _ in pair]
        victim = self.rng.randrange(2) if self.rng.random() < WRITERS_KILL_CHANCE else None
        commands = [
            Command(
                self.ingest_argv(store, article),
                store,
                self.workdir,
                self.timeout,
                self.plan(article.timing) if number == victim else None,
                waits[number],
            )
            for number, article in enumerate(pair)
        ]
        # started so that their writes meet, give or take the time one holds the lock
        a, b = pair[0].timing, pair[1].timing
        lag = a.lock_at - b.lock_at + self.rng.uniform(-1.0, 1.0) * max(a.hold, b.hold, 0.05)
        outcomes = drive(commands, [max(0.0, -lag), max(0.0, lag)])
        both = _overlap(outcomes)
        if both:
            tally.notes["runs where both held the lock file open at once"] += 1
        must, may, bad = set(), set(), []
        for article, out, wait in zip(pair, outcomes, waits, strict=True):
            if out.killed:
                may.add(article.graph)
                tally.kills += 1
                tally.phases[out.kill_phase or "?"] += 1
            elif out.rc == 0:
                must.add(article.graph)
                if both and wait != "0":
                    tally.notes["writers that waited for the other, then wrote"] += 1
            elif out.rc == 1 and _one_busy_line(out.stderr):
                tally.notes[f"one-line busy errors (lock wait {wait} s)"] += 1
            else:
                late = " (timed out)" if out.timed_out else ""
                bad.append(f"ingest {article.name} (lock wait {wait} s): {out.brief()}{late}")
            if out.missed:
                tally.notes["planned kills that came after the command ended"] += 1
        if bad:
            self.fail(case, run, "a writer failed, and not with 'busy'", bad, store)
            return
        full = self.states[-1]
        candidates = {
            "+".join(sorted(self.label(g) for g in chosen)) or "nothing": restrict(full, chosen)
            for chosen in _between(must, must | may)
        }
        if problems := self.after_kill(store, candidates):
            self.fail(case, run, "after two writers", problems, store)
            return
        killed = victim is not None and outcomes[victim].killed
        if killed:
            tally.survived += 1
        for article in pair:
            if article.graph not in must:
                out = self.run(self.ingest_argv(store, article), store)
                if out.rc != 0:
                    self.fail(case, run, f"re-run of {article.name} failed", [out.brief()], store)
                    return
                must.add(article.graph)
        expected = restrict(full, must)
        if problems := judge(dump(store), {"expected": expected}, self.label):
            self.fail(case, run, "the re-runs are not byte-identical", problems, store)
        elif killed:
            tally.identical += 1

    # --- the report ------------------------------------------------------------------------

    def rows(self, cases: Sequence[str]) -> list[Tally]:
        shown = [self.tallies[c] for c in cases]
        if "sequence" in cases and not self.args.no_reader:
            shown.append(self.tallies["reader"])
        return shown

    def rerun_command(self, cases: Sequence[str], out: bool = False) -> str:
        args = self.args
        words = [".venv/bin/python -m bench.kill9", f"--seconds {args.seconds:g}"]
        words.append(f"--seed {args.seed}")
        if args.articles_given:
            words.append("--articles " + " ".join(_shown(p) for p in args.articles))
        if tuple(cases) != CASES:
            words.append(f"--cases {','.join(cases)}")
        if out and args.out:
            words.append(f"--out {_shown(args.out.resolve())}")
        return " ".join(words)

    def report(self, cases: Sequence[str], total: float) -> str:
        args = self.args
        load = os.getloadavg()
        lines = [
            "# kill -9 campaign",
            "",
            f"`{self.rerun_command(cases, out=True)}` (what `make kill9` runs), "
            f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {total:.0f} s of a "
            f"{args.seconds:g} s budget ({self.reference_seconds:.0f} s of it building the "
            f"reference), seed {args.seed}, {os.cpu_count()} CPUs (load {load[0]:.1f} at the "
            f"end), Python {platform.python_version()}, pyoxigraph {ox.__version__}. The seed "
            "fixes which commands are killed and the delays; where a kill lands also depends "
            "on the machine's speed and load.",
            "",
            "| case | runs | kills | survived | byte-identical re-runs | failures | time (s) "
            "| seed | rerun |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for tally in self.rows(cases):
            reader = tally.case == "reader"
            only = ["sequence" if reader else tally.case]
            lines.append(
                f"| {tally.case} | {tally.runs} | {'–' if reader else tally.kills} "
                f"| {tally.survived} | {'–' if reader else tally.identical} | {tally.failures} "
                f"| {'(in sequence)' if reader else f'{tally.seconds:.0f}'} | {args.seed} "
                f"| `{self.rerun_command(only)}` |"
            )
        lines += [
            "",
            "*runs*: runs of the case (for `reader`: reads). *kills*: commands that a SIGKILL "
            "reached while alive (for `update-timeout`: updates the command's own deadline "
            "stopped). *survived*: kills after which the store opened read-only and for "
            "writing, unchanged by the opening, and held whole article graphs only, none lost "
            "(for `reader`: reads that succeeded and equalled a state of the reference). "
            "*byte-identical re-runs*: kills after which re-running the command gave a dump "
            "byte-identical to the reference's.",
            "",
            "## What was seen",
            "",
            *[f"- {note}" for note in self.notes],
        ]
        for tally in self.rows(cases):
            parts = [f"{n} {phase}" for phase, n in sorted(tally.phases.items())]
            parts += [f"{n} {note}" for note, n in sorted(tally.notes.items())]
            if parts:
                lines.append(f"- `{tally.case}`: " + "; ".join(parts) + ".")
        lines += [
            "- Where kills landed: *before the store* (starting, loading spaCy, extracting), "
            "*locking* (the lock file open, the store not yet), *store open* (Oxigraph's files "
            "open, the log not yet grown: opening, a query's trial run and SHACL check), "
            "*store open, written* (the log has grown: writing, flushing, closing), *after the "
            "store* (closed, the process exiting).",
            "",
            "## Failures",
            "",
        ]
        if not self.failures:
            lines.append("None.")
        for failure in self.failures:
            lines.append(f"- `{failure.case}` run {failure.run}: {failure.what}")
            lines += [f"  - {detail}" for detail in failure.details]
            if failure.kept:
                lines.append(f"  - the store is kept in `{failure.kept}`")
            only = ["sequence" if failure.case == "reader" else failure.case]
            lines.append(f"  - rerun: `{self.rerun_command(only)}`")
        return "\n".join(lines) + "\n"


class Reader:
    """``deals --format json`` again and again, in a thread, while a sequence run writes."""

    def __init__(self, campaign: Campaign, store: Path) -> None:
        self.campaign = campaign
        self.store = store
        self.stopping = threading.Event()
        self.rng = random.Random(campaign.args.seed)  # its own, so the writers' draws stay put
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def loop(self) -> None:
        campaign = self.campaign
        tally = campaign.tallies["reader"]
        argv = campaign.command(self.store, "deals", "--format", "json")
        while not self.stopping.wait(self.rng.uniform(0.05, 0.5)):
            out = campaign.run(argv, self.store)
            tally.runs += 1
            if out.rc == 0 and _normal(out.stdout) in campaign.views:
                tally.survived += 1
            elif out.rc == 1 and _one_busy_line(out.stderr):
                tally.notes["one-line busy errors"] += 1
            elif out.rc == 0:
                what = "a read matches no state of the reference"
                campaign.fail("reader", tally.runs, what, [_head(out.stdout)], None)
            else:
                campaign.fail("reader", tally.runs, "a read failed", [out.brief()], None)


def _shown(path: Path) -> str:
    """A path as the report shows it: from the repository's root, where it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _normal(text: str) -> str:
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except json.JSONDecodeError:
        return "not JSON: " + text[:200]


def _head(text: str) -> str:
    return " ".join(text.split())[:300]


def _said(out: Outcome) -> str:
    lines = [line.strip() for line in out.stderr.splitlines() if line.strip()]
    if not lines:
        return f"nothing (exit {out.rc})"
    return f"{lines[-1]!r}" + (f" (after {len(lines) - 1} other lines)" if len(lines) > 1 else "")


def _one_busy_line(stderr: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("error: store ") and "busy" in lines[0]


def _overlap(outcomes: Sequence[Outcome]) -> bool:
    """Whether both commands were seen holding the lock file open at once (so one of them
    waited for the other, or gave up)."""
    spans = [
        (o.started + o.lock_at, o.started + (o.released_at or o.seconds))
        for o in outcomes
        if o.lock_at is not None
    ]
    return len(spans) == 2 and max(s for s, _ in spans) < min(e for _, e in spans)


def _between(must: set[str], most: set[str]) -> list[set[str]]:
    """Every set holding ``must`` and held in ``most``."""
    optional = sorted(most - must)
    return [
        must | set(extra) for k in range(len(optional) + 1) for extra in combinations(optional, k)
    ]


def _mean(values: Iterable[float]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.kill9", description="kill -9 campaign against the embedded store"
    )
    parser.add_argument("--seconds", type=float, default=300.0, help="time budget, all in")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--articles", nargs="+", type=Path, help="default: samples/*.txt, tests/data/corpus/dev"
    )
    parser.add_argument("--date", default=DEFAULT_DATE, help="for articles with no gold date")
    parser.add_argument("--cases", default=",".join(CASES), help=f"of {', '.join(CASES)}")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per command")
    parser.add_argument("--no-reader", action="store_true", help="no reader in sequence runs")
    parser.add_argument("--out", type=Path, help="write the Markdown report here too")
    parser.add_argument("--json", type=Path, help="write the tallies as JSON here")
    parser.add_argument("--workdir", type=Path, help="for the stores; default: a temporary one")
    parser.add_argument("--keep", action="store_true", help="keep the stores (kept on failure)")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if unknown := [c for c in cases if c not in CASES]:
        parser.error(f"--cases: unknown {', '.join(unknown)}; use {', '.join(CASES)}")
    cases = [c for c in CASES if c in cases]
    args.articles_given = args.articles is not None
    args.articles = [p.resolve() for p in (args.articles or default_articles())]
    if missing := [str(p) for p in args.articles if not p.is_file()]:
        parser.error(f"--articles: no such file {', '.join(missing)}")
    if len(args.articles) < 2:
        parser.error("--articles: give at least two (the writers case ingests two at once)")
    os.environ["POLICYGRAPH_LOCK_WAIT"] = LOCK_WAIT  # for the checks' own opens too
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="kill9-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    campaign = Campaign(args, workdir)
    try:
        campaign.reference()
    except (NoReference, OSError, RuntimeError) as error:
        print(f"kill9: cannot build the reference: {error}", file=sys.stderr)
        return 2
    campaign.campaign(cases)
    text = campaign.report(cases, time.monotonic() - campaign.begin)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    if args.json:
        payload = {
            "seed": args.seed,
            "seconds": round(time.monotonic() - campaign.begin, 1),
            "cases": [tally.as_json() for tally in campaign.rows(cases)],
            "failures": [vars(failure) for failure in campaign.failures],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if campaign.failures:
        print(
            f"kill9: {len(campaign.failures)} failures; stores kept in {workdir}", file=sys.stderr
        )
        return 1
    if not args.keep and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
