"""graph.view: the dashboard's presentation helpers, without Streamlit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import network, view
from graph.core import PolicyGraph
from graph.errors import InputError
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


def test_filter_elements_keeps_chosen_kinds_and_statuses(graph):
    elements = view.network_elements(graph, DEALS)
    default = view.filter_elements(elements, view.DEFAULT_KINDS, ["negotiating", "concluded"])
    assert {e["data"]["label"] for e in default["edges"]} == {"pays", "criticises"}
    assert "pm" not in {n["data"]["id"] for n in default["nodes"]}

    concluded = view.filter_elements(elements, ["pays"], ["concluded"])
    assert [(e["data"]["source"], e["data"]["target"]) for e in concluded["edges"]] == [
        ("it", "tn")
    ]
    assert {n["data"]["id"] for n in concluded["nodes"]} == {"it", "tn"}

    said = view.filter_elements(elements, ["said"], [], isolated=True)
    assert len(said["edges"]) == 1  # statements have no status and always pass
    assert len(said["nodes"]) == len(elements["nodes"])


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
    choices = view.choices(graph, DEALS)
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
