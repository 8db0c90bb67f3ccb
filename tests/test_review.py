"""Review before writing (``graph.review``) and the dashboard's Ingest page that shows it.

Most tests read articles with ``fake_extractor`` (no NLP model); those marked ``model`` use the
real spaCy pipeline. Every store is a fresh directory under ``tmp_path``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import LATER_TEXT, SAMPLE_TEXT, build_extraction
from rdflib.compare import isomorphic
from streamlit.testing.v1 import AppTest

from graph import review, view
from graph.article import MAX_BYTES, parse_article
from graph.core import PolicyGraph
from graph.errors import InputError, PolicyGraphError, StoreError, ValidationError
from graph.model import Actor, Article, Deal, Evidence, Extraction
from graph.rdf import to_graph
from graph.store import DirectoryLock
from graph.vocab import actor_iri, deal_iri

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
PAGE = str(DASHBOARD / "screens" / "ingest.py")
UK_TURKEY = "United Kingdom – Turkey"

HOSTILE_TEXT = """Italy pays Tunisia <script>alert(1)</script> to stop boats
Italy has concluded a deal to pay Tunisia €100 million <img src=x onerror=alert(1)> for border control.
Critics said the "deal" & its <b>terms</b> were secret.
"""  # noqa: E501


def _hostile_extraction(article: Article) -> Extraction:
    """Italy pays Tunisia, read by hand; one actor's label itself holds markup."""
    deal_sentence = next(s for s in article.sentences if "concluded" in s.text)
    evidence = Evidence(deal_sentence.text, deal_sentence.start, deal_sentence.end)
    return Extraction(
        article,
        [
            Actor("country/IT", "Italy", "Country", "IT", "Q38", mentions=["Italy"]),
            Actor(
                "country/TN",
                'Tunisia"><script>alert(2)</script>',
                "Country",
                "TN",
                "Q948",
                mentions=["Tunisia"],
            ),
        ],
        [
            Deal(
                ["country/IT", "country/TN"],
                payers=["country/IT"],
                payees=["country/TN"],
                status="concluded",
                evidence=[evidence],
            )
        ],
        [],
    )


def _broken(article: Article) -> Extraction:
    """``build_extraction`` with a lower-case ISO code: breaks the Country shape."""
    extraction = build_extraction(article)
    extraction.actors[0].iso_code = extraction.actors[0].iso_code.lower()  # type: ignore[union-attr]
    return extraction


def _dump(location: Path, raw: bool = False) -> tuple[list[str], str]:
    """Every quad of the store, sorted, and its version token; ``raw``: the article graphs
    alone, without the change log."""
    with PolicyGraph.open(str(location), "read") as graph:
        quads = sorted(line for line in graph.export("nquads", raw=raw).splitlines() if line)
    return quads, view.store_version(str(location))


def _triples(location: Path) -> int:
    return len(_dump(location)[0])


@pytest.fixture
def store(tmp_path: Path, later_extraction: Extraction) -> Path:
    """A store on disk holding one article (``LATER_TEXT``, UK–Turkey in talks)."""
    location = tmp_path / "store"
    with PolicyGraph.open(str(location), "write") as graph:
        graph.store.replace_graphs([to_graph(later_extraction)])
    return location


@pytest.fixture
def extractor() -> PolicyGraph:
    """A PolicyGraph that only extracts: no store is ever opened."""
    return PolicyGraph(None)


# --- graph.review -----------------------------------------------------------------------


def test_review_highlights_escape_script_and_img_tags() -> None:
    article = parse_article(HOSTILE_TEXT)
    page = review.review_extraction("x.txt", _hostile_extraction(article)).html()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;terms&lt;/b&gt;" in page
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "<b>" not in page
    # the markup in an actor's label is escaped inside its title attribute too
    assert 'title="Country: Tunisia&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; (TN)"' in page


def test_review_highlight_html_holds_the_whole_text_once(sample_extraction: Extraction) -> None:
    result = review.review_extraction("a.txt", sample_extraction)
    page = result.html()
    body = page.split('<div class="pg-article"', 1)[1].split(">", 1)[1]
    shown = re.sub(r"<[^>]+>", "", body)

    assert shown.replace("&amp;", "&").replace("&quot;", '"') == sample_extraction.article.text
    assert page.count('<mark class="pg-deal"') >= len(sample_extraction.deals)


