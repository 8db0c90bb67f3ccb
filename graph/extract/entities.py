"""Entity resolution: every mention of an article resolved to one actor per real-world entity.

Places resolve through the gazetteer (names, demonyms, capitals and seats of government,
ISO 3166-2 subdivisions). People are clustered within the article: "Mr X" joins the full
name with surname X, a misspelling joins the name it is within a small edit distance of,
and role references ("the Chancellor") join the person who holds the role.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from spacy.tokens import Doc, Token

from graph.extract.components import LOCATIVE_PREPS, NAME_PARTICLES, CharSpan, facts_of, lexicon
from graph.gazetteer import DATA_DIR, Gazetteer, Place, fold
from graph.model import Actor, ActorType, Article, Evidence
from graph.vocab import slug

PLACE_LABELS = {"GPE", "LOC", "NORP", "ORG", "FAC"}
TITLES = re.compile(
    r"^(?:(?:the\s+)?(?:rt\.?|right)\s+(?:hon\.?|honourable|honorable)\s+|"
    r"(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|prof|professor|president|premier|"
    r"chancellor|minister|secretary|king|queen|prince|princess|pope|senator|judge|governor|"
    r"colonel|captain|admiral|ambassador|mayor|councillor)\.?\s+|"
    # (abbreviations only with their full stop: "Gen. X", not "Gen Z")
    r"(?:sen|rep|gov|gen|col|capt|adm|amb|cllr)\.\s+)+(?=[A-Z])",
    re.IGNORECASE,
)
# letters after a name: a seat or an honour, not part of it ("X MP", "Y KC", "Z OBE")
POST_NOMINALS = re.compile(r"(?:,?\s+(?:MP|MEP|MSP|KC|QC|OBE|CBE|MBE|KBE|DBE))+$")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
FUZZY_NAME = 85


@dataclass
class Mention:
    """One surface form in the article, resolved (or not yet) to an actor key."""

    text: str
    start: int
    end: int
    sentence: int
    label: str
    key: str | None = None
    # a place named as a location, not as an actor: "dateline" in a wire dateline ("LONDON
    # (Reuters) -"), "locative" as the object of a preposition of place ("talks in New York",
    # "a centre in Albania"); it is still a place of the article, and a locative one can be
    # what a later "the government" stands for ("In Britain, the government …")
    literal: str = ""


@dataclass
class Resolution:
    """The actors of an article and every mention pointing at them."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    nationality: dict[str, str] = field(default_factory=dict)  # person key -> country key
    # indexes over ``mentions``, brought up to date on use, so a long article costs time in
    # proportion to its length: the list they were built from and how much of it they hold
    _indexed: list[Mention] | None = field(default=None, repr=False)
    _count: int = field(default=0, repr=False)
    _by_sentence: dict[int, list[Mention]] = field(default_factory=dict, repr=False)
    _by_start: list[Mention] | None = field(default=None, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _longest: int = field(default=0, repr=False)
    _position: dict[int, int] = field(default_factory=dict, repr=False)

    def _index(self) -> None:
        """Index the mentions recorded since the last use (all of them, if the list was
        replaced)."""
        if self._indexed is not self.mentions:
            self._indexed, self._count, self._by_sentence = self.mentions, 0, {}
            self._longest, self._position = 0, {}
        if self._count == len(self.mentions):
            return
        for position in range(self._count, len(self.mentions)):
            m = self.mentions[position]
            self._by_sentence.setdefault(m.sentence, []).append(m)
            self._longest = max(self._longest, m.end - m.start)
            self._position[id(m)] = position
        self._count = len(self.mentions)
        self._by_start = None

    def in_sentence(self, index: int) -> list[Mention]:
        """The mentions in one sentence, in the order they were recorded."""
        self._index()
        return self._by_sentence.get(index, [])

    def _ordered(self) -> list[Mention]:
        """The mentions by start offset (ties in the order they were recorded)."""
        self._index()
        if self._by_start is None:
            self._by_start = sorted(self.mentions, key=lambda m: (m.start, -self._position[id(m)]))
            self._starts = [m.start for m in self._by_start]
        return self._by_start

    def before(self, offset: int) -> list[Mention]:
        """The mentions starting before ``offset``, the latest first (ties in the order they
        were recorded)."""
        ordered = self._ordered()
        return ordered[: bisect_left(self._starts, offset)][::-1]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that overlap the text span ``start``–``end``, in recorded order."""
        ordered = self._ordered()
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, end)
        found = [m for m in ordered[low:high] if m.start < end and start < m.end]
        return sorted(found, key=lambda m: self._position[id(m)])

    def add(self, actor: Actor) -> Actor:
        """Add an actor, or return the one already under its key."""
        return self.actors.setdefault(actor.key, actor)

    def mention(self, mention: Mention, article: Article) -> None:
        """Record a resolved mention and its evidence on the actor."""
        self.mentions.append(mention)
        if mention.key is None:
            return
        actor = self.actors[mention.key]
        if mention.text not in actor.mentions:
            actor.mentions.append(mention.text)
        if not actor.evidence and mention.sentence >= 0:
            sentence = article.sentences[mention.sentence]
            actor.evidence.append(Evidence(sentence.text, sentence.start, sentence.end))

    def at(self, sentence: int, span: CharSpan, offset: int) -> list[str]:
        """Keys of the actors mentioned as actors inside (or around) a sentence-relative span
        (a place named only as a location is left out)."""
        start, end = span[0] + offset, span[1] + offset
        keys = []
        for m in self.in_sentence(sentence):
            if m.key and not m.literal and m.start < end and start < m.end:
                keys.append(m.key)
        return list(dict.fromkeys(keys))

    def persons_before(self, offset: int) -> list[str]:
        """Person keys mentioned before a character offset, most recent first."""
        keys = [m.key for m in self.before(offset) if m.key and self.actors[m.key].type == "Person"]
        return list(dict.fromkeys(keys))


def clean_name(text: str) -> str:
    """A mention without a leading "the", a possessive, or surrounding punctuation."""
    text = POSSESSIVE.sub("", text.strip(" \t\"'“”‘’.,;:-–—()"))
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return text.strip()


def person_name(text: str) -> str:
    """A person mention without its titles ("Ms Novak" → "Novak", "the Rt Hon Ada Quill MP"
    → "Ada Quill")."""
    return POST_NOMINALS.sub("", TITLES.sub("", clean_name(text))).strip()


def place_actor(place: Place) -> Actor:
    """The actor a gazetteer place stands for (a country, region or supranational body)."""
    return Actor(
        key=place.key,
        label=place.label,
        type=place.type,  # type: ignore[arg-type]
        iso_code=place.code if place.type in {"Country", "Region", "Supranational"} else None,
        wikidata=place.wikidata,
        part_of=f"country/{place.parent}" if place.parent else None,
    )


@lru_cache(maxsize=1)
def organisation_names() -> dict[str, str]:
    """Every name of the international organisations in ``organisations.json`` (folded, lower
    case) -> the organisation's canonical label."""
    data = _organisations_data()
    return {
        fold(name).lower(): org["label"]
        for org in [*data["organisations"], *data["state_bodies"]]
        for name in [org["label"], *org["names"]]
    }


@lru_cache(maxsize=1)
def _organisations_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "organisations.json").read_text("utf-8"))
    return data


