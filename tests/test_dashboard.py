"""The Streamlit dashboard, page by page, with ``AppTest`` on a hand-built store."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import view
from graph.core import PolicyGraph
from graph.queries import NAMED_GRAPH_HINT

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
PAGES = [
    "app.py",
    "screens/network.py",
    "screens/deals.py",
    "screens/map.py",
    "screens/actor.py",
    "screens/sparql.py",
    "screens/ingest.py",
    "screens/curation.py",
]
ID = "https://w3id.org/policygraph/id/"
UK, TR = ID + "actor/country/GB", ID + "actor/country/TR"
IT, TN = ID + "actor/country/IT", ID + "actor/country/TN"
PM = ID + "actor/person/keir-starmer"
UK_SENTENCE = "The United Kingdom is negotiating a deal to pay Turkey £50 million"


@pytest.fixture
def store(seed_like_store: Path, dashboard_on: Callable[[Path], Path]) -> Path:
    """The seed store, named to the dashboard the way a deployment can: by environment."""
    return dashboard_on(seed_like_store)


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(DASHBOARD / name), default_timeout=60).run()


def _shown(at: AppTest) -> str:
    """Every text, Markdown, caption and subheader on the page."""
    parts = [*at.text, *at.markdown, *at.caption, *at.subheader]
    return "\n".join(str(part.value) for part in parts)


def _uk_turkey_link(location: Path) -> str:
    with PolicyGraph.open(str(location), "read") as graph:
        deal = next(d["iri"] for d in graph.deals() if d["label"] == "United Kingdom – Turkey")
    return view.edge_id(UK, TR, "pays", deal)


def _triples(location: Path) -> int:
    with PolicyGraph.open(str(location), "read") as graph:
        table = graph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert table is not None
    return int(table.values()[0]["n"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(store: Path, page: str):
    at = _page(page)
    assert not at.exception
    assert not at.error


def test_pages_never_render_article_text_as_html(store: Path):
    for page in PAGES[1:]:
        at = _page(page)
        assert not [m for m in at.markdown if m.allow_html]
        assert not [c for c in at.caption if c.proto.allow_html]


def test_network_page_draws_a_preset_layout_of_the_default_links(store: Path):
    at = _page("screens/network.py")
    (canvas,) = at.get("component_instance")
    args = json.loads(canvas.proto.json_args)
    assert args["layout"]["name"] == "preset"
    assert all(set(node["position"]) == {"x", "y"} for node in args["elements"]["nodes"])
    kinds = {edge["data"]["label"] for edge in args["elements"]["edges"]}
    assert kinds == {"pays", "criticises"}
    assert _uk_turkey_link(store) in {edge["data"]["id"] for edge in args["elements"]["edges"]}


def test_network_page_shows_uk_pays_turkey_in_the_pays_table(store: Path):
    at = _page("screens/network.py")
    table = at.dataframe[0].value
    row = table[table["link"] == "United Kingdom → Turkey"]
    assert row[["payer", "payee", "status", "amount"]].values.tolist() == [
        ["United Kingdom", "Turkey", "negotiating", "£50 million"]
    ]


def test_network_page_picking_the_uk_turkey_link_shows_its_evidence(store: Path):
    at = _page("screens/network.py")
    at.selectbox(key="network_pick").set_value(_uk_turkey_link(store)).run()
    assert not at.exception
    shown = _shown(at)
    assert "United Kingdom → Turkey (pays)" in shown
    assert UK_SENTENCE in shown
    assert "The United Kingdom has proposed paying Turkey" in shown  # the earlier article
    assert "Britain floats a migration deal with Turkey" in shown  # its headline


def test_network_page_clicking_the_link_on_the_canvas_shows_its_evidence(store: Path):
    at = _page("screens/network.py")
    link = _uk_turkey_link(store)
    at.session_state["network_canvas"] = {
        "action": "pick",
        "data": {"type": "tap", "target_id": link, "target_group": "edges"},
        "timestamp": 1,
    }
    at.run()
    assert not at.exception
    assert at.selectbox(key="network_pick").value == link
    assert UK_SENTENCE in _shown(at)


def test_network_page_clicking_an_actor_shows_its_details(store: Path):
    at = _page("screens/network.py")
    at.session_state["network_canvas"] = {
        "action": "pick",
        "data": {"type": "tap", "target_id": UK, "target_group": "nodes"},
        "timestamp": 2,
    }
    at.run()
    assert not at.exception
    shown = _shown(at)
    assert "**ISO code**: GB" in shown
    assert [b.proto.url for b in at.get("link_button")] == ["https://www.wikidata.org/wiki/Q145"]
    deals = at.dataframe[-1].value
    assert deals["deal"].tolist() == ["United Kingdom – Turkey"]


def test_network_page_status_filter_narrows_the_pays_table(store: Path):
    at = _page("screens/network.py")
    at.multiselect[1].set_value(["concluded"]).run()
    assert at.dataframe[0].value["link"].tolist() == ["Italy → Tunisia"]


def _canvas(at: AppTest) -> dict:
    (canvas, *_) = at.get("component_instance")
    return json.loads(canvas.proto.json_args)["elements"]


def _drawn_names(at: AppTest) -> set[str]:
    return {node["data"]["name"] for node in _canvas(at)["nodes"]}


def test_network_page_filters_by_actor_type_and_search(store: Path):
    at = _page("screens/network.py")
    assert "human rights groups" in _drawn_names(at)
    at.multiselect(key="network_types").set_value(["Country"]).run()
    assert _drawn_names(at) == {"United Kingdom", "Turkey", "Italy", "Tunisia"}
    at.text_input(key="network_search").input("tunisia").run()
    assert not at.exception
    assert _drawn_names(at) == {"Italy", "Tunisia"}
    assert at.dataframe[0].value["link"].tolist() == ["Italy → Tunisia"]


def test_network_page_filters_by_actor_and_date_of_the_sources(store: Path):
    at = _page("screens/network.py")
    at.selectbox(key="network_actor").set_value(TN).run()
    assert _drawn_names(at) == {"Italy", "Tunisia", "human rights groups"}
    at.selectbox(key="network_actor").set_value(None).run()
    span = at.date_input(key="network_dates").value
    assert len(span) == 2
    at.date_input(key="network_dates").set_value((span[0], span[0])).run()
    assert not at.exception
    early = _drawn_names(at)
    assert early and early < {"United Kingdom", "Turkey", "Italy", "Tunisia", "human rights groups"}


def test_network_page_top_n_keeps_the_most_linked_actors(store: Path):
    at = _page("screens/network.py")
    at.checkbox(key="network_isolated").check().run()
    everyone = _drawn_names(at)
    at.number_input(key="network_top").set_value(2).run()
    assert not at.exception
    assert len(_drawn_names(at)) == 2 < len(everyone)
    assert "2 of" in _shown(at)


def test_network_page_centrality_ranks_actors_and_links_to_their_page(store: Path):
    at = _page("screens/network.py")
    at.radio(key="network_analysis").set_value("Centrality").run()
    assert not at.exception
    ranking = at.dataframe[0].value
    assert ranking["rank"].tolist()[0] == 1
    assert set(ranking["actor"]) >= {"United Kingdom", "Turkey", "Italy", "Tunisia"}
    assert ranking["page"].str.startswith("actor?actor=").all()


def test_network_page_shortest_path_draws_the_chain(store: Path):
    at = _page("screens/network.py")
    at.multiselect(key="network_kinds").set_value(["pays", "criticises", "said"]).run()
    at.radio(key="network_analysis").set_value("Shortest path").run()
    at.selectbox(key="network_from").set_value(PM).run()
    at.selectbox(key="network_to").set_value(UK).run()
    assert not at.exception
    assert "Keir Starmer → Turkey → United Kingdom" in _shown(at)
    assert _drawn_names(at) == {"Keir Starmer", "Turkey", "United Kingdom"}


def test_network_page_ego_network_draws_the_neighbourhood(store: Path):
    at = _page("screens/network.py")
    at.radio(key="network_analysis").set_value("Ego network").run()
    at.selectbox(key="network_ego").set_value(TN).run()
    assert not at.exception
    assert _drawn_names(at) == {"Italy", "Tunisia", "human rights groups"}


def test_network_page_actor_detail_links_to_the_actor_page(store: Path):
    at = _page("screens/network.py")
    at.selectbox(key="network_pick").set_value(UK).run()
    assert "[Everything about this actor](actor?actor=country%2FGB)" in _shown(at)


def test_actor_page_shows_everything_about_the_actor_in_the_url(store: Path):
    at = AppTest.from_file(str(DASHBOARD / "screens/actor.py"), default_timeout=60)
    at.query_params["actor"] = "country/GB"
    at.run()
    assert not at.exception
    shown = _shown(at)
    assert "United Kingdom" in shown and "**ISO code**: GB" in shown
    assert "**Pays** (1)" in shown and "**Paid by** (0)" in shown
    pays = at.dataframe[1].value
    assert pays[["to", "status", "amount"]].values.tolist() == [
        ["Turkey", "negotiating", "£50 million"]
    ]
    assert pays["page"].tolist() == ["actor?actor=country%2FTR"]
    articles = at.dataframe[-1].value
    assert len(articles) == 2 and "Britain floats a migration deal with Turkey" in set(
        articles["headline"]
    )


def test_actor_page_lists_statements_and_payments_received(store: Path):
    at = AppTest.from_file(str(DASHBOARD / "screens/actor.py"), default_timeout=60)
    at.query_params["actor"] = "Keir Starmer"
    at.run()
    assert not at.exception
    assert len(at.dataframe[3].value) >= 1  # what he said
    at.selectbox(key=at.selectbox[0].key).set_value(TN).run()
    assert at.dataframe[2].value["from"].tolist() == ["Italy"]


def test_actor_page_names_an_unknown_actor_in_one_warning(store: Path):
    at = AppTest.from_file(str(DASHBOARD / "screens/actor.py"), default_timeout=60)
    at.query_params["actor"] = "Atlantis<script>"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "No actor Atlantis\\<script\\> in the store: pick one below."
    ]


def test_deals_page_filters_by_status(store: Path):
    at = _page("screens/deals.py")
    assert sorted(at.dataframe[0].value["label"]) == ["Italy – Tunisia", "United Kingdom – Turkey"]
    at.multiselect(key="deals_status").set_value(["concluded"]).run()
    table = at.dataframe[0].value
    assert table["label"].tolist() == ["Italy – Tunisia"]
    assert table["critics"].tolist() == ["human rights groups"]
    assert "1 of 2 deals" in _shown(at)


def test_deals_page_filters_by_actor_and_shows_status_history(store: Path):
    at = _page("screens/deals.py")
    at.selectbox(key="deals_actor").set_value(TR).run()
    assert at.dataframe[0].value["label"].tolist() == ["United Kingdom – Turkey"]
    at.selectbox(key="deals_pick").set_value(_deal_iri_of(at, "United Kingdom – Turkey")).run()
    assert not at.exception
    history = at.dataframe[-1].value
    assert history["status"].tolist() == ["proposed", "negotiating"]
    assert any(UK_SENTENCE in text.value for text in at.text)
    timeline = at.get("vega_lite_chart")[0]
    assert not timeline.proto.spec.count("<")  # text reaches the chart as data only


def _deal_iri_of(at: AppTest, label: str) -> str:
    table = at.dataframe[0].value
    return str(table.loc[table["label"] == label, "iri"].iloc[0])


def test_sparql_page_runs_an_example_query(store: Path):
    at = _page("screens/sparql.py")
    at.selectbox(key="sparql_example").set_value("who-pays-whom").run()
    described = at.selectbox(key="sparql_example").options
    assert all(": " in option for option in described)  # every example with its purpose
    assert any(o.startswith("who-pays-whom: ") and "who pays whom" in o for o in described)
    at.button[0].click().run()
    assert not at.exception
    assert not at.error
    results = at.dataframe[0].value
    assert "Tunisia" in results["payeeLabel"].tolist()
    assert "5,000 rows" in _shown(at)


def test_sparql_page_refuses_an_insert_and_leaves_the_store_unchanged(store: Path):
    before = (_triples(store), view.store_version(str(store)))
    at = _page("screens/sparql.py")
    at.text_area[0].input("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }").run()
    at.button[0].click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "read-only" in at.error[0].value
    assert not at.dataframe
    assert (_triples(store), view.store_version(str(store))) == before


def test_sparql_page_shows_a_syntax_error_as_one_line_and_a_caret(store: Path):
    at = _page("screens/sparql.py")
    at.text_area[0].input("SELECT ?s\nWHERE { ?s a nope:Deal }").run()
    at.button[0].click().run()
    assert not at.exception
    assert [e.value.count("\n") for e in at.error] == [0]
    assert at.error[0].value.startswith("SPARQL syntax error at line 2, column 14")
    assert [c.value for c in at.code] == ["  WHERE { ?s a nope:Deal }\n               ^"]
    at.run()  # the next interaction does not run the failed query again
    assert not at.error


def test_sparql_page_hints_at_named_graphs_when_the_default_graph_is_empty(store: Path):
    at = _page("screens/sparql.py")
    at.text_area[0].input("SELECT ?s WHERE { ?s a pg:Deal }").run()
    at.button[0].click().run()
    assert not at.exception
    assert [i.value for i in at.info] == [NAMED_GRAPH_HINT]
    at.text_area[0].input("SELECT ?s WHERE { GRAPH ?g { ?s a pg:Deal } }").run()
    at.button[0].click().run()
    assert not at.info


def test_dashboard_sees_new_articles_without_a_restart(tmp_path: Path, monkeypatch):
    location = tmp_path / "store"
    monkeypatch.setenv("POLICYGRAPH_STORE", str(location))
    monkeypatch.syspath_prepend(str(DASHBOARD))
    at = _page("screens/deals.py")
    assert at.dataframe[0].value.empty
    with PolicyGraph.open(str(location), "write") as graph:
        graph.store.update(
            "INSERT DATA { GRAPH <urn:a> { <urn:d> a pg:Deal ; rdfs:label 'A – B' ; "
            "pg:statusClaim <urn:c> . <urn:c> pg:status status:proposed } }"
        )
    at.run()
    assert at.dataframe[0].value["label"].tolist() == ["A – B"]


def test_deals_page_searches_text_and_payments(store: Path):
    at = _page("screens/deals.py")
    at.text_input(key="deals_search").input("coastguard").run()
    assert not at.exception
    labels = at.dataframe[0].value["label"].tolist()
    at.text_input(key="deals_search").input("").run()
    at.checkbox(key="deals_paid").check().run()
    paid = at.dataframe[0].value["label"].tolist()
    assert set(labels) <= set(paid)
    assert sorted(paid) == ["Italy – Tunisia", "United Kingdom – Turkey"]
    at.text_input(key="deals_search").input("€100").run()
    assert at.dataframe[0].value["label"].tolist() == ["Italy – Tunisia"]


def test_deals_page_downloads_what_the_filters_keep(store: Path):
    at = _page("screens/deals.py")
    at.multiselect(key="deals_status").set_value(["concluded"]).run()
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Download CSV", "Download JSON"]
    assert "1 of 2 deals" in _shown(at)


def test_sparql_page_offers_json_and_a_graph_of_two_iri_columns(store: Path):
    at = _page("screens/sparql.py")
    at.text_area[0].input(
        "SELECT ?payer ?payee WHERE { GRAPH ?g { ?d pg:payer ?payer ; pg:payee ?payee } }"
    ).run()
    at.button[0].click().run()
    assert not at.exception
    assert [d.proto.label for d in at.get("download_button")] == [
        "Download CSV",
        "Download JSON",
    ]
    at.radio(key="sparql_shape").set_value("Graph").run()
    assert not at.exception
    names = _drawn_names(at)
    assert {"United Kingdom", "Turkey", "Italy", "Tunisia"} <= names


def test_sparql_page_states_its_timeout_and_row_limit(store: Path):
    at = _page("screens/sparql.py")
    shown = _shown(at)
    assert f"stopped after {view.QUERY_TIMEOUT:g} s" in shown
    assert f"at most {view.ROW_LIMIT:,} rows" in shown


@pytest.mark.model
def test_dashboard_keeps_working_while_the_cli_ingests(tmp_path: Path, monkeypatch):
    """Real `policygraph ingest` processes commit one article after another while the deals
    page reruns: every rerun renders, and each commit shows up without a restart."""
    location = tmp_path / "store"
    monkeypatch.setenv("POLICYGRAPH_STORE", str(location))
    monkeypatch.setenv("POLICYGRAPH_LOCK_WAIT", "30")
    monkeypatch.syspath_prepend(str(DASHBOARD))
    articles = sorted((ROOT / "tests" / "data" / "dev").glob("dev0[1-3]_*.txt"))
    cli = Path(sys.executable).with_name("policygraph")
    failures: list[str] = []

    def ingest_each() -> None:
        for article in articles:
            done = subprocess.run(
                [str(cli), "--store", str(location), "ingest", str(article)],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                failures.append(done.stderr)

    writer = threading.Thread(target=ingest_each)
    at = _page("screens/deals.py")
    seen = [len(at.dataframe[0].value)]
    writer.start()
    while writer.is_alive():
        at.run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        seen.append(len(at.dataframe[0].value))
    writer.join()
    at.run()
    seen.append(len(at.dataframe[0].value))
    assert failures == []
    with PolicyGraph.open(str(location), "read") as graph:
        assert seen[-1] == len(graph.deals()) > 0
        assert len(graph.articles()) == len(articles)
    assert seen == sorted(seen)  # never a step back
    assert len(set(seen)) >= 3  # the empty store, a first commit, ..., all of them


# --- a small synthetic store (bench/synth.py): the pages at more than toy size --------


@pytest.fixture
def synthetic(synthetic_store: Path, dashboard_on: Callable[[Path], Path]) -> Path:
    return dashboard_on(synthetic_store)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_synthetic_store(synthetic: Path, page: str):
    at = _page(page)
    assert not at.exception
    assert not at.error


def test_network_page_on_the_synthetic_store_draws_only_the_top_actors(synthetic: Path):
    at = _page("screens/network.py")
    at.number_input(key="network_top").set_value(12).run()
    canvas = _canvas(at)
    assert len(canvas["nodes"]) == 12
    drawn = {node["data"]["id"] for node in canvas["nodes"]}
    assert all({e["data"]["source"], e["data"]["target"]} <= drawn for e in canvas["edges"])
    assert "12 of" in _shown(at)
    # several deals between two actors: one edge, and its list on a click
    merged = [e for e in canvas["edges"] if e["data"]["id"].endswith("|" + view.AGGREGATE)]
    assert merged
    at.selectbox(key="network_pick").set_value(merged[0]["data"]["id"]).run()
    assert not at.exception
    assert len(at.dataframe[-1].value) == merged[0]["data"]["weight"] > 1


def test_network_page_on_the_synthetic_store_filters_types(synthetic: Path):
    at = _page("screens/network.py")
    before = len(_canvas(at)["nodes"])
    at.checkbox(key="network_collapse").check().run()
    assert not at.exception
    assert len(_canvas(at)["nodes"]) <= before
    at.multiselect(key="network_types").set_value(["Country"]).run()
    assert {node["data"]["label"] for node in _canvas(at)["nodes"]} == {"Country"}


def test_deals_page_lists_every_synthetic_deal(synthetic: Path):
    at = _page("screens/deals.py")
    assert len(at.dataframe[0].value) == 120
    assert "120 of 120 deals" in _shown(at)


def _listening(port: int) -> set[str]:
    """The local addresses a socket listens on at ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1, as /proc has


