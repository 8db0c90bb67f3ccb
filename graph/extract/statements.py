"""Statements: quoted words and who said them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

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


def _speaker(
    doc: Doc,
    sentence_start: int,
    res: Resolution,
    verb: Token | None = None,
    people_only: bool = True,
) -> str | None:
    """Who speaks in a sentence: the subject of its speech verb (or of ``verb``), a person
    (or, unless ``people_only``, a named body), or the person a pronoun stands for."""
    kinds = (
        {"Person"} if people_only else {"Person", "Organisation", "Government", "PoliticalParty"}
    )
    for token in [verb] if verb is not None else doc:
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
            for m in res.overlapping(start, end):
                if m.key and res.actors[m.key].type in kinds:
                    return m.key
    return None


def _reported(doc: Doc, sentence_start: int, res: Resolution) -> list[tuple[str, str]]:
    """Reported speech: "X said the treaty completed …" as (speaker, what was said), for a
    speaker the article names as a person or a body."""
    found = []
    for token in doc:
        if token.lemma_ not in SPEECH_VERBS or token.pos_ != "VERB":
            continue
        said = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if said is None:
            continue
        speaker = _speaker(doc, sentence_start, res, verb=token, people_only=False)
        if speaker is None:
            continue
        words = doc[said.left_edge.i : said.right_edge.i + 1]
        text = words.text.removeprefix("that ").strip(" ,.")
        if len(text.split()) >= 4:
            found.append((speaker, text))
    return found


def read_statements(article: Article, docs: list[Doc], res: Resolution) -> list[Statement]:
    """Every quotation with a speaker the article names (or refers to by pronoun or role),
    and every reported statement ("X said the plan was cruel") of a named person or body."""
    statements: list[Statement] = []
    last_speaker: str | None = None
    for sentence, doc in zip(article.sentences, docs, strict=True):
        quotes = [m.group(1) or m.group(2) for m in _QUOTE.finditer(sentence.text)]
        quotes = [q.strip() for q in quotes if q and len(q.split()) >= 3]
        if not quotes:
            last_speaker = None if sentence.part != "body" else last_speaker
            evidence = Evidence(sentence.text, sentence.start, sentence.end)
            statements.extend(
                Statement(speaker, text, evidence)
                for speaker, text in _reported(doc, sentence.start, res)
            )
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
