"""The scorer: gold against itself is perfect, nothing predicted scores zero."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.evaluate import match_deals, score_article

DATA = Path(__file__).resolve().parent / "data"
GOLD = json.loads((DATA / "000_70e03d7c78804526.gold.json").read_text(encoding="utf-8"))


def as_prediction(gold: dict) -> tuple[list[dict], list[dict]]:
    """The gold file written as the CLI's deals and entities JSON."""
    by_code = {e.get("code") or e["label"]: e for e in gold["entities"]}

    def actor(code: str) -> dict:
        entity = by_code.get(code, {"label": code, "type": "Organisation"})
        return {
            "iri": code,
            "label": entity["label"],
            "type": entity["type"],
            "iso_code": entity.get("code"),
            "wikidata": None,
        }

    deals = [
        {
            "parties": [actor(c) for c in d["parties"]],
            "payers": [actor(c) for c in d["payers"]],
            "payees": [actor(c) for c in d["payees"]],
            "criticised_by": [actor(c) for c in d.get("criticised_by", [])],
            "status": d["status"],
        }
        for d in gold["deals"]
    ]
    entities = [
        {
            "label": e["label"],
            "type": e["type"],
            "iso_code": e.get("code"),
            "mentions": e["aliases"],
        }
        for e in gold["entities"]
    ]
    return deals, entities


def test_evaluate_gold_against_itself_scores_one():
    scores = score_article(GOLD, *as_prediction(GOLD))
    assert {name: m.f1 for name, m in scores.measures.items()} == dict.fromkeys(
        ["deal", "payment", "status", "critic", "place", "person"], 1.0
    )


def test_evaluate_empty_prediction_scores_zero():
    scores = score_article(GOLD, [], [])
    for name in ("deal", "payment", "place", "person"):
        measure = scores.measures[name]
        assert measure.recall == 0.0 and measure.f1 == 0.0, name
    assert scores.measures["status"].tp == 0  # status is scored on matched deals: none
    assert scores.measures["critic"].tp == 0  # so are critics
    assert len(scores.measures["deal"].misses) == len(GOLD["deals"])


def test_evaluate_second_node_for_a_person_is_a_false_positive():
    deals, entities = as_prediction(GOLD)
    entities.append({"label": "Keir Stamer", "type": "Person", "mentions": ["Keir Stamer"]})
    person = score_article(GOLD, deals, entities).measures["person"]
    # Keir Starmer and Giorgia Meloni; the byline's Dave Burke is metadata, not counted
    assert (person.tp, person.fp, person.extras) == (2, 1, ["Keir Stamer"])


def test_evaluate_byline_author_is_metadata_and_a_person_typed_otherwise_is_missed():
    deals, entities = as_prediction(GOLD)
    people = [e for e in entities if e["type"] == "Person"]
    author = next(e for e in people if e["label"] == GOLD["author"])
    starmer = next(e for e in people if e["label"] == "Keir Starmer")

    without_author = [e for e in entities if e is not author]
    as_organisation = [{**e, "type": "Organisation"} if e is starmer else e for e in entities]

    assert score_article(GOLD, deals, without_author).measures["person"].f1 == 1.0
    person = score_article(GOLD, deals, as_organisation).measures["person"]
    assert (person.fn, person.misses) == (1, ["Keir Starmer"])


def test_evaluate_wrong_status_class_counts_on_matched_deals():
    deals, entities = as_prediction(GOLD)
    deals[0]["status"] = "proposed"  # same class as negotiating
    deals[3]["status"] = "terminated"  # concluded is active, terminated is ended
    status = score_article(GOLD, deals, entities).measures["status"]
    assert (status.tp, status.fn) == (4, 1)


def test_evaluate_deals_match_one_to_one_by_jaccard():
    gold = [{"parties": ["A", "B"]}, {"parties": ["A", "C"]}]
    predicted = [{"parties": [{"iso_code": "A"}, {"iso_code": "B"}, {"iso_code": "C"}]}]
    assert match_deals(gold, predicted) == [(0, 0)]  # 2/3 with both, only one may take it


@pytest.mark.model
def test_evaluate_command_scores_a_folder(tmp_path):
    shutil.copy(DATA / "000_70e03d7c78804526.gold.json", tmp_path)
    shutil.copy(DATA.parent.parent / "samples" / "000_70e03d7c78804526.txt", tmp_path)
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["total"]["deal"]["f1"] == 1.0
    assert report["total"]["payment"]["f1"] == 1.0


