"""Stage 1: raw text to an ``Article`` (headline, standfirst, byline, sentences with offsets).

The expected layout is the one news exports use: the headline on the first line, an optional
standfirst on the second, a byline ``by NAME · OUTLET`` (often glued to the first sentence by
the export: ``The DailyIan Novak has…``), then one paragraph per line.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import InputError
from graph.model import Article, Sentence

MAX_BYTES = 5 * 1024 * 1024

# "by NAME · OUTLET…": a name is capitalised words (with particles such as "de" or "van"),
# so "By the end of the year, …" opening a paragraph is not a byline.
_NAME = (
    r"[A-Z][\w.'’-]*(?:\s+(?:(?:de|da|di|del|van|von|der|den|al|bin|le|la)\s+)?[A-Z][\w.'’-]*){0,4}"
)
_BYLINE = re.compile(
    rf"^\s*[Bb]y\s+(?P<author>{_NAME}(?:\s+and\s+{_NAME})?)\s*"
    r"(?:[·|•–—,]\s*(?P<rest>.*))?$",
    re.DOTALL,
)
# A lower-case letter immediately followed by an upper-case one: the seam of a byline glued to
# the first sentence ("MirrorKeir"). "Mc"/"Mac" prefixes are names, not seams.
_SEAM = re.compile(r"(?<=[a-z])(?<!Mc)(?<!Mac)(?=[A-Z][a-z])")
_LOOSE_SEAM = re.compile(r"(?<=[a-z])(?<!Mc)(?<!Mac)(?=[A-Z])")  # "ReutersIOM said …"
_MAX_OUTLET_WORDS = 6
_ROLE_WORDS = {
    "editor", "correspondent", "reporter", "writer", "columnist", "staff", "contributor",
    "analyst", "bureau", "chief", "producer", "journalist",
}  # fmt: skip
_CLOSERS = "”’\"'»"


@dataclass(frozen=True)
class Metadata:
    """What the user tells us about an article that its text may not."""

    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    source_name: str | None = None


ARTICLE_SUFFIX = ".txt"


def article_files(paths: Iterable[Path], recursive: bool = False) -> list[Path]:
    """The article files that ``paths`` name: a file as it is, a folder as its ``*.txt`` files
    (its subfolders' too when ``recursive``) in a stable order, each file once.

    Hidden files and folders (``.name``) inside a folder are skipped. A folder with no article
    file is refused, naming it, so a mistyped folder never ingests nothing in silence.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        walk = path.rglob("*") if recursive else path.glob("*")
        inside = sorted(
            (
                file
                for file in walk
                if file.suffix.lower() == ARTICLE_SUFFIX
                and file.is_file()
                and not any(part.startswith(".") for part in file.relative_to(path).parts)
            ),
            key=lambda file: file.relative_to(path).parts,
        )
        if not inside:
            deeper = not recursive and any(
                f.suffix.lower() == ARTICLE_SUFFIX for f in path.rglob("*") if f.is_file()
            )
            hint = "; its subfolders have some: add --recursive" if deeper else ""
            raise InputError(f"{path}: a folder with no {ARTICLE_SUFFIX} files{hint}")
        found.extend(inside)
    seen: set[Path] = set()
    unique = []
    for file in found:
        key = file.resolve() if file.exists() else file
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


def read_text(path: Path) -> str:
    """Read an article file, refusing what is not a readable, non-empty UTF-8 (or UTF-16 with
    a byte-order mark) text file, with one line naming it.

    Only a regular file is read (a FIFO would block, a device never end), and never more than
    the size limit, whatever its size is said to be.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(f"{path}: a loop of symbolic links, no file at its end") from None
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, not an article file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: {_file_kind(info.st_mode)}, not a regular file")
    if info.st_size > MAX_BYTES:
        raise InputError(f"{path}: file is {info.st_size / 1e6:.1f} MB, over the 5 MB limit")
    try:
        # O_NONBLOCK: had the file been swapped for a FIFO since the check, open must not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{path}: not a regular file")
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: file is over the 5 MB limit")
    return decode_text(raw, str(path))


def _file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a person."""
    kinds = [
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "a special file")


# documents that are not plain text, told by how they begin: (pattern, the format's name)
_COMMENTS = rb"\s*(?:<!--.*?-->\s*)*"
# the block elements a page or a fragment of one opens with (an inline tag such as <b> may
# open a plain-text article that quotes markup; it is read as text)
_TAGS = (
    rb"html|head|body|meta|title|article|section|main|header|footer|nav|aside|div|p"
    rb"|h[1-6]|table|thead|tbody|tr|td|ul|ol|li|figure|blockquote|pre|form"
)
_NOT_PLAIN = [
    (re.compile(rb"\s*\{\\rtf"), "an RTF document"),
    (re.compile(rb"%PDF-"), "a PDF document"),
    (re.compile(rb"PK\x03\x04"), "a ZIP archive (a .docx or .odt document?)"),
    (
        re.compile(
            _COMMENTS + rb"(?:<\?xml[^>]*>\s*)?" + _COMMENTS + rb"<!doctype\s+html",
            re.IGNORECASE | re.DOTALL,
        ),
        "an HTML page",
    ),
    (
        re.compile(_COMMENTS + rb"<(?:" + _TAGS + rb")[\s>/]", re.IGNORECASE | re.DOTALL),
        "an HTML page",
    ),
    (re.compile(rb"\s*<\?xml\b"), "an XML document"),
]


def decode_text(raw: bytes, name: str) -> str:
    r"""The text of an article file's bytes (a path or an upload named ``name``), refusing what
    is over 5 MB, binary, a document format (HTML, RTF, PDF, …), not UTF-8 or empty, with one
    line naming the input. UTF-16 with a byte-order mark is read too.

    >>> decode_text("\ufeffHead\nBody.".encode(), "a.txt")
    'Head\nBody.'
    >>> decode_text(b"caf\xe9", "b.txt")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: b.txt: not UTF-8 text (invalid byte at offset 3)
    >>> decode_text(b"<!DOCTYPE html><title>x</title>", "c.html")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: c.html: an HTML page, not plain text; save the article's text as .txt
    """
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}: file is {len(raw) / 1e6:.1f} MB, over the 5 MB limit")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{name}: not valid UTF-16 text") from None
    head = raw[:4096].removeprefix(codecs.BOM_UTF8)
    for pattern, kind in _NOT_PLAIN:
        if pattern.match(head):
            raise InputError(f"{name}: {kind}, not plain text; save the article's text as .txt")
    if b"\x00" in raw:
        if _looks_utf16(raw):
            raise InputError(f"{name}: UTF-16 text without a byte-order mark; save it as UTF-8")
        raise InputError(f"{name}: binary file, expected UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {error.start})") from None
    if not text.strip():
        raise InputError(f"{name}: empty file, nothing to ingest")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """Whether bytes are UTF-16 without a byte-order mark: a NUL in every other byte."""
    sample = raw[:2048]
    even, odd = sample[0::2], sample[1::2]
    return len(sample) >= 8 and (even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd))