def test_dashboard_command_binds_loopback_with_statistics_off_from_any_directory(
    tmp_path: Path, seed_like_store: Path
) -> None:
    import socket
    import time
    import urllib.request

    hostile = tmp_path / "elsewhere" / ".streamlit"
    hostile.mkdir(parents=True)
    (hostile / "config.toml").write_text(
        '[server]\naddress = "0.0.0.0"\n[browser]\ngatherUsageStats = true\n', encoding="utf-8"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policygraph = Path(sys.executable).with_name("policygraph")
    process = subprocess.Popen(
        [str(policygraph), "--store", str(seed_like_store), "dashboard", "--port", str(port)],
        cwd=hostile.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, "the dashboard exited"
                time.sleep(0.5)
        else:
            raise AssertionError("the dashboard never answered")
        assert _listening(port) and _listening(port) <= LOOPBACK
        argv = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert argv[argv.index(b"--browser.gatherUsageStats") + 1] == b"false"
    finally:
        process.terminate()
        process.wait(20)


# --- curation: the Correct… forms, the Curation page, undo ---------------------------------


@pytest.fixture
def writable(seed_like_store: Path, dashboard_on: Callable[[Path], Path], tmp_path: Path) -> Path:
    """A copy of the seed store the test may correct."""
    import shutil

    return dashboard_on(Path(shutil.copytree(seed_like_store, tmp_path / "store")))


def _actor_page(iri: str) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD / "screens/actor.py"), default_timeout=60)
    at.query_params["actor"] = iri.split("/actor/", 1)[1]
    return at.run()


