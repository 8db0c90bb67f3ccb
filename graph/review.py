"""Review before writing: what an ingest would add, shown to a person who then commits or not.

The dashboard's Ingest page calls these; nothing here imports Streamlit. A ``Review`` is one
article read and extracted, its graph built and SHACL-checked, but not written: the triples it
would add, the violations that would stop it, and the actor mentions and deal evidence to
highlight in its text. ``commit`` writes reviews in one transaction through
``PolicyGraph.write``, and refuses any with a violation. Inputs are checked as the CLI checks
them (``graph.article``), so bad input is one line naming the input, before any extraction.

``Review.to_state`` turns a review into plain data (strings, numbers, lists, dicts) for a
session to keep between page runs; ``Review.from_state`` rebuilds the same review from it.

Examples
--------
>>> from graph.article import parse_article
>>> from graph.model import Actor, Deal, Evidence
>>> article = parse_article("Head\\nItaly pays <b>Tunisia</b>.")
>>> italy = Actor("country/IT", "Italy", "Country", "IT", mentions=["Italy"])
>>> tunisia = Actor("country/TN", "Tunisia", "Country", "TN", mentions=["Tunisia"])
>>> sentence = article.sentences[1]
>>> deal = Deal(["country/IT", "country/TN"], ["country/IT"], ["country/TN"],
...             evidence=[Evidence(sentence.text, sentence.start, sentence.end)])
>>> review = review_extraction("a.txt", Extraction(article, [italy, tunisia], [deal], []))
>>> [(s.kind, article.text[s.start:s.end]) for s in review.highlights]
[('deal', 'Italy pays <b>Tunisia</b>.'), ('actor', 'Italy'), ('actor', 'Tunisia')]
>>> "&lt;b&gt;" in review.html() and "<b>" not in review.html()
True
>>> review.violations, review.counts["triples"] == len(review.graph)
([], True)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from rdflib import XSD, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from graph.article import MAX_BYTES, Metadata, decode_text, parse_date, parse_url
from graph.core import IngestReport, PolicyGraph, Prepared
from graph.errors import InputError, PolicyGraphError, ValidationError
from graph.model import Actor, Article, Deal, Evidence, Extraction, Sentence, Statement
from graph.rdf import deal_label, to_graph
from graph.validate import check, violations
from graph.view import TYPE_COLOURS, UNKNOWN_TYPE, readable
from graph.vocab import actor_iri, deal_iri, prefixed

PASTED = "pasted text"
DATE_INPUT = "date"
URL_INPUT = "URL"
DEAL_COLOUR = "#FCEFB4"  # a pale yellow behind a deal's evidence sentence
TEXT_COLOUR = "#1F1F1F"  # dark text on it, in the light and the dark theme alike

_XSD_STRING = str(XSD.string)


# --- what a review holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A span of the article text to mark: an actor mention or a deal's evidence sentence.

    ``start`` and ``end`` index ``Article.text``; ``title`` is the plain text shown on hover;
    ``type`` is the actor type (for its colour) or ``"Deal"``.
    """

    start: int
    end: int
    kind: Literal["actor", "deal"]
    title: str
    type: str


