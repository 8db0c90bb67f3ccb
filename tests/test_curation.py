"""Curation: the analyst's corrections, kept in ``id:curation``, applied to every read, and
surviving a re-ingest, a re-extraction with changed rules and a restart; the register of
actors; the change log. Through the facade and through the CLI (extraction faked by hand).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import build_extraction
from rdflib import Dataset
from typer.testing import CliRunner

from graph import curation
from graph.cli import app
from graph.core import PolicyGraph
from graph.curation import Overlay, name_key, register
from graph.errors import InputError, ValidationError
from graph.model import Article, Extraction
from graph.validate import violations
from graph.vocab import CHANGES, CURATION, actor_iri, deal_iri

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
GB, TR = str(actor_iri("country/GB")), str(actor_iri("country/TR"))
KR, IQ = str(actor_iri("region/IQ-KR")), str(actor_iri("country/IQ"))
STARMER = str(actor_iri("person/keir-starmer"))
GROUPS = str(actor_iri("organisation/human-rights-groups"))
UK_TURKEY = str(deal_iri([GB, TR]))
UK_KURDISTAN = str(deal_iri([GB, KR]))


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, sample_text: str, later_text: str
) -> tuple[Path, Path]:
    """A store with the sample (2024-11-18) and the later article (2024-12-02), built once;
    and the folder of their files."""
    folder = tmp_path_factory.mktemp("curation")
    (folder / "sample.txt").write_text(sample_text, encoding="utf-8")
    (folder / "later.txt").write_text(later_text, encoding="utf-8")
    path = folder / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PolicyGraph, "extract", lambda self, a, progress=None: build_extraction(a))
        with PolicyGraph.open(str(path), "write", agent="ingester") as pg:
            pg.ingest([folder / "sample.txt"], date="2024-11-18")
            pg.ingest([folder / "later.txt"], date="2024-12-02")
    return path, folder


@pytest.fixture
def store(built: tuple[Path, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(built[0], tmp_path / "store"))


@pytest.fixture
def articles(built: tuple[Path, Path]) -> Path:
    return built[1]


@pytest.fixture(autouse=True)
def _extract_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PolicyGraph, "extract", lambda self, a, progress=None: build_extraction(a))
    monkeypatch.delenv("POLICYGRAPH_STORE", raising=False)


def graph(store: Path, agent: str = "ana") -> PolicyGraph:
    return PolicyGraph.open(str(store), "write", agent=agent)


def deal(store: Path, iri: str) -> dict[str, Any]:
    with PolicyGraph.open(str(store)) as pg:
        [found] = pg.deals(iri)
        return found


def iris(actors: list[dict[str, Any]]) -> list[str]:
    return [a["iri"] for a in actors]


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def dump(store: Path) -> list[str]:
    with PolicyGraph.open(str(store)) as pg:
        return sorted(line for line in pg.export("nquads", raw=False).splitlines() if line)


# --- surviving: every correction after a re-ingest, a re-extraction, a restart ----------------


def changed_rules(article: Article) -> Extraction:
    """Newer rules: the same actors and deals, but every deal read as proposed."""
    return build_extraction(article, status="proposed")


def reingest(store: Path, articles: Path) -> None:
    with graph(store) as pg:
        pg.ingest([articles / "sample.txt"], date="2024-11-18")
        pg.ingest([articles / "later.txt"], date="2024-12-02")


def reextract(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PolicyGraph, "extract", lambda self, a, progress=None: changed_rules(a))
    with graph(store) as pg:
        report = pg.reextract()
    assert len(report.articles) == 2


def test_curation_merge_actors_moves_mentions_deals_and_statements(store: Path) -> None:
    with graph(store) as pg:
        made = pg.correct("merge-actors", "human rights groups", into="Keir Starmer", note="test")
        actors = pg.actors()
        statements = pg.statements()
        network = pg.network()
    assert made.number == 1 and made.agent == "ana" and made.note == "test"
    assert GROUPS not in actors and "Human rights groups" in actors[STARMER]["mentions"]
    assert iris(deal(store, UK_TURKEY)["criticised_by"]) == [STARMER]
    assert {s["speaker"] for s in statements} == {STARMER}
    assert GROUPS not in network


@pytest.mark.parametrize("survives", ["reingest", "reextract", "restart"])
def test_curation_every_kind_of_correction_survives(
    store: Path, articles: Path, monkeypatch: pytest.MonkeyPatch, survives: str
) -> None:
    with graph(store) as pg:
        pg.correct("rename", "UK", ["Britain (UK)"])
        pg.correct("set-wikidata", "Turkey", ["Q43"])
        pg.correct("set-iso", "Kurdistan Region", [])
        pg.correct("retype", "Keir Starmer", ["Organisation"])
        pg.correct("delete-actor", "Iraq")
        pg.correct("set-payers", "GB+TR", ["Turkey"])
        pg.correct("set-payees", "GB+TR", ["UK"])
        pg.correct("set-status", "GB+TR", ["suspended"], date="2025-01-05", note="paused")
        pg.correct("set-amount", "GB+TR", ["£40m a year"])
        pg.correct("set-purposes", "GB+TR", ["returns", "anti_smuggling"])
        pg.correct("set-critics", "GB+TR", ["Keir Starmer"])
    if survives == "reingest":
        reingest(store, articles)
    elif survives == "reextract":
        reextract(store, monkeypatch)

    with PolicyGraph.open(str(store)) as pg:
        actors = pg.actors()
        assert len(pg.corrections()) == 11 and pg.orphans() == []
    assert actors[GB]["label"] == "Britain (UK)"
    assert actors[KR]["iso_code"] is None and actors[STARMER]["type"] == "Organisation"
    assert IQ not in actors and actors[KR]["part_of"] is None
    found = deal(store, UK_TURKEY)
    assert iris(found["payers"]) == [TR] and iris(found["payees"]) == [GB]
    assert found["status"] == "suspended" and found["last_reported"] == "2025-01-05"
    assert found["status_history"][-1]["sentence"] == "paused"
    # read as extraction reads amounts: a yearly figure is never stored as the total
    assert (found["amount"], found["currency"], found["amount_per"]) == (
        "£40m a year",
        "GBP",
        "year",
    )
    assert found["purposes"] == ["anti_smuggling", "returns"]
    assert iris(found["criticised_by"]) == [STARMER]


@pytest.mark.parametrize("survives", ["reingest", "reextract"])
def test_curation_structural_corrections_survive(
    store: Path, articles: Path, monkeypatch: pytest.MonkeyPatch, survives: str
) -> None:
    sentence = "Human rights groups criticised the plan, saying it would push migrants into danger."
    with graph(store) as pg:
        pg.correct("merge-actors", "human rights groups", into="Keir Starmer")
        pg.correct("split-actor", "Turkey", ["Türkiye", "Country"], articles=["later.txt"])
        pg.correct("merge-deals", "GB+IQ-KR", into="GB+TR")
        added = pg.correct(
            "add-deal", "Iraq", ["Turkey"], articles=["sample.txt"], sentence=sentence
        )
        pg.correct("delete-deal", added.target)
        split = pg.correct("split-deal", "GB+TR", articles=["later.txt"])
        before = pg.deals()
        actors_before = pg.actors()
    (reingest if survives == "reingest" else lambda s, a: reextract(s, monkeypatch))(
        store, articles
    )
    with PolicyGraph.open(str(store)) as pg:
        after = pg.deals()
        assert pg.orphans() == []
        assert set(pg.actors()) == set(actors_before)
    assert GROUPS not in actors_before and curation.split_iri(TR, 2) in actors_before
    assert added.target not in {d["iri"] for d in after}
    assert [d["iri"] for d in after] == [d["iri"] for d in before]
    assert {d["iri"]: sorted(iris(d["parties"])) for d in after} == {
        d["iri"]: sorted(iris(d["parties"])) for d in before
    }
    assert split.number == 6 and len(after) == 2


def test_curation_undo_restores_what_extraction_said(store: Path) -> None:
    before = deal(store, UK_TURKEY)
    with graph(store) as pg:
        made = pg.correct("set-payers", "GB+TR", ["Turkey"])
        pg.correct("rename", "Turkey", ["Türkiye"])
    assert iris(deal(store, UK_TURKEY)["payers"]) == [TR]

    with graph(store, agent="ben") as pg:
        undone = pg.undo(made.number)
        with pytest.raises(InputError, match="already undone"):
            pg.undo(str(made.number))
        with pytest.raises(InputError, match="no such correction"):
            pg.undo(99)
        listed = pg.corrections()

    assert undone.undone and undone.undone_by == "ben"
    assert [c.active for c in listed] == [False, True]  # kept on record, marked undone
    after = deal(store, UK_TURKEY)
    assert iris(after["payers"]) == iris(before["payers"]) == [GB]
    assert iris(after["payees"]) == iris(before["payees"]) == [TR]


def test_curation_merge_and_split_deals(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("merge-deals", "GB+IQ-KR", into="GB+TR")
        merged = pg.deals()
    assert [d["iri"] for d in merged] == [UK_TURKEY]
    [one] = merged
    assert sorted(iris(one["parties"])) == sorted([GB, TR, KR])
    assert len({s["article"] for s in one["sources"]}) == 2

    with graph(store) as pg:
        later = next(a for a in pg.articles() if a["source"] == "later.txt")
        pg.correct("split-deal", "GB+TR", articles=["later.txt"])
        split = pg.deals()
    assert len(split) == 2
    new = next(d for d in split if d["iri"] != UK_TURKEY)
    assert {s["article"] for s in new["sources"]} == {later["article"]}
    assert new["label"].endswith("(split)")


def test_curation_split_actor_takes_one_articles_mentions(store: Path) -> None:
    with graph(store) as pg:
        made = pg.correct(
            "split-actor", "Turkey", ["Northern Cyprus", "Region"], articles=["later.txt"]
        )
        actors = pg.actors()
        deals = {d["iri"]: d for d in pg.deals()}
    new = curation.split_iri(TR, made.number)
    assert actors[new]["label"] == "Northern Cyprus" and actors[new]["type"] == "Region"
    history = deals[UK_TURKEY]["status_history"]
    assert len(history) == 2  # the deal stays one; its later report names the new actor
    assert TR in iris(deals[UK_TURKEY]["parties"]) and new in iris(deals[UK_TURKEY]["parties"])


def test_curation_delete_deal_and_add_a_missed_one(store: Path) -> None:
    sentence = (
        "Talks on a similar deal with the Kurdistan Region of Iraq are continuing, officials said."
    )
    with graph(store) as pg:
        pg.correct("delete-deal", "GB+IQ-KR")
        made = pg.correct(
            "add-deal",
            "Iraq",
            ["UK"],
            articles=["sample.txt"],
            sentence=sentence,
            payers=["UK"],
            payees=["Iraq"],
            status="negotiating",
        )
        deals = {d["iri"]: d for d in pg.deals()}
        with pytest.raises(InputError, match="not in that article"):
            pg.correct("add-deal", "Iraq", ["UK"], articles=["sample.txt"], sentence="Invented.")
    assert UK_KURDISTAN not in deals
    added = deals[made.target]
    assert iris(added["payers"]) == [GB] and iris(added["payees"]) == [IQ]
    assert added["status"] == "negotiating" and added["sources"][0]["sentence"] == sentence
    start = added["sources"][0]["start"]
    assert start is not None and added["sources"][0]["end"] == start + len(sentence)
    network = PolicyGraph.open(str(store)).network()
    assert any(d.get("deal") == made.target for _, _, d in network.edges(data=True))


def test_curation_correction_whose_target_is_gone_is_reported(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with graph(store) as pg:
        pg.correct("rename", "Keir Starmer", ["Sir Keir Starmer"])

    def without_starmer(article: Article) -> Extraction:
        found = build_extraction(article)
        found.actors = [a for a in found.actors if a.type != "Person"]
        found.statements = []
        return found

    monkeypatch.setattr(PolicyGraph, "extract", lambda self, a, progress=None: without_starmer(a))
    result = run("--store", store, "reextract", "--as", "ana")

    assert result.exit_code == 0, result.output
    assert "warning: correction 1 (rename Keir Starmer → Sir Keir Starmer)" in result.stderr
    assert "no longer applies" in result.stderr
    listed = run("--store", store, "corrections", "--format", "json")
    assert '"state": "orphaned' in listed.stdout  # reported, never dropped


# --- bad corrections: one line, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "target", "values", "options", "message"),
    [
        ("rename", "Atlantis", ["A"], {}, "actor 'Atlantis': not found"),
        ("rename", "UK", [""], {}, "rename: give the new name"),
        ("retype", "UK", ["Planet"], {}, "retype: give one type"),
        ("set-iso", "UK", ["gbr"], {}, "set-iso: give an ISO 3166 code"),
        ("set-wikidata", "UK", ["145"], {}, "set-wikidata: give a Wikidata QID"),
        ("set-status", "GB+TR", ["agreed"], {}, "set-status: give one status"),
        ("set-status", "GB+TR", ["concluded"], {"date": "2024-13-40"}, "2024-13-40"),
        ("set-purposes", "GB+TR", ["peace"], {}, "set-purposes: 'peace' is not one"),
        ("set-parties", "GB+TR", ["UK"], {}, "a deal has at least two parties"),
        ("merge-actors", "UK", [], {}, "merge-actors: name the other actor"),
        ("merge-actors", "UK", [], {"into": "United Kingdom"}, "one and the same"),
        ("split-deal", "GB+TR", [], {}, "name the articles"),
        ("split-deal", "GB+TR", [], {"articles": ["nowhere.txt"]}, "article 'nowhere.txt'"),
        (
            "split-deal",
            "GB+TR",
            [],
            {"articles": ["sample.txt", "later.txt"]},
            "these are all the articles that report it",
        ),
        ("split-actor", "UK", ["Britain", "Planet"], {"articles": ["later.txt"]}, "no actor type"),
        ("set-payees", "GB+TR", ["Iraq"], {}, "Iraq is not a party of United Kingdom – Turkey"),
        ("set-payers", "GB+FR", ["UK"], {}, "deal 'GB+FR': not found"),
        ("undo-everything", "UK", [], {}, "unknown kind"),
    ],
)
def test_curation_bad_correction_is_one_line_and_writes_nothing(
    store: Path, kind: str, target: str, values: list[str], options: dict[str, Any], message: str
) -> None:
    before = dump(store)
    with graph(store) as pg, pytest.raises(InputError, match=None) as raised:
        pg.correct(kind, target, values, **options)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert dump(store) == before


def test_curation_correction_that_breaks_a_shape_is_refused(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(store)
    monkeypatch.setattr(curation, "now", lambda: "not a time")
    with graph(store) as pg, pytest.raises(ValidationError, match="prov:endedAtTime"):
        pg.correct("rename", "UK", ["Britain"])
    assert dump(store) == before


# --- the register of actors ------------------------------------------------------------------


def record(label: str, kind: str, mentions: int = 1, role: str | None = None) -> dict[str, Any]:
    return {"label": label, "type": kind, "mentions": [label] * mentions, "role": role}


def test_curation_register_folds_people_whatever_they_were_typed() -> None:
    actors = {
        "p1": record("Kais Saïed", "Person", 3),
        "p2": record("President Kais Saied", "Person"),
        "o1": record("Kais Saied", "Organisation"),
        "c1": record("Human rights groups", "Organisation"),
        "c2": record("rights groups", "Organisation"),
        "c3": record("Human Rights Watch", "Organisation"),
        "x": record("Tunisia", "Country"),
    }
    folds, proposals = register(actors, set())
    assert folds == {"p2": "p1", "o1": "p1", "c2": "c1"} or folds == {
        "p2": "p1",
        "o1": "p1",
        "c1": "c2",
    }
    assert "c3" not in folds and proposals == []


def test_curation_register_proposes_probable_merges_and_remembers_rejections() -> None:
    actors = {
        "a": record("Giorgia Meloni", "Person", 5),
        "b": record("Georgia Meloni", "Person"),
        "c": record("Meloni", "Person"),
        "d": record("Emmanuel Macron", "Person"),
    }
    _, proposals = register(actors, set())
    assert {(p.actor, p.into) for p in proposals} == {("b", "a"), ("c", "a"), ("c", "b")}
    _, kept = register(actors, {frozenset(("a", "b"))})
    assert ("b", "a") not in {(p.actor, p.into) for p in kept}


@pytest.mark.parametrize(
    ("label", "kind", "key"),
    [
        ("Sir Keir Starmer", "Person", "keir starmer"),
        ("Dr. Hans-Jürgen Müller", "Person", "hans-jurgen muller"),
        ("Ursula von der Leyen", "Person", "ursula von der leyen"),
        ("leading human rights groups", "Organisation", "rights groups"),
        ("Human Rights Watch", "Organisation", "human rights watch"),
    ],
)
def test_curation_name_key_is_the_normal_form(label: str, kind: str, key: str) -> None:
    assert name_key(label, kind) == key


def test_curation_proposal_accepted_and_rejected_through_the_facade(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("rename", "Keir Starmer", ["Keir Stormer"])
        pg.correct("split-actor", "UK", ["Keir Starmer", "Person"], articles=["later.txt"])
        [proposal] = pg.proposals()
        assert {proposal["actor_label"], proposal["into_label"]} == {"Keir Stormer", "Keir Starmer"}
        pg.correct("keep-apart", proposal["actor"], into=proposal["into"])
        assert pg.proposals() == []


def test_curation_overlay_is_empty_without_corrections() -> None:
    assert Overlay.build([], {}).empty
    rows = [{"deal": "d", "role": "party", "actor": "a", "article": "x"}]
    assert Overlay.build([], {}).apply_roles(rows, []) == rows


# --- the change log ---------------------------------------------------------------------------


def test_curation_change_log_records_every_write(store: Path, articles: Path) -> None:
    with graph(store, agent="cy") as pg:
        made = pg.correct("rename", "UK", ["Britain"])
        pg.undo(made.number)
        pg.ingest([articles / "later.txt"], date="2024-12-02")
        pg.remove("later.txt")
        log = pg.changes()
        recent = pg.changes(since=log[2]["time"])
    kinds = [c["kind"] for c in log]
    assert kinds[:2] == ["ingest", "ingest"]
    assert kinds[2:] == ["correct", "undo", "ingest", "remove"]
    assert {c["agent"] for c in log[:2]} == {"ingester"} and log[-1]["agent"] == "cy"
    assert log[2]["graph"] == str(CURATION) and log[2]["added"] > 0 and log[2]["removed"] == 0
    assert log[4]["added"] == log[4]["removed"] == 0  # the same article again changes nothing
    assert log[5]["removed"] == log[1]["added"] and log[5]["added"] == 0
    assert recent == log[2:]


def test_curation_change_log_and_curation_graphs_conform_to_shacl(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("set-status", "GB+TR", ["terminated"], date="2025-02-01", note="ended")
        pg.undo(1)
        for name in (CURATION, CHANGES):
            stored = pg.store.graph_triples(str(name))
            assert len(stored) and violations(stored) == []


@pytest.mark.parametrize("since", ["yesterday", "2024-02-30", "12/01/2026"])
def test_curation_changes_since_a_bad_date_is_one_line(store: Path, since: str) -> None:
    result = run("--store", store, "changes", "--since", since)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: --since {since!r}: not a date")


# --- export ------------------------------------------------------------------------------------


def test_curation_export_applies_corrections_and_raw_does_not(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("merge-actors", "human rights groups", into="Keir Starmer")
        pg.correct("set-payers", "GB+TR", ["Turkey"])
        corrected, raw = Dataset(), Dataset()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's parsers' old API
            corrected.parse(data=pg.export("nquads"), format="nquads")
            raw.parse(data=pg.export("nquads", raw=True), format="nquads")
    names = {str(g.identifier) for g in corrected.graphs()}
    assert str(CURATION) in names and str(CHANGES) in names
    assert str(CURATION) not in {str(g.identifier) for g in raw.graphs()}
    subjects = {str(s) for s, _, _, _ in corrected.quads()}
    assert GROUPS not in subjects and GROUPS in {str(s) for s, _, _, _ in raw.quads()}
    payers = {str(o) for _, p, o, _ in corrected.quads() if str(p).endswith("#payer")}
    assert payers == {TR}


# --- the CLI -----------------------------------------------------------------------------------

CLI_CORRECTIONS = [
    (["merge-actors", "human rights groups", "Keir Starmer"], "groups into Keir Starmer"),
    (["keep-apart", "UK", "Turkey"], "keep-apart United Kingdom into Turkey"),
    (["split-actor", "Turkey", "Türkiye", "--article", "later.txt"], "Turkey → Türkiye"),
    (["retype", "Keir Starmer", "Organisation"], "retype Keir Starmer → Organisation"),
    (["rename", "UK", "Britain"], "rename United Kingdom → Britain"),
    (["set-iso", "Kurdistan Region"], "set-iso Kurdistan Region → (none)"),
    (["set-wikidata", "Iraq", "Q796"], "set-wikidata Iraq → Q796"),
    (["delete-actor", "Iraq"], "delete-actor Iraq"),
    (["set-parties", "GB+TR", "UK", "Turkey", "Iraq"], "set-parties United Kingdom – Turkey →"),
    (["set-payers", "GB+TR", "Turkey"], "set-payers United Kingdom – Turkey → Turkey"),
    (["set-payees", "GB+TR"], "set-payees United Kingdom – Turkey → (none)"),
    (["set-critics", "GB+TR", "Keir Starmer"], "→ Keir Starmer"),
    (["set-status", "GB+TR", "suspended", "--date", "2025-01-01"], "as of 2025-01-01"),
    (["set-amount", "GB+TR", "€5m"], "set-amount United Kingdom – Turkey → €5m"),
    (["set-purposes", "GB+TR", "returns"], "→ returns"),
    (["split-deal", "GB+TR", "--article", "later.txt"], "split-deal United Kingdom – Turkey"),
    (["merge-deals", "GB+IQ-KR", "GB+TR"], "merge-deals United Kingdom – Kurdistan Region into"),
    (["delete-deal", "GB+IQ-KR"], "delete-deal United Kingdom – Kurdistan Region"),
    (
        [
            "add-deal", "UK", "Iraq", "--article", "sample.txt", "--payer", "UK",
            "--sentence", "Keir Starmer said: \"This deal with Turkey will save lives.\"",
        ],
        "add-deal",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "said"), CLI_CORRECTIONS, ids=lambda a: a[0] if isinstance(a, list) else ""
)
def test_curation_cli_makes_lists_and_undoes_each_kind(
    store: Path, args: list[str], said: str
) -> None:
    made = run("--store", store, "correct", *args, "--note", "seen in the source", "--as", "dee")
    assert made.exit_code == 0, made.output
    assert made.stderr.startswith("correction 1: ") and said in made.stderr, made.stderr

    listed = run("--store", store, "corrections", "--format", "json")
    assert '"agent": "dee"' in listed.stdout and '"state": "active"' in listed.stdout

    undone = run("--store", store, "undo", "1", "--as", "dee")
    assert undone.exit_code == 0 and undone.stderr.startswith("undone correction 1: ")
    assert '"state": "undone"' in run("--store", store, "corrections", "-f", "json").stdout


def test_curation_cli_bad_correction_is_one_line_and_store_unchanged(store: Path) -> None:
    before = dump(store)
    for args in (
        ["correct", "rename", "Atlantis", "A"],
        ["correct", "set-status", "GB+TR", "agreed"],
        ["undo", "7"],
        ["correct", "rename", "UK", "Britain", "--as", ""],
    ):
        result = run("--store", store, *args)
        assert result.exit_code != 0 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error: ")
    assert dump(store) == before


def test_curation_cli_changes_and_proposals(store: Path) -> None:
    assert run("--store", store, "correct", "rename", "Keir Starmer", "Keir Stormer").exit_code == 0
    assert (
        run(
            "--store",
            store,
            "correct",
            "split-actor",
            "UK",
            "Keir Starmer",
            "--type",
            "Person",
            "--article",
            "later.txt",
        ).exit_code
        == 0
    )
    proposals = run("--store", store, "proposals", "--format", "csv")
    assert "Keir Starmer" in proposals.stdout and "Keir Stormer" in proposals.stdout

    log = run("--store", store, "changes", "--since", "2000-01-01", "--format", "csv")
    lines = log.stdout.splitlines()
    assert lines[0] == "time,kind,graph,added,removed,agent"
    assert [line.split(",")[1] for line in lines[1:]] == ["ingest", "ingest", "correct", "correct"]
    assert run("--store", store, "changes", "--since", "2999-01-01").stderr.startswith("no changes")


# --- chains of corrections (found by review) ----------------------------------------------


def test_curation_corrections_of_a_deal_carry_over_when_it_is_merged(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("set-amount", "GB+IQ-KR", ["€9bn"])
        pg.correct("set-status", "GB+IQ-KR", ["suspended"], date="2025-01-01")
        pg.correct("merge-deals", "GB+IQ-KR", into="GB+TR")
        [merged] = pg.deals()
        timeline = pg.timeline(UK_TURKEY)
    assert merged["amount"] == "€9bn" and merged["status"] == "suspended"
    assert [r["status"] for r in timeline] == [c["status"] for c in merged["status_history"]]
    assert timeline[-1]["headline"] == "(a correction)"


def test_curation_split_after_merge_and_facts_in_the_order_made(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("merge-deals", "GB+IQ-KR", into="GB+TR")
        pg.correct("split-deal", UK_TURKEY, articles=["later.txt"])
        assert len(pg.deals()) == 2
        pg.correct("rename", "Iraq", ["I1"])
        pg.correct("rename", "Turkey", ["T1"])
        pg.correct("merge-actors", "I1", into="T1")
        pg.correct("rename", "T1", ["Final"])
        actors = pg.actors()
    assert actors[TR]["label"] == "Final" and IQ not in actors


def test_curation_an_empty_name_is_refused_not_matched(store: Path) -> None:
    before = dump(store)
    with graph(store) as pg:
        for name in ("", " "):
            with pytest.raises(InputError, match="empty"):
                pg.correct("delete-actor", name)
        with pytest.raises(InputError, match="no such correction"):
            pg.undo("https://example.org/deal/1")
    assert dump(store) == before


def test_curation_deleting_a_folded_actor_deletes_what_folded_into_it() -> None:
    actors = {
        "a": record("Human rights groups", "Organisation", 2),
        "b": record("rights groups", "Organisation"),
        "c": record("local charities", "Organisation"),
        "d": record("international charities", "Organisation"),
    }
    delete = curation.Correction(1, "delete-actor", "a", "x", "2026-01-01T00:00:00Z")
    overlay = Overlay.build([delete], actors)
    assert overlay.actor("a") is None and overlay.actor("b") is None
    assert overlay.actor("c") == "c" and overlay.actor("d") == "d"  # two different groups
    apart = curation.Correction(1, "keep-apart", "b", "x", "2026-01-01T00:00:00Z", into="a")
    assert Overlay.build([apart], actors).actor("b") == "b"


def test_curation_export_writes_a_merged_actor_as_its_record(store: Path) -> None:
    with graph(store) as pg:
        pg.correct("merge-actors", "Iraq", into="Turkey")
        exported = pg.export("nquads")
    labels = {line for line in exported.splitlines() if line.startswith(f"<{TR}> <{RDFS}label>")}
    assert labels and all('"Turkey"' in line for line in labels)
    assert '"IQ"' not in exported.split(f"<{TR}>", 1)[1] or all(
        '"IQ"' not in line for line in exported.splitlines() if line.startswith(f"<{TR}>")
    )