def check_text(value: str, name: str) -> None:
    """Refuse a value that is no text: bytes the terminal's encoding could not read (a
    Latin-1 file name or argument), which arrive as lone surrogates and cannot be written."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name}: not valid UTF-8 ({replace_undecodable(value)!r})") from None


def replace_undecodable(value: str) -> str:
    """A string with its bytes that are no UTF-8 shown as U+FFFD (a Latin-1 file name)."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def parse_date(value: str | None, name: str = "--date") -> date | None:
    """Parse a ``YYYY-MM-DD`` date, or raise ``InputError`` naming the input and the value."""
    if value is None:
        return None
    if not value.strip():
        raise InputError(f"{name} {value!r}: empty; give a date as YYYY-MM-DD, or leave it out")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name} {value!r}: not a valid date, expected YYYY-MM-DD") from None


def parse_url(value: str | None, name: str = "--url") -> str | None:
    """Check an article URL: an absolute http(s) address, or raise ``InputError`` naming it.

    >>> parse_url("https://example.org/news/1")
    'https://example.org/news/1'
    """
    if value is None:
        return None
    if not value.strip():
        raise InputError(f"{name} {value!r}: empty; give an http(s) URL, or leave it out")
    check_text(value, name)
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or any(ch.isspace() or ch in '<>"{}|\\^`' for ch in value)
    ):
        raise InputError(f"{name} {value!r}: not an absolute http(s) URL")
    return value


