"""Extraction: rule tests on hand-built parses (no model), and the sample against its gold."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from graph.extract.components import PATTERN_DIR, PATTERN_FILES, DealExtractor, facts_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "000_70e03d7c78804526.txt"
GOLD = ROOT / "tests" / "data" / "000_70e03d7c78804526.gold.json"


def parsed(words, heads, deps, pos, lemmas, ents=None) -> Doc:
    """A Doc with a hand-made parse: heads are absolute token indices."""
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, ents=ents)
    return doc


@pytest.fixture(scope="module")
def reader() -> DealExtractor:
    return DealExtractor(spacy.blank("en")).from_disk(PATTERN_DIR)


def text_of(doc: Doc, spans) -> list[str]:
    return [doc.text[a:b] for a, b in spans]


def test_extract_payment_subject_pays_objects(reader):
    doc = parsed(
        ["The", "UK", "will", "pay", "Turkey", "and", "Vietnam", "."],
        [1, 3, 3, 3, 3, 4, 4, 3],
        ["det", "nsubj", "aux", "ROOT", "dobj", "cc", "conj", "punct"],
        ["DET", "PROPN", "AUX", "VERB", "PROPN", "CCONJ", "PROPN", "PUNCT"],
        ["the", "UK", "will", "pay", "Turkey", "and", "Vietnam", "."],
    )
    facts = facts_of(reader(doc))
    assert text_of(doc, facts.payers) == ["UK"]
    assert text_of(doc, facts.payees) == ["Turkey", "Vietnam"]
    assert facts.about_deals


def test_extract_deal_with_coordinated_parties_and_status(reader):
    doc = parsed(
        ["Italy", "has", "signed", "a", "deal", "with", "Tunisia", "and", "Libya", "."],
        [2, 2, 2, 4, 2, 4, 5, 6, 6, 2],
        ["nsubj", "aux", "ROOT", "det", "dobj", "prep", "pobj", "cc", "conj", "punct"],
        ["PROPN", "AUX", "VERB", "DET", "NOUN", "ADP", "PROPN", "CCONJ", "PROPN", "PUNCT"],
        ["Italy", "have", "sign", "a", "deal", "with", "Tunisia", "and", "Libya", "."],
    )
    facts = facts_of(reader(doc))
    assert text_of(doc, facts.counterparties) == ["Tunisia", "Libya"]
    assert text_of(doc, facts.initiators) == ["Italy"]
    assert [label for label, _ in facts.statuses] == ["concluded"]


def test_extract_negated_status_cue_is_ignored(reader):
    doc = parsed(
        ["They", "have", "not", "signed", "the", "deal", "."],
        [3, 3, 3, 3, 5, 3, 3],
        ["nsubj", "aux", "neg", "ROOT", "det", "dobj", "punct"],
        ["PRON", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT"],
        ["they", "have", "not", "sign", "the", "deal", "."],
    )
    facts = facts_of(reader(doc))
    assert facts.statuses == []
    assert facts.anaphoric


def test_extract_passive_critic_is_the_agent(reader):
    doc = parsed(
        ["The", "deal", "was", "criticised", "by", "charities", "."],
        [1, 3, 3, 3, 3, 4, 3],
        ["det", "nsubjpass", "auxpass", "ROOT", "agent", "pobj", "punct"],
        ["DET", "NOUN", "AUX", "VERB", "ADP", "NOUN", "PUNCT"],
        ["the", "deal", "be", "criticise", "by", "charity", "."],
    )
    facts = facts_of(reader(doc))
    assert text_of(doc, facts.critics) == ["charities"]


def test_extract_amounts_are_kept_as_written(reader):
    doc = spacy.blank("en")("The deal is worth £120m, about €3bn over three years.")
    facts = facts_of(reader(doc))
    assert facts.amounts == ["£120m", "about €3bn over three years"]


@pytest.mark.parametrize("kind", PATTERN_FILES)
def test_extract_pattern_file_loads_and_matches(kind, reader):
    """Every pattern file is valid JSONL, loads into a Matcher and matches its own examples."""
    lines = (PATTERN_DIR / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    assert entries and all({"label", "pattern"} <= set(e) for e in entries)
    assert len(reader.matchers[kind]) == len(entries)


def _sample_phrases() -> set[str]:
    """Every three-word sequence of the sample and every name its gold lists."""
    words = re.findall(r"[A-Za-z][\w'-]*", SAMPLE.read_text(encoding="utf-8"))
    phrases = {" ".join(words[i : i + 3]).lower() for i in range(len(words) - 2)}
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for entity in gold["entities"]:
        if entity["type"] in {"Person", "Organisation", "Government"}:
            phrases.update(n.lower() for n in [entity["label"], *entity["aliases"]])
    return {p for p in phrases if len(p) > 4}


def _article_strings() -> set[str]:
    """What is particular to one annotated article (the sample, tests/data/dev and both
    halves of the corpus): every six-word sequence of its text that holds a capitalised word,
    the names its gold lists for people, bodies and events (one-word names only where they are
    no word of the actor lexicon), and its descriptions of places ("the small X country")."""
    from graph.extract.components import lexicon

    general = {w for words in lexicon().values() if isinstance(words, list) for w in words}
    paths = [GOLD, *(ROOT / "tests" / "data").rglob("*.gold.json")]
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    # a body three articles name ("Home Office", "Supreme Court") is the beat's vocabulary
    bodies = Counter(
        name
        for g in golds
        for name in {
            n.lower()
            for e in g["entities"]
            if e["type"] != "Person"
            for n in [e["label"], *e["aliases"]]
        }
    )
    general |= {name for name, count in bodies.items() if count >= 3}
    found: set[str] = set()
    for path, gold in zip(paths, golds, strict=True):
        article = SAMPLE if path == GOLD else path.parent / gold["file"]
        words = re.findall(r"[^\W\d_][\w'-]*", article.read_text(encoding="utf-8"))
        for i in range(len(words) - 5):
            run = words[i : i + 6]
            if any(w[:1].isupper() for w in run[1:]):
                found.add(" ".join(run).lower())
        for entity in gold["entities"]:
            names = [entity["label"], *entity["aliases"]]
            if entity.get("role") == "news outlet":
                continue  # who published it ("(Reuters)", a byline's paper): layout, not story
            if entity["type"] in {"Person", "Organisation", "Government", "Event"}:
                if entity["type"] != "Person" and entity["label"].lower() in general:
                    continue
                found.update(
                    n.lower()
                    for n in names
                    if len(n) > 4
                    and not n.lower().startswith("the ")  # a role: "the Chancellor"
                    and n.lower() not in general
                    and (len(n.split()) > 1 or n.lower() not in general)
                )
            if entity["type"] in {"Country", "Region", "Supranational"}:  # "the small X country"
                found.update(n.lower() for n in names if len(n.split()) >= 3 and n != n.title())
    return found


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_][\w'-]*", text)]


def test_extract_code_holds_no_string_from_any_article():
    """Rules are written for the language, not for the articles they were tried on: no
    person, body or description an annotated article names, and no run of its text, appears
    in the extraction code, its patterns or its data, comments included. (The gazetteer's
    lists of supranational bodies and international organisations are world knowledge, like
    the countries, and are not read.)"""
    strings = _article_strings()
    files = [p for p in (ROOT / "graph" / "extract").rglob("*") if p.is_file()]
    files += [ROOT / "graph" / "gazetteer.py", ROOT / "graph" / "article.py"]
    world = {"supranational.json", "organisations.json"}  # world knowledge, like the countries
    files += [p for p in (ROOT / "graph" / "data").glob("*.json") if p.name not in world]
    files = [p for p in files if p.suffix in {".py", ".jsonl", ".json"}]
    wanted = {tuple(_words(s)) for s in strings} - {()}
    lengths = {len(w) for w in wanted}
    held = {}
    for path in files:
        raw = path.read_text(encoding="utf-8")
        # data: each string on its own, not a list run together
        texts = re.findall(r'"((?:[^"\\]|\\.)*)"', raw) if path.suffix == ".json" else [raw]
        runs = {
            tuple(words[i : i + n])
            for words in (_words(t) for t in texts)
            for n in lengths
            for i in range(len(words) - n + 1)
        }
        found = sorted(" ".join(w) for w in wanted & runs)
        if found:
            held[path.name] = found
    assert held == {}, f"files hold article strings: {held}"


def test_extract_code_holds_no_string_from_the_sample():
    """Rules are written for the language, not for the sample article."""
    phrases = _sample_phrases()
    files = [p for p in (ROOT / "graph" / "extract").rglob("*") if p.is_file()]
    files += [ROOT / "graph" / "gazetteer.py", *(ROOT / "graph" / "data").glob("*.json")]
    files = [p for p in files if p.suffix in {".py", ".jsonl", ".json"}]
    assert files
    for path in files:
        text = " ".join(re.findall(r"[A-Za-z][\w'-]*", path.read_text(encoding="utf-8"))).lower()
        found = sorted(p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text))
        assert not found, f"{path.name} holds sample strings: {found}"


@pytest.fixture(scope="module")
def sample_graph():
    from graph.core import PolicyGraph

    pg = PolicyGraph.open(None, "write")
    pg.ingest([SAMPLE], date="2024-11-18")
    yield pg
    pg.close()


@pytest.mark.model
def test_extract_sample_matches_gold(sample_graph):
    from graph.evaluate import score_article

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    scores = score_article(gold, sample_graph.deals(), sample_graph.entities())
    for name, measure in scores.measures.items():
        assert (measure.misses, measure.extras) == ([], []), name
        assert measure.f1 == 1.0, name


@pytest.mark.model
def test_extract_sample_pays_links(sample_graph):
    pairs = {
        (payer["iso_code"], payee["iso_code"], deal["status"])
        for deal in sample_graph.deals()
        for payer in deal["payers"]
        for payee in deal["payees"]
    }
    assert pairs == {
        ("GB", "TR", "negotiating"),
        ("GB", "VN", "negotiating"),
        ("GB", "IQ-KR", "negotiating"),
        ("IT", "TN", "concluded"),
        ("IT", "LY", "concluded"),
    }


@pytest.mark.model
def test_extract_sample_one_node_per_person(sample_graph):
    people = {e["label"]: e["mentions"] for e in sample_graph.entities() if e["type"] == "Person"}
    assert set(people) == {"Keir Starmer", "Georgia Meloni"}  # the byline's author is metadata
    byline = sample_graph.query(
        "SELECT ?name WHERE { GRAPH ?g { ?a schema:author ?who . ?who rdfs:label ?name } }"
    )
    assert byline is not None and [row["name"] for row in byline.values()] == ["Dave Burke"]
    assert {"Keir Stamer", "Mr Starmer", "The Prime Minister", "The PM"} <= set(
        people["Keir Starmer"]
    )


@pytest.mark.model
def test_extract_sample_deal_details(sample_graph):
    deals = {frozenset(p["iso_code"] for p in d["parties"]): d for d in sample_graph.deals()}
    uk_kurdistan = deals[frozenset({"GB", "IQ", "IQ-KR"})]
    assert uk_kurdistan["amount"] == "multi-million pound"
    assert {"prevent_departures", "border_control", "returns"} <= set(uk_kurdistan["purposes"])
    assert uk_kurdistan["sources"][0]["sentence"].startswith("Such deals would see the UK pay")
    italy_tunisia = deals[frozenset({"IT", "TN"})]
    assert [c["label"] for c in italy_tunisia["criticised_by"]] == ["human rights groups"]
    assert italy_tunisia["sources"][0]["date"] == "2024-11-18"


@pytest.mark.model
def test_extract_sample_statements_are_the_prime_ministers(sample_graph):
    statements = sample_graph.statements()
    assert statements
    speakers = {s["speaker"] for s in statements}
    assert speakers == {"https://w3id.org/policygraph/id/actor/person/keir-starmer"}
    assert any("stop people leaving" in s["quote"] for s in statements)


ARTICLES = ROOT / "tests" / "data" / "articles"


def _read(name: str):
    from graph.core import PolicyGraph

    with PolicyGraph.open(None, "write") as pg:
        pg.ingest([ARTICLES / name], date="2024-07-06")
        return pg.deals(), pg.entities()


def _pairs(deals) -> set[tuple[str, str]]:
    return {
        (payer["iso_code"], payee["iso_code"])
        for deal in deals
        for payer in deal["payers"]
        for payee in deal["payees"]
    }


@pytest.mark.model
def test_extract_memorandum_with_a_supranational_payer():
    deals, entities = _read("eu-tunisia-memorandum.txt")
    assert [sorted(p["iso_code"] for p in d["parties"]) for d in deals] == [["EU", "TN"]]
    assert _pairs(deals) == {("EU", "TN")}
    assert deals[0]["status"] == "concluded"
    assert deals[0]["amount"] in {"€105 million", "€105m"}
    people = [e["label"] for e in entities if e["type"] == "Person"]
    assert "Ursula von der Leyen" in people
    assert not [p for p in people if p != "Ursula von der Leyen" and "von der" in p]


@pytest.mark.model
def test_extract_scrapped_deal_is_terminated():
    deals, _ = _read("uk-rwanda-scrapped.txt")
    assert [d["status"] for d in deals] == ["terminated"]
    assert _pairs(deals) == {("GB", "RW")}
    assert "labour_mobility" not in deals[0]["purposes"]  # "Labour" the party is no purpose


@pytest.mark.model
def test_extract_article_without_a_deal_produces_none():
    deals, entities = _read("crossings-statistics.txt")
    assert deals == []
    assert "Refugee Council" in {e["label"] for e in entities if e["type"] == "Organisation"}


def test_extract_coordinated_subjects_and_agents_are_each_a_phrase(reader):
    doc = parsed(
        [
            "Greece",
            "and",
            "Turkey",
            "signed",
            "a",
            "deal",
            ",",
            "criticised",
            "by",
            "charities",
            "and",
            "lawyers",
            ".",
        ],
        [3, 0, 0, 3, 5, 3, 5, 5, 7, 8, 9, 9, 3],
        [
            "nsubj",
            "cc",
            "conj",
            "ROOT",
            "det",
            "dobj",
            "punct",
            "acl",
            "agent",
            "pobj",
            "cc",
            "conj",
            "punct",
        ],
        [
            "PROPN",
            "CCONJ",
            "PROPN",
            "VERB",
            "DET",
            "NOUN",
            "PUNCT",
            "VERB",
            "ADP",
            "NOUN",
            "CCONJ",
            "NOUN",
            "PUNCT",
        ],
        [
            "Greece",
            "and",
            "Turkey",
            "sign",
            "a",
            "deal",
            ",",
            "criticise",
            "by",
            "charity",
            "and",
            "lawyer",
            ".",
        ],
    )
    facts = facts_of(reader(doc))
    assert text_of(doc, facts.initiators) == ["Greece", "Turkey"]
    assert text_of(doc, facts.critics) == ["charities", "lawyers"]


def test_extract_status_cue_in_a_purpose_clause_is_not_the_deals_status(reader):
    doc = parsed(
        ["They", "signed", "a", "deal", "to", "end", "crossings", "."],
        [1, 1, 3, 1, 5, 3, 5, 1],
        ["nsubj", "ROOT", "det", "dobj", "aux", "acl", "dobj", "punct"],
        ["PRON", "VERB", "DET", "NOUN", "PART", "VERB", "NOUN", "PUNCT"],
        ["they", "sign", "a", "deal", "to", "end", "crossing", "."],
    )
    facts = facts_of(reader(doc))
    assert [label for label, _ in facts.statuses] == ["concluded"]


@pytest.mark.model
def test_extract_mixed_phrasings():
    deals, entities = _read("mixed-phrasings.txt")
    by_parties = {frozenset(p["iso_code"] for p in d["parties"]): d for d in deals}
    assert set(by_parties) == {
        frozenset({"GR", "TR"}),  # "Greece and Turkey signed an agreement"
        frozenset({"GB", "FR"}),  # "The UK is in talks with France over a deal to end …"
        frozenset({"ES", "MA"}),  # "Spain has agreed to give Morocco €30 million"
    }
    assert by_parties[frozenset({"GB", "FR"})]["status"] == "negotiating"
    assert by_parties[frozenset({"GR", "TR"})]["status"] == "concluded"
    assert _pairs(deals) == {("ES", "MA")}
    codes = {e["iso_code"] for e in entities}
    assert {"GB-SCT", "GB"} <= codes  # a region brings its country along


@pytest.mark.model
def test_extract_the_same_deal_in_two_articles_is_one_node_with_its_history():
    from graph.core import PolicyGraph

    with PolicyGraph.open(None, "write") as pg:
        pg.ingest([ARTICLES / "uk-rwanda-signed.txt"], date="2022-04-14")
        pg.ingest([ARTICLES / "uk-rwanda-scrapped.txt"], date="2024-07-06")
        deals = pg.deals()
        assert len(deals) == 1
        deal = deals[0]
        assert deal["status"] == "terminated"
        assert {s["date"] for s in deal["sources"]} == {"2022-04-14", "2024-07-06"}
        history = pg.timeline("GB+RW")
        assert [(h["date"], h["status"]) for h in history] == [
            ("2022-04-14", "concluded"),
            ("2024-07-06", "terminated"),
        ]
        pg.ingest([ARTICLES / "uk-rwanda-scrapped.txt"], date="2024-07-06")  # again
        assert len(pg.timeline("GB+RW")) == 2 and len(pg.deals()) == 1


@pytest.mark.model
def test_extract_amounts_are_normalised_and_kept_as_written(sample_graph):
    deals, _ = _read("mixed-phrasings.txt")
    spain = next(d for d in deals if {p["iso_code"] for p in d["parties"]} == {"ES", "MA"})
    assert (spain["amount"], spain["amount_value"], spain["currency"]) == (
        "€30 million",
        30_000_000.0,
        "EUR",
    )
    uk = next(d for d in sample_graph.deals() if d["payees"][0]["iso_code"] == "TR")
    assert (uk["amount"], uk["amount_value"], uk["currency"]) == (
        "multi-million pound",
        None,
        "GBP",
    )


def test_extract_dependency_patterns_load_and_name_their_relations(reader):
    """The DependencyMatcher file: every pattern loads, and "X will pay Y" matches it."""
    from graph.extract.components import DEPENDENCY_FILE

    lines = (PATTERN_DIR / f"{DEPENDENCY_FILE}.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(reader.dependency) == len([line for line in lines if line.strip()])
    doc = parsed(
        ["Spain", "will", "pay", "Morocco", "."],
        [2, 2, 2, 2, 2],
        ["nsubj", "aux", "ROOT", "dobj", "punct"],
        ["PROPN", "AUX", "VERB", "PROPN", "PUNCT"],
        ["Spain", "will", "pay", "Morocco", "."],
        ents=["B-GPE", "O", "O", "B-GPE", "O"],
    )
    relations = reader.relations(doc)
    assert [(label, nodes["payer"].text, nodes["payee"].text) for label, nodes in relations] == [
        ("SUBJECT_PAYS_OBJECT", "Spain", "Morocco")
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Home Office", "Government"),
        ("Border Force", "Government"),
        ("Democratic Party", "PoliticalParty"),
        ("Conservatives", "PoliticalParty"),
        ("Amnesty International", "Organisation"),
        ("Refugee Council", "Organisation"),
    ],
)
def test_extract_lexicon_tells_an_organisations_kind(name, kind):
    """The actor-type lexicon (patterns/actor_types.json) as data, tested."""
    from graph.extract.entities import organisation_type

    assert organisation_type(name) == kind


def _read_text(tmp_path: Path, text: str):
    from graph.core import PolicyGraph

    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    with PolicyGraph.open(None, "write") as pg:
        pg.ingest([path], date="2024-07-06")
        return pg.deals(), pg.entities()


def _flow(deal) -> tuple[list[str], list[str]]:
    """A deal's payers and payees, by code."""
    return [p["iso_code"] for p in deal["payers"]], [p["iso_code"] for p in deal["payees"]]


