"""spaCy components: the deal reader that marks what each sentence says about deals.

``pg_deal_extractor`` follows spaCy's own pattern (``pipeline/span_ruler.py``): a factory
with a config, patterns in JSONL files loaded by ``from_disk``, and ``__call__`` that runs
``match`` then ``set_annotations``. It reads one sentence at a time and writes plain
``SentenceFacts`` (character offsets into the sentence) to ``doc._.pg_facts``; turning those
into deals across sentences is ``graph.extract.deals``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token

PATTERN_DIR = Path(__file__).parent / "patterns"
PATTERN_FILES = (
    "deal_terms",
    "status_cues",
    "purpose_cues",
    "payment_cues",
    "critic_cues",
    "roles",
)
DEPENDENCY_FILE = "dependency_patterns"  # DependencyMatcher patterns: relations in the parse

if not Doc.has_extension("pg_facts"):
    Doc.set_extension("pg_facts", default=None)
if not Doc.has_extension("pg_clauses"):
    Doc.set_extension("pg_clauses", default=None)

CharSpan = tuple[int, int]

_MODALS = {"could", "would", "might", "may"}
_DEMAND_VERBS = {
    "call",
    "urge",
    "demand",
    "want",
    "push",
    "press",
    "ask",
    "campaign",
    "vow",
    "promise",
    "threaten",
    "pledge",
    "seek",
}
_ANAPHORIC = {"such", "these", "those", "this", "that", "the", "any", "its", "their", "same"}
_SIMILAR = {"similar", "comparable", "same", "equivalent", "parallel"}
_EARLIER = {"earlier", "previous", "former", "older", "prior"}
_DISTINCT = {
    "separate", "another", "second", "third", "earlier", "previous", "former", "older",
    "different", "prior", "parallel", "further",
}  # fmt: skip
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_PARTY_PREPS = {"with", "between", "among", "involving"}
_AGREE_VERBS = {"agree", "sign", "reach", "negotiate", "strike", "talk", "conclude", "seal", "ink"}
_PAYEE_IS_OBJECT = {
    "pay", "fund", "finance", "bankroll", "compensate", "reward", "spend", "reimburse",
    "subsidise", "subsidize", "underwrite",
}  # fmt: skip
# of those, the ones that move money only where a sum is said ("spent months lobbying X")
_WITH_A_SUM = {"spend"}
_REGION_NOUNS = {"region", "province", "state", "territory", "enclave", "area", "republic"}
# prepositions that name a payment's recipient, by verb ("deposit $3bn with X", "invest in X")
_RECIPIENT_PREPS = {
    "deposit": {"with", "in", "to", "for"},
    "invest": {"in", "to", "for"},
    "lend": {"to", "for"},
    "pump": {"into", "to", "for"},
    "inject": {"into", "to", "for"},
    "plough": {"into", "to", "for"},
    "pour": {"into", "to", "for"},
}
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_REPORTING = {"say", "tell", "add", "warn", "argue", "claim", "insist", "announce", "vote"}
_COVERING = {"cover", "bear", "meet", "foot", "shoulder"}
_COSTS = {"cost", "costs", "bill", "expense", "expenses", "tab"}
_TALK_WORDS = {"talk", "negotiation"}
_DEAL_WORDS = {
    "deal", "deals", "agreement", "agreements", "arrangement", "pact", "accord", "memorandum",
    "protocol", "treaty", "partnership", "compact", "package", "scheme", "declaration",
}  # fmt: skip
# verbs of granting money a funding word can be the object of, beside the verbs of paying
# ("X announced a package" is left out: press releases announce what others pay)
_GRANTING = {
    "approve", "extend", "disburse", "unveil", "release", "award", "sanction", "place", "make",
    "pledge", "promise", "offer", "provide", "commit", "agree", "give", "grant", "allocate",
    "lend",
}  # fmt: skip
# verbs that change how much a giver gives ("X doubled its aid to Y")
_SCALING = {
    "double", "triple", "increase", "raise", "boost", "expand", "resume", "continue", "renew",
    "extend", "cut", "reduce", "halve", "suspend", "freeze", "speed", "accelerate", "delay",
    "withhold", "unblock", "unfreeze",
}  # fmt: skip
# a part of a sum named by its share ("much of it aimed at X", "half of the money for Y")
_SHARES = {
    "much", "most", "half", "part", "some", "all", "bulk", "majority", "portion", "share",
    "third", "quarter", "rest", "remainder", "lion",
}  # fmt: skip
_HELP_VERBS = {"help", "support", "assist", "aid", "enable", "back", "bolster", "prop"}
_PEOPLE_NOUNS = {
    "refugee", "migrant", "people", "person", "asylum", "seeker", "national", "citizen",
    "worker", "family", "child", "resident", "descendant", "victim", "community",
}  # fmt: skip
# funding words that are money only where an amount or a financial word says so
_SOFT_FUNDING = {"support", "assistance", "investment", "credit", "backing"}
_FINANCIAL_MODIFIERS = {"financial", "budget", "budgetary", "macro-financial", "fiscal", "cash"}
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout"}
_MONEY_WORDS = {
    "money", "cash", "funding", "fund", "aid", "payment", "grant", "million", "billion", "sum",
}  # fmt: skip

_AMOUNT = re.compile(
    # an amount of money as news writes it, its qualifier, its equivalent in brackets, its rate
    # and its span kept with it: "an initial £120m", "€7.4-billion", "1 billion-euro ($1.07
    # billion)", "240 million pounds", "£101m a year for 99 years", "about $5,000 for every
    # person", "hundreds of millions of euros", "multi-million pound"
    r"(?:(?:about|around|roughly|some|nearly|almost|up\s+to|more\s+than|"
    # ("over" after a verb is its particle: "handed over €10m" is €10m)
    r"(?<!hand\s)(?<!hands\s)(?<!handed\s)(?<!handing\s)(?<!turned\s)(?<!signed\s)over|at\s+least|"
    r"close\s+to|as\s+much\s+as|a\s+total\s+of|an\s+initial|a\s+further|an\s+extra|"
    r"an\s+additional)\s+)?"
    r"(?:[£€$]\s?\d[\d,.]*(?:[-\s]?(?:bn|mn|m|k|billion|million|thousand|trillion)\b)?"
    r"(?:\s+(?:pounds?|euros?|dollars?))?"
    r"|\d[\d,.]*[-\s]?(?:bn|m|billion|million|thousand)[-\s](?:pounds?|euros?|dollars?|sterling)\b"
    r"|multi-?(?:million|billion)(?:[- ](?:pound|euro|dollar))?"
    r"|(?:hundreds|tens|millions|billions)\s+of\s+(?:millions\s+of\s+|billions\s+of\s+)?"
    r"(?:pounds|euros|dollars))"
    r"(?:\s*\([£€$]\s?\d[\d,.]*(?:[-\s]?(?:bn|m|billion|million))?\))?"
    r"(?:\s+(?:a|per|each|every)\s+(?:year|month|week|head|person)\b|\s+annually\b"
    r"|\s+for\s+(?:every|each)\s+(?:person|migrant|asylum\s+seeker|refugee|individual)\b)?"
    r"(?:\s+(?:over|across|for)\s+(?:\w+\s+){0,2}(?:years?|months?)\b)?",
    re.IGNORECASE,
)


@dataclass
class SentenceFacts:
    """What one sentence says about deals, as character spans of the sentence text."""

    deal_terms: list[CharSpan] = field(default_factory=list)
    anaphoric: bool = False
    similar: bool = False
    statuses: list[tuple[str, CharSpan]] = field(default_factory=list)
    # those told in the past perfect ("a court had blocked it"): a stage before the story's
    prior_statuses: list[CharSpan] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    counterparties: list[CharSpan] = field(default_factory=list)
    initiators: list[CharSpan] = field(default_factory=list)
    payers: list[CharSpan] = field(default_factory=list)
    payees: list[CharSpan] = field(default_factory=list)
    critics: list[CharSpan] = field(default_factory=list)
    roles: list[tuple[str, CharSpan]] = field(default_factory=list)
    part_of: list[tuple[CharSpan, CharSpan]] = field(default_factory=list)
    payment: bool = False
    # what tells one deal from another between the same parties: "a separate package", "an
    # earlier arrangement" (distinct), the year a deal is dated by ("agreed in 2016", "the 2003
    # treaty"), and whether it is written as a bare "the deal" (the one already spoken of) or
    # with "a"/"an" (a new one)
    distinct: bool = False
    count: int = 1  # "signed two agreements": how many deals one deal word names
    plural: bool = False  # "signed agreements": one deal word that names several deals
    preliminary: bool = False  # "a political agreement", "an interim deal": a first step
    # a deal word with its own year beside another deal word, or with "a": "builds on a 2021
    # memorandum", "adds to the accord signed in 2003"
    dated_indefinite: bool = False
    earlier: bool = False  # "an earlier arrangement": a precedent, not the story's deal
    years: list[str] = field(default_factory=list)
    bare: bool = False
    indefinite: bool = False
    deal_amounts: list[str] = field(default_factory=list)
    unpaid: bool = False  # a payment to a named side is denied or left open ("did not pay X")
    # a critic's words are about a deal or a stand-in for one ("called the plan cruel", "vowed
    # to challenge it"): said of the deal the article is speaking of, with no deal word
    criticises_deal: bool = False
    criticises_by_pronoun: bool = False  # only as "it", "this": the deal must be near

    @property
    def about_deals(self) -> bool:
        """Whether the sentence speaks of a deal at all: a deal word, a payment, or talks
        with a named party."""
        talks = any(label == "negotiating" for label, _ in self.statuses)
        named = bool(self.counterparties)
        return bool(self.deal_terms) or self.payment or ((talks or self.unpaid) and named)


def _span(token: Token | Span) -> CharSpan:
    if isinstance(token, Token):
        return (token.idx, token.idx + len(token.text))
    return (token.start_char, token.end_char)


_EXAMPLE_PREPS = {"including", "like", "notably", "especially", "particularly"}


_RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
# verbs whose subject is the subject of the verb after them ("X is to receive", "X is due to
# get", "X is expected to receive", "X stands to gain")
_RAISING = {"be", "expect", "set", "due", "likely", "go", "stand", "poise", "hope", "seek"}


def _antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for: "Turkey, which still buys gas" → Turkey."""
    clause = token.head
    if token.lower_ in _RELATIVE_PRONOUNS and clause.dep_ == "relcl" and clause.head != clause:
        return clause.head
    return token


def _with_conjuncts(token: Token) -> list[Token]:
    """The token, its conjuncts and appositions, and the members of a list it introduces
    ("several countries, including A, B and C", "countries such as A and B"); a relative
    pronoun is the noun its clause is about ("Turkey, which buys gas": Turkey)."""
    token = _antecedent(token)
    found = [token, *token.conjuncts]
    for item in list(found):
        found.extend(child for child in item.children if child.dep_ == "appos")
        for child in item.children:
            such_as = child.lower_ == "as" and any(c.lower_ == "such" for c in child.children)
            if child.dep_ == "prep" and (child.lower_ in _EXAMPLE_PREPS or such_as):
                for member in child.children:
                    if member.dep_ == "pobj":
                        found.extend([member, *member.conjuncts])
    return list(dict.fromkeys(found))


