"""The Streamlit dashboard, page by page, with ``AppTest`` on a hand-built store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import view
from graph.core import PolicyGraph

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
PAGES = ["app.py", "pages/network.py", "pages/deals.py", "pages/sparql.py"]
ID = "https://w3id.org/policygraph/id/"
UK, TR = ID + "actor/country/GB", ID + "actor/country/TR"
UK_SENTENCE = "The United Kingdom is negotiating a deal to pay Turkey £50 million"


@pytest.fixture
def store(seed_like_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed store, named to the dashboard the way a deployment can: by environment."""
    monkeypatch.setenv("POLICYGRAPH_STORE", str(seed_like_store))
    # `streamlit run dashboard/app.py` puts dashboard/ on sys.path; the pages `import data`
    monkeypatch.syspath_prepend(str(DASHBOARD))
    return seed_like_store


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
    at = _page("pages/network.py")
    (canvas,) = at.get("component_instance")
    args = json.loads(canvas.proto.json_args)
    assert args["layout"]["name"] == "preset"
    assert all(set(node["position"]) == {"x", "y"} for node in args["elements"]["nodes"])
    kinds = {edge["data"]["label"] for edge in args["elements"]["edges"]}
    assert kinds == {"pays", "criticises"}
    assert _uk_turkey_link(store) in {edge["data"]["id"] for edge in args["elements"]["edges"]}


def test_network_page_shows_uk_pays_turkey_in_the_pays_table(store: Path):
    at = _page("pages/network.py")
    table = at.dataframe[0].value
    row = table[table["link"] == "United Kingdom → Turkey"]
    assert row[["payer", "payee", "status", "amount"]].values.tolist() == [
        ["United Kingdom", "Turkey", "negotiating", "£50 million"]
    ]


def test_network_page_picking_the_uk_turkey_link_shows_its_evidence(store: Path):
    at = _page("pages/network.py")
    at.selectbox(key="network_pick").set_value(_uk_turkey_link(store)).run()
    assert not at.exception
    shown = _shown(at)
    assert "United Kingdom → Turkey (pays)" in shown
    assert UK_SENTENCE in shown
    assert "The United Kingdom has proposed paying Turkey" in shown  # the earlier article
    assert "Britain floats a migration deal with Turkey" in shown  # its headline


def test_network_page_clicking_the_link_on_the_canvas_shows_its_evidence(store: Path):
    at = _page("pages/network.py")
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
    at = _page("pages/network.py")
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
    at = _page("pages/network.py")
    at.multiselect[1].set_value(["concluded"]).run()
    assert at.dataframe[0].value["link"].tolist() == ["Italy → Tunisia"]


def test_deals_page_filters_by_status(store: Path):
    at = _page("pages/deals.py")
    assert sorted(at.dataframe[0].value["label"]) == ["Italy – Tunisia", "United Kingdom – Turkey"]
    at.multiselect(key="deals_status").set_value(["concluded"]).run()
    table = at.dataframe[0].value
    assert table["label"].tolist() == ["Italy – Tunisia"]
    assert table["critics"].tolist() == ["human rights groups"]
    assert "1 of 2 deals" in _shown(at)


def test_deals_page_filters_by_actor_and_shows_status_history(store: Path):
    at = _page("pages/deals.py")
    at.selectbox(key="deals_actor").set_value(TR).run()
    assert at.dataframe[0].value["label"].tolist() == ["United Kingdom – Turkey"]
    at.selectbox(key="deals_pick").set_value(_deal_iri_of(at, "United Kingdom – Turkey")).run()
    assert not at.exception
    history = at.dataframe[-1].value
    assert history["status"].tolist() == ["proposed", "negotiating"]
    evidence = at.dataframe[-2].value
    assert any(UK_SENTENCE in s for s in evidence["sentence"])


def _deal_iri_of(at: AppTest, label: str) -> str:
    table = at.dataframe[0].value
    return str(table.loc[table["label"] == label, "iri"].iloc[0])


def test_sparql_page_runs_an_example_query(store: Path):
    at = _page("pages/sparql.py")
    at.selectbox(key="sparql_example").set_value("who-pays-whom").run()
    assert "who pays whom" in _shown(at)
    at.button[0].click().run()
    assert not at.exception
    assert not at.error
    results = at.dataframe[0].value
    assert "Tunisia" in results["payeeLabel"].tolist()
    assert "5,000 rows" in _shown(at)


def test_sparql_page_refuses_an_insert_and_leaves_the_store_unchanged(store: Path):
    before = (_triples(store), view.store_version(str(store)))
    at = _page("pages/sparql.py")
    at.text_area[0].input("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }").run()
    at.button[0].click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "read-only" in at.error[0].value
    assert not at.dataframe
    assert (_triples(store), view.store_version(str(store))) == before


def test_sparql_page_shows_a_syntax_error_as_one_line(store: Path):
    at = _page("pages/sparql.py")
    at.text_area[0].input("SELECT ?s WHERE {").run()
    at.button[0].click().run()
    assert not at.exception
    assert [e.value.count("\n") for e in at.error] == [0]


def test_dashboard_sees_new_articles_without_a_restart(tmp_path: Path, monkeypatch):
    location = tmp_path / "store"
    monkeypatch.setenv("POLICYGRAPH_STORE", str(location))
    monkeypatch.syspath_prepend(str(DASHBOARD))
    at = _page("pages/deals.py")
    assert at.dataframe[0].value.empty
    with PolicyGraph.open(str(location), "write") as graph:
        graph.store.update(
            "INSERT DATA { GRAPH <urn:a> { <urn:d> a pg:Deal ; rdfs:label 'A – B' ; "
            "pg:statusClaim <urn:c> . <urn:c> pg:status status:proposed } }"
        )
    at.run()
    assert at.dataframe[0].value["label"].tolist() == ["A – B"]
