"""What analysts' corrections cost the reads: the same store with and without them.

``python -m bench.curation [--articles 1000] [--corrections 200] [--repeats 3]
[--out bench/curation.md] [--stores DIR]``

The acceptance criterion measured: "A store of 1,000 articles with 200 corrections: the Deals
page and ``deals --format json`` are at most 1.3× slower than without corrections."

One synthetic store of about ``--articles`` articles is built with ``bench.synth`` (the deal
count is chosen so that its plan has that many articles) and copied; on the copy,
``--corrections`` corrections are made one by one through
``PolicyGraph.open(copy, "write", agent="bench").correct(...)``, as the dashboard makes them:
a mix of merge-actors (the register's own proposals first), rename, retype, set-iso,
set-payers, set-payees, set-status (dated), set-amount, set-purposes, merge-deals, split-deal
(one article of the deal), delete-deal and delete-actor, over real actors and deals of the
store, each target picked by a seeded ``random.Random`` and used once; a correction the facade
refuses is replaced by another target of the same kind. How long each correction took is
reported too.

Then, in one process and one run, both stores are read ``--repeats`` times, interleaved (the
order alternates every repeat, after one round that is not counted), and the medians compared:

- **deals --format json**: ``policygraph --store DIR deals --format json > /dev/null`` in a
  child process, wall time, as a user runs it;
- **Deals page, cold**: ``dashboard/screens/deals.py`` run by Streamlit's ``AppTest`` with
  ``POLICYGRAPH_STORE=DIR`` and ``dashboard/`` on ``sys.path`` (as the tests run the pages),
  after ``st.cache_data.clear()`` and ``st.cache_resource.clear()``: the time of ``run()``;
  **warm**: the rerun right after it, from the dashboard's caches;
- **PolicyGraph.deals()**: in this process on a new facade (nothing read yet), and
  **PolicyGraph.overlay()**: reading the corrections and the actors and building the
  ``Overlay`` (the register's folds and proposals included), on another new facade.

Timings are reported, never asserted: the line under the table says whether the criterion
held in this run. Nothing leaves the machine. ``--stores DIR`` keeps the two stores (and what
was corrected, with its timings) in ``DIR`` and reuses them on the next run with the same
sizes and seed, so only the reads are measured again; without it they live in a temporary
directory, removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
PAGE = DASHBOARD / "screens" / "deals.py"
POLICYGRAPH = Path(sys.executable).parent / "policygraph"
CRITERION = 1.3
WATCHED = ("graph", "dashboard", "ontology")  # what the measured code and data are
PLACES = "graph/, dashboard/ and ontology/"
AGENT = "bench"

# The mix of 200 corrections (scaled to --corrections): what analysts fix most is a deal's
# status, roles, amount and purposes; merges, splits and deletions are rarer.
MIX = (
    ("set-status", 30),
    ("set-payers", 20),
    ("set-payees", 20),
    ("set-purposes", 20),
    ("set-amount", 20),
    ("rename", 20),
    ("merge-actors", 15),
    ("retype", 10),
    ("set-iso", 10),
    ("merge-deals", 10),
    ("split-deal", 10),
    ("delete-deal", 8),
    ("delete-actor", 7),
)
RETYPES = {
    "Organisation": "PoliticalParty",
    "PoliticalParty": "Organisation",
    "Person": "Organisation",
    "Region": "Country",
    "Supranational": "Organisation",
    "Country": "Region",
}
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


# --- the stores -----------------------------------------------------------------------------


def deals_for(articles: int, seed: int, per_article: int) -> int:
    """The number of synthetic deals whose plan has the number of articles closest to
    ``articles`` (planning is cheap: nothing is composed or checked)."""
    counted: dict[int, int] = {}
    deals = max(1, round(articles * per_article / 2.4))  # a deal is reported 2.4 times
    for _ in range(8):
        counted[deals] = len(synth.plan(synth.Job(seed, deals, per_article))[2])
        if counted[deals] == articles:
            break
        scaled = max(1, round(deals * articles / max(counted[deals], 1)))
        if scaled in counted:
            break
        deals = scaled
    return min(counted, key=lambda d: (abs(counted[d] - articles), d))


@dataclass
class Made:
    """One correction made (or refused) while preparing the corrected store."""

    kind: str
    target: str
    seconds: float
    label: str | None = None  # the correction in words; None if refused
    refused: str | None = None  # the error, if the facade refused it


@dataclass
class Stores:
    """The two stores and how they were made."""

    plain: str
    corrected: str
    articles: int
    deals: int
    triples: int
    build_seconds: float
    made: list[Made] = field(default_factory=list)
    code: str = ""  # ``code_digest()`` when the stores were made
    reused: bool = False

    @property
    def done(self) -> list[Made]:
        return [m for m in self.made if m.refused is None]

    @property
    def refused(self) -> list[Made]:
        return [m for m in self.made if m.refused is not None]


def _targets(location: str, rng: random.Random) -> dict[str, Iterator[tuple[str, dict[str, Any]]]]:
    """For each kind of correction, an endless supply of ``(target, options)`` over the
    plain store's actors and deals, in a seeded random order (each generator stops when its
    pool is used up)."""
    from graph.core import PolicyGraph
    from graph.model import PURPOSES, STATUSES

    with PolicyGraph.open(location) as graph:
        actors = graph.raw_actors()
        deals = graph.deals(actors=graph.actors())
        proposals = graph.proposals()
    by_type: dict[str, list[str]] = {}
    for iri, actor in sorted(actors.items()):
        by_type.setdefault(str(actor["type"]), []).append(iri)
    for pool in by_type.values():
        rng.shuffle(pool)
    deal_pool = sorted(deals, key=lambda d: d["iri"])
    rng.shuffle(deal_pool)

    def shuffled(items: Sequence[Any]) -> list[Any]:
        items = list(items)
        rng.shuffle(items)
        return items

    def actors_of(*types: str) -> list[str]:
        return shuffled([i for t in types for i in by_type.get(t, [])])

    def merge_actors() -> Iterator[tuple[str, dict[str, Any]]]:
        for p in shuffled(sorted(proposals, key=lambda p: (p["actor"], p["into"]))):
            yield p["actor"], {"into": p["into"]}
        people = actors_of("Person")
        for first, second in zip(people[::2], people[1::2], strict=False):
            yield first, {"into": second}

    def rename() -> Iterator[tuple[str, dict[str, Any]]]:
        for iri in actors_of(*sorted(by_type)):
            label = str(actors[iri]["label"])
            new = f"{label} Jr" if actors[iri]["type"] == "Person" else f"The {label}"
            yield iri, {"values": (new,)}

    def retype() -> Iterator[tuple[str, dict[str, Any]]]:
        for iri in actors_of("Organisation", "PoliticalParty", "Region", "Supranational"):
            yield iri, {"values": (RETYPES[str(actors[iri]["type"])],)}

    def set_iso() -> Iterator[tuple[str, dict[str, Any]]]:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for iri in actors_of("Region", "Country"):
            actor = actors[iri]
            country = actors.get(str(actor.get("part_of") or ""), {}).get("iso_code")
            if country:  # a region's subdivision code, mistaken by the extractor
                yield iri, {"values": (f"{country}-{''.join(rng.sample(letters, 2))}",)}
            elif actor["type"] == "Country" and actor.get("iso_code"):
                yield iri, {"values": (str(actor["iso_code"]),)}

    def parties(deal: dict[str, Any]) -> list[str]:
        return [a["iri"] for a in deal["parties"]]

    def set_payers() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            payers = {a["iri"] for a in deal["payers"]}
            new = [a["iri"] for a in deal["payees"]]
            new = new or [p for p in parties(deal) if p not in payers]
            if new and set(new) != payers:  # the extractor read the payment backwards
                yield deal["iri"], {"values": tuple(new)}

    def set_payees() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            payers = {a["iri"] for a in deal["payers"]}
            payees = {a["iri"] for a in deal["payees"]}
            others = [p for p in parties(deal) if p not in payers]
            if others and set(others) != payees:
                yield deal["iri"], {"values": tuple(others)}
            elif len(payees) > 1:  # a co-payee that is only a party
                yield deal["iri"], {"values": (sorted(payees)[0],)}

    def set_status() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            last = date.fromisoformat(str(deal["last_reported"] or "2025-06-30"))
            when = last + timedelta(days=rng.randint(1, 365))
            yield deal["iri"], {"values": (rng.choice(STATUSES),), "date": when.isoformat()}

    def set_amount() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            symbol = SYMBOLS.get(str(deal.get("currency")), "£")
            yield deal["iri"], {"values": (f"{symbol}{rng.randint(2, 900)} million",)}

    def set_purposes() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            yield deal["iri"], {"values": tuple(rng.sample(PURPOSES, rng.randint(1, 2)))}

    def merge_deals() -> Iterator[tuple[str, dict[str, Any]]]:
        by_payer: dict[str, list[str]] = {}
        for deal in deal_pool:
            for payer in deal["payers"]:
                by_payer.setdefault(payer["iri"], []).append(deal["iri"])
        for deal in deal_pool:  # the same payer's deal reported twice under two party sets
            for payer in deal["payers"]:
                others = [d for d in by_payer[payer["iri"]] if d != deal["iri"]]
                if others:
                    yield deal["iri"], {"into": rng.choice(others)}
                    break

    def split_deal() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            reports = sorted({s["article"] for s in deal["sources"]})
            if len(reports) > 1:  # the latest report is about another deal
                latest = max(deal["sources"], key=lambda s: (s["date"] or "", s["article"]))
                yield deal["iri"], {"articles": (latest["article"],)}

    def delete_deal() -> Iterator[tuple[str, dict[str, Any]]]:
        for deal in deal_pool:
            yield deal["iri"], {}

    def delete_actor() -> Iterator[tuple[str, dict[str, Any]]]:
        for iri in actors_of("Organisation", "PoliticalParty", "Person"):
            yield iri, {}

    makers: dict[str, Callable[[], Iterator[tuple[str, dict[str, Any]]]]] = {
        "merge-actors": merge_actors,
        "rename": rename,
        "retype": retype,
        "set-iso": set_iso,
        "set-payers": set_payers,
        "set-payees": set_payees,
        "set-status": set_status,
        "set-amount": set_amount,
        "set-purposes": set_purposes,
        "merge-deals": merge_deals,
        "split-deal": split_deal,
        "delete-deal": delete_deal,
        "delete-actor": delete_actor,
    }
    return {kind: make() for kind, make in makers.items()}


def mix(count: int) -> list[str]:
    """``count`` kinds of correction in the proportions of ``MIX`` (largest remainders).

    >>> len(mix(200)), mix(200).count("set-status"), len(set(mix(200)))
    (200, 30, 13)
    """
    total = sum(weight for _, weight in MIX)
    shares = [(kind, count * weight / total) for kind, weight in MIX]
    counts = {kind: int(share) for kind, share in shares}
    left = count - sum(counts.values())
    for kind, _ in sorted(shares, key=lambda s: (-(s[1] - int(s[1])), s[0]))[:left]:
        counts[kind] += 1
    return [kind for kind, _ in MIX for _ in range(counts[kind])]


def correct_all(location: str, count: int, seed: int, plain: str) -> list[Made]:
    """Make ``count`` corrections on the store at ``location`` (targets read from the store
    at ``plain``, its uncorrected twin), one write each; every attempt, timed."""
    from graph.core import PolicyGraph
    from graph.errors import PolicyGraphError

    rng = random.Random(seed)
    supply = _targets(plain, rng)
    kinds = mix(count)
    rng.shuffle(kinds)
    used: set[str] = set()
    made: list[Made] = []
    for number, kind in enumerate(kinds, start=1):
        while True:
            try:
                target, options = next(t for t in supply[kind] if _fresh(t, used))
            except StopIteration:
                raise RuntimeError(f"no target left for {kind}") from None
            used |= {target, *([options["into"]] if "into" in options else [])}
            values = options.pop("values", ())
            started = time.perf_counter()
            try:
                with PolicyGraph.open(location, "write", agent=AGENT) as graph:
                    done = graph.correct(kind, target, values, **options)
            except PolicyGraphError as error:
                made.append(Made(kind, target, time.perf_counter() - started, refused=str(error)))
                continue
            except Exception as error:  # a crash is a finding: report it, try another target
                line = traceback.format_exception_only(error)[-1].strip()
                made.append(Made(kind, target, time.perf_counter() - started, refused=line))
                continue
            made.append(Made(kind, target, time.perf_counter() - started, label=done.label))
            print(
                f"  correction {number}/{count} {kind} in {made[-1].seconds:.1f} s",
                file=sys.stderr,
            )
            break
    return made


def _fresh(target: tuple[str, dict[str, Any]], used: set[str]) -> bool:
    iri, options = target
    return iri not in used and options.get("into") not in used


def prepare(
    workdir: Path, articles: int, corrections: int, seed: int, per_article: int, workers: int | None
) -> Stores:
    """The plain and the corrected store in ``workdir``: reused if a run with the same sizes
    and seed left them there, else built (``workdir`` must then hold neither)."""
    record = workdir / "stores.json"
    wanted = {"articles": articles, "corrections": corrections, "seed": seed}
    wanted["per_article"] = per_article
    if record.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved.get("wanted") == wanted:
            kept = {k: v for k, v in saved["stores"].items() if k not in ("made", "reused")}
            stores = Stores(**kept)
            stores.made = [Made(**m) for m in saved["stores"]["made"]]
            stores.reused = True
            return stores
        raise SystemExit(f"error: {workdir} holds stores made with {saved.get('wanted')}")
    plain, corrected = workdir / "plain", workdir / "corrected"
    deals = deals_for(articles, seed, per_article)
    print(f"building {deals:,} deals (about {articles:,} articles) …", file=sys.stderr)
    summary = synth.generate(str(plain), deals, seed=seed, per_article=per_article, workers=workers)
    print(summary.line(), file=sys.stderr)
    shutil.copytree(plain, corrected)
    print(f"making {corrections} corrections on the copy …", file=sys.stderr)
    stores = Stores(
        str(plain),
        str(corrected),
        summary.articles,
        summary.deals,
        summary.triples,
        summary.seconds,
        code=code_digest(),
    )
    stores.made = correct_all(str(corrected), corrections, seed, str(plain))
    record.write_text(
        json.dumps({"wanted": wanted, "stores": asdict(stores)}, indent=1), encoding="utf-8"
    )
    return stores


# --- the reads ------------------------------------------------------------------------------


def time_cli(location: str) -> float:
    """``policygraph --store DIR deals --format json > /dev/null``, wall seconds."""
    started = time.perf_counter()
    subprocess.run(
        [str(POLICYGRAPH), "--store", location, "deals", "--format", "json"],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


@contextmanager
def _page_on(location: str) -> Iterator[None]:
    """The dashboard's pages pointed at ``location`` as ``tests/conftest.py``'s
    ``dashboard_on`` does: ``POLICYGRAPH_STORE`` and ``dashboard/`` on ``sys.path``."""
    saved_env, saved_path, saved_argv = os.environ.get("POLICYGRAPH_STORE"), sys.path[:], sys.argv
    os.environ["POLICYGRAPH_STORE"] = location
    sys.path.insert(0, str(DASHBOARD))
    sys.argv = [str(PAGE)]  # this command's own options are not the page's
    try:
        yield
    finally:
        sys.path[:], sys.argv = saved_path, saved_argv
        if saved_env is None:
            os.environ.pop("POLICYGRAPH_STORE", None)
        else:
            os.environ["POLICYGRAPH_STORE"] = saved_env


def time_page(location: str) -> tuple[float, float, str]:
    """The Deals page on empty caches, then rerun at once: seconds of each ``run()``, and
    the page's caption counting the deals."""
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")  # not AppTest's warnings that it runs without a server

    with _page_on(location):
        st.cache_data.clear()
        st.cache_resource.clear()
        page = AppTest.from_file(str(PAGE), default_timeout=600)
        started = time.perf_counter()
        page.run()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        page.run()
        warm = time.perf_counter() - started
        problems = [str(e.value) for e in page.exception] + [str(e.value) for e in page.error]
        if problems:
            raise RuntimeError(f"the Deals page failed on {location}: {problems[0]}")
        shown = next((str(c.value) for c in page.caption if " deal" in str(c.value)), "")
    return cold, warm, shown.split(" · ")[0]


