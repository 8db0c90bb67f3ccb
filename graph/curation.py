"""The analyst's corrections, kept as data, and the view of the graph with them applied.

Extraction writes one named graph per article, and those graphs stay exactly as extraction
produced them. A correction is a node of its own in the named graph ``id:curation``
(``pg:Correction``, a PROV-O activity: who made it, when, why, what it replaced). What users
read through ``PolicyGraph`` is extraction with the corrections applied: an ``Overlay``,
built from the corrections in the order they were made, maps the rows the stored queries
return (actor and deal IRIs, roles, status claims, amounts) before the records are
assembled. That is the design choice of this module: queries that apply the overlay, not a
materialised copy. It costs one small query of ``id:curation`` and a dictionary look-up per
row, and nothing at all when there are no corrections; a re-ingest or a re-extraction
rewrites only the article graphs, so every correction survives them, and one whose target
no longer exists is reported (``Overlay.orphans``), never dropped in silence.

The register of actors works the same way: people whose names match after normalisation
(case, diacritics, titles) are one node whatever the extractor typed them, and collective
actors ("Human rights groups", "rights groups") fold by a normal form. A merge that is only
probable (the same surname, a near spelling) is *proposed*; accepting one is a
``merge-actors`` correction and rejecting it a ``keep-apart`` one.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, XSD, Graph, Literal, URIRef

from graph.errors import InputError
from graph.model import ACTOR_TYPES, PURPOSES, STATUSES
from graph.vocab import (
    ACTOR_CLASS,
    CLASS_ACTOR_TYPE,
    CURATION,
    PG,
    PREFIXES,
    agent_iri,
    correction_iri,
    digest,
    prefixed,
    purpose_iri,
    status_iri,
    wikidata_iri,
)

DATA = Path(__file__).parent / "data"
PATTERNS = Path(__file__).parent / "extract" / "patterns"

# every kind of correction, with what it acts on and what it takes
ACTOR_KINDS = (
    "merge-actors",  # target into `into`: all its mentions, deals and statements follow
    "split-actor",  # the target's appearances in `articles` become a new actor (label, type)
    "retype",  # values: the new type
    "rename",  # values: the new label
    "set-iso",  # values: the ISO code, or none to clear it
    "set-wikidata",  # values: the QID, or none to clear it
    "delete-actor",  # a spurious actor: gone from every record, deal and link
    "keep-apart",  # a proposed merge of target and `into` was rejected
)
DEAL_KINDS = (
    "set-parties",  # values: actor IRIs
    "set-payers",
    "set-payees",
    "set-critics",
    "set-status",  # values: the status; date: as of when
    "set-amount",  # values: the amount as written (none clears it)
    "set-purposes",  # values: purpose names
    "split-deal",  # the target's reports in `articles` become a new deal
    "merge-deals",  # target into `into`
    "delete-deal",
    "add-deal",  # a deal the extractor missed: values are its parties; see `roles`
)
KINDS = ACTOR_KINDS + DEAL_KINDS
ROLE_KINDS = {"set-parties": "party", "set-payers": "payer", "set-payees": "payee"}
ROLE_KINDS["set-critics"] = "critic"
MERGES = ("merge-actors", "merge-deals", "keep-apart")
CURATED = str(CURATION)  # the pseudo-article of what an analyst, not an article, says


@dataclass(frozen=True)
class Correction:
    """One correction, as stored in ``id:curation``."""

    number: int
    kind: str
    target: str
    agent: str
    time: str  # when it was made, ISO 8601 in UTC
    into: str | None = None
    values: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    date: str | None = None  # a status's date
    note: str | None = None
    previous: tuple[str, ...] = ()  # what it replaced, as it read before
    # add-deal: the payers and payees among `values`, and the evidence sentence
    payers: tuple[str, ...] = ()
    payees: tuple[str, ...] = ()
    evidence: tuple[int, int, str] | None = None
    status: str | None = None  # add-deal: the status the sentence gives it
    new_type: str | None = None  # split-actor: the new actor's type
    label: str | None = None  # the correction in words, as it read when it was made
    undone: str | None = None  # when it was undone
    undone_by: str | None = None

    @property
    def iri(self) -> str:
        return str(correction_iri(self.number))

    @property
    def active(self) -> bool:
        return self.undone is None

    def record(self) -> dict[str, Any]:
        """The correction as a plain record (the ``corrections`` JSON)."""
        return {
            "id": self.number,
            "iri": self.iri,
            "kind": self.kind,
            "target": self.target,
            "into": self.into,
            "values": list(self.values),
            "articles": list(self.articles),
            "date": self.date,
            "note": self.note,
            "previous": list(self.previous),
            "agent": self.agent,
            "time": self.time,
            "undone": self.undone,
            "undone_by": self.undone_by,
            "label": self.label,
        }


def now() -> str:
    """The current time as stored on a correction or change (UTC, to the microsecond, so
    the writes of one second keep their order)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def describe(correction: Correction, names: Mapping[str, str]) -> str:
    """The correction in one line, actors and deals by their labels in ``names`` (IRIs where
    a name is unknown): ``rename United Kingdom → Britain``."""

    def name(iri: str | None) -> str:
        if not iri:
            return ""
        return names.get(iri) or prefixed(iri) or iri

    parts = [correction.kind, name(correction.target)]
    if correction.into:
        parts += ["into", name(correction.into)]
    if correction.values:
        parts += ["→", ", ".join(name(v) if _is_iri(v) else v for v in correction.values)]
    elif correction.kind.startswith("set-"):
        parts += ["→ (none)"]
    if correction.date:
        parts += ["as of", correction.date]
    return " ".join(p for p in parts if p)