def _submit(at: AppTest, label: str) -> AppTest:
    """Press a form's submit button by its label."""
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_actor_page_rename_form_writes_a_correction_undone_on_the_curation_page(writable: Path):
    at = _actor_page(TR)
    at.text_input(key=f"rename_value_{TR}").set_value("Türkiye")
    at.text_input(key=f"rename_note_{TR}").set_value("its own name")
    at = _submit(at, "Rename")
    assert not at.exception and not at.error
    assert any("rename Turkey → Türkiye" in s.value for s in at.success)
    assert "Türkiye" in [h.value for h in at.subheader]
    with PolicyGraph.open(str(writable)) as graph:
        assert graph.actors()[TR]["label"] == "Türkiye"
        [made] = graph.corrections()
    assert made.note == "its own name"

    page = _page("screens/curation.py")
    table = page.dataframe[0].value
    assert table["change"].tolist() == ["rename Turkey → Türkiye"]
    assert table["state"].tolist() == ["active"]
    page.selectbox(key="curation_undo_pick").set_value(1).run()
    [undo] = [b for b in page.button if b.label == "Undo"]
    page = undo.click().run()
    assert not page.exception and not page.error
    assert page.dataframe[0].value["state"].tolist() == ["undone"]
    with PolicyGraph.open(str(writable)) as graph:
        assert graph.actors()[TR]["label"] == "Turkey"


