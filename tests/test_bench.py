"""bench.synth: the synthetic stores of the dashboard benchmark are valid policygraph stores.

No model and no browser: the generator writes through ``PolicyGraph.write``, and these tests
read the store back through the same facade. No timing is asserted anywhere (the benchmark
itself, ``bench.render``, only reports).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.plugins.sparql.processor import SPARQLProcessor

from bench import synth
from graph.core import PolicyGraph
from graph.model import STATUSES
from graph.queries import ONTOLOGY_DIR
from graph.rdf import to_graph
from graph.validate import violations
from graph.vocab import PG, actor_iri

DEALS = 30


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 synthetic deals (seed 7, three per article) in a new embedded store."""
    path = tmp_path_factory.mktemp("bench") / "store"
    summary = synth.generate(str(path), DEALS, seed=7, per_article=3, workers=1)
    assert (summary.deals, summary.location) == (DEALS, str(path))
    return path


@pytest.fixture(scope="module")
def deals(store: Path) -> list[dict]:
    with PolicyGraph.open(str(store)) as graph:
        return graph.deals()


def _dump(store: Path) -> list[str]:
    """The store's extracted graph, and how many change-log records each graph has (the log
    records when each write was made, so two runs differ there by design)."""
    with PolicyGraph.open(str(store)) as graph:
        lines = sorted(line for line in graph.export("nquads", raw=True).splitlines() if line)
        logged = sorted(Counter(c["graph"] for c in graph.changes()).items())
    return lines + [f"{name} {count}" for name, count in logged]


def _graphs(store: Path) -> Iterator[Graph]:
    """Every article graph of the store, as read back from it."""
    graphs: dict[URIRef, Graph] = defaultdict(Graph)
    with PolicyGraph.open(str(store)) as graph:
        for s, p, o, g in graph.store.quads():
            graphs[g].add((s, p, o))
    yield from graphs.values()


def test_bench_generator_writes_exactly_the_deals_asked_for(deals: list[dict]) -> None:
    assert len(deals) == DEALS
    assert len({deal["iri"] for deal in deals}) == DEALS
    party_sets = {frozenset(a["iri"] for a in deal["parties"]) for deal in deals}
    assert len(party_sets) == DEALS


def test_bench_every_deal_has_payers_payees_and_a_dated_history(deals: list[dict]) -> None:
    for deal in deals:
        parties = {a["iri"] for a in deal["parties"]}
        payers = {a["iri"] for a in deal["payers"]}
        payees = {a["iri"] for a in deal["payees"]}
        assert payers and payees and payers | payees <= parties and not payers & payees
        history = deal["status_history"]
        assert history and all(claim["date"] for claim in history)
        assert [c["date"] for c in history] == sorted(c["date"] for c in history)
        ranks = [STATUSES.index(c["status"]) for c in history]
        assert ranks == sorted(ranks), "a synthetic deal's status never goes back"
        assert deal["status"] == history[-1]["status"]
    assert sum(len(d["status_history"]) > 1 for d in deals) > DEALS / 2
    assert len({c["article"] for d in deals for c in d["status_history"]}) > DEALS / 3


def test_bench_store_names_real_places_people_and_organisations(store: Path) -> None:
    with PolicyGraph.open(str(store)) as graph:
        actors = graph.actors()
        network = graph.network()
    types = {actor["type"] for actor in actors.values()}
    assert {"Country", "Person", "Organisation"} <= types
    uk = actors.get(str(actor_iri("country/GB")))
    assert uk is None or (uk["label"], uk["iso_code"]) == ("United Kingdom", "GB")
    kinds = {data["kind"] for _, _, data in network.edges(data=True)}
    assert {"pays", "party_to_deal_with", "criticises", "said"} <= kinds


def test_bench_every_written_graph_passes_shacl_and_the_sparql_checks(store: Path) -> None:
    graphs = list(_graphs(store))
    assert len(graphs) > DEALS / 3
    for written in graphs:  # outside ``translated_once``: the check exactly as an ingest runs it
        assert violations(written) == []
    with PolicyGraph.open(str(store)) as pg:
        for check in sorted((ONTOLOGY_DIR / "checks").glob("*-violation.rq")):
            table = pg.query(check.read_text(encoding="utf-8"))
            assert table is not None and table.rows == [], check.name


