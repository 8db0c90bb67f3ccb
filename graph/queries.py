"""The SPARQL files of ``ontology/queries/``: loaded by name, described by their header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

ONTOLOGY_DIR = Path(str(resources.files("graph.ontology")))
QUERY_DIR = ONTOLOGY_DIR / "queries"

_UPDATE_KEYWORD = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)


@dataclass(frozen=True)
class NamedQuery:
    """A stored query: its file name, what it is for, and its text."""

    name: str
    purpose: str
    parameters: str
    text: str


@cache
def load(name: str) -> str:
    """The text of ``ontology/queries/<name>.rq``."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def describe(path: Path) -> NamedQuery:
    """Read a query file and the purpose and parameters its header comment gives."""
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    joined = " ".join(header)
    purpose, _, parameters = joined.partition("Parameters:")
    return NamedQuery(path.stem, purpose.replace("Purpose:", "").strip(), parameters.strip(), text)


def catalogue() -> list[NamedQuery]:
    """Every stored query, by name."""
    return [describe(path) for path in sorted(QUERY_DIR.glob("*.rq"))]


def is_update(text: str) -> bool:
    """Whether a SPARQL text is an update (INSERT, DELETE, DROP, …) rather than a query.

    >>> is_update("PREFIX a: <http://a/>\\n# note\\nDELETE WHERE { ?s ?p ?o }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    rest = text
    while True:
        match = _PROLOGUE.match(rest)
        if not match:
            break
        rest = rest[match.end() :]
    return bool(_UPDATE_KEYWORD.match(rest))