def test_review_highlight_offsets_line_up_with_the_text(sample_extraction: Extraction) -> None:
    text = sample_extraction.article.text
    spans = review.highlights(sample_extraction)
    actors = {a.label: a for a in sample_extraction.actors}

    mentioned = [s for s in spans if s.kind == "actor"]
    assert mentioned
    for span in mentioned:
        label = span.title.split(": ", 1)[1].split(" (")[0]
        assert text[span.start : span.end] in actors[label].mentions
    evidence = {(e.start, e.end, e.text) for d in sample_extraction.deals for e in d.evidence}
    deals = [s for s in spans if s.kind == "deal"]
    assert {(s.start, s.end, text[s.start : s.end]) for s in deals} == evidence
    assert all(s.title.startswith("Deal: ") for s in deals)
    # mentions do not overlap, and the longer one wins
    ordered = sorted(mentioned, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in pairwise(ordered))
    assert "Kurdistan Region" in {text[s.start : s.end] for s in mentioned}


def test_review_triple_rows_count_equals_the_graph(sample_extraction: Extraction) -> None:
    result = review.review_extraction("a.txt", sample_extraction)

    assert len(result.triples) == len(result.graph) == result.counts["triples"]
    assert set(result.triples[0]) == {"subject", "predicate", "object"}
    row = {"subject": "id:actor/country/GB", "predicate": "pg:isoCode", "object": '"GB"'}
    assert row in result.triples
    assert result.counts == {"actors": 6, "deals": 2, "statements": 1, "triples": len(result.graph)}


def test_review_state_is_plain_data_and_rebuilds_the_same_review(
    sample_extraction: Extraction,
) -> None:
    result = review.review_extraction("a.txt", sample_extraction)
    state = result.to_state()

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | float | bool)

    assert plain(state)
    again = review.Review.from_state(state)
    assert again.extraction == sample_extraction
    assert isomorphic(again.graph, result.graph)
    assert again.triples == result.triples
    assert again.html() == state["html"]


def test_review_of_a_violating_extraction_lists_violations_and_commit_refuses(
    store: Path, extraction_factory: Callable[..., Extraction]
) -> None:
    before = _dump(store)
    result = review.review_extraction("bad.txt", _broken(extraction_factory().article))

    assert result.violations
    assert all("\n" not in line for line in result.violations)
    assert any("isoCode" in line for line in result.violations)
    with pytest.raises(ValidationError) as error:
        review.commit(str(store), [result])
    assert str(error.value).startswith("bad.txt: SHACL violation:")
    assert "\n" not in str(error.value)
    assert _dump(store) == before


def test_review_commit_refuses_all_when_one_review_has_a_violation(
    store: Path, extraction_factory: Callable[..., Extraction]
) -> None:
    before = _dump(store)
    good = review.review_extraction("good.txt", extraction_factory())
    bad = review.review_extraction("bad.txt", _broken(extraction_factory(LATER_TEXT).article))

    with pytest.raises(ValidationError, match=r"^bad\.txt: "):
        review.commit(str(store), [good, bad])
    assert _dump(store) == before


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"text": SAMPLE_TEXT, "date": "2024-13-45"}, "date '2024-13-45': not a valid date"),
        ({"text": SAMPLE_TEXT, "date": "18/11/2024"}, "date '18/11/2024': not a valid date"),
        (
            {"text": SAMPLE_TEXT, "url": "javascript:alert(1)"},
            "URL 'javascript:alert(1)': not an absolute http(s) URL",
        ),
        ({"text": " \n\t "}, "nothing to review: paste an article's text or upload .txt files"),
        ({"files": [("empty.txt", b"  \n")]}, "empty.txt: empty file, nothing to ingest"),
        ({"files": [("photo.txt", b"\x89PNG\x00\x01")]}, "photo.txt: binary file"),
        ({"files": [("latin.txt", "café".encode("latin-1"))]}, "latin.txt: not UTF-8 text"),
        ({"files": [("huge.txt", b"a" * (MAX_BYTES + 1))]}, "huge.txt: file is 5.2 MB, over"),
        ({"text": "x\x00y"}, "pasted text: holds NUL characters"),
        ({"text": "a" * (MAX_BYTES + 1)}, "pasted text: 5.2 MB, over the 5 MB limit"),
        (
            {
                "text": SAMPLE_TEXT,
                "files": [("b.txt", LATER_TEXT.encode())],
                "url": "https://x.org",
            },
            "URL: names one article, but 2 were given",
        ),
    ],
)
def test_review_bad_input_is_one_line_naming_the_input(
    extractor: PolicyGraph, fake_extractor: list[Article], inputs: dict, message: str
) -> None:
    with pytest.raises(InputError) as error:
        review.review_inputs(extractor, **inputs)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    assert fake_extractor == []  # refused before any extraction


