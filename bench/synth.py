"""Synthetic stores for the dashboard benchmark, written through the real store API.

``python -m bench.synth --store DIR --deals N [--seed S] [--per-article K]``

Every deal has its own set of parties (a deal's identity is its parties, see
``graph.vocab.deal_iri``), so N deals are N deal nodes. Each deal is reported by one to five
articles spread over several years, each report a dated status claim (proposed, negotiating,
concluded, suspended, terminated), so deals have status histories. Payers, payees, amounts,
purposes, critics and statements are drawn from a cast of real countries, ISO 3166-2 regions,
continents and supranational bodies (from ``graph.gazetteer``) plus invented people,
organisations and political parties.

The articles are the pipeline's own dataclasses (``graph.model``), turned into RDF by
``graph.rdf.to_graph``, checked by ``graph.validate.check`` (the SHACL shapes) and written by
``PolicyGraph.write``: the path ``policygraph ingest`` takes, without the NLP. Each article
reports up to K deals (``--per-article``), which keeps the number of article graphs, and so
the number of SHACL runs, near ``N × 2.4 / K``. The same seed gives the same store.

>>> plans = plan_deals(build_cast(random.Random(0)), 50, random.Random(0))
>>> len({frozenset(p.parties) for p in plans})
50
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

from graph.core import PolicyGraph, Prepared
from graph.extract.entities import place_actor
from graph.gazetteer import COUNTRY, REGION, SUPRANATIONAL, default_gazetteer
from graph.model import PURPOSES, Actor, Article, Deal, Evidence, Extraction, Sentence, Statement
from graph.rdf import to_graph
from graph.validate import check
from graph.vocab import slug

DEFAULT_PER_ARTICLE = 4
BATCH = 100  # articles per task and per write transaction
FIRST_DAY = date(2016, 1, 4)
LAST_DAY = date(2025, 6, 30)

# Countries that pay for migration deals in the news; most payers come from here.
DONORS = ("GB", "IT", "DE", "FR", "ES", "NL", "GR", "AT", "BE", "DK", "SE", "US", "AU", "CH")
EURO = frozenset(
    {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV"}
    | {"MT", "NL", "PT", "SI", "SK"}
)
# ISO 3166-2 subdivisions that migration deals name; those the gazetteer lacks are skipped.
SUBDIVISIONS = (
    "IQ-KR", "GB-SCT", "GB-NIR", "IT-82", "IT-88", "ES-CN", "ES-CE", "ES-ML", "GR-K", "GR-M",
    "LY-TB", "LY-BA", "TN-11", "MA-01", "SN-DK", "NG-LA", "TR-34", "LB-BA", "SO-BN", "PK-BA",
    "AF-KAB", "ML-BKO", "NE-8", "PT-20", "MX-CHH", "US-TX",
)  # fmt: skip

# Status paths: the statuses of a deal's successive reports, never going back.
STATUS_PATHS = (
    (("proposed", "negotiating", "concluded"), 5),
    (("negotiating", "concluded"), 4),
    (("proposed", "negotiating"), 3),
    (("negotiating", "concluded", "suspended"), 2),
    (("proposed", "negotiating", "concluded", "terminated"), 1),
    (("concluded", "suspended", "terminated"), 1),
    (("negotiating", "suspended"), 1),
    (("concluded",), 2),
    (("proposed",), 1),
)
# How each status reads: payer, payee (with its country for a region), amount, purpose.
STATUS_SENTENCES = {
    "proposed": "{payer} has proposed paying {payee}{amount} to {purpose}{also}.",
    "negotiating": "{payer} is negotiating a deal to pay {payee}{amount} to {purpose}{also}.",
    "concluded": "{payer} has signed an agreement to pay {payee}{amount} to {purpose}{also}.",
    "suspended": "{payer} has suspended its payments to {payee} meant to {purpose}{also}.",
    "terminated": "{payer} has ended its agreement to pay {payee} to {purpose}{also}.",
}
HEADLINE_WORDS = {
    "proposed": "floats a deal with",
    "negotiating": "in talks with",
    "concluded": "signs a deal with",
    "suspended": "suspends its deal with",
    "terminated": "ends its deal with",
}
PURPOSE_PHRASES = {
    "prevent_departures": "stop irregular departures",
    "border_control": "strengthen border control",
    "returns": "speed up returns of rejected asylum seekers",
    "relocation": "relocate asylum seekers",
    "offshore_processing": "process asylum claims offshore",
    "resettlement": "resettle refugees",
    "anti_smuggling": "fight people smuggling",
    "labour_mobility": "open legal routes for workers",
    "development_aid": "fund development projects",
    "budget_support": "support its budget",
}
CRITICISMS = (
    "saying it would push migrants into more dangerous routes",
    "calling it a cash-for-migrants scheme",
    "saying nobody would monitor how the money is spent",
    "warning that it ignores human rights abuses",
    "saying it outsources the country's obligations",
)
QUOTES = (
    "Our partnership with {other} will save lives",
    "This agreement with {other} is built on shared responsibility",
    "We will keep working with {other} until the crossings stop",
    "The money for {other} comes with strict conditions",
    "Nobody should profit from the misery of people fleeing {other}",
)
ROLES = ("Prime Minister", "Interior Minister", "Foreign Minister")
NGOS = (
    "Amnesty International", "Human Rights Watch", "Refugee Rights Watch",
    "Sea Rescue Alliance", "Migrant Aid Network", "Border Justice Forum",
    "Asylum Access Council", "Safe Passage Initiative", "Doctors at Sea",
    "Coastal Rescue Network", "Displacement Monitor", "Transit Rights Project",
)  # fmt: skip
OUTLETS = ("The Example", "Daily Ledger", "Policy Wire", "The Dispatch", "Border Monitor")
FIRST_NAMES = (
    "Anna", "Marco", "Sofia", "Omar", "Leila", "Jonas", "Elena", "Karim", "Maria", "Pieter",
    "Fatima", "Lukas", "Amina", "Henrik", "Chiara", "Yusuf", "Ingrid", "Tariq", "Nadia", "Pablo",
    "Grace", "Kwame", "Mei", "Ravi", "Olga", "Samir", "Clara", "Ahmed", "Lena", "Diego",
    "Hana", "Ibrahim", "Eva", "Tomas", "Zainab", "Felix", "Ines", "Musa", "Sara", "Viktor",
)  # fmt: skip
LAST_NAMES = (
    "Rossi", "Haddad", "Jansen", "Okafor", "Lindqvist", "Moreau", "Kowalski", "Demir",
    "Papadopoulos", "Novak", "Mensah", "Costa", "Schneider", "Benali", "Ivanova", "Fernandez",
    "Nakamura", "Osei", "Larsen", "Hosseini", "Murphy", "Dubois", "Kovacs", "Santos", "Weber",
    "Abdi", "Horvat", "Bianchi", "Yilmaz", "Eriksen", "Mwangi", "Petrov", "Silva", "Brennan",
    "Aziz", "Fischer", "Nilsson", "Diallo", "Romano", "Kaya",
)  # fmt: skip


# --- the cast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """Everyone the synthetic articles can name, as actor templates by key."""

    actors: dict[str, Actor]
    countries: tuple[str, ...]
    donors: tuple[str, ...]
    bodies: tuple[str, ...]
    macro_regions: tuple[str, ...]
    subdivisions: tuple[str, ...]
    ngos: tuple[str, ...]
    officials: dict[str, tuple[str, ...]]  # country or body key -> person keys
    councils: dict[str, str]  # country key -> its refugee council (an organisation)
    greens: dict[str, str]  # country key -> its green party


def build_cast(rng: random.Random) -> Cast:
    """Real places from the gazetteer, and invented officials, NGOs and parties around them."""
    gazetteer = default_gazetteer()
    actors: dict[str, Actor] = {}
    places = sorted(gazetteer.places(), key=lambda p: p.key)
    for place in places:
        actors[place.key] = place_actor(place)
    countries = tuple(p.key for p in places if p.type == COUNTRY)
    bodies = tuple(p.key for p in places if p.type == SUPRANATIONAL)
    macro = tuple(p.key for p in places if p.type == REGION)
    subdivisions = []
    for code in SUBDIVISIONS:
        region = gazetteer.by_code(code)
        if region is not None and f"country/{region.parent}" in actors:
            actors[region.key] = place_actor(region)
            subdivisions.append(region.key)

    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    officials: dict[str, tuple[str, ...]] = {}
    for owner in (*countries, *bodies):
        keys = []
        for role in ROLES[:2] if owner in countries else ("Commissioner",):
            name = names.pop()
            key = f"person/{slug(name)}"
            actors[key] = Actor(key, name, "Person", role=f"{role}, {actors[owner].label}")
            keys.append(key)
        officials[owner] = tuple(keys)

    ngos = []
    for name in NGOS:
        key = f"organisation/{slug(name)}"
        actors[key] = Actor(key, name, "Organisation")
        ngos.append(key)
    councils, greens = {}, {}
    for country in countries:
        label = actors[country].label
        name = slug(label)
        council = Actor(
            f"organisation/{name}-refugee-council", f"Refugee Council of {label}", "Organisation"
        )
        green = Actor(f"politicalparty/{name}-greens", f"Greens of {label}", "PoliticalParty")
        actors[council.key], actors[green.key] = council, green
        councils[country], greens[country] = council.key, green.key
    donors = tuple(f"country/{code}" for code in DONORS if f"country/{code}" in actors)
    return Cast(
        actors,
        countries,
        donors,
        bodies,
        macro,
        tuple(subdivisions),
        tuple(ngos),
        officials,
        councils,
        greens,
    )


# --- deals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One article's report of a deal: its status on a day, and what the article says."""

    deal: int
    day: date
    status: str
    amount: bool
    critics: bool
    statement: bool


