"""Property tests (hypothesis): what must hold for any input, not only for the examples.

The article parser refuses bad input only with ``InputError`` and its sentence offsets point
at their text; extraction never fails on text mixed from corpus sentences, long capitalised
runs, punctuation and odd unicode, and its evidence points at the article's exact text; amounts
are read without error, never negative, and as written; every graph built conforms to SHACL;
a value bound into a query comes back exactly and never changes the query's shape; ingesting
an article twice stores the same quads. Examples are few (the suite stays fast): the example
database (``.hypothesis/``) keeps any failure found, and replays it first on the next run.
"""

from __future__ import annotations

import math
import os
import re
import string
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from bench.fuzz import UNICODE
from graph.article import Metadata, decode_text, parse_article
from graph.errors import InputError
from graph.extract.amounts import MAX_VALUE, parse_amount
from graph.model import (
    ACTOR_TYPES,
    PURPOSES,
    STATUSES,
    Actor,
    Article,
    Deal,
    Evidence,
    Extraction,
    Statement,
)
from graph.queries import ONTOLOGY_DIR, federated_endpoints
from graph.rdf import to_graph
from graph.store import _bind, open_store
from graph.validate import violations
from graph.vocab import slug

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "data" / "corpus" / "dev").glob("*.txt"))
_LINES = [p.read_text(encoding="utf-8").splitlines() for p in CORPUS]
HEADLINES = [lines[0] for lines in _LINES]
SENTENCES = [
    s for lines in _LINES for line in lines[1:] for s in re.split(r"(?<=[.!?])\s+", line) if s
]
CHECKS = sorted((ONTOLOGY_DIR / "checks").glob("*-violation.rq"))

# Few examples and no deadline (the first call of a test loads pysbd or the spaCy model);
# POLICYGRAPH_PROPERTY_SCALE=20 runs twenty times as many, for a thorough search.
SCALE = float(os.environ.get("POLICYGRAPH_PROPERTY_SCALE", "1"))


def examples(count: int, slow: bool = False) -> settings:
    """Settings for ``count`` examples (times the scale); ``slow`` for tests of the model."""
    checks = [HealthCheck.too_slow] if slow else []
    return settings(
        max_examples=max(1, round(count * SCALE)), deadline=None, suppress_health_check=checks
    )


QUICK = examples(150)
MODEL = examples(40, slow=True)


# --- strategies ---------------------------------------------------------------------------

NAMES = (
    "Grand", "Council", "France", "Lord", "Novak", "II", "Dame", "Sir", "King", "Court",
    "Union", "Refugee", "Australia", "Germany", "Alternative", "Reform", "UK", "Strait",
    "Gibraltar", "Home", "Secretary", "Agence", "France-Presse", "Peru", "Chile", "Turkey",
    "Rwanda", "Italy", "Albania", "Tunisia", "European", "Commission", "Ministry", "Interior",
    "Office", "United", "Kingdom", "States", "Mr", "Ms", "Prime", "Minister", "Keir",
    "Starmer", "Meloni", "McAllister", "O'Neill",
)  # fmt: skip
made_up_word = st.tuples(
    st.sampled_from(string.ascii_uppercase), st.text(string.ascii_lowercase, min_size=1, max_size=9)
).map("".join)
capitalised_word = st.sampled_from(NAMES) | made_up_word
capitalised_run = st.lists(capitalised_word, min_size=1, max_size=12).map(" ".join)
# 80 to 140 words: a name of that length once set overlapping entity spans (spaCy E1010)
long_name = st.lists(st.sampled_from(NAMES), min_size=80, max_size=140).map(" ".join)
punctuation = st.sampled_from(list(".,;:!?()[]{}\"'“”‘’«»—–-…/\\·|•*#"))
odd_unicode = st.sampled_from(UNICODE)

SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
WORDS = {"pounds": "GBP", "euros": "EUR", "dollars": "USD"}
SCALES = {
    "": 1, "k": 10**3, "m": 10**6, "mn": 10**6, " million": 10**6, "-million": 10**6,
    "bn": 10**9, " billion": 10**9, "-billion": 10**9, " thousand": 10**3,
}  # fmt: skip


@st.composite
def written_amounts(draw: Any) -> tuple[str, Decimal, str]:
    """An amount as news writes it ("£3.5m", "$1.2 billion", "€400,000", "7 million euros"),
    with its value and currency."""
    whole = draw(st.integers(0, 999_999))
    decimals = draw(st.sampled_from(["", "", "5", "25", "07", "125"]))
    scale = draw(st.sampled_from(sorted(SCALES)))
    if scale == "" and not decimals:
        whole = draw(st.integers(1000, 999_999_999))  # "€400,000": a plain figure
    number = (f"{whole:,}" if draw(st.booleans()) else str(whole)) + (
        f".{decimals}" if decimals else ""
    )
    value = Decimal(f"{whole}.{decimals or 0}") * SCALES[scale]
    if draw(st.booleans()) or scale == "":
        symbol = draw(st.sampled_from(sorted(SYMBOLS)))
        before = draw(st.sampled_from(["", "about ", "up to ", "an initial ", "nearly "]))
        return f"{before}{symbol}{number}{scale}", value, SYMBOLS[symbol]
    word = draw(st.sampled_from(sorted(WORDS)))
    return f"{number}{scale} {word}", value, WORDS[word]


amount_text = written_amounts().map(lambda found: found[0])
piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(SENTENCES),
    st.sampled_from(SENTENCES),
    capitalised_run,
    long_name,
    punctuation,
    odd_unicode,
    amount_text,
    st.text(max_size=12),
)


@st.composite
def article_texts(draw: Any) -> str:
    """An article file's text: a headline, maybe a byline, paragraphs mixed from pieces."""
    headline = draw(st.sampled_from(HEADLINES) | capitalised_run)
    byline = draw(st.sampled_from(["", "", "by Jane Doe · The Example\n", "By JANE DOE\n"]))
    paragraphs = [
        draw(st.sampled_from([" ", " ", "", "  "])).join(
            draw(st.lists(piece, min_size=1, max_size=8))
        )
        for _ in range(draw(st.integers(1, 5)))
    ]
    return headline + "\n" + byline + "\n".join(paragraphs) + draw(st.sampled_from(["", "\n"]))


any_text = st.text(max_size=400) | article_texts()


def _parse(text: str) -> Article:
    return parse_article(text, Metadata(date(2024, 7, 6), None, None, "generated.txt"))


def _assert_offsets_hold(article: Article) -> None:
    """Every sentence is the text at its offsets, in order, inside its paragraph."""
    text = article.text
    assert article.sentences and article.sentences[0].part == "headline"
    assert article.sentences[0].text == article.headline
    previous_end = 0
    for index, sentence in enumerate(article.sentences):
        assert sentence.index == index
        assert 0 <= previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and "\n" not in sentence.text
        assert text.count("\n", 0, sentence.start) == sentence.paragraph
        assert article.sentence_at(sentence.start) == sentence
        previous_end = sentence.end
    if article.dateline is not None:
        start, end = article.dateline
        assert 0 <= start < end <= len(text)


def _assert_evidence_holds(extraction: Extraction) -> None:
    """Every evidence of the extraction is the article's exact text at its offsets."""
    text = extraction.article.text
    evidence = [ev for actor in extraction.actors for ev in actor.evidence]
    evidence += [ev for deal in extraction.deals for ev in deal.evidence]
    evidence += [statement.evidence for statement in extraction.statements]
    for ev in evidence:
        assert 0 <= ev.start < ev.end <= len(text), ev
        assert text[ev.start : ev.end] == ev.text, ev
    keys = {actor.key for actor in extraction.actors}
    for deal in extraction.deals:
        assert deal.evidence
        assert set(deal.parties) >= set(deal.payers) | set(deal.payees)
        assert {*deal.parties, *deal.criticised_by} <= keys
    for statement in extraction.statements:
        assert statement.speaker in keys and statement.quote


