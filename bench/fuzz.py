"""Mutation fuzzing of the ingest pipeline, in-process: ``make fuzz`` (``FUZZ_SECONDS``).

For a set time, articles of the corpus (``tests/data/corpus/dev/*.txt``, ``samples/*.txt``)
are mutated (bytes flipped, sentences spliced from other articles, long capitalised runs
inserted, unicode controls scattered, newlines deleted, paragraphs repeated, figures grown)
and every mutant goes through what ``policygraph ingest`` does to a file: ``decode_text``,
``parse_article``, extraction with the real spaCy pipeline, ``to_graph`` and SHACL
validation. An ``InputError`` is the pipeline refusing bad input, as it should; any other
exception is a crash: the input is saved as ``tests/fuzz/crashes/<sha1>.txt`` (its bytes, as
run) and one line is printed. ``tests/test_fuzz.py`` replays every saved input.

    .venv/bin/python -m bench.fuzz [--seconds 300] [--seed N] [--out tests/fuzz/crashes]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CRASH_DIR = ROOT / "tests" / "fuzz" / "crashes"
SEED_FILES = ("tests/data/corpus/dev/*.txt", "samples/*.txt")

# words for long capitalised runs: names, honorifics, institution words, places, numerals
CAPITALISED = (
    "Grand", "Council", "France", "Lord", "Novak", "II", "Dame", "Sir", "King", "Abdullah",
    "Court", "Union", "Holdings", "Refugee", "Australia", "Germany", "Alternative", "Reform",
    "UK", "Strait", "Gibraltar", "Leyen", "Home", "Secretary", "Agence", "France-Presse",
    "Peru", "Chile", "Meg", "Hillier", "European", "Commission", "Ministry", "Interior",
    "Office", "Kingdom", "United", "States", "Republic", "Democratic", "People's", "Party",
    "National", "Front", "Mc", "Mac", "O'Neill",
)  # fmt: skip
JOINERS = ("of", "for", "and", "von", "der", "al", "de", "the")
# invisible, directional and separator characters, combining marks and emoji
UNICODE = (
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2069", "\ufeff", "\u2028", "\u2029", "\x0b", "\x0c",
    "\x85", "\xa0", "\xad", "\u0301", "\u0308", "\U0001f600", "\U0001f469\u200d\U0001f467",
    "\U0001f1ec\U0001f1e7", "\u05d0", "\u0627", "\u2026", "\u201c", "\u201d", "\u00ab",
    "\t", "\r",
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"\d[\d,.]*")


def seed_texts(root: Path = ROOT) -> list[str]:
    """The corpus articles the fuzzer starts from, in a stable order."""
    paths = sorted(p for pattern in SEED_FILES for p in root.glob(pattern))
    return [p.read_text(encoding="utf-8") for p in paths]


def _sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in _SENTENCE_END.split(line) if s.strip()]


def _splice(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """A sentence of another article put in place of, or beside, one of this one's."""
    donor = _sentences(rng.choice(donors)) if donors else []
    own = _sentences(text)
    if not donor or not own:
        return text
    taken, into = rng.choice(donor), rng.choice(own)
    return text.replace(into, taken if rng.random() < 0.5 else f"{into} {taken}", 1)


