"""Ingest cost against an article's length: is it linear?

``python -m bench.scaling [--paragraphs 1000 2000 4000] [--out bench/scaling.md]``

One article is built of the first N paragraphs of a long text made by cycling the
paragraphs of ``tests/data/corpus/dev`` (so every size holds the smaller ones), for each N,
and is read in one run, side by side:

- *baseline*: ``nlp.pipe`` of the plain statistical model over the article's sentences, which
  is linear in the number of sentences;
- *policygraph*: every stage of an ingest but the write: parse, extraction, the article's RDF
  graph and its SHACL validation.

The figures that matter are ratios: each size's cost over the previous size's (2.0 when the
length doubles means linear), and policygraph's cost over the baseline's at the same size,
which stays flat when the stages after the parse are linear too. Timings are reported, never
asserted.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus" / "dev"


def paragraphs() -> list[str]:
    """The body paragraphs of the development articles, in a stable order."""
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the headline left out
        found += [line.strip() for line in lines if len(line.split()) > 8]
    return found


def article_text(count: int, pool: Sequence[str]) -> str:
    """A headline and ``count`` paragraphs cycled from ``pool``."""
    body = "\n\n".join(pool[i % len(pool)] for i in range(count))
    return "Governments agree a new deal on migration\n\n" + body


def measure(count: int, pool: Sequence[str]) -> dict[str, Any]:
    """Seconds for the plain model and for policygraph at one size, by stage."""
    from graph.article import Metadata, parse_article
    from graph.extract import extract, load_pipeline
    from graph.rdf import to_graph
    from graph.validate import violations

    nlp = load_pipeline()
    plain = _plain_model()
    text = article_text(count, pool)
    started = time.perf_counter()
    article = parse_article(text, Metadata(None, None, None, f"long-{count}.txt"))
    parsed = time.perf_counter()
    extraction = extract(article, nlp)
    extracted = time.perf_counter()
    graph = to_graph(extraction)
    built = time.perf_counter()
    violations(graph)
    validated = time.perf_counter()
    baseline_start = time.perf_counter()
    for _ in plain.pipe(s.text for s in article.sentences):
        pass
    baseline = time.perf_counter() - baseline_start
    return {
        "paragraphs": count,
        "characters": len(text),
        "sentences": len(article.sentences),
        "triples": len(graph),
        "parse": parsed - started,
        "extract": extracted - parsed,
        "rdf": built - extracted,
        "shacl": validated - built,
        "total": validated - started,
        "baseline": baseline,
    }


def _plain_model() -> Any:
    import spacy

    from graph.extract import model_name

    return spacy.load(model_name())


def report(rows: list[dict[str, Any]]) -> str:
    """The measurements as a Markdown table, with the growth ratios."""
    lines = [
        "# Ingest cost against article length",
        "",
        "`make bench-scaling` (`python -m bench.scaling`); seconds, one run, "
        f"Python {platform.python_version()} on {platform.machine()}.",
        "",
        "| paragraphs | sentences | triples | parse | extract | rdf | shacl | policygraph "
        "| nlp.pipe | policygraph / nlp.pipe | growth (policygraph) | growth (nlp.pipe) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous: dict[str, Any] | None = None
    for row in rows:
        growth = (
            (
                f"{row['total'] / previous['total']:.2f}×",
                f"{row['baseline'] / previous['baseline']:.2f}×",
            )
            if previous
            else ("", "")
        )
        lines.append(
            f"| {row['paragraphs']:,} | {row['sentences']:,} | {row['triples']:,} "
            f"| {row['parse']:.1f} | {row['extract']:.1f} | {row['rdf']:.2f} | {row['shacl']:.1f} "
            f"| {row['total']:.1f} | {row['baseline']:.1f} "
            f"| {row['total'] / row['baseline']:.2f} | {growth[0]} | {growth[1]} |"
        )
        previous = row
    lines += [
        "",
        "Each size doubles the one before, so a growth of 2.0× is linear. The article is the "
        "development corpus's paragraphs cycled, so its deals and actors repeat: a worst case "
        "for the stages that compare mentions with each other.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--out", type=Path, default=None)
    options = parser.parse_args(argv)
    pool = paragraphs()
    rows = []
    for count in options.paragraphs:
        rows.append(measure(count, pool))
        print(f"{count:,} paragraphs: {rows[-1]['total']:.1f} s", file=sys.stderr)
    text = report(rows)
    if options.out:
        options.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