_NOT_IN_PHRASE = {"punct", "cc", "relcl", "acl", "conj", "appos", "advcl"}


def _noun_phrase(token: Token) -> Span:
    """The token's phrase: its subtree without conjuncts, clauses, appositions and leading
    determiners ("the Spanish navy" → "Spanish navy"; "A and B" → "A")."""
    left_out: set[Token] = set()
    for item in token.subtree:
        if item != token and item.dep_ in _NOT_IN_PHRASE and item not in left_out:
            left_out.update(item.subtree)
    keep = [t for t in token.subtree if t not in left_out]
    start, end = token.i, token.i + 1
    while start > 0 and token.doc[start - 1] in keep:
        start -= 1
    while end < len(token.doc) and token.doc[end] in keep:
        end += 1
    while start < token.i and token.doc[start].dep_ in {"det", "predet"}:
        start += 1
    return token.doc[start:end]


_PLACE_ENTS = {"GPE", "NORP", "LOC", "ORG"}
_BETWEEN_SUBJECT_AND_VERB = {"AUX", "PART", "ADV"}
_CONTROL_VERBS = {"agree", "promise", "pledge", "plan", "decide", "offer", "want", "intend"}


def _in_place(token: Token) -> bool:
    return token.ent_type_ in _PLACE_ENTS


def _is_time(token: Token) -> bool:
    return token.ent_type_ in {"DATE", "TIME"} or token.like_num


def _ends_moved_under(deal: Token) -> list[Token]:
    """The places a deal moves people or goods between, when the deal is what they move
    under: "migrants sent from A to B under the scheme", "flights from A to B under the
    deal". Both ends must be named, and the deal must be the verb's own "under" phrase."""
    if deal.dep_ != "pobj" or deal.head.lower_ not in {"under", "through"}:
        return []
    verb = deal.head.head
    if verb.pos_ not in {"VERB", "NOUN"}:
        return []
    ends: dict[str, list[Token]] = {}
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"from", "to"}:
            ends[prep.lower_] = [
                t
                for c in prep.children
                if c.dep_ == "pobj"
                for t in _with_conjuncts(c)
                if _in_place(t)
            ]
    if not ends.get("from") or not ends.get("to"):
        return []
    return ends["from"] + ends["to"]


# verbs of a promise to act: "X has vowed to scrap the scheme"
_PLEDGING = {"vow", "pledge", "promise", "threaten", "swear"}
# verbs that move people somewhere: "A sent migrants to B under agreements"
_MOVING = {
    "send", "fly", "deport", "transfer", "move", "relocate", "remove", "return", "ship",
    "expel", "take", "deliver",
}  # fmt: skip


def _moved_to_under(deal: Token) -> list[Token]:
    """Where a deal's sender moves people to, when the deal is what it moves them under:
    "A sent hundreds of people to B and C under bilateral agreements" (B and C; A is the
    verb's subject, so a side already)."""
    if deal.dep_ != "pobj" or deal.head.lower_ not in {"under", "through"}:
        return []
    verb = deal.head.head
    if verb.pos_ != "VERB" or verb.lemma_ not in _MOVING:
        return []
    return [
        t
        for prep in verb.children
        if prep.dep_ in {"prep", "dative"} and prep.lower_ == "to"
        for c in prep.children
        if c.dep_ == "pobj"
        for t in _with_conjuncts(c)
        if _in_place(t)
    ]


def _is_money(token: Token) -> bool:
    """Whether a phrase is an amount of money ("€30 million", "funding", "£120m")."""
    return any(
        t.ent_type_ == "MONEY" or t.lemma_.lower() in _MONEY_WORDS or t.text in {"£", "€", "$"}
        for t in token.subtree
    )


def _money_ends(money: Token, payers: list[Token], payees: list[Token]) -> None:
    """The giver and the recipient written inside a sum's own phrase: "€200m for X's border
    police", "€2bn by X" (a passive's agent the parser hung from the sum), "€3bn of the €6bn
    promised to X", "half of the $20m it pledged to X"."""
    for item in money.subtree:
        if item.dep_ == "prep" and item.head == money and item.lower_ in {"to", "for"}:
            payees.extend(t for g in item.children if g.dep_ == "pobj" for t in _recipients(g))
        elif item.dep_ == "prep" and item.head == money and item.lower_ == "by":
            payers.extend(t for g in item.children if g.dep_ == "pobj" for t in _with_conjuncts(g))
        elif item.dep_ in {"acl", "relcl"}:
            for prep in item.children:
                if prep.dep_ == "prep" and prep.lower_ in {"to", "for"}:
                    payees.extend(t for g in prep.children for t in _recipients(g))


def _agents(verb: Token) -> list[Token]:
    """Who a passive verb names with "by" ("signed by A and B", "promised by X")."""
    return [
        t
        for agent in verb.children
        if agent.dep_ == "agent"
        for g in agent.children
        for t in _with_conjuncts(g)
    ]


def _with_money(verb: Token) -> bool:
    """Whether a verb supplies money by "with" ("provided X with €250m")."""
    return any(
        c.dep_ == "prep" and c.lower_ == "with" and any(_is_money(g) for g in c.children)
        for c in verb.children
    )


def _gives_money(verb: Token) -> bool:
    """Whether a giving verb (give, provide, offer, pledge) gives money: its object is one."""
    # (a parser may hang "€20m" from the verb as a measure: "hand X €20m")
    return any(c.dep_ in {"dobj", "nsubjpass", "npadvmod"} and _is_money(c) for c in verb.children)


def _deal_years(deal: Token) -> list[str]:
    """The years a deal word is dated by: "the 2003 treaty", "agreed in 2016", "the package
    that X agreed with Y in 2023", "a deal signed last year in 2019"."""
    doc = deal.doc
    places = [deal]
    if deal.head.pos_ in {"VERB", "AUX"} and deal.dep_ in {"nsubjpass", "dobj", "nsubj"}:
        places.append(deal.head)  # "the deal was signed in 2022", "signed a deal in 2018"
    places += [c for c in deal.children if c.dep_ in {"relcl", "acl"}]  # "… agreed in 2016"
    years: list[str] = []
    for item in places:
        for child in item.children:
            phrase = None
            if child.dep_ in {"nummod", "compound", "amod", "npadvmod"} and item is deal:
                phrase = child
            elif child.dep_ == "prep" and child.lower_ in {"in", "of", "from", "since"}:
                phrase = next((g for g in child.children if g.dep_ == "pobj"), None)
            if phrase is None:
                continue
            text = doc[phrase.left_edge.i : phrase.right_edge.i + 1].text
            if phrase.ent_type_ in {"DATE", ""}:
                years.extend(y for y in _YEAR.findall(text) if y not in years)
    return years


def _bare_definite(deal: Token) -> bool:
    """Whether a deal word is written as "the deal", "the agreement": the one already spoken
    of, with nothing else to tell it apart."""
    children = list(deal.children)
    return any(
        c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in children
    ) and not any(c.dep_ in {"amod", "compound", "nummod", "poss", "nmod"} for c in children)


_BACKING = {"back", "fund", "finance", "underpin", "sweeten", "support"}


def _backed_by_money(deal: Token) -> bool:
    """Whether a deal word is said to come with money: "a partnership backed by €3bn"."""
    for child in deal.children:
        money = (
            _is_money(g) for c in child.children if c.dep_ in {"agent", "prep"} for g in c.children
        )
        if child.dep_ == "acl" and child.lemma_ in _BACKING and any(money):
            return True
    return False


def _agreed_to(verb: Token) -> bool:
    """Whether a verb says that places agreed to do something together or for another: "A
    and B agreed to cooperate", "A agreed with B to take back", "A has agreed to accept"."""
    if verb.lemma_ != "agree" or verb.pos_ != "VERB" or _negated(verb) or _hypothetical(verb):
        return False
    if _in_purpose_or_demand(verb) or not any(c.dep_ == "xcomp" for c in verb.children):
        return False
    return any(
        c.dep_ == "nsubj" and any(_in_place(t) for t in _with_conjuncts(c)) for c in verb.children
    )


def _named_elsewise(deal: Token) -> bool:
    """Whether a capitalised deal word is the name of a policy or law rather than a deal
    between parties ("the Charter on Ports and Fisheries"): inside a sentence, with no party
    named beside it (a place among its modifiers, "with X", "between X and Y")."""
    if not deal.is_title or deal.i == 0 or deal.is_sent_start:
        return False
    own = next((e for e in deal.doc.ents if e.start <= deal.i < e.end), None)
    beside = [
        t
        for t in deal.subtree
        if t.i < deal.i and _in_place(t) and not (own is not None and own.start <= t.i < own.end)
    ]
    parties = any(c.dep_ == "prep" and c.lower_ in _PARTY_PREPS for c in deal.children)
    # "A and B renewed the Memorandum of Understanding": what places sign is their deal
    signers = deal.dep_ in {"dobj", "nsubjpass"} and any(
        c.dep_ in {"nsubj", "agent"} and any(_in_place(t) for t in c.subtree)
        for c in deal.head.children
    )
    return not beside and not parties and not signers


def _with_a_place(word: Token) -> bool:
    """Whether a word has a place after "with" ("cooperation with X and Y")."""
    return any(
        _in_place(t)
        for prep in word.children
        if prep.dep_ == "prep" and prep.lower_ == "with"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for t in _with_conjuncts(pobj)
    )


def _named_sides(deal: Token) -> list[Token]:
    """Two or more places written as modifiers of a deal word, joined by hyphens or dashes
    ("the UK-Rwanda deal", "the Italy–Albania protocol", "the German-Namibian declaration")."""
    found: list[Token] = []
    stack = [c for c in deal.lefts if c.dep_ in {"compound", "amod", "nmod"}]
    while stack:
        item = stack.pop()
        if _in_place(item) and item.pos_ in {"PROPN", "ADJ"}:
            found.append(item)
        stack.extend(c for c in item.lefts if c.dep_ in {"compound", "amod", "nmod"})
    joined = any(t.text in {"-", "–", "—", "/"} for t in deal.doc[deal.left_edge.i : deal.i])
    return sorted(found, key=lambda t: t.i) if len(found) >= 2 and joined else []


def _places_in(token: Token) -> list[Token]:
    """The places named inside a phrase ("the coastguards of Chile and Peru"), leaving out
    where something stands ("centres in Albania")."""
    return [
        t
        for t in token.subtree
        if _in_place(t)
        and t.ent_iob_ == "B"
        and not (t.dep_ == "pobj" and t.head.lower_ in LOCATIVE_PREPS)
    ]