def time_deals(location: str) -> float:
    """``PolicyGraph.open(DIR).deals()`` on a new facade, seconds."""
    from graph.core import PolicyGraph

    with PolicyGraph.open(location) as graph:
        started = time.perf_counter()
        graph.deals()
        return time.perf_counter() - started


def time_overlay(location: str) -> float:
    """``PolicyGraph.open(DIR).overlay()`` on a new facade, seconds."""
    from graph.core import PolicyGraph

    with PolicyGraph.open(location) as graph:
        started = time.perf_counter()
        graph.overlay()
        return time.perf_counter() - started


MEASURES = (
    ("`deals --format json` (child process)", "cli"),
    ("Deals page, cold (`AppTest.run()`, caches cleared)", "page"),
    ("Deals page, warm (the rerun after it)", "warm"),
    ("`PolicyGraph.deals()`, new facade", "deals"),
    ("`PolicyGraph.overlay()`, new facade", "overlay"),
)


def measure(stores: Stores, repeats: int) -> tuple[dict[str, dict[str, list[float]]], dict]:
    """Every measure ``repeats`` times on both stores, interleaved, after one round that is
    not counted (it warms the OS's file cache and this process's imports); the order of the
    two stores alternates every round."""
    found: dict[str, dict[str, list[float]]] = {
        key: {"plain": [], "corrected": []} for _, key in MEASURES
    }
    shown: dict[str, str] = {}
    for round_ in range(repeats + 1):
        order = ("plain", "corrected") if round_ % 2 == 0 else ("corrected", "plain")
        label = "warm-up round" if round_ == 0 else f"round {round_}/{repeats}"
        print(f"{label} ({' then '.join(order)}) …", file=sys.stderr)
        for _, key in MEASURES:
            if key == "warm":
                continue
            for which in order:
                location = getattr(stores, which)
                if key == "cli":
                    seconds = [time_cli(location)]
                elif key == "page":
                    cold, warm, shown[which] = time_page(location)
                    seconds = [cold, warm]
                elif key == "deals":
                    seconds = [time_deals(location)]
                else:
                    seconds = [time_overlay(location)]
                if round_ == 0:
                    continue
                found[key][which].append(seconds[0])
                if key == "page":
                    found["warm"][which].append(seconds[1])
    return found, shown