@pytest.mark.model
def test_extract_a_dateline_and_a_place_of_talks_name_places_not_parties(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Chile and Peru sign a border pact\n"
        "LONDON (Coastline Wire) - Chile and Peru signed a border agreement on Monday after "
        "talks in Madrid.\n",
    )

    assert [sorted(p["iso_code"] for p in d["parties"]) for d in deals] == [["CL", "PE"]]
    places = {e["iso_code"] for e in entities if e["iso_code"]}
    assert {"GB", "ES"} <= places  # both still places the article names
    assert "Coastline Wire" not in {e["label"] for e in entities}  # the source, no actor


@pytest.mark.model
def test_extract_a_description_stands_for_the_last_country_of_its_region(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Britain and Rwanda sign a deal\n"
        "Britain signed a deal with Rwanda on Monday.\n"
        "The east African country will take some asylum seekers.\n"
        "Britain also held talks with Mauritius and France.\n"
        "The island nation said it was not part of the deal.\n",
    )

    mentions = {e["iso_code"]: set(e["mentions"]) for e in entities if e["iso_code"]}
    assert "The east African country" in mentions["RW"]  # Africa, named last before it
    assert "The island nation" in mentions["MU"]  # not France, named later: no land border
    assert not {"The east African country", "The island nation"} & mentions["GB"]


