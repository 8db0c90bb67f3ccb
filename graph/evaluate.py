"""Scoring an extraction against annotated gold files (``gold-schema.md``).

Deals match when their party sets overlap by Jaccard >= 0.5, one-to-one, best first.
Payments are compared as (payer, payee) pairs, statuses in classes (pending, active,
suspended, ended), places by ISO code, people by name where any gold alias counts; a second
node for one person is a false positive, and a person typed as anything else is missed. The
article's byline author is metadata, so is left out of the people on both sides.

Examples
--------
>>> gold = {"entities": [{"label": "A", "type": "Country", "code": "AA", "aliases": []}],
...         "deals": [{"parties": ["AA", "BB"], "payers": ["AA"], "payees": ["BB"],
...                    "status": "concluded"}]}
>>> deals = [{"parties": [{"iso_code": "AA", "label": "A"}, {"iso_code": "BB", "label": "B"}],
...           "payers": [{"iso_code": "AA", "label": "A"}],
...           "payees": [{"iso_code": "BB", "label": "B"}], "status": "concluded"}]
>>> s = score_article(gold, deals, [{"type": "Country", "iso_code": "AA", "label": "A"}])
>>> s.measures["deal"].f1, s.measures["payment"].f1, s.measures["status"].f1
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

STATUS_CLASS = {
    "proposed": "pending",
    "negotiating": "pending",
    "concluded": "active",
    "suspended": "suspended",
    "terminated": "ended",
}
PLACE_TYPES = {"Country", "Region", "Supranational"}
MATCH_THRESHOLD = 0.5


@dataclass
class Measure:
    """Counts for one measure, with what was missed and what was extra."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted and nothing expected."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected and nothing predicted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Measure, prefix: str = "") -> None:
        """Add another measure's counts (for totals over a folder)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses.extend(prefix + m for m in other.misses)
        self.extras.extend(prefix + e for e in other.extras)


@dataclass
class Scores:
    """Every measure of one article or of a folder."""

    measures: dict[str, Measure] = field(
        default_factory=lambda: {
            name: Measure() for name in ("deal", "payment", "status", "critic", "place", "person")
        }
    )

    def add(self, other: Scores, prefix: str = "") -> None:
        """Add another article's scores."""
        for name, measure in other.measures.items():
            self.measures[name].add(measure, prefix)

    def summary(self) -> dict[str, dict[str, float]]:
        """Precision, recall and F1 per measure."""
        return {
            name: {
                "precision": round(m.precision, 4),
                "recall": round(m.recall, 4),
                "f1": round(m.f1, 4),
                "tp": m.tp,
                "fp": m.fp,
                "fn": m.fn,
            }
            for name, m in self.measures.items()
        }