def test_review_one_bad_upload_among_good_ones_reviews_nothing(
    extractor: PolicyGraph, fake_extractor: list[Article]
) -> None:
    files = [("a.txt", SAMPLE_TEXT.encode()), ("b.bin", b"\x00\x00")]

    with pytest.raises(InputError, match=r"^b\.bin: binary file"):
        review.review_inputs(extractor, None, files, "2024-11-18")
    assert fake_extractor == []


def test_review_text_and_files_read_with_date_url_and_outlet(
    extractor: PolicyGraph, fake_extractor: list[Article]
) -> None:
    (pasted,) = review.review_inputs(
        extractor, SAMPLE_TEXT, (), " 2024-11-18 ", "https://news.example/a", "The Example"
    )
    files = review.review_inputs(
        extractor,
        None,
        [("a.txt", ("\ufeff" + LATER_TEXT).encode()), ("b.txt", SAMPLE_TEXT.encode())],
    )

    assert pasted.source == "pasted text"
    assert pasted.article.published == date(2024, 11, 18)
    assert pasted.article.url == "https://news.example/a"
    assert pasted.article.outlet == "The Example"
    assert pasted.violations == []
    assert [f.source for f in files] == ["a.txt", "b.txt"]
    assert files[0].article.source_name == "a.txt"
    assert files[0].article.headline == LATER_TEXT.splitlines()[0]  # the BOM is gone


def test_review_commit_writes_and_deals_then_include_the_new_deal(
    store: Path, extractor: PolicyGraph, fake_extractor: list[Article]
) -> None:
    before = _triples(store)
    result = review.review_inputs(extractor, SAMPLE_TEXT, (), "2024-12-20")[0]

    report = review.commit(str(store), [result])

    assert report.triples == len(result.graph)
    assert review.commit_message(report) == f"Wrote {len(result.graph)} triples from 1 article"
    with PolicyGraph.open(str(store), "read") as graph:
        deals = {d["label"]: d for d in graph.deals()}
    assert deals[UK_TURKEY]["status"] == "concluded"  # the new article is the latest claim
    assert "United Kingdom – Kurdistan Region" in deals  # a deal only the new article has
    assert _triples(store) > before


def test_review_commit_again_replaces_the_article_graph(
    store: Path, extractor: PolicyGraph, fake_extractor: list[Article]
) -> None:
    result = review.review_inputs(extractor, SAMPLE_TEXT)[0]
    review.commit(str(store), [result])
    once = _dump(store, raw=True)[0]

    review.commit(str(store), [review.Review.from_state(result.to_state())])

    assert _dump(store, raw=True)[0] == once


def test_review_commit_to_a_busy_store_is_one_line_and_writes_nothing(
    store: Path, extractor: PolicyGraph, fake_extractor: list[Article]
) -> None:
    before = _dump(store)
    result = review.review_inputs(extractor, SAMPLE_TEXT)[0]
    reader = DirectoryLock(store, exclusive=False, wait=0)  # another program reading
    reader.acquire()
    try:
        with pytest.raises(StoreError, match="busy") as error:
            review.commit(str(store), [result])
    finally:
        reader.release()

    assert "\n" not in str(error.value)
    assert _dump(store) == before


def test_review_commit_of_nothing_is_refused(store: Path) -> None:
    with pytest.raises(InputError, match="nothing to commit"):
        review.commit(str(store), [])