@pytest.mark.model
def test_extract_two_deals_between_the_same_parties_stay_two(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru sign a border agreement\n"
        "Chile and Peru signed a border agreement on Monday to stop smuggling.\n"
        "The two leaders also signed a separate package of trade deals worth $2bn.\n"
        "The agreement replaces the border treaty the two countries agreed in 2003.\n",
    )

    chile_peru = [d for d in deals if {p["iso_code"] for p in d["parties"]} == {"CL", "PE"}]
    assert len(chile_peru) >= 2, deals
    assert len({d["iri"] for d in chile_peru}) == len(chile_peru)
    assert len({d["label"] for d in chile_peru}) == len(chile_peru)
    assert "$2bn" in {d["amount"] for d in chile_peru}


@pytest.mark.model
def test_extract_an_earlier_arrangement_is_its_own_deal_and_takes_no_later_money(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Court blocks Norway's plan to send migrants to Ghana\n"
        "Norway's plan to send asylum seekers to Ghana is unlawful, a court ruled on Tuesday.\n"
        "The judges noted that people flown from Denmark to Ghana under an earlier "
        "arrangement between 2015 and 2019 had been moved on.\n"
        "Oslo has already paid Accra $50m since the deal was signed.\n",
    )

    found = {
        frozenset(p["iso_code"] for p in d["parties"]): (
            [p["iso_code"] for p in d["payers"]],
            [p["iso_code"] for p in d["payees"]],
        )
        for d in deals
    }
    assert found[frozenset({"DK", "GH"})] == ([], [])  # the two ends of what it moved
    assert found[frozenset({"NO", "GH"})] == (["NO"], ["GH"])  # "the deal" is the story's
    assert not {"2015", "2019"} & {e["label"] for e in entities}


@pytest.mark.model
def test_extract_the_name_before_administration_is_a_person(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Hartmann suspends asylum deals with Peru\n"
        "The Hartmann administration has suspended the asylum agreement with Peru, officials "
        "said on Saturday.\n",
    )

    kinds = {e["label"]: e["type"] for e in entities}
    assert kinds.get("Hartmann") == "Person", kinds  # its head, though named by one word