def _assert_store_checks_pass(graph: Graph) -> None:
    """The SPARQL checks of ``ontology/checks`` (offsets against the stored body, …) find
    nothing once the graph is in a store."""
    with open_store(None) as store:
        store.replace_graphs([graph])
        for check in CHECKS:
            table = store.select(check.read_text(encoding="utf-8"))
            assert table.rows == [], (check.name, table.values())


# --- the article parser -------------------------------------------------------------------


@QUICK
@given(st.binary(max_size=600) | any_text.map(lambda t: t.encode("utf-8")))
@example(b"\xef\xbb\xbf")  # a byte-order mark alone
@example(b"Head\x00line")
def test_properties_decode_and_parse_refuse_only_with_input_error(raw: bytes) -> None:
    try:
        text = decode_text(raw, "upload.txt")
        article = _parse(text)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert text == raw.decode("utf-8-sig")
    _assert_offsets_hold(article)


@QUICK
@given(any_text)
@example("Head\n\u2028\u2029\x0b\x0c\x85\n“”")
@example("by Jane Doe · The Daily\nby Jane Doe · The Daily")
def test_properties_sentence_offsets_point_at_their_text(text: str) -> None:
    try:
        article = _parse(text)
    except InputError:
        assert not [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
        return
    _assert_offsets_hold(article)


# --- amounts ------------------------------------------------------------------------------


@QUICK
@given(
    st.text(alphabet=st.sampled_from("£€$0123456789.,- kmbntKMB()aeiloprsuyhd"), max_size=40)
    | st.text(max_size=40)
)
@example("£" + "9" * 400)
@example("$1,,,,.5bn")
def test_properties_parse_amount_never_raises_and_is_never_negative(text: str) -> None:
    amount = parse_amount(text)

    assert amount.text == text
    if amount.value is not None:
        assert math.isfinite(amount.value) and 0 <= amount.value <= MAX_VALUE
    assert amount.currency in {None, "GBP", "EUR", "USD"}
    assert amount.per in {None, "year", "month", "week", "person"}
    assert amount.per is None or amount.value is None


@QUICK
@given(written_amounts(), st.sampled_from(["", " over three years", " to Rwanda"]))
@example(("£3.5m", Decimal(3_500_000), "GBP"), "")
@example(("$1.2 billion", Decimal(1_200_000_000), "USD"), "")
@example(("€400,000", Decimal(400_000), "EUR"), "")
def test_properties_parse_amount_round_trips_written_amounts(
    written: tuple[str, Decimal, str], after: str
) -> None:
    text, value, currency = written

    amount = parse_amount(text + after)

    assert amount.currency == currency
    assert amount.value is not None and math.isclose(amount.value, value, rel_tol=1e-12)
    again = parse_amount(f"{next(k for k, v in SYMBOLS.items() if v == currency)}{amount.value}")
    assert again.value == amount.value  # the value read, written again, reads the same
    rate = parse_amount(f"{text} a year")
    assert (rate.value, rate.per, rate.currency) == (None, "year", currency)


# --- RDF building (no model: extractions built from generated parts) ----------------------

COUNTRIES = [
    ("country/GB", "United Kingdom", "GB", "Q145"),
    ("country/TR", "Turkey", "TR", "Q43"),
    ("country/IT", "Italy", "IT", "Q38"),
    ("country/RW", "Rwanda", "RW", "Q1037"),
    ("country/IQ", "Iraq", "IQ", "Q796"),
]
# a name holds a letter or digit, as every one the extractor reads does (to_graph drops format
# characters and folds white space: "\u202b" or "\r" alone would be an empty label)
label_text = st.tuples(
    st.text(max_size=12), st.sampled_from("AZaz09éß中"), st.text(max_size=12)
).map("".join)


@st.composite
def extractions(draw: Any) -> Extraction:
    """An ``Extraction`` as the extractor's contract has it: actors with their kind's codes,
    deals between two or more of them (payers and payees among the parties, never both, one
    deal per party set), statements by actors, every evidence a sentence of the article."""
    meta = Metadata(
        draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31))),
        draw(st.sampled_from([None, "https://news.example/a?b=1&c=%20"])),
        draw(st.none() | label_text),
        draw(st.none() | label_text),
    )
    try:
        article = parse_article(draw(article_texts()), meta)
    except InputError:
        assume(False)
        raise
    sentences = st.sampled_from(article.sentences).map(lambda s: Evidence(s.text, s.start, s.end))

    actors: list[Actor] = []
    for key, label, iso, qid in draw(st.lists(st.sampled_from(COUNTRIES), unique=True)):
        actors.append(
            Actor(key, label, "Country", iso, qid, mentions=draw(st.lists(label_text, max_size=3)))
        )
    if any(a.key == "country/IQ" for a in actors) and draw(st.booleans()):
        actors.append(
            Actor("region/IQ-KR", "Kurdistan Region", "Region", "IQ-KR", None, "country/IQ")
        )
    kinds = [t for t in ACTOR_TYPES if t not in {"Country", "Region"}]
    for index in range(draw(st.integers(0, 4))):
        label = draw(label_text)
        kind = draw(st.sampled_from(kinds))
        actors.append(
            Actor(
                f"{kind.lower()}/{slug(label)}-{index}",
                label,
                kind,  # type: ignore[arg-type]
                role=draw(st.none() | label_text) if kind == "Person" else None,
                mentions=draw(st.lists(label_text, max_size=3, unique=True)),
                evidence=draw(st.lists(sentences, max_size=2)),
            )
        )
    keys = [a.key for a in actors]
    deals: list[Deal] = []
    if len(keys) >= 2:
        for parties in draw(
            st.lists(
                st.lists(st.sampled_from(keys), min_size=2, max_size=4, unique=True),
                max_size=3,
                unique_by=frozenset,
            )
        ):
            payers = draw(st.lists(st.sampled_from(parties), max_size=2, unique=True))
            rest = [p for p in parties if p not in payers]
            payees = draw(st.lists(st.sampled_from(rest), max_size=2, unique=True)) if rest else []
            written = draw(st.none() | amount_text | st.text(max_size=20))
            amount = parse_amount(written) if written else None
            deals.append(
                Deal(
                    parties,
                    payers,
                    payees,
                    draw(st.sampled_from(STATUSES)),  # type: ignore[arg-type]
                    draw(st.lists(st.sampled_from(PURPOSES), max_size=3, unique=True)),
                    amount=written,
                    amount_value=amount.value if amount else None,
                    currency=amount.currency if amount else None,
                    amount_per=amount.per if amount else None,
                    amount_equivalent=amount.equivalent if amount else None,
                    criticised_by=draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)),
                    evidence=draw(st.lists(sentences, min_size=1, max_size=3)),
                )
            )
    statements = [
        Statement(draw(st.sampled_from(keys)), draw(label_text), draw(sentences))
        for _ in range(draw(st.integers(0, 2) if keys else st.just(0)))
    ]
    return Extraction(article, actors, deals, statements)


