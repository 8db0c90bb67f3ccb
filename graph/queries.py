"""The SPARQL files of ``ontology/queries/``: loaded by name, described by their header."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import InputError

ONTOLOGY_DIR = Path(str(resources.files("graph.ontology")))
QUERY_DIR = ONTOLOGY_DIR / "queries"

_UPDATE_KEYWORD = re.compile(
    r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(r"\s*(#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)


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


def _after_prologue(text: str) -> int:
    """Where a SPARQL text's body starts, after its comments, PREFIX and BASE declarations."""
    at = 0
    while match := _PROLOGUE.match(text, at):
        at = match.end()
    return at


def is_update(text: str) -> bool:
    """Whether a SPARQL text is an update (INSERT, DELETE, DROP, …) rather than a query.

    >>> is_update("PREFIX a: <http://a/>\\n# note\\nDELETE WHERE { ?s ?p ?o }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    return bool(_UPDATE_KEYWORD.match(text, _after_prologue(text)))


_QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_POSITION = re.compile(r"^error at (\d+):(\d+): (?:expected (?:one of )?)?(.*)$", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%-]*$")


def _words(text: str) -> list[tuple[str, int]]:
    """The keywords of a SPARQL text with their offsets, outside IRIs, strings, comments and
    prefixed names (read by ``_TOKEN``, below)."""
    return [(m["word"], m.start()) for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def reads_default_graph_only(text: str) -> bool:
    """Whether a query names neither ``GRAPH`` nor ``FROM``, so it reads only the default
    graph, which policygraph leaves empty (every article is a named graph).

    >>> reads_default_graph_only("SELECT ?s WHERE { ?s a pg:Deal }")
    True
    >>> reads_default_graph_only("SELECT ?s WHERE { GRAPH ?g { ?s a pg:Deal } }")
    False
    >>> reads_default_graph_only("SELECT ?s WHERE { ?s rdfs:label 'GRAPH' } # FROM")
    True
    """
    return not any(word.upper() in {"GRAPH", "FROM"} for word, _ in _words(text))


NAMED_GRAPH_HINT = (
    "no rows: every article is a named graph and this query reads only the default graph; "
    "match inside GRAPH ?g { … }, e.g. SELECT ?deal WHERE { GRAPH ?g { ?deal a pg:Deal } }"
)


def syntax_error(text: str, message: str, line_offset: int = 0) -> InputError:
    """A parser's message about ``text`` for a person: one line with the line and column and
    what was expected, where that is short enough to help; its ``detail`` is the line itself
    with a caret under the place.

    ``message`` is Oxigraph's (``error at LINE:COLUMN: expected …``); ``line_offset`` lines
    are taken off its line number (a remote store's query has the prefixes prepended).

    >>> error = syntax_error("ASK { ?s ?p }", "error at 1:13: expected one of '.', [_]")
    >>> print(error)
    SPARQL syntax error at line 1, column 13: expected '.'
    >>> print(error.detail)
      ASK { ?s ?p }
                  ^
    """
    found = _POSITION.match(" ".join(message.split()))
    if not found:
        return InputError(f"SPARQL syntax error: {' '.join(message.split())}")
    line, column, expected = int(found[1]) - line_offset, int(found[2]), found[3]
    lines = text.splitlines() or [""]
    problem = _explain(expected)
    body = _after_prologue(text)
    form = next(iter(_words(text[body:])), None)
    if form and form[0].upper() not in _QUERY_FORMS and not is_update(text[body:]):
        at = body + form[1]
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        problem = f"{form[0]!r} is not a query form; expected {_either(_QUERY_FORMS)}"
    if "Prefix not found" in expected and 1 <= line <= len(lines):
        name = _PREFIXED.search(lines[line - 1][: max(column - 1, 0)].rstrip())
        if name:
            column = name.start() + 1
            problem = f"unknown prefix {(name[1] or '') + ':'!r}"
    line = min(max(line, 1), len(lines))
    source = lines[line - 1].expandtabs(1)
    column = min(max(column, 1), len(source) + 1)
    head = f"SPARQL syntax error at line {line}, column {column}" + (
        f": {problem}" if problem else ""
    )
    return InputError(head, detail=f"  {source}\n  {' ' * _width(source[: column - 1])}^")


def _width(text: str) -> int:
    """How many terminal cells ``text`` takes (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _explain(expected: str) -> str:
    """Oxigraph's list of expected tokens, when it is short and readable; else nothing."""
    if "Prefix not found" in expected:
        return "unknown prefix"
    classes = _CHAR_CLASS.findall(expected)
    tokens = [t.strip() for t in _CHAR_CLASS.sub("", expected).split(", ")]
    tokens = [t for t in tokens if t]
    if any("'0'" in c and "'A'" not in c for c in classes):
        tokens.append("a number")
    if not tokens or len(tokens) > 5:
        return ""
    return "expected " + _either(tokens)


def _either(options: tuple[str, ...] | list[str]) -> str:
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


# the lexemes a reader must tell apart to find SERVICE and its endpoint, read as Oxigraph's
# parser reads them: IRIs (with \u escapes), strings, comments (ended by \r or \n),
# variables, prefixed names (any letters, with \-escapes and colons in the local part), words
_TOKEN = re.compile(
    r"""(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)"""
    r"""|'{3}(?:'{0,2}(?:[^'\\]|\\.))*'{3}|"{3}(?:"{0,2}(?:[^"\\]|\\.))*"{3}"""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|#[^\r\n]*|(?P<var>[?$]\w+)"""
    r"""|(?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w.:%-]|\\[_~.\-!$&'()*+,;=/?#@%])*)"""
    r"""|(?P<word>[^\W\d][\w-]*)""",
    re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_FETCHING = ("SERVICE", "LOAD")  # the keywords that make Oxigraph fetch from a URL


def _tokens(text: str) -> list[tuple[str, str]]:
    """The (kind, text) lexemes of a SPARQL text that name things: ``iri``, ``var``,
    ``pname`` and ``word``; strings and comments are dropped."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind:
            found.append((kind, match[kind]))
    return found


def _unescaped(text: str) -> str:
    r"""An IRI's text with its ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced."""

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return _CODEPOINT.sub(char, text)


def _expand(name: str, known: dict[str, str]) -> str | None:
    """A prefixed name as an IRI, or None if its prefix is not declared."""
    prefix, _, local = name.partition(":")
    if prefix not in known:
        return None
    return known[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


def _fetching(kind: str, value: str) -> str | None:
    """Whether a lexeme opens a SERVICE or LOAD, and what follows the keyword inside it.

    Oxigraph's parser matches a keyword where it may stand and reads on from its end, so
    ``SERVICEe:x`` is SERVICE with the endpoint ``e:x``: a word or name that starts with the
    keyword counts (with ``SILENT`` glued on, too)."""
    if kind not in {"word", "pname"}:
        return None
    upper = value.upper()
    for keyword in _FETCHING:
        if upper.startswith(keyword):
            rest = value[len(keyword) :]
            if rest.upper().startswith("SILENT"):
                rest = rest[len("SILENT") :]
            if rest and ":" not in rest:
                return None  # "SERVICES", "LOADED": another word, no keyword
            return rest
    return None


def federated_endpoints(text: str, prefixes: dict[str, str] | None = None) -> list[str | None]:
    """What a SPARQL query or update would fetch from elsewhere, in order: the endpoint of
    every ``SERVICE`` and the document of every ``LOAD``, as the IRI, a prefixed name
    expanded with the text's own PREFIX declarations over ``prefixes``, or ``None`` where it
    is a variable (``SERVICE ?endpoint``) or cannot be read.

    >>> federated_endpoints("SELECT * WHERE { SERVICE SILENT <http://x.org/sparql> { ?s ?p ?o } }")
    ['http://x.org/sparql']
    >>> federated_endpoints("PREFIX e: <http://e.org/>\\nASK { service e:q { ?s ?p ?o } }")
    ['http://e.org/q']
    >>> federated_endpoints("SELECT * WHERE { ?s ex:SERVICE 'SERVICE <http://x/>' } # SERVICE")
    []
    >>> federated_endpoints("LOAD SILENT <http://x.org/data.ttl> INTO GRAPH <urn:g>")
    ['http://x.org/data.ttl']
    >>> federated_endpoints("PREFIX e: <http://e.org/> ASK { SERVICEe:q {} }")
    ['http://e.org/q']
    """
    tokens = _tokens(text)
    known = dict(prefixes or {})
    for at, (kind, value) in enumerate(tokens[:-2]):
        if kind == "word" and value.upper() == "PREFIX" and tokens[at + 1][0] == "pname":
            name, iri = tokens[at + 1][1], tokens[at + 2]
            if iri[0] == "iri" and name.endswith(":"):
                known[name[:-1]] = _unescaped(iri[1][1:-1])
    endpoints: list[str | None] = []
    for at, (kind, value) in enumerate(tokens):
        glued = _fetching(kind, value)
        before = tokens[at - 1] if at else ("", "")
        declared = before[0] == "word" and before[1].upper() == "PREFIX"
        if glued is None or declared:  # "PREFIX service: <…>" declares, fetches nothing
            continue
        if glued:  # "SERVICEe:q": the endpoint is glued to the keyword
            endpoint = _expand(glued, known)
            if endpoint is not None:  # an undeclared prefix: Oxigraph can expand it no more
                endpoints.append(endpoint)
            continue
        rest = tokens[at + 1 : at + 3]
        if rest and rest[0][0] == "word" and rest[0][1].upper() == "SILENT":
            rest = rest[1:]
        target = rest[0] if rest else ("", "")
        if target[0] == "iri":
            endpoints.append(_unescaped(target[1][1:-1]))
        elif target[0] == "pname":
            endpoints.append(_expand(target[1], known))
        else:
            endpoints.append(None)
    return endpoints


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """The scheme, host and port of an http(s) URL, or None if it is no such URL."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def check_federation(
    text: str, allowed: tuple[str, ...] = (), prefixes: dict[str, str] | None = None
) -> None:
    """Refuse a query whose ``SERVICE`` (or an update whose ``LOAD``) would reach a host not
    named in ``allowed``.

    Federated queries are off unless the user names the endpoints they may reach
    (``--allow-service URL``): a ``SERVICE`` clause or ``LOAD`` is then let through only
    when its IRI has the scheme, host and port of one of them. ``SERVICE ?var`` can reach
    anywhere, so it is always refused.
    """
    endpoints = federated_endpoints(text, prefixes)
    if not endpoints:
        return
    origins = {_origin(url) for url in allowed} - {None}
    for endpoint in endpoints:
        shown = f"<{endpoint}>" if endpoint else "SERVICE with a variable endpoint"
        if not origins:
            raise InputError(
                f"{shown}: federated queries and LOAD are off, so nothing is sent to another "
                "host; pass --allow-service URL to let the query reach that endpoint"
            )
        if endpoint is None:
            raise InputError(
                f"{shown}: it could reach any host; name the endpoint's IRI, one that "
                "--allow-service allows"
            )
        if _origin(endpoint) not in origins:
            raise InputError(
                f"{shown}: not an endpoint --allow-service allows ({', '.join(sorted(allowed))})"
            )