PAYMENT_FORMS = [
    ("active", "Chile will pay Peru €50 million to stop boats leaving.", {("CL", "PE")}),
    ("giving", "Chile will channel €50 million to Peru under a new agreement.", {("CL", "PE")}),
    ("passive", "Under the agreement, €50 million was allocated by Chile to Peru.", {("CL", "PE")}),
    ("package", "Chile agreed a €50m package for Peru on Monday.", {("CL", "PE")}),
    (
        "amount from for",
        "The agreement includes €50m from Chile for Peru's border forces.",
        {("CL", "PE")},
    ),
    (
        "payment to help",
        "Chile agreed a deal with Peru, including the payment of €50 million to help Peru.",
        {("CL", "PE")},
    ),
    ("backed by", "Chile signed a partnership with Peru backed by €50 million.", {("CL", "PE")}),
    ("double object", "Under the deal, Chile will pay Peru annual payments.", {("CL", "PE")}),
    (
        "in return for",
        "Peru agreed to take back migrants in return for €50 million from Chile.",
        {("CL", "PE")},
    ),
    ("receiving", "Peru will receive €50 million from Chile under the deal.", {("CL", "PE")}),
    ("negated", "Chile signed a deal with Peru but did not pay Peru anything.", set()),
    (
        "left open",
        "Chile signed a deal with Peru; officials have not said whether Chile will pay Peru.",
        set(),
    ),
    (
        "purpose",
        "Under a deal, Chile will pay Peru €5m for detaining Bolivian suspects.",
        {("CL", "PE")},
    ),
    ("give to", "Chile will give €30m to Peru to curb departures.", {("CL", "PE")}),
    ("hand", "Chile will hand Peru €20m under the new arrangement.", {("CL", "PE")}),
    (
        "deposit with a central bank",
        "Under the deal, Chile placed a $3bn deposit with the Central Bank of Peru.",
        {("CL", "PE")},
    ),
    (
        "buyer by a relative pronoun",
        "Under a 2016 deal, gas flows to Peru, which buys most of its gas from Chile.",
        {("PE", "CL")},
    ),
    (
        "the other signatory",
        "Chile and Peru signed a joint declaration.\n"
        "Chile now proposes to pay €1.1 billion over 30 years for projects.",
        {("CL", "PE")},
    ),
    ("provide with", "Under the deal, Chile provided Peru with €250m.", {("CL", "PE")}),
    (
        "reported intent",
        "Officials said Chile would give Peru $40 million under the deal.",
        {("CL", "PE")},
    ),
    ("hedged", "Chile signed a deal with Peru and may pay Peru €20m if talks succeed.", set()),
    (
        "amount in assistance",
        "Chile signed a deal with Peru and announced €1bn in financial assistance for Peru.",
        {("CL", "PE")},
    ),
    (
        "the initiator is paid",
        "Peru signed a deal with Chile on Monday.\nPeru will receive €30m.",
        {("CL", "PE")},
    ),
    (
        "passive with its agent",
        "Peru will be paid by Chile for running the centres.",
        {("CL", "PE")},
    ),
    ("is to receive", "Peru is to receive €105m from Chile for border management.", {("CL", "PE")}),
    (
        "spent on training",
        "Chile has spent €100m training and equipping Peru's coastguard since 2017.",
        {("CL", "PE")},
    ),
    (
        "paid out of promised",
        "Chile has paid out €3bn of the €6bn promised to Peru.",
        {("CL", "PE")},
    ),
    ("in kind to", "Chile transferred $1bn in compensation to Peru.", {("CL", "PE")}),
    (
        "spent on the deal",
        "Chile spent €700m on the Chile-Peru deal; €290m of it was paid to Peru.",
        {("CL", "PE")},
    ),
    (
        "its support, scaled",
        "Chile will double its financial support to Peru to 500 million euros.",
        {("CL", "PE")},
    ),
    ("funded by", "Under the deal, Peru's coast guard is funded by Chile.", {("CL", "PE")}),
    ("promised by", "Peru has been promised 2 billion euros by Chile.", {("CL", "PE")}),
    ("earmarked for", "Chile has earmarked 200 million euros for Peru's police.", {("CL", "PE")}),
    ("contribution", "Chile's contribution to Peru amounts to $10m a year.", {("CL", "PE")}),
    (
        "half of what was pledged",
        "Chile has so far transferred half of the $20 million it pledged to Peru.",
        {("CL", "PE")},
    ),
    ("cover the cost", "Chile agreed to cover the cost of Peru's border posts.", {("CL", "PE")}),
    ("no money", "Chile signed a deal with Peru. No money was paid to Peru.", set()),
    ("time spent", "Chile spent months lobbying Peru over the migration deal.", set()),
    (
        "a charity's own spending",
        "Chile signed a deal with Peru. The Refugee Aid Network spent £2m on shelters in Peru.",
        set(),
    ),
    ("denied paying", "Chile signed a deal with Peru. Chile denied paying Peru.", set()),
    ("refused to pay", "Chile signed a deal with Peru. Chile refused to pay Peru.", set()),
    (
        "money sent back",
        "Peru signed a deal with Chile.\nWithin months Bolivia had sent back €60m.",
        set(),
    ),
    (
        "how much is not said",
        "Chile signed a deal with Peru. How much Chile will pay, and to whom, was not disclosed.",
        set(),
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "pairs"), [c[1:] for c in PAYMENT_FORMS], ids=[c[0] for c in PAYMENT_FORMS]
)
def test_extract_payments_in_their_grammatical_forms(tmp_path, sentence, pairs):
    deals, _ = _read_text(tmp_path, f"Chile and Peru agree a migration deal\n{sentence}\n")

    assert _pairs(deals) == pairs
    assert any({p["iso_code"] for p in d["parties"]} == {"CL", "PE"} for d in deals)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Chile and Peru agreed to cooperate on the return of migrants.", "concluded"),
        ("Peru has agreed with Chile to take back its nationals.", "concluded"),
        ("Chile and Peru signed a letter of intent on returns.", "proposed"),
        ("The deal between Chile and Peru is to be scrapped, officials said.", "terminated"),
        ("Chile's plan to send asylum seekers to Peru is unlawful, a court ruled.", "suspended"),
        ("Chile's plan to cut taxes in Peru was dropped.", None),
        ("Chile and Peru renewed the Memorandum of Understanding on migration.", "concluded"),
        ("The Chile-Peru protocol lets Chile send migrants to centres in Peru.", "concluded"),
        ("Chile and Peru concluded negotiations on a free-trade agreement.", "concluded"),
        ("Chile suspended its cooperation with Peru after the coup.", "suspended"),
        (
            "Chile and Peru signed a deal on Friday. A court had earlier blocked the deal.",
            "concluded",
        ),
        ("Chile and Peru agreed a returns deal on Tuesday.", "concluded"),
        ("The agreement, signed in 2017 by Chile and Peru, was extended in 2020.", "concluded"),
    ],
    ids=[
        "agreed-to",
        "agreed-with-to",
        "letter-of-intent",
        "is-to-be",
        "plan-to-send",
        "plan",
        "capitalised-instrument",
        "hyphen-after-the",
        "negotiations-on",
        "cooperation-with",
        "past-perfect-is-earlier",
        "deal-parsed-as-a-clause",
        "signed-by",
    ],
)
def test_extract_deals_said_by_a_verb_or_an_instrument(tmp_path, text, status):
    deals, _ = _read_text(tmp_path, f"Chile and Peru: a new step\n{text}\n")

    expected = [({"CL", "PE"}, status)] if status else []  # a plan that moves no one: no deal
    assert [({p["iso_code"] for p in d["parties"]}, d["status"]) for d in deals] == expected


STATUS_FORMS = [
    ("Chile will sign a migration deal with Peru next week.", "proposed"),
    ("Chile is to sign a migration deal with Peru.", "proposed"),
    ("The migration deal between Chile and Peru was frozen.", "suspended"),
    ("The migration deal between Chile and Peru expired in 2020.", "terminated"),
    ("The migration deal between Chile and Peru lapsed last year.", "terminated"),
    ("Chile pulled out of the migration deal with Peru.", "terminated"),
    ("A migration deal between Chile and Peru has been mooted.", "proposed"),
    ("Chile wants a migration deal with Peru.", "proposed"),
    ("Chile and Peru have reached a political agreement on the islands.", "proposed"),
    ("Chile and Peru agreed in principle to a migration deal.", "proposed"),
    ("Chile and Peru hope to sign a migration treaty next year.", "proposed"),
    ("Chile and Peru are set to sign a migration deal on Friday.", "proposed"),
    ("Chile and Peru have yet to sign the migration deal.", "negotiating"),
    ("Chile and Peru failed to agree a migration deal.", "negotiating"),
    ("The migration deal between Chile and Peru was struck down by a court.", "suspended"),
    ("Chile and Peru broke off talks on a migration deal.", "terminated"),
    ("The deal between Chile and Peru, which expires in 2026, covers patrols.", "concluded"),
    (
        "Chile and Peru signed a trade deal on Monday. It replaces the interim agreement "
        "between the two countries.",
        "concluded",
    ),
    (
        "Chile and Peru have been negotiating a returns deal since January. Officials said on "
        "Tuesday that the two countries had signed the agreement.",
        "concluded",
    ),
    ("Chile signed a deal with Peru, which runs a centre close to an airport.", "concluded"),
    ("Chile signed a deal with Peru. It is funded by frozen Bolivian assets.", "concluded"),
    (
        "Chile unveiled a migration partnership with Peru as it sought to stem arrivals.",
        "concluded",
    ),
    ("Chile and Peru signed a migration deal on Monday.", "concluded"),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "status"), STATUS_FORMS, ids=[s for _, s in STATUS_FORMS])
