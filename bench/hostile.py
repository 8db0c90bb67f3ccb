"""The hostile-input campaign: every kind of bad file, option and query tried on the CLI.

``python -m bench.hostile [--out bench/hostile.md]``

Each case runs ``policygraph`` as a user would, in its own process with a time limit, over a
store holding the sample article, and is checked for what it must get:

- *refused*: exit code 1 or 2, exactly one ``error:`` line on standard error, no traceback,
  nothing on standard output, and the store byte for byte as it was (its sorted N-Quads);
- *answered*: exit code 0 and no traceback (an article that is odd but text is ingested);
- for every ``SERVICE`` case, no connection reaches the listener the query names.

The report is a table by category (cases, passed, what each gets) and one row per case. It
exits non-zero if any case fails, so it can run in CI, but it is a campaign, not a unit test:
``tests/test_cli.py`` holds a test for each failure this found.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "000_70e03d7c78804526.txt"
POLICYGRAPH = Path(sys.executable).with_name("policygraph")
LIMIT_S = 120.0  # no case may take longer: a hang is a failure

# 10**10 solutions to count: no query finishes it
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(10))
    + " }"
)
BLOWUP = (
    "SELECT (GROUP_CONCAT(CONCAT(STR(?s), STR(?t), STR(?u)); separator=' ') AS ?all) "
    "WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?t ?q ?r } GRAPH ?c { ?u ?w ?x } }"
)
CROSS = "SELECT * WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?t ?q ?r } GRAPH ?c { ?u ?w ?x } }"


@dataclass
class Case:
    """One hostile input: the category, a name, the CLI arguments (``{name}`` fields are
    filled from the campaign's files), and ``refused`` or ``answered``."""

    category: str
    name: str
    args: list[str]
    expect: str = "refused"
    env: dict[str, str] = field(default_factory=dict)
    contains: str = ""  # a text the error line must hold


@dataclass
class Outcome:
    case: Case
    passed: bool
    code: int | None
    seconds: float
    said: str
    problems: list[str]


class Listener:
    """A TCP listener on loopback that counts connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}"

    def _accept(self) -> None:
        held = []
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            held.append(connection)
        for connection in held:
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.server.close()


def make_files(folder: Path) -> dict[str, str]:
    """The campaign's hostile files, by name."""
    text = SAMPLE.read_text(encoding="utf-8")
    files: dict[str, Callable[[Path], None]] = {
        "empty": lambda p: p.write_bytes(b""),
        "blank": lambda p: p.write_text(" \n\t\n"),
        "binary": lambda p: p.write_bytes(b"Head\n\x00\x01\x02\xff"),
        "pdf": lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"),
        "zip": lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x06\x00"),
        "html": lambda p: p.write_text(
            "<!DOCTYPE html><html><head><title>Boats</title></head>"
            "<body><h1>UK pays France to stop boats</h1></body></html>"
        ),
        "html-fragment": lambda p: p.write_text("<h1>UK pays France</h1>\n<p>It paid.</p>\n"),
        "xml": lambda p: p.write_text('<?xml version="1.0"?><rss><item>UK</item></rss>'),
        "rtf": lambda p: p.write_text(r"{\rtf1\ansi{\fonttbl\f0 Times New Roman;}\f0 UK pays.}"),
        "latin1": lambda p: p.write_bytes("Café talks\nThe minister met.\n".encode("latin-1")),
        "utf16-no-bom": lambda p: p.write_bytes(text.encode("utf-16-le")),
        "huge": lambda p: _sparse(p, 5 * 1024 * 1024 + 1),
        "fifo": os.mkfifo,
        "loop": lambda p: p.symlink_to(p),
        "dangling": lambda p: p.symlink_to(folder / "nowhere.txt"),
        "a-file": lambda p: p.write_text("not a store\n"),
        # odd but text: these are ingested
        "utf16-bom": lambda p: p.write_bytes(text.encode("utf-16")),
        "long-name": lambda p: p.write_text(
            "Deal signed\n" + " ".join(f"Zyx{i}" for i in range(120)) + " paid Peru £3m.\n"
        ),
        "no-full-stop": lambda p: p.write_text(
            "Deal signed\n" + "the ministers of Chile and Peru met again to talk " * 4000 + "\n"
        ),
        "controls": lambda p: p.write_text(
            "Chile \u202epays\u202c Peru\nChile\u200b paid Peru\x1b[31m £3m\x07 on Monday.\n"
        ),
        "markup-in-text": lambda p: p.write_text(
            "Chile pays Peru\nChile paid Peru <script>alert(1)</script> £3m <b>today</b>.\n"
        ),
    }
    files["big-query"] = lambda p: p.write_text("ASK { " + "?s ?p ?o . " * 100_000 + "}")
    files["joins"] = lambda p: p.write_text("ASK { " + "?s ?p ?o . " * 1000 + "}")
    paths = {}
    for name, make in files.items():
        suffix = {"a-file": "", "big-query": ".rq", "joins": ".rq"}.get(name, ".txt")
        path = folder / f"{name}{suffix}"
        make(path)
        paths[name] = str(path)
    (folder / "no-articles").mkdir()
    paths["no-articles"] = str(folder / "no-articles")
    paths["missing"] = str(folder / "missing.txt")
    paths["sample"] = str(SAMPLE)
    return paths


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


def cases(url: str, closed: str) -> list[Case]:
    """Every case of the campaign; ``url`` is a listener that never answers, ``closed`` a
    port nothing listens on."""
    files = "bad file"
    bad = [
        ("empty", "empty file"), ("blank", "empty file"), ("binary", "binary file"),
        ("pdf", "a PDF document"), ("zip", "a ZIP archive"), ("html", "an HTML page"),
        ("html-fragment", "an HTML page"), ("xml", "an XML document"),
        ("rtf", "an RTF document"), ("latin1", "not UTF-8"),
        ("utf16-no-bom", "UTF-16 text without a byte-order mark"),
        ("huge", "over the 5 MB limit"), ("fifo", "a named pipe"),
        ("loop", "a loop of symbolic links"), ("dangling", "no such file"),
        ("missing", "no such file"), ("no-articles", "a folder with no .txt files"),
    ]  # fmt: skip
    found = [Case(files, n, ["ingest", f"@{n}"], contains=c) for n, c in bad]
    found += [
        Case(files, "/dev/zero", ["ingest", "/dev/zero"], contains="a character device"),
        Case(files, "/dev/urandom", ["ingest", "/dev/urandom"], contains="a character device"),
        Case(files, "good and bad together", ["ingest", "@sample", "@empty"], contains="empty"),
    ]
    odd = "odd but text"
    found += [
        Case(odd, n, ["ingest", f"@{n}"], "answered")
        for n in ("utf16-bom", "long-name", "no-full-stop", "controls", "markup-in-text")
    ]
    options = "option or setting"
    found += [
        Case(options, "--date ''", ["ingest", "@sample", "--date", ""], contains="empty"),
        Case(options, "--date 2024-13-45", ["ingest", "@sample", "--date", "2024-13-45"]),
        Case(options, "--url ''", ["ingest", "@sample", "--url", ""], contains="empty"),
        Case(options, "--url javascript:", ["ingest", "@sample", "--url", "javascript:x"]),
        Case(options, "--store a file", ["--store", "@a-file", "deals"], contains="is a file"),
        Case(
            options,
            "--store under a file",
            ["--store", "@a-file/s", "query", "--update", "CLEAR ALL"],
            contains="cannot create it",
        ),
        Case(options, "--store a loop", ["--store", "@loop", "deals"], contains="symbolic"),
        Case(
            options,
            "POLICYGRAPH_LOCK_WAIT=abc",
            ["deals"],
            env={"POLICYGRAPH_LOCK_WAIT": "abc"},
            contains="not a number",
        ),
        Case(
            options,
            "POLICYGRAPH_HTTP_TIMEOUT=abc",
            ["--store", "http://127.0.0.1:9", "deals"],
            env={"POLICYGRAPH_HTTP_TIMEOUT": "abc"},
            contains="not a number",
        ),
        Case(options, "unreachable server", ["--store", closed, "deals"], contains="unreachable"),
    ]
    sparql = "hostile SPARQL"
    service = [
        f"SELECT * WHERE {{ SERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/q> {{ ?s ?p ?o }} }}",
        f"PREFIX f: <{url}/>\nSELECT * WHERE {{ SERVICE f:q {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/q> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment ended by a carriage return\rSERVICE <{url}/q> {{}} }}",
        f"PREFIX e: <{url}/sparql>\nSELECT * WHERE {{ SERVICEe: {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("x\\u005C" AS ?a) SERVICE <{url}/q> {{}} BIND("z" AS ?b) }}',
        f"INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data.ttl> INTO GRAPH <urn:x:g>",
        f"LOAD SILENT <{url}/data.ttl>",
    ]
    found += [
        Case(sparql, f"SERVICE #{i + 1}", ["query", q, "--update"], contains="federated")
        for i, q in enumerate(service)
    ]
    found += [
        Case(
            sparql,
            "SERVICE elsewhere, another allowed",
            [
                "query",
                f"SELECT * WHERE {{ SERVICE <{closed}/q> {{ ?s ?p ?o }} }}",
                "--allow-service",
                url,
            ],
            contains="not an endpoint",
        ),
        Case(
            sparql,
            "allowed SERVICE that never answers",
            [
                "query",
                f"SELECT * WHERE {{ SERVICE <{url}/q> {{ ?s ?p ?o }} }}",
                "--allow-service",
                url,
                "--timeout",
                "3",
            ],
            contains="stopped after 3 s",
        ),
        Case(
            sparql,
            "allowed SERVICE on a closed port",
            [
                "query",
                f"SELECT * WHERE {{ SERVICE <{closed}/q> {{ ?s ?p ?o }} }}",
                "--allow-service",
                closed,
            ],
            contains="query failed",
        ),
        Case(sparql, "10^10 solutions", ["query", ENDLESS, "--timeout", "3"], contains="stopped"),
        Case(
            sparql,
            "three-graph cross product, concatenated",
            ["query", BLOWUP, "--memory", "300"],
            contains="out of memory",
        ),
        Case(sparql, "cross product with --limit", ["query", CROSS, "--limit", "5"], "answered"),
        Case(sparql, "syntax error", ["query", "SELEC ?x"], contains="syntax error"),
        Case(sparql, "update without --update", ["query", "DROP ALL"], contains="--update"),
        Case(
            sparql,
            "update breaking SHACL",
            [
                "query",
                "--update",
                "INSERT { GRAPH ?g { ?c pg:status <urn:x:bogus> } } "
                "WHERE { GRAPH ?g { ?d pg:statusClaim ?c } }",
            ],
            contains="SHACL violation",
        ),
        Case(
            sparql,
            "update of the default graph",
            ["query", "--update", "INSERT DATA { <urn:x:a> <urn:x:b> 1 }"],
            contains="default graph",
        ),
        Case(sparql, "CONSTRUCT", ["query", "CONSTRUCT WHERE { ?s ?p ?o }"], contains="SELECT"),
        Case(sparql, "a 1 MB query", ["query", "--file", "@big-query"], contains="could not"),
        Case(
            sparql,
            "1,000 joined patterns",
            ["query", "--file", "@joins", "--timeout", "5"],
            contains="stopped after 5 s",
        ),
        Case(sparql, "a binary query file", ["query", "--file", "@binary"], contains="UTF-8"),
    ]
    return found


def run_case(case: Case, store: Path, paths: dict[str, str], listener: Listener) -> Outcome:
    """Run one case and check what it got."""
    before = dump(store)
    heard = listener.connections
    args = [_filled(a, paths) for a in case.args]
    if args[0] != "--store":
        args = ["--store", str(store), *args]
    env = {**os.environ, "POLICYGRAPH_LOCK_WAIT": "2", **case.env}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(POLICYGRAPH), *args], capture_output=True, text=True, env=env, timeout=LIMIT_S
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired:
        code, out, err = None, "", ""
    seconds = time.monotonic() - started
    problems = []
    lines = [line for line in err.splitlines() if line.strip()]
    if code is None:
        problems.append(f"no answer in {LIMIT_S:g} s")
    if "Traceback" in err:
        problems.append("a traceback")
    if case.expect == "refused":
        errors = [line for line in lines if line.startswith("error:")]
        if code not in {1, 2}:
            problems.append(f"exit {code}")
        if len(errors) != 1:
            problems.append(f"{len(errors)} error lines")
        if out:
            problems.append("output on stdout")
        if case.contains and not any(case.contains in line for line in errors):
            problems.append(f"no {case.contains!r}")
        if dump(store) != before:
            problems.append("the store changed")
    elif code != 0:
        problems.append(f"exit {code}")
    if (
        "SERVICE" in case.name
        and listener.connections != heard
        and "never answers" not in case.name
    ):
        problems.append("a connection was made")
    said = next((line for line in lines if line.startswith("error:")), lines[-1] if lines else "")
    return Outcome(case, not problems, code, seconds, said, problems)


