"""Global fixtures."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from bench.render import stop
from graph.article import Metadata, parse_article
from graph.core import PolicyGraph
from graph.model import Actor, Article, Deal, Evidence, Extraction, Statement
from graph.rdf import to_graph

_FIRST = """UK and Italy sign up to pay for migration control
by Jane Doe · The Example
The United Kingdom is negotiating a deal to pay Turkey £50 million to stop small boats.
Italy has concluded an agreement to pay Tunisia €100 million for border control.
Human rights groups criticised the Italy deal, calling it <script>alert("x")</script> cruel.
Keir Starmer said the agreement with Turkey would save lives.
"""

_EARLIER = """Britain floats a migration deal with Turkey
The United Kingdom has proposed paying Turkey to stop small boats crossing.
"""


def _evidence(article: Article, fragment: str) -> Evidence:
    sentence = next(s for s in article.sentences if fragment in s.text)
    return Evidence(sentence.text, sentence.start, sentence.end)


def _seed_extractions() -> list[Extraction]:
    """Two articles built by hand (no NLP): UK pays Turkey, Italy pays Tunisia."""
    first = parse_article(
        _FIRST, Metadata(date(2024, 5, 2), "https://news.example/uk-italy", None, "first.txt")
    )
    earlier = parse_article(
        _EARLIER, Metadata(date(2024, 3, 1), "https://news.example/uk-turkey", None, "earlier.txt")
    )

    def uk(article: Article) -> Actor:
        return Actor(
            "country/GB",
            "United Kingdom",
            "Country",
            "GB",
            "Q145",
            mentions=["United Kingdom"],
            evidence=[_evidence(article, "United Kingdom")],
        )

    def turkey() -> Actor:
        return Actor("country/TR", "Turkey", "Country", "TR", "Q43", mentions=["Turkey"])

    critics = "organisation/human-rights-groups"
    return [
        Extraction(
            first,
            [
                uk(first),
                turkey(),
                Actor("country/IT", "Italy", "Country", "IT", "Q38", mentions=["Italy"]),
                Actor("country/TN", "Tunisia", "Country", "TN", "Q948", mentions=["Tunisia"]),
                Actor(
                    "person/keir-starmer",
                    "Keir Starmer",
                    "Person",
                    role="Prime Minister",
                    mentions=["Keir Starmer"],
                ),
                Actor(
                    critics, "human rights groups", "Organisation", mentions=["Human rights groups"]
                ),
            ],
            [
                Deal(
                    ["country/GB", "country/TR"],
                    payers=["country/GB"],
                    payees=["country/TR"],
                    status="negotiating",
                    purposes=["prevent_departures"],
                    amount="£50 million",
                    evidence=[_evidence(first, "negotiating")],
                ),
                Deal(
                    ["country/IT", "country/TN"],
                    payers=["country/IT"],
                    payees=["country/TN"],
                    status="concluded",
                    purposes=["border_control"],
                    amount="€100 million",
                    criticised_by=[critics],
                    evidence=[_evidence(first, "concluded"), _evidence(first, "criticised")],
                ),
            ],
            [
                Statement(
                    "person/keir-starmer",
                    "the agreement with Turkey would save lives",
                    _evidence(first, "Starmer"),
                )
            ],
        ),
        Extraction(
            earlier,
            [uk(earlier), turkey()],
            [
                Deal(
                    ["country/GB", "country/TR"],
                    payers=["country/GB"],
                    payees=["country/TR"],
                    status="proposed",
                    evidence=[_evidence(earlier, "proposed")],
                )
            ],
            [],
        ),
    ]


@pytest.fixture(scope="session")
def seed_like_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding two hand-built articles (no NLP model needed).

    UK pays Turkey (proposed, then negotiating; £50 million); Italy pays Tunisia (concluded,
    €100 million, criticised by human rights groups, one sentence holds ``<script>``); Keir
    Starmer said something naming Turkey. Tests only read it.
    """
    path = tmp_path_factory.mktemp("seed") / "store"
    with PolicyGraph.open(str(path), "write") as graph:
        graph.store.replace_graphs([to_graph(e) for e in _seed_extractions()])
    return path


