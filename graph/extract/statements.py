"""Statements: quoted words and who said them."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from graph.extract.entities import Resolution
from graph.model import Article, Evidence, Statement

SPEECH_VERBS = {
    "say",
    "tell",
    "add",
    "insist",
    "state",
    "claim",
    "warn",
    "argue",
    "write",
    "declare",
    "stress",
    "note",
    "explain",
    "announce",
    "vow",
    "pledge",
    "admit",
    "describe",
    "call",
}
PRONOUNS = {"he", "she"}
_QUOTE = re.compile(r"[\"“]([^\"“”]{3,})(?:[\"”]|$)|(?<![\w’'])['‘]([^'‘’]{8,}?)['’](?!\w)")


def _speaker(doc: Doc, sentence_start: int, res: Resolution) -> str | None:
    for token in doc:
        if token.lemma_ not in SPEECH_VERBS or token.pos_ != "VERB":
            continue
        for child in token.children:
            if child.dep_ != "nsubj":
                continue
            if child.lower_ in PRONOUNS:
                before = res.persons_before(sentence_start + child.idx)
                return before[0] if before else None
            start = sentence_start + child.left_edge.idx
            end = sentence_start + child.idx + len(child.text)
            for m in res.mentions:
                overlaps = m.key and m.start < end and start < m.end
                if overlaps and res.actors[m.key].type == "Person":  # type: ignore[index]
                    return m.key
    return None


def read_statements(article: Article, docs: list[Doc], res: Resolution) -> list[Statement]:
    """Every quotation with a speaker the article names (or refers to by pronoun or role)."""
    statements: list[Statement] = []
    last_speaker: str | None = None
    for sentence, doc in zip(article.sentences, docs, strict=True):
        quotes = [m.group(1) or m.group(2) for m in _QUOTE.finditer(sentence.text)]
        quotes = [q.strip() for q in quotes if q and len(q.split()) >= 3]
        if not quotes:
            last_speaker = None if sentence.part != "body" else last_speaker
            continue
        speaker = _speaker(doc, sentence.start, res)
        if speaker is None and sentence.text.lstrip()[:1] in {'"', "“"}:
            speaker = last_speaker
        if speaker is None:
            continue
        last_speaker = speaker
        evidence = Evidence(sentence.text, sentence.start, sentence.end)
        statements.extend(Statement(speaker, quote, evidence) for quote in quotes)
    return statements
