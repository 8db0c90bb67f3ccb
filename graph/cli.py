"""The ``policygraph`` command: a thin shell over ``graph.core.PolicyGraph``."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable
from rich.text import Text

from graph.article import MAX_BYTES, article_files, check_text
from graph.core import PolicyGraph, to_csv
from graph.errors import PolicyGraphError
from graph.network import centrality, neighbours, pays, shortest_path
from graph.sandbox import Sandbox
from graph.store import Cell, Mode, Table
from graph.view import correction_rows, counted, graph_hint, no_rows_hint, readable
from graph.vocab import prefixed

DEFAULT_STORE = "data/store"
QUERY_TIMEOUT = 60.0  # seconds a `query` may run, unless --timeout says otherwise
QUERY_MEMORY_MIB = 4096  # its memory cap, unless --memory says otherwise
MIN_MIB = 256  # the least a query process can start in

app = typer.Typer(
    help="policygraph: news articles about government deals, as a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
network_app = typer.Typer(help="Analyse the actor network with networkx.", no_args_is_help=True)
app.add_typer(network_app, name="network")
correct_app = typer.Typer(
    help="Correct the graph: each correction is kept, attributed and reversible (`undo`).",
    no_args_is_help=True,
)
app.add_typer(correct_app, name="correct")

# markup and emoji codes off: paths, labels, sentences and SPARQL hold "[...]" and ":x:" that
# must print as they are
out = Console(soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


class TableFormat(StrEnum):
    """Every command that prints rows prints them in any of these."""

    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        str,
        typer.Option(
            "--store",
            envvar="POLICYGRAPH_STORE",
            help="Store directory (embedded Oxigraph) or SPARQL endpoint URL.",
        ),
    ] = DEFAULT_STORE,
    model: Annotated[
        str | None,
        typer.Option(envvar="POLICYGRAPH_MODEL", help="spaCy model package to extract with."),
    ] = None,
) -> None:
    """policygraph: news articles about government deals, as a knowledge graph."""
    if not store.strip():
        _fail("--store '': empty; give a store directory or a SPARQL endpoint URL", code=2)
    try:
        check_text(store, "--store")
        check_text(model or "", "--model")
    except PolicyGraphError as error:
        _fail(error, code=2)
    ctx.obj = {"store": store, "model": model}


def _fail(message: object, code: int = 1) -> NoReturn:
    """Print one ``error:`` line on standard error (then an error's ``detail``, if it has
    one, such as a caret under a syntax error) and exit non-zero."""
    err.print(Text.assemble(("error:", "bold red"), f" {message}"), highlight=False)
    if detail := getattr(message, "detail", None):
        err.print(detail, highlight=False)
    raise typer.Exit(code)


@contextmanager
def _open(ctx: typer.Context, mode: Mode, agent: str | None = None) -> Iterator[PolicyGraph]:
    """The facade over the chosen store, its writes attributed to ``agent`` (default the OS
    user); any ``PolicyGraphError`` in the block is one line."""
    try:
        if agent is not None:
            check_text(agent, "--as")
            if not agent.strip():
                _fail("--as '': empty; give the name corrections are attributed to", code=2)
        with PolicyGraph.open(ctx.obj["store"], mode, ctx.obj["model"], agent) as pg:
            yield pg
    except PolicyGraphError as error:
        _fail(error)


# who a write is attributed to (PROV-O's prov:wasAssociatedWith), on every writing command
Agent = Annotated[
    str | None,
    typer.Option(
        "--as", envvar="POLICYGRAPH_AS", help="Whom the write is attributed to (default: you)."
    ),
]


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


WRAP_MIN = 16  # the narrowest a column of running text may become before rows turn to records


def _table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    """Rows as a table that reads at the terminal's width: text wraps between words, a column
    of single words (codes, prefixed names, numbers) is never broken, and when the columns
    cannot fit that way each row becomes a record of ``field  value`` lines instead."""
    cells = [[_printable(_cell(row.get(c))) for c in columns] for row in rows]
    natural = [
        max([cell_len(c), *(cell_len(line[i]) for line in cells)]) for i, c in enumerate(columns)
    ]
    words = [all(len(line[i].split()) <= 1 for line in cells) for i in range(len(columns))]
    needed = sum(n if w else min(n, WRAP_MIN) for n, w in zip(natural, words, strict=True))
    if cells and needed + 3 * len(columns) + 1 > out.width:
        _records(cells, columns, title)
        return
    table = RichTable(title=title, show_lines=False)
    for column, width, single in zip(columns, natural, words, strict=True):
        table.add_column(column, no_wrap=single, min_width=min(width, WRAP_MIN))
    for line in cells:
        table.add_row(*line)
    out.print(table)


def _printable(text: str) -> str:
    """Text as a terminal may show it: spaces, tabs and line breaks as one space, and
    control and invisible format characters (a right-to-left override, a zero-width space,
    an escape sequence) written as ``\\u202e``, so a value can neither reorder nor hide what
    is printed around it."""
    if text.isprintable():
        return text

    def shown(char: str) -> str:
        if char.isprintable():
            return char
        if char.isspace():
            return " "
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"

    return "".join(shown(c) for c in text)


def _records(cells: list[list[str]], columns: list[str], title: str | None) -> None:
    """Rows as records: a table of two columns, field and value, one section per row."""
    table = RichTable(title=title, show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for number, line in enumerate(cells):
        if number:
            table.add_section()
        for column, value in zip(columns, line, strict=True):
            table.add_row(column, value)
    out.print(table)


def _cell(value: Any) -> str:
    """A value as a table shows it: an actor by its label, an IRI by its prefixed name (the
    full IRI is in ``--format json`` and ``csv``)."""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("label") or value.get("sentence") or value)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return prefixed(value) or value
    return "" if value is None else str(value)


def _emit(
    rows: list[dict[str, Any]], fmt: TableFormat, columns: list[str], title: str | None = None
) -> None:
    if fmt is TableFormat.json:
        _json(rows)
    elif fmt is TableFormat.csv:
        sys.stdout.write(to_csv(rows, columns))
    else:
        _table(rows, columns, title)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Article text files, or folders of *.txt files.")
    ],
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="The article's URL.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publishing outlet.")] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Take *.txt files in subfolders too.")
    ] = False,
    agent: Agent = None,
) -> None:
    """Extract deals, actors and statements from articles and write them, all or nothing.

    A folder stands for its *.txt files, in order of their names."""
    with _open(ctx, "write", agent) as pg:
        files = article_files(paths, recursive)
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("extracting (sentences)", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            prepared = pg.prepare_files(files, date, url, outlet, progress=advance)
        report = pg.write(prepared)
    for item in report.articles:
        ex = item.extraction
        counts = (
            counted(len(ex.actors), "actor"),
            counted(len(ex.deals), "deal"),
            counted(len(ex.statements), "statement"),
            counted(len(item.graph), "triple"),
        )
        err.print(f"ingested {item.source}: {', '.join(counts)}", highlight=False)


@app.command()
def deals(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List every deal: parties, who pays whom, status, purposes, amount, critics, sources."""
    with _open(ctx, "read") as pg:
        rows = pg.deals()
    if format is TableFormat.table:
        _deal_table(rows)
    else:
        columns = ["label", "status", "payers", "payees", "purposes", "amount", "criticised_by"]
        _emit(rows, format, ["iri", *columns, "parties", "sources"])


