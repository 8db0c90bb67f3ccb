"""The kill -9 campaign of ``make kill9`` (``bench/kill9.py``): its dumps and judgement, a short
campaign of it, and the two failures it found, each now a test of its fix."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.kill9 import ROOT, State, dump, judge

SMALL = ["canaries_arrivals_2024.txt", "uk_rwanda_scrapped_2024.txt"]  # the two shortest


def _store(path: Path, quads: list[ox.Quad]) -> Path:
    store = ox.Store(str(path))
    store.extend(quads)
    store.flush()
    del store
    return path


def _quads(blank: str) -> list[ox.Quad]:
    g, p = ox.NamedNode("https://example.org/g"), ox.NamedNode("https://example.org/p")
    node = ox.BlankNode(blank)
    return [
        ox.Quad(ox.NamedNode("https://example.org/a"), p, ox.Literal("x"), g),
        ox.Quad(ox.NamedNode("https://example.org/b"), p, node, g),
        ox.Quad(node, p, ox.Literal('ü "quoted" _:b1'), g),
    ]


def test_kill9_dumps_of_equal_stores_are_byte_identical(tmp_path: Path) -> None:
    one = _store(tmp_path / "one", _quads("b1"))
    other = _store(tmp_path / "other", list(reversed(_quads("zz9"))))  # another blank label
    changed = _store(tmp_path / "changed", _quads("b1")[:2])

    assert dump(one) == dump(other)
    assert dump(one) != dump(changed)
    assert list(dump(one)) == ["https://example.org/g"]
    assert dump(tmp_path / "never-created") == {}


def test_kill9_judge_says_which_graph_is_partial_or_lost() -> None:
    a = ("<a> <p> <o> <g> .", "<b> <p> <o> <g> .")
    h = ("<c> <p> <o> <h> .",)
    states: dict[str, State] = {"before": {"h": h}, "after": {"g": a, "h": h}}

    assert judge({"g": a, "h": h}, states, str) == []
    assert judge({"h": h}, states, str) == []
    assert judge({"g": a[:1], "h": h}, states, str) == ["g: partial, 1 of its 2 quads and 0 others"]
    assert judge({"g": a}, states, str) == ["h: missing, though a finished write put it there"]


@pytest.mark.model
def test_kill9_a_short_campaign_kills_writers_and_finds_no_failure(tmp_path: Path) -> None:
    articles = [str(ROOT / "tests" / "data" / "corpus" / "dev" / name) for name in SMALL]
    report, tallies = tmp_path / "kill9.md", tmp_path / "kill9.json"
    command = [sys.executable, "-m", "bench.kill9", "--seconds", "40", "--articles", *articles]
    command += ["--out", str(report), "--json", str(tallies), "--workdir", str(tmp_path / "w")]

    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)

    assert done.returncode in {0, 1}, done.stderr
    found = json.loads(tallies.read_text(encoding="utf-8"))
    text = report.read_text(encoding="utf-8")
    assert sum(case["kills"] for case in found["cases"]) > 0, text
    assert sum(case["identical"] for case in found["cases"]) > 0, text
    assert found["failures"] == [], text
    assert done.returncode == 0
    assert "| case | runs | kills | survived | byte-identical re-runs | failures |" in text


CREATE = "import sys, pyoxigraph; print('ready', flush=True); pyoxigraph.Store(sys.argv[1])"


def test_kill9_a_store_killed_while_being_created_opens_read_only(tmp_path: Path) -> None:
    from graph.errors import PolicyGraphError
    from graph.store import EmbeddedStore

    path = tmp_path / "store"
    for step in range(80):  # kills 0 to 40 ms into the creation, half a millisecond apart
        shutil.rmtree(path, ignore_errors=True)
        with subprocess.Popen(
            [sys.executable, "-c", CREATE, str(path)], stdout=subprocess.PIPE, text=True
        ) as child:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
            time.sleep(step / 2000)
            child.send_signal(signal.SIGKILL)
        try:
            with EmbeddedStore(path, "read") as store:
                store.graph_names()
        except PolicyGraphError as error:
            raise AssertionError(f"killed {step / 2} ms into creating it: {error}") from None


COPY = "urn:kill9:copy"
UPDATE = (
    f"INSERT {{ GRAPH <{COPY}> {{ ?c <urn:kill9:of> ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}"
    " VALUES ?k { " + " ".join(map(str, range(1, 61))) + " }"
    ' BIND(IRI(CONCAT("urn:kill9:c/", STR(?k), "/", MD5(CONCAT(STR(?s), STR(?p))))) AS ?c) }'
)


def test_kill9_an_update_stopped_by_its_timeout_wrote_nothing(
    seed_like_store: Path, tmp_path: Path
) -> None:
    command = [str(Path(sys.executable).with_name("policygraph")), "--store"]
    store = tmp_path / "store"

    def update(*timeout: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(seed_like_store, store)
        started = time.monotonic()
        done = subprocess.run(
            [*command, str(store), "query", "--update", *timeout, UPDATE],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return time.monotonic() - started, done

    length, done = update()
    assert done.returncode == 0, done.stderr
    for step in range(8):  # deadlines from 0.3 to 0.9 of its length (the sandbox starts late)
        limit = length * (0.3 + step * 0.6 / 7)
        _, done = update("--timeout", f"{limit:.3f}")
        written = COPY in dump(store)
        if "nothing was written" in done.stderr:
            assert not written, f"--timeout {limit:.3f}: {done.stderr.strip()}, but it was"
        else:
            assert done.returncode == 0 and written, done.stderr
