"""The ``policygraph`` command, driven with typer's ``CliRunner`` (extraction faked by hand).

Every command runs; ``--store`` and ``POLICYGRAPH_STORE`` both choose the store; every kind of
bad input gives one line naming the input and the problem, a non-zero exit, and leaves the
store exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from conftest import CONTRACT_ACTOR_KEYS, CONTRACT_DEAL_KEYS, CONTRACT_SOURCE_KEYS, ENDLESS
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from graph.article import MAX_BYTES
from graph.cli import app
from graph.core import PolicyGraph
from graph.model import Article, Extraction
from graph.store import EmbeddedStore
from graph.vocab import actor_iri, deal_iri

ROOT = Path(__file__).resolve().parents[1]
UK_TURKEY = str(deal_iri([str(actor_iri("country/GB")), str(actor_iri("country/TR"))]))
SAMPLE = ROOT / "samples" / "000_70e03d7c78804526.txt"


REAL_EXTRACT = PolicyGraph.extract


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run every command in a temp directory, so the default ``data/store`` is never touched,
    and never with the real NLP pipeline: a test that extracts must ask for ``fake_extractor``.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYGRAPH_STORE", raising=False)
    monkeypatch.delenv("POLICYGRAPH_UPDATE_URL", raising=False)

    def refuse(self: PolicyGraph, article: Article, progress: object = None) -> Extraction:
        raise AssertionError("this test extracts: request the fake_extractor fixture")

    monkeypatch.setattr(PolicyGraph, "extract", refuse)


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """Invoke ``policygraph ARGS``; unexpected exceptions fail the test with their traceback."""
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def dump(store: Path, raw: bool = False) -> list[str]:
    """The store's exact state: its N-Quads export, sorted; ``raw``: the article graphs
    alone, without the change log (which records when each write was made)."""
    with PolicyGraph.open(str(store), "read") as pg:
        return sorted(line for line in pg.export("nquads", raw=raw).splitlines() if line)


def one_error_line(result: Result) -> str:
    """The single line a failed command printed, checked to be exactly one."""
    assert result.exit_code != 0, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def files(tmp_path: Path, sample_text: str, later_text: str) -> dict[str, Path]:
    """Article files: ``sample`` and ``later`` (good), and one file for each kind of bad input."""
    folder = tmp_path / "articles"
    folder.mkdir()
    paths = {name: folder / f"{name}.txt" for name in ("sample", "later", "empty", "blank")}
    paths["sample"].write_text(sample_text, encoding="utf-8")
    paths["later"].write_text(later_text, encoding="utf-8")
    paths["empty"].write_bytes(b"")
    paths["blank"].write_text("  \n\n\t\n", encoding="utf-8")
    paths["binary"] = folder / "scan.pdf"
    paths["binary"].write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff")
    paths["zeros"] = folder / "zeros.txt"
    paths["zeros"].write_bytes(b"Head\n\x00\x01\x02\xff text")
    paths["latin1"] = folder / "latin1.txt"
    paths["latin1"].write_bytes("Café talks\nThe minister met in a café.\n".encode("latin-1"))
    paths["huge"] = folder / "huge.txt"
    with paths["huge"].open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: the size check comes before any read
    paths["directory"] = folder / "a-folder"
    paths["directory"].mkdir()
    paths["missing"] = folder / "missing.txt"
    (folder / "[").mkdir()  # a path holding "[/b] [bold]": rich markup must not eat it
    paths["bracketed"] = folder / "[" / "b] [bold]notes.txt"
    paths["bracketed"].write_bytes(b"")
    return paths


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
    sample_text: str,
    later_text: str,
    extract_by_hand: Callable[[Article], Extraction],
) -> Path:
    """A store with both articles ingested through the CLI, built once and copied per test."""
    folder = tmp_path_factory.mktemp("ingested")
    (folder / "sample.txt").write_text(sample_text, encoding="utf-8")
    (folder / "later.txt").write_text(later_text, encoding="utf-8")
    path = folder / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            PolicyGraph, "extract", lambda self, article, progress=None: extract_by_hand(article)
        )
        for name, day in (("sample", "2024-11-18"), ("later", "2024-12-02")):
            result = run("--store", path, "ingest", folder / f"{name}.txt", "--date", day)
            assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store(tmp_path: Path, ingested: Path, files: dict[str, Path]) -> Path:
    """A fresh copy of the ``ingested`` store, beside the ``files``."""
    return Path(shutil.copytree(ingested, tmp_path / "store"))


# --- every command runs --------------------------------------------------------------------


def test_cli_ingest_writes_the_article_and_says_what_it_wrote(
    tmp_path: Path, files: dict[str, Path], fake_extractor: list
) -> None:
    path = tmp_path / "store"

    result = run("--store", path, "ingest", files["sample"], "--date", "2024-11-18")

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"ingested {files['sample']}: 6 actors, 2 deals, 1 statement,")
    [article] = fake_extractor
    assert article.published is not None and article.published.isoformat() == "2024-11-18"
    assert article.author == "Jane Reporter" and article.source_name == "sample.txt"
    assert len(dump(path)) > 100


def test_cli_ingest_several_files_writes_them_all(
    tmp_path: Path, files: dict[str, Path], fake_extractor: list
) -> None:
    path = tmp_path / "store"

    result = run("--store", path, "ingest", files["sample"], files["later"])

    assert result.exit_code == 0, result.output
    assert result.stderr.count("ingested ") == 2
    with PolicyGraph.open(str(path)) as pg:
        assert len(pg.articles()) == 2


def test_cli_reingesting_an_article_replaces_it(
    store: Path, files: dict[str, Path], fake_extractor: list
) -> None:
    before = dump(store, raw=True)

    assert run("--store", store, "ingest", files["later"], "--date", "2024-12-02").exit_code == 0

    assert dump(store, raw=True) == before
    with PolicyGraph.open(str(store)) as pg:
        again = pg.changes()[-1]
    assert (again["kind"], again["added"], again["removed"]) == ("ingest", 0, 0)


def test_cli_store_option_and_environment_variable_choose_the_same_store(
    store: Path, tmp_path: Path
) -> None:
    by_option = run("--store", store, "deals", "--format", "json")
    by_env = run("deals", "--format", "json", env={"POLICYGRAPH_STORE": str(store)})
    option_wins = run(
        "--store", store, "deals", "-f", "json", env={"POLICYGRAPH_STORE": str(tmp_path / "x")}
    )

    assert by_option.exit_code == by_env.exit_code == option_wins.exit_code == 0
    assert len(json.loads(by_option.stdout)) == 2
    assert by_env.stdout == by_option.stdout == option_wins.stdout
    assert json.loads(run("deals", "-f", "json").stdout) == []  # default data/store: empty
    assert not (tmp_path / "x").exists()


def test_cli_deals_in_every_format(store: Path) -> None:
    table = run("--store", store, "deals")
    as_json = run("--store", store, "deals", "--format", "json")
    as_csv = run("--store", store, "deals", "--format", "csv")

    assert table.exit_code == as_json.exit_code == as_csv.exit_code == 0
    assert "2 deals" in table.stdout and "Kurdistan" in table.stdout
    deals = {d["iri"]: d for d in json.loads(as_json.stdout)}
    assert deals[UK_TURKEY]["status"] == "negotiating"
    assert [s["date"] for s in deals[UK_TURKEY]["sources"]] == ["2024-11-18", "2024-12-02"]
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["label"] for r in rows] == [
        "United Kingdom – Kurdistan Region",
        "United Kingdom – Turkey",
    ]
    assert rows[1]["payers"] == "United Kingdom" and rows[1]["amount"] == "£12 million"


def test_cli_entities_in_every_format(store: Path) -> None:
    table = run("--store", store, "entities")
    as_json = run("--store", store, "entities", "-f", "json")
    as_csv = run("--store", store, "entities", "-f", "csv")

    assert table.exit_code == as_json.exit_code == as_csv.exit_code == 0
    assert "Kurdistan" in table.stdout and "IQ-KR" in table.stdout
    entities = json.loads(as_json.stdout)
    assert {e["label"] for e in entities} >= {"United Kingdom", "Turkey", "Iraq", "Keir Starmer"}
    assert all(
        e.keys() == {"iri", "label", "type", "iso_code", "wikidata", "mentions"} for e in entities
    )
    rows = {r["label"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert rows["Kurdistan Region"]["iso_code"] == "IQ-KR"


def test_cli_query_text_and_file(store: Path, tmp_path: Path) -> None:
    sparql = "SELECT ?iso WHERE { GRAPH ?g { ?a pg:isoCode ?iso } } ORDER BY ?iso"
    query_file = tmp_path / "codes.rq"
    query_file.write_text(f"# ISO codes\n{sparql}\n", encoding="utf-8")

    as_text = run("--store", store, "query", sparql, "--format", "json")
    from_file = run("--store", store, "query", "--file", query_file, "--format", "json")
    as_table = run("--store", store, "query", "--file", query_file)
    ask = run("--store", store, "query", "ASK { GRAPH ?g { ?d a pg:Deal } }", "-f", "csv")

    assert as_text.exit_code == from_file.exit_code == as_table.exit_code == ask.exit_code == 0
    codes = [row["iso"] for row in json.loads(as_text.stdout)]
    assert sorted(set(codes)) == ["GB", "IQ", "IQ-KR", "TR"]
    assert from_file.stdout == as_text.stdout
    assert "IQ-KR" in as_table.stdout
    assert ask.stdout.split() == ["ask", "True"]


def test_cli_tables_print_text_as_written(store: Path) -> None:
    result = run("--store", store, "query", "SELECT ('[/b] [bold]x :x:' AS ?v) WHERE {}")

    assert result.exit_code == 0, result.output
    assert "[/b] [bold]x :x:" in result.stdout  # neither markup nor an emoji code


def test_cli_query_update_with_update_flag(store: Path) -> None:
    update = "INSERT DATA { GRAPH <urn:x:note> { <urn:x:a> rdfs:label 'note' } }"

    result = run("--store", store, "query", update, "--update")

    assert result.exit_code == 0, result.output
    assert "update applied" in result.stderr
    assert any("urn:x:note" in line for line in dump(store))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")],
)
def test_cli_export_in_every_format(store: Path, fmt: str, rdflib_format: str) -> None:
    result = run("--store", store, "export", "--format", fmt)

    assert result.exit_code == 0, result.output
    parsed = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's parsers use its old API
        parsed.parse(data=result.stdout, format=rdflib_format)
    graphs = [g for g in parsed.graphs() if len(g)]
    # one named graph per article and the change log, nothing in the default graph
    names = sorted(str(g.identifier) for g in graphs)
    assert names[-1] == "https://w3id.org/policygraph/id/changes"
    assert all(n.startswith("https://w3id.org/policygraph/id/article/") for n in names[:-1])
    assert len(names) == 3
    assert sum(len(g) for g in graphs) == len(dump(store))


def test_cli_export_turtle_is_plain_turtle_of_every_triple(store: Path) -> None:
    result = run("--store", store, "export", "--format", "turtle")

    assert result.exit_code == 0, result.output
    parsed = Graph().parse(data=result.stdout, format="turtle")
    quads = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's parsers use its old API
        quads.parse(data="\n".join(dump(store)), format="nquads")
    assert {(s, p, o) for s, p, o, _ in quads.quads()} == set(parsed)


def test_cli_network_pays(store: Path) -> None:
    table = run("--store", store, "network", "pays")
    as_json = run("--store", store, "network", "pays", "--format", "json")

    assert table.exit_code == as_json.exit_code == 0
    assert "United Kingdom" in table.stdout
    # one row per deal, with its current status (the later article's), like `deals`
    assert json.loads(as_json.stdout) == [
        {"payer": "United Kingdom", "payee": "Turkey", "deal": UK_TURKEY, "status": "negotiating"}
    ]


def test_cli_network_neighbours(store: Path) -> None:
    table = run("--store", store, "network", "neighbours", "UK")
    as_json = run("--store", store, "network", "neighbours", "gb", "-f", "json")

    assert table.exit_code == as_json.exit_code == 0
    assert "United Kingdom" in table.stdout
    neighbours = {row["actor"]: row for row in json.loads(as_json.stdout)}
    assert set(neighbours) == {"Turkey", "Kurdistan Region", "human rights groups"}
    assert "pays (out)" in neighbours["Turkey"]["links"]
    assert neighbours["human rights groups"]["links"] == ["criticises (in)"]


def test_cli_network_path(store: Path) -> None:
    result = run("--store", store, "network", "path", "Kurdistan", "TR")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Kurdistan Region → United Kingdom → Turkey"


def test_cli_network_path_between_unlinked_actors_says_so(store: Path) -> None:
    result = run("--store", store, "network", "path", "Iraq", "Turkey")

    assert result.exit_code == 0  # an answer, not an error
    assert result.stdout.strip() == "no path between Iraq and Turkey"
    assert result.stderr == ""


def test_cli_network_centrality(store: Path) -> None:
    table = run("--store", store, "network", "centrality")
    as_json = run("--store", store, "network", "centrality", "-f", "json")

    assert table.exit_code == as_json.exit_code == 0
    assert "centrality" in table.stdout
    rows = {row["label"]: row for row in json.loads(as_json.stdout)}
    assert rows["United Kingdom"]["betweenness"] > 0 and rows["Turkey"]["betweenness"] > 0
    assert rows["Iraq"]["degree"] == 0


def test_cli_commands_on_a_store_never_written_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "nothing-yet"

    assert json.loads(run("--store", path, "deals", "-f", "json").stdout) == []
    assert json.loads(run("--store", path, "entities", "-f", "json").stdout) == []
    assert json.loads(run("--store", path, "network", "pays", "-f", "json").stdout) == []
    assert not path.exists()  # reading never creates the store


def test_cli_help_lists_every_command() -> None:
    result = run("--help")

    assert result.exit_code == 0
    for command in ("ingest", "deals", "entities", "query", "export", "network"):
        assert command in result.stdout


# --- a new user's first hour (issue 8) -----------------------------------------------------


def test_cli_counts_agree_with_their_number(
    tmp_path: Path, files: dict[str, Path], fake_extractor: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "one"
    ingest = run("--store", path, "ingest", files["later"], "--date", "2024-12-02")
    table = run("--store", path, "deals")

    assert ingest.exit_code == table.exit_code == 0, ingest.output + table.output
    assert ": 2 actors, 1 deal, 0 statements, 43 triples" in ingest.stderr
    assert table.stdout.lstrip().startswith("1 deal\n")
    assert "1 article: 2024-12-02" in table.stdout
    assert not re.search(r"\b1 (deals|sources|articles|actors|statements)\b", table.stdout)


def test_cli_deals_table_shows_every_field_help_promises(store: Path) -> None:
    result = run("--store", store, "deals")

    assert result.exit_code == 0, result.output
    fields = {line.split("│")[1].strip() for line in result.stdout.splitlines() if "│" in line}
    # `deals --help`: parties, who pays whom, status, purposes, amount, critics, sources
    assert {"parties", "pays", "status", "purposes", "amount", "critics", "sources"} <= fields
    assert "United Kingdom, Turkey" in result.stdout  # parties
    assert "United Kingdom → Turkey" in result.stdout  # who pays whom
    assert "2 articles: 2024-11-18, 2024-12-02" in result.stdout  # sources
    assert "human rights groups" in result.stdout  # critics
    assert "deals" in run("deals", "--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["deals"],
        ["entities"],
        ["network", "pays"],
        ["network", "neighbours", "UK"],
        ["timeline", "GB+TR"],
        ["query", "SELECT ?d ?p WHERE { GRAPH ?g { ?d a pg:Deal ; pg:party ?p } }"],
    ],
    ids=["deals", "entities", "pays", "neighbours", "timeline", "query"],
)
def test_cli_tables_fit_80_columns_with_prefixed_iris(store: Path, args: list[str]) -> None:
    result = run("--store", store, *args)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert "https://w3id.org/" not in result.stdout  # IRIs by prefixed name, in full in JSON
    prefixed = re.findall(r"\b(?:id|status|wd):[\w/.-]+", result.stdout)
    assert prefixed, result.stdout
    for name in prefixed:  # no prefixed name is broken across two lines
        assert name.count("/") in {0, 1, 2} and not name.endswith("/"), name
    if args[0] in {"deals", "network"}:
        assert "id:deal/" in result.stdout


def test_cli_prefixed_names_from_a_table_name_the_same_deal_and_actor(store: Path) -> None:
    deal = "id:deal/" + UK_TURKEY.rsplit("/", 1)[1]

    timeline = run("--store", store, "timeline", deal, "-f", "json")
    neighbours = run("--store", store, "network", "neighbours", "id:actor/country/TR", "-f", "json")

    assert timeline.exit_code == neighbours.exit_code == 0, timeline.output + neighbours.output
    assert {h["deal"] for h in json.loads(timeline.stdout)} == {UK_TURKEY}
    assert {row["actor"] for row in json.loads(neighbours.stdout)} >= {"United Kingdom"}


def test_cli_query_of_the_default_graph_only_hints_at_named_graphs(store: Path) -> None:
    bare = run("--store", store, "query", "SELECT ?s WHERE { ?s a pg:Deal }")
    bare_ask = run("--store", store, "query", "ASK { ?s a pg:Deal }", "-f", "json")
    named = run("--store", store, "query", "SELECT ?s WHERE { GRAPH ?g { ?s a pg:Deal } }")
    none_named = run("--store", store, "query", "SELECT ?s WHERE { GRAPH ?g { ?s a pg:Nope } }")
    literal = run("--store", store, "query", "SELECT ?s WHERE { ?s rdfs:label 'GRAPH' }")

    assert bare.exit_code == bare_ask.exit_code == named.exit_code == 0
    for result in (bare, bare_ask, literal):
        assert result.stderr.startswith("hint: no rows: every article is a named graph"), result
        assert "GRAPH ?g {" in result.stderr
    assert json.loads(bare_ask.stdout) == [{"ask": False}]  # standard output stays data
    assert named.stderr == none_named.stderr == ""  # it names graphs: an answer, no hint
    assert "id:deal/" in named.stdout


@pytest.mark.parametrize(
    ("args", "position", "caret", "problem"),
    [
        (["query", "SELEC ?x"], "line 1, column 1", "  SELEC ?x\n  ^", "not a query form"),
        (
            ["query", "SELECT ?x\nWHERE { ?x a nope:Deal }"],
            "line 2, column 14",
            "  WHERE { ?x a nope:Deal }\n               ^",
            "unknown prefix 'nope:'",
        ),
        (
            ["query", "--update", "INSERT DATA { GRAPH <urn:x:g> {"],
            "line 1, column 32",
            "  INSERT DATA { GRAPH <urn:x:g> {\n                                 ^",
            "",
        ),
    ],
    ids=["query-form", "unknown-prefix", "update"],
)
def test_cli_sparql_syntax_error_shows_line_column_and_caret(
    store: Path, args: list[str], position: str, caret: str, problem: str
) -> None:
    before = dump(store)

    result = run("--store", store, *args)

    assert result.exit_code == 1 and result.stdout == ""
    first, _, rest = result.stderr.rstrip("\n").partition("\n")
    assert first.startswith(f"error: SPARQL syntax error at {position}"), result.stderr
    assert problem in first
    assert rest == caret
    assert "[_]" not in result.stderr  # the parser's character classes are not shown
    assert dump(store) == before


@pytest.mark.parametrize(
    "args",
    [
        ["deals"],
        ["entities"],
        ["timeline", "GB+TR"],
        ["query", "SELECT ?iso WHERE { GRAPH ?g { ?a pg:isoCode ?iso } }"],
        ["network", "pays"],
        ["network", "neighbours", "UK"],
        ["network", "centrality"],
    ],
    ids=["deals", "entities", "timeline", "query", "pays", "neighbours", "centrality"],
)
def test_cli_every_tabular_command_takes_table_json_and_csv(store: Path, args: list[str]) -> None:
    as_json = run("--store", store, *args, "--format", "json")
    as_csv = run("--store", store, *args, "--format", "csv")
    as_table = run("--store", store, *args, "--format", "table")

    assert as_json.exit_code == as_csv.exit_code == as_table.exit_code == 0, as_csv.output
    rows = json.loads(as_json.stdout)
    assert rows
    read = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(read) == len(rows)
    assert set(read[0]) <= set(rows[0])


def test_cli_evaluate_takes_csv_too(tmp_path: Path, fake_extractor: list) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()

    result = run("evaluate", folder, "--format", "csv")

    assert "--format" not in result.stderr  # csv is accepted; an empty folder is its own error


def test_cli_ingest_a_folder_takes_its_txt_files_in_name_order(
    tmp_path: Path, sample_text: str, later_text: str, fake_extractor: list
) -> None:
    folder = tmp_path / "desk"
    (folder / "2024" / "dec").mkdir(parents=True)
    (folder / "b-sample.txt").write_text(sample_text, encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    (folder / ".hidden.txt").write_text(sample_text, encoding="utf-8")
    (folder / "2024" / "dec" / "a-later.txt").write_text(later_text, encoding="utf-8")
    flat, deep = tmp_path / "flat", tmp_path / "deep"

    only_top = run("--store", flat, "ingest", folder)
    recursive = run("--store", deep, "ingest", "--recursive", folder, folder / "b-sample.txt")

    assert only_top.exit_code == recursive.exit_code == 0, only_top.output + recursive.output
    assert [a.source_name for a in fake_extractor] == [
        "b-sample.txt",
        "a-later.txt",
        "b-sample.txt",
    ]
    assert re.findall(r"^ingested (\S+):", only_top.stderr, re.M) == [str(folder / "b-sample.txt")]
    assert re.findall(r"^ingested (\S+):", recursive.stderr, re.M) == [
        str(folder / "2024" / "dec" / "a-later.txt"),  # the folder's files, each once
        str(folder / "b-sample.txt"),
    ]
    articles = run(
        "--store",
        deep,
        "query",
        "SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }",
        "-f",
        "json",
    )
    assert len(json.loads(articles.stdout)) == 2


def test_cli_ingest_a_folder_of_subfolders_only_says_to_recurse(
    tmp_path: Path, sample_text: str, fake_extractor: list
) -> None:
    folder = tmp_path / "desk"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "a.txt").write_text(sample_text, encoding="utf-8")

    result = run("--store", tmp_path / "store", "ingest", folder)

    line = one_error_line(result)
    assert f"{folder}: a folder with no .txt files" in line and "--recursive" in line
    assert fake_extractor == [] and not (tmp_path / "store").exists()


# --- bad input: one line, non-zero exit, store unchanged -----------------------------------

BAD_INPUTS: list[
    tuple[str, Callable[[dict[str, Path]], list[object]], Callable[[dict[str, Path]], str]]
] = [
    ("empty-file", lambda f: ["ingest", f["empty"]], lambda f: f"{f['empty']}: empty file"),
    ("blank-file", lambda f: ["ingest", f["blank"]], lambda f: f"{f['blank']}: empty file"),
    ("pdf-file", lambda f: ["ingest", f["binary"]], lambda f: f"{f['binary']}: a PDF document"),
    ("binary-file", lambda f: ["ingest", f["zeros"]], lambda f: f"{f['zeros']}: binary file"),
    ("non-utf8-file", lambda f: ["ingest", f["latin1"]], lambda f: f"{f['latin1']}: not UTF-8"),
    (
        "bracketed-path",
        lambda f: ["ingest", f["bracketed"]],
        lambda f: f"{f['bracketed']}: empty file",
    ),
    (
        "folder-without-articles",
        lambda f: ["ingest", f["directory"]],
        lambda f: f"{f['directory']}: a folder with no .txt files",
    ),
    ("missing-file", lambda f: ["ingest", f["missing"]], lambda f: f"{f['missing']}: no such file"),
    ("over-5-mb", lambda f: ["ingest", f["huge"]], lambda f: f"{f['huge']}: file is 5.2 MB, over"),
    (
        "impossible-date",
        lambda f: ["ingest", f["sample"], "--date", "2024-13-45"],
        lambda f: "--date '2024-13-45': not a valid date",
    ),
    (
        "word-date",
        lambda f: ["ingest", f["sample"], "--date", "yesterday"],
        lambda f: "--date 'yesterday': not a valid date",
    ),
    (
        "relative-url",
        lambda f: ["ingest", f["sample"], "--url", "foo"],
        lambda f: "--url 'foo': not an absolute http(s) URL",
    ),
    (
        "script-url",
        lambda f: ["ingest", f["sample"], "--url", "javascript:alert(1)"],
        lambda f: "--url 'javascript:alert(1)': not an absolute http(s) URL",
    ),
    (
        "good-and-bad-files",
        lambda f: ["ingest", f["sample"], f["later"], f["empty"]],
        lambda f: f"{f['empty']}: empty file",
    ),
    (
        "url-for-several-files",
        lambda f: ["ingest", f["sample"], f["later"], "--url", "https://news.example/a"],
        lambda f: "--url: names one article",
    ),
    (
        "update-without-flag",
        lambda f: ["query", "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"],
        lambda f: "query: this is a SPARQL update; pass --update",
    ),
    (
        "update-that-fails",
        lambda f: [
            "query",
            "--update",
            "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } } ; DROP GRAPH <urn:x:nope>",
        ],
        lambda f: "update failed",
    ),
    (
        "missing-query-file",
        lambda f: ["query", "--file", f["missing"]],
        lambda f: f"{f['missing']}: no such query file",
    ),
    (
        "binary-query-file",
        lambda f: ["query", "--file", f["binary"]],
        lambda f: f"{f['binary']}: not UTF-8",
    ),
    (
        "query-text-and-file",
        lambda f: ["query", "ASK {}", "--file", f["sample"]],
        lambda f: "not both or neither",
    ),
    (
        "unknown-actor",
        lambda f: ["network", "neighbours", "Atlantis"],
        lambda f: "actor 'Atlantis': not found",
    ),
    (
        "unknown-path-actor",
        lambda f: ["network", "path", "UK", "Atlantis"],
        lambda f: "actor 'Atlantis': not found",
    ),
]


@pytest.mark.parametrize(
    ("args", "message"), [(a, m) for _, a, m in BAD_INPUTS], ids=[n for n, _, _ in BAD_INPUTS]
)
def test_cli_bad_input_gives_one_line_and_leaves_the_store_as_it_was(
    store: Path,
    files: dict[str, Path],
    fake_extractor: list,
    args: Callable[[dict[str, Path]], list[object]],
    message: Callable[[dict[str, Path]], str],
) -> None:
    before = dump(store)
    extracted = len(fake_extractor)

    result = run("--store", store, *args(files))

    assert message(files) in one_error_line(result)
    assert dump(store) == before
    assert len(fake_extractor) == extracted  # bad input is refused before any extraction


def test_cli_first_ingest_of_bad_input_writes_nothing(
    tmp_path: Path, files: dict[str, Path], fake_extractor: list
) -> None:
    path = tmp_path / "store"

    result = run("--store", path, "ingest", files["sample"], files["zeros"])

    assert "binary file" in one_error_line(result)
    assert dump(path) == []


# --- the store is busy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["query", "--update", "DROP SILENT GRAPH <urn:x:g>"], ["ingest", "articles/sample.txt"]],
    ids=["query-update", "ingest"],
)
def test_cli_writing_while_another_writer_holds_the_store_says_busy(
    store: Path, fake_extractor: list, args: list[str]
) -> None:
    before = dump(store)
    with EmbeddedStore(store):
        result = run("--store", store, *args)
        reader = run("--store", store, "deals", "-f", "json")  # waits, then is told too

    line = one_error_line(result)
    assert "busy" in line and str(store) in line
    assert "busy" in one_error_line(reader)
    assert dump(store) == before


def test_cli_busy_store_in_another_process_gives_one_line(store: Path) -> None:
    command = "import sys; from graph.cli import app; sys.argv[0] = 'policygraph'; app()"
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"
    before = dump(store)
    with EmbeddedStore(store):
        result = subprocess.run(
            [sys.executable, "-c", command, "--store", str(store), "query", "--update", update],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0], result.stderr
    assert dump(store) == before


@pytest.mark.server
def test_cli_remote_store_url(
    oxigraph_server: str, files: dict[str, Path], fake_extractor: list
) -> None:
    reset = run("--store", oxigraph_server, "query", "--update", "DROP ALL")
    assert reset.exit_code == 0, reset.output

    ingest = run("--store", oxigraph_server, "ingest", files["sample"], "--date", "2024-11-18")
    deals = run("deals", "-f", "json", env={"POLICYGRAPH_STORE": oxigraph_server})

    assert ingest.exit_code == 0, ingest.output
    assert [d["status"] for d in json.loads(deals.stdout)] == ["negotiating", "concluded"]
    bad = run("--store", oxigraph_server, "query", "SELECT ?x\nWHERE { ?x a nope:Deal }")
    assert bad.exit_code == 1 and bad.stdout == ""
    # the server's position, less the line of prefixes sent before the query
    assert bad.stderr.startswith("error: SPARQL syntax error at line 2, column 14: unknown prefix")
    assert "\n  WHERE { ?x a nope:Deal }\n               ^" in bad.stderr


# --- the real pipeline, end to end ---------------------------------------------------------


@pytest.mark.model
def test_cli_ingest_with_the_real_pipeline_keeps_the_json_contract(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(PolicyGraph, "extract", REAL_EXTRACT)
    store = tmp_path / "real"
    ingest = run("--store", store, "ingest", SAMPLE, "--date", "2024-11-18")
    assert ingest.exit_code == 0, ingest.output

    deals = json.loads(run("--store", store, "deals", "--format", "json").stdout)
    entities = json.loads(run("--store", store, "entities", "--format", "json").stdout)

    assert len(deals) == 5
    for deal in deals:
        assert deal.keys() >= CONTRACT_DEAL_KEYS
        assert deal["status"] in {"proposed", "negotiating", "concluded", "suspended", "terminated"}
        assert deal["amount"] is None or isinstance(deal["amount"], str)
        assert all(isinstance(p, str) for p in deal["purposes"])
        for key in ("parties", "payers", "payees", "criticised_by"):
            assert all(actor.keys() == CONTRACT_ACTOR_KEYS for actor in deal[key])
        for source in deal["sources"]:
            assert source.keys() >= CONTRACT_SOURCE_KEYS
            assert source["date"] == "2024-11-18"
    pays = {(a["label"], b["label"]) for d in deals for a in d["payers"] for b in d["payees"]}
    assert pays == {
        ("United Kingdom", "Turkey"),
        ("United Kingdom", "Vietnam"),
        ("United Kingdom", "Kurdistan Region"),
        ("Italy", "Tunisia"),
        ("Italy", "Libya"),
    }
    assert all(e.keys() == CONTRACT_ACTOR_KEYS | {"mentions"} for e in entities)


def test_cli_shacl_violation_aborts_the_whole_ingest_with_one_line(
    store: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph that breaks a shape (here: a country with a malformed ISO code) stops the ingest
    before anything is written, even the good article given with it."""
    from conftest import build_extraction

    def extract(self: PolicyGraph, article: Article, progress: object = None) -> Extraction:
        extraction = build_extraction(article)
        if article.source_name == files["later"].name:
            extraction.actors[0].iso_code = "gbr"
        return extraction

    monkeypatch.setattr(PolicyGraph, "extract", extract)
    before = dump(store)

    result = run("--store", store, "ingest", files["sample"], files["later"])

    line = one_error_line(result)
    assert f"{files['later']}: SHACL violation:" in line
    assert "pg:isoCode" in line and "CountryShape" in line
    assert dump(store) == before