def split_byline(line: str, outlet: str | None = None) -> tuple[str | None, str | None, str]:
    """Split ``by NAME · OUTLET<first sentence>`` into author, outlet and the sentence text.

    >>> split_byline("by Ian Novak · The DailyThe minister said so.")
    ('Ian Novak', 'The Daily', 'The minister said so.')
    >>> split_byline("A normal first sentence.")
    (None, None, 'A normal first sentence.')
    """
    match = _BYLINE.match(line)
    if not match:
        return None, None, line
    author = match.group("author").strip()
    rest = (match.group("rest") or "").strip()
    if outlet and rest.startswith(outlet):
        return author, outlet, rest[len(outlet) :].lstrip()
    seams: list[int] = []
    for pattern in (_SEAM, _LOOSE_SEAM):
        seams = [m.start() for m in pattern.finditer(rest)]
        seams = [s for s in seams if len(rest[:s].split()) <= _MAX_OUTLET_WORDS]
        if seams:
            break
    if seams:
        cut = seams[-1]
        return author, rest[:cut].strip(), rest[cut:]
    # Not glued: the whole remainder is the outlet when it is short, else it is text; a job
    # title ("By Jane Doe, Economics Editor") is neither.
    if rest and len(rest.split()) <= _MAX_OUTLET_WORDS and not rest.endswith((".", "!", "?")):
        if {w.lower().strip(",") for w in rest.split()} & _ROLE_WORDS:
            return author, None, ""
        return author, rest, ""
    return author, None, rest


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, as ``(start, end)`` offsets shifted by ``offset``.

    Fragments with no letter or digit (a stray closing quote) join the sentence before them.

    >>> split_sentences('He said: "Yes.” Then he left.')
    [(0, 15), (16, 29)]
    """
    spans: list[list[int]] = []
    pieces = (
        (at + piece.start, at + piece.end)
        for at, upto in _chunks(text)
        for piece in _segmenter().segment(text[at:upto])
    )
    for start, end in pieces:
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start == end:
            continue
        if spans and text[start] in _CLOSERS and (end - start == 1 or text[start + 1].isspace()):
            # a closing quote that belongs to the sentence before
            spans[-1][1] = start + 1
            start += 1
            while start < end and text[start].isspace():
                start += 1
            if start == end:
                continue
        if spans and not any(ch.isalnum() for ch in text[start:end]):
            spans[-1][1] = end
            continue
        if spans and (
            text[start] in ",;"
            or (
                text[start].islower()
                and _ABBREVIATION_END.search(text[spans[-1][0] : spans[-1][1]])
            )
        ):
            # no sentence opens on a comma, nor in lower case after an abbreviation: the
            # segmenter cut after one ("Sen. Ada Lopez, D-Calif., called it …"); "… the deal.
            # van den Berg said …" stays two
            spans[-1][1] = end
            continue
        spans.append([start, end])
    return [(offset + s, offset + e) for s, e in spans]


_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][a-z]{0,4}|(?:\b[A-Z]\.)+[A-Z]?)\.$")
SEGMENT_CHARS = 2000  # the most text the sentence segmenter is given at once
_LIKELY_END = re.compile(r"[.!?][\"”’)\]]*\s+")


def _chunks(text: str) -> list[tuple[int, int]]:
    """A paragraph as spans of at most ``SEGMENT_CHARS`` characters, cut after the last
    likely sentence end in each (else at the last space, else anywhere).

    pysbd's time grows with the square of what it is given, so a paragraph of a hundred
    thousand characters with no full stop (a scraped page, a hostile file) would take hours;
    cut like this it takes time in proportion to its length. News paragraphs are far shorter
    and are given whole.
    """
    chunks, start = [], 0
    while len(text) - start > SEGMENT_CHARS:
        window = text[start : start + SEGMENT_CHARS]
        ends = [m.end() for m in _LIKELY_END.finditer(window)]
        cut = ends[-1] if ends else window.rfind(" ") + 1 or SEGMENT_CHARS
        chunks.append((start, start + cut))
        start += cut
    chunks.append((start, len(text)))
    return chunks


# the first line naming the kind of document, not its headline: "European Commission - Press
# release", "Press statement — A Network", "Press release"
_DOCUMENT_KIND = re.compile(
    r"^(?:(?P<before>.{2,80}?)\s+[-–—|:]\s+)?"
    r"(?P<kind>press\s+release|press\s+statement|news\s+release|media\s+release|"
    r"joint\s+statement|statement|news\s+story|speech)"
    r"(?:\s+[-–—|:]\s+(?P<after>.{2,80}))?$",
    re.IGNORECASE,
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY_MONTH_YEAR = rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
_PLACE_WORDS = r"[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*)*"
# a dateline on its own line: "Amman, 29 January 2025", "Windhoek and Berlin, 4 June 2021"
_DATELINE_LINE = re.compile(
    rf"^(?P<place>{_PLACE_WORDS}(?:(?:,|\s+and)\s+{_PLACE_WORDS})*),\s+(?P<date>{_DAY_MONTH_YEAR})$"
)
# GOV.UK's front matter: "From: Department of Examples and The Rt Hon …", "Published 1 May 2020"
_FROM_LINE = re.compile(r"^From:\s*(?P<who>.+)$")
_PUBLISHED_LINE = re.compile(
    rf"^(?:Published|Updated|Last\s+updated)\s*:?\s*(?P<date>{_DAY_MONTH_YEAR})$", re.IGNORECASE
)
_ALONE_FROM = re.compile(r"^From\s*:?$", re.IGNORECASE)
_ALONE_PUBLISHED = re.compile(r"^(?:Published|Updated|Last\s+updated)\s*:?$", re.IGNORECASE)
# a wire dateline opening the first paragraph: "LONDON (Reuters) - ", "KIGALI, April 14
# (Meridian Wire) - ", "SANDHURST, England, Jan 18 (AP) — ", "WASHINGTON — "
_INLINE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+)*"
    r"(?:,\s+[A-Z][a-z][\w.]*(?:\s+[A-Z][a-z][\w.]*)*)?)"
    rf"(?:,\s+{_MONTH}\s+\d{{1,2}})?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]{1,2}\s+(?=\S)"
)
# credit lines closing a wire story: "(Reporting by A in X and B; Editing by C)", "A in X
# contributed reporting."
_CREDIT = re.compile(
    r"^\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|written|produced)\s+by\b",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(r"\bcontributed(?:\s+to)?(?:\s+this)?\s+(?:report|reporting|story)\W*$")
_REPORTERS = re.compile(r"(?:reporting|written|writing)\s+by\s+(?P<names>[^;)]+)", re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


def _name_case(name: str) -> str:
    """A byline name as people write it: "MARTIN KESTREL" → "Martin Kestrel"."""
    return name.title() if name.isupper() else name


def _is_author_line(line: str) -> bool:
    """Whether a line is only a person's name (an op-ed's author under the headline)."""
    words = line.split()
    return (
        2 <= len(words) <= 4
        and bool(re.fullmatch(_NAME, line))
        and all(w[:1].isupper() for w in words if w.lower() not in _NAME_PARTICLES)
        and not any(ch.isdigit() for ch in line)
        and not line.isupper()
    )


_NAME_PARTICLES = {"de", "da", "di", "del", "van", "von", "der", "den", "al", "bin", "le", "la"}


def _is_outlet_line(line: str) -> bool:
    """Whether a line under a byline is an outlet's name ("Associated Wire", "BBC News")."""
    words = line.split()
    return (
        1 <= len(words) <= 5
        and not line.endswith((".", "!", "?", ":"))
        and all(w[:1].isupper() or w.lower() in {"of", "the", "and", "&"} for w in words)
    )


