"""The quad store: the same behaviour embedded (in memory and on disk) and over HTTP.

The ``store`` fixture runs each behaviour test on an in-memory ``EmbeddedStore``, one in a temp
directory, and a ``RemoteStore`` talking to a real ``oxigraph serve`` on loopback (marked
``server``). Behaviour only embedded Oxigraph has (the writer lock, read-only snapshots) is
tested on a directory, with a second process where the user would meet it.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from rdflib import RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import InputError, PolicyGraphError, StoreError
from graph.model import Extraction
from graph.queries import load
from graph.rdf import article_graph_iri, to_graph
from graph.store import EmbeddedStore, RemoteStore, Store, open_store
from graph.vocab import STATUS, actor_iri, deal_iri

ROOT = Path(__file__).resolve().parents[1]
UK_TURKEY = deal_iri([str(actor_iri("country/GB")), str(actor_iri("country/TR"))])
UK_KURDISTAN = deal_iri([str(actor_iri("country/GB")), str(actor_iri("region/IQ-KR"))])
EVERY_QUAD = """
SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }
"""


@pytest.fixture(params=["memory", "disk", pytest.param("remote", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind."""
    opened: Store
    if request.param == "memory":
        opened = EmbeddedStore()
    elif request.param == "disk":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        opened = RemoteStore(request.getfixturevalue("oxigraph_server"))
        opened.update("DROP ALL")
    with opened:
        yield opened


def dump(store: Store) -> list[tuple[str, ...]]:
    """Every quad, the default graph's included, as sorted strings: a store's exact state."""
    table = store.select(EVERY_QUAD)
    return sorted(
        tuple(str(row[c].value) if row[c] else "" for c in ("s", "p", "o", "g"))
        for row in table.rows
    )


def count(store: Store, graph: URIRef | None = None) -> int:
    """How many quads the named graphs (or one of them) hold."""
    if graph is None:
        return int(store.select(COUNT_ALL).values()[0]["n"])
    # a bound variable must be projected, in both kinds of store (SEP-0007 / trailing VALUES)
    return int(store.select(COUNT_GRAPH, {"g": graph}).values()[0]["n"])


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def as_stored(term: Node) -> Node:
    """Oxigraph keeps every integer subtype (the offsets' xsd:nonNegativeInteger) as xsd:integer."""
    if isinstance(term, Literal) and term.datatype in INTEGER_SUBTYPES:
        return Literal(str(term), datatype=XSD.integer)
    return term


INTEGER_SUBTYPES = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}


def quads(graphs: list[Graph]) -> set[tuple[Node, Node, Node, Node]]:
    """The quads a store holds after writing ``graphs``."""
    return {(s, p, as_stored(o), g.identifier) for g in graphs for s, p, o in g}


def test_store_replace_graphs_writes_one_named_graph_per_article(
    store: Store, sample_extraction: Extraction, later_extraction: Extraction
) -> None:
    graphs = [to_graph(sample_extraction), to_graph(later_extraction)]

    store.replace_graphs(graphs)

    assert store.graph_names() == sorted(str(g.identifier) for g in graphs)
    for graph in graphs:
        assert count(store, graph.identifier) == len(graph)  # type: ignore[arg-type]
    assert set(store.quads()) == quads(graphs)


def test_store_rewriting_an_article_replaces_its_graph(
    store: Store, extraction_factory: Callable[..., Extraction]
) -> None:
    first = to_graph(extraction_factory())
    store.replace_graphs([first])
    before = count(store)

    store.replace_graphs([first])
    assert count(store) == before  # the same article twice: not duplicated

    suspended = to_graph(extraction_factory(status="suspended"))
    assert suspended.identifier == first.identifier
    store.replace_graphs([suspended])

    assert count(store) == before
    assert store.graph_names() == [str(first.identifier)]
    statuses = store.select("SELECT ?s WHERE { GRAPH ?g { ?c pg:status ?s } } ORDER BY ?s")
    assert [row["s"].value for row in statuses.rows] == [
        str(STATUS.negotiating),
        str(STATUS.suspended),
    ]
    assert set(store.quads()) == quads([suspended])