def test_actor_page_merge_form_folds_one_actor_into_another(writable: Path):
    at = _actor_page(PM)
    at.selectbox(key=f"merge_value_{PM}").set_value(UK)
    at = _submit(at, "Merge")
    assert not at.exception and not at.error
    with PolicyGraph.open(str(writable)) as graph:
        actors = graph.actors()
        statements = graph.statements()
    assert PM not in actors and {s["speaker"] for s in statements} == {UK}


def test_deals_page_roles_form_fixes_a_payee(writable: Path):
    at = _page("screens/deals.py")
    deal = _deal_iri_of(at, "United Kingdom – Turkey")
    at.selectbox(key="deals_pick").set_value(deal).run()
    at.multiselect(key=f"set-payers_{deal}").set_value([TR])
    at.multiselect(key=f"set-payees_{deal}").set_value([UK])
    at = _submit(at, "Set roles")  # the payment went the other way
    assert not at.exception and not at.error
    row = at.dataframe[0].value.set_index("iri").loc[deal]
    assert row["payer → payee"] == "Turkey → United Kingdom"
    assert row["label"] == "Turkey – United Kingdom"  # labelled payer first, as extraction does
    with PolicyGraph.open(str(writable)) as graph:
        assert [(c.kind, c.values) for c in graph.corrections()] == [
            ("set-payers", (TR,)),
            ("set-payees", (UK,)),
        ]
    at.multiselect(key=f"set-payees_{deal}").set_value([UK, IT])
    at = _submit(at, "Set roles")
    assert [e.value.replace("\\", "") for e in at.error] == [
        "set-payees: Italy is not a party of Turkey – United Kingdom; set its parties first "
        "(set-parties)"
    ]