# --------------------------------------------------------------------------------------------
# Hand-built extractions (no NLP model): `sample_text`, `later_text`, `extraction_factory`,
# `sample_extraction`, `later_extraction`, `extract_by_hand`, and `fake_extractor`, which makes
# `PolicyGraph.extract` build them (the real pipeline is never loaded).
# --------------------------------------------------------------------------------------------

SAMPLE_TEXT = """UK agrees to pay Turkey to stop migrant boats
Ministers say the money will pay for coastguard patrols on the Turkish coast
by Jane Reporter · The Example
The United Kingdom has signed a deal to pay Turkey £12 million to strengthen its borders.
Talks on a similar deal with the Kurdistan Region of Iraq are continuing, officials said.
Human rights groups criticised the plan, saying it would push migrants into danger.
Keir Starmer said: "This deal with Turkey will save lives."
"""

LATER_TEXT = """UK and Turkey reopen talks on migration deal
The United Kingdom is in talks with Turkey again after the first payments were paused.
"""

_STATUS_WORDS = (
    ("suspended", "suspended"),
    ("signed", "concluded"),
    ("talks", "negotiating"),
)


def _sentence(article: Article, *fragments: str) -> Evidence | None:
    """The first body (else any) sentence holding every fragment, as evidence."""
    ordered = sorted(article.sentences, key=lambda s: s.part != "body")
    for sentence in ordered:
        if all(f.casefold() in sentence.text.casefold() for f in fragments):
            return Evidence(sentence.text, sentence.start, sentence.end)
    return None


def build_extraction(article: Article, status: str | None = None) -> Extraction:
    """What a perfect extractor reads from ``SAMPLE_TEXT``-like articles, by string search.

    Actors are found by their surface forms; the UK–Turkey deal's status comes from the words
    of its sentence ("signed": concluded, "talks": negotiating) unless ``status`` is given.
    """
    text = article.text
    forms = {
        "country/GB": ("United Kingdom", "UK", "Britain"),
        "country/TR": ("Turkey", "Turkish"),
        "region/IQ-KR": ("Kurdistan Region", "Kurdistan"),
        "country/IQ": ("Iraq",),
        "person/keir-starmer": ("Keir Starmer", "Mr Starmer"),
        "organisation/human-rights-groups": ("Human rights groups", "human rights groups"),
    }
    records = {
        "country/GB": ("United Kingdom", "Country", "GB", "Q145", None),
        "country/TR": ("Turkey", "Country", "TR", "Q43", None),
        "region/IQ-KR": ("Kurdistan Region", "Region", "IQ-KR", None, "country/IQ"),
        "country/IQ": ("Iraq", "Country", "IQ", "Q796", None),
        "person/keir-starmer": ("Keir Starmer", "Person", None, None, None),
        "organisation/human-rights-groups": (
            "human rights groups",
            "Organisation",
            None,
            None,
            None,
        ),
    }
    actors = []
    for key, (label, kind, iso, qid, part_of) in records.items():
        mentions = sorted({form for form in forms[key] if form in text})
        if not mentions:
            continue
        first = _sentence(article, mentions[0])
        actors.append(
            Actor(
                key,
                label,
                kind,  # type: ignore[arg-type]
                iso,
                qid,
                part_of,
                role="Prime Minister" if kind == "Person" else None,
                mentions=mentions,
                evidence=[first] if first else [],
            )
        )
    present = {actor.key for actor in actors}

    deals = []
    turkey = _sentence(article, "Turkey", "United Kingdom")
    if turkey:
        found = next((s for word, s in _STATUS_WORDS if word in turkey.text), "proposed")
        critics = _sentence(article, "criticised")
        deals.append(
            Deal(
                ["country/GB", "country/TR"],
                payers=["country/GB"],
                payees=["country/TR"],
                status=status or found,  # type: ignore[arg-type]
                purposes=["border_control"] if "border" in turkey.text else [],
                amount="£12 million" if "£12 million" in turkey.text else None,
                criticised_by=["organisation/human-rights-groups"] if critics else [],
                evidence=[turkey],
            )
        )
    kurdistan = _sentence(article, "Kurdistan")
    if kurdistan:
        deals.append(
            Deal(
                ["country/GB", "region/IQ-KR"],
                status="negotiating",
                purposes=["prevent_departures"],
                evidence=[kurdistan],
            )
        )

    statements = []
    said = _sentence(article, "Starmer said")
    if said and "person/keir-starmer" in present:
        quote = said.text.split('"')[1]
        statements.append(Statement("person/keir-starmer", quote, said))
    return Extraction(article, actors, deals, statements)