# --- the report ---------------------------------------------------------------------------


def _git() -> str:
    """The commit and the uncommitted changes the code measured has (read only)."""

    def run(*args: str) -> str:
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # git status writes nothing
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, env=env)
        return done.stdout.strip()

    head = run("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line[3:] for line in run("status", "--porcelain").splitlines() if line[3:]]
    watched = [p for p in changed if p.startswith(tuple(f"{w}/" for w in WATCHED))]
    if not watched:
        return f"commit {head}"
    return f"commit {head} plus uncommitted changes to {len(watched)} files of {PLACES}"


def code_digest() -> str:
    """A digest of the code and data the measures run (``graph/``, ``dashboard/``,
    ``ontology/``): the other work on a shared checkout may change them during a run."""
    digest = hashlib.sha256()
    for folder in WATCHED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(
    stores: Stores,
    found: dict[str, dict[str, list[float]]],
    shown: dict[str, str],
    repeats: int,
    loads: tuple[float, float],
    versions: tuple[tuple[str, str], tuple[str, str]],
) -> str:
    """The results as Markdown; ``versions`` are ``(_git(), code_digest())`` at the start
    and at the end of the run."""
    medians = {
        key: {which: statistics.median(v) if v else float("nan") for which, v in sides.items()}
        for key, sides in found.items()
    }
    ratios = {key: m["corrected"] / m["plain"] for key, m in medians.items()}
    done, refused = stores.done, stores.refused
    seconds = [m.seconds for m in done]
    kinds = sorted({m.kind for m in done})
    lines = [
        "# Curation overhead: reads with and without analysts' corrections",
        "",
        f"`python -m bench.curation`; measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
        f"{versions[0][0]} (code digest {versions[0][1]}); {platform.platform()}, "
        f"{os.cpu_count()} CPUs ({_cpu()}), load average "
        f"{loads[0]:.1f} before and {loads[1]:.1f} after; Python {platform.python_version()}.",
        "",
        f"Stores: {stores.articles:,} articles, {stores.deals:,} synthetic deals, "
        f"{stores.triples:,} triples (`bench.synth`, built in {stores.build_seconds:.0f} s); "
        f"the copy has {len(done)} corrections ({_kinds(done)}). The Deals page shows "
        f"{shown.get('plain', '?')} without them and {shown.get('corrected', '?')} with them."
        + (" The stores were reused from an earlier run (`--stores`)." if stores.reused else ""),
        "",
        *_warnings(stores, versions),
        f"Median seconds of {repeats} runs each, the two stores interleaved in one run (after "
        "one round not counted; the order alternates every round):",
        "",
        "| measure | without corrections | with corrections | ratio |",
        "|---|---:|---:|---:|",
    ]
    for title, key in MEASURES:
        m = medians[key]
        lines.append(f"| {title} | {m['plain']:.2f} | {m['corrected']:.2f} | {ratios[key]:.2f}× |")
    held = [ratios["cli"] <= CRITERION, ratios["page"] <= CRITERION]
    verdict = "holds" if all(held) else "does not hold"
    lines += [
        "",
        f"**Criterion** (the Deals page and `deals --format json` at most {CRITERION}× slower "
        f"with {len(done)} corrections on {stores.articles:,} articles): **{verdict}** in this "
        f"run: `deals --format json` {ratios['cli']:.2f}×, the Deals page (cold) "
        f"{ratios['page']:.2f}×.",
        "",
        "All runs (seconds, in the order measured):",
        "",
    ]
    for title, key in MEASURES:
        sides = found[key]
        lines.append(
            f"- {title}: without {', '.join(f'{s:.2f}' for s in sides['plain'])}; "
            f"with {', '.join(f'{s:.2f}' for s in sides['corrected'])}"
        )
    lines += [
        "",
        "## Making the corrections",
        "",
        f'{len(done)} corrections through `PolicyGraph.open(DIR, "write").correct(...)`, one '
        f"write each, in {sum(seconds):.0f} s: {statistics.mean(seconds):.1f} s a correction "
        f"on average (median {statistics.median(seconds):.1f} s; the first ten "
        f"{statistics.median(seconds[:10]):.1f} s, the last ten "
        f"{statistics.median(seconds[-10:]):.1f} s, medians)."
        + (
            f" {len(refused)} attempts were refused and replaced by another target "
            f"({_refusals(refused)})."
            if refused
            else " No attempt was refused."
        ),
        "",
        "| kind | made | median s | slowest s |",
        "|---|---:|---:|---:|",
    ]
    for kind in kinds:
        times = [m.seconds for m in done if m.kind == kind]
        lines.append(
            f"| {kind} | {len(times)} | {statistics.median(times):.1f} | {max(times):.1f} |"
        )
    lines += [
        "",
        "Timings are reported, never asserted. See `bench/README.md`.",
        "",
    ]
    return "\n".join(lines)


def _warnings(stores: Stores, versions: tuple[tuple[str, str], tuple[str, str]]) -> list[str]:
    """Paragraphs saying that the figures mix versions of the code, if they do."""
    (start_git, start), (end_git, end) = versions
    found = []
    if start != end:
        found += [
            f"**The code under {PLACES} changed during this run** ({start_git}, digest "
            f"{start}, at the start; {end_git}, digest {end}, at the end): this process kept "
            "the code it had imported, while the child processes and the pages may have run "
            "newer code. The figures mix versions; run again.",
            "",
        ]
    if stores.code and stores.code != start:
        found += [
            f"The corrected store was made by other code (digest {stores.code}) and reused "
            "(`--stores`): the reads are of this code, the times to make the corrections are "
            "of that one.",
            "",
        ]
    return found


def _kinds(made: Sequence[Made]) -> str:
    counts: dict[str, int] = {}
    for m in made:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda c: -c[1]))