def test_extract_status_in_its_forms(tmp_path, text, status):
    deals, _ = _read_text(tmp_path, f"Chile and Peru: a new step\n{text}\n")

    assert [d["status"] for d in deals] == [status]


@pytest.mark.model
def test_extract_a_summary_of_sums_from_several_givers_is_a_deal_each(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Money for Peru\n"
        "The European Union announced a €7bn package of grants and loans for Peru.\n"
        "It follows an $8bn loan from the IMF agreed this month, a $35bn investment by "
        "Chile and more than $6bn promised by the World Bank.\n"
        "Bolivia and Peru also signed two agreements, one on workers and one on energy.\n",
    )

    pays = {
        (
            next(p["iso_code"] or p["label"] for p in d["payers"]),
            next(p["iso_code"] for p in d["payees"]),
            d["amount"],
        )
        for d in deals
        if d["payers"]
    }
    assert pays == {
        ("EU", "PE", "€7bn"),
        ("International Monetary Fund", "PE", "$8bn"),
        ("CL", "PE", "$35bn"),
        ("World Bank", "PE", "more than $6bn"),
    }
    both = [d for d in deals if {p["iso_code"] for p in d["parties"]} == {"BO", "PE"}]
    assert len(both) == 2  # two agreements, two deals


@pytest.mark.model
def test_extract_an_organisation_by_its_acronym_has_its_full_name(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Lenders and Peru\nLast month the IMF approved a $2bn loan for Peru.\n",
    )

    assert "International Monetary Fund" in {e["label"] for e in entities}
    assert [{p["iso_code"] or p["label"] for p in d["payers"]} for d in deals] == [
        {"International Monetary Fund"}
    ]


@pytest.mark.model
def test_extract_the_body_tells_the_stage_a_headline_verb_shortens(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru agree islands handover\n"
        "Chile and Peru have reached a political agreement on the islands.\n"
        "Both sides hope to sign a treaty next year.\n",
    )

    assert [d["status"] for d in deals] == ["proposed"]


@pytest.mark.model
def test_extract_a_political_agreement_is_proposed_and_an_expected_payment_pending(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile to hand islands to Peru\n"
        "Chile has agreed to give sovereignty over the islands to Peru.\n"
        "Under the political agreement, Chile will keep its base on the main island.\n"
        "No money has changed hands, but Peru is expected to receive annual payments once a "
        "treaty is signed.\n",
    )

    assert [
        (
            {p["iso_code"] for p in d["parties"]},
            d["status"],
            [(a["iso_code"], b["iso_code"]) for a in d["payers"] for b in d["payees"]],
        )
        for d in deals
    ] == [({"CL", "PE"}, "proposed", [("CL", "PE")])]


@pytest.mark.model
@pytest.mark.parametrize(
    "earlier",
    [
        "The agreement builds on a 2021 memorandum of understanding signed by the two countries.",
        "The agreement adds to the border accord signed in 2003 by the two countries.",
    ],
    ids=["a-dated-memorandum", "the-accord-signed-in"],
)
def test_extract_an_agreement_built_on_an_earlier_dated_one_is_two_deals(tmp_path, earlier):
    deals, _ = _read_text(
        tmp_path,
        "New agreement with Peru\n"
        f"The ministry today announced a new agreement with Peru on returns from Chile.\n"
        f"{earlier}\n",
    )

    assert [{p["iso_code"] for p in d["parties"]} for d in deals] == [{"CL", "PE"}] * 2


@pytest.mark.model
def test_extract_a_combining_form_names_a_side(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Patrols on the beaches\nThe Anglo-French treaty covers patrols on the beaches.\n",
    )

    assert [{p["iso_code"] for p in d["parties"]} for d in deals] == [{"GB", "FR"}]


@pytest.mark.model
def test_extract_its_is_the_subject_of_the_clause_not_the_last_place_named(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile looks north\n"
        "Chile has turned to Bolivia because its cooperation with Peru has collapsed.\n",
    )

    sides = [{p["iso_code"] for p in d["parties"]} for d in deals]
    assert {"CL", "PE"} in sides
    assert {"BO", "PE"} not in sides


@pytest.mark.model
def test_extract_a_separate_deal_of_another_year_is_a_second_deal(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru, again\n"
        "In 2016 Chile and Peru signed a deal worth €6bn.\n"
        "In 2024 Chile and Peru signed a separate deal on visas worth €1bn.\n",
    )

    assert sorted(d["amount"] for d in deals) == ["€1bn", "€6bn"]
    assert all({p["iso_code"] for p in d["parties"]} == {"CL", "PE"} for d in deals)


@pytest.mark.model
def test_extract_a_lender_and_a_bloc_are_sides_of_their_deals(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Loans and trade\n"
        "Last month the World Bank approved a new $2bn loan for Peru.\n"
        "Chile and the African Union signed a trade agreement on Monday.\n"
        "Separately, Peru signed a deal with Bolivia to lease a port in return for $1bn.\n",
    )

    labels = [(e["label"], e["type"]) for e in entities]
    found = {
        (
            frozenset(p["iso_code"] or p["label"] for p in d["parties"]),
            tuple(p["iso_code"] or p["label"] for p in d["payers"]),
        )
        for d in deals
    }
    assert (frozenset({"World Bank", "PE"}), ("World Bank",)) in found, (found, labels)
    assert any(parties == frozenset({"CL", "African Union"}) for parties, _ in found), found
    assert all("returns" not in d["purposes"] for d in deals)  # "in return for" is no returns


@pytest.mark.model
def test_extract_critics_in_their_frames(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru sign a returns deal\n"
        "Chile signed a returns deal with Peru on Monday.\n"
        "The Coastal Justice Network rejects the agreement.\n"
        "The Andean Refugee Forum said the deal was cruel and unworkable.\n"
        "Mario Rossi, a spokesman for the Green Party, called the scheme a shameful waste.\n"
        "Officials said the deal would start in May.\n",
    )

    (deal,) = deals
    critics = {c["label"] for c in deal["criticised_by"]}
    assert {"Coastal Justice Network", "Andean Refugee Forum", "Mario Rossi"} <= critics
    assert "Officials" not in critics  # no word of blame: no critic


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Passengers on Air Malta flights were delayed, the airline said.", set()),
        ("The paper Nairobi Times reported the talks.", set()),
        ("The ferry Cruise Stockholm was moored off the coast.", set()),
        ("Officials in Northern Ireland said the plan was unworkable.", {"GB-NIR", "GB"}),
        ("Fighting in eastern Libya and Southern Italy has displaced thousands.", {"LY", "IT"}),
    ],
    ids=["body-after-word", "body-before-word", "ship", "direction-region", "direction-country"],
)
def test_extract_a_name_around_a_place_is_a_body_or_a_region(tmp_path, text, places):
    _, entities = _read_text(tmp_path, f"A note on places\n{text}\n")

    found = {e["iso_code"] for e in entities if e["type"] in {"Country", "Region"}}
    assert found == places


@pytest.mark.model
def test_extract_a_place_inside_a_name_is_no_place_of_its_own():
    from graph.extract import load_pipeline

    nlp = load_pipeline()
    doc = nlp(
        "Agence France-Presse and the Refugee Council of Australia said Reform UK and "
        "Alternative for Germany were wrong, as boats crossed the Strait of Gibraltar."
    )

    ents = {(e.text, e.label_) for e in doc.ents}
    assert {
        ("Agence France-Presse", "ORG"),
        ("Refugee Council of Australia", "ORG"),
        ("Reform UK", "ORG"),
        ("Alternative for Germany", "ORG"),
        ("Strait of Gibraltar", "LOC"),
    } <= ents
    assert not {text for text, label in ents if label == "GPE"}