def test_review_extraction_crash_is_one_line(
    extractor: PolicyGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: PolicyGraph, article: Article, progress: object = None) -> Extraction:
        raise ZeroDivisionError("division by zero\nin the reader")

    monkeypatch.setattr(PolicyGraph, "extract", crash)
    with pytest.raises(PolicyGraphError, match=r"^pasted text: extraction failed"):
        review.review_inputs(extractor, SAMPLE_TEXT)[0]


@pytest.mark.model
def test_review_real_pipeline_escapes_script_and_img_and_offsets_line_up(
    extractor: PolicyGraph,
) -> None:
    result = review.review_inputs(extractor, HOSTILE_TEXT, (), "2024-11-18")[0]
    page = result.html()
    text = result.article.text

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert result.extraction.deals  # Italy pays Tunisia
    actors = {a.key: a for a in result.extraction.actors}
    mentioned = [s for s in result.highlights if s.kind == "actor"]
    assert {text[s.start : s.end] for s in mentioned} >= {"Italy", "Tunisia"}
    for span in mentioned:
        assert any(text[span.start : span.end] in a.mentions for a in actors.values())
    for span in (s for s in result.highlights if s.kind == "deal"):
        assert text[span.start : span.end] in {
            e.text for d in result.extraction.deals for e in d.evidence
        }
    assert len(result.triples) == len(result.graph)


@pytest.mark.model
def test_review_real_pipeline_commit_adds_the_deal(store: Path, extractor: PolicyGraph) -> None:
    result = review.review_inputs(extractor, HOSTILE_TEXT, (), "2024-11-18")[0]
    assert result.violations == []

    review.commit(str(store), [result])

    with PolicyGraph.open(str(store), "read") as graph:
        labels = [d["label"] for d in graph.deals()]
    assert "Italy – Tunisia" in labels


# --- the Ingest page --------------------------------------------------------------------


@pytest.fixture
def page_store(store: Path, dashboard_on: Callable[[Path], Path]) -> Path:
    """The store named to the page."""
    return dashboard_on(store)


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def _review(at: AppTest, text: str, date: str = "", url: str = "") -> AppTest:
    at.text_area(key="ingest_text").input(text)
    at.text_input(key="ingest_date").input(date)
    at.text_input(key="ingest_url").input(url)
    return _button(at, "Review").click().run()


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    (button,) = [b for b in at.button if b.label == label]
    return button


def test_review_page_renders_without_exception(page_store: Path) -> None:
    at = _page()
    assert not at.exception
    assert not at.error
    assert [b.label for b in at.button] == ["Review"]