def split_iri(target: str, number: int) -> str:
    """The IRI of what a split makes of ``target`` (an actor keeps its kind of IRI)."""
    if "/actor/" in target:
        return target.rsplit("/", 1)[0] + f"/split-{number}-{digest(target)[:6]}"
    return f"{PREFIXES['id']}deal/{digest(target, f'split-{number}')}"


def added_deal_iri(number: int, parties: Iterable[str]) -> str:
    """The IRI of a deal an analyst added."""
    return f"{PREFIXES['id']}deal/{digest(*sorted(parties), f'curated-{number}')}"


# --- RDF ---------------------------------------------------------------------------------


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:"))


def _term(value: str) -> URIRef | Literal:
    return URIRef(value) if _is_iri(value) else Literal(value)


def to_triples(correction: Correction) -> Graph:
    """The correction's triples (and its agents'), as a graph to add to ``id:curation``."""
    graph = Graph(identifier=CURATION)
    node = URIRef(correction.iri)
    graph.add((node, RDF.type, PG.Correction))
    graph.add((node, RDF.type, PROV.Activity))
    graph.add((node, PG.correctionKind, Literal(correction.kind)))
    graph.add((node, PG.sequence, Literal(correction.number, datatype=XSD.integer)))
    graph.add((node, PG.target, URIRef(correction.target)))
    graph.add((node, PROV.endedAtTime, Literal(correction.time, datatype=XSD.dateTime)))
    graph.add((node, PROV.wasAssociatedWith, _agent(graph, correction.agent)))
    if correction.into:
        graph.add((node, PG.into, URIRef(correction.into)))
    for value in correction.values:
        graph.add((node, PG.newValue, _term(value)))
    for value in correction.previous:
        graph.add((node, PG.previousValue, _term(value)))
    for article in correction.articles:
        graph.add((node, PG.inArticle, URIRef(article)))
    for actor in correction.payers:
        graph.add((node, PG.newPayer, URIRef(actor)))
    for actor in correction.payees:
        graph.add((node, PG.newPayee, URIRef(actor)))
    if correction.status:
        graph.add((node, PG.newStatus, status_iri(correction.status)))
    if correction.new_type:
        graph.add((node, PG.newType, ACTOR_CLASS[correction.new_type]))
    if correction.date:
        graph.add((node, DCTERMS.date, Literal(correction.date, datatype=XSD.date)))
    if correction.note:
        graph.add((node, RDFS.comment, Literal(correction.note)))
    if correction.label:
        graph.add((node, RDFS.label, Literal(correction.label)))
    if correction.evidence:
        start, end, sentence = correction.evidence
        graph.add((node, PG.sentenceStart, Literal(start, datatype=XSD.integer)))
        graph.add((node, PG.sentenceEnd, Literal(end, datatype=XSD.integer)))
        graph.add((node, PG.sentence, Literal(sentence)))
    if correction.undone:
        graph.add((node, PROV.invalidatedAtTime, Literal(correction.undone, datatype=XSD.dateTime)))
        graph.add((node, PG.undoneBy, _agent(graph, correction.undone_by or correction.agent)))
    return graph


def _agent(graph: Graph, name: str) -> URIRef:
    node = agent_iri(name)
    graph.add((node, RDF.type, PROV.Agent))
    graph.add((node, RDFS.label, Literal(name)))
    return node