@dataclass
class DealPlan:
    """One synthetic deal: its parties and roles, and the reports that follow it."""

    index: int
    parties: list[str]
    payers: list[str]
    payees: list[str]
    purposes: list[str]
    amount: tuple[str, float, str] | None  # as written, value, ISO 4217 currency
    critics: list[str]
    reports: list[Report] = field(default_factory=list)


def _amount(rng: random.Random, payer: str) -> tuple[str, float, str]:
    code = payer.rsplit("/", 1)[-1]
    symbol, currency = ("£", "GBP") if code == "GB" else ("$", "USD")
    if code in EURO or code == "EU":
        symbol, currency = "€", "EUR"
    millions = rng.choice((2, 5, 8, 12, 20, 35, 50, 75, 100, 150, 210, 500, 1200, 6000))
    if millions >= 1000:
        written = f"{symbol}{millions / 1000:g} billion"
    else:
        written = f"{symbol}{millions} million"
    return written, millions * 1e6, currency


def _parties(cast: Cast, rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """One draw of parties, payers and payees: bilateral, EU-funded, co-funded, with a transit
    country or body, or paying a region."""
    pick = rng.random()
    payer = rng.choice(cast.donors) if rng.random() < 0.75 else rng.choice(cast.countries)
    if pick < 0.55:
        payee = rng.choice(cast.countries)
        return [payer, payee], [payer], [payee]
    if pick < 0.67:
        body = rng.choice(cast.bodies) if rng.random() < 0.5 else "supranational/EU"
        payee = rng.choice(cast.countries)
        return [body, payee], [body], [payee]
    if pick < 0.77:
        second = rng.choice(cast.donors)
        payee = rng.choice(cast.countries)
        return [payer, second, payee], [payer, second], [payee]
    if pick < 0.90:
        payee = rng.choice(cast.countries)
        third = rng.choice(
            cast.countries if rng.random() < 0.6 else cast.bodies + cast.macro_regions
        )
        return [payer, payee, third], [payer], [payee]
    payee = rng.choice(cast.subdivisions)
    return [payer, payee], [payer], [payee]


def plan_deals(cast: Cast, count: int, rng: random.Random) -> list[DealPlan]:
    """``count`` deals, each with a party set no other deal has, and their dated reports."""
    plans: list[DealPlan] = []
    seen: set[frozenset[str]] = set()
    paths = [path for path, _ in STATUS_PATHS]
    weights = [weight for _, weight in STATUS_PATHS]
    span = (LAST_DAY - FIRST_DAY).days
    while len(plans) < count:
        parties, payers, payees = _parties(cast, rng)
        identity = frozenset(parties)
        if len(identity) != len(parties) or identity in seen or set(payers) & set(payees):
            continue
        if any(cast.actors[payee].part_of in payers for payee in payees):
            continue  # a country paying one of its own regions is no deal between governments
        seen.add(identity)
        owner = cast.actors[payers[0]]
        critics: list[str] = []
        if rng.random() < 0.45:
            home = payers[0] if owner.type == "Country" else rng.choice(cast.countries)
            critics.append(rng.choice(cast.ngos))
            if rng.random() < 0.4:
                critics.append(cast.councils[home] if rng.random() < 0.6 else cast.greens[home])
        plan = DealPlan(
            len(plans),
            parties,
            payers,
            payees,
            sorted(
                rng.sample([p for p in PURPOSES if p in PURPOSE_PHRASES], rng.choice((1, 1, 2)))
            ),
            _amount(rng, payers[0]) if rng.random() < 0.8 else None,
            critics,
        )
        path = list(rng.choices(paths, weights)[0])
        if len(path) > 1 and rng.random() < 0.1:  # a status reported twice
            at = rng.randrange(len(path))
            path.insert(at, path[at])
        day = FIRST_DAY + timedelta(days=rng.randrange(span * 3 // 4))
        for status in path:
            if day > LAST_DAY:
                break
            plan.reports.append(
                Report(
                    plan.index,
                    day,
                    status,
                    amount=plan.amount is not None and rng.random() < 0.7,
                    critics=bool(critics) and rng.random() < 0.6,
                    statement=rng.random() < 0.35,
                )
            )
            day += timedelta(days=rng.randint(30, 420))
        plans.append(plan)
    return plans


def schedule(plans: Sequence[DealPlan], per_article: int) -> list[list[Report]]:
    """Reports grouped into articles in date order: at most ``per_article`` deals each, never
    one deal twice, so each article graph has one status claim per deal. An article's date is
    its latest report's, so every deal's claims stay in order."""
    reports = sorted((r for p in plans for r in p.reports), key=lambda r: (r.day, r.deal))
    articles: list[list[Report]] = []
    current: list[Report] = []
    for report in reports:
        if len(current) == per_article or any(r.deal == report.deal for r in current):
            articles.append(current)
            current = []
        current.append(report)
    if current:
        articles.append(current)
    return articles


# --- articles ----------------------------------------------------------------------------


class _Writer:
    """Builds an article's text sentence by sentence, keeping every offset."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []
        self.sentences: list[Sentence] = []
        self.length = 0
        self.mentions: dict[str, tuple[str, Evidence]] = {}

    def paragraph(self, part: str = "body") -> None:
        if self.paragraphs:
            self.length += 1  # the newline before it
        self.paragraphs.append([])
        self._part = part

    def sentence(self, text: str, names: dict[str, str]) -> Evidence:
        """Add a sentence; ``names`` maps each actor key it names to the words naming it."""
        if self.paragraphs[-1]:
            self.length += 1  # the space between sentences
        start, end = self.length, self.length + len(text)
        self.paragraphs[-1].append(text)
        self.sentences.append(
            Sentence(len(self.sentences), start, end, text, len(self.paragraphs) - 1, self._part)  # type: ignore[arg-type]
        )
        self.length = end
        evidence = Evidence(text, start, end)
        for key, words in names.items():
            self.mentions.setdefault(key, (words, evidence))
        return evidence

    def text(self) -> str:
        return "\n".join(" ".join(p) for p in self.paragraphs)


def compose(
    index: int, reports: Sequence[Report], plans: Sequence[DealPlan], cast: Cast, seed: int = 0
) -> Extraction:
    """The article ``index`` reporting ``reports``, and what a perfect extractor reads from it."""
    rng = random.Random(f"{seed}:{index}")
    day = max(r.day for r in reports)
    label = {key: actor.label for key, actor in cast.actors.items()}
    writer = _Writer()
    lead = plans[reports[0].deal]
    headline = (
        f"{label[lead.payers[0]]} {HEADLINE_WORDS[reports[0].status]} {label[lead.payees[0]]}"
    )
    if len(reports) > 1:
        headline += f", and {len(reports) - 1} more migration deals"
    writer.paragraph("headline")
    writer.sentence(headline, {})
    writer.paragraph("standfirst")
    standfirst = f"Policy tracker no. {index + 1}, {day.day} {day:%B %Y}."
    writer.sentence(standfirst, {})
    deals, statements = [], []
    for report in reports:
        plan = plans[report.deal]
        writer.paragraph()
        names = {key: label[key] for key in plan.parties}
        payer = " and ".join(label[key] for key in plan.payers)
        payee = label[plan.payees[0]]
        country = cast.actors[plan.payees[0]].part_of
        if country:  # a region: its country is named too, so the region can be part of it
            payee += f" in {label[country]}"
            names[country] = label[country]
        others = [key for key in plan.parties if key not in plan.payers + plan.payees]
        also = ""
        if others:
            kind = cast.actors[others[0]].type
            also = f", {'in a programme for' if kind == 'Region' else 'with the backing of'} "
            also += label[others[0]]
        amount = f" {plan.amount[0]}" if plan.amount and report.amount else ""
        text = STATUS_SENTENCES[report.status].format(
            payer=payer,
            payee=payee,
            amount=amount,
            purpose=PURPOSE_PHRASES[plan.purposes[0]],
            also=also,
        )
        if len(plan.payers) > 1:  # "France and Spain have …"
            text = text.replace(" has ", " have ", 1).replace(" is ", " are ", 1)
            text = text.replace(" its ", " their ", 1)
        evidence = [writer.sentence(text, names)]
        critics = plan.critics if report.critics else []
        if critics:
            who = " and ".join(label[key] for key in critics)
            text = (
                f"{who} criticised the deal between {label[plan.payers[0]]} and "
                f"{label[plan.payees[0]]}, {rng.choice(CRITICISMS)}."
            )
            evidence.append(writer.sentence(text, {key: label[key] for key in critics}))
        deals.append(
            Deal(
                list(plan.parties),
                payers=list(plan.payers),
                payees=list(plan.payees),
                status=report.status,  # type: ignore[arg-type]
                purposes=list(plan.purposes),
                amount=plan.amount[0] if amount and plan.amount else None,
                amount_value=plan.amount[1] if amount and plan.amount else None,
                currency=plan.amount[2] if amount and plan.amount else None,
                criticised_by=list(critics),
                evidence=evidence,
            )
        )
        if report.statement:
            speaker = rng.choice(cast.officials[plan.payers[0]])
            quote = rng.choice(QUOTES).format(other=label[plan.payees[0]])
            text = f'{label[speaker]} said: "{quote}."'
            said = writer.sentence(text, {speaker: label[speaker]})
            statements.append(Statement(speaker, quote, said))

    article = Article(
        text=writer.text(),
        headline=headline,
        sentences=tuple(writer.sentences),
        standfirst=standfirst,
        author=rng.choice(FIRST_NAMES) + " " + rng.choice(LAST_NAMES),
        outlet=rng.choice(OUTLETS),
        published=day,
        url=f"https://news.example/tracker/{index + 1}",
        source_name=f"synthetic-{index + 1:06d}.txt",
    )
    actors = []
    for key, (words, first) in writer.mentions.items():
        template = cast.actors[key]
        actors.append(
            Actor(
                key,
                template.label,
                template.type,
                template.iso_code,
                template.wikidata,
                template.part_of,
                template.role,
                mentions=[words],
                evidence=[first],
            )
        )
    return Extraction(article, actors, deals, statements)


def prepare(extraction: Extraction) -> Prepared:
    """The article's graph, checked against the SHACL shapes as an ingest checks it."""
    graph = to_graph(extraction)
    check(graph, extraction.article.source_name or extraction.article.key)
    return Prepared(extraction.article.source_name or "", extraction, graph)


# --- checking fast, without changing the check --------------------------------------------


@contextmanager
def translated_once() -> Iterator[None]:
    """Within this block rdflib parses and translates each distinct SPARQL text only once.

    pyshacl runs the shapes' two SPARQL constraints (``DealShape-paymentByParty`` and
    ``-payerNotPayee``) once per deal and hands rdflib the same query text every time, with
    the deal as a binding; rdflib parses that text again on every call, which is more than
    half the CPU time of checking a synthetic article (measured: 55 ms a deal, 24 ms with this).
    Here a translated query is reused for the same text, prefixes and base, as rdflib's own
    ``prepareQuery`` allows. The check itself is unchanged: the same ``graph.validate.check``,
    the same shapes, the same pyshacl, the same answers.
    """
    original = SPARQLProcessor.query
    translated: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}

    def query(
        self: SPARQLProcessor,
        text: str | Query,
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(text, str):
            key = (text, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in translated:
                if len(translated) > 64:
                    translated.clear()
                translated[key] = translateQuery(parseQuery(text), base, initNs)
            text = translated[key]
        return original(self, text, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


# --- the whole store ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What ``generate`` wrote."""

    location: str
    deals: int
    articles: int
    triples: int
    seconds: float

    def line(self) -> str:
        """The one-line report the command prints."""
        return (
            f"bench.synth: {self.deals} deals, {self.articles} articles, {self.triples} triples "
            f"in {self.seconds:.1f} s -> {self.location}"
        )


@dataclass(frozen=True)
class Job:
    """What to generate: the same job gives the same articles in every process."""

    seed: int
    deals: int
    per_article: int


@functools.lru_cache(maxsize=1)
def plan(job: Job) -> tuple[Cast, list[DealPlan], list[list[Report]]]:
    """The cast, the deals and the articles (as groups of reports) of a job."""
    rng = random.Random(job.seed)
    cast = build_cast(rng)
    plans = plan_deals(cast, job.deals, rng)
    return cast, plans, schedule(plans, job.per_article)


def prepare_articles(job: Job, start: int, end: int) -> list[Prepared]:
    """Articles ``start`` to ``end`` of a job, composed, turned into RDF and checked."""
    cast, plans, articles = plan(job)
    with translated_once():
        return [prepare(compose(i, articles[i], plans, cast, job.seed)) for i in range(start, end)]


def _prepare_task(task: tuple[Job, int, int]) -> list[Prepared]:
    return prepare_articles(*task)


def _batches(job: Job, workers: int, batch: int) -> Iterator[list[Prepared]]:
    """Prepared articles in order, ``batch`` at a time, built by ``workers`` processes."""
    count = len(plan(job)[2])
    tasks = [(job, i, min(i + batch, count)) for i in range(0, count, batch)]
    if workers <= 1 or len(tasks) < 2:
        yield from map(_prepare_task, tasks)
        return
    # fork: the workers inherit the plan, and a caller's script needs no __main__ guard
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, context) as pool:
        yield from pool.map(_prepare_task, tasks)


def generate(
    location: str,
    deals: int,
    seed: int = 0,
    per_article: int = DEFAULT_PER_ARTICLE,
    workers: int | None = None,
    batch: int = BATCH,
) -> Summary:
    """Write ``deals`` synthetic deals into a new store at ``location``; say what was written.

    ``location`` must not hold anything yet. ``workers`` processes compose and check the
    articles (default: one per CPU), ``batch`` articles a task; this process writes each
    batch in one transaction with ``PolicyGraph.write``. The store does not depend on
    ``workers`` or ``batch``.
    """
    if deals < 1 or per_article < 1 or batch < 1:
        raise ValueError("--deals and --per-article must be at least 1")
    path = Path(location)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"{location}: exists and is not empty; name a new directory")
    started = time.perf_counter()
    job = Job(seed, deals, per_article)
    articles = triples = 0
    with PolicyGraph.open(location, "write") as graph:
        for prepared in _batches(job, workers or os.cpu_count() or 1, batch):
            written = graph.write(prepared)
            articles += len(written.articles)
            triples += written.triples
    return Summary(location, deals, articles, triples, time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate one store and print one line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description="Write a synthetic policygraph store."
    )
    parser.add_argument("--store", required=True, help="a new store directory")
    parser.add_argument("--deals", type=int, required=True, help="how many distinct deals")
    parser.add_argument("--seed", type=int, default=0, help="the same seed, the same store")
    parser.add_argument(
        "--per-article",
        type=int,
        default=DEFAULT_PER_ARTICLE,
        help=f"deals reported per article, at most (default {DEFAULT_PER_ARTICLE})",
    )
    parser.add_argument("--workers", type=int, help="processes that build articles (default: CPUs)")
    options = parser.parse_args(argv)
    try:
        summary = generate(
            options.store, options.deals, options.seed, options.per_article, options.workers
        )
    except (ValueError, FileExistsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