def test_deals_page_status_form_and_changed_since(writable: Path):
    at = _page("screens/deals.py")
    deal = _deal_iri_of(at, "Italy – Tunisia")
    at.selectbox(key="deals_pick").set_value(deal).run()
    at.selectbox(key=f"status_value_{deal}").set_value("suspended")
    at = _submit(at, "Set status")
    assert not at.exception and not at.error
    table = at.dataframe[0].value.set_index("label")
    assert table.loc["Italy – Tunisia", "status"] == "suspended"

    import datetime as dt

    at.date_input(key="deals_changed").set_value(dt.date.today()).run()
    assert at.dataframe[0].value["label"].tolist() == ["Italy – Tunisia"]


def test_deals_page_bad_correction_is_one_error_and_writes_nothing(writable: Path):
    at = _page("screens/deals.py")
    deal = _deal_iri_of(at, "Italy – Tunisia")
    at.selectbox(key="deals_pick").set_value(deal).run()
    before = _triples(writable)
    at.multiselect(key=f"set-parties_{deal}").set_value([IT])
    at = _submit(at, "Set roles")
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        "set-parties: a deal has at least two parties"
    ]
    assert _triples(writable) == before


def test_curation_page_adds_a_missed_deal_with_a_sentence_of_the_article(writable: Path):
    at = _page("screens/curation.py")
    article = at.selectbox(key="add_deal_article").options[0]
    at.selectbox(key="add_deal_article").set_value(
        next(iri for iri, name in _articles(writable).items() if name == article)
    ).run()
    sentence = at.selectbox(key="add_deal_sentence").options[-1]
    at.selectbox(key="add_deal_sentence").set_value(
        next(s for s in _sentences(writable, at) if s.startswith(sentence.rstrip("…")))
    )
    at.multiselect(key="add_deal_parties").set_value([UK, IT])
    at.multiselect(key="add_deal_payers").set_value([UK])
    at = _submit(at, "Add deal")
    assert not at.exception and not at.error
    with PolicyGraph.open(str(writable)) as graph:
        added = [d for d in graph.deals() if {p["iri"] for p in d["parties"]} == {UK, IT}]
    assert len(added) == 1 and [p["iri"] for p in added[0]["payers"]] == [UK]