def test_cli_timeline_of_a_deal_reported_twice(store: Path) -> None:
    result = run("--store", store, "timeline", "GB+TR", "--format", "json")

    assert result.exit_code == 0, result.output
    history = json.loads(result.stdout)
    assert [h["date"] for h in history] == ["2024-11-18", "2024-12-02"]
    assert history[-1]["status"] == "negotiating"  # the later article's claim is current
    assert "not found" in one_error_line(run("--store", store, "timeline", "GB+XX"))


# --- hostile queries: nothing leaves the machine, nothing runs unbounded --------------------

CROSS = "SELECT * WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?t ?q ?r } GRAPH ?c { ?u ?w ?x } }"


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on loopback that records whatever connects to it and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    heard: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connection.settimeout(1)
            try:
                heard.append(connection.recv(1024))
            except OSError:
                heard.append(b"")
            # keep it open and silent: a federated query waits on it
            stop.wait(30)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", heard
    stop.set()
    thread.join(5)
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        "PREFIX far: <{url}/>\nSELECT * WHERE {{ SERVICE far:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # a comment ended by a carriage return\rSERVICE <{url}/q> {{}} }}",
        "PREFIX e: <{url}/sparql>\nSELECT * WHERE {{ SERVICEe: {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ BIND("x\\u005C" AS ?a) SERVICE <{url}/q> {{}} BIND("z" AS ?b) }}',
        "SELECT * WHERE {{ {{ ?s ?p pg:a\\' }} UNION {{ SERVICE <{url}/q> {{}} FILTER(?o != 'x') }}"
        " }}",
        "SELECT * WHERE {{ SERVICE <{url}\\u002Fq> {{ ?s ?p ?o }} }}",
        "INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        "LOAD <{url}/data.ttl> INTO GRAPH <urn:x:g>",
        "LOAD SILENT <{url}/data.ttl>",
    ],
)
def test_cli_query_service_is_off_and_sends_nothing(
    store: Path, listener: tuple[str, list[bytes]], template: str
) -> None:
    url, heard = listener
    before = dump(store)

    result = run("--store", store, "query", template.format(url=url), "--update")

    assert "federated queries and LOAD are off" in one_error_line(result)
    time.sleep(0.3)
    assert heard == []  # no connection was ever made
    assert dump(store) == before