SOURCE_DATES_SHOWN = 5


def _deal_table(deals: list[dict[str, Any]]) -> None:
    """Deals as records, one section per deal: too many fields for columns at 80 characters."""
    rows = [
        {
            "deal": deal["label"],
            "status": deal["status"]
            + (f", last reported {deal['last_reported']}" if deal["last_reported"] else ""),
            "parties": deal["parties"],
            "pays": (
                f"{_cell(deal['payers'])} → {_cell(deal['payees'])}"
                if deal["payers"] or deal["payees"]
                else ""
            ),
            "purposes": [readable(p) for p in deal["purposes"]],
            "amount": deal["amount"],
            "critics": deal["criticised_by"],
            "sources": _sources(deal["sources"]),
            "iri": deal["iri"],
        }
        for deal in deals
    ]
    columns = list(DEAL_FIELDS)
    _records([[_cell(r[c]) for c in columns] for r in rows], columns, counted(len(rows), "deal"))


DEAL_FIELDS = (
    "deal",
    "status",
    "parties",
    "pays",
    "purposes",
    "amount",
    "critics",
    "sources",
    "iri",
)


def _sources(sources: list[dict[str, Any]]) -> str:
    """How many articles a deal's evidence comes from, and their dates."""
    dates = {s["article"]: s["date"] or "undated" for s in sources}
    shown = sorted(dates.values())[:SOURCE_DATES_SHOWN]
    more = len(dates) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"{counted(len(dates), 'article')}: {listed}" if dates else ""


