"""Extraction speed: policygraph's reading of an article against the plain spaCy model's.

``python -m bench.extract [--against REV] [--repeats 3] [--out bench/extract.md]``

Every annotated article of ``tests/data`` (the sample, ``tests/data/dev``, both halves of
``tests/data/corpus`` and ``tests/data/written``) is read sentence by sentence, as extraction
reads it, twice in one run:

- *baseline*: ``nlp.pipe`` of the plain statistical model over the article's sentences;
- *policygraph*: ``graph.extract.extract``, the model plus the gazetteer ruler, the name guard
  and the deal reader, then entity resolution, deals and statements.

The figure that matters is their ratio, measured side by side on the same texts in the same
process, so the machine's speed and load cancel out. With ``--against REV`` the same
measurement also runs on the extraction code of another commit (a temporary ``git worktree``,
in a child process, in the same run), so a change's cost is read as the ratio of two ratios.

Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def articles() -> list[Path]:
    """The annotated articles, in a stable order."""
    found = sorted(DATA.rglob("*.gold.json"))
    texts = []
    for gold in found:
        name = json.loads(gold.read_text(encoding="utf-8")).get("file")
        text = gold.with_name(name) if name else None
        if text is not None and text.is_file():
            texts.append(text)
    sample = ROOT / "samples" / "000_70e03d7c78804526.txt"
    return [sample, *texts] if sample.is_file() else texts


def measure(paths: Sequence[Path], repeats: int) -> dict[str, Any]:
    """Seconds per article for the plain model and for policygraph's extraction (medians of
    ``repeats`` passes over all articles, after one warm-up pass)."""
    import spacy

    from graph.article import Metadata, parse_article, read_text
    from graph.extract import extract, load_pipeline, model_name

    parsed = [parse_article(read_text(p), Metadata(None, None, None, p.name)) for p in paths]
    sentences = [[s.text for s in a.sentences] for a in parsed]
    plain = spacy.load(model_name())
    ours = load_pipeline()

    def baseline() -> None:
        for texts in sentences:
            list(plain.pipe(texts))

    def policygraph() -> None:
        for article in parsed:
            extract(article, ours)

    timings: dict[str, list[float]] = {"baseline": [], "policygraph": []}
    for work in (baseline, policygraph):
        work()  # warm-up: caches, lazy data, the first parse
    for _ in range(repeats):  # interleaved, so a burst of load hits both alike
        for run, work in (("baseline", baseline), ("policygraph", policygraph)):
            started = time.perf_counter()
            work()
            timings[run].append(time.perf_counter() - started)
    count = len(parsed)
    base = statistics.median(timings["baseline"]) / count
    mine = statistics.median(timings["policygraph"]) / count
    return {
        "articles": count,
        "sentences": sum(len(s) for s in sentences),
        "baseline_s": base,
        "policygraph_s": mine,
        "ratio": mine / base,
    }


def _measure_at(revision: str, repeats: int) -> dict[str, Any]:
    """The same measurement on another commit's extraction code, in a child process run
    from a temporary git worktree of that commit (the articles are this checkout's)."""
    with tempfile.TemporaryDirectory(prefix="pg-bench-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
            check=True,
            capture_output=True,
        )
        try:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            code = (
                "import json, sys; from pathlib import Path; import bench.extract as b; "
                "import graph; assert graph.__file__.startswith(sys.argv[3]); "
                "paths = [Path(p) for p in json.loads(sys.argv[1])]; "
                "print(json.dumps(b.measure(paths, int(sys.argv[2]))))"
            )
            bench = tree / "bench" / "extract.py"
            if not bench.exists():  # an older commit: this file measures its code
                (tree / "bench").mkdir(exist_ok=True)
                bench.write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    code,
                    json.dumps([str(p) for p in articles()]),
                    str(repeats),
                    str(tree),
                ],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"measuring {revision} failed:\n{done.stderr}")
            return dict(json.loads(done.stdout.strip().splitlines()[-1]))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return done.stdout.strip()


def report(here: dict[str, Any], there: dict[str, Any] | None, revision: str | None) -> str:
    """The results as Markdown."""
    head = _git("rev-parse", "--short", "HEAD") or "working tree"
    lines = [
        "# Extraction speed",
        "",
        f"`python -m bench.extract{f' --against {revision}' if revision else ''}` on "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}: "
        f"{here['articles']} articles, {here['sentences']} sentences, medians of the passes.",
        "",
        "| code | plain model (s/article) | policygraph (s/article) | policygraph / plain |",
        "|---|---:|---:|---:|",
        f"| {head} | {here['baseline_s']:.3f} | {here['policygraph_s']:.3f} | "
        f"{here['ratio']:.2f}× |",
    ]
    if there is not None:
        lines.append(
            f"| {revision} | {there['baseline_s']:.3f} | {there['policygraph_s']:.3f} | "
            f"{there['ratio']:.2f}× |"
        )
        lines += [
            "",
            f"Cost of the change: {here['ratio'] / there['ratio']:.2f}× (ratio of ratios).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="also measure this commit's extraction code")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the articles")
    parser.add_argument("--out", type=Path, help="write the Markdown report here too")
    options = parser.parse_args(argv)
    paths = articles()
    there = _measure_at(options.against, options.repeats) if options.against else None
    here = measure(paths, options.repeats)
    text = report(here, there, options.against)
    sys.stdout.write(text)
    if options.out:
        options.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