def test_cli_query_service_goes_only_to_the_endpoints_allowed(
    store: Path, listener: tuple[str, list[bytes]]
) -> None:
    url, heard = listener
    elsewhere = "SELECT * WHERE { SERVICE <http://127.0.0.2:9999/sparql> { ?s ?p ?o } }"
    variable = "SELECT * WHERE { BIND(<http://x.invalid/> AS ?e) SERVICE ?e { ?s ?p ?o } }"

    port = url.rsplit(":", 1)[1]
    other_port = f"PREFIX e: <http://127.0.0.1>\nSELECT * WHERE {{ SERVICE e::{port}\\/q {{}} }}"
    other_host = (
        f"PREFIX é: <{url}/> PREFIX : <http://example.org/>\n"
        "SELECT * WHERE { SERVICE é:q { ?s ?p ?o } }"
    )

    other = run("--store", store, "query", elsewhere, "--allow-service", url)
    unknown = run("--store", store, "query", variable, "--allow-service", url)
    by_port = run("--store", store, "query", other_port, "--allow-service", "http://127.0.0.1")
    by_host = run("--store", store, "query", other_host, "--allow-service", "http://example.org")

    assert "not an endpoint --allow-service allows" in one_error_line(other)
    assert "variable endpoint" in one_error_line(unknown)
    assert "not an endpoint --allow-service allows" in one_error_line(by_port)
    assert "not an endpoint --allow-service allows" in one_error_line(by_host)
    assert heard == []