def _credited(line: str) -> list[str]:
    """The reporters a credit line names ("Reporting by A in X and B; Editing by C": A, B)."""
    found = _REPORTERS.search(line)
    if not found:
        return []
    names = _IN_PLACE.sub("", found["names"])
    return [n.strip(" .") for n in re.split(r",|\s+and\s+", names) if n.strip(" .")]


def _front_date(text: str) -> date | None:
    """A date as front matter writes it ("29 January 2025", "Jan. 4, 2024"), if it reads."""
    from datetime import datetime

    cleaned = re.sub(r"\s+", " ", text.replace(",", "").replace(".", "")).strip()
    for form in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
        try:
            return datetime.strptime(cleaned.replace("Sept ", "Sep "), form).date()
        except ValueError:
            continue
    return None


def _reads_as_prose(line: str) -> bool:
    """Whether a line is a sentence of the article rather than a name in its front matter."""
    return line.rstrip().endswith((".", "!", "?", '"', "”")) or len(line.split()) > 12


def parse_article(text: str, meta: Metadata | None = None) -> Article:
    """Parse article text into an ``Article``; sentence offsets index into ``Article.text``.

    The layouts of news, wire copy, press releases and opinion pieces are read: a first line
    naming the kind of document ("Press release"), the headline, a standfirst, a byline
    (glued to the first sentence, on its own line, with the outlet on the next line, or an
    op-ed's author alone under the headline), a dateline line, GOV.UK's "From:" and
    "Published" lines, and closing credit lines ("Reporting by …"). These are metadata: they
    are taken out of ``text``, so offsets and evidence refer to the article's words. A wire
    dateline opening the first paragraph ("LONDON (Reuters) - ") stays in the text, as part of
    its sentence, and its span is kept in ``Article.dateline``: it names where the story was
    filed, not an actor of it.
    """
    meta = meta or Metadata()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{meta.source_name or 'article'}: empty file, nothing to ingest")

    outlet = meta.outlet
    published = meta.published
    authors: list[str] = []
    kind = (
        _DOCUMENT_KIND.match(lines[0]) if len(lines) > 2 and len(lines[0].split()) <= 10 else None
    )
    if kind:
        issuer = kind["before"] or kind["after"]
        outlet = outlet or (issuer.strip() if issuer else None)
        lines = lines[1:]
    headline = lines[0]
    standfirst: str | None = None
    body: list[str] = []
    byline_seen = False
    consumed: set[int] = set()
    for index, line in enumerate(lines[1:], start=1):
        if index in consumed:
            continue
        front = not body
        if front and not byline_seen and _BYLINE.match(line):
            author, found_outlet, rest = split_byline(line, meta.outlet)
            byline_seen = True
            authors.extend(name for name in re.split(r"\s+and\s+", author or "") if name)
            outlet = outlet or found_outlet
            if rest:
                body.append(rest)
            elif (
                found_outlet is None
                and index + 2 < len(lines)
                and _is_outlet_line(lines[index + 1])
            ):
                outlet = outlet or lines[index + 1]  # "By NAME", then the outlet's own line
                consumed.add(index + 1)
            continue
        if front and (dated := _DATELINE_LINE.match(line) or _PUBLISHED_LINE.match(line)):
            published = published or _front_date(dated["date"])
            continue
        if front and _FROM_LINE.match(line):
            continue
        if front and _ALONE_FROM.match(line):
            # GOV.UK as copied from the page: "From:" alone, its issuers on the lines after,
            # then "Published" alone and the date on its own line
            for later in range(index + 1, min(index + 5, len(lines))):
                following = lines[later]
                dated = _ALONE_PUBLISHED.match(following) or _PUBLISHED_LINE.match(following)
                if dated or _DATELINE_LINE.match(following) or _reads_as_prose(following):
                    break
                consumed.add(later)
            continue
        if front and _ALONE_PUBLISHED.match(line) and index + 1 < len(lines):
            dated = re.match(rf"^{_DAY_MONTH_YEAR}$", lines[index + 1])
            if dated:
                published = published or _front_date(dated.group(0))
                consumed.add(index + 1)
                continue
        if front and index == 1 and not byline_seen and _is_author_line(line) and len(lines) > 2:
            authors.append(line)
            byline_seen = True
            continue
        if front and standfirst is None and index == 1 and len(lines) > 2:
            following = lines[2]
            fronts = (_BYLINE, _FROM_LINE, _PUBLISHED_LINE, _ALONE_FROM, _ALONE_PUBLISHED)
            if any(f.match(following) for f in fronts):
                standfirst = line  # the summary between the headline and the byline
                continue
        body.append(line)
    while body and (_CREDIT.match(body[-1]) or _CONTRIBUTED.search(body[-1])):
        credited = _credited(body.pop())
        authors = authors or credited

    parts: list[tuple[str, str]] = [("headline", headline)]
    if standfirst:
        parts.append(("standfirst", standfirst))
    parts.extend(("body", paragraph) for paragraph in body)
    author = " and ".join(_name_case(a) for a in authors) or None
    return _assemble(parts, meta, author, outlet, published)