def from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Correction]:
    """The corrections of ``ontology/queries/corrections.rq``'s rows, oldest first."""
    found: dict[str, dict[str, list[Any]]] = {}
    agents: dict[str, dict[str, str]] = {}
    for row in rows:
        multi = found.setdefault(row["correction"], {})
        prop = row["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        multi.setdefault(prop, []).append(row["value"])
        if row.get("agentLabel") and prop in ("wasAssociatedWith", "undoneBy"):
            agents.setdefault(row["correction"], {})[prop] = row["agentLabel"]
    out = []
    for node, multi in found.items():
        try:
            out.append(_correction(multi, agents.get(node, {})))
        except (KeyError, ValueError, IndexError, TypeError):
            continue  # a hand-written node that is no correction of ours is not applied
    return sorted(out, key=lambda c: c.number)


def _correction(multi: dict[str, list[Any]], agents: dict[str, str]) -> Correction:
    def one(prop: str) -> Any:
        return min(str(v) for v in multi[prop]) if multi.get(prop) else None

    def many(prop: str) -> tuple[str, ...]:
        return tuple(sorted({str(v) for v in multi.get(prop, ())}))

    kind = one("correctionKind")
    if kind not in KINDS or one("target") is None:
        raise ValueError(kind)
    start, end, sentence = one("sentenceStart"), one("sentenceEnd"), one("sentence")
    return Correction(
        number=int(one("sequence")),
        kind=kind,
        target=one("target"),
        agent=agents.get("wasAssociatedWith") or "",
        time=str(one("endedAtTime")),
        into=one("into"),
        values=many("newValue"),
        articles=many("inArticle"),
        date=one("date"),
        note=one("comment"),
        previous=many("previousValue"),
        payers=many("newPayer"),
        payees=many("newPayee"),
        evidence=(int(start), int(end), sentence) if start is not None else None,
        status=one("newStatus").rsplit("/", 1)[-1] if one("newStatus") else None,
        label=one("label"),
        new_type=CLASS_ACTOR_TYPE.get(one("newType") or ""),
        undone=one("invalidatedAtTime"),
        undone_by=agents.get("undoneBy"),
    )


# --- checking a new correction -----------------------------------------------------------


def check_values(kind: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """``values`` as ``kind`` stores them; ``InputError`` naming the problem if they are not
    what it takes."""
    if kind == "retype":
        if len(values) != 1 or values[0] not in ACTOR_TYPES:
            raise InputError(f"retype: give one type of {', '.join(ACTOR_TYPES)}")
    elif kind == "rename":
        if len(values) != 1 or not values[0].strip():
            raise InputError("rename: give the new name")
        return (" ".join(values[0].split()),)
    elif kind == "set-iso":
        if len(values) > 1 or (
            values and not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", values[0])
        ):
            raise InputError("set-iso: give an ISO 3166 code (GB, IQ-KR) or nothing to clear it")
    elif kind == "set-wikidata":
        if len(values) > 1 or (values and not re.fullmatch(r"Q[1-9][0-9]*", values[0])):
            raise InputError("set-wikidata: give a Wikidata QID (Q145) or nothing to clear it")
    elif kind == "set-status":
        if len(values) != 1 or values[0] not in STATUSES:
            raise InputError(f"set-status: give one status of {', '.join(STATUSES)}")
    elif kind == "set-purposes":
        unknown = [v for v in values if v not in PURPOSES]
        if unknown:
            raise InputError(f"set-purposes: {unknown[0]!r} is not one of {', '.join(PURPOSES)}")
    elif kind == "set-amount":
        if len(values) > 1:
            raise InputError("set-amount: give one amount as written (or nothing to clear it)")
        return tuple(" ".join(v.split()) for v in values if v.strip())
    elif kind == "set-parties" and len(values) < 2:
        raise InputError("set-parties: a deal has at least two parties")
    return values


# --- the register of actors ---------------------------------------------------------------


@cache
def _register_words() -> tuple[frozenset[str], frozenset[str]]:
    """Titles a person's name is read without, and the words that do not change which group
    a collective actor is (``graph/data/register.json``)."""
    lexicon = json.loads((PATTERNS / "actor_types.json").read_text(encoding="utf-8"))
    register = json.loads((DATA / "register.json").read_text(encoding="utf-8"))
    titles = frozenset(lexicon["honorifics"]) | frozenset(register["titles"])
    return titles, frozenset(register["collective_modifiers"])


def fold(text: str) -> str:
    """Text without case and diacritics (Saïed and Saied fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(label: str, kind: str) -> str:
    """The normal form two actors of the same name share: for a person, the name without case,
    diacritics, titles or punctuation; for a collective actor (a lower-case plural such as
    "rights groups"), its words without the modifiers that do not change the group."""
    titles, modifiers = _register_words()
    words = re.findall(r"[\w'’-]+", fold(label))
    if kind == "Person":
        kept = [w for w in words if w.rstrip(".") not in titles]
        return " ".join(kept or words)
    written = label.split()
    if written and all(w[:1].islower() for w in written[1:]):  # "Human rights groups"
        kept = [w for w in words if w not in modifiers and w not in ("the", "a", "an")]
        words = kept or words
    return " ".join(words)


COLLAPSIBLE = ("Person", "Organisation")  # the extractor may type one person either way


@dataclass(frozen=True)
class Proposal:
    """A probable merge, for the analyst to accept or reject."""

    actor: str
    into: str
    reason: str

    def record(self, actors: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        def label(iri: str) -> str:
            return str(actors.get(iri, {}).get("label") or iri)

        return {
            "actor": self.actor,
            "actor_label": label(self.actor),
            "into": self.into,
            "into_label": label(self.into),
            "reason": self.reason,
        }


def register(
    actors: Mapping[str, Mapping[str, Any]], apart: set[frozenset[str]]
) -> tuple[dict[str, str], list[Proposal]]:
    """The certain folds (actor → the node it is one with) and the probable ones.

    People and organisations whose names have one normal form are one node, a person if any
    of them is one, else the most mentioned; a pair the analyst kept apart never folds."""
    groups: dict[tuple[str, str], list[str]] = {}
    for iri, actor in actors.items():
        kind = actor.get("type")
        if kind not in COLLAPSIBLE:
            continue
        person = kind == "Person" or _looks_like_person(actor)
        key = name_key(str(actor.get("label") or ""), "Person" if person else kind)
        if key:
            groups.setdefault(("P" if person else "O", key), []).append(iri)
    # an organisation named like a person is that person (the extractor's mistype)
    for side, key in list(groups):
        if side == "O" and ("P", key) in groups:
            groups[("P", key)] += groups.pop((side, key))

    def rank(iri: str) -> tuple[int, int, str]:
        actor = actors[iri]
        return (actor.get("type") != "Person", -len(actor.get("mentions") or ()), iri)

    folds: dict[str, str] = {}
    for members in groups.values():
        survivor = min(members, key=rank)
        for iri in members:
            if iri != survivor and frozenset((iri, survivor)) not in apart:
                folds[iri] = survivor
    people = sorted(
        (name_key(str(actors[i].get("label") or ""), "Person"), i)
        for i in actors
        if actors[i].get("type") == "Person" and i not in folds
    )
    # only names that share a surname or a first name are compared: linear in the people,
    # not quadratic, on a store of thousands
    buckets: dict[str, list[tuple[str, str]]] = {}
    for key, iri in people:
        words = key.split()
        for word in set(words[:1] + words[-1:]):
            buckets.setdefault(word, []).append((key, iri))
    proposals, seen = [], set()
    for alike in buckets.values():
        for index, (key, iri) in enumerate(alike):
            for other_key, other in alike[index + 1 :]:
                pair = frozenset((iri, other))
                if pair in seen or pair in apart:
                    continue
                seen.add(pair)
                reason = _probably_same(key, other_key)
                if reason:
                    kept, folded = sorted((iri, other), key=rank)
                    proposals.append(Proposal(folded, kept, reason))
    proposals.sort(key=lambda p: (p.into, p.actor))
    return folds, proposals


def _looks_like_person(actor: Mapping[str, Any]) -> bool:
    return bool(actor.get("role"))


def _probably_same(first: str, second: str) -> str | None:
    a, b = first.split(), second.split()
    if not a or not b or first == second:
        return None
    if a[-1] == b[-1] and (len(a) == 1 or len(b) == 1):
        return f"the same surname ({a[-1]})"
    if a[-1] == b[-1] and a[0][:1] == b[0][:1]:
        return f"the same surname and initial ({a[0][:1]}. {a[-1]})"
    if len(a) == len(b) and difflib.SequenceMatcher(None, first, second).ratio() >= 0.85:
        return "a near spelling"
    return None


# --- the overlay --------------------------------------------------------------------------


@dataclass
class Overlay:
    """The corrections (and the register's folds), ready to apply to the stored rows."""

    corrections: list[Correction] = field(default_factory=list)
    actor_into: dict[str, str] = field(default_factory=dict)
    actor_split: dict[tuple[str, str], str] = field(default_factory=dict)
    actor_facts: dict[str, dict[str, str | None]] = field(default_factory=dict)
    new_actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    actors_deleted: set[str] = field(default_factory=set)
    apart: set[frozenset[str]] = field(default_factory=set)
    deal_into: dict[str, str] = field(default_factory=dict)
    deal_split: dict[tuple[str, str], str] = field(default_factory=dict)
    deals_deleted: set[str] = field(default_factory=set)
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    statuses: dict[str, list[Correction]] = field(default_factory=dict)
    amounts: dict[str, str | None] = field(default_factory=dict)
    purposes: dict[str, list[str]] = field(default_factory=dict)
    added: dict[str, Correction] = field(default_factory=dict)
    proposals: list[Proposal] = field(default_factory=list)
    folds: dict[str, str] = field(default_factory=dict)
    _fact_log: list[tuple[str, str, str | None]] = field(default_factory=list)
    _deal_log: list[tuple[str, str, Correction]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.corrections and not self.folds

    @classmethod
    def build(
        cls, corrections: list[Correction], actors: Mapping[str, Mapping[str, Any]] | None = None
    ) -> Overlay:
        """The overlay of the active corrections, applied in the order they were made, over
        the register's folds of ``actors`` (the stored actor records)."""
        overlay = cls(corrections=corrections)
        active = [c for c in corrections if c.active]
        overlay.apart = {
            frozenset((c.target, c.into or "")) for c in active if c.kind == "keep-apart"
        }
        if actors:  # the register's certain folds, of the actors as extraction stored them
            overlay.folds, _ = register(actors, overlay.apart)
            overlay.actor_into.update(overlay.folds)
        for correction in active:
            overlay._apply(correction)
        overlay._settle()
        if actors:  # probable merges, of the actors as corrected: a renamed one by its name
            _, proposals = register(overlay.apply_actors(actors), overlay.apart)
            merged = set(overlay.actor_into) | overlay.actors_deleted
            overlay.proposals = [
                p for p in proposals if p.actor not in merged and p.into not in merged
            ]
        return overlay

    def _settle(self) -> None:
        """Key every fact, role, status, amount and purpose correction by the actor or deal
        it belongs to after all the merges, in the order the corrections were made: what was
        set on a deal later merged into another carries over to it, and a fact set on an
        actor later merged away gives way to the actor it was merged into."""
        facts: dict[str, dict[str, str | None]] = {}
        for target, name, value in self._fact_log:
            if self.actor(target) == target:
                facts.setdefault(target, {})[name] = value
        self.actor_facts = facts
        roles: dict[str, dict[str, list[str]]] = {}
        statuses: dict[str, list[Correction]] = {}
        amounts: dict[str, str | None] = {}
        purposes: dict[str, list[str]] = {}
        for kind, target, c in self._deal_log:
            deal = self.deal(target) or target
            if kind in ROLE_KINDS:
                roles.setdefault(deal, {})[ROLE_KINDS[kind]] = list(c.values)
            elif kind == "set-status":
                statuses.setdefault(deal, []).append(c)
            elif kind == "set-amount":
                amounts[deal] = c.values[0] if c.values else None
            else:
                purposes[deal] = list(c.values)
        self.roles, self.statuses, self.amounts, self.purposes = roles, statuses, amounts, purposes

    def _apply(self, c: Correction) -> None:
        if c.kind == "merge-actors" and c.into:
            survivor = self.actor(c.into) or c.into
            if survivor != self.actor(c.target):
                self.actor_into[self.actor(c.target) or c.target] = survivor
        elif c.kind == "split-actor":
            new = split_iri(c.target, c.number)
            for article in c.articles:
                self.actor_split[(c.target, article)] = new
            label = c.values[0] if c.values else ""
            self.new_actors[new] = {"label": label, "type": c.new_type, "from": c.target}
        elif c.kind in ("retype", "rename", "set-iso", "set-wikidata"):
            name = {"retype": "type", "rename": "label", "set-iso": "iso_code"}.get(
                c.kind, "wikidata"
            )
            self._fact_log.append(
                (self.actor(c.target) or c.target, name, c.values[0] if c.values else None)
            )
        elif c.kind == "delete-actor":
            self.actors_deleted.add(self.actor(c.target) or c.target)
        elif c.kind == "merge-deals" and c.into:
            survivor = self.deal(c.into) or c.into
            if survivor != self.deal(c.target):
                self.deal_into[self.deal(c.target) or c.target] = survivor
        elif c.kind == "split-deal":
            new = split_iri(c.target, c.number)
            for article in c.articles:
                self.deal_split[(c.target, article)] = new
        elif c.kind == "delete-deal":
            self.deals_deleted.add(self.deal(c.target) or c.target)
        elif c.kind in (*ROLE_KINDS, "set-status", "set-amount", "set-purposes"):
            self._deal_log.append((c.kind, self.deal(c.target) or c.target, c))
        elif c.kind == "add-deal":
            self.added[c.target] = c

    # --- mapping IRIs ---

    def actor(self, iri: str, article: str | None = None) -> str | None:
        """The actor ``iri`` (as ``article`` names it) is, after the corrections; None if it
        was deleted."""
        seen = set()
        if article is not None and (iri, article) in self.actor_split:
            iri = self.actor_split[(iri, article)]
        while iri in self.actor_into and iri not in seen:
            seen.add(iri)
            iri = self.actor_into[iri]
            if article is not None and (iri, article) in self.actor_split:
                iri = self.actor_split[(iri, article)]
        return None if iri in self.actors_deleted else iri

    def deal(self, iri: str, article: str | None = None) -> str | None:
        """The deal ``iri`` (as ``article`` reports it) is, after the corrections."""
        seen = set()
        if article is not None and (iri, article) in self.deal_split:
            iri = self.deal_split[(iri, article)]
        while iri in self.deal_into and iri not in seen:
            seen.add(iri)
            iri = self.deal_into[iri]
            if article is not None and (iri, article) in self.deal_split:
                iri = self.deal_split[(iri, article)]
        return None if iri in self.deals_deleted else iri

    def deal_sources(self, deal: str) -> list[str]:
        """Every stored deal IRI whose rows may be ``deal``'s after the corrections (itself
        included): those merged into it, and those a split took reports from."""
        found = {deal} | {d for d in self.deal_into if self.deal(d) == deal}
        found |= {d for (d, _), new in self.deal_split.items() if self.deal(new) == deal}
        found |= {d for (d, _) in self.deal_split if self.deal(d) == deal}
        return sorted(found)

    def sources(self, actor: str) -> list[str]:
        """Every stored actor IRI that is ``actor`` after the corrections (itself included)."""
        found = {actor} | {a for a in self.actor_into if self.actor(a) == actor}
        found |= {a for (a, _), new in self.actor_split.items() if new == actor}
        return sorted(found)

    # --- applying to records and rows ---

    def apply_actors(self, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """The actor records after the corrections: merged actors are one record with every
        mention, corrected facts replace the stored ones, deleted actors are gone."""
        if self.empty:
            return {iri: dict(record) for iri, record in raw.items()}
        out: dict[str, dict[str, Any]] = {}
        for iri in sorted(raw, key=lambda i: (self.actor(i) != i, i)):
            target = self.actor(iri)
            if target is None:
                continue
            record = raw[iri]
            if target not in out:
                base = raw.get(target, record)
                out[target] = {**base, "iri": target, "mentions": list(base["mentions"])}
            merged = out[target]
            for key in ("iso_code", "wikidata", "part_of", "role"):
                merged[key] = merged.get(key) or record.get(key)
            merged["mentions"] = sorted(set(merged["mentions"]) | set(record["mentions"]))
        for new, facts in self.new_actors.items():
            if self.actor(new) == new and new not in out:
                base = raw.get(facts["from"], {})
                out[new] = {
                    "iri": new,
                    "label": facts["label"] or base.get("label") or new,
                    "type": facts["type"] or base.get("type") or "Organisation",
                    "iso_code": None,
                    "wikidata": None,
                    "part_of": None,
                    "role": None,
                    "mentions": [facts["label"]] if facts["label"] else [],
                }
        for iri, facts in self.actor_facts.items():
            target = self.actor(iri)
            if target in out:
                out[target] = {**out[target], **facts}
        for iri in out:
            part = out[iri].get("part_of")
            if part:
                out[iri]["part_of"] = self.actor(part)
        return out

    def apply_roles(
        self, roles: list[dict[str, Any]], claims: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Role rows with actors and deals mapped and each corrected role set in place of
        the extracted one, in every article that reports the deal."""
        out = []
        for row in roles:
            deal = self.deal(row["deal"], row["article"])
            actor = self.actor(row["actor"], row["article"])
            if deal is None or actor is None:
                continue
            if row["role"] in self.roles.get(deal, {}):
                continue
            out.append({**row, "deal": deal, "actor": actor})
        reported: dict[str, set[str]] = {}
        for claim in claims:
            reported.setdefault(claim["deal"], set()).add(claim["article"])
        for deal, sets in self.roles.items():
            for article in sorted(reported.get(deal, ())):
                for role, actors in sets.items():
                    for actor in actors:
                        mapped = self.actor(actor)
                        if mapped:
                            out.append(
                                {"deal": deal, "role": role, "actor": mapped, "article": article}
                            )
        # a deal whose status an analyst set is reported by the analyst too, with its roles
        members: dict[str, set[tuple[str, str]]] = {}
        for row in out:
            if row["deal"] in self.statuses:
                members.setdefault(row["deal"], set()).add((row["role"], row["actor"]))
        for deal in self.statuses:
            if deal in reported:
                out += [
                    {"deal": deal, "role": role, "actor": actor, "article": CURATED}
                    for role, actor in sorted(members.get(deal, ()))
                ]
        return _distinct(out)

    def apply_claims(self, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Status-claim rows with deals mapped, plus one claim per status an analyst set."""
        out = []
        labels: dict[str, str] = {}
        for row in claims:
            deal = self.deal(row["deal"], row["article"])
            if deal is None:
                continue
            label = row["label"]
            if deal != row["deal"] and deal in self.deal_split.values():
                label = f"{label} (split)"
            labels.setdefault(deal, label)
            out.append({**row, "deal": deal, "label": label})
        for deal, corrections in self.statuses.items():
            if deal not in labels:
                continue
            for c in corrections:
                out.append(
                    {
                        "deal": deal,
                        "label": labels[deal],
                        "status": c.values[0],
                        "date": c.date,
                        "article": CURATED,
                        "sentence": c.note or f"status set by {c.agent} (correction {c.number})",
                        "start": None,
                    }
                )
        return out

    def apply_details(self, details: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Purpose and amount rows with deals mapped; a corrected amount or purpose set
        replaces the extracted ones."""
        out = []
        for row in details:
            deal = self.deal(row["deal"], row["article"])
            if deal is None:
                continue
            if row.get("purpose") and deal in self.purposes:
                continue
            if row.get("amount") and deal in self.amounts:
                continue
            out.append({**row, "deal": deal})
        empty = {"purpose": None, "amount": None, "value": None, "currency": None}
        for deal, names in self.purposes.items():
            out += [{**empty, "deal": deal, "purpose": p, "article": CURATED} for p in names]
        for deal, amount in self.amounts.items():
            if amount:
                from graph.extract.amounts import parse_amount

                parsed = parse_amount(amount)
                out.append(
                    {
                        **empty,
                        "deal": deal,
                        "amount": amount,
                        "value": parsed.value,
                        "currency": parsed.currency,
                        "per": parsed.per,
                        "article": CURATED,
                    }
                )
        return out

    def apply_evidence(self, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for row in evidence:
            deal = self.deal(row["deal"], row["article"])
            if deal is not None:
                out.append({**row, "deal": deal})
        return out

    def apply_statements(self, rows: list[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
        """Statement or "said" rows with the actors in ``columns`` mapped; a row naming a
        deleted actor is gone."""
        out = []
        for row in rows:
            mapped = {c: self.actor(row[c], row.get("article")) for c in columns}
            if None not in mapped.values():
                out.append({**row, **mapped})
        return out

    def added_rows(
        self,
        articles: Mapping[str, Mapping[str, Any]],
        actors: Mapping[str, Mapping[str, Any]],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The claim, role and evidence rows of the deals analysts added (one whose article
        is no longer in the store is left out, and reported by ``orphans``)."""
        claims, roles, evidence = [], [], []
        for deal, c in self.added.items():
            article = articles.get(c.articles[0]) if c.articles else None
            if article is None:
                continue
            iri = article["article"]
            parties = [a for a in (self.actor(p) for p in c.values) if a]
            payers = [a for a in (self.actor(p) for p in c.payers) if a]
            label = " – ".join(
                str(actors.get(a, {}).get("label") or a) for a in dict.fromkeys(payers + parties)
            )
            start, end, sentence = c.evidence or (None, None, c.note or "")
            claims.append(
                {
                    "deal": deal,
                    "label": label,
                    "status": c.status or "proposed",
                    "date": article.get("date"),
                    "article": iri,
                    "sentence": sentence,
                    "start": start,
                }
            )
            for role, members in (("party", parties), ("payer", payers)):
                roles += [{"deal": deal, "role": role, "actor": a, "article": iri} for a in members]
            roles += [
                {"deal": deal, "role": "payee", "actor": a, "article": iri}
                for a in (self.actor(p) for p in c.payees)
                if a
            ]
            evidence.append(
                {
                    "deal": deal,
                    "article": iri,
                    "date": article.get("date"),
                    "headline": article.get("headline"),
                    "outlet": article.get("outlet"),
                    "url": article.get("url"),
                    "sentence": sentence,
                    "start": start,
                    "end": end,
                }
            )
        return claims, roles, evidence

    def apply_quads(
        self,
        quads: list[tuple[Any, Any, Any, URIRef]],
        actors: Mapping[str, Mapping[str, Any]],
        *own_graphs: URIRef,
    ) -> list[tuple[Any, Any, Any, URIRef]]:
        """The stored quads with the corrections applied, for an export: in each article
        graph, actor and deal IRIs are mapped (a triple naming a deleted one is gone), and
        an actor's corrected facts and a deal's corrected roles, amount and purposes replace
        the extracted ones. The graphs in ``own_graphs`` (curation, change log) stay as
        they are; status corrections and added deals are in the curation graph."""
        # every actor whose record the corrections or the register changed is written as the
        # records read: one label, type and code, not each merged actor's
        facts = {self.actor(a) for a in (*self.actor_facts, *self.actor_into, *self.new_actors)}
        facts.discard(None)
        role_props = {PG.party: "party", PG.payer: "payer", PG.payee: "payee"}
        role_props[PG.criticisedBy] = "critic"
        amount_props = {PG.amount, PG.amountValue, PG.currency, PG.amountPer}
        amount_props.add(PG.amountEquivalent)
        fact_props = {RDFS.label, RDF.type, PG.isoCode, OWL.sameAs}
        out: list[tuple[Any, Any, Any, URIRef]] = []
        touched: dict[URIRef, set[tuple[str, str]]] = {}

        def mapped(term: Any, graph: str) -> Any:
            if not isinstance(term, URIRef):
                return term
            if "/id/actor/" in term:
                found = self.actor(str(term), graph)
            elif "/id/deal/" in term:
                found = self.deal(str(term), graph)
            else:
                return term
            return URIRef(found) if found else None

        for s, p, o, g in quads:
            if g in own_graphs:
                out.append((s, p, o, g))
                continue
            s2, o2 = mapped(s, str(g)), mapped(o, str(g))
            if s2 is None or o2 is None:
                continue
            if str(s2) in facts and p in fact_props:
                touched.setdefault(g, set()).add(("actor", str(s2)))
                continue
            deal = str(s2)
            if p in role_props and role_props[p] in self.roles.get(deal, {}):
                touched.setdefault(g, set()).add(("roles", deal))
                continue
            if (p in amount_props and deal in self.amounts) or (
                p == PG.purpose and deal in self.purposes
            ):
                touched.setdefault(g, set()).add(("details", deal))
                continue
            out.append((s2, p, o2, g))
        for g, what in touched.items():
            for part, iri in sorted(what):
                node = URIRef(iri)
                if part == "actor":
                    record = actors.get(iri, {})
                    out.append((node, RDFS.label, Literal(record.get("label") or iri), g))
                    kind = record.get("type")
                    if kind in ACTOR_CLASS:
                        out.append((node, RDF.type, ACTOR_CLASS[kind], g))
                    if record.get("iso_code"):
                        out.append((node, PG.isoCode, Literal(record["iso_code"]), g))
                    if record.get("wikidata"):
                        qid = str(record["wikidata"]).rsplit("/", 1)[-1]
                        out.append((node, OWL.sameAs, wikidata_iri(qid), g))
                elif part == "roles":
                    for role, members in self.roles[iri].items():
                        prop = next(p for p, r in role_props.items() if r == role)
                        out += [(node, prop, URIRef(m), g) for m in members if self.actor(m)]
                else:
                    amount = self.amounts.get(iri)
                    if amount:
                        out.append((node, PG.amount, Literal(amount), g))
                    for purpose in self.purposes.get(iri, []):
                        out.append((node, PG.purpose, purpose_iri(purpose), g))
        return out

    def orphans(
        self, actors: Iterable[str], deals: Iterable[str], articles: Iterable[str]
    ) -> list[tuple[Correction, str]]:
        """Active corrections whose target (or merge partner, or article) no longer exists in
        the stored graph, each with the IRI that is missing."""
        known = set(actors) | set(deals) | set(articles) | set(self.new_actors)
        known |= set(self.deal_split.values()) | set(self.added)
        out = []
        for c in self.corrections:
            if not c.active:
                continue
            wanted = [c.target, *([c.into] if c.into else []), *c.articles]
            if c.kind in ROLE_KINDS or c.kind == "add-deal":
                wanted += list(c.values)
            if c.kind == "add-deal":
                wanted.remove(c.target)
            missing = next((w for w in wanted if w not in known), None)
            if missing:
                out.append((c, missing))
        return out


def _distinct(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for row in rows:
        key = tuple(sorted((k, str(v)) for k, v in row.items()))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def undone(correction: Correction, agent: str) -> Correction:
    """The correction marked undone by ``agent`` now."""
    return replace(correction, undone=now(), undone_by=agent)