def state_bodies() -> dict[str, str]:
    """The canonical label of each national body in ``organisations.json`` whose name tells
    its state ("State Department", "Home Office") -> that state's ISO 3166-1 code."""
    return {body["label"]: body["state"] for body in _organisations_data()["state_bodies"]}


def organisation_type(name: str) -> ActorType:
    """The kind of a named organisation, from the words of its name."""
    words = set(re.findall(r"[\w'-]+", name.lower()))
    lower = name.lower()
    lex = lexicon()
    if words & set(lex["party_words"]) or lower in lex["parties"]:
        return "PoliticalParty"
    if words & set(lex["government_words"]) or any(p in lower for p in lex["government_phrases"]):
        return "Government"
    return "Organisation"


def person_kind(text: str) -> str | None:
    """What a mention the model called a person is: "Person" for a name; "Organisation" for
    an organisation's name ("Harbour Star Holdings", "Coastal Justice Network");
    None for what is no actor at all (a programme, a law, a deal: "Migrant Protection
    Protocols", "Jordan Compact", "Rwanda Act") or no name ("7.4bn")."""
    name = person_name(text)
    words = name.split()
    if not words or any(ch.isdigit() for ch in name):
        return None
    lex = lexicon()
    lower = {w.lower().strip(",.") for w in words}
    if lower & set(lex["programme_words"]):
        return None
    if lower & (set(lex["government_words"]) | set(lex["party_words"])):
        return None
    if name.lower() in lex["parties"]:
        return None
    if lower & set(lex["organisation_words"]):
        return "Organisation"
    if not all(w[:1].isupper() or _particle(w) for w in words):
        return None
    return "Person"