def _code(actor: Mapping[str, Any]) -> str:
    return str(actor.get("iso_code") or actor.get("label") or "")


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def match_deals(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) with Jaccard >= 0.5, best first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            score = _jaccard(set(g["parties"]), {_code(a) for a in p["parties"]})
            if score >= MATCH_THRESHOLD:
                candidates.append((score, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _same_critic(
    gold: str,
    predicted: Mapping[str, Any],
    gold_names: Iterable[str] = (),
    predicted_names: Iterable[str] = (),
) -> bool:
    """Whether a predicted critic is the gold one: a code; a label that holds the other or is
    held by it ("Labour", "Labour Party"); or a form the article uses for both ("UNHCR" for
    the refugee agency's full name)."""
    if predicted.get("iso_code") and predicted["iso_code"] == gold:
        return True
    a, b = gold.casefold(), str(predicted.get("label") or "").casefold()
    if b and (a == b or f" {b} " in f" {a} " or f" {a} " in f" {b} "):
        return True
    wanted = {a, *(n.casefold() for n in gold_names)}
    return bool(wanted & {b, *(n.casefold() for n in predicted_names)} - {""})


def _names(entity: Mapping[str, Any]) -> set[str]:
    names = {entity.get("label", ""), *entity.get("aliases", []), *entity.get("mentions", [])}
    return {n.casefold().strip() for n in names if n}


def score_article(
    gold: Mapping[str, Any],
    deals: Sequence[Mapping[str, Any]],
    entities: Iterable[Mapping[str, Any]],
) -> Scores:
    """Score one article's predicted deals and entities (the CLI's JSON) against its gold."""
    scores = Scores()
    m = scores.measures
    gold_deals = list(gold.get("deals", []))
    pairs = match_deals(gold_deals, deals)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}

    def show(parties: Iterable[str]) -> str:
        return "+".join(sorted(parties))

    m["deal"].tp = len(pairs)
    m["deal"].fn = len(gold_deals) - len(pairs)
    m["deal"].fp = len(deals) - len(pairs)
    m["deal"].misses = [show(g["parties"]) for i, g in enumerate(gold_deals) if i not in matched_g]
    m["deal"].extras = [
        show(_code(a) for a in p["parties"]) for i, p in enumerate(deals) if i not in matched_p
    ]

    gold_pay = {
        (a, b) for g in gold_deals for a in g.get("payers", []) for b in g.get("payees", [])
    }
    pred_pay = {
        (_code(a), _code(b))
        for p in deals
        for a in p.get("payers", [])
        for b in p.get("payees", [])
    }
    m["payment"].tp = len(gold_pay & pred_pay)
    m["payment"].fn = len(gold_pay - pred_pay)
    m["payment"].fp = len(pred_pay - gold_pay)
    m["payment"].misses = sorted(f"{a}->{b}" for a, b in gold_pay - pred_pay)
    m["payment"].extras = sorted(f"{a}->{b}" for a, b in pred_pay - gold_pay)

    for gi, pi in pairs:
        want = STATUS_CLASS[gold_deals[gi]["status"]]
        got = STATUS_CLASS.get(deals[pi]["status"], deals[pi]["status"])
        if want == got:
            m["status"].tp += 1
        else:
            m["status"].fn += 1
            m["status"].fp += 1
            m["status"].misses.append(f"{show(gold_deals[gi]['parties'])}: {want}, got {got}")

    # critics of matched deals: a gold critic (a code or a label) is found when a predicted
    # critic has that code, or a name that holds it or is held by it ("Labour", "Labour Party")
    entities = list(entities)
    gold_aliases = {
        e["label"]: list(e.get("aliases", [])) for e in gold.get("entities", []) if "label" in e
    }
    predicted_aliases = {e.get("iri"): sorted(_names(e)) for e in entities}
    for gi, pi in pairs:
        critics_wanted = list(gold_deals[gi].get("criticised_by", []))
        critics_found = list(deals[pi].get("criticised_by", []))
        used: set[int] = set()
        for critic in critics_wanted:
            hit = next(
                (
                    i
                    for i, c in enumerate(critics_found)
                    if i not in used
                    and _same_critic(
                        critic,
                        c,
                        gold_aliases.get(critic, ()),
                        predicted_aliases.get(c.get("iri"), ()),
                    )
                ),
                None,
            )
            if hit is None:
                m["critic"].fn += 1
                m["critic"].misses.append(f"{show(gold_deals[gi]['parties'])}: {critic}")
            else:
                used.add(hit)
                m["critic"].tp += 1
        for i, c in enumerate(critics_found):
            if i not in used:
                m["critic"].fp += 1
                m["critic"].extras.append(f"{show(gold_deals[gi]['parties'])}: {_code(c)}")

    gold_places = {e["code"] for e in gold.get("entities", []) if e.get("code")}
    pred_places = {
        e["iso_code"] for e in entities if e.get("type") in PLACE_TYPES and e.get("iso_code")
    }
    m["place"].tp = len(gold_places & pred_places)
    m["place"].fn = len(gold_places - pred_places)
    m["place"].fp = len(pred_places - gold_places)
    m["place"].misses = sorted(gold_places - pred_places)
    m["place"].extras = sorted(pred_places - gold_places)

    # a byline's author is metadata of the article, not a person in its story: neither
    # expected nor counted against an extraction that names them (the bio of an op-ed's author)
    byline = {n.casefold().strip() for n in re.split(r"\s+and\s+", gold.get("author") or "") if n}
    gold_people = [
        e for e in gold.get("entities", []) if e.get("type") == "Person" and not _names(e) & byline
    ]
    pred_people = [e for e in entities if e.get("type") == "Person" and not _names(e) & byline]
    taken: set[int] = set()
    for person in pred_people:
        names = _names(person)
        hit = next(
            (i for i, g in enumerate(gold_people) if i not in taken and names & _names(g)), None
        )
        if hit is None:
            m["person"].fp += 1
            m["person"].extras.append(person.get("label", "?"))
        else:
            taken.add(hit)
            m["person"].tp += 1
    m["person"].fn = len(gold_people) - len(taken)
    m["person"].misses = [g["label"] for i, g in enumerate(gold_people) if i not in taken]
    return scores


@dataclass
class ArticleResult:
    """One annotated article's scores."""

    file: str
    scores: Scores


def evaluate_folder(folder: Any, model: str | None = None) -> tuple[Scores, list[ArticleResult]]:
    """Ingest every annotated article of a folder into its own fresh store and score it."""
    import json
    from pathlib import Path

    from graph.core import PolicyGraph
    from graph.errors import InputError

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of annotated articles")
    golds = sorted(folder.glob("*.gold.json"))
    if not golds:
        raise InputError(f"{folder}: no *.gold.json files")
    total = Scores()
    results = []
    read: dict[str, tuple[Any, dict[str, Any]]] = {}
    for path in golds:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from None
        text_path = folder / gold.get("file", path.name.replace(".gold.json", ".txt"))
        with PolicyGraph.open(None, "write", model) as pg:  # the pipeline is loaded once
            prepared = pg.prepare_files(
                [text_path], date=gold.get("date"), outlet=gold.get("outlet")
            )
            pg.write(prepared)
            scores = score_article(gold, pg.deals(), pg.entities())
        read[text_path.name] = (prepared[0], gold)
        total.add(scores, prefix=f"{text_path.name}: ")
        results.append(ArticleResult(text_path.name, scores))
    total.measures["tracking"] = score_tracking(read, model)
    return total, results


def score_tracking(read: Mapping[str, tuple[Any, Mapping[str, Any]]], model: str | None) -> Measure:
    """Cross-article tracking: for every ``same_deal_as`` link between two annotated articles,
    both are written, in date order, into one store; the link holds if one deal matches both
    party sets, cites both articles and has the later article's status class."""
    from graph.core import PolicyGraph

    measure = Measure()
    seen: set[frozenset[tuple[str, tuple[str, ...]]]] = set()
    for name, (_, gold) in sorted(read.items()):
        for link in gold.get("same_deal_as", []):
            other = link.get("other_file")
            if other not in read:
                continue
            pair = frozenset(
                {(name, tuple(sorted(link["this"]))), (other, tuple(sorted(link["other"])))}
            )
            if pair in seen:
                continue
            seen.add(pair)
            ends = sorted(pair, key=lambda end: (read[end[0]][1].get("date") or "", end[0]))
            label = " & ".join(f"{file}:{'+'.join(parties)}" for file, parties in ends)
            with PolicyGraph.open(None, "write", model) as pg:
                pg.write([read[file][0] for file, _ in ends])
                held = _tracked(pg.deals(), ends, read)
            if held:
                measure.tp += 1
            else:
                measure.fn += 1
                measure.misses.append(label)
    return measure


def _tracked(
    deals: Sequence[Mapping[str, Any]],
    ends: Sequence[tuple[str, tuple[str, ...]]],
    read: Mapping[str, tuple[Any, Mapping[str, Any]]],
) -> bool:
    def matching(parties: tuple[str, ...]) -> set[str]:
        return {
            d["iri"]
            for d in deals
            if _jaccard(set(parties), {_code(a) for a in d["parties"]}) >= MATCH_THRESHOLD
        }

    found = matching(ends[0][1]) & matching(ends[1][1])
    if len(found) != 1:
        return False
    deal = next(d for d in deals if d["iri"] in found)
    articles = {str(read[file][0].graph.identifier) for file, _ in ends}
    if not articles <= {s["article"] for s in deal["sources"]}:
        return False
    later_file, later_parties = ends[1]
    later = [
        g
        for g in read[later_file][1].get("deals", [])
        if sorted(g["parties"]) == list(later_parties)
    ]
    return not later or STATUS_CLASS[later[0]["status"]] == STATUS_CLASS.get(deal["status"])