def test_cli_query_allowed_service_that_never_answers_is_stopped(
    store: Path, listener: tuple[str, list[bytes]]
) -> None:
    url, heard = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    started = time.monotonic()

    result = run("--store", store, "query", query, "--allow-service", url, "--timeout", "2")

    assert "stopped after 2 s" in one_error_line(result)
    assert time.monotonic() - started < 20
    assert heard and heard[0].split(b" ", 1)[0] in {b"POST", b"GET"}  # it was let through


def test_cli_query_allowed_service_on_a_closed_port_is_one_line(store: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"

    result = run(
        "--store", store, "query", f"SELECT * WHERE {{ SERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        "--allow-service", url,
    )  # fmt: skip

    assert "query failed" in one_error_line(result)


def test_cli_query_stops_at_its_timeout_and_frees_the_store(store: Path) -> None:
    started = time.monotonic()

    result = run("--store", store, "query", ENDLESS, "--timeout", "1")

    assert "stopped after 1 s" in one_error_line(result)
    assert "--timeout" in result.stderr
    assert time.monotonic() - started < 15
    with PolicyGraph.open(str(store), "write") as pg:  # the writer gets in at once
        assert pg.store.graph_names()


def test_cli_query_stops_at_its_memory_cap(store: Path) -> None:
    # every quad three times over, each row a long string: gigabytes if all kept
    huge = (
        "SELECT (GROUP_CONCAT(CONCAT(STR(?s), STR(?t), STR(?u)); separator=' ') AS ?all) "
        "WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?t ?q ?r } GRAPH ?c { ?u ?w ?x } }"
    )

    result = run("--store", store, "query", huge, "--memory", "300", "--timeout", "120")

    assert "out of memory" in one_error_line(result)


def test_cli_query_limit_stops_a_cross_product_early(store: Path) -> None:
    started = time.monotonic()

    result = run("--store", store, "query", CROSS, "--limit", "3", "--format", "json")

    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert "more than 3 rows" in result.stderr
    assert time.monotonic() - started < 30


def test_cli_query_update_is_validated_and_refused_whole(store: Path) -> None:
    before = dump(store)
    bogus = (
        "INSERT { GRAPH ?g { ?claim pg:status <https://w3id.org/policygraph/status/bogus> } }"
        " WHERE { GRAPH ?g { ?deal pg:statusClaim ?claim } }"
    )

    result = run("--store", store, "query", bogus, "--update")

    assert "SHACL violation" in one_error_line(result)
    assert dump(store) == before
    assert run("--store", store, "deals").exit_code == 0
    assert run("--store", store, "timeline", UK_TURKEY).exit_code == 0


# --- hostile files and settings: one line, nothing read without bound, store unchanged -------


@pytest.fixture
def hostile(tmp_path: Path, sample_text: str) -> dict[str, Path]:
    """Files that are no plain-text article, each in its own way."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    paths = {name: folder / f"{name}.txt" for name in ("html", "fragment", "rtf", "utf16")}
    paths["html"].write_text(
        "<!DOCTYPE html>\n<html><head><title>Boats</title></head>"
        "<body><h1>UK pays France to stop boats</h1></body></html>\n",
        encoding="utf-8",
    )
    paths["fragment"].write_text("<h1>UK pays France</h1>\n<p>The UK paid.</p>\n")
    paths["rtf"].write_text(r"{\rtf1\ansi{\fonttbl\f0 Times New Roman;}\f0 UK pays France.}")
    paths["utf16"].write_bytes(sample_text.encode("utf-16-le"))  # no byte-order mark
    paths["fifo"] = folder / "pipe.txt"
    os.mkfifo(paths["fifo"])
    paths["loop"] = folder / "loop.txt"
    paths["loop"].symlink_to(paths["loop"])
    paths["bom16"] = folder / "bom16.txt"
    paths["bom16"].write_bytes(sample_text.encode("utf-16"))  # with its byte-order mark
    paths["file"] = folder / "a-file"
    paths["file"].write_text("not a store\n", encoding="utf-8")
    return paths


HOSTILE_INPUTS: list[tuple[str, list[object], str]] = [
    ("fifo", ["ingest", "{fifo}"], "{fifo}: a named pipe (FIFO), not a regular file"),
    ("dev-zero", ["ingest", "/dev/zero"], "/dev/zero: a character device, not a regular file"),
    ("dev-urandom", ["ingest", "/dev/urandom"], "/dev/urandom: a character device"),
    ("html", ["ingest", "{html}"], "{html}: an HTML page, not plain text"),
    ("html-fragment", ["ingest", "{fragment}"], "{fragment}: an HTML page, not plain text"),
    ("rtf", ["ingest", "{rtf}"], "{rtf}: an RTF document, not plain text"),
    ("utf16-without-bom", ["ingest", "{utf16}"], "{utf16}: UTF-16 text without a byte-order"),
    ("symlink-loop", ["ingest", "{loop}"], "{loop}: a loop of symbolic links"),
    ("empty-date", ["ingest", "{bom16}", "--date", ""], "--date '': empty"),
    ("empty-url", ["ingest", "{bom16}", "--url", ""], "--url '': empty"),
]


@pytest.mark.parametrize(
    ("args", "message"),
    [(a, m) for _, a, m in HOSTILE_INPUTS],
    ids=[n for n, _, _ in HOSTILE_INPUTS],
)
def test_cli_hostile_file_gives_one_line_and_leaves_the_store_as_it_was(
    store: Path, hostile: dict[str, Path], fake_extractor: list, args: list[object], message: str
) -> None:
    before = dump(store)
    started = time.monotonic()

    result = run("--store", store, *(str(a).format(**hostile) for a in args))

    assert message.format(**hostile) in one_error_line(result)
    assert time.monotonic() - started < 30  # never blocked on a pipe, never read a device
    assert dump(store) == before
    assert fake_extractor == []


def test_cli_utf16_with_a_byte_order_mark_is_read(
    tmp_path: Path, hostile: dict[str, Path], files: dict[str, Path], fake_extractor: list
) -> None:
    as_utf16 = run("--store", tmp_path / "a", "ingest", hostile["bom16"])
    as_utf8 = run("--store", tmp_path / "b", "ingest", files["sample"])

    assert as_utf16.exit_code == as_utf8.exit_code == 0, as_utf16.output
    assert fake_extractor[0].text == fake_extractor[1].text
    same = [line.replace("bom16.txt", "sample.txt") for line in dump(tmp_path / "a", raw=True)]
    assert same == dump(tmp_path / "b", raw=True)  # but for the file's name


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("{file}", "{file}: is a file, not a store directory"),
        ("{file}/store", "{file}/store: cannot create it"),
        ("{loop}", "{loop}: is a symbolic link to nothing"),
    ],
)
def test_cli_store_that_cannot_be_one_gives_one_line(
    hostile: dict[str, Path], where: str, message: str
) -> None:
    commands = [["deals"], ["query", "ASK {}"], ["query", "--update", "CLEAR ALL"]]
    if where.endswith("/store"):  # nothing is there to read: only a write needs to create it
        commands = commands[2:]
    for command in commands:
        result = run("--store", where.format(**hostile), *command)
        assert message.format(**hostile) in one_error_line(result), command
    assert hostile["file"].read_text(encoding="utf-8") == "not a store\n"


def test_cli_lock_wait_that_is_no_number_gives_one_line(store: Path) -> None:
    for value in ("abc", "-1", "inf", "nan"):
        result = run("--store", store, "deals", env={"POLICYGRAPH_LOCK_WAIT": value})
        assert f"POLICYGRAPH_LOCK_WAIT {value!r}: not a number" in one_error_line(result)


def test_cli_store_through_a_symlink_shares_its_lock(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "link-to-store"
    link.symlink_to(store)

    with PolicyGraph.open(str(store), "write") as writer:
        writer.store.graph_names()  # the writer holds the store
        result = run("--store", link, "deals", env={"POLICYGRAPH_LOCK_WAIT": "0.2"})

    assert "busy" in one_error_line(result)


def test_cli_tables_show_direction_overrides_and_invisible_characters_as_escapes(
    store: Path,
) -> None:
    hostile = "SELECT ('evil\\u202Etxt.exe\\u200B \\u001B[31mred' AS ?v) WHERE {}"

    table = run("--store", store, "query", hostile)
    as_json = run("--store", store, "query", hostile, "--format", "json")

    assert table.exit_code == 0, table.output
    assert "evil\\u202etxt.exe\\u200b \\u001b[31mred" in table.stdout
    assert not {"\u202e", "\u200b", "\x1b"} & set(table.stdout)
    assert json.loads(as_json.stdout) == [{"v": "evil\u202etxt.exe\u200b \x1b[31mred"}]  # data


def test_cli_labels_hold_no_invisible_characters(
    tmp_path: Path, extract_by_hand: Callable[[Article], Extraction], sample_text: str
) -> None:
    path = tmp_path / "zw.txt"
    path.write_text(sample_text, encoding="utf-8")

    def with_invisible_names(self: PolicyGraph, article: Article, progress: object = None):
        extraction = extract_by_hand(article)
        for actor in extraction.actors:
            actor.label = f"\u200b{actor.label}\u202c"
            actor.mentions = [f"{m}\u200b" for m in actor.mentions]
        return extraction

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PolicyGraph, "extract", with_invisible_names)
        assert run("--store", tmp_path / "s", "ingest", path).exit_code == 0
    with PolicyGraph.open(str(tmp_path / "s"), "read") as pg:
        names = [n for e in pg.entities() for n in (e["label"], *e["mentions"])]
        names += [d["label"] for d in pg.deals()]
    assert names and not any(set(n) & {"\u200b", "\u202c"} for n in names)


def test_cli_query_too_large_for_the_engine_is_one_line(store: Path, tmp_path: Path) -> None:
    query = tmp_path / "huge.rq"
    query.write_text("ASK { " + "?s ?p ?o . " * 100_000 + "}", encoding="utf-8")  # 1 MB

    result = run("--store", store, "query", "--file", query)

    assert "could not run this query" in one_error_line(result)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_query_streams_rows_as_they_come_and_keeps_them_whole_when_stopped(
    store: Path, fmt: str
) -> None:
    result = run("--store", store, "query", CROSS, "--format", fmt, "--timeout", "3")

    assert "stopped after 3 s" in result.stderr and result.exit_code == 1
    if fmt == "json":
        rows = json.loads(result.stdout)  # a whole document, though the query was stopped
    else:
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) >= 500  # rows were written while the query still ran
    assert set(rows[0]) == {"a", "s", "p", "o", "b", "t", "q", "r", "c", "u", "w", "x"}


def test_cli_query_streamed_json_is_what_a_whole_answer_prints(store: Path) -> None:
    sparql = "SELECT ?iso ?n WHERE { GRAPH ?g { ?a pg:isoCode ?iso } BIND(1 AS ?n) } ORDER BY ?iso"

    streamed = run("--store", store, "query", sparql, "--format", "json")
    empty = run("--store", store, "query", "SELECT ?x WHERE { FILTER(false) }", "-f", "json")

    assert streamed.exit_code == empty.exit_code == 0
    rows = json.loads(streamed.stdout)
    assert streamed.stdout == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    assert rows and all(row["n"] == 1 for row in rows)
    assert empty.stdout == "[]\n"


def test_cli_an_ill_typed_literal_gives_no_traceback(store: Path) -> None:
    update = "INSERT DATA { GRAPH <urn:x:note> { <urn:x:a> <urn:x:n> 'abc'^^xsd:integer } }"

    written = run("--store", store, "query", "--update", update)
    exported = run("--store", store, "export", "--format", "nquads")

    assert "Traceback" not in written.stderr + exported.stderr
    assert exported.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "ASK {}", "--timeout", "1e10"], "--timeout"),
        (["query", "ASK {}", "--memory", "9000000000000"], "--memory"),
        (["query", "ASK {}", "--memory", "1"], "--memory 1: too little"),
        (["query", "ASK {}", "--limit", "99999999999999999999999"], "--limit"),
        (["--store", "http://[::1", "deals"], "not a valid URL"),
        (["--store", "http://x:y/", "deals"], "not a valid URL"),
        (["--store", "", "deals"], "--store '': empty"),
        (["dashboard", "--address", "x y"], "--address 'x y': not a host name"),
        (["ingest", SAMPLE, "--outlet", "\udcff"], "--outlet"),
        (["ingest", SAMPLE, "--url", "http://x/\udcff"], "--url: not valid UTF-8"),
    ],
)
def test_cli_odd_values_give_one_line_and_no_traceback(
    store: Path, fake_extractor: list, args: list[object], message: str
) -> None:
    before = dump(store)
    full = args if args[0] == "--store" else ["--store", store, *args]

    result = CliRunner().invoke(app, [str(a) for a in full])

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in {1, 2}
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert dump(store) == before


def test_cli_a_file_whose_name_is_not_utf8_is_ingested_with_its_name_readable(
    tmp_path: Path, files: dict[str, Path], fake_extractor: list
) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    shutil.copy(files["sample"], odd)

    result = run("--store", tmp_path / "s", "ingest", odd)

    assert result.exit_code == 0, result.output
    assert fake_extractor[0].source_name == "caf\ufffd.txt"


def test_cli_articles_lists_each_article_with_its_file(store: Path) -> None:
    result = run("--store", store, "articles", "--format", "json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(row["source"] for row in rows) == ["later.txt", "sample.txt"]
    assert all(row["headline"] and row["article"].startswith("https://") for row in rows)


@pytest.mark.parametrize("by", ["source", "headline", "article", "prefixed"])
def test_cli_remove_takes_away_one_article_and_only_it(store: Path, by: str) -> None:
    rows = json.loads(run("--store", store, "articles", "--format", "json").stdout)
    gone = next(row for row in rows if row["source"] == "sample.txt")
    kept = next(row for row in rows if row["source"] == "later.txt")
    name = {
        "source": "sample.txt",
        "headline": gone["headline"].upper(),
        "article": gone["article"],
        "prefixed": "id:" + gone["article"].split("/id/", 1)[1],
    }[by]
    others = [line for line in dump(store, raw=True) if not line.endswith(f"<{gone['article']}> .")]

    result = run("--store", store, "remove", name)

    assert result.exit_code == 0, result.output
    assert f"removed {gone['headline']}: " in result.stderr
    assert dump(store, raw=True) == others  # the other article's graph is exactly as it was
    with PolicyGraph.open(str(store)) as pg:
        logged = pg.changes()[-1]
    assert (logged["kind"], logged["graph"], logged["added"]) == ("remove", gone["article"], 0)
    assert logged["removed"] > 0
    assert [
        row["article"] for row in json.loads(run("--store", store, "articles", "-f", "json").stdout)
    ] == [kept["article"]]


def test_cli_remove_of_an_unknown_article_gives_one_line_and_removes_nothing(store: Path) -> None:
    before = dump(store)

    result = run("--store", store, "remove", "no-such-article.txt")

    assert "article 'no-such-article.txt': not found" in one_error_line(result)
    assert dump(store) == before