def test_review_page_shows_highlighted_text_and_the_triples(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    at = _review(_page(), SAMPLE_TEXT, "2024-11-18")

    assert not at.exception
    assert not at.error
    (triples,) = at.dataframe
    counts = {m.label: int(m.value) for m in at.metric}
    assert counts == {"Actors": 6, "Deals": 2, "Statements": 1, "Triples": len(triples.value)}
    assert list(triples.value.columns) == ["subject", "predicate", "object"]
    (shown,) = at.html
    assert '<mark class="pg-deal"' in shown.proto.body
    assert "deal evidence" in shown.proto.body  # the legend
    assert not shown.proto.unsafe_allow_javascript
    assert not [m for m in at.markdown if m.allow_html]
    assert not _button(at, "Commit").disabled


def test_review_page_shows_script_and_img_as_text(
    page_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        PolicyGraph, "extract", lambda self, a, progress=None: _hostile_extraction(a)
    )

    at = _review(_page(), HOSTILE_TEXT)

    assert not at.exception
    body = at.html[0].proto.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<script" not in body.lower() and "<img" not in body.lower()
    assert at.subheader[0].value == view.md_escape(HOSTILE_TEXT.splitlines()[0])


def test_review_page_discard_leaves_the_store_as_it_was(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    before = _dump(page_store)
    at = _review(_page(), SAMPLE_TEXT)

    _button(at, "Discard").click().run()

    assert not at.exception
    assert not at.dataframe and not at.html
    assert "nothing was written" in at.success[0].value
    assert _dump(page_store) == before


def test_review_page_commit_writes_and_clears_the_review(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    before = _triples(page_store)
    at = _review(_page(), SAMPLE_TEXT, "2024-12-20")
    shown = len(at.dataframe[0].value)

    _button(at, "Commit").click().run()

    assert not at.exception
    assert not at.error
    assert [s.value for s in at.success] == [f"Wrote {shown} triples from 1 article"]
    assert not at.dataframe and not at.html  # the review is cleared
    assert _triples(page_store) > before
    with PolicyGraph.open(str(page_store), "read") as graph:
        assert "United Kingdom – Kurdistan Region" in [d["label"] for d in graph.deals()]


def test_review_page_bad_date_shows_exactly_one_error_line(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    before = _dump(page_store)
    at = _review(_page(), SAMPLE_TEXT, "2024-13-45")

    assert not at.exception
    assert len(at.error) == 1
    assert "\n" not in at.error[0].value
    assert at.error[0].value.startswith("date '2024\\-13\\-45'\\: not a valid date")
    assert not at.dataframe
    assert fake_extractor == []
    assert _dump(page_store) == before


def test_review_page_turns_commit_off_while_there_are_violations(
    page_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PolicyGraph, "extract", lambda self, a, progress=None: _broken(a))
    before = _dump(page_store)

    at = _review(_page(), SAMPLE_TEXT)

    assert not at.exception
    assert at.error and all("\n" not in e.value for e in at.error)
    assert any("isoCode" in e.value for e in at.error)
    assert _button(at, "Commit").disabled
    assert at.warning
    assert _dump(page_store) == before


def test_review_page_reports_a_busy_store_in_one_line_and_keeps_the_review(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    at = _review(_page(), SAMPLE_TEXT)
    before = _dump(page_store)
    reader = DirectoryLock(page_store, exclusive=False, wait=0)
    reader.acquire()
    try:
        _button(at, "Commit").click().run()
    finally:
        reader.release()

    assert not at.exception
    assert len(at.error) == 1 and "busy" in at.error[0].value
    assert at.dataframe  # still there, to commit once the store is free
    assert _dump(page_store) == before


@pytest.mark.model
def test_review_page_with_the_real_pipeline_reviews_and_commits(page_store: Path) -> None:
    before = _triples(page_store)
    at = _review(_page(), HOSTILE_TEXT, "2024-11-18")

    assert not at.exception
    assert not at.error
    body = at.html[0].proto.body
    assert "&lt;script&gt;" in body and "<script" not in body.lower()
    assert len(at.dataframe[0].value) == int(at.metric[-1].value)

    _button(at, "Commit").click().run()

    assert not at.exception
    assert at.success[0].value.startswith("Wrote ")
    assert _triples(page_store) > before


def test_review_page_fixes_a_deal_and_an_actor_before_committing(
    page_store: Path, fake_extractor: list[Article]
) -> None:
    turkey = str(actor_iri("country/TR"))
    deal = str(deal_iri([str(actor_iri("country/GB")), turkey]))
    at = _review(_page(), SAMPLE_TEXT, "2024-12-20")
    at.selectbox(key="fix_deal").set_value(deal)
    at.selectbox(key="fix_status").set_value("suspended")
    at = _button(at, "Queue deal fix").click().run()
    at.selectbox(key="fix_actor").set_value(turkey)
    at.text_input(key="fix_rename").input("Türkiye")
    at = _button(at, "Queue actor fix").click().run()
    assert not at.exception and not at.error
    queued = [t.value for t in at.text]
    assert "set-status United Kingdom – Turkey → suspended" in queued
    assert "rename Turkey (Country) → Türkiye" in queued

    at = _button(at, "Commit").click().run()

    assert not at.exception and not at.error
    assert at.success[0].value.endswith("from 1 article and 2 corrections")
    with PolicyGraph.open(str(page_store), "read") as graph:
        deals_now = {d["label"]: d for d in graph.deals()}
        assert [c.kind for c in graph.corrections()] == ["set-status", "rename"]
    fixed = deals_now["United Kingdom – Türkiye"]  # labelled by its actors as they read now
    assert fixed["status"] == "suspended"
    assert {a["label"] for a in fixed["parties"]} == {"United Kingdom", "Türkiye"}