def _recipients(token: Token) -> list[Token]:
    """Who an object of paying names: itself and its conjuncts when it is a place ("pay
    Ghana and Peru"), else the places inside it ("fund the coastguards of Chile", "for Peruvian
    border forces"), but not the nationality of people the money is for ("support for Syrian
    refugees") nor where something stands ("centres in Albania")."""
    if token.pos_ == "VERB":  # "for detaining X suspects": who is paid is not its object
        return []
    if _in_place(token) and token.ent_type_ != "ORG":
        return _with_conjuncts(token)
    if token.lemma_.lower() in _PEOPLE_NOUNS:
        return []
    inside = [t for t in _places_in(token) if t.ent_type_ != "ORG" or t.i == token.i]
    # a body named for its state ("the National Treasury of Ruritania") is paid for that state
    return inside if inside and any(t.i != token.i for t in inside) else _with_conjuncts(token)


def _shared_to(sentence: Span) -> list[Token]:
    """The places a share of a sentence's sum goes to: "a £2m package, much of it aimed at
    the X region", "€5m, most of it earmarked for Y", "with half of the money going to Z"."""
    found: list[Token] = []
    for share in sentence:
        if share.lemma_.lower() not in _SHARES or share.pos_ not in {"ADJ", "NOUN", "PRON", "DET"}:
            continue
        of = [
            g
            for p in share.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children
            if g.dep_ == "pobj" and (g.lower_ in {"it", "them", "which"} or _is_money(g))
        ]
        if not of:
            continue
        # the share's own "for X", or the verb it is the subject of ("aimed at", "going to")
        holders = [share, share.head] if share.dep_ in {"nsubj", "nsubjpass"} else [share]
        found.extend(
            t
            for holder in holders
            for p in holder.children
            if p.dep_ == "prep" and p.lower_ in {"at", "for", "to", "towards"}
            for g in p.children
            if g.dep_ == "pobj"
            for t in _recipients(g)
            if _in_place(t)
        )
    return found


def _helped(verb: Token) -> list[Token]:
    """Who a payment is made to help: "pledged €3bn to help Turkey", "to support Jordan",
    "the payment of €50m to help X patrol its coast"."""
    for child in verb.children:
        if child.dep_ in {"xcomp", "advcl", "acl"} and child.lemma_ in _HELP_VERBS:
            for obj in child.children:
                if obj.dep_ == "dobj":
                    return _recipients(obj)
            for clause in child.children:  # "to help X move away from oil"
                if clause.dep_ in {"ccomp", "xcomp"}:
                    for subject in clause.children:
                        if subject.dep_ == "nsubj":
                            return _recipients(subject)
    return []


def _place_just_before(verb: Token) -> list[Token]:
    """The place written right before a verb, over auxiliaries and adverbs ("the UK will
    pay"): a fallback where the parse gave the verb another subject."""
    doc = verb.doc
    index = verb.i - 1
    while index >= 0:
        token = doc[index]
        if token.lower_ == "to":  # "is to pay", "agreed to pay"; not "with X to fund"
            before = doc[index - 1] if index > 0 else None
            if before is None or not (before.pos_ == "AUX" or before.lemma_ in _CONTROL_VERBS):
                return []
        elif not (token.pos_ in _BETWEEN_SUBJECT_AND_VERB or token.lemma_ in _CONTROL_VERBS):
            break
        index -= 1
    if index >= 0 and _in_place(verb.doc[index]):
        return [verb.doc[index]]
    return []


def _attached_to(token: Token, anchors: set[Token], steps: int = 3) -> bool:
    """Whether ``token`` is an anchor or hangs from one through a short chain of modifiers
    ("a memorandum of understanding with X": with → understanding → of → memorandum)."""
    for _ in range(steps + 1):
        if token in anchors:
            return True
        if token.pos_ in {"VERB", "AUX"} and any(c in anchors for c in token.children):
            return True  # "follows agreements with A and with B": B hangs from the verb
        if token.dep_ not in {"prep", "pobj", "compound", "amod", "appos", "nmod"}:
            return False
        token = token.head
    return False


def _in_purpose_or_demand(token: Token) -> bool:
    """Whether a cue sits in a purpose clause ("a deal to end crossings") or under a demand
    ("called on the government to end the deal"): it then says nothing of the deal's state."""
    item = token
    for _ in range(6):
        to_clause = item.dep_ in {"advcl", "acl", "xcomp", "relcl"} and any(
            child.dep_ == "aux" and child.lower_ == "to" for child in item.children
        )
        # "the deal is to be scrapped" says what will be, not what for
        if to_clause and not (item.dep_ == "xcomp" and item.head.lemma_ == "be"):
            return True
        if item.head.lemma_ in _DEMAND_VERBS and item != item.head:
            return True
        if item.head == item:
            return False
        item = item.head
    return False


_PROSPECTIVE_HEADS = {"process", "move", "step", "bid", "attempt", "effort", "begin", "start"}


def _prospective(token: Token) -> bool:
    """Whether a cue is only begun or sought ("has begun the process of terminating them",
    "moves to end the deal"): the deal is not yet in that state."""
    item = token
    for _ in range(3):
        if item.head == item:
            return False
        if item.head.lemma_.lower() in _PROSPECTIVE_HEADS and item.dep_ in {
            "pcomp",
            "xcomp",
            "pobj",
            "prep",
        }:
            return True
        item = item.head
    return False


def _hypothetical(token: Token) -> bool:
    """Whether a cue is only possible ("the deal could be scrapped", "might collapse")."""
    return any(c.dep_ == "aux" and c.lower_ in _MODALS for c in token.children)


_SIGNING = {"sign", "agree", "conclude", "seal", "ink", "strike", "reach", "finalise", "finalize"}


_REPLACING = {"replace", "supersede", "succeed", "follow", "build", "extend", "expand"}
_PRELIMINARY = {"political", "provisional", "preliminary", "tentative", "interim", "outline"}


def _preliminary(verb: Token) -> bool:
    """Whether what a verb concludes is a first step: "reached a political agreement", "an
    agreement in principle", "agreed in principle"."""
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"} and any(
            m.dep_ in {"amod", "compound"} and m.lower_ in _PRELIMINARY for m in child.children
        ):
            return True
    return any(
        t.lower_ == "principle" and t.head.lower_ == "in" for t in verb.subtree if t.i > verb.i
    )


def _failed(verb: Token) -> bool:
    """Whether a signing did not happen: "failed to agree", "have yet to sign"."""
    head = verb.head
    if verb.dep_ != "xcomp" or head == verb:
        return False
    return head.lemma_ == "fail" or any(c.lower_ == "yet" for c in head.children)


def _future(verb: Token) -> bool:
    """Whether a verb is still to happen: "will sign", "is to sign", "hope to sign", "if it
    signs", "once it signs"."""
    if any(c.dep_ == "aux" and c.lower_ in {"will", "shall", "'ll"} for c in verb.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "once"} for c in verb.children):
        return verb.tag_ != "VBD" and not any(c.lower_ == "had" for c in verb.children)
    head = verb.head
    heads = {"be", "due", "set", "go", "hope", "aim", "intend", "plan", "want", "expect"}
    return verb.dep_ == "xcomp" and head.lemma_ in heads and head != verb


def _reported(token: Token) -> bool:
    """Whether a verb is what someone says ("officials said the two had signed it"): its
    past perfect is the reporting's backshift, not an earlier stage."""
    item = token if token.pos_ in {"VERB", "AUX"} else token.head
    for _ in range(3):
        if item.dep_ != "ccomp" or item.head == item:
            return False
        item = item.head
        if item.lemma_ in _REPORTING:
            return True
    return False


def _past_perfect(token: Token) -> bool:
    """Whether a verb is in the past perfect ("had blocked", "had been suspended"): a stage
    before the one the story tells."""
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    return any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in verb.children)


_DENYING = {"deny", "refuse", "reject", "decline", "dispute"}


def _denied(verb: Token) -> bool:
    """Whether a payment is said not to happen: "X denied paying Y", "X refused to pay Y", "no
    money was paid to Y", "Y has received nothing"."""
    item = verb
    for _ in range(3):
        if item.dep_ not in {"xcomp", "ccomp"} or item.head == item:
            break
        item = item.head
        if item.lemma_ in _DENYING:
            return True
    return any(
        c.dep_ in {"nsubjpass", "dobj", "nsubj"}
        and (c.lower_ in {"nothing", "none"} or any(d.lower_ == "no" for d in c.children))
        for c in verb.children
    )


def _hedged(token: Token) -> bool:
    """Whether a payment is only possible or on a condition ("X may pay Y", "could fund",
    "will pay Y if talks succeed"); "would" alone is reported intent ("said it would pay")."""
    if any(c.dep_ == "aux" and c.lower_ in _MODALS - {"would"} for c in token.children):
        return True
    return any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)
        for c in token.children
    )


_WH_WORDS = {"how", "what", "who", "whom"}


def _in_question(token: Token) -> bool:
    """Whether a verb is only asked or left open: "whether X will pay", "if Y pays", "how
    much X will pay (has not been disclosed)" (a clause its wh-word opens, not a relative one:
    "X, which will pay", says it pays)."""
    if any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in token.children):
        return True
    first = token.left_edge
    if token.dep_ == "relcl" or first.i >= token.i or first.lower_ not in _WH_WORDS:
        return False
    item = first.head  # the wh-word is the verb's own, not a verb's before it
    while item != token and item.pos_ not in {"VERB", "AUX"} and item.head != item:
        item = item.head
    return item == token


def _negated(token: Token) -> bool:
    """Whether a word, or the verb it completes, is negated ("did not sign", "has not been
    able to conclude"); a clause of its own under that verb is not ("it never took effect
    before it was terminated": it was terminated)."""
    own_clause = token.dep_ in {"advcl", "relcl", "ccomp"} and any(
        c.dep_ in {"mark", "nsubj", "nsubjpass"} for c in token.children
    )
    items = (token,) if own_clause else (token, token.head)
    return any(child.dep_ == "neg" for item in items for child in item.children)


@Language.factory(
    "pg_deal_extractor",
    default_config={"patterns_dir": None},
)
def make_deal_extractor(nlp: Language, name: str, patterns_dir: str | None) -> DealExtractor:
    """Build the deal reader, with its patterns from ``patterns_dir`` (default: bundled)."""
    extractor = DealExtractor(nlp, name)
    extractor.from_disk(Path(patterns_dir) if patterns_dir else PATTERN_DIR)
    return extractor