@examples(40, slow=True)
@given(extractions())
def test_properties_every_built_graph_conforms_to_shacl(extraction: Extraction) -> None:
    _assert_evidence_holds(extraction)

    graph = to_graph(extraction)

    assert violations(graph) == []
    _assert_store_checks_pass(graph)


# --- extraction (the spaCy model) ---------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Any:
    from graph.extract import load_pipeline

    return load_pipeline()


@pytest.mark.model
@MODEL
@given(text=article_texts())
def test_properties_extract_never_fails_and_its_evidence_is_the_article_text(
    nlp: Any, text: str
) -> None:
    from graph.extract import extract

    article = _parse(text)

    extraction = extract(article, nlp)

    _assert_evidence_holds(extraction)


@pytest.mark.model
@MODEL
@given(text=article_texts())
@example(text="Head\n\u202b\n")  # an entity of one format character: an empty label
@example(text="package  for Iraqi border pay deOffice   UK")  # money both ways: payer = payee
def test_properties_every_extracted_graph_conforms_to_shacl(nlp: Any, text: str) -> None:
    from graph.extract import extract

    graph = to_graph(extract(_parse(text), nlp))

    assert violations(graph) == []
    _assert_store_checks_pass(graph)


@pytest.mark.model
@examples(10, slow=True)
@given(text=article_texts().filter(lambda text: "\x00" not in text))  # else: refused, a binary file
def test_properties_ingesting_an_article_twice_stores_the_same_quads(nlp: Any, text: str) -> None:
    from graph.core import PolicyGraph
    from graph.store import EmbeddedStore
    from graph.vocab import CHANGES

    with tempfile.TemporaryDirectory() as folder, PolicyGraph(EmbeddedStore()) as pg:
        path = Path(folder) / "article.txt"
        path.write_text(text, encoding="utf-8")

        def stored() -> list[str]:  # the change log, which records when, aside
            return sorted(repr(q) for q in pg.store.quads() if q[3] != CHANGES)

        pg.ingest([path], date="2024-07-06")
        first = stored()
        pg.ingest([path], date="2024-07-06")
        second = stored()
        assert [(c["added"], c["removed"]) for c in pg.changes()][1:] == [(0, 0)]

    assert first and second == first
    assert len(set(second)) == len(second)