def _articles(location: Path) -> dict[str, str]:
    with PolicyGraph.open(str(location)) as graph:
        return {row["article"]: row["headline"] for row in graph.articles()}


def _sentences(location: Path, at: AppTest) -> list[str]:
    picked = at.selectbox(key="add_deal_article").value
    with PolicyGraph.open(str(location)) as graph:
        return [s["text"] for s in graph.article_sentences(picked)]


def test_curation_page_accepts_a_probable_merge(writable: Path):
    with PolicyGraph.open(str(writable), "write", agent="ana") as graph:
        graph.correct(
            "split-actor", UK, ["Keir Stamer", "Person"], articles=[next(iter(_articles(writable)))]
        )
    at = _page("screens/curation.py")
    assert "Keir Stamer" in _shown(at) and "Keir Starmer" in _shown(at)
    [merge] = [b for b in at.button if b.label == "Merge"]
    at = merge.click().run()
    assert not at.exception and not at.error
    with PolicyGraph.open(str(writable)) as graph:
        assert [c.kind for c in graph.corrections()] == ["split-actor", "merge-actors"]
        assert graph.proposals() == []


def _actor_form(at: AppTest, kind: str) -> AppTest:
    """Fill and submit one of the Actor page's forms for Turkey."""
    if kind == "retype":
        at.selectbox(key=f"retype_value_{TR}").set_value("Region")
        return _submit(at, "Retype")
    if kind == "codes":
        at.text_input(key=f"codes_iso_{TR}").set_value("")
        at.text_input(key=f"codes_qid_{TR}").set_value("Q12345")
        return _submit(at, "Set codes")
    if kind == "split":
        [article] = at.multiselect(key=f"split_articles_{TR}").options[:1]
        options = at.multiselect(key=f"split_articles_{TR}")
        options.set_value([next(iter(_articles_mentioning(TR)))])
        at.text_input(key=f"split_name_{TR}").set_value("Türkiye")
        assert article
        return _submit(at, "Split")
    at.text_input(key=f"delete_note_{TR}").set_value("spurious")
    return _submit(at, "Delete this actor")