class DealExtractor:
    """Marks deal words, parties, payments, status cues, purposes, amounts and critics."""

    def __init__(self, nlp: Language, name: str = "pg_deal_extractor") -> None:
        self.nlp = nlp
        self.name = name
        self.matchers: dict[str, Matcher] = {}
        self.ids: dict[str, str] = {}
        self.dependency = DependencyMatcher(nlp.vocab)
        self.dependency_nodes: dict[str, list[str]] = {}

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> DealExtractor:
        """Load every pattern file (``<kind>.jsonl``: one ``{"label", "pattern"}`` per line)."""
        for kind in PATTERN_FILES:
            matcher = Matcher(self.nlp.vocab)
            lines = (path / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines):
                if not line.strip():
                    continue
                entry = json.loads(line)
                key = f"{kind}:{entry['label']}:{number}"
                self.ids[key] = entry.get("id", entry["label"])
                matcher.add(key, [entry["pattern"]])
            self.matchers[kind] = matcher
        self.dependency = DependencyMatcher(self.nlp.vocab)
        lines = (path / f"{DEPENDENCY_FILE}.jsonl").read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip():
                entry = json.loads(line)
                key = f"{entry['label']}:{number}"
                self.dependency.add(key, [entry["pattern"]])
                self.dependency_nodes[key] = [node["RIGHT_ID"] for node in entry["pattern"]]
        return self

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        """The patterns are data shipped with the package; nothing to save."""

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        self.set_annotations(doc, matches)
        return doc

    def relations(self, doc: Doc) -> list[tuple[str, dict[str, Token]]]:
        """Every DependencyMatcher match: its label and its tokens by node name."""
        found: list[tuple[str, dict[str, Token]]] = []
        if not (doc.has_annotation("DEP") and doc.has_annotation("POS")):
            return found  # nothing to match on an unparsed text
        for match_id, token_ids in self.dependency(doc):
            key = self.nlp.vocab.strings[match_id]
            nodes = dict(zip(self.dependency_nodes[key], (doc[i] for i in token_ids), strict=True))
            found.append((key.split(":")[0], nodes))
        return found

    def match(self, doc: Doc) -> dict[str, list[tuple[str, Span]]]:
        """Every pattern match, by pattern file, as ``(label, span)``."""
        found: dict[str, list[tuple[str, Span]]] = {}
        for kind, matcher in self.matchers.items():
            rows = []
            for match_id, start, end in matcher(doc):
                key = self.nlp.vocab.strings[match_id]
                rows.append((key.split(":")[1], doc[start:end], self.ids[key]))
            found[kind] = [
                (label if kind != "roles" else ident, span) for label, span, ident in rows
            ]
        return found

    def set_annotations(self, doc: Doc, matches: dict[str, list[tuple[str, Span]]]) -> None:
        """Read the parse around the matches into ``doc._.pg_facts`` (the whole sentence) and
        ``doc._.pg_clauses`` (one ``SentenceFacts`` per coordinated clause: "X funds A, and
        Y signed a memorandum with B" speaks of two deals)."""
        doc._.pg_facts = self._facts(doc, matches, None)
        clauses: dict[int, set[int]] = {}
        for token in doc:
            clauses.setdefault(_clause_head(token).i, set()).add(token.i)
        if len(clauses) == 1:
            doc._.pg_clauses = [doc._.pg_facts]
            return
        doc._.pg_clauses = [
            self._facts(doc, matches, members) for _, members in sorted(clauses.items())
        ]

    def _facts(
        self,
        doc: Doc,
        all_matches: dict[str, list[tuple[str, Span]]],
        clause: set[int] | None,
    ) -> SentenceFacts:
        """The facts of the sentence, or of the clause made of the token indices ``clause``."""

        def inside(token: Token) -> bool:
            return clause is None or token.i in clause

        matches = {
            kind: [(label, span) for label, span in rows if inside(span.root)]
            for kind, rows in all_matches.items()
        }
        facts = SentenceFacts()
        plans = self._relations(doc, facts, inside)
        deal_tokens = [
            span.root
            for label, span in matches["deal_terms"]
            if not _named_elsewise(span.root)
            # words that are deals only with both sides named: "the EU-Turkey statement"
            and (label != "NAMED_ONLY" or _named_sides(span.root) or span.root in plans)
            # "suspended its cooperation with X": a working deal, with a side named
            and (label != "COOPERATION" or _named_sides(span.root) or _with_a_place(span.root))
        ]
        # "the government's plan to send asylum seekers to X": a plan that moves people to
        # another country is that country's deal
        deal_tokens += [t for t in plans if t not in deal_tokens and not _named_elsewise(t)]
        # a letter of intent, however signed, is a deal proposed, not concluded
        intent = any(
            label == "INTENT" and span.root in deal_tokens for label, span in matches["deal_terms"]
        )
        facts.deal_terms = [_span(t) for t in deal_tokens]
        for verb in doc:  # "A and B agreed to cooperate on returns": a deal, by its verb
            if inside(verb) and _agreed_to(verb):
                facts.deal_terms.append(_span(verb))
                facts.initiators.extend(
                    _span(t)
                    for c in verb.children
                    if c.dep_ == "nsubj"
                    for t in _with_conjuncts(c)
                    if _in_place(t)
                )
        if len(deal_tokens) >= 2 and any(
            _deal_years(t) and t.dep_ != "appos" and not _bare_definite(t) for t in deal_tokens
        ):
            facts.dated_indefinite = True  # "the agreement adds to the accord signed in 2003"
        for token in deal_tokens:
            # "under the political agreement" (the one deal the clause names; not "it replaces
            # the interim agreement")
            facts.preliminary |= (
                len(deal_tokens) == 1
                and token.head.lemma_ not in _REPLACING
                and any(
                    c.dep_ in {"amod", "compound"} and c.lower_ in _PRELIMINARY
                    for c in token.children
                )
            )
            modifiers = {child.lower_ for child in token.children if child.dep_ in {"det", "amod"}}
            facts.anaphoric |= bool(modifiers & _ANAPHORIC)
            facts.similar |= bool(modifiers & _SIMILAR)
            facts.distinct |= bool(modifiers & _DISTINCT)
            facts.earlier |= bool(modifiers & _EARLIER)
            numbers = [_COUNTS.get(c.lower_) for c in token.children if c.dep_ == "nummod"]
            facts.plural |= token.tag_ in {"NNS", "NNPS"} and token.lemma_.lower() in _DEAL_WORDS
            if token.tag_ in {"NNS", "NNPS"} and numbers and numbers[0]:
                facts.count = max(facts.count, numbers[0])  # "two agreements, one on …"
            facts.years.extend(y for y in _deal_years(token) if y not in facts.years)
            facts.bare |= _bare_definite(token)
            if any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in token.children):
                facts.indefinite = True
                facts.dated_indefinite |= bool(_deal_years(token))
                if token.lemma_.lower() in {"package", "deal"}:
                    # the amount a new deal is written with: "a £800,000 package", "a
                    # package of trade deals worth £12.3bn" (not one of a phrase inside it)
                    own = [doc[token.left_edge.i : token.i + 1].text]
                    own += [
                        doc[c.left_edge.i : c.right_edge.i + 1].text
                        for c in token.children
                        if c.lower_ in {"worth", "of", "totalling", "totaling", "valued"}
                    ]
                    facts.deal_amounts += [
                        m.group(0).strip() for text in own for m in _AMOUNT.finditer(text)
                    ]

        talk_tokens = [
            span.root for label, span in matches["status_cues"] if label == "negotiating"
        ]
        anchors = set(deal_tokens) | set(talk_tokens)
        for token in doc:
            if token.lemma_ in _AGREE_VERBS and token.pos_ == "VERB" and inside(token):
                anchors.add(token)
        for token in doc:
            if not inside(token):
                continue
            by_preposition = token.dep_ == "pobj" and token.head.lower_ in _PARTY_PREPS
            if by_preposition and _is_time(token):
                continue  # "an arrangement between 2013 and 2018": its years, not its sides
            if deal_tokens and _handed_to(token):
                # "under the treaty, A will hand sovereignty of the islands to B": the side
                # a deal transfers something to
                facts.counterparties.extend(_span(t) for t in _with_conjuncts(token))
                continue
            if by_preposition and _attached_to(token.head.head, anchors):
                spans = [_span(t) for t in _with_conjuncts(token)]
                if token.head.lower_ in {"between", "among"}:
                    facts.initiators.extend(spans)  # "a deal between A and B": both sides
                else:
                    facts.counterparties.extend(spans)
        # what critics say of a deal: its cue is no act of the deal's sides ("X condemned the
        # deal": X did not make it); a speech verb is commentary only where it blames
        blame = {
            span.root: self._critics(label, span.root) for label, span in matches["critic_cues"]
        }
        commentary = {
            span.root
            for label, span in matches["critic_cues"]
            if label in {"CRITICISE", "STANCE", "PRAISE"} or blame[span.root]
        }
        for token in deal_tokens:
            facts.initiators.extend(self._initiators(token, commentary))
            facts.counterparties.extend(_span(t) for t in _moved_to_under(token))
            # "the UK-Rwanda deal", "the German-Namibian declaration": both sides by name
            facts.initiators.extend(_span(t) for t in _named_sides(token))
        if not facts.initiators:
            facts.initiators.extend(self._clause_subjects(doc, facts.counterparties, commentary))
            for token in deal_tokens:
                for child in token.children:
                    if child.dep_ in {"compound", "amod", "poss"} and child.pos_ in {
                        "PROPN",
                        "ADJ",
                    }:
                        facts.counterparties.extend(_span(t) for t in _with_conjuncts(child))

        for label, span in matches["status_cues"]:
            cue = span.root
            if label == "concluded" and cue.lemma_ in _SIGNING and _failed(cue):
                facts.statuses.append(("negotiating", _span(span)))  # "failed to agree a deal"
                continue
            if label == "concluded" and cue.lemma_ in _SIGNING and _future(cue):
                if not _negated(cue):  # "A and B hope to sign a treaty": a deal proposed
                    facts.statuses.append(("proposed", _span(span)))
                continue
            if _negated(cue) or _in_purpose_or_demand(cue) or _hypothetical(cue):
                continue
            if _prospective(cue):
                continue
            if cue.lemma_ == "end" and any(c.dep_ == "prt" for c in cue.children):
                continue  # "could end up funding": no ending
            if cue.lemma_ in {"seek", "pursue", "want"} and not any(
                c.dep_ == "dobj" and (c.lower_ in _DEAL_WORDS or c.lemma_ in _TALK_WORDS)
                for c in cue.children
            ):
                continue  # "sought to stem migration" seeks no deal; "seeks a deal" does
            # "reached a political agreement", "agreed in principle": a first step only
            later = label == "concluded" and _preliminary(cue)
            facts.statuses.append(
                ("proposed" if (intent or later) and label == "concluded" else label, _span(span))
            )
            if _past_perfect(cue) and not _reported(cue):
                facts.prior_statuses.append(_span(span))
        for label, span in matches["purpose_cues"]:
            if label == "returns" and any(
                a.lemma_ == "right" for a in list(span.root.ancestors)[:2]
            ):
                continue  # a people's "right to return" home is no returns of migrants
            if _in_return_for(span.root):
                continue  # "in return for $1bn": what is given back, not people returned
            if label not in facts.purposes:
                facts.purposes.append(label)
        text = doc.text
        if clause is not None:
            words = [doc[i] for i in sorted(clause)]
            text = doc.text[words[0].idx : words[-1].idx + len(words[-1].text)]
        facts.amounts = [m.group(0).strip() for m in _AMOUNT.finditer(text)]

        for label, span in matches["payment_cues"]:
            self._payment(label, span.root, facts, bool(facts.amounts))
        for found in _AMOUNT.finditer(doc.text):  # amounts that say who gives, who gets them
            money = doc.char_span(found.start(), found.end(), alignment_mode="expand")
            if money is not None and inside(money.root) and money.root.dep_ != "pobj":
                self._payment("AMOUNT", money.root, facts, True)
        for token in deal_tokens:  # "a partnership with X backed by €3bn": its sides' money
            if _backed_by_money(token) and len(facts.initiators) == 1:
                facts.payment = True
                facts.payers.extend(facts.initiators)
                facts.payees.extend(facts.counterparties)
        for cue, critics in blame.items():
            facts.critics.extend(critics)
            if critics and _targets_deal(cue):
                facts.criticises_deal = True
                facts.criticises_by_pronoun |= not _targets_deal(cue, pronouns=False)
        facts.roles = [(ident, _span(span)) for ident, span in matches["roles"]]

        for token in doc:
            if token.dep_ == "appos" and token.lemma_ in _REGION_NOUNS and inside(token):
                for prep in token.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for pobj in prep.children:
                            if pobj.dep_ == "pobj":
                                facts.part_of.append((_span(token.head), _span(pobj)))
        for name in ("counterparties", "initiators", "payers", "payees"):
            setattr(facts, name, list(dict.fromkeys(getattr(facts, name))))
        return facts

    def _relations(self, doc: Doc, facts: SentenceFacts, inside: Any) -> list[Token]:
        """The relations the dependency patterns name directly: "a deal with X", "talks
        with X", "a deal between A and B", "A pays B", "funding for X", "X … in exchange for
        €Y", "a plan to send migrants to X". The code after them covers what patterns cannot
        (control verbs, fallbacks). Returns the plans that move people to a named place."""
        plans: list[Token] = []
        for label, nodes in self.relations(doc):
            if not inside(next(iter(nodes.values()))):
                continue
            if label == "PLAN_TO_SEND" and nodes["deal"] not in plans:
                plans.append(nodes["deal"])
            # ("in" → the verb it is attached to)
            if label == "EXCHANGE_FOR_MONEY" and _place_controlling(nodes["exchange"].head.head):
                continue  # "A and B … committing B to take back migrants in exchange for €N"
            verb = nodes.get("verb")
            if verb is not None and (
                _negated(verb) or _in_question(verb) or _hedged(verb) or _denied(verb)
            ):
                if "payee" in nodes:  # "did not pay X": X is a side, but no payment is said
                    facts.counterparties.extend(_span(t) for t in _with_conjuncts(nodes["payee"]))
                    facts.unpaid = True
                continue
            if "counterparty" in nodes:
                facts.counterparties.extend(
                    _span(t) for t in _with_conjuncts(nodes["counterparty"])
                )
            if "initiator" in nodes:
                facts.initiators.extend(_span(t) for t in _with_conjuncts(nodes["initiator"]))
            if "payer" in nodes:
                facts.payers.extend(_span(t) for t in _with_conjuncts(nodes["payer"]))
            if "payee" in nodes:
                facts.payees.extend(_span(t) for t in _with_conjuncts(nodes["payee"]))
            if label in {"SUBJECT_PAYS_OBJECT", "FUNDING_FOR", "EXCHANGE_FOR_MONEY"}:
                facts.payment = True
        return plans

    @staticmethod
    def _initiators(deal: Token, commentary: set[Token]) -> list[CharSpan]:
        found: list[Token] = []
        for child in deal.children:
            if child.dep_ == "poss":
                found.extend(_with_conjuncts(child))
            if child.dep_ == "relcl":  # "a protocol that A and B have had since 2002"
                for subject in child.children:
                    if subject.dep_ == "nsubj" and subject.pos_ in {"PROPN", "NOUN"}:
                        found.extend(_with_conjuncts(subject))
            if child.dep_ == "acl" and child.lemma_ in _AGREE_VERBS:  # "a deal signed by A and B"
                found.extend(_agents(child))
        verb = deal.head
        # "people flown from A to B under an arrangement": the two ends of what the deal moves
        found.extend(_ends_moved_under(deal))
        # (a deal noun the parser took for a clause, "agreed a returns deal": an object)
        as_object = deal.dep_ in {"ccomp", "xcomp", "oprd"} and (
            deal.pos_ == "NOUN" or _noun_read_as_verb(deal)
        )
        if deal.dep_ in {"dobj", "nsubjpass", "attr", "pobj"} or as_object:
            if deal.dep_ == "pobj":
                verb = deal.head.head
                if verb.pos_ == "NOUN" and verb.dep_ == "dobj" and verb.head.pos_ == "VERB":
                    verb = verb.head  # "A and B concluded negotiations on an agreement"
                elif (
                    verb.lemma_ in _TALK_WORDS
                    and verb.dep_ == "pobj"
                    and verb.head.head.pos_ in {"VERB", "AUX"}
                ):
                    verb = verb.head.head  # "A and B, now in advanced talks over an accord"
            if verb in commentary or verb.lemma_ in _DEMAND_VERBS:
                return [_span(_noun_phrase(t)) for t in found]
            for child in verb.children:
                if child.dep_ == "nsubj" and child != deal:
                    found.extend(_with_conjuncts(child))
                if child.dep_ == "agent":
                    found.extend(t for g in child.children for t in _with_conjuncts(g))
            above = verb
            for _ in range(3):  # "A and B are set to sign a deal": the subject of "are"
                if found or above.dep_ not in {"xcomp", "ccomp", "conj", "acomp"}:
                    break
                above = above.head
                if above in commentary or above.lemma_ in _DEMAND_VERBS | _REPORTING:
                    break  # "X said it would scrap the deal": X comments, it did not sign
                for child in above.children:
                    # ("are set to sign": the raised subject is the passive's)
                    if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and above.i < verb.i):
                        found.extend(_with_conjuncts(child))
        return [_span(_noun_phrase(t)) for t in found]

    @staticmethod
    def _clause_subjects(
        doc: Doc, counterparties: list[CharSpan], commentary: set[Token]
    ) -> list[CharSpan]:
        """The subject of the clause a counterparty hangs from ("Spain is negotiating with X")."""
        found: list[Token] = []
        for start, _ in counterparties:
            token = doc.char_span(start, start + 1, alignment_mode="expand")
            item = token.root if token is not None else None
            while item is not None and item.pos_ not in {"VERB", "AUX"} and item.head != item:
                item = item.head
            if item is None or item in commentary or item.lemma_ in _DEMAND_VERBS:
                continue
            for child in item.children:
                if child.dep_ == "nsubj" and child.pos_ in {"PROPN", "NOUN"}:
                    if token is not None and token.root in child.subtree:
                        continue  # "talks with X are advanced": the subject holds X itself
                    found.extend(t for t in _with_conjuncts(child) if t not in found)
        return [_span(_noun_phrase(t)) for t in found]

    @staticmethod
    def _payment(label: str, cue: Token, facts: SentenceFacts, has_amount: bool) -> None:
        # "did not pay X", "could pay X", "have not said whether Y will pay X": no payment is
        # said, but X is still a side of the deal the sentence speaks of
        unsaid = label in {"PAY", "RECEIVE"} and (
            _negated(cue) or _in_question(cue) or _hedged(cue) or _denied(cue)
        )
        payers: list[Token] = []
        payees: list[Token] = []
        if label == "PAY" and cue.pos_ == "VERB":
            inherent = cue.lemma_ in _PAYEE_IS_OBJECT  # pay, fund: money whatever the object
            if cue.lemma_ in _WITH_A_SUM and not has_amount:
                return
            if any(c.dep_ in {"prt", "advmod"} and c.lower_ == "back" for c in cue.children):
                return  # "sent back €60m", "paid back": money returned, not a deal's payment
            if (
                cue.lemma_ == "commit"
                and any(c.dep_ == "xcomp" for c in cue.children)
                and not any(c.dep_ == "dobj" and _is_money(c) for c in cue.children)
            ):
                return  # "committing X to take back migrants": a duty, not a payment
            supplies = _with_money(cue)  # "provided X with €250m": X is paid
            costs = [  # "cover the cost of X's border posts", "foot the bill"
                c for c in cue.children if c.dep_ == "dobj" and c.lemma_.lower() in _COSTS
            ]
            if cue.lemma_ in _COVERING and not costs:
                return  # "cover the story" is no payment
            if costs:
                payees.extend(
                    t
                    for cost in costs
                    for prep in cost.children
                    if prep.dep_ == "prep" and prep.lower_ in {"of", "for"}
                    for g in prep.children
                    for t in _recipients(g)
                )
            elif not inherent and not _gives_money(cue) and not supplies:
                return  # "send asylum seekers to X" is no payment
            subject, below = cue, cue
            while not any(c.dep_ in {"nsubj", "nsubjpass"} for c in subject.children) and (
                subject.dep_ in {"xcomp", "ccomp", "conj", "advcl"} and subject.head != subject
            ):
                below, subject = subject, subject.head  # "Spain has agreed to give Morocco €30m"
            if subject != cue:
                # "Cyprus presses the EU to fund X": the EU would pay; but "X will keep the
                # base, paying £Nm": X pays, not the base
                controller = [
                    c for c in subject.children if c.dep_ == "dobj" and below.dep_ == "xcomp"
                ]
                if controller:
                    payers.extend(_with_conjuncts(controller[0]))
                else:
                    for child in subject.children:
                        if child.dep_ == "nsubj":
                            payers.extend(_with_conjuncts(child))
            children = list(cue.children)
            if not any(c.dep_ in {"dobj", "dative"} for c in children):
                # "fund, train and equip the coastguard": the object is shared
                children += [c for v in cue.conjuncts for c in v.children if c.dep_ == "dobj"]
            for child in children:
                if child.dep_ in {"nsubj"}:
                    payers.extend(_with_conjuncts(child))
                elif child.dep_ == "nsubjpass":  # "X's coast guard is funded by Y"
                    payees.extend(t for c in _with_conjuncts(child) for t in _recipients(c))
                elif child.dep_ == "agent":
                    payers.extend(t for g in child.children for t in _with_conjuncts(g))
                elif child.dep_ == "dobj" and (inherent or supplies) and not _is_money(child):
                    payees.extend(_recipients(child))  # "pay X", "provided X with €Nm"
                elif child.dep_ == "dobj" and _in_place(child) and not _is_money(child):
                    payees.extend(_with_conjuncts(child))  # "hand X €20m", parsed X as object
                elif child.dep_ == "dobj" and inherent:  # "pay X annual payments"
                    payees.extend(
                        t for t in child.lefts if t.dep_ in {"nmod", "poss"} and _in_place(t)
                    )
                    _money_ends(child, payers, payees)
                elif child.dep_ == "dobj" and _is_money(child):  # "earmarked €Nm for X"
                    _money_ends(child, payers, payees)
                elif cue.lemma_ == "spend" and child.dep_ in {"xcomp", "advcl"}:
                    # "spent €100m training and equipping X's coastguard"
                    payees.extend(
                        t
                        for item in [child, *child.conjuncts]
                        for o in item.children
                        if o.dep_ == "dobj"
                        for t in _recipients(o)
                    )
                elif cue.lemma_ == "spend" and child.dep_ == "prep" and child.lower_ == "on":
                    payees.extend(  # "on X", not "on the A-B deal": its sides, not payees
                        t
                        for g in child.children
                        if g.lower_ not in _DEAL_WORDS
                        for t in _recipients(g)
                    )
                elif child.dep_ == "conj" and child.pos_ == "PROPN" and _in_place(child):
                    payees.append(child)  # "pay X €20m and Y €15m": the parse gaps the verb
                elif child.dep_ == "dative" and child.pos_ == "ADP":  # "give €Nm to X"
                    payees.extend(t for g in child.children for t in _recipients(g))
                elif child.dep_ == "dative":  # "gave X's coast guard boats and €Nm"
                    payees.extend(t for c in _with_conjuncts(child) for t in _recipients(c))
                elif child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS.get(
                    cue.lemma_, {"to", "for"}
                ):
                    for pobj in child.children:
                        payees.extend(_recipients(pobj))
                elif child.dep_ == "prep" and child.lower_ == "in" and _gives_money(cue):
                    # "transferred $1bn in compensation to X": the recipient under the kind
                    payees.extend(
                        t
                        for pobj in child.children
                        if pobj.lower_ not in {"return", "exchange"}  # not what is given back
                        for prep in pobj.children
                        if prep.dep_ == "prep" and prep.lower_ in {"to", "for"}
                        for g in prep.children
                        for t in _recipients(g)
                    )
            if not payees:  # "promised $20bn to help X": who the money is to help
                payees.extend(_helped(cue))
            deal = cue.head if cue.dep_ == "relcl" else None
            relative = any(c.dep_ == "nsubj" and c.lower_ in {"which", "that"} for c in children)
            if deal is not None and relative and deal.lower_ in _DEAL_WORDS:
                # "X's memorandum with Y, which promised €105m": the deal's sides pay and are paid
                for child in deal.children:
                    if child.dep_ == "poss":
                        payers.extend(_with_conjuncts(child))
                    elif child.dep_ == "prep" and child.lower_ == "with" and not payees:
                        payees.extend(t for g in child.children for t in _recipients(g))
            written_before = _place_just_before(cue)  # "the UK will pay": plainer than a parse
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in cue.children)
            if passive:  # "X will be paid by Y": the place before is the one paid
                written_before = []
            if written_before and not set(written_before) & set(payers):
                payers = written_before  # (the last of a list of payers is still the list)
        elif label == "RECEIVE" and cue.pos_ == "VERB":
            objects = [c for c in cue.children if c.dep_ == "dobj"]
            if has_amount or any(
                o.lower_ in _MONEY_WORDS
                or o.lemma_.lower() in _MONEY_WORDS
                or o.ent_type_ == "MONEY"
                for o in objects
            ):
                for child in cue.children:
                    if child.dep_ == "nsubj":
                        payees.extend(_with_conjuncts(child))
                    elif child.dep_ == "prep" and child.lower_ == "from":
                        payers.extend(t for g in child.children for t in _with_conjuncts(g))
                head = cue.head
                if not payees and cue.dep_ == "xcomp" and head.lemma_ in _RAISING:
                    # "X is to receive €Nm", "X is expected to receive": X is paid
                    payees.extend(
                        t
                        for c in head.children
                        if c.dep_ in {"nsubj", "nsubjpass"}
                        for t in _with_conjuncts(c)
                    )
        elif label == "BUY" and cue.pos_ == "VERB":
            # the buyer pays the seller: "A buys oil from B", "A buys most of its oil from
            # B's capital" (the seller hangs from what is bought)
            objects = [c for c in cue.children if c.dep_ == "dobj"]
            held = [
                g
                for o in objects
                for g in o.subtree
                if g.dep_ == "prep" and g.lower_ == "from" and g.head.pos_ == "NOUN"
            ]
            # and a lessor is paid by whom it leases to: "B will lease the port to A"
            lessor = cue.lemma_ in _LETTING and any(
                c.lower_ == "to" and c.dep_ in {"prep", "dative"} for c in cue.children
            )
            for child in [*cue.children, *held]:
                if child.dep_ == "nsubj":
                    (payees if lessor else payers).extend(_with_conjuncts(child))
                elif child.dep_ == "prep" and child.lower_ == ("to" if lessor else "from"):
                    found = [t for g in child.children for t in _recipients(g)]
                    (payers if lessor else payees).extend(found)
        elif label == "FUNDING":
            financial = any(  # "financial support", "budget support"
                c.lemma_.lower() in _FINANCIAL_MODIFIERS
                for c in cue.children
                if c.dep_ in {"amod", "compound"}
            )
            if cue.lemma_.lower() in _SOFT_FUNDING and not (has_amount or financial):
                return  # "support for X" is money only where money is said
            for child in cue.children:
                if child.dep_ in {"poss", "compound"} and child.pos_ == "PROPN":
                    payers.extend(_with_conjuncts(child))
                elif child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS.get(
                    cue.lemma_.lower(), {"for", "to"}
                ):  # "a deposit of $Nbn with the central bank of X"
                    payees.extend(t for g in child.children for t in _recipients(g))
                elif child.dep_ == "prep" and child.lower_ in {"from", "by"}:
                    # "a loan from X", "a $35bn investment by X"
                    payers.extend(t for g in child.children for t in _with_conjuncts(g))
                elif child.dep_ == "acl" and child.lemma_ in _GRANTING:
                    payers.extend(_agents(child))  # "the money promised by X"
            if not payees:  # "the payment of €50m to help X"
                for holder in (cue, *cue.ancestors):
                    payees.extend(_helped(holder))
                    if payees:
                        break
            verb = cue.head
            if cue.dep_ == "pobj" and verb.lower_ == "in" and verb.head.pos_ == "VERB":
                verb = verb.head  # "announced €1bn in financial assistance for X"
                cue = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), cue)
            own = any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in cue.children)
            # ("the EU suspended budget support to X", "cut off aid to X": money all the same)
            money = own or financial or cue.lemma_.lower() not in _SOFT_FUNDING
            granting = verb.lemma_ in _GRANTING or (money and verb.lemma_ in _SCALING)
            if not payers and cue.dep_ in {"dobj", "nsubjpass"} and granting:
                # "the lender approved a $7bn loan for X": who grants it pays; "X will double
                # its financial support to Y": its support is X's
                payers.extend(
                    t for c in verb.children if c.dep_ == "nsubj" for t in _with_conjuncts(c)
                )
            if not payees and cue.dep_ == "dobj" and granting:  # "double its aid to X"
                payees.extend(
                    t
                    for c in verb.children
                    if c.dep_ == "prep" and c.lower_ in {"to", "for"}
                    for g in c.children
                    for t in _recipients(g)
                )
        elif label == "AMOUNT":
            # "€50m from X for Y's border forces": an amount with its giver and its recipient
            for item in cue.subtree:
                if item.dep_ == "prep" and item.lower_ == "from" and item.head.i >= cue.i:
                    payers.extend(
                        t for g in item.children if g.dep_ == "pobj" for t in _with_conjuncts(g)
                    )
                elif item.dep_ == "prep" and item.lower_ in {"for", "to"}:
                    payees.extend(
                        t for g in item.children if g.dep_ == "pobj" for t in _recipients(g)
                    )
            pledged = [
                t
                for acl in cue.children
                if acl.dep_ == "acl" and acl.lemma_ in _GRANTING
                for t in _agents(acl)
            ]  # "more than $6bn promised by X": X gives it, to whoever the story's money goes
            payers.extend(pledged)
            if payers and not payees:  # "includes €80m from X for Y's border forces"
                for item in cue.head.children:
                    if item.dep_ == "prep" and item.lower_ in {"for", "to"}:
                        payees.extend(
                            t for g in item.children if g.dep_ == "pobj" for t in _recipients(g)
                        )
            if not (payers and payees) and not pledged:
                return  # an amount alone names no payment
        elif label == "EXCHANGE" and has_amount:
            verb = cue.head if cue.dep_ != "ROOT" else cue
            while (
                verb.dep_ not in {"ROOT", "ccomp", "xcomp", "advcl", "conj"} and verb.head != verb
            ):
                verb = verb.head
            # who takes something in exchange for money is paid ("X agreed to take back
            # migrants in return for €Nm"); who buys or leases it pays ("A will lease the port
            # from B in exchange for annual payments")
            buyer = verb.lemma_ in _ACQUIRING and not any(
                c.lower_ == "to" and c.dep_ in {"prep", "dative"} for c in verb.children
            )
            controlling = _place_controlling(verb)
            if controlling is not None:  # "committing X to take back migrants …": X takes them
                (payers if buyer else payees).extend(_with_conjuncts(controlling))
            for child in verb.children:
                if child.dep_ == "nsubj":
                    (payers if buyer else payees).extend(_with_conjuncts(child))
                elif buyer and child.dep_ == "prep" and child.lower_ == "from":
                    payees.extend(t for g in child.children for t in _recipients(g))
        if unsaid:
            facts.counterparties.extend(_span(t) for t in payees)
            facts.unpaid |= bool(payees)
        elif payers or payees:
            payees.extend(t for t in _shared_to(cue.sent) if t not in payees)
            facts.payment = True
            facts.payers.extend(_span(t) for t in payers)
            facts.payees.extend(_span(t) for t in payees)

    @staticmethod
    def _critics(label: str, cue: Token) -> list[CharSpan]:
        """Who criticises a deal, by the frame of the cue: "X condemned the deal" (CRITICISE),
        "X rejects the declaration", "X does not accept the agreement", "X was opposed to such
        arrangements" (STANCE, NOT_BACK), "X called the scheme unworkable", "described it as
        a waste" (EVALUATE, with a word of blame), "X said the plan was cruel" (SAY, with a
        word of blame in what was said). A critic phrase keeps its appositions and owners, so
        "Labour's spokeswoman, Jo Bloggs" is the person and the party."""
        words = _word_sets()
        if label == "PRAISE":
            return []  # "X welcomed the deal": commentary, neither a side nor a critic
        if label == "NOT_BACK" and not _negated(cue):
            return []
        if cue.lemma_ == "accuse" and not any(
            t.lemma_.lower() in _PAYEE_IS_OBJECT | words["negative_words"] | words["critic_targets"]
            or t.lower_ in words["negative_words"]
            for prep in cue.children
            if prep.lower_ == "of"
            for t in prep.subtree
        ):
            return []  # "accused X of paying Y to …" blames a deal; "of deporting people" not
        if label == "UNDO" and not (
            cue.dep_ == "xcomp" and cue.head.lemma_ in _PLEDGING and _targets_deal(cue)
        ):
            return []  # "X has vowed to scrap it" opposes it; "X will scrap it" ends it
        objections = _objections(cue)
        if label in {"CONCERN", "DRAW"} and (
            not objections or _negated(cue) or not _targets_deal(cue)
        ):
            return []  # "X raised concerns over the deal"; not "X raised €5m", nor "X has
            # faced criticism over his record"
        if label == "DRAW":  # "the pact has drawn criticism from X": X
            return [
                _span(_critic_phrase(t))
                for o in objections
                for prep in [*o.children, *cue.children]
                if prep.dep_ == "prep" and prep.lower_ in {"from", "by"}
                for g in prep.children
                if g.dep_ == "pobj"
                for t in _with_conjuncts(g)
                if t.pos_ in {"NOUN", "PROPN"}
            ]
        if label in {"EVALUATE", "SAY"}:
            said = [  # (and "branded it a disgrace", which the parse makes an adverb)
                c
                for c in cue.children
                if c.dep_ in {"ccomp", "oprd", "xcomp", "dobj", "prep", "npadvmod"}
            ]
            blamed = any(
                t.lower_ in words["negative_words"] or t.lemma_.lower() in words["negative_words"]
                for c in said
                for t in c.subtree
            )
            if not blamed or _negated(cue):
                return []
        if label == "STANCE" and (cue.pos_ in {"ADJ", "ADP"} or cue.dep_ == "acomp"):
            cue = cue.head  # "it was firmly opposed to …"
        found: list[Token] = []
        for child in cue.children:
            if child.dep_ == "agent":
                found.extend(t for g in child.children for t in _with_conjuncts(g))
            elif child.dep_ == "nsubj" and cue.pos_ in {"VERB", "AUX"}:
                found.extend(_with_conjuncts(child))
        if not found and cue.dep_ == "xcomp" and label in {"CRITICISE", "UNDO"}:
            # "X vowed to challenge it", "X threatened to oppose the plan": the subject of the
            # verb it completes
            found.extend(
                t for c in cue.head.children if c.dep_ == "nsubj" for t in _with_conjuncts(c)
            )
        found = [_speaker_of(t) for t in found]
        return [
            _span(_critic_phrase(t))
            for t in found
            # ("the protocol raised serious concerns": the deal is what is criticised)
            if t.pos_ in {"NOUN", "PROPN"} and t.lemma_.lower() not in words["critic_targets"]
        ]


