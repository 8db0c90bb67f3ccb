"""The ``policygraph`` command: a thin shell over ``graph.core.PolicyGraph``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable
from rich.text import Text

from graph.core import PolicyGraph, to_csv
from graph.errors import PolicyGraphError
from graph.network import centrality, neighbours, pays, shortest_path
from graph.store import Mode

DEFAULT_STORE = "data/store"

app = typer.Typer(
    help="policygraph: news articles about government deals, as a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
network_app = typer.Typer(help="Analyse the actor network with networkx.", no_args_is_help=True)
app.add_typer(network_app, name="network")

# markup off: paths, labels, sentences and SPARQL errors hold "[...]" that must print as is
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"


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
    ctx.obj = {"store": store, "model": model}


def _fail(message: object, code: int = 1) -> NoReturn:
    """Print one ``error:`` line on standard error and exit non-zero."""
    err.print(Text.assemble(("error:", "bold red"), f" {message}"), highlight=False)
    raise typer.Exit(code)


@contextmanager
def _open(ctx: typer.Context, mode: Mode) -> Iterator[PolicyGraph]:
    """The facade over the chosen store; any ``PolicyGraphError`` in the block is one line."""
    try:
        with PolicyGraph.open(ctx.obj["store"], mode, ctx.obj["model"]) as pg:
            yield pg
    except PolicyGraphError as error:
        _fail(error)


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    table = RichTable(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(_cell(row.get(c))) for c in columns))
    out.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("label") or value.get("sentence") or value)
    return "" if value is None else str(value)


def _emit(rows: list[dict[str, Any]], fmt: TableFormat, columns: list[str]) -> None:
    if fmt is TableFormat.json:
        _json(rows)
    elif fmt is TableFormat.csv:
        sys.stdout.write(to_csv(rows, columns))
    else:
        _table(rows, columns)


@app.command()
def ingest(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Article text files.")],
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="The article's URL.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publishing outlet.")] = None,
) -> None:
    """Extract deals, actors and statements from articles and write them, all or nothing."""
    with _open(ctx, "write") as pg:
        if len(files) > 1:
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("extracting", total=len(files))
                advance: Callable[[Path], None] = lambda _: progress.advance(task)  # noqa: E731
                prepared = pg.prepare_files(files, date, url, outlet, progress=advance)
        else:
            prepared = pg.prepare_files(files, date, url, outlet)
        report = pg.write(prepared)
    for item in report.articles:
        ex = item.extraction
        err.print(
            f"ingested {item.source}: {len(ex.actors)} actors, {len(ex.deals)} deals, "
            f"{len(ex.statements)} statements, {len(item.graph)} triples",
            highlight=False,
        )


@app.command()
def deals(
    ctx: typer.Context,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List every deal: parties, who pays whom, status, purposes, amount, critics, sources."""
    with _open(ctx, "read") as pg:
        rows = pg.deals()
    columns = ["label", "status", "payers", "payees", "purposes", "amount", "criticised_by"]
    if format is TableFormat.table:
        _table(rows, columns, title=f"{len(rows)} deals")
    else:
        _emit(rows, format, ["iri", *columns, "parties", "sources"])


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
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL update.")] = False,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Run a SPARQL query (pg:, schema:, prov:, … are predeclared); read-only by default."""
    if (sparql is None) == (file is None):
        _fail("query: give the SPARQL text or --file F.rq, not both or neither", code=2)
    if file is not None:
        if not file.is_file():
            _fail(f"{file}: no such query file")
        try:
            sparql = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            _fail(f"{file}: not UTF-8 text (invalid byte at offset {error.start})")
    assert sparql is not None
    with _open(ctx, "write" if update else "read") as pg:
        table = pg.query(sparql, update=update)
    if table is None:
        err.print("update applied")
        return
    _emit(table.values(), format, table.columns)


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.trig,
) -> None:
    """Write the whole graph, every article's named graph included, to standard output."""
    with _open(ctx, "read") as pg:
        sys.stdout.write(pg.export(format.value))


@network_app.command("pays")
def network_pays(
    ctx: typer.Context,
    format: Annotated[NetworkFormat, typer.Option("--format", "-f")] = NetworkFormat.table,
) -> None:
    """Who pays whom."""
    with _open(ctx, "read") as pg:
        rows = [
            {"payer": a, "payee": b, "deal": d, "status": s} for a, b, d, s in pays(pg.network())
        ]
    if format is NetworkFormat.json:
        _json(rows)
    else:
        _table(rows, ["payer", "payee", "status", "deal"], title="who pays whom")


@network_app.command("neighbours")
def network_neighbours(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Label, ISO code, mention or IRI.")],
    format: Annotated[NetworkFormat, typer.Option("--format", "-f")] = NetworkFormat.table,
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
    if format is NetworkFormat.json:
        _json(rows)
    else:
        _table(rows, ["actor", "links", "deals"], title=graph.nodes[node]["label"])


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
    if not chain:
        err.print(f"no path between {source} and {target}", highlight=False)  # an answer
        raise typer.Exit(1)
    out.print(" → ".join(graph.nodes[n]["label"] for n in chain), highlight=False)


@network_app.command("centrality")
def network_centrality(
    ctx: typer.Context,
    format: Annotated[NetworkFormat, typer.Option("--format", "-f")] = NetworkFormat.table,
) -> None:
    """Degree and betweenness centrality of every actor."""
    with _open(ctx, "read") as pg:
        rows = centrality(pg.network())
    if format is NetworkFormat.json:
        _json(rows)
    else:
        _table(rows, ["label", "type", "degree", "betweenness"], title="centrality")


@app.command()
def evaluate(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="A folder of NAME.txt + NAME.gold.json files.")],
    format: Annotated[NetworkFormat, typer.Option("--format", "-f")] = NetworkFormat.table,
) -> None:
    """Score extraction on annotated articles: precision, recall and F1 per measure."""
    from graph.evaluate import evaluate_folder

    try:
        total, results = evaluate_folder(folder, ctx.obj["model"])
    except PolicyGraphError as error:
        _fail(error)
    summary = total.summary()
    if format is NetworkFormat.json:
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
    _table(
        rows,
        ["measure", "precision", "recall", "f1", "tp", "fp", "fn"],
        title=f"{len(results)} articles",
    )
    for name, measure in total.measures.items():
        for miss in measure.misses:
            out.print(f"miss  {name}: {miss}", highlight=False)
        for extra in measure.extras:
            out.print(f"extra {name}: {extra}", highlight=False)


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