@pytest.fixture(scope="session")
def sample_text() -> str:
    """An article as a file holds it: headline, standfirst, byline, four body sentences."""
    return SAMPLE_TEXT


@pytest.fixture(scope="session")
def later_text() -> str:
    """A later article on the same UK–Turkey deal (no byline)."""
    return LATER_TEXT


@pytest.fixture
def extraction_factory() -> Callable[..., Extraction]:
    """Build an ``Extraction`` by hand from article text (``SAMPLE_TEXT`` by default)."""

    def make(
        text: str = SAMPLE_TEXT,
        published: date | None = date(2024, 11, 18),
        source_name: str = "a.txt",
        status: str | None = None,
        url: str | None = None,
    ) -> Extraction:
        article = parse_article(text, Metadata(published, url, None, source_name))
        return build_extraction(article, status)

    return make


@pytest.fixture
def sample_extraction(extraction_factory: Callable[..., Extraction]) -> Extraction:
    """``SAMPLE_TEXT`` read by hand: UK pays Turkey (concluded), UK–Kurdistan (negotiating)."""
    return extraction_factory()


@pytest.fixture
def later_extraction(extraction_factory: Callable[..., Extraction]) -> Extraction:
    """``LATER_TEXT``, two weeks later: the same UK–Turkey deal, back to negotiating."""
    return extraction_factory(LATER_TEXT, date(2024, 12, 2), "b.txt")


@pytest.fixture(scope="session")
def extract_by_hand() -> Callable[[Article], Extraction]:
    """``build_extraction``: what a perfect extractor reads from the test articles."""
    return build_extraction


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> list[Article]:
    """Make ``PolicyGraph.extract`` read articles with ``build_extraction``; returns the seen."""
    seen: list[Article] = []

    def extract(self: PolicyGraph, article: Article, progress: object = None) -> Extraction:
        seen.append(article)
        return build_extraction(article)

    monkeypatch.setattr(PolicyGraph, "extract", extract)
    return seen


# --------------------------------------------------------------------------------------------
# A real Oxigraph server on loopback: `oxigraph_server` (session-scoped URL).
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an ``oxigraph serve`` process on 127.0.0.1, stopped after the session.

    Tests share it: each clears it first (``DROP ALL``).
    """
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        found = shutil.which("oxigraph")
        if found is None:
            pytest.skip("the oxigraph server binary is not installed")
        binary = Path(found)
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (location.parent / "oxigraph-server.log").open("wb")
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(url + "/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"oxigraph serve did not answer on {url} within 20 s")
            time.sleep(0.05)
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture(autouse=True)
def _short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy store is reported after half a second instead of fifteen, to keep tests fast."""
    monkeypatch.setenv("POLICYGRAPH_LOCK_WAIT", "0.5")


# ten VALUES blocks of ten: 10**10 solutions to count, far beyond any timeout in the tests
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(10))
    + " }"
)

# The CLI's JSON contract (issue 2): tools outside the project read these keys.
CONTRACT_DEAL_KEYS = frozenset(
    {"iri", "label", "status", "parties", "payers", "payees", "purposes", "amount",
     "criticised_by", "sources"}
)  # fmt: skip
CONTRACT_SOURCE_KEYS = frozenset({"article", "date", "sentence"})
CONTRACT_ACTOR_KEYS = frozenset({"iri", "label", "type", "iso_code", "wikidata"})


@pytest.fixture
def dashboard_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], Path]:
    """Name a store to the dashboard pages the way a deployment can (``POLICYGRAPH_STORE``),
    with ``dashboard/`` on ``sys.path`` as ``streamlit run`` puts it (pages ``import cache``)."""

    def point(location: Path) -> Path:
        monkeypatch.setenv("POLICYGRAPH_STORE", str(location))
        monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "dashboard"))
        return location

    return point


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic store from the benchmark's generator (``bench/synth.py``): 120 deals
    reported by about 80 articles, written and SHACL-checked through ``PolicyGraph.write``.
    Tests only read it."""
    from bench import synth

    path = tmp_path_factory.mktemp("synthetic") / "store"
    synth.generate(str(path), 120, seed=3, per_article=4, workers=1)
    return path