def _articles_mentioning(iri: str) -> list[str]:
    import os

    with PolicyGraph.open(os.environ["POLICYGRAPH_STORE"]) as graph:
        return [row["article"] for row in graph.articles_mentioning(iri)]


@pytest.mark.parametrize(
    ("form", "kinds"),
    [
        ("retype", ["retype"]),
        ("codes", ["set-iso", "set-wikidata"]),
        ("split", ["split-actor"]),
        ("delete", ["delete-actor"]),
    ],
)
def test_actor_page_every_correct_form_writes_its_correction(
    writable: Path, form: str, kinds: list[str]
):
    at = _actor_form(_actor_page(TR), form)
    assert not at.exception and not at.error
    with PolicyGraph.open(str(writable)) as graph:
        made = graph.corrections()
        actors = graph.actors()
    assert [c.kind for c in made] == kinds
    if form == "retype":
        assert actors[TR]["type"] == "Region"
    elif form == "codes":
        assert actors[TR]["iso_code"] is None and actors[TR]["wikidata"].endswith("Q12345")
    elif form == "split":
        assert "Türkiye" in {a["label"] for a in actors.values()}
    else:
        assert TR not in actors


def _deal_form(at: AppTest, deal: str, other: str, form: str) -> AppTest:
    """Fill and submit one of a deal's forms on the Deals page."""
    if form == "money":
        at.text_input(key=f"amount_{deal}").set_value("€5m")
        at.multiselect(key=f"purposes_{deal}").set_value(["returns"])
        return _submit(at, "Set amount and purposes")
    if form == "merge":
        at.selectbox(key=f"merge_deal_value_{deal}").set_value(other)
        return _submit(at, "Merge")
    if form == "split":
        box = at.multiselect(key=f"split_deal_articles_{deal}")
        box.set_value([_first_source(deal)])
        return _submit(at, "Split")
    return _submit(at, "Delete this deal")