def test_store_select_with_bindings_returns_only_the_bound_deal(
    store: Store, sample_extraction: Extraction
) -> None:
    store.replace_graphs([to_graph(sample_extraction)])
    every = store.select("SELECT DISTINCT ?deal WHERE { GRAPH ?g { ?deal a pg:Deal } }")
    assert {row["deal"].value for row in every.rows} == {str(UK_TURKEY), str(UK_KURDISTAN)}

    one = store.select(load("deal-claims"), {"deal": UK_TURKEY})

    assert one.rows
    assert {row["deal"].value for row in one.rows} == {str(UK_TURKEY)}
    assert {row["status"].value for row in one.rows} == {"concluded"}


def test_store_select_binds_literals(store: Store, sample_extraction: Extraction) -> None:
    store.replace_graphs([to_graph(sample_extraction)])

    table = store.select(
        "SELECT ?actor ?iso WHERE { GRAPH ?g { ?actor pg:isoCode ?iso } }", {"iso": Literal("TR")}
    )

    assert [row["actor"].value for row in table.rows] == [str(actor_iri("country/TR"))]


@pytest.mark.parametrize("text", ["SELEC ?x WHERE { ?x ?y ?z }", "SELECT ?x WHERE { ?x ?y "])
def test_store_select_syntax_error_raises_input_error_in_one_line(store: Store, text: str) -> None:
    with pytest.raises(InputError) as raised:
        store.select(text)

    assert "\n" not in str(raised.value)
    assert "SPARQL" in str(raised.value)


@pytest.mark.parametrize("text", ["CONSTRUCT WHERE { GRAPH ?g { ?s ?p ?o } }", "DESCRIBE <urn:x>"])
def test_store_select_of_a_graph_query_is_refused_in_one_line(store: Store, text: str) -> None:
    # embedded: InputError naming SELECT/ASK; remote: the server's 406, as a StoreError
    with pytest.raises(PolicyGraphError) as raised:
        store.select(text)

    assert "\n" not in str(raised.value)


BAD_UPDATES = [
    pytest.param(
        "INSERT DATA { GRAPH <urn:x:new> { <urn:x:a> <urn:x:b> <urn:x:c> } } ; INSERT DATA {",
        InputError,
        id="syntax-error",
    ),
    pytest.param(
        "INSERT DATA { GRAPH <urn:x:new> { <urn:x:a> <urn:x:b> <urn:x:c> } } ;"
        " DROP GRAPH <urn:x:missing>",
        StoreError,
        id="fails-after-a-good-operation",
    ),
]


@pytest.mark.parametrize(("update", "error"), BAD_UPDATES)
def test_store_failed_update_leaves_store_as_it_was(
    store: Store, sample_extraction: Extraction, update: str, error: type[Exception]
) -> None:
    store.replace_graphs([to_graph(sample_extraction)])
    before = dump(store)

    with pytest.raises(error) as raised:
        store.update(update)

    assert "\n" not in str(raised.value)
    assert dump(store) == before
    # not a poisoned queue: the next good update still goes through
    store.update("INSERT DATA { GRAPH <urn:x:later> { <urn:x:a> <urn:x:b> <urn:x:c> } }")
    after = dump(store)
    assert len(after) == len(before) + 1
    assert ("urn:x:a", "urn:x:b", "urn:x:c", "urn:x:later") in after


def test_store_default_graph_is_not_the_union(store: Store, sample_extraction: Extraction) -> None:
    store.replace_graphs([to_graph(sample_extraction)])

    assert store.select("SELECT * WHERE { ?s ?p ?o }").rows == []
    assert store.select("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1").rows
    ask = store.select("ASK { GRAPH ?g { ?deal a pg:Deal } }")
    assert ask.values() == [{"ask": True}]


def test_store_version_changes_after_a_write(
    store: Store, sample_extraction: Extraction, later_extraction: Extraction
) -> None:
    empty = store.version()
    store.replace_graphs([to_graph(sample_extraction)])
    one = store.version()
    store.replace_graphs([to_graph(later_extraction)])

    assert len({empty, one, store.version()}) == 3