def test_evaluate_command_refuses_a_folder_without_gold(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no *.gold.json" in result.output


@pytest.mark.model
def test_evaluate_development_set_keeps_its_scores():
    """A floor under the scores reached on tests/data/dev, so a rule change that loses ground
    fails here; raise the floor as the rules improve (issue 3's targets are the goal)."""
    from graph.evaluate import evaluate_folder

    total, results = evaluate_folder(DATA / "dev")
    f1 = {name: m.f1 for name, m in total.measures.items()}
    assert len(results) == 12
    floor = {
        "deal": 0.9, "payment": 0.87, "status": 0.9, "place": 0.95, "person": 0.95,
        "tracking": 0.9, "critic": 0.45,
    }  # fmt: skip
    assert all(f1[name] >= value for name, value in floor.items()), f1
    distractor = next(r for r in results if "statistics" in r.file)
    assert distractor.scores.measures["deal"].fp == 0  # no deal where there is none


@pytest.mark.model
@pytest.mark.parametrize(
    ("half", "floor"),
    [
        (
            "dev",
            {
                "deal": 0.9,
                "payment": 0.9,
                "status": 0.92,
                "place": 0.97,
                "person": 0.95,
                "critic": 0.5,
                "tracking": 0.85,
            },
        ),
        (
            "test",
            {
                "deal": 0.8,
                "payment": 0.68,
                "status": 0.9,
                "place": 0.94,
                "person": 0.92,
                "critic": 0.4,
                "tracking": 0.7,
            },
        ),
    ],
)
def test_evaluate_corpus_halves_keep_their_scores(half: str, floor: dict[str, float]):
    """Floors under both halves of the corpus split (tests/data/corpus/README.md), so a rule
    that loses ground on either fails. The test half's floor is its summary numbers only:
    its misses are not read while rules are written. The targets of issue 9 are higher."""
    from graph.evaluate import evaluate_folder

    total, results = evaluate_folder(DATA / "corpus" / half)
    f1 = {name: m.f1 for name, m in total.measures.items()}
    assert len(results) == 16
    assert all(f1[name] >= value for name, value in floor.items()), f1
    distractors = [
        r for r in results if r.scores.measures["deal"].tp + r.scores.measures["deal"].fn == 0
    ]
    assert all(r.scores.measures["deal"].fp == 0 for r in distractors)  # no deal where none


def test_evaluate_corpus_halves_keep_to_their_split_rule():
    """tests/data/corpus/README.md: linked articles share a half; groups go largest first, by
    the SHA-256 of their first file name, to the half with fewer articles (dev on a tie)."""
    import hashlib

    halves = {
        half: sorted(
            p.name.removesuffix(".gold.json") for p in (DATA / "corpus" / half).glob("*.gold.json")
        )
        for half in ("dev", "test")
    }
    names = [n for half in halves.values() for n in half]
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for half, members in halves.items():
        for name in members:
            assert (DATA / "corpus" / half / f"{name}.txt").is_file()
            gold = json.loads((DATA / "corpus" / half / f"{name}.gold.json").read_text("utf-8"))
            for link in gold.get("same_deal_as", []):
                other = link["other_file"].removesuffix(".txt")
                assert other in members, f"{name} links to {other} in the other half"
                parent[root(name)] = root(other)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(root(name), []).append(name)
    ordered = sorted(
        groups.values(), key=lambda g: (-len(g), hashlib.sha256(min(g).encode()).hexdigest())
    )
    expected: dict[str, list[str]] = {"dev": [], "test": []}
    for group in ordered:
        expected["dev" if len(expected["dev"]) <= len(expected["test"]) else "test"] += group
    assert {h: sorted(m) for h, m in expected.items()} == halves
    assert len(names) == 32 and len(halves["dev"]) == len(halves["test"]) == 16


def test_evaluate_critic_matches_by_a_form_the_article_uses():
    gold = {
        "entities": [
            {"label": "Chile", "type": "Country", "code": "CL", "aliases": ["Chile"]},
            {"label": "Peru", "type": "Country", "code": "PE", "aliases": ["Peru"]},
            {"label": "ARF", "type": "Organisation", "aliases": ["ARF", "the forum"]},
        ],
        "deals": [
            {
                "parties": ["CL", "PE"],
                "payers": [],
                "payees": [],
                "status": "concluded",
                "criticised_by": ["ARF"],
            },
        ],
    }
    side = {"CL": "Chile", "PE": "Peru"}
    critic = {"iri": "org/arf", "label": "Andean Refugee Forum", "type": "Organisation"}
    deal = {
        "parties": [{"iri": c, "label": side[c], "iso_code": c} for c in side],
        "payers": [],
        "payees": [],
        "status": "concluded",
        "criticised_by": [critic],
    }
    entities = [{**critic, "mentions": ["Andean Refugee Forum", "ARF"]}]
    assert score_article(gold, [deal], entities).measures["critic"].tp == 1
    entities = [{**critic, "mentions": ["Andean Refugee Forum"]}]  # never called ARF
    assert score_article(gold, [deal], entities).measures["critic"].tp == 0