@pytest.mark.model
def test_extract_the_first_words_of_a_job_title_are_no_body():
    from graph.extract import load_pipeline

    doc = load_pipeline()(
        "The deal follows a visit to Lima by the Home Secretary, who met the Home Office's "
        "staff there."
    )

    ents = {e.text for e in doc.ents}
    assert "Home" not in ents  # of "the Home Secretary": a job, not an organisation
    assert any("Home Office" in text for text in ents)


@pytest.mark.model
def test_extract_a_shadow_or_former_holder_is_not_the_holder_of_a_role(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Chile signs a deal with Peru\n"
        "The shadow home secretary, Ann Lowe, criticised the deal with Peru on Monday.\n"
        "Chile signed the agreement with Peru last week.\n"
        "The Home Secretary said the agreement would work.\n",
    )

    lowe = next(e for e in entities if e["label"] == "Ann Lowe")
    assert "The Home Secretary" not in lowe["mentions"], lowe


@pytest.mark.model
def test_extract_never_fails_on_a_name_of_many_capitalised_words(tmp_path):
    words = " ".join(["Grand", "Council", "of", "France", "Lord", "Novak", "II"] * 15)
    deals, entities = _read_text(tmp_path, f"Head\nThe {words} signed a deal with Peru.\n")

    assert isinstance(deals, list) and isinstance(entities, list)


@pytest.mark.model
def test_extract_a_yearly_amount_is_a_rate_and_an_equivalent_is_kept(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru sign a base deal\n"
        "Chile will pay Peru £101m a year for 99 years under a deal on the naval base.\n",
    )
    (deal,) = deals
    assert deal["amount"] == "£101m a year for 99 years"
    assert (deal["amount_per"], deal["amount_value"], deal["currency"]) == ("year", None, "GBP")
    assert "military_base" in deal["purposes"]

    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru sign a deal\n"
        "Chile will pay Peru 1 billion-euro ($1.07 billion) under a migration deal.\n",
    )
    (deal,) = deals
    assert (deal["amount_value"], deal["currency"]) == (1e9, "EUR")
    assert deal["amount_equivalent"] == "$1.07 billion"


@pytest.mark.model
def test_extract_reported_speech_is_a_statement(tmp_path):
    from graph.article import Metadata, parse_article
    from graph.extract import extract, load_pipeline

    text = (
        "Chile and Peru sign a treaty\n"
        "Maria Lopez said the treaty completed the return of the islands to Peru.\n"
        'Maria Lopez added: "This is a good day for both countries."\n'
    )
    extraction = extract(parse_article(text, Metadata()), load_pipeline())

    said = {(s.speaker, s.quote) for s in extraction.statements}
    assert ("person/maria-lopez", "the treaty completed the return of the islands to Peru") in said
    assert ("person/maria-lopez", "This is a good day for both countries.") in said


def test_extract_mention_indexes_agree_with_a_scan_of_every_mention():
    import random

    from graph.extract.entities import Mention, Resolution

    rng = random.Random(7)
    res = Resolution()
    for step in range(400):
        start = rng.randrange(0, 5000)
        res.mentions.append(
            Mention("x", start, start + rng.randrange(1, 60), start // 100, "GPE", f"k{step}")
        )
        if step % 50 == 49:  # the resolver drops an actor's mentions now and then
            res.mentions = [m for m in res.mentions if m.key != f"k{step - 7}"]
        probe = rng.randrange(0, 5100)
        assert res.in_sentence(probe // 100) == [
            m for m in res.mentions if m.sentence == probe // 100
        ]
        assert res.before(probe) == [
            m for m in sorted(res.mentions, key=lambda m: m.start, reverse=True) if m.start < probe
        ]
        assert res.overlapping(probe, probe + 30) == [
            m for m in res.mentions if m.start < probe + 30 and probe < m.end
        ]


@pytest.mark.model
def test_extract_a_long_article_reports_its_progress_in_sentences(tmp_path):
    from graph.core import PolicyGraph

    path = tmp_path / "long.txt"
    body = "\n\n".join(f"Chile paid Peru {n} dollars for a patrol boat." for n in range(150))
    path.write_text("Chile pays Peru\n\n" + body, encoding="utf-8")
    seen: list[tuple[int, int]] = []

    with PolicyGraph.open(None, "write") as pg:
        pg.prepare_files([path], progress=lambda done, total: seen.append((done, total)))

    assert seen[-1][0] == seen[-1][1] >= 150
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) >= 3


@pytest.mark.model
def test_extract_regional_blocs_are_supranational_bodies(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Chile signs a trade deal with Mercosur\n"
        "Chile signed a trade agreement with Mercosur on Monday, and the Gulf Cooperation "
        "Council and the Southern African Development Community welcomed it.\n",
    )

    types = {e["label"]: e["type"] for e in entities}
    assert types.get("Mercosur") == "Supranational", types
    assert types.get("Gulf Cooperation Council") == "Supranational", types
    assert types.get("Southern African Development Community") == "Supranational", types


@pytest.mark.model
def test_extract_critics_of_the_deal_without_a_deal_word(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru sign a returns deal\n"
        "Chile signed a returns deal with Peru on Monday.\n"
        "Peruvian officials praised the partnership as a model for the region.\n"
        "The Andean Rights Forum vowed to challenge it in court.\n"
        "The Green Party called the plan cruel.\n"
        "The Wine Growers Union criticised the weather forecast.\n"
        "Chile has not yet accepted the plan.\n",
    )

    (deal,) = deals
    assert not [c for c in deal["criticised_by"] if c["iso_code"]]  # a side is no critic
    critics = {c["label"] for c in deal["criticised_by"]}
    assert {"Andean Rights Forum", "Green Party"} <= critics, critics
    assert "Wine Growers Union" not in critics  # criticised something else
    assert {p["iso_code"] for p in deal["parties"]} == {"CL", "PE"}


@pytest.mark.model
def test_extract_described_country_by_intermediate_region(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Migrants to go south\n"
        "Peru has agreed to house migrants sent by the United States.\n"
        "In return, the Trump administration will pay the South American country $12 million.\n",
    )

    (deal,) = deals
    assert _flow(deal) == (["US"], ["PE"])
    assert "returns" not in deal["purposes"]  # "In return," is an exchange, not returns


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "payers", "payees"),
    [
        (
            "Under the treaty, Norway will hand sovereignty of the islands to Ghana but keep "
            "the air base on a lease, paying an average of £90m a year.",
            ["NO"],
            ["GH"],
        ),
        (
            "Chile will lease the port from Peru for $30m a year under the agreement.",
            ["CL"],
            ["PE"],
        ),
        ("Under the agreement, Peru will lease the port to Chile for $30m a year.", ["CL"], ["PE"]),
        (
            "The deal would see Chile lease the port from Peru in exchange for annual payments "
            "of $30m.",
            ["CL"],
            ["PE"],
        ),
        (
            "Chile agreed to take back its nationals in return for $30m from Peru under the deal.",
            ["PE"],
            ["CL"],
        ),
        ("Norway and Ghana signed the long-delayed minerals deal on Wednesday.", [], []),
    ],
    ids=["hand-over-and-pay", "lease-from", "lease-to", "lease-in-exchange", "take-back", "noun"],
)
def test_extract_who_pays_in_a_transfer_or_a_lease(tmp_path, sentence, payers, payees):
    deals, _ = _read_text(tmp_path, f"Ports and islands\n{sentence}\n")

    (deal,) = deals
    assert len(deal["parties"]) == 2
    assert _flow(deal) == (payers, payees)


@pytest.mark.model
def test_extract_a_name_beside_a_job_title_is_a_person_and_a_time_zone_no_body(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Chile and Peru: live\n"
        "14.32 GMT\n"
        "Chile will pay Peru $5 million under the agreement.\n"
        "Peru's Interior Minister, Ama Owusu, said the two countries would work closely.\n"
        "Updated at 14.45 GMT\n",
    )

    kinds = {e["label"]: e["type"] for e in entities}
    assert kinds.get("Ama Owusu") == "Person", kinds
    assert "GMT" not in kinds


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "After the coup, the EU suspended budget support to Peru.",
        "The European Union has cut off aid to Peru since the coup.",
    ],
    ids=["suspended-support", "cut-off-aid"],
)
def test_extract_money_stopped_is_a_suspended_payment(tmp_path, sentence):
    deals, _ = _read_text(tmp_path, f"Aid and coups\n{sentence}\n")

    (deal,) = deals
    assert _flow(deal) == (["EU"], ["PE"])
    assert deal["status"] == "suspended"