_CLOCK = re.compile(r"\d{1,2}[.:]\d{2}(?:[ap]\.?m\.?)?", re.IGNORECASE)
# verbs whose subject pays for what it takes ("A buys oil from B", "A leases a port from B"),
# and of those the ones whose subject may instead be paid ("B leases the port to A")
_ACQUIRING = {"buy", "purchase", "import", "lease", "rent"}
_LETTING = {"lease", "rent"}
# verbs that hand something over to a side: "hand sovereignty to B", "cede the islands to B"
_TRANSFERRING = {"hand", "transfer", "cede", "return", "relinquish", "surrender", "restore"}


def _handed_to(token: Token) -> bool:
    """Whether the word is who a transfer verb hands a thing (not money, not people) to:
    "hand sovereignty of the islands to B", "cede control over the territory to B"."""
    prep = token.head
    verb = prep.head
    if token.dep_ != "pobj" or prep.lower_ != "to" or prep.dep_ != "prep":
        return False
    if verb.lemma_ not in _TRANSFERRING or verb.pos_ != "VERB":
        return False
    things = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    return bool(things) and not any(
        _is_money(t)
        or t.lemma_ in {"migrant", "people", "person", "refugee", "asylum"}
        or t.ent_type_ in {"NORP", "PERSON", "CARDINAL"}
        for t in things
    )