@dataclass
class Review:
    """One article read, extracted and checked but not written: what the Ingest page shows."""

    source: str
    extraction: Extraction
    graph: Graph
    triples: list[dict[str, str]]
    violations: list[str]
    highlights: list[Highlight]

    @property
    def article(self) -> Article:
        """The parsed article."""
        return self.extraction.article

    @property
    def counts(self) -> dict[str, int]:
        """How many actors, deals, statements and triples the article gives."""
        return {
            "actors": len(self.extraction.actors),
            "deals": len(self.extraction.deals),
            "statements": len(self.extraction.statements),
            "triples": len(self.graph),
        }

    def html(self) -> str:
        """The article text with its highlights and a legend, every piece of text escaped."""
        return render_html(self.article.text, self.highlights)

    def to_state(self) -> dict[str, Any]:
        """The review as plain data for a session: what the page shows, and the extraction
        that ``from_state`` rebuilds the graph from."""
        return {
            "source": self.source,
            "headline": self.article.headline,
            "counts": self.counts,
            "html": self.html(),
            "triples": [dict(row) for row in self.triples],
            "violations": list(self.violations),
            "extraction": extraction_to_plain(self.extraction),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Review:
        """The review ``to_state`` described (the graph rebuilt; violations as recorded)."""
        extraction = extraction_from_plain(state["extraction"])
        return review_extraction(state["source"], extraction, list(state["violations"]))


def review_extraction(
    source: str, extraction: Extraction, found: list[str] | None = None
) -> Review:
    """Build the review of an extraction: its graph, triples, highlights and SHACL violations
    (checked now unless ``found`` gives them)."""
    graph = to_graph(extraction)
    return Review(
        source=source,
        extraction=extraction,
        graph=graph,
        triples=triple_rows(graph),
        violations=violations(graph) if found is None else found,
        highlights=highlights(extraction),
    )


# --- triples ----------------------------------------------------------------------------


def term_text(term: Node) -> str:
    """An RDF term as a person reads it: IRIs with the project's prefixes, literals on one line.

    >>> from graph.vocab import PG
    >>> term_text(PG.Deal), term_text(URIRef("https://w3id.org/policygraph/id/actor/country/GB"))
    ('pg:Deal', 'id:actor/country/GB')
    >>> term_text(URIRef("https://news.example/a"))
    '<https://news.example/a>'
    >>> print(term_text(RDFLiteral('He said "yes"\\nthen left')))
    "He said \\"yes\\"\\nthen left"
    >>> term_text(RDFLiteral(date(2024, 11, 18)))
    '"2024-11-18"^^xsd:date'
    """
    if isinstance(term, URIRef):
        return prefixed(str(term)) or f"<{term}>"
    if isinstance(term, RDFLiteral):
        value = str(term).replace("\\", "\\\\").replace('"', '\\"')
        text = '"' + value.replace("\r", "\\r").replace("\n", "\\n") + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^{term_text(term.datatype)}"
        return text
    return str(term.n3()) if hasattr(term, "n3") else str(term)


def triple_rows(graph: Graph) -> list[dict[str, str]]:
    """Every triple of ``graph`` as a ``subject``/``predicate``/``object`` row, sorted: one
    row per triple."""
    rows = [(term_text(s), term_text(p), term_text(o)) for s, p, o in graph]
    return [{"subject": s, "predicate": p, "object": o} for s, p, o in sorted(rows)]


# --- highlights -------------------------------------------------------------------------


def highlights(extraction: Extraction) -> list[Highlight]:
    """Every deal's evidence sentences and every actor mention found in the article text,
    in text order (a deal before the mentions inside it).

    A mention is found where its words stand whole in the text; where two mentions overlap,
    the longer one wins ("Kurdistan Region" over "Kurdistan").
    """
    text = extraction.article.text
    spans: dict[tuple[int, int], list[str]] = {}
    for deal in extraction.deals:
        label = f"Deal: {_deal_title(deal, extraction)}"
        for ev in deal.evidence:
            start, end = max(0, ev.start), min(len(text), ev.end)
            if start < end and label not in spans.setdefault((start, end), []):
                spans[(start, end)].append(label)
    found = [
        Highlight(start, end, "deal", "; ".join(labels), "Deal")
        for (start, end), labels in spans.items()
    ]

    candidates = []
    for actor in extraction.actors:
        for mention in sorted(set(actor.mentions)):
            if not mention.strip():
                continue
            pattern = rf"(?<!\w){re.escape(mention)}(?!\w)"
            for match in re.finditer(pattern, text):
                candidates.append((match.start(), -(match.end() - match.start()), actor))
    taken_end = -1
    for start, negative_length, actor in sorted(candidates, key=lambda c: (c[0], c[1])):
        end = start - negative_length
        if start < taken_end:
            continue
        found.append(Highlight(start, end, "actor", _actor_title(actor), actor.type))
        taken_end = end
    return sorted(found, key=lambda h: (h.start, -h.end, h.kind != "deal"))


def _actor_title(actor: Actor) -> str:
    code = f" ({actor.iso_code})" if actor.iso_code else ""
    return f"{readable(actor.type).capitalize()}: {actor.label}{code}"


def _deal_title(deal: Deal, extraction: Extraction) -> str:
    try:
        label = deal_label(deal, extraction)
    except KeyError:  # a party the extraction does not list; the SHACL check will say more
        label = " – ".join(deal.parties)
    amount = f", {deal.amount}" if deal.amount else ""
    return f"{label} ({deal.status}{amount})"


def render_html(text: str, spans: Iterable[Highlight]) -> str:
    """``text`` as HTML with each highlight marked and a legend above it.

    Every piece of ``text`` and every title is ``html.escape``d: article text shows as text,
    never as markup. A deal's evidence is a pale ``<mark>``; an actor mention inside it is
    underlined in its type's colour; each carries its description in a ``title``.

    >>> spans = [Highlight(0, 8, "actor", "Country: <i>X</i>", "Country")]
    >>> page = render_html("<script>alert(1)</script>", spans)
    >>> "&lt;script&gt;" in page and "<script" not in page
    True
    >>> 'title="Country: &lt;i&gt;X&lt;/i&gt;"' in page
    True
    """
    size = len(text)
    spans = sorted(spans, key=lambda h: (h.start, -h.end))
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for index, span in enumerate(spans):
        start, end = min(max(span.start, 0), size), min(max(span.end, 0), size)
        if start < end:
            opening.setdefault(start, []).append(index)
            closing.setdefault(end, []).append(index)
    bounds = sorted({0, size, *opening, *closing})
    out = [_legend(spans), '<div class="pg-article" style="white-space:pre-wrap;line-height:1.7">']
    active: set[int] = set()  # one sweep over the boundaries: linear in the text and spans
    current: tuple[Highlight, ...] = ()
    for start, end in pairwise(bounds):
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        inside = tuple(spans[i] for i in sorted(active) if spans[i].kind == "deal")
        if inside != current:
            if current:
                out.append("</mark>")
            if inside:
                title = "; ".join(d.title for d in inside)
                out.append(f'<mark class="pg-deal" title="{_attr(title)}" style="{_DEAL_STYLE}">')
            current = inside
        piece = html.escape(text[start:end], quote=False)
        actor = next((spans[i] for i in sorted(active) if spans[i].kind == "actor"), None)
        if actor is not None:
            piece = (
                f'<mark class="pg-actor" title="{_attr(actor.title)}" '
                f'style="{_actor_style(actor.type)}">{piece}</mark>'
            )
        out.append(piece)
    if current:
        out.append("</mark>")
    out.append("</div>")
    return "".join(out)


_DEAL_STYLE = f"background:{DEAL_COLOUR};color:{TEXT_COLOUR};padding:0 1px;border-radius:2px"


def _actor_style(kind: str) -> str:
    colour = TYPE_COLOURS.get(kind, TYPE_COLOURS[UNKNOWN_TYPE])[0]
    return f"background:transparent;color:inherit;padding:0;border-bottom:3px solid {colour}"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _legend(spans: Sequence[Highlight]) -> str:
    """The highlight styles in use, named: deal evidence, then each actor type present."""
    types = sorted({s.type for s in spans if s.kind == "actor"})
    items = [f'<mark style="{_DEAL_STYLE}">deal evidence</mark>'] + [
        f'<span style="{_actor_style(kind)}">{html.escape(readable(kind).capitalize())}</span>'
        for kind in types
    ]
    return (
        '<div class="pg-legend" style="font-size:0.85em;margin-bottom:0.6em">'
        "Highlights (hover one for its actor or deal): " + " · ".join(items) + "</div>"
    )


# --- reading the inputs -----------------------------------------------------------------


def check_pasted(text: str, name: str = PASTED) -> str:
    """The pasted text, refused (one line naming it) if it is empty, binary or over 5 MB.

    >>> check_pasted("  ")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: pasted text: empty, nothing to ingest
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise InputError(f"{name}: not valid Unicode text") from None
    if size > MAX_BYTES:
        raise InputError(f"{name}: {size / 1e6:.1f} MB, over the 5 MB limit")
    if "\x00" in text:
        raise InputError(f"{name}: holds NUL characters, expected plain text")
    if not text.strip():
        raise InputError(f"{name}: empty, nothing to ingest")
    return text


def review_inputs(
    pg: PolicyGraph,
    text: str | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    date: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> list[Review]:
    """Review pasted text (if not blank) and uploaded ``(name, bytes)`` files.

    Every input is checked first, as ``policygraph ingest`` checks its files, so one bad input
    stops everything with one line naming it before the (slow) extraction starts.
    """
    published = parse_date((date or "").strip() or None, DATE_INPUT)
    url = parse_url((url or "").strip() or None, URL_INPUT)
    outlet = (outlet or "").strip() or None
    articles: list[tuple[str, str, str | None]] = []
    if text and text.strip():
        articles.append((PASTED, check_pasted(text), None))
    for name, raw in files:
        articles.append((name, decode_text(raw, name), name))
    if not articles:
        raise InputError("nothing to review: paste an article's text or upload .txt files")
    if url and len(articles) > 1:
        raise InputError(f"{URL_INPUT}: names one article, but {len(articles)} were given")
    reviews = []
    for source, body, source_name in articles:
        extraction = pg.extract_text(body, Metadata(published, url, outlet, source_name), source)
        reviews.append(review_extraction(source, extraction))
    return reviews


# --- writing ----------------------------------------------------------------------------


def fix_targets(reviews: Sequence[Review]) -> tuple[dict[str, str], dict[str, str]]:
    """What the analyst can fix before committing: the reviewed articles' actors and deals,
    IRI to label, as they will be named in the store."""
    actors: dict[str, str] = {}
    deals: dict[str, str] = {}
    for item in reviews:
        extraction = item.extraction
        for actor in extraction.actors:
            actors[str(actor_iri(actor.key))] = f"{actor.label} ({actor.type})"
        for deal in extraction.deals:
            iri = deal_iri([str(actor_iri(k)) for k in deal.parties], deal.distinction)
            deals[str(iri)] = deal_label(deal, extraction)
    return actors, deals


@dataclass(frozen=True)
class Fix:
    """A correction the analyst made in the review, applied right after the commit."""

    kind: str
    target: str
    values: tuple[str, ...] = ()
    date: str | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target,
            "values": list(self.values),
            "date": self.date,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Fix:
        return cls(state["kind"], state["target"], tuple(state["values"]), state.get("date"))


def deal_fixes(
    deal: str, status: str, payers: Sequence[str], payees: Sequence[str], delete: bool
) -> list[dict[str, Any]]:
    """The Ingest review's fixes of one deal, as ``Fix`` states: a status (as of today),
    payers and payees when given, or its deletion."""
    if delete:
        return [Fix("delete-deal", deal).to_state()]
    fixes = []
    if status:
        fixes.append(Fix("set-status", deal, (status,)))
    if payers:
        fixes.append(Fix("set-payers", deal, tuple(payers)))
    if payees:
        fixes.append(Fix("set-payees", deal, tuple(payees)))
    return [fix.to_state() for fix in fixes]


def actor_fixes(actor: str, name: str, kind: str, delete: bool) -> list[dict[str, Any]]:
    """The Ingest review's fixes of one actor, as ``Fix`` states: a new name, a type, or its
    deletion."""
    if delete:
        return [Fix("delete-actor", actor).to_state()]
    fixes = []
    if name.strip():
        fixes.append(Fix("rename", actor, (name.strip(),)))
    if kind:
        fixes.append(Fix("retype", actor, (kind,)))
    return [fix.to_state() for fix in fixes]


def commit(
    target: PolicyGraph | str | None,
    reviews: Sequence[Review],
    fixes: Sequence[Fix] = (),
) -> IngestReport:
    """Write reviewed articles in one transaction, all or none, through ``PolicyGraph.write``,
    then the analyst's ``fixes`` as corrections (kept apart from the article graphs, as every
    correction is), while the store is still held for writing.

    ``target`` is a ``PolicyGraph`` (open for writing) or a store location, opened for writing
    only while the graphs are written. A review with a SHACL violation refuses the whole
    commit with one line, and the store is left as it was. A fix is checked as every
    correction is; one that is refused is one line, and the articles stay written.
    """
    if not reviews:
        raise InputError("nothing to commit: review an article first")
    for review in reviews:
        if review.violations:
            count = len(review.violations)
            more = f" (and {count - 1} more)" if count > 1 else ""
            raise ValidationError(
                f"{review.source}: SHACL violation: {review.violations[0]}{more}; "
                "nothing was written"
            )
    for review in reviews:  # every write is validated, whatever the review recorded
        check(review.graph, review.source)
    prepared = [Prepared(r.source, r.extraction, r.graph) for r in reviews]
    if isinstance(target, PolicyGraph):
        return _write(target, prepared, fixes)
    with PolicyGraph.open(target, "write") as pg:
        return _write(pg, prepared, fixes)


def _write(pg: PolicyGraph, prepared: list[Prepared], fixes: Sequence[Fix]) -> IngestReport:
    report = pg.write(prepared)
    for number, fix in enumerate(fixes, start=1):
        try:
            pg.correct(fix.kind, fix.target, fix.values, date=fix.date)
        except PolicyGraphError as error:
            raise InputError(
                f"the articles were written, but fix {number} of {len(fixes)} was refused "
                f"({error}); correct it on the Actor or Deals page"
            ) from None
    report.fixes = len(fixes)
    return report


def commit_message(report: IngestReport) -> str:
    """``Wrote N triples from M articles`` (singular where it is one).

    >>> commit_message(IngestReport())
    'Wrote 0 triples from 0 articles'
    """
    triples, articles = report.triples, len(report.articles)
    fixed = (
        f" and {report.fixes} correction{'' if report.fixes == 1 else 's'}" if report.fixes else ""
    )
    return (
        f"Wrote {triples} triple{'' if triples == 1 else 's'} "
        f"from {articles} article{'' if articles == 1 else 's'}{fixed}"
    )


# --- plain data -------------------------------------------------------------------------


def extraction_to_plain(extraction: Extraction) -> dict[str, Any]:
    """An extraction as plain data (dates as ISO strings), for ``extraction_from_plain``."""
    article = extraction.article
    return {
        "article": {
            "text": article.text,
            "headline": article.headline,
            "sentences": [_plain(s) for s in article.sentences],
            "standfirst": article.standfirst,
            "author": article.author,
            "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None,
            "url": article.url,
            "source_name": article.source_name,
            "dateline": list(article.dateline) if article.dateline else None,
        },
        "actors": [
            {**_plain(a), "evidence": [_plain(e) for e in a.evidence]} for a in extraction.actors
        ],
        "deals": [
            {**_plain(d), "evidence": [_plain(e) for e in d.evidence]} for d in extraction.deals
        ],
        "statements": [
            {"speaker": s.speaker, "quote": s.quote, "evidence": _plain(s.evidence)}
            for s in extraction.statements
        ],
    }


def extraction_from_plain(data: Mapping[str, Any]) -> Extraction:
    """The extraction ``extraction_to_plain`` described."""
    a = data["article"]
    article = Article(
        text=a["text"],
        headline=a["headline"],
        sentences=tuple(Sentence(**s) for s in a["sentences"]),
        standfirst=a["standfirst"],
        author=a["author"],
        outlet=a["outlet"],
        published=date.fromisoformat(a["published"]) if a["published"] else None,
        url=a["url"],
        source_name=a["source_name"],
        dateline=tuple(a["dateline"]) if a.get("dateline") else None,  # type: ignore[arg-type]
    )
    return Extraction(
        article,
        [
            Actor(**{**x, "evidence": [Evidence(**e) for e in x["evidence"]]})
            for x in data["actors"]
        ],
        [Deal(**{**x, "evidence": [Evidence(**e) for e in x["evidence"]]}) for x in data["deals"]],
        [
            Statement(x["speaker"], x["quote"], Evidence(**x["evidence"]))
            for x in data["statements"]
        ],
    )


def _plain(obj: Any) -> dict[str, Any]:
    """A flat dataclass's fields, lists copied (nested dataclasses are left to the caller)."""
    return {
        name: list(value) if isinstance(value, list | tuple) else value
        for name, value in vars(obj).items()
    }