def _refusals(refused: Sequence[Made]) -> str:
    reasons: dict[str, int] = {}
    for m in refused:
        reason = f"{m.kind}: {(m.refused or '').split(': ', 1)[-1][:80]}"
        reasons[reason] = reasons.get(reason, 0) + 1
    return "; ".join(f"{n} × {r}" for r, n in sorted(reasons.items(), key=lambda r: -r[1]))


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the two stores, read both, write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.curation",
        description="Time the reads of a store with and without analysts' corrections.",
    )
    parser.add_argument("--articles", type=int, default=1000, help="articles in the store")
    parser.add_argument("--corrections", type=int, default=200, help="corrections on the copy")
    parser.add_argument("--repeats", type=int, default=3, help="runs of every measure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "curation.md")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-article", type=int, default=synth.DEFAULT_PER_ARTICLE)
    parser.add_argument("--workers", type=int, help="processes building articles (default: CPUs)")
    parser.add_argument("--stores", type=Path, help="keep the stores here and reuse them")
    options = parser.parse_args(argv)
    if options.repeats < 1 or options.articles < 1 or options.corrections < 1:
        parser.error("--articles, --corrections and --repeats must be at least 1")
    loads_before = os.getloadavg()[0]
    at_start = (_git(), code_digest())
    with tempfile.TemporaryDirectory(prefix="bench-curation-") as scratch:
        workdir = options.stores or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        stores = prepare(
            workdir,
            options.articles,
            options.corrections,
            options.seed,
            options.per_article,
            options.workers,
        )
        found, shown = measure(stores, options.repeats)
    at_end = (_git(), code_digest())
    loads = (loads_before, os.getloadavg()[0])
    text = report(stores, found, shown, options.repeats, loads, (at_start, at_end))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
