"""graph.view: the dashboard's presentation helpers, without Streamlit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graph import network, view
from graph.core import PolicyGraph
from graph.errors import InputError
from graph.model import STATUSES
from graph.store import EmbeddedStore

UK = {"iri": "uk", "label": "United Kingdom", "type": "Country", "iso_code": "GB"}
TR = {"iri": "tr", "label": "Turkey", "type": "Country", "iso_code": "TR"}
IT = {"iri": "it", "label": "Italy", "type": "Country", "iso_code": "IT"}
TN = {"iri": "tn", "label": "Tunisia", "type": "Country", "iso_code": "TN"}
NGO = {"iri": "ngo", "label": "human rights groups", "type": "Organisation"}
PM = {"iri": "pm", "label": "Keir Starmer", "type": "Person"}


def _source(sentence: str, date: str = "2024-05-02") -> dict:
    return {
        "article": "art1",
        "date": date,
        "sentence": sentence,
        "headline": "Deals <b>today</b>",
        "url": "https://news.example/1",
    }


DEALS = [
    {
        "iri": "d-it",
        "label": "Italy – Tunisia",
        "status": "concluded",
        "parties": [IT, TN],
        "payers": [IT],
        "payees": [TN],
        "purposes": ["border_control"],
        "amount": "€100 million",
        "criticised_by": [NGO],
        "sources": [_source("Italy pays Tunisia."), _source("Critics say <script>x</script>.")],
        "status_history": [
            {"status": "concluded", "date": "2024-05-02", "article": "art1", "sentence": "s"}
        ],
        "first_reported": "2024-05-02",
        "last_reported": "2024-05-02",
    },
    {
        "iri": "d-uk",
        "label": "United Kingdom – Turkey",
        "status": "negotiating",
        "parties": [UK, TR],
        "payers": [UK],
        "payees": [TR],
        "purposes": ["prevent_departures"],
        "amount": "£50 million",
        "criticised_by": [],
        "sources": [_source("The UK is negotiating to pay Turkey.")],
        "status_history": [
            {"status": "proposed", "date": "2024-03-01", "article": "art0", "sentence": "a"},
            {"status": "negotiating", "date": "2024-05-02", "article": "art1", "sentence": "b"},
        ],
        "first_reported": "2024-03-01",
        "last_reported": "2024-05-02",
    },
]


def _edge(kind: str, source: str, target: str, deal: str, status: str | None) -> dict:
    return {
        "kind": kind,
        "source": source,
        "target": target,
        "deal": deal,
        "status": status,
        "date": "2024-05-02",
        "article": "art1",
        "evidence": f"{source} {kind} {target}.",
    }


@pytest.fixture
def graph():
    return network.build(
        [UK, TR, IT, TN, NGO, PM],
        [
            _edge("pays", "uk", "tr", "d-uk", "proposed"),  # first report: older status
            _edge("party_to_deal_with", "tr", "uk", "d-uk", "proposed"),
            _edge("pays", "it", "tn", "d-it", "concluded"),
            _edge("party_to_deal_with", "it", "tn", "d-it", "concluded"),
            _edge("criticises", "ngo", "it", "d-it", "concluded"),
            _edge("criticises", "ngo", "tn", "d-it", "concluded"),
            _edge("said", "pm", "tr", "statement/1", None),
        ],
    )


ARTICLES = [{"article": "art1", "headline": "Deals today", "date": "2024-05-02", "url": "u"}]


def test_store_location_prefers_the_command_line_then_the_environment():
    env = {"POLICYGRAPH_STORE": "env/store"}
    assert view.store_location(["app.py", "--store", "cli/store"], env) == "cli/store"
    assert view.store_location(["app.py", "--store=cli/store"], env) == "cli/store"
    assert view.store_location(["app.py", "--stor", "x"], env) == "env/store"
    assert view.store_location(["app.py"], {}) == "data/store"


def test_store_version_matches_the_embedded_store_and_changes_on_write(
    seed_like_store: Path, tmp_path: Path
):
    location = str(seed_like_store)
    reader = EmbeddedStore(seed_like_store, "read")
    try:
        assert view.store_version(location) == reader.version() != ""
        reader.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        assert view.store_version(location) == reader.version()  # reading changes nothing
    finally:
        reader.close()

    fresh = tmp_path / "store"
    assert view.store_version(str(fresh)) == EmbeddedStore(fresh, "read").version() == "0"
    with PolicyGraph.open(str(fresh), "write") as graph:
        graph.store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    first = view.store_version(str(fresh))
    with PolicyGraph.open(str(fresh), "write") as graph:
        graph.store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:d> } }")
    assert first != view.store_version(str(fresh)) != "0"


def test_store_version_of_an_endpoint_is_unknown():
    assert view.store_version("https://example.org/sparql") == ""
    assert view.store_version(":memory:") == ""


def test_md_escape_leaves_no_markup():
    escaped = view.md_escape('<script>alert("x")</script> **b** [l](javascript:x)')
    assert "<script>" not in escaped
    assert "**" not in escaped
    assert "](" not in escaped


def test_positions_put_payers_left_payees_right_and_are_deterministic(graph):
    where = view.positions(graph)
    assert set(where) == set(graph.nodes)
    xs = {node: x for node, (x, _) in where.items()}
    assert xs["uk"] == xs["it"] < xs["ngo"] < xs["tr"] == xs["tn"]
    assert xs["uk"] < xs["pm"] < xs["tr"]
    assert where == view.positions(graph)


def test_positions_without_payments_use_a_seeded_spring_layout():
    g = network.build([UK, TR, NGO], [_edge("criticises", "ngo", "uk", "d", "proposed")])
    where = view.positions(g)
    assert where == view.positions(g)
    assert len(set(where.values())) == 3
    assert view.positions(network.build([], [])) == {}


def test_network_elements_style_nodes_by_type_and_label_payments(graph):
    elements = view.network_elements(graph, DEALS)
    nodes = {n["data"]["id"]: n for n in elements["nodes"]}
    assert nodes["uk"]["data"]["label"] == "Country"
    assert nodes["uk"]["data"]["name"] == "United Kingdom"
    assert set(nodes["uk"]["position"]) == {"x", "y"}
    edges = {e["data"]["id"]: e["data"] for e in elements["edges"]}
    pays = edges[view.edge_id("uk", "tr", "pays", "d-uk")]
    assert pays["label"] == "pays"
    assert pays["status"] == "negotiating"  # the deal's current status, not the first report's
    assert pays["caption"] == "negotiating · £50 million"
    assert edges[view.edge_id("pm", "tr", "said", "statement/1")]["status"] == ""


def test_select_network_keeps_chosen_kinds_and_current_statuses(graph):
    def chosen(**options) -> nx.MultiDiGraph:
        return view.select_network(graph, DEALS, view.NetworkFilter(**options))

    default = chosen(statuses=("negotiating", "concluded"))
    assert {kind for _, _, kind in default.edges(data="kind")} == {"pays", "criticises"}
    assert "pm" not in default
    # UK pays Turkey was first reported "proposed": the filter uses the current status
    concluded = chosen(kinds=("pays",), statuses=("concluded",))
    assert list(concluded.edges()) == [("it", "tn")]
    said = chosen(kinds=("said",), statuses=(), isolated=True)
    assert said.number_of_edges() == 1  # statements have no status and always pass
    assert said.number_of_nodes() == graph.number_of_nodes()


def test_styles_cover_every_type_and_kind():
    assert {s["label"] for s in view.node_styles()} >= {
        "Country",
        "Region",
        "Supranational",
        "Person",
        "Organisation",
        "Government",
        "PoliticalParty",
        "Event",
    }
    edges = {s["label"]: s for s in view.edge_styles()}
    assert set(edges) == {"pays", "party_to_deal_with", "criticises", "said"}
    assert edges["pays"]["directed"]
    line_styles = {
        (s["custom_styles"]["line-style"], str(s["custom_styles"].get("line-dash-pattern")))
        for s in edges.values()
    }
    assert len(line_styles) == 4
    assert view.PRESET_LAYOUT["name"] == "preset"


def test_pays_rows_list_every_payment_with_current_status(graph):
    rows = view.pays_rows(graph, DEALS)
    assert [(r["link"], r["status"], r["amount"]) for r in rows] == [
        ("Italy → Tunisia", "concluded", "€100 million"),
        ("United Kingdom → Turkey", "negotiating", "£50 million"),
    ]
    negotiating = view.pays_rows(graph, DEALS, ["negotiating"])
    assert [r["payer"] for r in negotiating] == ["United Kingdom"]


def test_choices_list_payments_first_then_links_then_actors(graph):
    choices = view.choices(view.network_elements(graph, DEALS))
    names = list(choices.values())
    assert names[0] == "Italy → Tunisia · pays · concluded · €100 million"
    assert names[1] == "United Kingdom → Turkey · pays · negotiating · £50 million"
    assert "United Kingdom (Country)" in names
    assert all(view.detail(element, graph, {}, DEALS, ARTICLES) for element in choices)


def test_detail_of_a_payment_is_its_deal_with_every_evidence_sentence(graph):
    record = view.detail(view.edge_id("it", "tn", "pays", "d-it"), graph, {}, DEALS, ARTICLES)
    assert record["kind"] == "deal"
    assert record["link"] == "Italy → Tunisia (pays)"
    assert record["facts"]["payer → payee"] == "Italy → Tunisia"
    assert record["facts"]["criticised by"] == "human rights groups"
    assert record["facts"]["purposes"] == "border control"
    assert [e["sentence"] for e in record["evidence"]] == [
        "Italy pays Tunisia.",
        "Critics say <script>x</script>.",
    ]
    assert record["evidence"][0]["url"] == "https://news.example/1"


def test_detail_of_an_actor_lists_its_deals_and_wikidata(graph):
    actors = {"uk": {**UK, "wikidata": "http://www.wikidata.org/entity/Q145", "mentions": ["UK"]}}
    record = view.detail("uk", graph, actors, DEALS, ARTICLES)
    assert record["kind"] == "actor"
    assert record["facts"]["ISO code"] == "GB"
    assert record["wikidata"] == "https://www.wikidata.org/wiki/Q145"
    assert record["deals"] == [
        {
            "deal": "United Kingdom – Turkey",
            "roles": "party, payer",
            "status": "negotiating",
            "amount": "£50 million",
        }
    ]


def test_detail_of_a_statement_names_its_article(graph):
    element = view.edge_id("pm", "tr", "said", "statement/1")
    record = view.detail(element, graph, {}, DEALS, ARTICLES)
    assert record["kind"] == "statement"
    assert record["evidence"] == [
        {
            "sentence": "pm said tr.",
            "headline": "Deals today",
            "outlet": "",
            "date": "2024-05-02",
            "url": "",  # "u" is no web address, so no link
            "cite": "Deals today · 2024-05-02",
        }
    ]


def test_detail_of_nothing_or_an_unknown_element_is_none(graph):
    assert view.detail(None, graph, {}, DEALS, ARTICLES) is None
    assert view.detail("nope", graph, {}, DEALS, ARTICLES) is None
    assert view.detail(view.edge_id("uk", "it", "pays", "x"), graph, {}, DEALS, ARTICLES) is None


def test_tapped_reports_each_canvas_event_once():
    event = {"action": "pick", "data": {"target_id": "uk", "target_group": "nodes"}, "timestamp": 9}
    assert view.tapped(event, None) == "uk"
    assert view.tapped(event, 9) is None
    assert view.tapped({"action": "pick", "data": None, "timestamp": 10}, 9) is None


def test_filter_deals_by_status_and_actor():
    assert [d["iri"] for d in view.filter_deals(DEALS, ["concluded"])] == ["d-it"]
    assert [d["iri"] for d in view.filter_deals(DEALS, None, "ngo")] == ["d-it"]
    assert [d["iri"] for d in view.filter_deals(DEALS, ["concluded"], "uk")] == []
    assert view.deal_actors(DEALS) == {
        "ngo": "human rights groups",
        "it": "Italy",
        "tn": "Tunisia",
        "tr": "Turkey",
        "uk": "United Kingdom",
    }


def test_deal_rows_and_downloads():
    rows = view.deal_rows(DEALS)
    assert rows[1]["payer → payee"] == "United Kingdom → Turkey"
    assert rows[0]["critics"] == "human rights groups"
    assert rows[0]["sources"] == 2
    assert list(rows[0]) == list(view.DEAL_COLUMNS)
    csv = view.deals_csv(DEALS)
    assert csv.splitlines()[0].startswith("label,parties,payer → payee,status")
    assert "United Kingdom – Turkey" in csv
    assert view.deals_csv([]).splitlines() == [",".join(view.DEAL_COLUMNS)]
    assert json.loads(view.deals_json(DEALS)) == DEALS


def test_history_rows_are_oldest_first():
    assert [r["status"] for r in view.history_rows(DEALS[1])] == ["proposed", "negotiating"]


def test_refuse_update_rejects_updates_and_empty_queries():
    with pytest.raises(InputError, match="read-only"):
        view.refuse_update("PREFIX a: <http://a/>\nINSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(InputError, match="empty"):
        view.refuse_update("  ")
    view.refuse_update("SELECT * WHERE { ?s ?p ?o }")


def test_table_rows_cap_the_rows_shown(seed_like_store: Path):
    with PolicyGraph.open(str(seed_like_store), "read") as graph:
        table = graph.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")
    columns, rows, total = view.table_rows(table, limit=3)
    assert columns == ["s"]
    assert len(rows) == 3 < total
    assert len(view.table_csv(table).splitlines()) == total + 1


def test_legend_and_prefix_note_are_plain_text():
    legend = view.legend()
    assert "Country: blue" in legend["nodes"]
    assert "pays: solid arrow" in legend["edges"]
    assert view.prefix_note().startswith("pg:, status:")


# --- choosing what the canvas shows ---------------------------------------------------

KR = {"iri": "kr", "label": "Kurdistan Region", "type": "Region", "iso_code": "IQ-KR"}
IQ = {"iri": "iq", "label": "Iraq", "type": "Country", "iso_code": "IQ"}


def _dated(kind: str, source: str, target: str, deal: str, date: str) -> dict:
    return {**_edge(kind, source, target, deal, "concluded"), "date": date}


@pytest.fixture
def wider():
    """Two deals UK pays Turkey, a region with its country, and links dated over two years."""
    return network.build(
        [UK, TR, IT, TN, NGO, PM, KR, IQ],
        [
            _dated("pays", "uk", "tr", "d-uk", "2023-01-10"),
            _dated("pays", "uk", "tr", "d-uk2", "2024-06-01"),
            _dated("pays", "uk", "kr", "d-kr", "2024-02-01"),
            _dated("pays", "uk", "iq", "d-iq", "2024-02-01"),
            _dated("pays", "it", "tn", "d-it", "2024-05-02"),
            _dated("criticises", "ngo", "it", "d-it", "2024-05-02"),
        ],
    )


def test_select_network_filters_each_way(wider):
    def drawn(**chosen) -> set[str]:
        return set(view.select_network(wider, [], view.NetworkFilter(**chosen)).nodes)

    assert drawn() == {"uk", "tr", "kr", "iq", "it", "tn", "ngo"}
    assert drawn(kinds=("criticises",)) == {"ngo", "it"}
    assert drawn(types=("Country",)) == {"uk", "tr", "iq", "it", "tn"}
    assert drawn(actor="tn") == {"it", "tn"}
    assert drawn(since="2024-03-01") == {"uk", "tr", "it", "tn", "ngo"}
    assert drawn(until="2023-12-31") == {"uk", "tr"}
    assert drawn(search="kurdistan") == {"uk", "kr"}
    assert drawn(search="tn pays") == set()  # search looks at names, deals and evidence
    assert drawn(search="it pays tn") == {"it", "tn"}
    assert drawn(statuses=("negotiating",)) == set()
    assert drawn(isolated=True) >= {"pm"}


def test_select_network_folds_regions_into_their_country(wider):
    folded = view.select_network(wider, [], view.NetworkFilter(collapse=True))
    assert "kr" not in folded and "iq" in folded
    assert {key for _, _, key in folded.out_edges("uk", keys=True)} >= {
        "pays|d-kr",
        "pays|d-iq",
    }


def test_select_network_top_keeps_the_most_linked_and_the_chosen_actor(wider):
    top = view.select_network(wider, [], view.NetworkFilter(top=2))
    assert set(top.nodes) == {"uk", "it"}
    with_focus = view.select_network(wider, [], view.NetworkFilter(top=1, actor="tn"))
    assert "tn" in with_focus


def test_network_elements_draw_parallel_deals_as_one_counted_edge(wider):
    elements = view.network_elements(wider, [], layout="force")
    ids = {e["data"]["id"]: e["data"] for e in elements["edges"]}
    merged = ids[view.edge_id("uk", "tr", "pays", view.AGGREGATE)]
    assert merged["caption"] == "2 deals" and merged["weight"] == 2
    assert view.edge_id("it", "tn", "pays", "d-it") in ids
    record = view.detail(merged["id"], wider, {}, [], [])
    assert record["kind"] == "links"
    assert [row["element"] for row in record["links"]] == [
        view.edge_id("uk", "tr", "pays", "d-uk"),
        view.edge_id("uk", "tr", "pays", "d-uk2"),
    ]


def test_positions_force_layout_is_deterministic_and_inside_the_canvas(wider):
    where = view.positions(wider, layout="force")
    assert where == view.positions(wider, layout="force")
    assert all(0 <= x <= 600 and 0 <= y <= 400 for x, y in where.values())


def test_focus_and_centrality_rows(wider):
    assert view.path_names(wider, "ngo", "tn") == ["human rights groups", "Italy", "Tunisia"]
    assert view.path_names(wider, "ngo", "kr") == []
    rows = view.centrality_rows(wider)
    assert rows[0]["actor"] == "United Kingdom" and rows[0]["page"] == "actor?actor=uk"


def test_date_span_and_range(wider):
    span = view.date_span(wider)
    assert span == ("2023-01-10", "2024-06-01")


def test_find_actor_by_key_code_label_or_mention():
    actors = {"https://x/id/actor/country/GB": {**UK, "mentions": ["Britain"]}}
    for name in ("country/GB", "gb", "united kingdom", "BRITAIN", "https://x/id/actor/country/GB"):
        assert view.find_actor(actors, name) == "https://x/id/actor/country/GB"
    assert view.find_actor(actors, "Atlantis") is None


def test_actor_page_splits_payments_out_and_in():
    page = view.actor_page(UK, DEALS, [{"speaker": "uk", "quote": "q", "sentence": "s"}], [])
    assert [row["to"] for row in page["pays"]] == ["Turkey"]
    assert page["paid_by"] == [] and len(page["statements"]) == 1
    tunisia = view.actor_page(TN, DEALS, [], [{"headline": "H", "url": "javascript:x"}])
    assert [row["from"] for row in tunisia["paid_by"]] == ["Italy"]
    assert tunisia["articles"][0]["url"] == ""  # never a javascript: link


# --- the deal tracker -----------------------------------------------------------------


def test_search_deals_by_text_dates_and_payment():
    assert [d["iri"] for d in view.search_deals(DEALS, "TUNISIA")] == ["d-it"]
    assert [d["iri"] for d in view.search_deals(DEALS, "prevent departures")] == ["d-uk"]
    assert [d["iri"] for d in view.search_deals(DEALS, "script")] == ["d-it"]  # evidence
    assert [d["iri"] for d in view.search_deals(DEALS, until="2024-04-01")] == ["d-uk"]
    assert view.search_deals(DEALS, since="2024-06-01") == []
    unpaid = {**DEALS[0], "iri": "d-x", "payers": []}
    assert [d["iri"] for d in view.search_deals([*DEALS, unpaid], paid_only=True)] == [
        "d-it",
        "d-uk",
    ]
    assert view.reported_span(DEALS) == ("2024-03-01", "2024-05-02")


def test_sources_by_article_group_sentences_with_the_reported_status():
    (source,) = view.sources_by_article(DEALS[0])
    assert source["sentences"] == ["Italy pays Tunisia.", "Critics say <script>x</script>."]
    assert source["status"] == "concluded"
    assert source["cite"].startswith("Deals <b>today</b>")


def test_status_timeline_orders_statuses_and_keeps_text_as_data():
    spec = view.status_timeline(DEALS[1])
    assert [v["status"] for v in spec["data"]["values"]] == ["proposed", "negotiating"]
    assert spec["encoding"]["y"]["sort"] == list(STATUSES)
    assert "http" not in json.dumps(spec)


# --- SPARQL results -------------------------------------------------------------------


def test_sparql_results_as_json_and_as_a_graph():
    from graph.store import Cell, Table

    uri = "https://w3id.org/policygraph/id/actor/country/"
    table = Table(
        ["payer", "payee", "n"],
        [
            {"payer": Cell("uri", uri + "GB"), "payee": Cell("uri", uri + "TR"), "n": None},
            {"payer": Cell("uri", uri + "GB"), "payee": Cell("uri", uri + "TR"), "n": None},
            {
                "payer": Cell("uri", uri + "IT"),
                "payee": Cell("uri", uri + "TN"),
                "n": Cell("literal", "2", "http://www.w3.org/2001/XMLSchema#integer"),
            },
        ],
    )
    assert view.iri_columns(table) == ["payer", "payee"]
    parsed = json.loads(view.table_json(table))
    assert parsed["head"]["vars"] == ["payer", "payee", "n"]
    assert parsed["results"]["bindings"][2]["n"]["datatype"].endswith("#integer")
    elements = view.result_elements(table, "payer", "payee", {uri + "GB": UK})
    assert len(elements["edges"]) == 2
    names = {n["data"]["name"] for n in elements["nodes"]}
    assert names == {
        "United Kingdom",
        "id:actor/country/TR",
        "id:actor/country/IT",
        "id:actor/country/TN",
    }


def test_canvas_elements_keep_article_links_inert():
    hostile = {"iri": "x", "label": '<a href="https://evil.example">click</a>', "type": "Person"}
    g = network.build([UK, hostile], [_edge("criticises", "x", "uk", "d-uk", "concluded")])
    deal = {**DEALS[1], "amount": '<a href="https://evil.example">£5m</a>'}
    elements = view.network_elements(g, [deal])
    # the component's info panel turns `<a\b ... href=...>...</a>` into a link: no such text
    assert not re.search(r"<a\b", json.dumps(elements, ensure_ascii=False), re.IGNORECASE)
    names = {n["data"]["name"] for n in elements["nodes"]}
    assert '<\u2060a href="https://evil.example">click</a>' in names


def test_network_elements_cap_the_edges_drawn_and_hide_labels_at_size(monkeypatch):
    actors = [{"iri": f"a{i}", "label": f"A{i}", "type": "Country"} for i in range(40)]
    links = [
        _edge("pays" if (i + j) % 3 else "criticises", f"a{i}", f"a{j}", f"d{i}-{j}", "concluded")
        for i in range(40)
        for j in range(40)
        if i != j
    ]
    g = network.build(actors, links)
    monkeypatch.setattr(view, "EDGE_LIMIT", 100)
    monkeypatch.setattr(view, "CAPTION_LIMIT", 50)
    elements = view.network_elements(g, [])
    assert view.edge_count(g) == 40 * 39 > len(elements["edges"]) == 100
    assert {e["data"]["label"] for e in elements["edges"]} == {"pays"}  # payments first
    assert all(e["data"]["caption"] == "" for e in elements["edges"])
    few = view.network_elements(network.build(actors, links[:10]), [])
    assert all(e["data"]["caption"] for e in few["edges"] if e["data"]["label"] == "pays")


def test_select_network_folding_keeps_party_links_one_way_round():
    """Parties pair in IRI order; folding a region into its country must not reverse a pair
    and split one deal into two opposite edges."""
    iq = {"iri": "z-iq", "label": "Iraq", "type": "Country", "iso_code": "IQ"}
    kr = {
        "iri": "a-kr",
        "label": "Kurdistan Region",
        "type": "Region",
        "iso_code": "IQ-KR",
        "part_of": "z-iq",
    }
    tr = {"iri": "m-tr", "label": "Turkey", "type": "Country", "iso_code": "TR"}
    g = network.build(
        [iq, kr, tr],
        [
            _edge("party_to_deal_with", "m-tr", "z-iq", "d", "concluded"),
            _edge("party_to_deal_with", "a-kr", "m-tr", "e", "concluded"),
        ],
    )
    folded = view.select_network(
        g, [], view.NetworkFilter(kinds=("party_to_deal_with",), collapse=True)
    )
    assert sorted(folded.edges(keys=True)) == [
        ("m-tr", "z-iq", "party_to_deal_with|d"),
        ("m-tr", "z-iq", "party_to_deal_with|e"),
    ]
    # the type filter looks at what is drawn: the region, folded, counts as its country
    countries = view.select_network(
        g, [], view.NetworkFilter(kinds=("party_to_deal_with",), collapse=True, types=("Country",))
    )
    assert countries.number_of_edges() == 2