@app.command()
def entities(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List every actor with its type, ISO code, Wikidata link and mentions."""
    with _open(ctx, "read") as pg:
        rows = [
            {k: a[k] for k in ("iri", "label", "type", "iso_code", "wikidata", "mentions")}
            for a in pg.entities()
        ]
    _emit(rows, format, ["label", "type", "iso_code", "wikidata", "mentions", "iri"])


@app.command()
def query(
    ctx: typer.Context,
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL text.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read SPARQL from a .rq file.")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Allow a SPARQL update (SHACL-validated).")
    ] = False,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, max=10**12, help="Stop after this many rows; the rest are never computed."
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(min=0, max=10**6, help="Stop the query after this many seconds (0: never)."),
    ] = QUERY_TIMEOUT,
    memory: Annotated[
        int,
        typer.Option(
            min=0, max=2**20, help=f"Memory cap of the query, in MiB (0: none; {MIN_MIB} least)."
        ),
    ] = QUERY_MEMORY_MIB,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            metavar="URL",
            help="Let SERVICE reach this endpoint (repeat for more); federation is off otherwise.",
        ),
    ] = None,
) -> None:
    """Run a SPARQL query (pg:, schema:, prov:, … are predeclared); read-only by default.

    The query runs in a child process with a deadline and a memory cap, so a runaway query
    stops with one line and never holds the store."""
    if (sparql is None) == (file is None):
        _fail("query: give the SPARQL text or --file F.rq, not both or neither", code=2)
    if file is not None:
        if not file.is_file():
            _fail(f"{file}: no such query file")
        if file.stat().st_size > MAX_BYTES:
            _fail(f"{file}: over the 5 MB a query file may be")
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        try:
            sparql = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            _fail(f"{file}: not UTF-8 text (invalid byte at offset {error.start})")
    assert sparql is not None
    if 0 < memory < MIN_MIB:
        _fail(f"--memory {memory}: too little for a query process; give {MIN_MIB} MiB or more")
    box = Sandbox(
        timeout=timeout,
        limit=limit,
        memory=memory * 1024**2,
        count=False,
        hint="--timeout and --memory set the limits",
    )
    writer = None if format is TableFormat.table or update else _RowWriter(format)
    try:
        with box:
            result = box.run(
                ctx.obj["store"],
                sparql,
                update,
                tuple(allow_service or ()),
                on_columns=writer.columns if writer else None,
                on_rows=writer.rows if writer else None,
            )
    except PolicyGraphError as error:
        if writer:
            writer.close()  # what was streamed stays a whole document
        _fail(error)
    if writer:
        writer.close()
        hint = no_rows_hint(sparql, found=writer.found)
    elif result.table is None:
        err.print(f"update applied: {counted(result.total or 0, 'graph')} changed")
        return
    else:
        table = result.table
        if format is TableFormat.table:
            _table(_shown_rows(table), table.columns)
        else:
            _emit(table.values(), format, table.columns)
        hint = graph_hint(sparql, table)
    if result.more:
        err.print(f"note: more than {limit:,} rows; the first {limit:,} are shown", highlight=False)
    if hint:
        err.print(f"hint: {hint}", highlight=False)


class _RowWriter:
    """A query's rows written to standard output as they arrive, as CSV or as the JSON array
    ``--format json`` prints (the same text ``json.dumps(rows, indent=2)`` would give)."""

    def __init__(self, format: TableFormat) -> None:
        self.format = format
        self.names: list[str] = []
        self.written = 0
        self.asked = False  # an ASK's answer was true
        self._open = False

    def columns(self, names: list[str]) -> None:
        self.names = names
        self._open = True
        if self.format is TableFormat.csv:
            sys.stdout.write(to_csv([], names))

    def rows(self, batch: list[dict[str, Cell | None]]) -> None:
        values = Table(self.names, batch).values()
        self.asked = self.asked or any(row.get("ask") is True for row in values)
        if self.format is TableFormat.csv:
            sys.stdout.write(to_csv(values, self.names).split("\n", 1)[1])
        else:
            for number, row in enumerate(values, start=self.written):
                text = json.dumps(row, indent=2, ensure_ascii=False, default=str)
                sys.stdout.write(
                    ("[\n" if number == 0 else ",\n") + "  " + text.replace("\n", "\n  ")
                )
        self.written += len(values)
        sys.stdout.flush()

    @property
    def found(self) -> bool:
        """Whether the answer found anything: a row, or an ASK's true."""
        return self.asked if self.names == ["ask"] else self.written > 0

    def close(self) -> None:
        if self._open and self.format is TableFormat.json:
            sys.stdout.write("\n]\n" if self.written else "[]\n")
        self._open = False


def _shown_rows(table: Table) -> list[dict[str, Any]]:
    """A result's rows as a table shows them: IRIs by prefixed name or in ``<…>``."""

    def shown(cell: Cell | None) -> str:
        if cell is None:
            return ""
        if cell.kind == "uri":
            return prefixed(cell.value) or f"<{cell.value}>"
        if cell.kind == "bnode":
            return f"_:{cell.value}"
        return str(cell.to_python())

    return [{c: shown(row.get(c)) for c in table.columns} for row in table.rows]


# the dashboard's settings, given on streamlit's command line so that no config.toml of the
# directory it is started from can change them (an address open to the network, statistics)
DASHBOARD_SETTINGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "server.fileWatcherType": "none",
    "server.maxUploadSize": "5",  # MB, the limit `ingest` has
    "client.toolbarMode": "minimal",
    "global.showWarningOnDirectExecution": "false",
}
DASHBOARD_APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


