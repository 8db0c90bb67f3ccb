"""The fuzzer of ``make fuzz`` (``bench/fuzz.py``), and every crash it saved, replayed."""

from __future__ import annotations

import contextlib
import hashlib
import random
from pathlib import Path

import pytest

from bench.fuzz import (
    CRASH_DIR,
    crash_path,
    fuzz,
    mutate,
    run_one,
    saved_crashes,
    seed_texts,
)
from graph.errors import InputError


@pytest.mark.model
@pytest.mark.parametrize("path", saved_crashes(), ids=lambda p: p.name[:12])
def test_fuzz_saved_crashes_no_longer_crash(path: Path) -> None:
    from graph.extract import load_pipeline

    data = path.read_bytes()
    assert crash_path(data) == path  # the file holds the very bytes that crashed
    with contextlib.suppress(InputError):  # refused in one line: no crash
        run_one(data, load_pipeline(), path.name)


def test_fuzz_crash_folder_is_seeded_and_explained() -> None:
    assert len(saved_crashes()) >= 2
    readme = (CRASH_DIR / "README.md").read_text(encoding="utf-8")
    for path in saved_crashes():
        assert f"`{path.name[:8]}…" in readme, f"{path.name} is not described in the README"


def test_fuzz_mutation_is_deterministic_for_a_seed() -> None:
    texts = seed_texts()
    assert len(texts) >= 10

    for seed in range(30):
        first = mutate(texts[seed % len(texts)], random.Random(seed), texts)
        again = mutate(texts[seed % len(texts)], random.Random(seed), texts)
        assert first == again, seed
    mutants = {mutate(texts[0], random.Random(seed), texts) for seed in range(30)}
    assert len(mutants) > 20  # seeds differ, and so do their mutants


def test_fuzz_saves_each_crash_once_by_its_sha1_and_refusals_are_no_crash(
    tmp_path: Path,
) -> None:
    seen: list[bytes] = []

    def target(data: bytes) -> None:  # a stand-in pipeline: no model
        seen.append(data)
        if len(seen) % 3 == 0:
            raise InputError("refused")
        if len(seen) % 3 == 1:
            raise KeyError("boom")

    lines: list[str] = []
    report = fuzz(60, 5, target, seed_texts(), tmp_path, lines.append, max_runs=12)

    assert report.runs == len(seen) == 12
    assert report.refused == 4
    crashing = {hashlib.sha1(data).hexdigest() + ".txt" for data in seen[0::3]}
    assert set(report.crashes) == crashing
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(crashing)
    assert len(lines) == len(crashing) and all("KeyError: 'boom'" in line for line in lines)
    for name in crashing:
        data = (tmp_path / name).read_bytes()
        assert data in seen

    again: list[str] = []
    rerun = fuzz(60, 5, target, seed_texts(), tmp_path, again.append, max_runs=12)
    assert set(rerun.crashes) == crashing
    assert again == []  # already saved: counted, not reported again


def test_fuzz_runs_are_reproduced_by_their_seed(tmp_path: Path) -> None:
    def inputs(seed: int) -> list[bytes]:
        seen: list[bytes] = []
        fuzz(60, seed, seen.append, seed_texts(), tmp_path, print, max_runs=5)
        return seen

    assert inputs(11) == inputs(11) != inputs(12)