def _particle(word: str) -> bool:
    """A name particle, on its own or before a hyphen ("von", "al-Jabiri", "bin")."""
    return word.lower() in NAME_PARTICLES or word.split("-", 1)[0].lower() in NAME_PARTICLES


def _looks_like_a_name(text: str) -> bool:
    """Whether a PERSON mention can be a person's name."""
    return person_kind(text) == "Person"


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name) if w[0].isupper())


class Resolver:
    """Resolves one article's mentions to actors."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def resolve(self, article: Article, docs: list[Doc]) -> Resolution:
        """Resolve places, organisations, people and role references of an article."""
        res = Resolution()
        people: list[Mention] = []
        orgs: list[Mention] = []
        unresolved_places: list[tuple[Mention, list[str]]] = []
        dateline = article.dateline or (-1, -1)
        for sentence, doc in zip(article.sentences, docs, strict=True):
            facts = facts_of(doc)
            region_parent = {}
            for region_span, (start, end) in facts.part_of:
                region_parent[region_span] = doc.char_span(start, end, alignment_mode="expand")
            for ent in doc.ents:
                text = clean_name(ent.text)
                mention = Mention(
                    ent.text.strip(),
                    sentence.start + ent.start_char,
                    sentence.start + ent.end_char,
                    sentence.index,
                    ent.label_,
                    literal="dateline"
                    if dateline[0] <= sentence.start + ent.start_char < dateline[1]
                    else _locative(ent.root),
                )
                if not any(ch.isalnum() for ch in text):
                    continue  # no letter or digit, no name: a lone "\u202b" or "•" the model took
                label = ent.label_
                if mention.literal == "dateline" and label not in PLACE_LABELS - {"ORG"}:
                    continue  # "LONDON, March 3 (Wire) -": the agency is the story's source
                if label == "PERSON":
                    single = len(text.split()) == 1
                    if self.gazetteer.lookup(text) is not None or (
                        single and self.gazetteer.find_subdivision(text) is not None
                    ):
                        label = "GPE"  # the model's person is a place ("Kigali", "Kent")
                    elif (kind := person_kind(text)) == "Person" and _where(ent.root):
                        continue  # "the base on X Atoll": a place the model took for a person
                    elif kind == "Person":
                        if _heads_a_government(article.text, mention.end):
                            mention.label = "HEAD"  # "the Novak administration": its head
                        people.append(mention)
                        continue
                    elif kind == "Organisation":
                        label = "ORG"
                    else:
                        continue
                if label not in PLACE_LABELS:
                    continue
                place = self.gazetteer.lookup(text)
                if place is None and label == "NORP" and text.endswith("s"):
                    place = self.gazetteer.lookup(text[:-1])  # "Syrians" → "Syrian"
                if place is None and label in {"ORG", "FAC"} and _names_a_region(text):
                    label = "LOC"  # "the Canary Islands", which the model took for a body
                if (
                    place is None
                    and label in {"NORP", "ORG", "FAC"}
                    and _before_a_region_noun(article.text, mention.end)
                ):
                    # "the Tacna region": a subdivision's name the model took for a people or
                    # a body, if the article names its country; else what the model said
                    unresolved_places.append((mention, [text]))
                    continue
                if place is None and label in {"GPE", "LOC"}:
                    parent = next(
                        (
                            p
                            for span, p in region_parent.items()
                            if span[0] <= ent.start_char < span[1] and p is not None
                        ),
                        None,
                    )
                    hint = self.gazetteer.lookup(clean_name(parent.text)) if parent else None
                    if hint is not None and hint.code:
                        place = self.gazetteer.find_subdivision(text, [hint.code])
                    else:
                        unresolved_places.append((mention, [text]))
                        continue
                if place is not None:
                    self._add_place(place, res)
                    mention.key = place.key
                    res.mention(mention, article)
                elif label in {"ORG", "FAC"} or (label == "NORP" and text[:1].isupper()):
                    if label == "NORP" and organisation_type(text) != "PoliticalParty":
                        continue
                    if _heads_a_government(article.text, mention.end) and person_kind(text):
                        mention.label = "HEAD"  # "the Novak administration": a person
                        people.append(mention)
                        continue
                    orgs.append(mention)

        countries = [a.iso_code for a in res.actors.values() if a.type == "Country" and a.iso_code]
        directions = set(lexicon()["direction_words"])
        for mention, (text,) in unresolved_places:
            place = self.gazetteer.find_subdivision(text, countries)
            if place is not None and place.parent not in countries and len(text.split()) == 1:
                place = None  # one word matching a region of a country the article never names
            head, _, rest = text.partition(" ")
            if place is None and head.lower() in directions and rest:
                place = self.gazetteer.lookup(rest)  # "eastern Libya", "Mainland China"
            if place is None and mention.label in {"GPE", "LOC"}:
                place = self.gazetteer.misspelt_country(text)  # "Papua New Guniea"
            if place is not None:
                self._add_place(place, res)
                mention.key = place.key
                res.mention(mention, article)
            elif mention.label in {"ORG", "FAC"}:
                orgs.append(mention)  # no region after all: the body the model said

        self._drop_places_of_events(res)
        self._descriptions(article, docs, res)
        self._people(people, res, article)
        orgs = self._people_named_as_organisations(orgs, res, article)
        self._organisations(orgs, res, article)
        self._roles(article, docs, res)
        return res

    @staticmethod
    def _drop_places_of_events(res: Resolution) -> None:
        """A region or city named only as where something happened ("talks in New York",
        "a summit in Bali") is no actor of the article; a country always is one."""
        for key, actor in list(res.actors.items()):
            if actor.type != "Region" or not actor.iso_code or "-" not in actor.iso_code:
                continue
            named = [m for m in res.mentions if m.key == key]
            if named and all(m.literal == "event" for m in named):
                res.mentions = [m for m in res.mentions if m.key != key]
                del res.actors[key]
                parent = actor.part_of
                if parent and not any(m.key == parent for m in res.mentions):
                    res.actors.pop(parent, None)  # its country, added for it alone

    def _descriptions(self, article: Article, docs: list[Doc], res: Resolution) -> None:
        """Descriptions that stand for a country named before them: "the central Asian
        republic", "the island republic", "the Gulf monarchy" are the most recently named
        country of that continent (and compass part of it, where the country data has one),
        or the most recent island state."""
        words = self.gazetteer.description_words()
        nouns, continents, compass = set(words["nouns"]), words["continents"], words["compass"]
        for sentence, doc in zip(article.sentences, docs, strict=True):
            for token in doc:
                if token.lemma_.lower() not in nouns or token.pos_ != "NOUN" or token.ent_type_:
                    continue
                if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
                    continue
                if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
                    continue  # "the state of Israel" names its state
                modifiers = [t for t in token.subtree if t.i < token.i and t.dep_ != "det"]
                if any(m.ent_id_.startswith("country/") for m in modifiers):
                    continue  # "the Greek island": a part of a country named, no country
                said = [t.lower_ for t in modifiers]
                wanted = {c for w in said for c in continents.get(w, [])}
                island = "island" in said or token.lemma_.lower() in {"island", "archipelago"}
                if not wanted and not island:
                    continue  # "the country", "the small state": no clue which
                points = {compass[w] for w in said if w in compass}
                first = next(t for t in token.subtree if t.i <= token.i)
                start = sentence.start + first.idx
                key = self._described(res, start, wanted, points, island)
                if key is None:
                    continue
                end = sentence.start + token.idx + len(token.text)
                text = article.text[start:end]
                res.mention(Mention(text, start, end, sentence.index, "DESC", key), article)

    def _described(
        self, res: Resolution, before: int, continents: set[str], points: set[str], island: bool
    ) -> str | None:
        """The most recently named country that fits a description, before offset ``before``."""
        named = sorted(
            (m for m in res.mentions if m.key and m.start < before and not m.literal),
            key=lambda m: m.start,
            reverse=True,
        )
        for mention in named:
            place = self.gazetteer.by_key(mention.key)  # type: ignore[arg-type]
            if place is None or place.type != "Country":
                continue
            if continents and place.continent not in continents:
                continue
            split = {s for s in self.gazetteer.subregions(place.continent) if _faces(s, points)}
            if split and not {place.subregion, place.intermediate} & split:
                continue  # the data splits this continent by compass: the country must fit
            if island and not place.island:
                continue
            return mention.key
        return None

    def _add_place(self, place: Place, res: Resolution) -> None:
        """Add a place, and for a region the country it is part of."""
        res.add(place_actor(place))
        if place.parent:
            parent = self.gazetteer.by_code(place.parent)
            if parent is not None:
                res.add(place_actor(parent))

    def _organisations(self, orgs: list[Mention], res: Resolution, article: Article) -> None:
        generic = set(lexicon()["generic"])
        named: dict[str, str] = {}
        canonical = organisation_names()
        bodies = state_bodies()
        for mention in sorted(orgs, key=lambda m: -len(clean_name(m.text))):
            name = clean_name(mention.text)
            if name.lower() in generic:
                continue
            name = canonical.get(fold(name).lower(), name)  # "IMF": the International …
            key = next((k for n, k in named.items() if n.lower() == name.lower()), None)
            if key is None and name.isupper() and len(name) >= 2:
                key = next((k for n, k in named.items() if _initials(n) == name), None)
            if key is None:
                state = bodies.get(name)
                kind = "Government" if state else organisation_type(name)
                key = f"{kind.lower()}/{slug(name)}"
                res.add(Actor(key=key, label=name, type=kind))
                named[name] = key
                country = self._country_in_name(name) if kind == "Government" else None
                if state and country is None:  # "the State Department" acts for its state
                    country = self.gazetteer.by_code(state)
                if country is not None:  # "the Central Bank of X" acts for X
                    self._add_place(country, res)
                    res.nationality[key] = country.key
            mention.key = key
            res.mention(mention, article)

    def _country_in_name(self, name: str) -> Place | None:
        """The one country a state body's name names: "Ministry of Interior of Libya", "the
        Turkish Coast Guard"; None for none or several."""
        words = re.findall(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?", name)
        singles = [w for phrase in words for w in phrase.split()]
        found = {
            place.key: place
            for text in [*words, *singles]
            if (place := self.gazetteer.lookup(text)) is not None and place.type == "Country"
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _people(self, people: list[Mention], res: Resolution, article: Article) -> None:
        counts = Counter(person_name(m.text) for m in people if person_name(m.text))
        # full names first, the most frequent spelling of a name before its variants
        order = sorted(counts, key=lambda n: (-len(n.split()), -counts[n], n))
        canonical: dict[str, str] = {}
        clusters: list[list[str]] = []
        for name in order:
            target = None
            for cluster in clusters:
                if _same_person(name, cluster[0]):
                    target = cluster
                    break
            if target is None:
                clusters.append([name])
            else:
                target.append(name)
        titled = {
            person_name(m.text)
            for m in people
            if TITLES.match(clean_name(m.text)) or m.label == "HEAD"
        }
        for cluster in clusters:
            label = cluster[0]
            if len(label.split()) == 1 and not titled & set(cluster):
                continue  # a lone word the model took for a name, with no fuller form
            key = f"person/{slug(label)}"
            res.add(Actor(key=key, label=label, type="Person"))
            for name in cluster:
                canonical[name] = key
        for mention in people:
            name = person_name(mention.text)
            if name in canonical:
                mention.text = clean_name(mention.text)
                mention.key = canonical[name]
                res.mention(mention, article)

    def _people_named_as_organisations(
        self, orgs: list[Mention], res: Resolution, article: Article
    ) -> list[Mention]:
        """The organisation mentions that are the article's people by name ("Novak" in a
        headline, "Lena Hartig's" before "government"): joined to them; the rest returned."""
        people = [a for a in res.actors.values() if a.type == "Person"]
        rest = []
        for mention in orgs:
            name = person_name(mention.text)
            words = name.split()
            person = next(
                (
                    p
                    for p in people
                    if len(words) <= 3
                    and all(w[:1].isupper() or _particle(w) for w in words)
                    and (_same_person(name, p.label) or _same_person(p.label, name))
                    and _name_tokens(name)[-1] == _name_tokens(p.label)[-1]
                ),
                None,
            )
            if person is None:
                rest.append(mention)
                continue
            mention.text = clean_name(mention.text)
            mention.key = person.key
            res.mention(mention, article)
        return rest

    def _roles(self, article: Article, docs: list[Doc], res: Resolution) -> None:
        """Role references ("the Chancellor", "Italy's prime minister X", "X, the Interior
        Minister") joined to the person they name."""
        pending: list[tuple[Mention, str, set[str]]] = []
        for sentence, doc in zip(article.sentences, docs, strict=True):
            people = [
                m
                for m in res.in_sentence(sentence.index)
                if m.key and res.actors[m.key].type == "Person"
            ]
            for role, (start, end) in facts_of(doc).roles:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                left = span.start
                while left > 0 and (
                    doc[left - 1].dep_ in {"det", "amod", "compound", "poss"}
                    or (doc[left - 1].text == "-" and doc[left - 1].head == span.root)
                ):  # "Guatemala's then-president"
                    left -= 1
                while left > 0 and doc[left - 1].dep_ == "case":  # "Labour's"
                    left -= 2 if left > 1 else 1
                phrase = doc[max(left, 0) : span.end]
                first, last = sentence.start + phrase.start_char, sentence.start + end
                # "a shadow minister", "the former premier": not the holder of the role
                other = next((t.lower_ for t in phrase if t.lower_ in _NOT_THE_HOLDER), None)
                role = f"{other} {role}" if other else role
                qualifiers = [
                    m.key
                    for m in res.in_sentence(sentence.index)
                    if m.key and first <= m.start < last
                ]
                mention = Mention(phrase.text, first, last, sentence.index, "ROLE")
                named = [m for m in people if _between(article.text, last, m.start, ", ")]
                named += [m for m in people if _between(article.text, m.end, first, ", the ")]
                if named:
                    person = res.actors[named[0].key]  # type: ignore[index]
                    person.role = person.role or role
                    places = [
                        q for q in qualifiers if res.actors[q].type in {"Country", "Supranational"}
                    ]
                    if places:
                        res.nationality[person.key] = places[0]
                    mention.key = person.key
                    res.mention(mention, article)
                elif not qualifiers:
                    root = span.root
                    beside = {root.idx, *(t.idx for t in root.conjuncts)}
                    coordinated = {
                        m.key
                        for m in people
                        if m.key and any(m.start <= sentence.start + i < m.end for i in beside)
                    }
                    pending.append((mention, role, coordinated))
        # a person coordinated with a role reference ("the Chancellor and X") is not its holder
        not_holders: dict[str, set[str]] = {}
        for _, role, coordinated in pending:
            not_holders.setdefault(role, set()).update(coordinated)
        for mention, role, _ in pending:
            holder = self._role_holder(role, res, mention.start, not_holders[role])
            if holder:
                res.actors[holder].role = res.actors[holder].role or role
                mention.key = holder
                res.mention(mention, article)

    @staticmethod
    def _role_holder(role: str, res: Resolution, offset: int, excluded: set[str]) -> str | None:
        """The person an unqualified role reference means: one named with that role and no
        foreign qualifier, else the article's first-mentioned person who holds no other
        qualified role or other role and is not coordinated with the reference ("the
        Chancellor and X")."""
        people = [a for a in res.actors.values() if a.type == "Person" and a.key not in excluded]
        holders = [p for p in people if p.role == role and p.key not in res.nationality]
        if holders:
            return holders[0].key
        seen = {m.key for m in res.mentions if m.key and m.start <= offset}
        free = [
            p
            for p in people
            if p.key not in res.nationality and p.key in seen and p.role in {None, role}
        ]
        if not free:
            return None
        return min(free, key=lambda p: min_start(res, p.key)).key


_NOT_THE_HOLDER = {"shadow", "former", "ex", "then", "outgoing", "previous", "late", "acting"}


_GOVERNMENT_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:administration|government|cabinet|presidency)\b")


_REGION_NOUNS = {"islands", "island", "region", "province", "county", "territory", "archipelago"}


def _names_a_region(text: str) -> bool:
    """Whether a name ends like a region's ("the Canary Islands", "Murcia Region")."""
    words = text.lower().split()
    return len(words) >= 2 and words[-1] in _REGION_NOUNS


def _before_a_region_noun(text: str, end: int) -> bool:
    """Whether a name is followed by a word for a region ("Tacna region", "X province")."""
    following = text[end : end + 15].split()
    return bool(following) and following[0].lower().strip(",.;") in _REGION_NOUNS - {"islands"}


def _heads_a_government(text: str, end: int) -> bool:
    """Whether a name is followed by "administration" or "'s government": the name of the
    person who leads it ("the Novak administration", "Lena Hartig's government")."""
    return bool(_GOVERNMENT_AFTER.match(text[end : end + 20]))


_EVENT_WORDS = {
    "talk", "meeting", "summit", "conference", "ceremony", "visit", "sign", "meet", "hold",
    "gather", "host", "session", "assembly", "signing", "negotiation",
}  # fmt: skip


def _where(token: Token) -> bool:
    """Whether a name stands where only a place can: "the base on X", "the island of X",
    "landed in X", "X, the largest island" (not "shouted at X" or "confidence in X")."""
    nouns = set(lexicon()["place_nouns"]) | _FACILITY_NOUNS
    if token.dep_ == "pobj":
        prep, holder = token.head, token.head.head
        if prep.lower_ in {"in", "at", "on", "of"} and holder.lemma_.lower() in nouns:
            return True
        if prep.lower_ in {"in", "at", "on"} and holder.lemma_.lower() in _BEING_SOMEWHERE:
            return True
    return any(c.dep_ == "appos" and c.lemma_.lower() in nouns for c in token.children)


_FACILITY_NOUNS = {"airbase", "airstrip", "atoll", "airfield"}  # beside place_nouns
_BEING_SOMEWHERE = {"land", "arrive", "station", "base", "locate", "detain", "house", "moor"}


def _locative(token: Token) -> str:
    """How a name is the object of a preposition of place, if it is: "event" where something
    happened ("talks in New York", "a summit in Bali", "signed in Rome"), "locative" for
    where anything is ("a centre in Albania", "officials in Scotland"), else "". Either way
    it names where, not who."""
    if token.dep_ != "pobj" or token.head.lower_ not in LOCATIVE_PREPS:
        return ""
    holder = token.head.head
    return "event" if holder.lemma_.lower() in _EVENT_WORDS else "locative"


def _between(text: str, start: int, end: int, allowed: str) -> bool:
    """Whether only white space and the characters of ``allowed`` stand in text[start:end]
    (at most ``len(allowed) + 1`` of them): a role written right beside a name."""
    if end < start:
        return False
    gap = text[start:end]
    return len(gap) <= len(allowed) + 1 and gap.lower().strip(" ,").strip() in {"", "the"}


def min_start(res: Resolution, key: str) -> int:
    """The offset of an actor's first mention."""
    return min((m.start for m in res.mentions if m.key == key), default=1 << 30)


def _name_tokens(name: str) -> list[str]:
    """A name folded for comparison: no diacritics, no case, no Arabic article prefix
    ("Erdoğan" → "erdogan", "al-Jabiri" → "jabiri")."""
    tokens = fold(name).casefold().replace("-", " ").split()
    return [t for t in tokens if t not in {"al", "el", "ad", "as", "ash", "bin", "ibn"}] or tokens


def _same_person(name: str, full: str) -> bool:
    """Whether ``name`` refers to the person called ``full`` (a longer or equal name)."""
    a, b = _name_tokens(name), _name_tokens(full)
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) == 1:  # a surname, or a given name ("Sir Ian" for Ian Novak)
        return fuzz.ratio(a[0], b[-1]) >= FUZZY_NAME - 5 or (len(b) > 1 and a[0] == b[0])
    if len(a) < len(b) and b[-len(a) :] == a:
        return True  # "van der Berg" in "Ana van der Berg"
    if len(a) == len(b):
        given_a, given_b = " ".join(a[:-1]), " ".join(b[:-1])
        if given_a == given_b:  # same given names: a looser surname (transliterations)
            return fuzz.ratio(a[-1], b[-1]) >= FUZZY_NAME - 10
        surname_close = fuzz.ratio(a[-1], b[-1]) >= FUZZY_NAME
        given_close = fuzz.ratio(given_a, given_b) >= FUZZY_NAME - 10
        return surname_close and given_close and fuzz.ratio(" ".join(a), " ".join(b)) >= FUZZY_NAME
    return False


def _faces(area: str, points: set[str]) -> bool:
    """Whether a region's name has one of the compass points ("Southern"): "South America"
    and "Southern Asia" face south, "Eastern Africa" east; "South-eastern Asia" faces neither
    south nor east alone."""
    stems = {p.lower().removesuffix("ern") for p in points}
    return any(w in stems or w.removesuffix("ern") in stems for w in area.lower().split())