@app.command()
def dashboard(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to serve on.")] = 8501,
    address: Annotated[
        str,
        typer.Option(help="The address to bind; loopback unless you choose to open it."),
    ] = "localhost",
) -> None:
    """Serve the dashboard over the store: on loopback, usage statistics off.

    The settings go on Streamlit's command line, so no .streamlit/config.toml of the
    directory it is started from can change them."""
    if not DASHBOARD_APP.is_file():
        _fail(f"{DASHBOARD_APP}: the dashboard is not here; run it from a policygraph checkout")
    if not re.fullmatch(r"[A-Za-z0-9.:-]+|\[[0-9A-Fa-f:.]+\]", address):
        _fail(f"--address {address!r}: not a host name or IP address", code=2)
    settings = {**DASHBOARD_SETTINGS, "server.address": address, "server.port": str(port)}
    flags = [part for key, value in settings.items() for part in (f"--{key}", value)]
    argv = [sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP), *flags]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [*argv, "--", "--store", ctx.obj["store"]])


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.trig,
    raw: Annotated[
        bool, typer.Option("--raw", help="Extraction alone: the article graphs as stored.")
    ] = False,
) -> None:
    """Write the whole graph to standard output: every article's named graph with the
    corrections applied, and the corrections and change log in graphs of their own."""
    with _open(ctx, "read") as pg:
        sys.stdout.write(pg.export(format.value, raw=raw))