def _first_source(deal: str) -> str:
    import os

    with PolicyGraph.open(os.environ["POLICYGRAPH_STORE"]) as graph:
        return str(graph.deals(deal)[0]["sources"][0]["article"])


@pytest.mark.parametrize(
    ("form", "kinds"),
    [
        ("money", ["set-amount", "set-purposes"]),
        ("merge", ["merge-deals"]),
        ("split", ["split-deal"]),
        ("delete", ["delete-deal"]),
    ],
)
def test_deals_page_every_correct_form_writes_its_correction(
    writable: Path, form: str, kinds: list[str]
):
    at = _page("screens/deals.py")
    # a split takes some of a deal's reports: the UK–Turkey deal has two
    deal = _deal_iri_of(at, "United Kingdom – Turkey" if form == "split" else "Italy – Tunisia")
    other = _deal_iri_of(at, "Italy – Tunisia" if form == "split" else "United Kingdom – Turkey")
    at.selectbox(key="deals_pick").set_value(deal).run()
    at = _deal_form(at, deal, other, form)
    assert not at.exception and not at.error
    with PolicyGraph.open(str(writable)) as graph:
        made = graph.corrections()
        deals = {d["iri"]: d for d in graph.deals()}
    assert [c.kind for c in made] == kinds
    if form == "money":
        assert deals[deal]["amount"] == "€5m" and deals[deal]["purposes"] == ["returns"]
    elif form in ("merge", "delete"):
        assert deal not in deals and (form == "delete" or other in deals)
    else:
        assert len(deals) == 3