# --- SPARQL value binding -----------------------------------------------------------------

QUERY = "SELECT ?s ?x ?y WHERE { GRAPH ?g { ?s ?p ?o } }"
# IRI characters pyoxigraph and rdflib both take: unreserved, sub-delims, ":@/", percent
# escapes and non-ASCII letters
iri_safe = st.lists(
    st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/"))
    | st.sampled_from(["%20", "%7B", "é", "中"]),
    max_size=30,
).map(lambda chars: "urn:x:" + "".join(chars))
plain_text = st.text(st.characters(codec="utf-8"), max_size=60)  # no lone surrogate
plain_line = st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=60)
HOSTILE = [
    '"', "'", '"""', "'''", "\\", "{", "}", "}}", "#", "\r", "\t", ") (", "UNION", "?s",
    "<urn:x:evil>", "^^", "@en", "\u2028", "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "} ; DROP ALL ; SELECT * WHERE {", ") } BIND(<urn:x:evil> AS ?s) } #",
]  # fmt: skip
hostile_line = st.lists(st.sampled_from(HOSTILE) | plain_line, max_size=10).map("".join)
hostile_lines = st.lists(st.sampled_from([*HOSTILE, "\n"]) | plain_text, max_size=10).map("".join)


def _data_store() -> Any:
    """An in-memory store with three triples in one named graph."""
    store = open_store(None)
    graph = Graph(identifier=URIRef("urn:x:graph"))
    for index in range(3):
        graph.add((URIRef(f"urn:x:s{index}"), URIRef("urn:x:p"), Literal(index)))
    store.replace_graphs([graph])
    return store


def _shape(query: str) -> str:
    """The algebra of a query as rdflib's own parser reads it, the VALUES data masked: two
    queries of one shape differ only in the values they bind."""

    def mask(node: Any) -> None:
        if getattr(node, "name", None) == "values":
            assert len(node["res"]) == 1, node["res"]  # one row of values, as bound
            node["res"] = "values"
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            for child in children:
                mask(child)

    algebra = translateQuery(parseQuery(query)).algebra
    mask(algebra)
    return repr(algebra)


BENIGN = {"x": Literal("x"), "y": Literal("y")}
BENIGN_SHAPE = _shape(_bind(QUERY, BENIGN))