@network_app.command("pays")
def network_pays(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Who pays whom."""
    with _open(ctx, "read") as pg:
        rows = [
            {"payer": a, "payee": b, "deal": d, "status": s} for a, b, d, s in pays(pg.network())
        ]
    _emit(rows, format, ["payer", "payee", "status", "deal"], title="who pays whom")


@network_app.command("neighbours")
def network_neighbours(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Label, ISO code, mention or IRI.")],
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """The actors linked to ACTOR, and how."""
    with _open(ctx, "read") as pg:
        graph = pg.network()
        node = pg.resolve_actor(actor)
        rows = [
            {
                "actor": graph.nodes[other]["label"],
                "links": sorted({f"{link['kind']} ({link['direction']})" for link in links}),
                "deals": sorted({link["deal"] for link in links if link.get("deal")}),
            }
            for other, links in neighbours(graph, node)
        ]
    _emit(rows, format, ["actor", "links", "deals"], title=graph.nodes[node]["label"])


@network_app.command("path")
def network_path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="From this actor.")],
    target: Annotated[str, typer.Argument(help="To this actor.")],
) -> None:
    """The shortest chain of links between two actors."""
    with _open(ctx, "read") as pg:
        graph = pg.network()
        chain = shortest_path(graph, pg.resolve_actor(source), pg.resolve_actor(target))
    if not chain:  # an answer, not an error
        out.print(f"no path between {source} and {target}", highlight=False)
        return
    out.print(" → ".join(graph.nodes[n]["label"] for n in chain), highlight=False)


@network_app.command("centrality")
def network_centrality(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Degree and betweenness centrality of every actor."""
    with _open(ctx, "read") as pg:
        rows = centrality(pg.network())
    _emit(rows, format, ["label", "type", "degree", "betweenness"], title="centrality")


@app.command()
def evaluate(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="A folder of NAME.txt + NAME.gold.json files.")],
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Score extraction on annotated articles: precision, recall and F1 per measure."""
    from graph.evaluate import evaluate_folder

    try:
        total, results = evaluate_folder(folder, ctx.obj["model"])
    except PolicyGraphError as error:
        _fail(error)
    summary = total.summary()
    if format is TableFormat.json:
        _json(
            {
                "total": summary,
                "articles": {r.file: r.scores.summary() for r in results},
                "misses": {k: m.misses for k, m in total.measures.items()},
                "extras": {k: m.extras for k, m in total.measures.items()},
            }
        )
        return
    rows = [{"measure": name, **values} for name, values in summary.items()]
    columns = ["measure", "precision", "recall", "f1", "tp", "fp", "fn"]
    if format is TableFormat.csv:
        sys.stdout.write(to_csv(rows, columns))
        return
    _table(rows, columns, title=counted(len(results), "article"))
    for name, measure in total.measures.items():
        for miss in measure.misses:
            out.print(f"miss  {name}: {miss}", highlight=False)
        for extra in measure.extras:
            out.print(f"extra {name}: {extra}", highlight=False)


@app.command()
def articles(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List every ingested article: headline, date, outlet, file, URL and IRI."""
    with _open(ctx, "read") as pg:
        rows = pg.articles()
    _emit(rows, format, ["headline", "date", "outlet", "source", "url", "article"])


@app.command()
def remove(
    ctx: typer.Context,
    article: Annotated[
        str, typer.Argument(help="The article's IRI, the file it was read from, or its headline.")
    ],
    agent: Agent = None,
) -> None:
    """Remove one article and everything that came only from it (its named graph)."""
    with _open(ctx, "write", agent) as pg:
        removed = pg.remove(article)
    triples = counted(int(removed.get("triples") or 0), "triple")
    err.print(f"removed {removed['headline']}: {triples}", highlight=False)