def _filled(arg: str, paths: dict[str, str]) -> str:
    """An argument with its ``@name`` file reference (``@a-file/s``) replaced by the path."""
    if not arg.startswith("@"):
        return arg
    name, slash, rest = arg[1:].partition("/")
    return paths[name] + slash + rest


def dump(store: Path) -> str:
    """A digest of the store's sorted N-Quads."""
    done = subprocess.run(
        [str(POLICYGRAPH), "--store", str(store), "export", "--format", "nquads"],
        capture_output=True,
        timeout=LIMIT_S,
        check=True,
    )
    return hashlib.sha256(b"\n".join(sorted(done.stdout.splitlines()))).hexdigest()


def report(outcomes: list[Outcome], seconds: float) -> str:
    """The campaign as Markdown: a summary by category, then every case."""
    categories: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        categories.setdefault(outcome.case.category, []).append(outcome)
    lines = [
        "# Hostile-input campaign",
        "",
        f"`make hostile` (`python -m bench.hostile`): {len(outcomes)} cases in {seconds:.0f} s, "
        f"{sum(o.passed for o in outcomes)} passed.",
        "",
        "| category | cases | passed | what each gets |",
        "|---|---:|---:|---|",
    ]
    gets = {
        "bad file": "one line naming the file and the problem, exit 1, store unchanged",
        "odd but text": "ingested, exit 0",
        "option or setting": "one line naming the option or setting, exit 1, store unchanged",
        "hostile SPARQL": "one line (or rows, with --limit), exit 1, store unchanged; "
        "SERVICE never connects",
    }
    for category, found in categories.items():
        lines.append(
            f"| {category} | {len(found)} | {sum(o.passed for o in found)} | {gets[category]} |"
        )
    lines += [
        "",
        "| case | expected | exit | seconds | result | what it said |",
        "|---|---|---:|---:|---|---|",
    ]
    for o in outcomes:
        said = o.said.replace("|", "\\|")[:140]
        result = "pass" if o.passed else "FAIL: " + "; ".join(o.problems)
        lines.append(
            f"| {o.case.category}: {o.case.name} | {o.case.expect} | {o.code} "
            f"| {o.seconds:.1f} | {result} | {said} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    options = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="policygraph-hostile-") as folder:
        work = Path(folder)
        paths = make_files(work)
        store = work / "store"
        subprocess.run(
            [
                str(POLICYGRAPH),
                "--store",
                str(store),
                "ingest",
                str(SAMPLE),
                "--date",
                "2024-11-18",
            ],
            check=True,
            capture_output=True,
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
        listener = Listener()
        try:
            outcomes = []
            for case in cases(listener.url, closed):
                outcomes.append(run_case(case, store, paths, listener))
                mark = "pass" if outcomes[-1].passed else "FAIL " + "; ".join(outcomes[-1].problems)
                print(f"{case.category}: {case.name}: {mark}", file=sys.stderr)
        finally:
            listener.close()
    text = report(outcomes, time.monotonic() - started)
    if options.out:
        options.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
