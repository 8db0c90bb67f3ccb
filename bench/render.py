"""Dashboard speed: the time from ``page.goto`` to the network graph drawn, per store size.

``python -m bench.render [--sizes 100 1000 10000] [--out bench/results.md]``

For every size a synthetic store (``bench.synth``, cached under ``bench/.stores/``) is served
by its own ``streamlit run dashboard/app.py`` on loopback, all started before the first load.
Debian's Chromium, driven by Playwright as ``tests/test_browser.py`` drives it and refusing
every request that would leave the machine, then loads the Network page ``--repeats`` times
per size, in one run, so the sizes are compared side by side. The first load of a server is
*cold* (the dashboard's caches empty: the store is read, the network built and laid out); the
others follow at once and are *warm* (served from its caches, which hold until the store
changes). Every load has a fresh browser context,
so the browser's own cache never helps.

The signal "drawn" is read from the component's iframe on every animation frame: the
Cytoscape instance the component registers on its container (``#cy._cyreg.cy``, the one its
own ``getCyInstance`` reads) holds at least one node, and one of Cytoscape's canvas layers is
no longer blank (scaled down to 128 × 128 pixels, some pixel has a non-zero alpha). Cytoscape
paints in an animation frame after the component has added the elements, applied the styles
and run the preset layout, all in one task, so the first painted frame is the whole graph.
The time is that frame's wall clock minus the wall clock just before ``page.goto``.

Responsiveness is measured while waiting: every 100 ms the harness times a trivial
``page.evaluate`` round trip to the page's main thread (which the same-origin component
iframe shares), and a ``PerformanceObserver`` records the page's long tasks (over 50 ms).

Timings are reported, never asserted: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
STORES = ROOT / "bench" / ".stores"
CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
COMPONENT = "streamlit_cytoscape"
STALLED_MS = 1000  # a round trip slower than this: the page stalled
# What the store's content depends on: a change to any of these makes a new cached store.
# Headless Chromium with nothing of its own that would call home (updates, sync, first run).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
STORE_INPUTS = ("bench/synth.py", "graph/rdf.py", "graph/model.py", "graph/vocab.py")

# Runs in the page before its own scripts. On every animation frame it looks into the
# component's iframe (same origin, same main thread) for the Cytoscape instance holding nodes
# and for a painted canvas layer, and stamps both moments with the wall clock (ms since the
# epoch); a PerformanceObserver keeps the page's long tasks, the iframe's included. (It runs
# in the top frame because a same-origin iframe keeps the window of its first, blank document,
# where a script of its own would have run too early.)
WATCH = """
(() => {
  if (window !== window.top) return;
  const state = { longTasks: [], elementsAt: null, drawnAt: null, nodes: 0, edges: 0 };
  window.__pgBench = state;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) { /* no long-task timing: the list stays empty */ }
  const clock = () => performance.timeOrigin + performance.now();
  const probe = document.createElement("canvas");
  probe.width = probe.height = 128;
  const painted = (container) => {
    const ctx = probe.getContext("2d", { willReadFrequently: true });
    for (const layer of container.querySelectorAll("canvas")) {
      if (!layer.width || !layer.height) continue;
      ctx.clearRect(0, 0, 128, 128);
      ctx.drawImage(layer, 0, 0, 128, 128);
      const data = ctx.getImageData(0, 0, 128, 128).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    }
    return false;
  };
  const tick = () => {
    for (const frame of document.querySelectorAll("iframe")) {
      if (!(frame.src || "").includes("COMPONENT")) continue;
      let container = null;
      try { container = frame.contentDocument && frame.contentDocument.getElementById("cy"); }
      catch (error) { continue; }
      const cy = container && container._cyreg && container._cyreg.cy;
      if (!cy || cy.nodes().length === 0) continue;
      if (state.elementsAt === null) state.elementsAt = clock();
      state.nodes = cy.nodes().length;
      state.edges = cy.edges().length;
      if (painted(container)) {
        state.drawnAt = clock();
        return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("COMPONENT", COMPONENT)

# One round trip to the page: the watcher's state, and any Streamlit exception or `st.error`.
PING = """() => {
  const failed = "[data-testid='stException'], [data-testid='stAlertContentError']";
  const box = document.querySelector(failed);
  const state = window.__pgBench || null;
  return {
    error: box ? box.innerText.slice(0, 300) : null,
    state: state && { ...state, longTasks: state.longTasks.slice() },
  };
}"""


@dataclass
class Load:
    """One page load: when the graph was drawn, and how the page answered meanwhile."""

    size: int
    cold: bool
    drawn_ms: float | None = None
    elements_ms: float | None = None
    nodes: int = 0
    edges: int = 0
    slowest_ping_ms: float = 0.0
    longest_task_ms: float = 0.0
    blocking_ms: float = 0.0
    problem: str | None = None


@dataclass
class Served:
    """A size's store and the Streamlit server in front of it."""

    size: int
    store: Path
    generated: synth.Summary | None
    articles: int
    triples: int
    process: subprocess.Popen[bytes]
    url: str
    loads: list[Load] = field(default_factory=list)
    stopped: str | None = None


# --- stores ------------------------------------------------------------------------------


def fingerprint() -> str:
    """A short hash of the code that decides a synthetic store's content."""
    digest = hashlib.sha256()
    for name in STORE_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:10]


def cached_store(
    size: int, seed: int, per_article: int, stores: Path
) -> tuple[Path, synth.Summary | None]:
    """The store of ``size`` deals, generated unless an identical one is cached."""
    path = stores / f"deals-{size}-seed-{seed}-k-{per_article}-{fingerprint()}"
    if path.exists():
        return path, None
    partial = path.with_name(path.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.with_name(partial.name + ".lock").unlink(missing_ok=True)
    summary = synth.generate(str(partial), size, seed, per_article)
    partial.rename(path)
    partial.with_name(partial.name + ".lock").unlink(missing_ok=True)
    summary = dataclasses.replace(summary, location=str(path))
    print(summary.line(), flush=True)
    return path, summary


def store_counts(store: Path) -> tuple[int, int]:
    """How many articles and triples a store holds."""
    from graph.core import PolicyGraph

    with PolicyGraph.open(str(store)) as graph:
        table = graph.query(
            "SELECT (COUNT(DISTINCT ?g) AS ?articles) (COUNT(*) AS ?triples) "
            "WHERE { GRAPH ?g { ?s ?p ?o } }"
        )
    assert table is not None
    row = table.values()[0]
    return int(row["articles"]), int(row["triples"])


# --- servers -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_dashboard(
    store: Path, log: Path, patience: float = 60
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run dashboard/app.py`` on a free loopback port, serving ``store``; waits up
    to ``patience`` seconds for it to answer."""
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(streamlit),
                "run",
                str(ROOT / "dashboard" / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--",
                "--store",
                str(store),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}; see {log}")
        try:
            if httpx.get(url + "/_stcore/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"the dashboard did not start within {patience:g} s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this harness started."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(
    sizes: Sequence[int], seed: int, per_article: int, stores: Path
) -> Iterator[list[Served]]:
    """A store and a running dashboard for every size; the servers stop on the way out."""
    served: list[Served] = []
    try:
        for size in sizes:
            store, summary = cached_store(size, seed, per_article, stores)
            articles, triples = store_counts(store)
            process, url = start_dashboard(store, stores / "logs" / f"streamlit-{size}.log")
            served.append(Served(size, store, summary, articles, triples, process, url))
        yield served
    finally:
        for one in served:
            stop(one.process)


# --- the browser -------------------------------------------------------------------------


async def measure(
    browser: Any, url: str, size: int, cold: bool, timeout: float, shot: Path | None = None
) -> Load:
    """Open the Network page in a fresh context and wait, up to ``timeout`` s, for the graph;
    save a screenshot of the moment it was seen drawn (or given up on) to ``shot``."""
    from playwright.async_api import Error as PlaywrightError

    load = Load(size, cold)
    outside: list[str] = []
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})

    async def guard(route: Any, request: Any) -> None:
        host = urlparse(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            await route.continue_()
        else:
            outside.append(request.url)
            await route.abort()

    await context.route("**/*", guard)
    await context.add_init_script(WATCH)
    page = await context.new_page()
    started = time.time() * 1000
    deadline = time.monotonic() + timeout
    state: dict[str, Any] | None = None
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                load.problem = f"not drawn within {timeout:.0f} s"
                break
            sent = time.perf_counter()
            try:
                answer = await asyncio.wait_for(page.evaluate(PING), left)
            except TimeoutError:  # the wait is over while the page still owes an answer
                answer = {}
                waited = time.perf_counter() - sent
                load.problem = f"not drawn within {timeout:.0f} s" + (
                    f"; page frozen, no answer for the last {waited:.0f} s"
                    if waited * 1000 > STALLED_MS
                    else ""
                )
            except PlaywrightError as error:  # navigation in progress: ask again
                answer = {"state": state}
                if "context was destroyed" not in str(error):
                    raise
            load.slowest_ping_ms = max(load.slowest_ping_ms, (time.perf_counter() - sent) * 1000)
            state = answer.get("state") or state
            if answer.get("error"):
                load.problem = "page shows: " + " ".join(answer["error"].split())
            if load.problem or (state and state.get("drawnAt")):
                break
            await asyncio.sleep(0.1)
        if shot is not None:
            shot.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(shot), timeout=30_000)
        if state:
            load.nodes, load.edges = int(state["nodes"]), int(state["edges"])
            if state.get("elementsAt"):
                load.elements_ms = state["elementsAt"] - started
            if state.get("drawnAt"):
                load.drawn_ms = state["drawnAt"] - started
            tasks = [float(t) for t in state["longTasks"]]
            load.longest_task_ms = max(tasks, default=0.0)
            load.blocking_ms = sum(max(0.0, t - 50) for t in tasks)
    finally:
        await context.close()
    if outside:
        load.problem = (load.problem or "") + f" requests left the machine: {outside[:3]}"
    return load


async def run_loads(
    served: list[Served], repeats: int, timeout: float, shots: Path | None = None
) -> None:
    """Every size's loads: the cold one, then the warm ones; a size that failed is not loaded
    again."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=list(CHROMIUM_ARGS),
        )
        try:
            for one in served:
                for round_ in range(repeats):
                    shot = shots / f"network-{one.size}-{round_}.png" if shots else None
                    load = await measure(browser, one.url, one.size, round_ == 0, timeout, shot)
                    one.loads.append(load)
                    print(_load_line(load), flush=True)
                    if load.problem:  # stop a server still busy on this size's page
                        one.stopped = load.problem
                        stop(one.process)
                        break
        finally:
            await browser.close()


def _load_line(load: Load) -> str:
    kind = "cold" if load.cold else "warm"
    drawn = f"{load.drawn_ms:.0f} ms" if load.drawn_ms is not None else "not drawn"
    line = (
        f"bench.render: {load.size} deals, {kind}: {drawn}, {load.nodes} nodes, {load.edges} "
        f"edges, slowest ping {load.slowest_ping_ms:.0f} ms, longest task "
        f"{load.longest_task_ms:.0f} ms"
    )
    return line + (f" ({load.problem})" if load.problem else "")


# --- the report --------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "—" if value is None or not base else f"{value / base:.1f}×"


def _draw(load: Load | None) -> float | None:
    """From the elements arriving in Cytoscape to the painted frame."""
    if load is None or load.drawn_ms is None or load.elements_ms is None:
        return None
    return load.drawn_ms - load.elements_ms


def _git() -> str:
    def run(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    head = run("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line[3:] for line in run("status", "--porcelain").splitlines() if line[3:]]
    watched = [p for p in changed if p.startswith(("graph/", "dashboard/", "ontology/"))]
    if not watched:
        return f"commit {head}"
    return f"commit {head} plus uncommitted changes to {', '.join(sorted(watched))}"


def report(served: list[Served], repeats: int, timeout: float, load_before: float) -> str:
    """The results as Markdown: one row per size, ratios to the smallest size."""
    rows = []
    for one in served:
        cold = next((x for x in one.loads if x.cold), None)
        warms = [x.drawn_ms for x in one.loads if not x.cold and x.drawn_ms is not None]
        rows.append((one, cold, statistics.median(warms) if warms else None))
    base = rows[0] if rows else None
    base_cold = base[1].drawn_ms if base and base[1] else None
    base_warm = base[2] if base else None
    smallest = f"{served[0].size:,}" if served else "?"
    lines = [
        "# Dashboard speed: page load to network graph drawn",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_git()}; "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after; Python {platform.python_version()}; "
        f"Chromium at {CHROMIUM}. {repeats} loads per size, one after the other (1 cold, "
        f"{repeats - 1} warm; warm is the median), each wait capped at {timeout:.0f} s. Ratios "
        f"are to the {smallest}-deal run of the same run.",
        "",
        f"| deals | articles | triples | nodes drawn | edges drawn | cold ms | warm ms "
        f"| cold vs {smallest} | warm vs {smallest} | draw ms (cold) | slowest ping ms "
        f"| longest task ms | blocked ms (cold) | notes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for one, cold, warm in rows:
        loads = one.loads
        ping = max((x.slowest_ping_ms for x in loads), default=0.0)
        task = max((x.longest_task_ms for x in loads), default=0.0)
        shown = next((x for x in loads if x.nodes), cold)
        notes = "; ".join(sorted({x.problem for x in loads if x.problem}))
        if not notes:
            notes = "responsive" if ping < STALLED_MS else f"stalled up to {ping / 1000:.1f} s"
        lines.append(
            f"| {one.size:,} | {one.articles:,} | {one.triples:,} "
            f"| {shown.nodes if shown else 0:,} | {shown.edges if shown else 0:,} "
            f"| {_ms(cold.drawn_ms if cold else None)} | {_ms(warm)} "
            f"| {_ratio(cold.drawn_ms if cold else None, base_cold)} | {_ratio(warm, base_warm)} "
            f"| {_ms(_draw(cold))} | {ping:,.0f} | {task:,.0f} "
            f"| {_ms(cold.blocking_ms if cold else None)} | {notes} |"
        )
    lines += [
        "",
        "- **drawn**: inside the component's iframe, the Cytoscape instance (`#cy._cyreg.cy`) "
        "holds nodes and one of its canvas layers has a painted pixel, checked on every "
        "animation frame; the time runs from just before `page.goto`. **draw**: from the "
        "elements arriving in Cytoscape to that frame. See `bench/README.md`.",
        "- **cold**: the first load after the server started (Streamlit's caches empty); "
        "**warm**: the loads after it, served from the dashboard's caches (they hold until "
        "the store changes). Every load is a new browser context.",
        "- **slowest ping**: the slowest `page.evaluate` round trip, sent every 100 ms while "
        "waiting; **longest task** and **blocked** (the sum of each long task's time over "
        "50 ms): the page's long tasks, from a `PerformanceObserver`.",
        "",
        "Stores: "
        + "; ".join(
            f"{one.store.name} "
            + (
                f"(generated in this run in {one.generated.seconds:.0f} s)"
                if one.generated
                else "(cached)"
            )
            for one in served
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Generate or reuse the stores, load the dashboard for each, write the results."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.render", description="Time the dashboard's network page."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--repeats", type=int, default=3, help="loads per size, the first cold")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page load")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-article", type=int, default=synth.DEFAULT_PER_ARTICLE)
    parser.add_argument("--stores", type=Path, default=STORES, help="where stores are cached")
    parser.add_argument("--shots", type=Path, help="save a screenshot of every load here")
    options = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"error: {CHROMIUM} not found: run `apt-get install -y chromium`", file=sys.stderr)
        return 1
    if options.repeats < 1:
        print("error: --repeats must be at least 1", file=sys.stderr)
        return 1
    sizes = sorted(set(options.sizes))
    load_before = os.getloadavg()[0]
    with serving(sizes, options.seed, options.per_article, options.stores) as served:
        asyncio.run(run_loads(served, options.repeats, options.timeout, options.shots))
    text = report(served, options.repeats, options.timeout, load_before)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