def _place_controlling(verb: Token) -> Token | None:
    """The place that does what a subjectless verb says, as the object of the verb it
    completes: "committing B to take back migrants in exchange for €N" (B takes them back,
    not the subject of "committing"); None if there is none."""
    if verb.dep_ != "xcomp" or any(c.dep_ == "nsubj" for c in verb.children):
        return None
    return next((c for c in verb.head.children if c.dep_ == "dobj" and _in_place(c)), None)


def _noun_read_as_verb(token: Token) -> bool:
    """Whether a deal word the parser took for a verb is the head of a noun phrase: "signed
    the long-awaited trade deal" parsed as "the trade" doing "deal" (its subject is the
    word just before it, with a determiner, and nothing is dealt with)."""
    if token.pos_ != "VERB" or any(c.lower_ in {"with", "in"} for c in token.children):
        return False  # "to deal with", "deals in arms": a verb
    return any(
        c.dep_ == "nsubj" and c.i == token.i - 1 and any(d.dep_ == "det" for d in c.children)
        for c in token.children
    )


def _objections(verb: Token) -> list[Token]:
    """The words of objection a verb takes as its object ("raised concerns", "has drawn
    criticism"), not those denied ("raised no objection")."""
    words = _word_sets()["objection_words"]
    return [
        c
        for c in verb.children
        if c.dep_ in {"dobj", "nsubjpass"}
        and c.lemma_.lower() in words
        and not any(d.lower_ in {"no", "few", "little"} for d in c.children)
    ]