@app.command()
def timeline(
    ctx: typer.Context,
    deal: Annotated[str, typer.Argument(help="Deal IRI, label, or party codes such as GB+RW.")],
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """The dated status history of one deal, from every article that reported it."""
    with _open(ctx, "read") as pg:
        rows = pg.timeline(deal)
    _emit(rows, format, ["date", "status", "outlet", "headline", "sentence", "article"])


# --- curation -----------------------------------------------------------------------------

Note = Annotated[str | None, typer.Option("--note", help="Why: kept with the correction.")]
ActorName = Annotated[str, typer.Argument(help="Actor IRI, prefixed name, label, code or mention.")]
DealName = Annotated[str, typer.Argument(help="Deal IRI, label, or party codes such as GB+RW.")]


def _correct(
    ctx: typer.Context, agent: str | None, kind: str, target: str, *values: str, **options: Any
) -> None:
    with _open(ctx, "write", agent) as pg:
        made = pg.correct(kind, target, values, **options)
    err.print(f"correction {made.number}: {made.label}", highlight=False)


@correct_app.command("merge-actors")
def correct_merge_actors(
    ctx: typer.Context, actor: ActorName, into: ActorName, note: Note = None, agent: Agent = None
) -> None:
    """Merge ACTOR into INTO: its mentions, deals and statements follow."""
    _correct(ctx, agent, "merge-actors", actor, into=into, note=note)


@correct_app.command("keep-apart")
def correct_keep_apart(
    ctx: typer.Context, actor: ActorName, other: ActorName, note: Note = None, agent: Agent = None
) -> None:
    """Reject a proposed merge: ACTOR and OTHER stay two actors."""
    _correct(ctx, agent, "keep-apart", actor, into=other, note=note)


@correct_app.command("split-actor")
def correct_split_actor(
    ctx: typer.Context,
    actor: ActorName,
    name: Annotated[str, typer.Argument(help="The new actor's name.")],
    article: Annotated[
        list[str], typer.Option("--article", help="An article whose mention is the new actor.")
    ],
    type: Annotated[str | None, typer.Option("--type", help="The new actor's type.")] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Split a wrong merge: what the --article articles call ACTOR becomes a new actor NAME."""
    values = (name, type) if type else (name,)
    _correct(ctx, agent, "split-actor", actor, *values, articles=article, note=note)


@correct_app.command("retype")
def correct_retype(
    ctx: typer.Context,
    actor: ActorName,
    type: Annotated[str, typer.Argument(help="Country, Region, Person, Organisation, …")],
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Give an actor another type."""
    _correct(ctx, agent, "retype", actor, type, note=note)


@correct_app.command("rename")
def correct_rename(
    ctx: typer.Context,
    actor: ActorName,
    name: Annotated[str, typer.Argument(help="The new name.")],
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Give an actor another name (its mentions stay as the articles wrote them)."""
    _correct(ctx, agent, "rename", actor, name, note=note)


@correct_app.command("set-iso")
def correct_set_iso(
    ctx: typer.Context,
    actor: ActorName,
    code: Annotated[str | None, typer.Argument(help="ISO 3166 code; leave out to clear.")] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set or clear an actor's ISO 3166 code."""
    _correct(ctx, agent, "set-iso", actor, *([code] if code else []), note=note)


@correct_app.command("set-wikidata")
def correct_set_wikidata(
    ctx: typer.Context,
    actor: ActorName,
    qid: Annotated[str | None, typer.Argument(help="Wikidata QID; leave out to clear.")] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set or clear an actor's Wikidata entity."""
    _correct(ctx, agent, "set-wikidata", actor, *([qid] if qid else []), note=note)


@correct_app.command("delete-actor")
def correct_delete_actor(
    ctx: typer.Context, actor: ActorName, note: Note = None, agent: Agent = None
) -> None:
    """Delete a spurious actor from every record, deal and link."""
    _correct(ctx, agent, "delete-actor", actor, note=note)


Members = Annotated[list[str] | None, typer.Argument(help="Actors; none to clear the role.")]


@correct_app.command("set-parties")
def correct_set_parties(
    ctx: typer.Context,
    deal: DealName,
    actors: Members = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set a deal's parties: the ACTORS replace what extraction found."""
    _correct(ctx, agent, "set-parties", deal, *(actors or []), note=note)


@correct_app.command("set-payers")
def correct_set_payers(
    ctx: typer.Context,
    deal: DealName,
    actors: Members = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set who pays under a deal: the ACTORS replace what extraction found."""
    _correct(ctx, agent, "set-payers", deal, *(actors or []), note=note)


@correct_app.command("set-payees")
def correct_set_payees(
    ctx: typer.Context,
    deal: DealName,
    actors: Members = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set who is paid under a deal: the ACTORS replace what extraction found."""
    _correct(ctx, agent, "set-payees", deal, *(actors or []), note=note)


@correct_app.command("set-critics")
def correct_set_critics(
    ctx: typer.Context,
    deal: DealName,
    actors: Members = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set who criticised a deal: the ACTORS replace what extraction found."""
    _correct(ctx, agent, "set-critics", deal, *(actors or []), note=note)


@correct_app.command("set-status")
def correct_set_status(
    ctx: typer.Context,
    deal: DealName,
    status: Annotated[str, typer.Argument(help="proposed, negotiating, concluded, …")],
    date: Annotated[
        str | None, typer.Option(help="As of when, YYYY-MM-DD (default: today).")
    ] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set a deal's status as of a date: a claim of its own in the deal's status history."""
    _correct(ctx, agent, "set-status", deal, status, date=date, note=note)


@correct_app.command("set-amount")
def correct_set_amount(
    ctx: typer.Context,
    deal: DealName,
    amount: Annotated[
        str | None, typer.Argument(help="As written (€105m, £101m a year); leave out to clear.")
    ] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set or clear a deal's amount."""
    _correct(ctx, agent, "set-amount", deal, *([amount] if amount else []), note=note)


@correct_app.command("set-purposes")
def correct_set_purposes(
    ctx: typer.Context,
    deal: DealName,
    purposes: Annotated[
        list[str] | None, typer.Argument(help="Purpose names (returns, border_control, …).")
    ] = None,
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Set a deal's purposes."""
    _correct(ctx, agent, "set-purposes", deal, *(purposes or []), note=note)


@correct_app.command("split-deal")
def correct_split_deal(
    ctx: typer.Context,
    deal: DealName,
    article: Annotated[
        list[str], typer.Option("--article", help="An article whose report is the new deal.")
    ],
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Split one deal into two: what the --article articles report becomes a deal of its own."""
    _correct(ctx, agent, "split-deal", deal, articles=article, note=note)


@correct_app.command("merge-deals")
def correct_merge_deals(
    ctx: typer.Context, deal: DealName, into: DealName, note: Note = None, agent: Agent = None
) -> None:
    """Merge DEAL into INTO: one deal, with both status histories and all sources."""
    _correct(ctx, agent, "merge-deals", deal, into=into, note=note)


@correct_app.command("delete-deal")
def correct_delete_deal(
    ctx: typer.Context, deal: DealName, note: Note = None, agent: Agent = None
) -> None:
    """Delete a spurious deal."""
    _correct(ctx, agent, "delete-deal", deal, note=note)


@correct_app.command("add-deal")
def correct_add_deal(
    ctx: typer.Context,
    parties: Annotated[list[str], typer.Argument(help="Its parties (two or more actors).")],
    article: Annotated[str, typer.Option("--article", help="The article that reports it.")],
    sentence: Annotated[
        str, typer.Option("--sentence", help="The evidence sentence, as the article writes it.")
    ],
    payer: Annotated[list[str] | None, typer.Option("--payer", help="A payer.")] = None,
    payee: Annotated[list[str] | None, typer.Option("--payee", help="A payee.")] = None,
    status: Annotated[str, typer.Option(help="Its status in that article.")] = "proposed",
    note: Note = None,
    agent: Agent = None,
) -> None:
    """Add a deal the extractor missed, with its evidence sentence from the article."""
    if not parties:
        _fail("add-deal: name its parties", code=2)
    _correct(
        ctx,
        agent,
        "add-deal",
        parties[0],
        *parties[1:],
        articles=[article],
        sentence=sentence,
        payers=payer or [],
        payees=payee or [],
        status=status,
        note=note,
    )


@app.command()
def corrections(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List every correction, oldest first: active, undone, or orphaned (its target gone)."""
    with _open(ctx, "read") as pg:
        rows = correction_rows(pg.corrections(), pg.orphans(), pg.names())
    if format is TableFormat.table:
        _table(rows, ["id", "change", "state", "agent", "time", "note"])
    else:
        _emit(rows, format, ["id", "kind", "target", "into", "values", "state", "agent", "time"])


@app.command()
def undo(
    ctx: typer.Context,
    correction: Annotated[str, typer.Argument(help="The correction's number (or IRI).")],
    agent: Agent = None,
) -> None:
    """Undo a correction: it stays on record, marked undone, and is no longer applied."""
    with _open(ctx, "write", agent) as pg:
        done = pg.undo(correction)
    err.print(f"undone correction {done.number}: {done.label or done.kind}", highlight=False)


@app.command()
def proposals(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Probable merges of actors, for you to accept (`correct merge-actors`) or reject
    (`correct keep-apart`)."""
    with _open(ctx, "read") as pg:
        rows = pg.proposals()
    _emit(rows, format, ["actor_label", "into_label", "reason", "actor", "into"])


@app.command()
def changes(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Only changes from this date or time on (UTC).")
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """What changed, and when: every ingest, re-extraction, correction, undo and removal."""
    with _open(ctx, "read") as pg:
        rows = pg.changes(since)
    if format is TableFormat.table and not rows:
        err.print("no changes" + (f" since {since}" if since else ""), highlight=False)
        return
    _emit(rows, format, ["time", "kind", "graph", "added", "removed", "agent"])


@app.command()
def reextract(ctx: typer.Context, agent: Agent = None) -> None:
    """Extract every stored article again from its stored text with today's rules; the
    corrections are kept, and any whose target is gone is reported."""
    with _open(ctx, "write", agent) as pg:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("re-extracting (articles)", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = pg.reextract(advance)
        orphaned = pg.orphans()
    err.print(
        f"re-extracted {counted(len(report.articles), 'article')}: "
        f"{counted(report.triples, 'triple')}",
        highlight=False,
    )
    for record in orphaned:
        err.print(
            f"warning: correction {record['id']} ({record['label'] or record['kind']}) no longer "
            f"applies: {prefixed(record['missing']) or record['missing']} is not in the graph",
            highlight=False,
        )