def _capitalised_run(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """A run of 20 to 150 capitalised words (a joiner now and then) at a word boundary."""
    words = [
        rng.choice(JOINERS) if rng.random() < 0.08 else rng.choice(CAPITALISED)
        for _ in range(rng.randint(20, 150))
    ]
    spaces = [m.start() for m in re.finditer(r" ", text)] or [0]
    at = rng.choice(spaces)
    return f"{text[:at]} {' '.join(words)}{text[at:]}"


def _unicode_controls(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """One to twenty invisible, directional or odd characters at random places."""
    chars = list(text)
    for _ in range(rng.randint(1, 20)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(UNICODE))
    return "".join(chars)


def _delete_newlines(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """Some or all of the line breaks removed (paragraphs glued, with or without a space)."""
    glue = rng.choice(("", " "))
    if rng.random() < 0.3:
        return text.replace("\n", glue)
    return "".join(glue if ch == "\n" and rng.random() < 0.5 else ch for ch in text)


def _repeat_paragraph(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """One paragraph repeated two to twenty times in a row."""
    paragraphs = text.split("\n")
    index = rng.randrange(len(paragraphs))
    paragraphs[index : index + 1] = [paragraphs[index]] * rng.randint(2, 20)
    return "\n".join(paragraphs)


def _grow_figure(text: str, rng: random.Random, donors: Sequence[str]) -> str:
    """A figure of the text written longer (up to 400 digits), or a large sum inserted."""
    figures = list(_NUMBER.finditer(text))
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 400)))
    written = "1" + digits
    if figures and rng.random() < 0.7:
        found = rng.choice(figures)
        return text[: found.start()] + written + text[found.end() :]
    sum_ = f"{rng.choice('£€$')}{written}{rng.choice(('', 'm', 'bn', ' million', ' billion'))}"
    sentences = _sentences(text)
    if not sentences:
        return text
    into = rng.choice(sentences)
    return text.replace(into, f"{into} The UK will pay Rwanda {sum_} under the deal.", 1)


STR_MUTATIONS: tuple[Callable[[str, random.Random, Sequence[str]], str], ...] = (
    _splice,
    _capitalised_run,
    _unicode_controls,
    _delete_newlines,
    _repeat_paragraph,
    _grow_figure,
)


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """One to four bits flipped, each in a random byte."""
    if not data:
        return data
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
    return bytes(flipped)


def mutate(text: str, rng: random.Random, donors: Sequence[str] = ()) -> bytes:
    """``text`` with one to four mutations applied, as the UTF-8 bytes of a file; the same
    ``rng`` state gives the same bytes. A byte flip, when drawn, comes last (it works on the
    bytes, and often leaves them no longer UTF-8, which must be refused as such)."""
    for _ in range(rng.randint(1, 4)):
        text = rng.choice(STR_MUTATIONS)(text, rng, donors)
    data = text.encode("utf-8")
    if rng.random() < 0.2:
        data = _flip_bytes(data, rng)
    return data


def run_one(data: bytes, nlp: Any, name: str = "fuzz.txt") -> None:
    """What ingest does to one file's bytes: decode, parse, extract, build RDF, validate.

    ``InputError`` (refused input) propagates; the caller decides it is no crash. A
    ``ValidationError`` (a SHACL violation) is a crash like any other exception.
    """
    from datetime import date

    from graph.article import Metadata, decode_text, parse_article
    from graph.extract import extract
    from graph.rdf import to_graph
    from graph.validate import check

    text = decode_text(data, name)
    article = parse_article(text, Metadata(date(2024, 1, 1), None, None, name))
    extraction = extract(article, nlp)
    check(to_graph(extraction), name)


def crash_path(data: bytes, directory: Path = CRASH_DIR) -> Path:
    """Where a crashing input is saved: named by the SHA-1 of its bytes."""
    return directory / f"{hashlib.sha1(data).hexdigest()}.txt"


def saved_crashes(directory: Path = CRASH_DIR) -> list[Path]:
    """Every saved crashing input, in name order."""
    return sorted(directory.glob("*.txt"))


@dataclass
class Report:
    """What a fuzzing run did."""

    runs: int = 0
    refused: int = 0  # InputError: the pipeline said no, as it should
    crashes: dict[str, str] = field(default_factory=dict)  # file name -> one line
    slowest: tuple[float, str] = (0.0, "")  # seconds, and the SHA-1 of that input


def fuzz(
    seconds: float,
    seed: int,
    target: Callable[[bytes], None],
    texts: Sequence[str],
    out: Path = CRASH_DIR,
    echo: Callable[[str], None] = print,
    max_runs: int | None = None,
) -> Report:
    """Mutate ``texts`` and run ``target`` on each mutant for ``seconds`` (or ``max_runs``).

    Each run draws its own seed from ``seed``, so a run is reproduced by its number. A new
    crash is saved to ``out`` and reported by ``echo`` in one line; one already saved is
    counted again without a line.
    """
    master = random.Random(seed)
    report = Report()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (max_runs is None or report.runs < max_runs):
        rng = random.Random(master.getrandbits(64))
        index = rng.randrange(len(texts))
        donors = [t for i, t in enumerate(texts) if i != index]
        data = mutate(texts[index], rng, donors)
        report.runs += 1
        started = time.monotonic()
        try:
            target(data)
        except InputError:
            report.refused += 1
        except Exception as error:
            path = crash_path(data, out)
            if path.name in report.crashes or path.exists():
                report.crashes.setdefault(path.name, "")
                continue
            out.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            line = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            report.crashes[path.name] = line
            echo(f"crash {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {line}")
        finally:
            took = time.monotonic() - started
            if took > report.slowest[0]:
                report.slowest = (took, hashlib.sha1(data).hexdigest())
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run")
    parser.add_argument("--out", type=Path, default=CRASH_DIR)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)

    from graph.extract import load_pipeline

    nlp = load_pipeline()
    texts = seed_texts()
    print(f"fuzzing {len(texts)} articles for {args.seconds:g} s, seed {seed}", flush=True)
    report = fuzz(args.seconds, seed, lambda data: run_one(data, nlp), texts, args.out)
    print(
        f"{report.runs} inputs run, {report.refused} refused (InputError), "
        f"{len(report.crashes)} crashing ({sum(1 for v in report.crashes.values() if v)} new); "
        f"slowest input {report.slowest[0]:.2f} s"
    )
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