@pytest.mark.model
def test_extract_an_unnamed_administration_that_pays_is_the_state_named_before(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Peru agrees to take deportees\n"
        "Peru will accept up to 200 migrants a week deported from the United States under an "
        "agreement announced on Wednesday.\n"
        "The Novak administration will pay the South American nation $7 million to house them.\n"
        "Chile signed a similar agreement last month.\n",
    )

    paid = {(p["iso_code"], q["iso_code"]) for d in deals for p in d["payers"] for q in d["payees"]}
    assert ("US", "PE") in paid, paid


@pytest.mark.model
def test_extract_a_critic_of_the_deal_judges_the_storys_deal_not_the_last_one(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru agree border deal\n"
        "Chile will pay Peru $400m over three years under a border agreement signed on Friday.\n"
        "Officials said the agreement would fund a new detention centre.\n"
        "The two leaders also signed a separate defence agreement covering naval training.\n"
        "Critics said the plan was a costly gimmick.\n"
        "The opposition Green Party said the deal was cruel.\n",
    )

    judged = {d["amount"]: {c["label"] for c in d["criticised_by"]} for d in deals}
    assert judged.get("$400m over three years") == {"Green Party"}, judged  # "critics": no one
    assert all(not critics for amount, critics in judged.items() if amount is None)


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("The payment of €50m to help Peru patrol its coast was agreed on Monday.", "€50m"),
        ("Santiago has already handed over €10m, with a further €20m to follow.", "€10m"),
    ],
    ids=["payment-to-help", "handed-over"],
)
def test_extract_nominal_and_particle_payments(tmp_path, sentence, amount):
    deals, _ = _read_text(
        tmp_path, f"Chile and Peru pact\nChile and Peru signed a migration pact.\n{sentence}\n"
    )

    (deal,) = deals
    assert _flow(deal) == (["CL"], ["PE"])
    assert deal["amount"] == amount


@pytest.mark.model
def test_extract_officials_who_speak_of_no_money_are_no_critics(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru pact\nChile and Peru signed a migration pact.\n"
        "No money has changed hands yet, officials said.\n",
    )

    (deal,) = deals
    assert deal["criticised_by"] == [] and deal["payers"] == []


@pytest.mark.model
def test_extract_styles_and_letters_are_no_part_of_a_name(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Chile and Peru pact\n"
        "Chile will pay Peru £50m under a deal signed on Tuesday by the Rt Hon Maria Gonzalez "
        "MP, the interior minister.\n"
        "Lawyers at the Andean Bar Association said the plan was unlawful.\n"
        "Sir Tomas Ruiz KC, a former judge, said it would not survive a court challenge.\n"
        "Ms Gonzalez said the deal would work.\n"
        "Sen. Ada Lopez and Gov. Tom Reyes said they would study it.\n",
    )

    people = {e["label"]: e["mentions"] for e in entities if e["type"] == "Person"}
    assert set(people) == {"Maria Gonzalez", "Tomas Ruiz", "Ada Lopez", "Tom Reyes"}, people
    assert "Ms Gonzalez" in people["Maria Gonzalez"]
    (deal,) = deals
    assert "Andean Bar Association" in {c["label"] for c in deal["criticised_by"]}


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "Chile will mobilise an additional €3bn for Peru.",
        "Chile has set aside €40m for Peru's coastguard.",
        "Chile will pump €1bn into Peru's economy.",
        "Chile will reimburse Peru for the cost of housing migrants.",
        "Chile agreed to subsidise Peru's border patrols.",
        "Chile donated €5m to Peru's refugee agency.",
        "Peru will be compensated by Chile with €10m a year.",
        "Peru stands to gain €500m in Chilean aid.",
        "Chile will speed up the disbursement of €3bn to Peru.",
    ],
    ids=[
        "mobilise",
        "set-aside",
        "pump-into",
        "reimburse",
        "subsidise",
        "donate",
        "compensated",
        "gain",
        "speed-up",
    ],
)
def test_extract_more_ways_of_saying_pays(tmp_path, sentence):
    deals, _ = _read_text(
        tmp_path, f"Chile and Peru pact\nChile and Peru signed a migration pact.\n{sentence}\n"
    )

    (deal,) = deals
    assert _flow(deal) == (["CL"], ["PE"])


@pytest.mark.model
def test_extract_sides_in_talks_over_a_deal(tmp_path):
    deals, _ = _read_text(
        tmp_path, "Returns talks\nChile and Peru are in advanced talks over a returns agreement.\n"
    )

    (deal,) = deals
    assert {p["iso_code"] for p in deal["parties"]} == {"CL", "PE"}
    assert deal["status"] == "negotiating"


@pytest.mark.model
def test_extract_a_country_before_a_job_title_is_no_name(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Chile and Peru pact\nChile will pay Peru £30m, Chilean Prime Minister Ana Torres said.\n"
        "Spanish officials and the UK Prime Minister's spokesman welcomed the deal.\n",
    )

    people = {e["label"]: e["mentions"] for e in entities if e["type"] == "Person"}
    assert set(people) == {"Ana Torres"}, people
    assert not any("UK" in m for m in people["Ana Torres"])  # another country's premier
    assert "GB" in {e["iso_code"] for e in entities}
    # who welcomes the deal is no side of it
    assert [sorted(p["iso_code"] for p in d["parties"]) for d in deals] == [["CL", "PE"]]


@pytest.mark.model
def test_extract_one_verb_pays_two_sides_their_own_sums(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile funds neighbours\nChile will pay Peru €20m and Bolivia €15m under the deals.\n",
    )

    paid = {tuple(map(tuple, _flow(d))): d["amount"] for d in deals}
    assert paid == {(("CL",), ("PE",)): "€20m", (("CL",), ("BO",)): "€15m"}, paid


@pytest.mark.parametrize(
    "sentence",
    [
        "Chile agreed a $2m package for Peruvian border forces, much of it aimed at the Tacna "
        "region, where smugglers operate.",
        "Chile will give Peru $2m, most of it earmarked for the Tacna region.",
    ],
    ids=["aimed at", "earmarked for"],
)
@pytest.mark.model
def test_extract_a_share_of_the_sum_names_the_region_it_goes_to(tmp_path, sentence):
    deals, _ = _read_text(tmp_path, f"Chile funds Peru\n{sentence}\n")

    assert _pairs(deals) == {("CL", "PE"), ("CL", "PE-TAC")}


@pytest.mark.model
def test_extract_a_share_of_no_sum_names_no_payee(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru talk\nChile signed a deal with Peru on returns, much of it aimed at the "
        "Tacna region.\n",
    )

    assert _pairs(deals) == set()


@pytest.mark.model
def test_extract_people_moved_to_places_under_agreements(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "A precedent\nBetween 2014 and 2017 Chile sent thousands of asylum seekers to Peru and "
        "Bolivia under secretive agreements.\n",
    )

    assert sorted(sorted(p["iso_code"] for p in d["parties"]) for d in deals) == [
        ["BO", "CL"],
        ["CL", "PE"],
    ]


@pytest.mark.model
def test_extract_a_party_pledged_to_scrap_the_deal_is_its_critic(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "The Chile-Peru Memorandum of Understanding\n"
        "Chile will pay Peru £50m under the agreement signed on Monday.\n"
        "The Green Party, which has promised to scrap the scheme if it wins the election, said "
        "nothing else.\n"
        "The Liberal Party has vowed to scrap it.\n"
        "The government will scrap a tax on wine.\n",
    )

    (deal,) = deals
    assert {c["label"] for c in deal["criticised_by"]} == {"Green Party", "Liberal Party"}
    assert deal["status"] == "concluded"
    assert not [e for e in entities if e["type"] == "Person"]  # "Peru Memorandum" is no one


