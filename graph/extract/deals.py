"""Deals read across the sentences of one article.

Each sentence's ``SentenceFacts`` either names parties (then it opens or extends a group of
deals with the same parties: a *cluster*), or speaks of deals without naming parties ("such
deals", "the agreements", "similar arrangements"), and then adds what it says (status,
purpose, amount, critics) to the cluster the article is talking about. A cluster becomes one
deal per counterparty country: "talks with A, B and C" are three deals.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from graph.extract.amounts import parse_amount
from graph.extract.components import SentenceFacts, clauses_of, facts_of, lexicon
from graph.extract.entities import Resolution
from graph.model import PURPOSES, STATUSES, Actor, Article, Deal, Evidence
from graph.vocab import slug

PARTY_TYPES = {"Country", "Region", "Supranational"}
# words that stand for a government named earlier in the sentence ("In Britain, … the
# government's treaty with X")
STAND_INS = {
    "it",
    "its",
    "they",
    "their",
    "them",
    "itself",
    "government",
    "government's",
    "governments",
    "ministers",
    "officials",
    "authorities",
    "administration",
    "cabinet",
    "junta",
    "regime",
    "presidency",
    "state",
    "country",
    "nation",
}
PRONOUNS = {"it", "its", "they", "their", "them", "itself"}
# "critics", "opponents", "the government": no one a critic can be named as
NAMELESS_CRITICS = frozenset(lexicon()["nameless_critics"]) | frozenset(lexicon()["generic"])
_PARTY_AND_STATE = re.compile(r"[DRI]-[A-Z][A-Za-z.]{1,12}")  # "D-Calif.", "R-Texas"
BLOC = re.compile(r"\bthe bloc\b", re.IGNORECASE)
# a deal reported with no word for its state is one that exists ("under the agreement")
DEFAULT_STATUS = "concluded"


@dataclass
class Cluster:
    """Deals the article describes together: the same initiators, one or more counterparties."""

    initiators: list[str] = field(default_factory=list)
    counterparties: list[str] = field(default_factory=list)
    payers: list[str] = field(default_factory=list)
    payees: list[str] = field(default_factory=list)
    statuses: list[tuple[int, str]] = field(default_factory=list)  # (sentence, status)
    prior: list[tuple[int, str]] = field(default_factory=list)  # of those, the past perfect
    purposes: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    paid_amounts: list[str] = field(default_factory=list)  # those written where money moves
    critics: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    payment_sentences: list[int] = field(default_factory=list)
    similar_to: Cluster | None = None
    year: str | None = None  # the year it is dated by, where the article says
    named: bool = False  # whether a deal word ("agreement", "package") has named it yet
    lender: bool = False  # paid by an organisation, not a state ("the IMF approved a loan")
    distinction: str | None = None  # what tells it from an earlier deal between the same sides
    precedent: bool = False  # opened as "an earlier arrangement": not the story's own deal
    preliminary: bool = False  # called "a political agreement": concluded only as a first step

    def absorb(self, other: Cluster) -> None:
        """Take what another (party-less) cluster collected."""
        for name in ("statuses", "prior", "purposes", "amounts", "critics", "sentences"):
            mine = getattr(self, name)
            mine.extend(
                x for x in getattr(other, name) if name in {"statuses", "prior"} or x not in mine
            )


# words of the bodies whose money makes them a side of a deal: lenders, funds, companies
_LENDER_WORDS = {
    "bank", "fund", "monetary", "finance", "financial", "investment", "development",
    "holdings", "corporation", "company", "group", "authority",
}  # fmt: skip


def _lends(label: str) -> bool:
    """Whether an organisation is one whose payment makes it a party (a development bank, a
    monetary fund, a state company), not a charity spending on its own work."""
    return bool(set(re.findall(r"[a-z]+", label.lower())) & _LENDER_WORDS)


def _same_money(text: str) -> tuple[object, ...]:
    """What makes two written amounts the same money: "€7.4-billion" and "7.4-billion-euro"
    are one; an amount with no value read is compared as written."""
    amount = parse_amount(text)
    if amount.value is not None:
        return (amount.value, amount.currency)
    return (" ".join(text.split()),)


def _extend(target: list[str], items: list[str]) -> None:
    target.extend(item for item in items if item not in target)


PENDING = {"proposed", "negotiating"}


class DealReader:
    """Builds an article's deals from its sentences' facts and its resolved actors."""

    def __init__(self, article: Article, docs: list[Doc], res: Resolution) -> None:
        self.article = article
        self.docs = docs
        self.res = res
        self._not_stand_in: set[str] = set()
        self._unstated: set[int] = set()  # the deals whose status no sentence states
        self._published_year = str(article.published.year) if article.published else None
        self._clusters: list[Cluster] = []

    def _country(self, key: str) -> str:
        """The country an actor stands for: a place is itself; a person, their nationality."""
        return self.res.nationality.get(key, key)

    def _places(
        self,
        sentence: int,
        spans: list[tuple[int, int]],
        people: bool = True,
        stand_ins: bool = True,
    ) -> list[str]:
        """The parties named in the spans: places, and with ``people`` the country a person
        named there speaks for (a minister for their country). With ``stand_ins``, a phrase
        that stands for a state ("the government", "the Home Office") is the place named before
        it in the sentence: true of the side that acts (who signs, who pays), not of the other
        ("a deal with the government" after naming the signer is no deal with itself)."""
        offset = self.article.sentences[sentence].start
        keys: list[str] = []
        for span in spans:
            found = [
                self._country(key)
                for key in self.res.at(sentence, span, offset)
                if people or self.res.actors[key].type != "Person"
            ]
            # a party is a state or body with an ISO code: not a sea or a continent
            parties = [k for k in found if self._is_party(k)]
            if not parties and stand_ins and self._is_stand_in(sentence, span, found):
                before = self._subject_before(sentence, span) or self._place_before(
                    sentence, offset + span[0]
                )
                parties = [k for k in before if self._is_party(k)]
            for key in parties:
                if key not in keys:
                    keys.append(key)
        return keys

    def _is_party(self, key: str) -> bool:
        actor = self.res.actors[key]
        # a supranational body is a side with or without a code (the EU, Mercosur)
        return actor.type in PARTY_TYPES and (bool(actor.iso_code) or actor.type == "Supranational")

    def _is_stand_in(self, sentence: int, span: tuple[int, int], found: list[str]) -> bool:
        """Whether a phrase stands for a state without naming it: "the government", "its",
        "the Novak administration", "Mr X's government", or a state body such as a ministry
        or a court (a Government actor no country is named for)."""
        offset = self.article.sentences[sentence].start
        text = self.article.text[offset + span[0] : offset + span[1]].strip().lower()
        text = text.removeprefix("the ").removesuffix("'s").removesuffix("’s")
        if text in STAND_INS:
            return True
        kinds = {self.res.actors[k].type for k in found}
        if text.rsplit(" ", 1)[-1] in STAND_INS - PRONOUNS:  # "the Novak administration"
            return bool(kinds) and kinds <= {"Person", "Organisation"}
        return kinds == {"Government"}

    @staticmethod
    def _main_cluster(clusters: list[Cluster]) -> Cluster | None:
        """The deal the article is mostly about so far: the one said in the most sentences
        (the first of those), not a precedent."""
        told = [c for c in clusters if not c.precedent and (c.initiators or c.counterparties)]
        return max(told, key=lambda c: len(c.sentences), default=None)

    def _stand_in_earlier(
        self, sentence: int, spans: list[tuple[int, int]], besides: list[str]
    ) -> list[str]:
        """For a stand-in for a state ("the administration", "the government") that nothing
        in its sentence resolves: the one other side of the deals ``besides`` (the clause's
        other side) already has, else the country or bloc named last in the three sentences
        before it, other than ``besides``."""
        text = self.article.sentences[sentence].text
        if not any(
            text[a:b].strip().lower().removesuffix("'s").split(" ")[-1] in STAND_INS - PRONOUNS
            and not self.res.at(sentence, (a, b), self.article.sentences[sentence].start)
            for a, b in spans
        ):
            return []
        tops = {self._top(k) for k in besides} | set(besides)
        # the other side of the one deal the paid side already has, if there is one
        sides = {
            k
            for c in self._clusters
            if tops & self._sides(c)
            for k in self._sides(c)
            if k not in tops and self._is_party(k)
        }
        if len(sides) == 1:
            return list(sides)
        for earlier in range(sentence - 1, max(sentence - 4, -1), -1):
            for mention in reversed(self.res.in_sentence(earlier)):
                key = mention.key
                if key is None or mention.literal == "dateline" or key in tops:
                    continue
                if self._is_party(key) and self.res.actors[key].type in {
                    "Country",
                    "Supranational",
                }:
                    return [key]
        return []

    def _subject_before(self, sentence: int, span: tuple[int, int]) -> list[str]:
        """For a pronoun ("its", "it"), the party that is the subject of a clause before it:
        "The EU has turned to X because its cooperation with Y …": its = the EU, not X."""
        text = self.article.sentences[sentence].text[span[0] : span[1]].strip().lower()
        if text not in PRONOUNS:
            return []
        doc = self.docs[sentence]
        offset = self.article.sentences[sentence].start
        before = [t for t in doc if t.idx < span[0]]
        for token in reversed(before):  # the nearest subject first
            if token.dep_ not in {"nsubj", "nsubjpass"} or token.pos_ == "PRON":
                continue
            end = token.idx + len(token.text)
            keys = [
                k
                for k in self.res.at(sentence, (token.left_edge.idx, end), offset)
                if self._is_party(self._country(k)) and k not in self._not_stand_in
            ]
            if keys:
                return [self._country(keys[0])]
        return []

    def _place_before(self, sentence: int, offset: int) -> list[str]:
        """The last party named before ``offset`` in the sentence ("Britain, where the
        government awaits a ruling on its agreement with …": its = Britain); "the bloc"
        counts as naming the supranational body the article speaks of."""
        candidates = [
            (m.start, m.key)
            for m in self.res.in_sentence(sentence)
            if m.key
            and m.literal != "dateline"
            and m.end <= offset
            and self.res.actors[m.key].type in PARTY_TYPES
            and m.key not in self._not_stand_in
        ]
        start = self.article.sentences[sentence].start
        body = self._main_body()
        if body:
            text = self.article.text[start:offset]
            candidates += [(start + m.start(), body) for m in BLOC.finditer(text)]
        return [max(candidates)[1]] if candidates else []  # type: ignore[list-item]

    def _main_body(self) -> str | None:
        """The supranational body the article mentions most, if any."""
        counts = Counter(
            m.key
            for m in self.res.mentions
            if m.key and self.res.actors[m.key].type == "Supranational"
        )
        return counts.most_common(1)[0][0] if counts else None

    def _top(self, key: str) -> str:
        return self.res.actors[key].part_of or key

    def _critic(self, sentence: int, span: tuple[int, int]) -> list[str]:
        """The actors a critic phrase names: its people, parties and bodies ("Labour's
        spokeswoman, Jo Bloggs": both), a place only if nothing else; else a new collective
        actor for a phrase no name resolves ("refugee campaigners")."""
        offset = self.article.sentences[sentence].start
        known = self.res.at(sentence, span, offset) or [
            m.key  # "lawyers at the Bar Association": the body they speak from, not a place
            for m in self.res.in_sentence(sentence)
            if m.key
            and offset + span[0] <= m.start < offset + span[1]
            and self.res.actors[m.key].type in {"Organisation", "PoliticalParty", "Government"}
        ]
        if known:
            actors = [k for k in known if not self._is_party(k)]
            return actors or known[:1]
        text = self.article.text[offset + span[0] : offset + span[1]].strip()
        if not text or not any(ch.isalpha() for ch in text):
            return []
        if text.lower() in NAMELESS_CRITICS or text.lower().split()[-1] in NAMELESS_CRITICS:
            return []  # "critics said …": no one the graph can name
        if _PARTY_AND_STATE.fullmatch(text):
            return []  # "Sen. X, D-Calif.,": an American politician's party and state
        key = f"organisation/{slug(text)}"
        if key not in self.res.actors:
            actor = Actor(key=key, label=text, type="Organisation", mentions=[text])
            s = self.article.sentences[sentence]
            actor.evidence.append(Evidence(s.text, s.start, s.end))
            self.res.actors[key] = actor
        return [key]

    def read(self) -> list[Deal]:
        """Every deal of the article."""
        clusters: list[Cluster] = []
        self._clusters = clusters  # the deals read so far, for a stand-in's look back
        current: Cluster | None = None
        pending = Cluster()
        for sentence, doc in zip(self.article.sentences, self.docs, strict=True):
            clauses = clauses_of(doc)
            whole = facts_of(doc)
            if not any(facts.about_deals for facts in clauses):
                main = self._main_cluster(clusters)
                # "the Greens called the plan cruel": of the story's deal; "… called it
                # cruel" only while the article speaks of deals (a deal in the two sentences
                # before)
                recent = any(
                    i in c.sentences
                    for c in clusters
                    for i in range(sentence.index - 2, sentence.index)
                )
                if main is not None:
                    for facts in clauses:
                        if facts.criticises_deal and (recent or not facts.criticises_by_pronoun):
                            for span in facts.critics:
                                _extend(main.critics, self._critic(sentence.index, span))
                continue
            if not (
                whole.deal_terms or whole.payment or whole.unpaid or whole.purposes or whole.amounts
            ):
                continue  # "travelled to X for talks with its prime minister": no deal said
            # a stand-in ("officials", "it") is never one of the sentence's counterparties
            self._not_stand_in = set(
                self._places(
                    sentence.index, [*whole.counterparties, *whole.payees], stand_ins=False
                )
            )
            for facts in clauses:  # a clause with no deal word still speaks of its sentence's
                if not (facts.about_deals or facts.critics or facts.statuses or facts.purposes):
                    continue
                cluster = self._read_clause(sentence.index, facts, clusters, current, pending)
                if cluster is not pending:
                    current = cluster
        homes = self._homes(clusters)
        # the sides the article's money goes to, most paid first
        recipients = [k for k, _ in Counter(k for c in clusters for k in c.payees).most_common()]
        deals: list[Deal] = []
        for cluster in clusters:
            partners = [
                k
                for other in reversed(clusters)
                if other is not cluster and set(cluster.initiators) & self._sides(other)
                for k in [*other.initiators, *other.counterparties]
                if k not in cluster.initiators
            ]
            deals.extend(self._deals(cluster, homes, partners, recipients))
        return self._merge(deals)

    def _read_clause(
        self,
        index: int,
        facts: SentenceFacts,
        clusters: list[Cluster],
        current: Cluster | None,
        pending: Cluster,
    ) -> Cluster:
        """Add what one clause says to the cluster it is about (opening one if it names new
        parties); return that cluster."""
        # who is paid is plainer than who initiated: a co-signer who is paid is a payee
        payers = self._places(index, facts.payers, people=False)
        offset = self.article.sentences[index].start
        lenders = [
            k
            for span in facts.payers
            for k in self.res.at(index, span, offset)
            if self.res.actors[k].type == "Organisation" and _lends(self.res.actors[k].label)
        ]
        lender = not payers and bool(lenders)
        # "a fund approved a loan for X": the lender is a paying side, beside any state
        payers = list(dict.fromkeys([*payers, *lenders]))
        payees = [
            k
            for k in self._places(index, facts.payees, people=False, stand_ins=False)
            if k not in payers
        ]
        if payees and not payers and not lenders:
            # "the administration will pay the Andean nation $7m", with no state named before
            # it in the sentence: the other side of the paid side's deal, else the state last
            # named before the sentence, other than the one paid
            payers = self._stand_in_earlier(index, facts.payers, payees)
        initiators = self._places(index, facts.initiators)
        _extend(initiators, payers)
        initiators = [k for k in initiators if k not in payees]
        counterparties = [
            k
            for k in self._places(index, [*facts.counterparties, *facts.payees], stand_ins=False)
            if k not in initiators
        ]
        if initiators and not counterparties and facts.counterparties:
            # "signed agreements with the Novak administration": the state it governs
            counterparties = self._stand_in_earlier(index, facts.counterparties, initiators)
        if facts.plural and facts.count == 1 and len(initiators) > 1 and len(counterparties) == 1:
            # "A and B both signed agreements with C": a deal each, which C has with both
            initiators, counterparties = counterparties, initiators
        cluster = None
        if payees and not payers:  # money for X from someone unnamed: X's paid deal
            cluster = self._cluster_for([c for c in clusters if c.payers], [], counterparties)
        cluster = cluster or self._cluster_for(clusters, initiators, counterparties)
        if cluster is None and len(initiators) == 1 and not counterparties and facts.bare:
            # "Rwandan officials said the partnership would last": the one deal that side is
            # the other side of
            theirs = [c for c in clusters if initiators[0] in self._sides(c) and not c.precedent]
            if len(theirs) == 1 and initiators[0] in theirs[0].counterparties:
                cluster = theirs[0]
        if cluster is None and not (initiators or counterparties) and facts.about_deals:
            cluster = current  # "the two leaders also signed a separate package": theirs
        if cluster is not None and self._another_deal(cluster, facts):
            cluster = self._split(cluster, facts, clusters)
        if cluster is None and (initiators or counterparties):
            # "a similar arrangement": like the last deal the article described with money
            paying = [c for c in clusters if c.payers]
            template = paying[-1] if paying else current
            cluster = Cluster(
                similar_to=template if facts.similar else None,
                year=facts.years[0] if facts.years else None,
                precedent=facts.earlier,
            )
            if not any(not c.precedent for c in clusters) and not cluster.precedent:
                cluster.absorb(pending)  # what was said of "the deal" before its sides were
            sides = set(initiators) | set(counterparties)
            same = [c for c in clusters if self._sides(c) == sides]
            if same and self._another_deal(same[-1], facts):
                # "A and B signed a separate deal in 2024" after A and B's first: a second
                cluster.distinction = cluster.year or str(len(same) + 1)
            clusters.append(cluster)
            for number in range(2, facts.count + 1):  # "A and B signed two agreements"
                twin = Cluster(
                    initiators=list(initiators),
                    counterparties=list(counterparties),
                    year=cluster.year,
                    named=True,
                    distinction=str(number),
                    statuses=[(index, label) for label, _ in facts.statuses],
                    purposes=list(facts.purposes),
                    sentences=[index],
                )
                clusters.append(twin)
        if cluster is None:
            cluster = current or pending
        if cluster.year is None and facts.years and facts.deal_terms and not cluster.named:
            cluster.year = facts.years[0]  # the first deal word to name it dates it
        cluster.named |= bool(facts.deal_terms)
        cluster.preliminary |= facts.preliminary
        # a side the deal already has on the other side stays there ("Rwanda's government
        # said it would honour the deal" after "a deal with Rwanda")
        _extend(cluster.initiators, [k for k in initiators if k not in cluster.counterparties])
        _extend(cluster.counterparties, counterparties)
        _extend(cluster.payers, payers)
        _extend(cluster.payees, payees)
        cluster.statuses.extend((index, label) for label, _ in facts.statuses)
        cluster.prior.extend(
            (index, label) for label, span in facts.statuses if span in facts.prior_statuses
        )
        _extend(cluster.purposes, facts.purposes)
        _extend(cluster.amounts, facts.amounts)
        if payers or payees:
            _extend(cluster.paid_amounts, facts.amounts)
        # a critic of "the deal" with no side named speaks of the story's deal
        anaphoric = facts.bare and not (initiators or counterparties or payers or payees)
        judged = (self._main_cluster(clusters) if anaphoric else None) or cluster
        for span in facts.critics:
            _extend(judged.critics, self._critic(index, span))
        if index not in cluster.sentences:
            cluster.sentences.append(index)
        if (payers or payees) and index not in cluster.payment_sentences:
            cluster.payment_sentences.append(index)
        cluster.lender |= lender
        return cluster

    def _another_deal(self, cluster: Cluster, facts: SentenceFacts) -> bool:
        """Whether a clause names another deal between the sides of ``cluster``: "a separate
        package", "an earlier arrangement"; a deal dated by another year ("the £480m package
        agreed in 2023", not a bare "the deal"); a new deal ("a package") with its own amount."""
        if not facts.deal_terms:
            return False
        if facts.distinct:
            return True
        year = cluster.year or self._published_year
        dated = (
            facts.years
            and (year not in facts.years if year else facts.dated_indefinite)
            and (not facts.bare or facts.dated_indefinite)  # "the deal builds on a 2021 one"
        )
        # a deal word already named this deal: this is another; but a headline's word is the
        # story's own deal, which the body then dates ("pact renewed", then "the 2021
        # memorandum … was renewed")
        headline = bool(cluster.sentences) and all(
            self.article.sentences[i].part == "headline" for i in cluster.sentences
        )
        if dated and cluster.named and not (headline and not facts.indefinite):
            return True
        # a deal still sought is not one "signed in 2019", when nothing dates the story
        sought = bool(cluster.statuses) and {s for _, s in cluster.statuses} <= PENDING
        if sought and not year and facts.years and not facts.bare:
            return any(label not in PENDING for label, _ in facts.statuses)
        amounts = {_same_money(a) for a in facts.deal_amounts}
        known = {_same_money(a) for a in cluster.amounts}
        return bool(amounts and known and not amounts & known)

    def _split(self, cluster: Cluster, facts: SentenceFacts, clusters: list[Cluster]) -> Cluster:
        """A new cluster for another deal between the sides of ``cluster``."""
        siblings = [c for c in clusters if self._sides(c) == self._sides(cluster)]
        other = Cluster(
            initiators=list(cluster.initiators),
            counterparties=list(cluster.counterparties),
            year=facts.years[0] if facts.years else None,
            named=True,
        )
        other.distinction = other.year or str(len(siblings) + 1)
        clusters.append(other)
        return other

    def _cluster_for(
        self, clusters: list[Cluster], initiators: list[str], counterparties: list[str]
    ) -> Cluster | None:
        tops = {self._top(k) for k in counterparties} | set(counterparties)
        named = set(initiators) | set(counterparties)
        for cluster in reversed(clusters):
            if cluster.precedent and len(named & self._sides(cluster)) < 2:
                continue  # an earlier deal, taken up again only by naming both its sides
            theirs = {self._top(k) for k in cluster.counterparties} | set(cluster.counterparties)
            same_side = (
                not initiators
                or not cluster.initiators
                or (set(initiators) & set(cluster.initiators))
            )
            if counterparties and tops & theirs and same_side:
                return cluster
            if counterparties and not initiators and set(counterparties) <= set(cluster.initiators):
                return cluster  # "an EU deal" after the EU's deal with X: that deal again
            if (
                initiators
                and cluster.initiators
                and not cluster.counterparties
                and not cluster.precedent
                and set(cluster.initiators) <= set(counterparties)
            ):
                # "X signed an agreement", then "Y will pay X": Y is its other side
                cluster.initiators, cluster.counterparties = [], list(cluster.initiators)
                return cluster
            shared = initiators and set(initiators) & set(cluster.initiators)
            # one side waiting for the other ("similar arrangements were reached by X", then
            # "X reached them with A and B"); a deal already between two initiators is whole
            waiting = len(initiators) == 1 and not counterparties
            one_sided = len(cluster.initiators) == 1 or waiting
            if shared and one_sided and (not counterparties or not cluster.counterparties):
                return cluster
        return None

    @staticmethod
    def _sides(cluster: Cluster) -> set[str]:
        return set(cluster.initiators) | set(cluster.counterparties)

    def _homes(self, clusters: list[Cluster]) -> list[str]:
        """The countries an article's unattributed deals may belong to, likeliest first: those
        that initiate or pay in its other deals, then its countries by how often it names them
        (as actors: a dateline or a place of talks does not count)."""
        initiating = Counter(k for c in clusters if not c.precedent for k in c.initiators)
        mentions = Counter(
            m.key
            for m in self.res.mentions
            if m.key and not m.literal and self.res.actors[m.key].type == "Country"
        )
        ranked = [k for k, _ in initiating.most_common()]
        ranked += [k for k, _ in mentions.most_common() if k not in ranked]
        # last, the countries named only as where things happen ("no right to stay in X")
        places = Counter(
            m.key
            for m in self.res.mentions
            if m.key and m.literal == "locative" and self.res.actors[m.key].type == "Country"
        )
        return ranked + [k for k, _ in places.most_common() if k not in ranked]

    def _deals(
        self, cluster: Cluster, homes: list[str], partners: list[str], recipients: list[str]
    ) -> list[Deal]:
        # a deal with no named initiator is the article's home country's, and never a deal of
        # a country with itself: the home is the likeliest country not on the other side
        other_side = {self._top(k) for k in cluster.counterparties} | set(cluster.counterparties)
        if cluster.similar_to is not None:
            # "X could sign a similar pact": X takes the place of the like deal's other side,
            # so its initiator is X's partner
            homes = [*cluster.similar_to.initiators, *homes]
        home = next((h for h in homes if h not in other_side), None)
        if cluster.lender and not cluster.payers:
            home = None  # the money comes from a lender the article names: not from its home
        initiators = cluster.initiators or ([home] if home else [])
        counterparties = [k for k in cluster.counterparties if k not in initiators]
        payers = list(cluster.payers)
        payees = [k for k in cluster.payees if k not in payers]
        template = cluster.similar_to
        # "similar agreements" reached: the same shape of deal, so the same side pays; one
        # still talked about ("in talks about a similar arrangement") moves no money yet
        reached = self._status(cluster) not in PENDING
        if not payers and reached and template and set(template.payers) & set(template.initiators):
            payers = list(initiators)
            payees = list(counterparties)
        # the initiator pays and no payee is named ("X will pay €Y to help …"): the money
        # goes to the other side of the deal; and the other way round ("Y agreed to take back
        # migrants in exchange for €Z")
        if payers and not payees and set(payers) <= set(initiators):
            # and where both sides initiated ("A and B signed a declaration; A will pay"),
            # the other initiator
            payees = list(counterparties) or [k for k in initiators if k not in payers]
        if payees and not payers:
            payers = [k for k in initiators if k not in payees]
            if not payers and set(payees) <= set(initiators):
                payers = list(counterparties)
        groups: dict[str, list[str]] = {}
        for key in counterparties:
            top = self._top(key)
            group = groups.setdefault(top, [])
            _extend(group, [top, key] if top != key else [key])
        # payers none of whom is paid pay someone else ("a loan from X, an investment by Y")
        unpaid = bool(payers) and not payees and set(initiators) <= set(payers)
        if not groups and len(initiators) >= 2 and not unpaid:
            groups[initiators[0]] = list(initiators)  # "A and B signed a deal": between them
        if not groups and (len(initiators) == 1 or unpaid) and cluster.statuses:
            # "Iraq has agreed to take back its nationals under an agreement": a deal has two
            # sides; the one not named is the side's partner in the article's other deals,
            # else the article's home country
            # (money with no recipient named goes where the article's money goes: "an $8bn
            # loan from a lender" in a story of money for X is X's)
            candidates = [*recipients, *partners, *homes] if unpaid else [*partners, *homes]
            other = next((h for h in candidates if h not in initiators), None)
            if other is not None:
                groups[other] = [other]
                if unpaid and other in recipients:
                    payees = [other]
                elif payees and not payers and other not in payees:
                    payers = [other]  # X is paid by a side written only as "the administration"
        status = self._status(cluster)
        purposes = [p for p in PURPOSES if p in cluster.purposes]
        # the figure for the money that moves ("paid Kigali £290m" over a "£700m" total cost)
        written = cluster.paid_amounts or cluster.amounts
        amount = parse_amount(written[0]) if written else None
        deals = []
        # several payers, each with its own sum and none with a named recipient ("a $8bn loan
        # from X, a $35bn investment by Y"): a deal of each with the recipient
        separate = unpaid and payees and 2 <= len(payers) <= len(cluster.paid_amounts)
        if separate:  # in the order the sums are written
            where = {
                m.key: m.start
                for index in reversed(cluster.payment_sentences)
                for m in reversed(self.res.in_sentence(index))
                if m.key
            }
            initiators = sorted(initiators, key=lambda k: where.get(k, 0))
        sides = [[p] for p in initiators] if separate else [initiators]
        # several paid sides, each with its own sum ("pay X €20m and Y €15m"): in order
        paid_groups = [g for g in groups.values() if set(g) & set(payees)]
        shared = not separate and 2 <= len(paid_groups) == len(cluster.paid_amounts)
        for index, own in enumerate(sides):
            for group in groups.values():
                parties = list(dict.fromkeys([*own, *group]))
                if len(parties) < 2:
                    continue
                if separate:  # each its own sum, in the order written
                    amount = parse_amount(cluster.paid_amounts[index])
                elif shared and group in paid_groups:
                    amount = parse_amount(cluster.paid_amounts[paid_groups.index(group)])
                group_payees = [k for k in payees if k in group]
                if not group_payees and set(payers) & set(group):
                    # the side that initiated is paid by this one ("X signed a deal with Y; X
                    # will receive €30m")
                    group_payees = [k for k in payees if k in initiators]
                deal = Deal(
                    parties=parties,
                    payers=[k for k in payers if k in parties] if group_payees else [],
                    payees=group_payees,
                    status=status,  # type: ignore[arg-type]
                    purposes=purposes,
                    amount=amount.text if amount else None,
                    amount_value=amount.value if amount else None,
                    currency=amount.currency if amount else None,
                    amount_per=amount.per if amount else None,
                    amount_equivalent=amount.equivalent if amount else None,
                    # a side is no critic of its own deal ("X has not yet accepted")
                    criticised_by=[k for k in cluster.critics if self._top(k) not in parties],
                    evidence=self._evidence(cluster, group),
                    distinction=cluster.distinction,
                )
                deals.append(deal)
                if not cluster.statuses:
                    self._unstated.add(id(deal))
        return deals

    def _status(self, cluster: Cluster) -> str:
        """A deal's status as the article tells it: the furthest stage any of its sentences
        gives it (a deal the article says was scrapped is scrapped, whatever the lead says of
        its signing), save that a stage told in the past perfect ("a court had blocked the
        deal") came before the ones told otherwise, and a headline's only counts alone."""
        if not cluster.statuses:
            return DEFAULT_STATUS
        current = [s for s in cluster.statuses if s not in cluster.prior] or cluster.statuses
        # a headline's verb is shorthand ("A and B agree deal"): the body tells the stage
        told = [s for s in current if self.article.sentences[s[0]].part != "headline"]
        status = max((label for _, label in told or current), key=STATUSES.index)
        # "under the political agreement": agreed, but as a step before the deal itself
        return "proposed" if cluster.preliminary and status == "concluded" else status

    def _evidence(self, cluster: Cluster, group: list[str]) -> list[Evidence]:
        def names_group(index: int) -> bool:
            return any(m.key in group for m in self.res.in_sentence(index))

        body = [i for i in cluster.sentences if self.article.sentences[i].part != "headline"]
        headline = [i for i in cluster.sentences if i not in body]
        ranked = [i for i in cluster.payment_sentences if names_group(i) and i in body]
        ranked += [i for i in body + headline if names_group(i) and i not in ranked]
        ranked = ranked or cluster.sentences[:1]
        out = []
        for index in ranked:
            s = self.article.sentences[index]
            out.append(Evidence(s.text, s.start, s.end))
        return out

    def _merge(self, deals: list[Deal]) -> list[Deal]:
        merged: dict[tuple[frozenset[str], str | None], Deal] = {}
        for deal in deals:
            key = (frozenset(deal.parties), deal.distinction)
            if key not in merged:
                merged[key] = deal
                continue
            kept = merged[key]
            # the first reading of who pays whom stands: a later one that has the money go the
            # other way makes no side both payer and payee
            _extend(kept.payers, [k for k in deal.payers if k not in kept.payees])
            _extend(kept.payees, [k for k in deal.payees if k not in kept.payers])
            _extend(kept.purposes, deal.purposes)
            _extend(kept.criticised_by, deal.criticised_by)
            kept.evidence.extend(e for e in deal.evidence if e not in kept.evidence)
            # a status the article states beats the one a deal gets when nothing is said
            if id(kept) in self._unstated and id(deal) not in self._unstated:
                kept.status = deal.status
                self._unstated.discard(id(kept))
            elif id(deal) not in self._unstated:
                kept.status = max(kept.status, deal.status, key=STATUSES.index)  # type: ignore[assignment]
            if not kept.amount and deal.amount:
                kept.amount, kept.amount_value = deal.amount, deal.amount_value
                kept.amount_per, kept.amount_equivalent = deal.amount_per, deal.amount_equivalent
                kept.currency = deal.currency
        return list(merged.values())