def _targets_deal(cue: Token, pronouns: bool = True) -> bool:
    """Whether what a critic's cue is about is a deal or a stand-in for one: its object ("the
    plan", "it"), what its reported clause is about ("said the policy was cruel"), or what
    one is opposed to ("opposed to such arrangements")."""
    targets = _word_sets()["critic_targets"]
    heads = [cue.head, cue] if cue.pos_ in {"ADJ", "ADP"} or cue.dep_ == "acomp" else [cue]
    objects: list[Token] = []
    about = {"to", "against", "of", "on", "over", "about", "at"}
    for head in heads:
        objections = _objections(head)
        for child in head.children:
            if child in objections:
                # "raised concerns over the deal"; "the pact has drawn criticism"
                objects.extend(
                    g
                    for prep in child.children
                    if prep.dep_ == "prep" and prep.lower_ in about
                    for g in prep.children
                    if g.dep_ == "pobj"
                )
                objects.extend(c for c in head.children if c.dep_ == "nsubj")
            elif child.dep_ in {"dobj", "nsubjpass"}:
                objects.append(child)
            elif child.dep_ == "prep" and child.lower_ in about:
                objects.extend(g for g in child.children if g.dep_ == "pobj")
            elif child.dep_ == "ccomp":
                objects.extend(g for g in child.children if g.dep_ in {"nsubj", "nsubjpass"})
    if not pronouns:
        objects = [o for o in objects if o.pos_ != "PRON"]
    return any(o.lower_ in targets or o.lemma_.lower() in targets for o in objects)


def _in_return_for(token: Token) -> bool:
    """Whether the word is the "return" of the idiom "in return (for)" (an exchange): "in
    return for $1bn", "In return, X will pay"; not "progress in return of migrants"."""
    doc = token.doc
    after = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    return (
        token.lower_ == "return"
        and token.i > 0
        and doc[token.i - 1].lower_ == "in"
        and after not in {"of", "to"}
    )


def _speaker_of(token: Token) -> Token:
    """A pronoun subject as the one whose words it is in ("UNHCR said it was opposed": UNHCR);
    a relative pronoun as the noun its clause is about ("the Greens, who have pledged to …")."""
    if token.lower_ in {"which", "who"} and token.head.dep_ == "relcl":
        return token.head.head
    if token.pos_ != "PRON" or token.lower_ not in {"it", "they", "he", "she", "we"}:
        return token
    for verb in token.head.ancestors:
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if subject is not None:
            return subject
    return token


def _critic_phrase(token: Token) -> Span:
    """A critic's phrase: the noun phrase with its owners and appositions ("Labour's home
    affairs spokeswoman, Jo Bloggs"), without relative clauses."""
    left_out: set[Token] = set()
    for item in token.subtree:
        if item != token and item.dep_ in {"relcl", "acl", "advcl", "conj", "cc"}:
            left_out.update(item.subtree)
    keep = [t for t in token.subtree if t not in left_out]
    while len(keep) > 1 and keep[0].dep_ in {"det", "predet"}:
        keep = keep[1:]
    return token.doc[keep[0].i : keep[-1].i + 1] if keep else token.doc[token.i : token.i + 1]


def facts_of(doc: Doc) -> Any:
    """The ``SentenceFacts`` the component wrote for the sentence (empty if it did not run)."""
    return doc._.pg_facts or SentenceFacts()


def clauses_of(doc: Doc) -> list[Any]:
    """The ``SentenceFacts`` of each coordinated clause of the sentence."""
    return doc._.pg_clauses or [facts_of(doc)]


def _clause_head(token: Token) -> Token:
    """The verb heading the token's clause: the root, or a verb coordinated with it."""
    item = token
    for _ in range(len(token.doc)):
        if item.dep_ == "ROOT" or (item.dep_ == "conj" and item.pos_ in {"VERB", "AUX"}):
            return item
        item = item.head
    return item