def rebuild_article(
    text: str,
    standfirst: str | None,
    meta: Metadata,
    author: str | None = None,
    outlet: str | None = None,
) -> Article:
    """The ``Article`` whose ``text`` is ``text`` (as stored: headline, then the standfirst
    if any, then the paragraphs, one per line), split into sentences as ``parse_article``
    splits them, so re-extracting a stored article reads what the first extraction read."""
    lines = text.split("\n")
    parts: list[tuple[str, str]] = [("headline", lines[0])]
    rest = lines[1:]
    if standfirst and rest and rest[0] == standfirst:
        parts.append(("standfirst", rest.pop(0)))
    parts.extend(("body", paragraph) for paragraph in rest)
    return _assemble(parts, meta, author, outlet, meta.published)


def _assemble(
    parts: list[tuple[str, str]],
    meta: Metadata,
    author: str | None,
    outlet: str | None,
    published: date | None,
) -> Article:
    """The article of its parts (headline, standfirst, body paragraphs), split into
    sentences with offsets into the text they make."""
    headline = parts[0][1]
    standfirst = next((text for part, text in parts if part == "standfirst"), None)
    clean = "\n".join(paragraph for _, paragraph in parts)
    sentences: list[Sentence] = []
    dateline: tuple[int, int] | None = None
    cursor = 0
    for paragraph_index, (part, paragraph) in enumerate(parts):
        opening = _INLINE_DATELINE.match(paragraph) if dateline is None else None
        # a story with no headline opens on its dateline ("OSLO, March 3 (Wire) - Norway
        # agreed …"): that first line is its first paragraph, sentences and all
        headless = (
            part == "headline"
            and opening is not None
            and bool(opening["agency"] or re.search(_MONTH, opening.group(0)))
        )  # (not a headline "EU - Tunisia pact signed": a dateline has an agency or a date)
        if opening and (
            headless
            or (part == "body" and not any(p == "body" for p, _ in parts[:paragraph_index]))
        ):
            dateline = (cursor, cursor + opening.end())
        spans = [(cursor, cursor + len(paragraph))] if part == "headline" and not headless else []
        spans = spans or split_sentences(paragraph, cursor)
        kind = "body" if headless else part
        for start, end in spans:
            sentences.append(
                Sentence(len(sentences), start, end, clean[start:end], paragraph_index, kind)  # type: ignore[arg-type]
            )
        cursor += len(paragraph) + 1

    return Article(
        text=clean,
        headline=headline,
        sentences=tuple(sentences),
        standfirst=standfirst,
        author=author,
        outlet=outlet,
        published=published,
        url=meta.url,
        source_name=meta.source_name,
        dateline=dateline,
    )