@pytest.mark.model
def test_extract_the_body_dates_the_headlines_deal_without_splitting_it(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile-Peru migration pact renewed despite abuse claims\n"
        "The 2021 memorandum between Chile and Peru was automatically renewed on Thursday for "
        "another three years.\n"
        "Rights groups said the renewal made Chile complicit in abuses.\n",
    )

    (deal,) = deals
    assert {c["label"] for c in deal["criticised_by"]} == {"Rights groups"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "critic"),
    [
        ("The Andean Rights Forum accused Chile of paying Peru to do its dirty work.", True),
        ("The Andean Rights Forum accused the Peruvian army of deporting people.", False),
        ("The Andean Rights Forum raised serious concerns over the deal.", True),
        ("The Andean Rights Forum raised €5m for the migrants.", False),
        ("The pact has drawn fierce criticism from the Andean Rights Forum.", True),
        (
            "Peru's president has faced criticism from the Andean Rights Forum over his record.",
            False,
        ),
        ("The Andean Rights Forum branded it a disgrace.", True),
        ("The Andean Rights Forum called the deal a surrender.", True),
    ],
    ids=[
        "accused-of-paying",
        "accused-of-else",
        "concerns",
        "raised-money",
        "drawn",
        "faced",
        "brand",
        "surrender",
    ],
)
def test_extract_critics_in_more_frames(tmp_path, sentence, critic):
    deals, _ = _read_text(
        tmp_path, f"Chile and Peru pact\nChile and Peru signed a migration pact.\n{sentence}\n"
    )

    (deal,) = deals
    critics = {c["label"] for c in deal["criticised_by"]}
    assert ("Andean Rights Forum" in critics) is critic, critics


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "flow"),
    [
        (  # who is committed to act in exchange for money is paid
            "Chile and Peru statement\nChile and Peru issued a joint statement on Friday "
            "committing Peru to take back migrants in exchange for €3bn.\n",
            (["CL"], ["PE"]),
        ),
        (  # a seat of government pays for its state
            "Border deal\nChile signed a border pact on Monday.\n"
            "The Casa Rosada will give Chile $10m to patrol the pass.\n",
            (["AR"], ["CL"]),
        ),
    ],
    ids=["committed-to-act", "seat-of-government"],
)
def test_extract_who_pays_when_the_payer_is_no_plain_subject(tmp_path, text, flow):
    deals, _ = _read_text(tmp_path, text)

    (deal,) = deals
    assert _flow(deal) == flow


@pytest.mark.model
def test_extract_an_island_the_model_took_for_a_person_is_no_one(tmp_path):
    _, entities = _read_text(
        tmp_path,
        "Chile and Peru treaty\n"
        "Chile will keep the air base on Diego Garcia under the treaty with Peru.\n"
        "Mauritius sent observers to the signing.\n"
        "Migrants landed on Lampedusa, the Italian island, before the talks.\n"
        "Marco Rossi said the base would stay.\n",
    )

    people = {e["label"] for e in entities if e["type"] == "Person"}
    assert people == {"Marco Rossi"}, people
    mentions = {e["iso_code"]: e["mentions"] for e in entities if e["iso_code"]}
    assert "the Italian island" not in mentions["MU"]  # Italy's island, no island state


@pytest.mark.model
def test_extract_an_american_politicians_party_and_state_are_no_critic(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Chile and Peru pact\nChile will pay Peru £50m under a deal signed on Tuesday.\n"
        'Sen. Ada Lopez, D-Calif., called it "outsourcing cruelty."\n',
    )

    (deal,) = deals
    assert {c["label"] for c in deal["criticised_by"]} == {"Ada Lopez"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "check"),
    [
        (  # a headline with a dash is no dateline: its sides stay sides
            "EU - Peru migration pact signed\nThe EU will pay Peru €100m under a pact signed "
            "on Sunday.\n",
            lambda deals, entities: _flow(deals[0]) == (["EU"], ["PE"]),
        ),
        (  # a person shouted at is still a person
            "Chile and Peru pact\nChile and Peru signed a migration pact.\n"
            "Protesters shouted at Marco Rossi in Lima.\n",
            lambda deals, entities: "Marco Rossi" in {e["label"] for e in entities},
        ),
        (  # no objection raised is no critic, and "many critics" name no one
            "Chile and Peru pact\nChile and Peru signed a migration pact.\n"
            "The Green Party raised no objection to the deal.\n"
            "Many critics said the deal was cruel.\n",
            lambda deals, entities: deals[0]["criticised_by"] == [],
        ),
        (  # an abbreviation is a title only with its full stop: "Gen Z" is not "Z"
            "Chile and Peru pact\nChile will pay Peru €5m, a deal Gen Z voters backed.\n",
            lambda deals, entities: "Z" not in {e["label"] for e in entities},
        ),
    ],
    ids=["dash-headline", "shouted-at", "no-objection", "gen-z"],
)
def test_extract_what_a_review_found_stays_mended(tmp_path, text, check):
    deals, entities = _read_text(tmp_path, text)

    assert deals and check(deals, entities), (deals, entities)


def _deal_rows(deals) -> set[tuple[frozenset[str], str, tuple[str, ...], tuple[str, ...]]]:
    """Each deal as (parties, status, payers, payees), by code."""
    return {
        (
            frozenset(p["iso_code"] for p in d["parties"]),
            d["status"],
            *map(tuple, _flow(d)),
        )
        for d in deals
    }


@pytest.mark.model
def test_extract_a_state_body_known_by_name_pays_for_its_state(tmp_path):
    deals, entities = _read_text(
        tmp_path,
        "Aid for Peru\nThe State Department will provide a $15 million package for Peru's "
        "migration institute, officials in Lima said.\n",
    )

    assert _pairs(deals) == {("US", "PE")}
    body = next(e for e in entities if e["label"] == "State Department")
    assert body["type"] == "Government"


@pytest.mark.model
def test_extract_two_sides_that_both_signed_agreements_with_a_third_have_a_deal_each(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Old pacts\nPeru and Bolivia both signed asylum agreements with Chile in 2019, but "
        "neither took effect before they were terminated in 2021.\n",
    )

    assert _deal_rows(deals) == {
        (frozenset({"CL", "PE"}), "terminated", (), ()),
        (frozenset({"CL", "BO"}), "terminated", (), ()),
    }


@pytest.mark.model
def test_extract_a_deal_signed_only_if_a_condition_holds_is_proposed(tmp_path):
    deals, _ = _read_text(
        tmp_path, "Talks\nChile met Peru twice, and Peru may join if it signs a pact with Chile.\n"
    )

    assert {d["status"] for d in deals} == {"proposed"}


@pytest.mark.model
def test_extract_an_administration_on_the_other_side_is_the_state_it_governs(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Pacts\nChile wants Peru to take back migrants, and Peru has asked Chile for money.\n"
        "Peru and Bolivia both signed agreements with the Novak administration in 2019.\n",
    )

    assert {frozenset(p["iso_code"] for p in d["parties"]) for d in deals} >= {
        frozenset({"CL", "PE"}),
        frozenset({"CL", "BO"}),
    }


@pytest.mark.model
def test_extract_a_former_holders_country_is_their_deals_side(tmp_path):
    deals, _ = _read_text(
        tmp_path,
        "Old pact\nMigrants were flown to Peru under an agreement that Peru's then-president, "
        "Carlos Mendoza, had signed with Chile.\n",
    )

    assert {frozenset(p["iso_code"] for p in d["parties"]) for d in deals} == {
        frozenset({"CL", "PE"})
    }


@pytest.mark.model
def test_extract_one_sided_deal_then_its_payer_and_a_similar_pact_are_told_apart(tmp_path):
    from graph.core import PolicyGraph

    path = tmp_path / "article.txt"
    path.write_text(
        "New pacts\n"
        "Migrants were flown to Peru under an agreement that Peru's then-president, Carlos "
        "Mendoza, had signed.\n"
        "In return, Chile will provide a $15 million package for Peru's border police.\n"
        "Bolivia could receive up to $20 million if it signs a similar pact.\n"
        "Bolivia and Ecuador both signed agreements with Chile in 2019, but neither took effect "
        "before they were terminated in 2021.\n",
        encoding="utf-8",
    )
    with PolicyGraph.open(None, "write") as pg:
        pg.ingest([path])  # no date: nothing dates the story
        deals = pg.deals()

    assert _deal_rows(deals) == {
        (frozenset({"CL", "PE"}), "concluded", ("CL",), ("PE",)),
        (frozenset({"CL", "BO"}), "proposed", (), ()),
        (frozenset({"CL", "BO"}), "terminated", (), ()),
        (frozenset({"CL", "EC"}), "terminated", (), ()),
    }