NAME_PARTICLES = {
    "von", "van", "der", "den", "de", "da", "di", "del", "della", "la", "le", "bin", "al",
    "el", "ter",
}  # fmt: skip
LEXICON = PATTERN_DIR / "actor_types.json"
_ROMAN = re.compile(r"^[IVX]{1,4}$")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[str]]:
    """Words that tell an actor's kind (``patterns/actor_types.json``): government bodies,
    parties, organisations, programmes, job titles and honorifics."""
    data: dict[str, list[str]] = json.loads(LEXICON.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _word_sets() -> dict[str, frozenset[str]]:
    sets = {k: frozenset(v) for k, v in lexicon().items() if isinstance(v, list)}
    sets["parties_set"] = frozenset(p.lower() for p in lexicon()["parties"])
    return sets


@dataclass
class _Ent:
    """An entity span of the name guard's, by token offsets, while it is being mended."""

    start: int
    end: int
    label: str
    ident: str


@Language.component("pg_name_guard")
def name_guard(doc: Doc) -> Doc:
    """Fix what a gazetteer-first pipeline and a small model get wrong about people's names.

    - A place name followed by an untagged proper noun is a person's name ("Chad Novak", not
      the country Chad).
    - A name ending in particles goes on to the surname ("Ana van" + "der Berg"), even
      where the model took the surname for a place.
    - An honorific and the capitalised words after it are a name ("Lord Fenwick", "Dame Ada
      Quill", "King Omar III"), and a courtesy title belongs to the name it follows.
    - A name written after a job title is a person even if the model said organisation
      ("spokeswoman Aline Mutesi"); one written after an organisation noun is not a person
      ("the NGO Mar Abierto").
    - Places and job words the model put in front of a name are not part of it ("Rwandan
      Foreign" of "Rwandan Foreign Minister X" is no one), and the first words of a job title
      are no body ("Home" of "the Home Secretary").
    """
    words = _word_sets()
    spans = [_Ent(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]
    changed = _names_holding_places(doc, spans, words)
    spans = [s for s in spans if s.label]
    index = 0
    while index < len(spans):
        current = spans[index]
        start, end, label, ident = current.start, current.end, current.label, current.ident
        was = (start, end, label)
        if label in {"GPE", "NORP"} and end - start == 1 and doc[start].pos_ == "PROPN":
            while end < len(doc) and _bare_name_word(doc[end]):
                end += 1
            if end > was[1]:
                label = "PERSON"
        if label == "PERSON":
            while end < len(doc) and doc[end - 1].lower_ in NAME_PARTICLES:
                following = spans[index + 1] if index + 1 < len(spans) else None
                if doc[end].lower_ in NAME_PARTICLES or _bare_name_word(doc[end]):
                    end += 1
                elif (
                    following is not None
                    and following.start == end
                    and following.end - following.start == 1
                    and not following.ident
                    and doc[end].pos_ == "PROPN"
                ):
                    end += 1  # the model's own guess, not a gazetteer place
                    spans.pop(index + 1)
                else:
                    break
            while start > 0 and _bare_name_word(doc[start - 1]):
                start -= 1  # "Ivo" + "Karlsson"
            if start > 0:
                before = doc[start - 1]
                if before.lower_.rstrip(".") in words["honorifics"] and not before.ent_type_:
                    start -= 1
            if start > 0 and doc[start - 1].lower_ in words["organisation_nouns"]:
                label = "ORG"  # "the NGO Mar Abierto"
        if label == "ORG" and _looks_named_after_a_role(doc, start, end, words):
            label = "PERSON"  # "government spokeswoman Aline Mutesi"
        if label == "ORG" and _honourable(doc, start, end):
            label = "PERSON"  # "the Rt Hon Ada Quill MP"
        if label == "ORG" and _part_of_a_title(doc, start, end, words):
            label = ""  # "Home" of "the Home Secretary": a job's words, no body
        if (
            label == "ORG"
            and end - start == 1
            and start > 0
            and _CLOCK.fullmatch(doc[start - 1].text)
        ):
            label = ""  # "14.32 GMT": a time zone after a clock time, no body
        if label == "PERSON":
            named_body = _organisation_end(doc, end, words)
            if named_body:  # "U.K. Supreme" + "Court", "Civil Liberties" + "Union": a body
                end, label = named_body, "ORG"
            else:
                start = _without_leading_places(doc, start, end, words)
                if start >= end:
                    label = ""
        if (start, end, label) != was:
            changed = True
            ident = ident if (start, end, label) == was else ""
        spans[index] = _Ent(start, end, label, ident)
        index += 1
    honoured = _honorific_names(doc, spans, words)
    if honoured is not None:
        spans, changed = honoured, True
    if changed:
        doc.ents = [
            Span(doc, s.start, s.end, label=s.label, span_id=s.ident) for s in _apart(spans)
        ]
    return doc


def _part_of_a_title(doc: Doc, start: int, end: int, words: dict) -> bool:
    """Whether a span is only the first words of a job title ("Home" or "Foreign" before
    "Secretary", "Interior" before "Minister")."""
    return (
        end < len(doc)
        and doc[end].lower_ in words["role_nouns"]
        and all(t.lower_ in words["role_words"] for t in doc[start:end])
    )


def _apart(spans: list[_Ent]) -> list[_Ent]:
    """The labelled spans, overlaps resolved (the longer, then the earlier, wins): the mended
    names must never make two entities share a token."""
    taken: set[int] = set()
    kept: list[_Ent] = []
    live = [s for s in spans if s.label and s.start < s.end]
    for span in sorted(live, key=lambda s: (s.start - s.end, s.start)):
        if not taken & set(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


_NAME_JOINERS = {"of", "for", "de", "du", "des", "del", "di"}
_WATERS = {"strait", "straits", "sea", "gulf", "bay", "channel", "ocean", "lake", "river"}


def _headline_case(doc: Doc) -> bool:
    """Whether most words of a sentence are capitalised, as in a headline ("UK Pays Rwanda")."""
    alpha = [t for t in doc if t.is_alpha and len(t) > 3]
    return bool(alpha) and sum(t.is_title for t in alpha) > 0.6 * len(alpha)


def _name_word_before_place(token: Token, words: dict) -> bool:
    """Whether a capitalised word before a place makes one name with it ("Air France",
    "Northern Ireland"), rather than being a title, a role or a sentence's first word."""
    return (
        token.pos_ in {"PROPN", "ADJ"}
        and token.is_title
        and not token.ent_type_
        and not token.is_sent_start
        and token.lower_ not in words["honorifics"]
        and token.lower_ not in words["role_words"]
        and token.lower_ not in words["role_nouns"]
        and token.lower_ not in words["government_words"]
        and (token.pos_ == "PROPN" or token.lower_ in words["direction_words"])
    )


def _names_holding_places(doc: Doc, spans: list[_Ent], words: dict) -> bool:
    """Mend names that hold a place's name, which the gazetteer ruler split before the model
    saw them: "the Migrant Council of" + "Chile", "Alliance for" + "Peru", "Radio
    Chile-Sur", "Renew Peru", "the Strait of" + "Magellan". The whole is one organisation
    (a party, where the lexicon knows it), or one body of water; the place is no mention of
    its own. Returns whether anything changed."""
    changed = False
    for index, span in enumerate(spans):
        if span.label not in {"GPE", "NORP"} or not span.ident:
            continue  # only the gazetteer's places
        start, end = span.start, span.end
        before = start
        if before > 0 and doc[before - 1].lower_ in _NAME_JOINERS:
            before -= 1
            owner = next(
                (
                    s
                    for s in spans
                    if s.end in {before, span.start}
                    and (s.label in {"ORG", "LOC", "FAC"} or (s.label and not s.ident))
                ),
                None,
            )
            if owner is not None:
                start = owner.start
                owner.label = ""
            else:
                while before > 0 and doc[before - 1].is_title and not doc[before - 1].ent_type_:
                    before -= 1  # "Alliance for Peru"
                start = before if before < span.start - 1 else span.start
        hyphen = end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].is_title
        # (not a pair of places, "the Italy-Albania protocol": two sides, no one name)
        paired = any(s.ident and s.start == end + 1 for s in spans)
        if (
            hyphen
            and not paired
            and start > 0
            and doc[start - 1].is_title
            and doc[start - 1].pos_ == "PROPN"
            and not doc[start - 1].ent_type_
        ):
            start, end = start - 1, end + 2  # "Radio Chile-Sur"
        party = f"{doc[start - 1].lower_} {doc[start:end].text.lower()}" if start > 0 else ""
        if party in words["parties_set"]:
            start -= 1  # a party the lexicon knows by such a name
        region = False
        if start == span.start and end == span.end and not _headline_case(doc):
            after = doc[end] if end < len(doc) else None
            before_word = doc[start - 1] if start > 1 else None  # not the sentence's first
            if (
                after is not None
                and after.is_title
                and not after.ent_type_
                and after.lower_ in words["organisation_words"]
            ):
                end += 1  # "the Washington Post", "Kenya Airways": a body's name
            elif before_word is not None and _name_word_before_place(before_word, words):
                start -= 1  # "Air France", "the barge Bibby Stockholm": a name
                region = before_word.lower_ in words["direction_words"]  # "Northern Ireland"
        if start == span.start and end == span.end:
            continue
        water = any(doc[i].lower_ in _WATERS for i in range(start, span.start))
        while start < span.start and doc[start].dep_ == "det":
            start += 1
        spans[index] = _Ent(start, end, "LOC" if water or region else "ORG", "")
        changed = True
    return changed


def _honourable(doc: Doc, start: int, end: int) -> bool:
    """Whether a span opens with the style of a privy counsellor ("Rt Hon", "Right
    Honourable") and goes on to a name: a person, whatever the model said."""
    if start < end and doc[start].lower_ == "the":
        start += 1
    first = [t.lower_.rstrip(".") for t in doc[start : min(start + 2, end)]]
    return (
        end - start >= 3
        and first[0] in {"rt", "right"}
        and first[1] in {"hon", "honourable", "honorable"}
        and doc[start + 2].is_title
    )


def _looks_named_after_a_role(doc: Doc, start: int, end: int, words: dict) -> bool:
    """Whether an organisation span is a name written beside a job title: "spokeswoman X",
    "Ghana's Interior Minister, X,", "X, the interior minister,"."""
    tokens = doc[start:end]
    roles = words["role_nouns"]
    before = start > 0 and doc[start - 1].lower_ in roles
    before |= start > 1 and doc[start - 1].text == "," and doc[start - 2].lower_ in roles
    after = (
        end + 1 < len(doc)
        and doc[end].text == ","
        and any(t.lower_ in roles for t in doc[end + 1 : end + 5])
        and doc[end + 1].lower_ in {"the", "a", "an", "its", "his", "her", "their"}
    )
    return (
        (before or after)
        and 2 <= len(tokens) <= 3
        and all(t.pos_ == "PROPN" and t.is_title for t in tokens)
        and not {t.lower_ for t in tokens}
        & (words["organisation_words"] | words["government_words"])
    )


def _organisation_end(doc: Doc, end: int, words: dict) -> int | None:
    """Where an organisation's name ends, when the capitalised words right after a span
    close with a word of institutions ("… Supreme Court", "… Port Holdings"); else None."""
    bodies = words["organisation_words"] | words["government_words"]
    for index in range(end, min(end + 3, len(doc))):
        token = doc[index]
        if not (token.is_title or token.is_upper) or token.ent_type_ not in {"", "ORG"}:
            return None
        if token.lower_ in bodies:
            return index + 1
    return None


def _without_leading_places(doc: Doc, start: int, end: int, words: dict) -> int:
    """Where a person span really starts: after any place, nationality or job word the model
    took into it ("Caribbean Ana Lind", "Peruvian Foreign")."""
    from graph.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()

    def not_a_name(token: Token) -> bool:
        if token.lower_ in words["role_words"] or token.lower_ in words["role_nouns"]:
            return True
        place = gazetteer.lookup(token.text) if token.is_title else None
        # a nationality or a region is no one's name; a country's may be ("Chad Novak")
        return place is not None and (
            place.code is None or token.lower_ in {d.lower() for d in place.demonyms}
        )

    while start < end and not_a_name(doc[start]):
        start += 1
    return start


def _honorific_names(doc: Doc, spans: list[_Ent], words: dict) -> list[_Ent] | None:
    """Spans with every "honorific + capitalised words" written as a person's name ("Lord
    Fenwick", "Dame Ada Quill", "King Omar III"), in place of whatever the model had there;
    None if there is none to add."""
    owner = {i: s for s in spans for i in range(s.start, s.end) if s.label}
    added = False
    for token in doc:
        if token.lower_.rstrip(".") not in words["honorifics"] or not token.text[:1].isupper():
            continue
        other = owner.get(token.i)
        if other is not None and other.label != "PERSON":
            continue
        end = token.i + 1
        while end < len(doc) and (
            (
                doc[end].pos_ == "PROPN"
                and doc[end].is_title
                and doc[end].lower_ not in words["role_nouns"]
            )
            or (_ROMAN.match(doc[end].text) and end > token.i + 1)
        ):
            held = owner.get(end)
            if held is not None and held.label != "PERSON":
                break
            end += 1
        if end == token.i + 1:
            continue
        covered = [s for s in spans if s.label and s.start < end and token.i < s.end]
        if any(s.label != "PERSON" for s in covered):
            continue
        if len(covered) == 1 and covered[0].start <= token.i and covered[0].end >= end:
            continue  # the model's name already holds it
        for s in covered:
            s.label = ""
        span = _Ent(token.i, end, "PERSON", "")
        spans.append(span)
        for i in range(token.i, end):
            owner[i] = span
        added = True
    return spans if added else None


def _bare_name_word(token: Token) -> bool:
    words = _word_sets()
    return (
        token.pos_ == "PROPN"
        and not token.ent_type_
        and token.is_title
        and token.lower_ not in words["role_nouns"]
        and token.lower_ not in words["role_words"]  # "the UK" + "Prime Minister": no name
        and token.lower_ not in words["government_words"]
        and token.lower_ not in words["organisation_words"]
        and token.lower_ not in words["place_nouns"]
    )