def test_bench_same_seed_same_store(store: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    synth.generate(str(again), DEALS, seed=7, per_article=3, workers=1)
    assert _dump(again) == _dump(store)


def test_bench_other_seed_other_deals() -> None:
    cast = synth.build_cast(random.Random(0))
    first = synth.plan_deals(cast, 20, random.Random(1))
    second = synth.plan_deals(cast, 20, random.Random(2))
    assert [p.parties for p in first] != [p.parties for p in second]


def test_bench_worker_processes_write_the_same_store(store: Path, tmp_path: Path) -> None:
    parallel = tmp_path / "parallel"
    synth.generate(str(parallel), DEALS, seed=7, per_article=3, workers=2, batch=4)
    assert _dump(parallel) == _dump(store)


def test_bench_articles_never_report_one_deal_twice() -> None:
    cast = synth.build_cast(random.Random(3))
    plans = synth.plan_deals(cast, 200, random.Random(3))
    articles = synth.schedule(plans, per_article=50)
    assert sum(len(a) for a in articles) == sum(len(p.reports) for p in plans)
    for reports in articles:
        assert len(reports) <= 50
        assert len({r.deal for r in reports}) == len(reports)


def test_bench_translated_once_keeps_the_check_the_same() -> None:
    cast, plans, articles = synth.plan(synth.Job(5, 6, 2))
    good = to_graph(synth.compose(0, articles[0], plans, cast, seed=5))
    bad = Graph(identifier=good.identifier)
    bad += good
    deal = next(bad.subjects(PG.payer, None))
    stranger = actor_iri("person/somebody-else")  # an actor, but not a party to the deal
    bad.add((stranger, RDF.type, PG.Person))
    bad.add((stranger, RDFS.label, Literal("Somebody Else")))
    bad.add((deal, PG.payee, stranger))
    bad.add((deal, PG.amount, Literal("twice")))  # a second amount breaks maxCount 1
    plain = (violations(good), violations(bad))
    original = SPARQLProcessor.query
    with synth.translated_once():
        assert SPARQLProcessor.query is not original
        memoised = (violations(good), violations(bad))
        assert (violations(good), violations(bad)) == memoised
    assert SPARQLProcessor.query is original
    assert plain == memoised
    assert plain[0] == [] and any("not also a pg:party" in line for line in plain[1])


def test_bench_generator_refuses_a_store_that_holds_something(store: Path) -> None:
    with pytest.raises(FileExistsError, match="not empty"):
        synth.generate(str(store), 3)
    assert synth.main(["--store", str(store), "--deals", "3"]) == 1


def test_bench_generator_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert synth.main(["--store", str(tmp_path / "s"), "--deals", "2", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith("bench.synth: 2 deals, ") and " triples in " in out


def test_bench_extract_reads_every_annotated_article_and_reports_ratios() -> None:
    from bench import extract

    paths = extract.articles()
    here = {"articles": 2, "sentences": 9, "baseline_s": 0.1, "policygraph_s": 0.2, "ratio": 2.0}
    there = {**here, "policygraph_s": 0.25, "ratio": 2.5}

    text = extract.report(here, there, "abc123")

    assert len(paths) == 63 and all(p.suffix == ".txt" and p.is_file() for p in paths)
    assert "| 2.00× |" in text and "| abc123 | 0.100 | 0.250 | 2.50× |" in text
    assert "Cost of the change: 0.80×" in text


def test_bench_scaling_article_holds_every_smaller_size_and_reports_growth() -> None:
    from bench.scaling import article_text, paragraphs, report

    pool = paragraphs()
    small, large = article_text(10, pool), article_text(20, pool)
    assert large.startswith(small)
    assert large.count("\n\n") == 20
    row = {
        "paragraphs": 10, "characters": 1, "sentences": 5, "triples": 9, "parse": 0.1,
        "extract": 1.0, "rdf": 0.01, "shacl": 0.2, "total": 1.0, "baseline": 0.5,
    }  # fmt: skip
    table = report([row, {**row, "paragraphs": 20, "total": 2.0, "baseline": 1.0}])
    assert "| 2.00× | 2.00× |" in table
    assert "| 2.00 |" in table  # policygraph over nlp.pipe