def test_store_open_store_picks_the_kind_from_the_location(tmp_path: Path) -> None:
    with open_store(None) as memory, open_store(str(tmp_path / "s")) as disk:
        assert isinstance(memory, EmbeddedStore) and memory.location == ":memory:"
        assert isinstance(disk, EmbeddedStore) and disk.path == tmp_path / "s"
    remote = open_store("http://127.0.0.1:9/ds/sparql")
    assert isinstance(remote, RemoteStore)
    assert remote.update_url == "http://127.0.0.1:9/ds/update"
    remote.close()


def test_store_remote_unreachable_raises_store_error() -> None:
    with RemoteStore("http://127.0.0.1:9") as remote, pytest.raises(StoreError) as raised:
        remote.select("ASK {}")

    assert "unreachable" in str(raised.value)
    assert "\n" not in str(raised.value)


# --- embedded Oxigraph on disk: one writer, snapshot readers -------------------------------


def test_store_second_writer_in_another_process_is_told_busy(tmp_path: Path) -> None:
    path = tmp_path / "store"
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from graph.errors import StoreError
        from graph.store import EmbeddedStore
        try:
            EmbeddedStore(Path({str(path)!r}))
        except StoreError as error:
            print(error)
            sys.exit(3)
        """
    )
    with EmbeddedStore(path):
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
        )

    assert result.returncode == 3, result.stderr
    assert result.stdout.count("\n") == 1
    assert "busy" in result.stdout
    assert str(path) in result.stdout


def test_store_second_writer_in_the_same_process_is_told_busy(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path), pytest.raises(StoreError, match="busy"):
        EmbeddedStore(path)


def test_store_writer_can_reopen_after_close(tmp_path: Path, sample_extraction: Extraction) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as first:
        first.replace_graphs([to_graph(sample_extraction)])
    with EmbeddedStore(path) as second:
        assert second.graph_names() == [str(article_graph_iri(sample_extraction))]


def test_store_reader_waits_for_the_writer_and_is_told_busy(tmp_path: Path) -> None:
    """Reading a directory another process writes is undefined in Oxigraph: readers wait."""
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    with EmbeddedStore(path), pytest.raises(StoreError, match="busy"):
        EmbeddedStore(path, "read")


def test_store_writer_waits_for_a_reader_to_finish(
    tmp_path: Path, sample_extraction: Extraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    monkeypatch.setenv("POLICYGRAPH_LOCK_WAIT", "10")
    reader = EmbeddedStore(path, "read")
    timer = threading.Timer(0.3, reader.close)
    timer.start()
    started = time.monotonic()
    with EmbeddedStore(path) as writer:  # waits for the reader's lock, then writes
        writer.replace_graphs([to_graph(sample_extraction)])
    timer.join()
    assert time.monotonic() - started >= 0.25
    with EmbeddedStore(path, "read") as fresh:
        assert fresh.graph_names() == [str(article_graph_iri(sample_extraction))]


def test_store_readers_share_the_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    with EmbeddedStore(path, "read") as one, EmbeddedStore(path, "read") as two:
        assert one.graph_names() == two.graph_names() == []


def test_store_version_changes_when_a_write_is_committed(
    tmp_path: Path, sample_extraction: Extraction, later_extraction: Extraction
) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as writer:
        writer.replace_graphs([to_graph(sample_extraction)])
    with EmbeddedStore(path, "read") as reader:
        version = reader.version()
    with EmbeddedStore(path) as writer:
        writer.replace_graphs([to_graph(later_extraction)])
    with EmbeddedStore(path, "read") as reader:
        assert reader.version() != version
        assert len(reader.graph_names()) == 2


def test_store_read_only_open_refuses_updates(tmp_path: Path) -> None:
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    with EmbeddedStore(path, "read") as reader, pytest.raises(StoreError, match="read-only"):
        reader.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }")


def test_store_read_only_open_of_a_missing_store_is_empty(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "never-written", "read") as reader:
        assert reader.graph_names() == []
        assert list(reader.quads()) == []
    assert not (tmp_path / "never-written").exists()


class _Delaying(http.server.ThreadingHTTPServer):
    """A proxy on loopback in front of a SPARQL server, holding back updates: ``"answer"``
    passes an update on at once but answers it late; ``"apply"`` passes it on late."""

    daemon_threads = True

    def __init__(self, target: str, mode: str, delay: float) -> None:
        self.target, self.mode, self.delay = target, mode, delay
        super().__init__(("127.0.0.1", 0), _DelayingHandler)


class _DelayingHandler(http.server.BaseHTTPRequestHandler):
    server: _Delaying

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        update = self.path.endswith("/update")
        if update and self.server.mode == "apply":
            time.sleep(self.server.delay)
        reply = httpx.post(
            self.server.target + self.path,
            content=body,
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
            timeout=30,
        )
        if update and self.server.mode == "answer":
            time.sleep(self.server.delay)
        try:
            self.send_response(reply.status_code)
            self.send_header("Content-Type", reply.headers.get("content-type", "text/plain"))
            self.send_header("Content-Length", str(len(reply.content)))
            self.end_headers()
            self.wfile.write(reply.content)
        except OSError:  # the client gave up waiting
            pass

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _delaying(target: str, mode: str, delay: float) -> Iterator[str]:
    proxy = _Delaying(target, mode, delay)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()


def _names(url: str) -> list[str]:
    with RemoteStore(url) as store:
        return store.graph_names()


def _drop_all(url: str) -> None:
    with RemoteStore(url) as store:
        store.update("DROP ALL")


def _one_article_graph() -> Graph:
    graph = Graph(identifier=URIRef("urn:x:article"))
    graph.add((URIRef("urn:x:a"), RDFS.label, Literal("a")))
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:n"), Literal(3, datatype=XSD.nonNegativeInteger)))
    return graph


@pytest.mark.server
def test_store_remote_write_answered_late_but_done_is_no_failure(
    oxigraph_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drop_all(oxigraph_server)
    monkeypatch.setenv("POLICYGRAPH_HTTP_TIMEOUT", "1")

    with _delaying(oxigraph_server, "answer", 3) as url, RemoteStore(url) as store:
        store.replace_graphs([_one_article_graph()])  # no error: the write is there

    assert _names(oxigraph_server) == ["urn:x:article"]


@pytest.mark.server
def test_store_remote_write_that_may_still_land_is_unknown_not_failed(
    oxigraph_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drop_all(oxigraph_server)
    monkeypatch.setenv("POLICYGRAPH_HTTP_TIMEOUT", "1")

    with _delaying(oxigraph_server, "apply", 3) as url, RemoteStore(url) as store:
        with pytest.raises(StoreError, match="outcome unknown") as raised:
            store.replace_graphs([_one_article_graph()])
        assert "run the same ingest again" in str(raised.value)
        deadline = time.monotonic() + 20
        while not _names(oxigraph_server) and time.monotonic() < deadline:
            time.sleep(0.2)

    assert _names(oxigraph_server) == ["urn:x:article"]  # it did land


def test_store_http_timeout_that_is_no_number_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYGRAPH_HTTP_TIMEOUT", "soon")
    with pytest.raises(InputError, match="POLICYGRAPH_HTTP_TIMEOUT 'soon': not a number"):
        RemoteStore("http://127.0.0.1:9")


def test_store_is_created_whole_and_a_killed_creation_leaves_only_a_stale_folder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new" / "store"
    stale = tmp_path / "new" / ".store.creating-999999"  # a creation killed before its rename
    stale.mkdir(parents=True)
    (stale / "CURRENT").write_text("MANIFEST-000001\n")

    with EmbeddedStore(path, "write") as store:
        store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }")

    assert (path / "CURRENT").exists() and not stale.exists()
    assert sorted(p.name for p in path.parent.iterdir()) == ["store", "store.lock"]
    with EmbeddedStore(path, "read") as store:
        assert store.graph_names() == ["urn:x:g"]