def _assert_bound_exactly(bindings: dict[str, Any]) -> None:
    """``QUERY`` with ``bindings`` has the benign query's shape and rows, on both paths: the
    embedded store's substitutions, and the ``VALUES`` text of ``_bind`` (a remote store's)."""
    text = _bind(QUERY, bindings)
    assert _shape(text) == BENIGN_SHAPE, text
    with _data_store() as store:
        for table in (store.select(QUERY, bindings), store.select(text)):
            assert table.columns == ["s", "x", "y"]
            assert sorted(row["s"].value for row in table.rows) == [  # type: ignore[union-attr]
                f"urn:x:s{index}" for index in range(3)
            ], text
            for row in table.rows:
                for name, term in bindings.items():
                    cell = row[name]
                    assert cell is not None and cell.value == str(term), (text, cell)
                    assert cell.kind == ("uri" if isinstance(term, URIRef) else "literal")
                    language = getattr(term, "language", None)  # tags are case-insensitive
                    assert (cell.lang or "").lower() == (language or "").lower()


@QUICK
@given(
    plain_line,
    st.none() | st.sampled_from(["en", "en-GB", "fr"]),
    iri_safe,
)
def test_properties_bound_values_come_back_exactly(text: str, lang: str | None, iri: str) -> None:
    _assert_bound_exactly({"x": Literal(text, lang=lang), "y": URIRef(iri)})
    _assert_bound_exactly({"x": URIRef(iri), "y": Literal(text)})


@QUICK
@given(hostile_line, hostile_line)
@example('x"} } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #', "\\")
def test_properties_hostile_literals_never_change_the_query_shape(x: str, y: str) -> None:
    _assert_bound_exactly({"x": Literal(x), "y": Literal(y)})


@QUICK
@given(hostile_lines, hostile_lines)
@example("a\n\\", "y")  # no trailing quote: written correctly
@example('a\n\\"', ") } BIND(<urn:x:evil> AS ?s) } #")  # the second value runs as SPARQL
def test_properties_bind_writes_multi_line_literals_exactly(x: str, y: str) -> None:
    _assert_bound_exactly({"x": Literal(x), "y": Literal(y)})


# --- the SERVICE guard beside string literals ---------------------------------------------


def _sparql_string(value: str, quote: str, long: bool) -> str:
    """``value`` as a SPARQL string literal, short or long (fenced by three quotes), with
    every backslash and quote escaped."""
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\r", "\\r")
    if not long:
        escaped = escaped.replace("\n", "\\n")
    fence = quote * 3 if long else quote
    return fence + escaped + fence


string_form = st.tuples(st.sampled_from(['"', "'"]), st.booleans())
ENDPOINT = "http://127.0.0.1:1/sparql"


@QUICK
@given(hostile_lines, string_form, hostile_lines, string_form, st.booleans())
@example('x"', ('"', True), "", ('"', False), True)  # a SERVICE clause the guard misses
@example('x"', ('"', True), "SERVICE <http://127.0.0.1:1/sparql> {}", ('"', False), False)
def test_properties_service_guard_sees_exactly_the_service_clauses_beside_any_strings(
    a: str, a_form: tuple[str, bool], b: str, b_form: tuple[str, bool], service: bool
) -> None:
    first, second = _sparql_string(a, *a_form), _sparql_string(b, *b_form)
    plain = f"SELECT ?a ?b WHERE {{ BIND({first} AS ?a) BIND({second} AS ?b) }}"
    solutions = ox.Store().query(plain)
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = list(solutions)
    assert (row["a"].value, row["b"].value) == (a, b)  # the literals are written right

    clause = f"SERVICE <{ENDPOINT}> {{ ?s ?p ?o }}" if service else "?s ?p ?o ."
    query = f"SELECT * WHERE {{ BIND({first} AS ?a) {clause} BIND({second} AS ?b) }}"

    assert federated_endpoints(query) == ([ENDPOINT] if service else [])
