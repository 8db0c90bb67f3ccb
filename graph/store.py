"""Stage 4: the quad store, embedded Oxigraph on disk or any SPARQL 1.1 server.

Both kinds answer the same calls and return the same ``Table``. Every article is one named
graph, written by ``replace_graphs`` in a single update, so an ingest is all or nothing and
re-ingesting an article replaces its graph instead of adding to it.

An Oxigraph directory has one writer at a time. Readers (the dashboard, ``deals``, ``query``)
open it read-only, which never waits for the writer and sees the store as it was when opened;
``version()`` changes when a writer commits, so a reader knows when to re-open.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import httpx
import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Identifier

from graph.errors import InputError, StoreError
from graph.queries import check_federation, syntax_error
from graph.vocab import PREFIXES

Mode = TypingLiteral["read", "write"]
Binding = URIRef | Literal
QUERY_TIMEOUT = 60.0


@dataclass(frozen=True)
class Cell:
    """One value of a result row, as in the SPARQL JSON results format."""

    kind: str  # "uri" | "literal" | "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_python(self) -> Any:
        """The plain Python value: numbers and booleans typed, everything else a string."""
        if self.kind == "literal" and self.datatype:
            local = self.datatype.rsplit("#", 1)[-1]
            try:
                if local in {"integer", "int", "long", "nonNegativeInteger", "positiveInteger"}:
                    return int(self.value)
                if local in {"decimal", "double", "float"}:
                    return float(self.value)
                if local == "boolean":
                    return self.value == "true"
            except ValueError:
                return self.value
        return self.value


@dataclass(frozen=True)
class Table:
    """The result of a SELECT: column names and rows (a missing binding is ``None``)."""

    columns: list[str]
    rows: list[dict[str, Cell | None]]

    def values(self) -> list[dict[str, Any]]:
        """Rows as plain Python values."""
        return [
            {c: (cell.to_python() if (cell := row.get(c)) else None) for c in self.columns}
            for row in self.rows
        ]

    @classmethod
    def from_json(cls, payload: Mapping[str, Any]) -> Table:
        """Read the W3C SPARQL 1.1 JSON results format."""
        columns = list(payload.get("head", {}).get("vars", []))
        rows = []
        for binding in payload.get("results", {}).get("bindings", []):
            row: dict[str, Cell | None] = {}
            for column in columns:
                term = binding.get(column)
                row[column] = (
                    Cell(
                        "literal" if term["type"] == "typed-literal" else term["type"],
                        term["value"],
                        term.get("datatype"),
                        term.get("xml:lang"),
                    )
                    if term
                    else None
                )
            rows.append(row)
        return cls(columns, rows)


def prefix_block() -> str:
    """The PREFIX declarations of every namespace in ``graph.vocab``, on one line (so a
    server's error positions are off by one line only)."""
    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _bind(query: str, bindings: Mapping[str, Binding]) -> str:
    """The query with its bound values as a ``VALUES`` block opening its WHERE clause.

    The SPARQL 1.1 Protocol has no bindings, so values are written into the query, as RDF
    terms serialised by rdflib (escaped; an IRI that cannot be written is refused). At the
    start of WHERE they restrict the pattern as pyoxigraph's substitutions do, before any
    grouping, so a stored query answers the same on both kinds of store.
    """
    if not bindings:
        return query
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_sparql_term(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    for match in _WHERE.finditer(query):
        line_start = query.rfind("\n", 0, match.start()) + 1
        if "#" not in query[line_start : match.start()]:
            return query[: match.end()] + block + query[match.end() :]
    raise InputError("a bound query needs a WHERE clause")


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _sparql_term(term: Binding) -> str:
    """A bound value as SPARQL text. A literal is written here, on one line with every
    backslash, quote and line break escaped (rdflib's ``n3()`` leaves the last quote of a
    multi-line literal ending in ``\\"`` unescaped, which would let a value end the
    string early); an IRI rdflib cannot write safely is refused."""
    if isinstance(term, URIRef):
        try:
            return term.n3()
        except Exception as error:  # rdflib refuses IRIs with spaces, quotes, braces
            raise InputError(f"{str(term)!r}: not an IRI that can be bound ({error})") from None
    text = f'"{str(term).translate(_ESCAPES)}"'
    if term.language:
        if not _LANGUAGE_TAG.fullmatch(term.language):
            raise InputError(f"{term.language!r}: not a language tag")
        return f"{text}@{term.language}"
    if term.datatype is not None:
        return f"{text}^^{_sparql_term(URIRef(term.datatype))}"
    return text


def graph_to_ntriples(graph: Graph) -> str:
    """Serialise a graph as N-Triples, the form both kinds of store take in INSERT DATA."""
    return graph.serialize(format="nt")


@dataclass(frozen=True)
class Changed:
    """A named graph to write: its name, its triples as N-Triples (what is written), and the
    same as an rdflib graph (what is validated and compared)."""

    name: URIRef
    ntriples: str
    graph: Graph

    @classmethod
    def of(cls, graph: Graph) -> Changed:
        if not isinstance(graph.identifier, URIRef):
            raise ValueError("an article graph must be named by an IRI")
        return cls(graph.identifier, graph_to_ntriples(graph), graph)


def _log_text(log: Graph | None) -> list[str]:
    """The update that adds a change log's records to its named graph (none if no log)."""
    if log is None or not len(log):
        return []
    name = URIRef(log.identifier)
    return [f"INSERT DATA {{ GRAPH {name.n3()} {{\n{graph_to_ntriples(log)}}} }}"]


def _insert_text(items: Iterable[tuple[URIRef, str]]) -> str:
    parts = []
    for name, body in items:
        parts.append(
            f"DROP SILENT GRAPH {name.n3()} ;\nINSERT DATA {{ GRAPH {name.n3()} {{\n{body}}} }}"
        )
    return " ;\n".join(parts)


class Store:
    """What policygraph needs from a quad store."""

    location: str
    mode: Mode = "write"
    # the endpoints a query's SERVICE clauses may reach: none unless the user names them
    allow_service: tuple[str, ...] = ()

    def guard(self, text: str) -> None:
        """Refuse SPARQL whose SERVICE clauses would reach a host the user did not allow."""
        check_federation(text, self.allow_service, PREFIXES)

    def select(
        self, query: str, bindings: Mapping[str, Binding] | None = None, limit: int | None = None
    ) -> Table:
        """Run a SELECT (or ASK, as one row with column ``ask``) over all graphs; only its
        first ``limit`` rows if a limit is given."""
        raise NotImplementedError

    def rows(
        self, query: str, bindings: Mapping[str, Binding] | None = None
    ) -> tuple[list[str], Iterator[dict[str, Cell | None]]]:
        """A SELECT's columns and its rows one by one (an ASK as one row, ``ask``); an
        embedded store computes each row only when it is taken."""
        table = self.select(query, bindings)
        return table.columns, iter(table.rows)

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 update, all or nothing."""
        raise NotImplementedError

    def replace_graphs(self, graphs: list[Graph], log: Graph | None = None) -> None:
        """Replace each named graph by the given one, in one transaction; ``log``'s triples
        (the change log's records of this write) are added to its graph in the same one."""
        self.write_changed([Changed.of(graph) for graph in graphs], log)

    def drop_graphs(self, names: list[str], log: Graph | None = None) -> None:
        """Remove named graphs (and add ``log`` to its graph), in one transaction."""
        if names:
            drops = [f"DROP SILENT GRAPH {_sparql_term(URIRef(n))}" for n in names]
            self.update(" ;\n".join(drops + _log_text(log)))

    def write_changed(self, changed: list[Changed], log: Graph | None = None) -> None:
        """Replace each named graph by its new N-Triples (and add ``log`` to its graph), in one
        transaction."""
        if changed:
            self.update(
                " ;\n".join([_insert_text((c.name, c.ntriples) for c in changed), *_log_text(log)])
            )

    def graph_triples(self, name: str) -> Graph:
        """The triples of one named graph, as rdflib terms (an empty graph if there is none)."""
        query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        table = self.select(query, {"g": URIRef(name)})
        graph = Graph(identifier=URIRef(name))
        for row in table.rows:
            graph.add(tuple(_to_rdflib(row[c]) for c in ("s", "p", "o")))  # type: ignore[arg-type]
        return graph

    def graph_names(self) -> list[str]:
        """The names of every named graph."""
        table = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [row["g"].value for row in table.rows if row["g"]]

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, URIRef]]:
        """Every quad of every named graph, as rdflib terms."""
        table = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for row in table.rows:
            s, p, o, g = (_to_rdflib(row[c]) for c in ("s", "p", "o", "g"))
            yield s, p, o, g  # type: ignore[misc]

    def snapshot(self) -> ox.Store:
        """An in-memory copy of every named graph, to try an update on before it is written."""
        copy = ox.Store()
        copy.bulk_extend(
            ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
            for s, p, o, g in self.quads()
        )
        return copy

    def version(self) -> str:
        """A token that changes whenever a write is committed."""
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return str(table.rows[0]["n"].value if table.rows and table.rows[0]["n"] else 0)

    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _to_rdflib(cell: Cell | None) -> Identifier | None:
    if cell is None:
        return None
    if cell.kind == "uri":
        return URIRef(cell.value)
    if cell.kind == "bnode":
        return BNode(cell.value)
    return Literal(
        cell.value, lang=cell.lang, datatype=URIRef(cell.datatype) if cell.datatype else None
    )


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return _to_oxigraph(term)  # type: ignore[arg-type]


def _to_oxigraph(term: Binding) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class DirectoryLock:
    """A readers–writer lock beside an Oxigraph directory (``<dir>.lock``, with ``flock``).

    Oxigraph allows one writer per directory, and opening it read-only while another process
    writes is undefined behaviour. So writers hold this lock exclusively from open to close,
    and readers hold it shared for as long as their read-only view is open: a reader never
    sees a write in progress, and a writer waits (up to ``wait`` seconds) for readers to let
    go instead of failing at once.
    """

    def __init__(self, directory: Path, exclusive: bool, wait: float) -> None:
        # the resolved path: a store reached through a symbolic link shares its lock
        directory = directory.resolve()
        self.path = directory.with_name(directory.name + ".lock")
        self.exclusive = exclusive
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait`` seconds; raise ``StoreError`` if still busy."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(
                f"store {self.path.with_suffix('')}: cannot create its lock file {self.path} "
                f"({error.strerror})"
            ) from None
        flag = (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, flag)
                self._fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    doing = "writing to" if not self.exclusive else "using"
                    raise StoreError(
                        f"store {self.path.with_suffix('')}: busy, another process is {doing} "
                        "it; try again when it has finished"
                    ) from None
                time.sleep(0.05)

    def release(self) -> None:
        """Let go of the lock."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _seconds(variable: str, default: float, zero: bool) -> float:
    """A number of seconds from an environment variable, or ``InputError`` naming it."""
    value = os.environ.get(variable, str(default))
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    allowed = seconds >= 0 if zero else seconds > 0  # NaN is neither
    if not allowed or seconds == float("inf"):
        bound = "0 or more" if zero else "over 0"
        raise InputError(f"{variable} {value!r}: not a number of seconds ({bound})")
    return seconds


def lock_wait() -> float:
    """How long to wait for a busy store: ``POLICYGRAPH_LOCK_WAIT`` seconds, default 15."""
    return _seconds("POLICYGRAPH_LOCK_WAIT", 15, zero=True)


class EmbeddedStore(Store):
    """Oxigraph on disk (or in memory when ``path`` is None), queried in-process.

    Open it for as short a time as the work needs: a reader holds the directory's shared lock
    and a writer its exclusive lock until ``close()``.
    """

    def __init__(self, path: Path | None = None, mode: Mode = "write") -> None:
        self.path = path
        self.mode = mode
        self.location = str(path) if path else ":memory:"
        self._lock: DirectoryLock | None = None
        if path is not None and (path.exists() or path.is_symlink()) and not path.is_dir():
            what = "a symbolic link to nothing" if not path.exists() else "a file"
            raise StoreError(f"store {path}: is {what}, not a store directory")
        if path is None or (mode == "read" and not (path / "CURRENT").exists()):
            self._store = ox.Store()  # in memory, or nothing ingested yet: an empty store
            return
        if mode == "write":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"store {path}: cannot create it ({error.strerror})") from None
        self._lock = DirectoryLock(path, exclusive=mode == "write", wait=lock_wait())
        self._lock.acquire()
        try:
            if mode == "write" and not (path / "CURRENT").exists():
                _create(path)
            self._store = _open_read_only(path) if mode == "read" else ox.Store(str(path))
        except (OSError, RuntimeError) as error:
            self._lock.release()
            if "lock" in str(error).lower():
                raise StoreError(
                    f"store {path}: busy, another program holds it open for writing; "
                    "try again when it has finished"
                ) from None
            raise StoreError(f"store {path}: cannot open ({_one_line(error)})") from None

    def select(
        self, query: str, bindings: Mapping[str, Binding] | None = None, limit: int | None = None
    ) -> Table:
        if limit is not None:  # only as many rows as are wanted are ever computed
            columns, rows = self.rows(query, bindings)
            return Table(columns, list(itertools.islice(rows, limit)))
        result = self._query(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return Table(["ask"], [_ask_row(result)])
        try:  # the solutions are computed lazily, so evaluation errors surface here
            payload = result.serialize(format=ox.QueryResultsFormat.JSON)
        except (OSError, RuntimeError, ValueError) as error:
            raise StoreError(f"store {self.location}: query failed ({_one_line(error)})") from None
        return Table.from_json(json.loads(payload or b"{}"))

    def _query(
        self, query: str, bindings: Mapping[str, Binding] | None
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """Start a SELECT or ASK (guarded, bound), refusing CONSTRUCT and DESCRIBE."""
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_oxigraph(v) for k, v in (bindings or {}).items()
        }
        self.guard(query)
        try:
            result = self._store.query(query, prefixes=PREFIXES, substitutions=substitutions)
        except SyntaxError as error:
            raise syntax_error(query, str(error)) from None
        except (OSError, RuntimeError, ValueError) as error:
            raise StoreError(f"store {self.location}: query failed ({_one_line(error)})") from None
        if isinstance(result, ox.QueryTriples):
            raise InputError("this command takes SELECT or ASK queries, not CONSTRUCT/DESCRIBE")
        return result

    def rows(
        self, query: str, bindings: Mapping[str, Binding] | None = None
    ) -> tuple[list[str], Iterator[dict[str, Cell | None]]]:
        result = self._query(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return ["ask"], iter([_ask_row(result)])
        columns = [v.value for v in result.variables]

        def each() -> Iterator[dict[str, Cell | None]]:
            try:
                for solution in result:
                    yield {c: _ox_cell(solution[c]) for c in columns}
            except (OSError, RuntimeError, ValueError) as error:
                raise StoreError(
                    f"store {self.location}: query failed ({_one_line(error)})"
                ) from None

        return columns, each()

    def update(self, update: str) -> None:
        if self.mode == "read":
            raise StoreError(f"store {self.location}: opened read-only")
        self.guard(update)
        try:
            self._store.update(update, prefixes=PREFIXES)
        except SyntaxError as error:
            raise syntax_error(update, str(error)) from None
        except (OSError, RuntimeError) as error:
            # RuntimeError: the update parsed but failed (CREATE GRAPH of an existing graph, …)
            raise StoreError(f"store {self.location}: update failed ({_one_line(error)})") from None
        self._store.flush()

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, URIRef]]:
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue
            yield (
                _ox_to_rdflib(quad.subject),
                _ox_to_rdflib(quad.predicate),
                _ox_to_rdflib(quad.object),
                URIRef(quad.graph_name.value),
            )  # type: ignore[misc]

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def graph_triples(self, name: str) -> Graph:
        graph = Graph(identifier=URIRef(name))
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            terms = (quad.subject, quad.predicate, quad.object)
            graph.add(tuple(_ox_to_rdflib(term) for term in terms))  # type: ignore[arg-type]
        return graph

    def snapshot(self) -> ox.Store:
        copy = ox.Store()
        copy.bulk_extend(
            q
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        )
        return copy

    def version(self) -> str:
        if self.path is None or not self.path.exists():
            return super().version()
        return directory_version(self.path)

    def close(self) -> None:
        if not hasattr(self, "_store"):
            return
        if self.mode == "write":
            self._store.flush()
        del self._store  # closes the database before the lock is let go
        if self._lock is not None:
            self._lock.release()


def directory_version(path: Path) -> str:
    """A token of an Oxigraph directory that changes whenever a write is committed.

    It is read from the directory listing (names, sizes and times of the write-ahead log,
    tables and manifest), so it costs no open and takes no lock.
    """
    stats = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.name.endswith((".log", ".sst")) or entry.name.startswith("MANIFEST"):
                try:
                    info = entry.stat()
                except FileNotFoundError:  # a writer's compaction removed it as we listed
                    continue
                stats.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(sorted(stats))


def _create(path: Path) -> None:
    """Create a new store at ``path`` all at once, under the writer's lock: Oxigraph builds it
    in a hidden sibling folder, which is then renamed into place, so a kill during the
    creation leaves either no store or a whole empty one (never the ``CURRENT`` file without
    all of Oxigraph's tables, which readers cannot open). A folder that already holds other
    files is left to Oxigraph, as before."""
    if path.is_dir() and any(path.iterdir()):
        return
    for stale in path.parent.glob(f".{path.name}.creating-*"):  # from a creation killed
        shutil.rmtree(stale, ignore_errors=True)
    building = path.with_name(f".{path.name}.creating-{os.getpid()}")
    store = ox.Store(str(building))
    store.flush()
    del store
    os.replace(building, path)  # onto nothing or an empty folder: one atomic rename


# what Oxigraph says of a store whose creation was killed: tables missing, or its version
# never written (which a read-only open then tries to write)
_CREATION_KILLED = ("Column family not found", "Inserts are only possible on read-write")


def _open_read_only(path: Path, attempts: int = 5) -> ox.Store:
    """Open read-only, retrying: a writer's compaction may delete a file the opener just
    listed. A store whose creation was killed before every table existed (made by an
    earlier policygraph, or by another program) holds nothing committed: it reads as empty."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            if any(sign in str(error) for sign in _CREATION_KILLED):
                return ox.Store()
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _ox_to_rdflib(term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _STRING:
        return Literal(term.value)  # a simple literal, as rdflib and SPARQL JSON results have it
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_BOOL = str(XSD.boolean)
_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _ask_row(result: ox.QueryBoolean) -> dict[str, Cell | None]:
    return {"ask": Cell("literal", str(bool(result)).lower(), _BOOL)}


def _ox_cell(term: Any) -> Cell | None:
    """An Oxigraph term as a result cell, as the SPARQL JSON results format has it."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = datatype in {_STRING, _LANG_STRING}
        return Cell("literal", term.value, None if plain else datatype, term.language)
    return Cell("literal", str(term))  # an RDF-star triple, shown as written


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


class RemoteStore(Store):
    """Any SPARQL 1.1 server, spoken to over the SPARQL 1.1 Protocol.

    ``url`` is the query endpoint (``http://host:7878/query``, Fuseki's ``…/ds/query`` or
    ``…/ds/sparql``) or the server root (``http://host:7878``: ``/query`` and ``/update`` are
    used). The update endpoint is the query URL with its last segment ``query`` or ``sparql``
    replaced by ``update``, unless ``update_url`` is given.
    """

    def __init__(self, url: str, update_url: str | None = None, mode: Mode = "write") -> None:
        url = url.rstrip("/")
        path = httpx.URL(url).path.rstrip("/")
        if path in {"", "/"}:
            self.query_url, default_update = url + "/query", url + "/update"
        else:
            head, _, last = url.rpartition("/")
            default_update = head + "/update" if last in {"query", "sparql"} else url
            self.query_url = url
        self.update_url = update_url or default_update
        self.location = url
        self.mode = mode
        self.timeout = http_timeout()
        self._client = httpx.Client(timeout=self.timeout)

    def select(
        self, query: str, bindings: Mapping[str, Binding] | None = None, limit: int | None = None
    ) -> Table:
        text = _bind(query, bindings or {})
        self.guard(text)
        response = self._post(
            self.query_url,
            {"query": prefix_block() + text},
            "application/sparql-results+json",
            text,
        )
        payload = response.json()
        if "boolean" in payload:
            value = "true" if payload["boolean"] else "false"
            return Table(["ask"], [{"ask": Cell("literal", value, _BOOL)}])
        table = Table.from_json(payload)
        return table if limit is None else Table(table.columns, table.rows[:limit])

    def update(self, update: str) -> None:
        if self.mode == "read":
            raise StoreError(f"store {self.location}: opened read-only")
        self.guard(update)
        self._post(self.update_url, {"update": prefix_block() + update}, "*/*", update)

    def write_changed(self, changed: list[Changed], log: Graph | None = None) -> None:
        """Replace each named graph by its new N-Triples (and add ``log``), in one update; when
        the server takes the update but gives no answer in time, look whether the graphs are
        there now before saying anything: a write that landed is no failure, and one that may
        still land is reported as unknown, never as failed."""
        if not changed:
            return
        try:
            self.update(
                " ;\n".join([_insert_text((c.name, c.ntriples) for c in changed), *_log_text(log)])
            )
        except NoAnswer:
            landed = self._holds([c.graph for c in changed])
            if landed:
                return
            seen = "could not be checked either" if landed is None else "is not in the store yet"
            raise StoreError(
                f"store {self.update_url}: outcome unknown: no answer within "
                f"{self.timeout:g} s, and the write {seen}; the server may still apply it. "
                "Check with `policygraph articles`, or run the same ingest again: it replaces "
                "the articles' graphs, never adds to them"
            ) from None

    def _holds(self, graphs: list[Graph]) -> bool | None:
        """Whether the store holds exactly these graphs (None if it cannot be asked)."""
        try:
            for graph in graphs:
                stored = self.graph_triples(str(graph.identifier))
                if not isomorphic(as_stored(stored), as_stored(graph)):
                    return False
        except StoreError:
            return None
        return True

    def _post(self, url: str, form: dict[str, str], accept: str, text: str) -> httpx.Response:
        """POST ``form``, whose SPARQL is ``text`` after the one line of ``prefix_block``."""
        try:
            response = self._client.post(url, data=form, headers={"Accept": accept})
        except (httpx.ReadTimeout, httpx.WriteTimeout) as error:
            # the request went out: the server may have done it, or may do it yet
            raise NoAnswer(f"store {url}: no answer within {self.timeout:g} s ({error})") from None
        except httpx.HTTPError as error:
            raise StoreError(f"store {url}: unreachable ({_one_line(error)})") from None
        if response.status_code == 400:
            if re.match(r"\s*error at \d+:\d+:", response.text):  # Oxigraph's parser
                raise syntax_error(text, response.text, line_offset=1)
            raise InputError(f"SPARQL rejected by {url}: {_one_line(Exception(response.text))}")
        if response.status_code >= 300:
            raise StoreError(
                f"store {url}: HTTP {response.status_code} ({_one_line(Exception(response.text))})"
            )
        return response

    def close(self) -> None:
        self._client.close()


def trial_update(store: Store, update: str) -> list[Changed]:
    """The named graphs a SPARQL update would change, each as it would be after the update,
    found by running it on an in-memory copy of the store: nothing is written.

    The new triples are written out from the copy's own terms, so a literal keeps exactly
    the form the update gave it (rdflib would normalise "2024-01-01+00:00"^^xsd:date);
    rdflib's graph of them is for the SHACL check only. policygraph keeps the default graph
    empty, so an update that would write there is refused.
    """
    if store.mode == "read":
        raise StoreError(f"store {store.location}: opened read-only")
    store.guard(update)
    copy = store.snapshot()
    before = set(copy.quads_for_pattern(None, None, None, None))
    try:
        copy.update(update, prefixes=PREFIXES)
    except SyntaxError as error:
        raise syntax_error(update, str(error)) from None
    except (OSError, RuntimeError, ValueError) as error:
        raise StoreError(f"store {store.location}: update failed ({_one_line(error)})") from None
    changed_names = {quad.graph_name for quad in before.symmetric_difference(copy)}
    if any(isinstance(name, ox.DefaultGraph) for name in changed_names):
        raise InputError(
            "update: it writes to the default graph, which policygraph keeps empty; "
            "write inside GRAPH <…> { … }, a named graph"
        )
    if any(isinstance(name, ox.BlankNode) for name in changed_names):
        raise InputError("update: a graph named by a blank node; name each graph by an IRI")
    changed = []
    names = [n for n in changed_names if isinstance(n, ox.NamedNode)]
    for number, name in enumerate(sorted(names, key=lambda n: n.value)):
        lines, graph = [], Graph(identifier=URIRef(name.value))
        for quad in copy.quads_for_pattern(None, None, None, name):
            terms = (quad.subject, quad.predicate, quad.object)
            if any(isinstance(term, ox.Triple) for term in terms):
                raise InputError("update: RDF-star triple terms are not supported")
            # each graph's blank nodes get labels of their own: INSERT DATA may not share one
            # between two graphs, and within the store they are distinct nodes anyway
            lines.append(" ".join(_nt(term, number) for term in terms) + " .")
            graph.add(tuple(_ox_to_rdflib(term) for term in terms))  # type: ignore[arg-type]
        changed.append(Changed(URIRef(name.value), "\n".join(lines) + "\n" if lines else "", graph))
    return changed


def _nt(term: Any, graph_number: int) -> str:
    """An Oxigraph term in N-Triples, a blank node relabelled for its graph."""
    if isinstance(term, ox.BlankNode):
        return f"_:g{graph_number}x{term.value}"
    return str(term)


class NoAnswer(StoreError):
    """A server took a request and gave no answer in time: what it did is unknown."""


def http_timeout() -> float:
    """How long to wait for a SPARQL server's answer: ``POLICYGRAPH_HTTP_TIMEOUT`` seconds,
    default 60."""
    return _seconds("POLICYGRAPH_HTTP_TIMEOUT", QUERY_TIMEOUT, zero=False)


_INTEGERS = {
    str(XSD[name])
    for name in (
        "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}  # fmt: skip


def as_stored(graph: Graph) -> Graph:
    """A graph as a SPARQL server gives it back: integer subtypes read as xsd:integer (the
    form Oxigraph keeps them in), so a graph compares equal to what was written."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) in _INTEGERS:
            o = Literal(str(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out


def open_store(location: str | None, mode: Mode = "write") -> Store:
    """Open the store at a directory path, an ``http(s)://`` SPARQL endpoint, or in memory."""
    if location is None or location == ":memory:":
        return EmbeddedStore(None, mode)
    if location.startswith(("http://", "https://")):
        try:
            return RemoteStore(location, os.environ.get("POLICYGRAPH_UPDATE_URL"), mode)
        except httpx.InvalidURL as error:
            raise InputError(f"store {location!r}: not a valid URL ({error})") from None
    return EmbeddedStore(Path(location), mode)
