"""The world map: coordinates from the packages, payer → payee arcs, the Vega-Lite spec, and
the Map page on the seed store (``AppTest``, no browser)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import altair as alt
import pycountry
import pytest
from countryinfo import CountryInfo
from streamlit.testing.v1 import AppTest

from graph import geo
from graph.model import STATUSES
from graph.vocab import actor_iri

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
HOSTILE = "<img src=x onerror=alert(1)>"


def _actor(key: str, label: str, kind: str, code: str | None = None) -> dict[str, Any]:
    return {"iri": str(actor_iri(key)), "label": label, "type": kind, "iso_code": code}


UK = _actor("country/GB", "United Kingdom", "Country", "GB")
TR = _actor("country/TR", "Turkey", "Country", "TR")
IT = _actor("country/IT", "Italy", "Country", "IT")
TN = _actor("country/TN", "Tunisia", "Country", "TN")
IQ = _actor("country/IQ", "Iraq", "Country", "IQ")
KURDISTAN = _actor("region/IQ-KR", "Kurdistan Region", "Region", "IQ-KR")
EU = _actor("supranational/EU", "European Union", "Supranational", "EU")
AFRICA = _actor("region/africa", "Africa", "Region")
FOUNDATION = _actor("organisation/a-foundation", "A foundation", "Organisation")


def _deal(
    label: str,
    payers: list[dict[str, Any]],
    payees: list[dict[str, Any]],
    status: str = "concluded",
    amount: str | None = None,
    value: float | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    return {
        "iri": "deal/" + label,
        "label": label,
        "status": status,
        "parties": [*payers, *payees],
        "payers": payers,
        "payees": payees,
        "purposes": [],
        "amount": amount,
        "amount_value": value,
        "currency": currency,
        "criticised_by": [],
        "sources": [],
    }


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) of a JSON tree, keys included as values at their own path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, "<key>"), key
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))
    else:
        yield path, node


# --- coordinates ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["GB", "TR", "TN"])
def test_geo_country_coordinates_come_from_countryinfo(code: str):
    where = geo.locate(_actor(f"country/{code}", code, "Country", code))
    assert where.placed and where.note == ""
    assert [where.lat, where.lon] == CountryInfo(code).latlng()


def test_geo_region_stands_at_its_country_centre_and_says_so():
    where = geo.locate(KURDISTAN)
    assert [where.lat, where.lon] == CountryInfo("IQ").latlng()
    assert "Iraq" in where.note


def test_geo_eu_stands_at_its_seat_from_the_packages():
    where = geo.locate(EU)
    assert [where.lat, where.lon] == CountryInfo("BE").capital_latlng()  # Brussels
    assert where.note == "at its seat, Brussels"


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        (AFRICA, "no single point"),
        (FOUNDATION, "an organisation is not a place"),
        (_actor("supranational/un", "United Nations", "Supranational"), "no seat"),
        (_actor("person/keir-starmer", "Keir Starmer", "Person"), "a person is not a place"),
    ],
)
def test_geo_actors_that_are_not_places_get_no_point_and_a_reason(actor, reason):
    where = geo.locate(actor)
    assert not where.placed
    assert reason in where.note


# --- arcs -----------------------------------------------------------------------------


def _uk_turkey_deals() -> list[dict[str, Any]]:
    return [
        _deal("UK – Turkey", [UK], [TR], "negotiating", "£50 million", 5e7, "GBP"),
        _deal("UK – Turkey – coastguard", [UK], [TR], "negotiating", "£12m", 1.2e7, "GBP"),
        _deal("UK – Turkey – returns", [UK], [TR], "concluded", "multi-million pound", None, "GBP"),
        _deal("Italy – Tunisia", [IT], [TN], "concluded", "€100 million", 1e8, "EUR"),
    ]


def test_geo_arcs_aggregate_each_payer_payee_pair():
    arcs = geo.map_arcs(_uk_turkey_deals())
    assert [(a["payer"]["label"], a["payee"]["label"], a["deals"]) for a in arcs] == [
        ("United Kingdom", "Turkey", 3),
        ("Italy", "Tunisia", 1),
    ]
    uk_turkey = arcs[0]
    assert uk_turkey["statuses"] == {"negotiating": 2, "concluded": 1}
    assert uk_turkey["status"] == "negotiating"
    assert uk_turkey["labels"] == [
        "UK – Turkey",
        "UK – Turkey – coastguard",
        "UK – Turkey – returns",
    ]
    assert uk_turkey["totals"] == {"GBP": 6.2e7}
    row = geo.arc_rows(arcs)[0]
    assert row["payer → payee"] == "United Kingdom → Turkey"
    assert row["amounts"] == "£50 million; £12m; multi-million pound"
    assert row["total"] == "GBP 62 million"
    assert row["statuses"] == "negotiating 2 · concluded 1"


def test_geo_arcs_filter_by_status():
    deals = _uk_turkey_deals()
    concluded = geo.map_arcs(deals, statuses=["concluded"])
    assert [(a["payer"]["label"], a["deals"]) for a in concluded] == [
        ("Italy", 1),
        ("United Kingdom", 1),
    ]
    assert geo.map_arcs(deals, statuses=["negotiating"])[0]["deals"] == 2
    assert geo.map_arcs(deals, statuses=[]) == []
    assert geo.map_arcs(deals, statuses=None) == geo.map_arcs(deals, statuses=STATUSES)


def test_geo_a_deal_with_two_payees_counts_in_both_arcs():
    arcs = geo.map_arcs([_deal("EU – Tunisia – Turkey", [EU], [TN, TR])])
    assert sorted(a["payee"]["label"] for a in arcs) == ["Tunisia", "Turkey"]
    assert all(a["deals"] == 1 for a in arcs)


def test_geo_non_country_payer_is_reported_unplaced_not_dropped():
    deals = [
        _deal("A foundation – Tunisia", [FOUNDATION], [TN]),
        _deal("EU – Africa", [EU], [AFRICA], "negotiating"),
        _deal("Italy – Tunisia", [IT], [TN]),
    ]
    arcs = geo.map_arcs(deals)
    assert [r["payer → payee"] for r in geo.arc_rows(arcs)] == ["Italy → Tunisia"]
    unplaced = {r["payer → payee"]: r for r in geo.unplaced_rows(arcs)}
    assert set(unplaced) == {"A foundation → Tunisia", "European Union → Africa"}
    assert unplaced["A foundation → Tunisia"]["not on the map"] == (
        "A foundation: an organisation is not a place"
    )
    assert unplaced["European Union → Africa"]["not on the map"].startswith("Africa: ")
    spec = json.dumps(geo.map_spec(arcs), ensure_ascii=False)
    assert "A foundation" not in spec and "Africa" not in spec


def test_geo_region_and_its_country_get_separate_arcs_that_bend_apart():
    arcs = geo.map_arcs(
        [_deal("UK – Iraq", [UK], [IQ]), _deal("UK – Kurdistan", [UK], [KURDISTAN])]
    )
    features = geo.arc_features(arcs)
    assert len(features) == 2
    assert features[0]["geometry"] != features[1]["geometry"]
    assert {f["properties"]["ends"] for f in features} == {geo.OWN_PLACE, geo.STAND_IN}


# --- geometry -------------------------------------------------------------------------


def test_geo_arc_runs_from_payer_to_payee_with_a_head_at_the_payee():
    geometry = geo.arc_geometry((54.0, -2.0), (39.0, 35.0))
    line, *wings = geometry["coordinates"]
    assert line[0] == [-2.0, 54.0] and line[-1] == [35.0, 39.0]
    assert len(wings) == 2 and all(wing[-1] == [35.0, 39.0] for wing in wings)


def test_geo_opposite_payments_bend_to_opposite_sides():
    there = geo.arc_geometry((54.0, -2.0), (39.0, 35.0))["coordinates"][0]
    back = geo.arc_geometry((39.0, 35.0), (54.0, -2.0))["coordinates"][0]
    middle_there, middle_back = there[len(there) // 2], back[len(back) // 2]
    assert middle_there[1] > 50 > middle_back[1]  # one arc bulges north, the other south


def test_geo_arc_across_the_antimeridian_takes_the_short_way():
    line = geo.arc_geometry((35.7, 139.7), (21.3, -157.9))["coordinates"][0]  # Tokyo → Hawaii
    assert all(abs(lon) > 130 for lon, _ in line)  # never over Europe or Africa


def test_geo_world_shapes_are_small_and_wound_for_d3():
    shapes = geo.world_shapes()
    assert len(shapes) > 150
    assert len(json.dumps(shapes, separators=(",", ":"))) < 250_000
    for feature in shapes:
        for polygon in feature["geometry"]["coordinates"]:
            outer, *holes = polygon
            assert geo._ring_area(outer) < 0  # clockwise: the inside is on the right
            assert all(geo._ring_area(hole) > 0 for hole in holes)


# --- the spec -------------------------------------------------------------------------


def test_geo_spec_is_valid_vega_lite():
    spec = geo.map_spec(geo.map_arcs(_uk_turkey_deals()))
    alt.LayerChart.from_dict(spec, validate=True)


def test_geo_spec_contains_no_url_anywhere():
    deals = [*_uk_turkey_deals(), _deal("EU – Turkey", [EU], [TR])]
    spec = geo.map_spec(geo.map_arcs(deals))
    text = json.dumps(spec)
    assert "http://" not in text and "https://" not in text and "//" not in text
    keys = {value for path, value in _walk(spec) if path and path[-1] == "<key>"}
    assert not keys & {"url", "href", "$schema", "image"}
    assert spec["datasets"]["countries"] and spec["datasets"]["arcs"]


def test_geo_hostile_label_stays_inert_data_in_the_spec_and_tooltip():
    hostile = _actor("country/FR", HOSTILE, "Country", "FR")
    deals = [_deal(HOSTILE, [hostile], [TN], amount=HOSTILE)]
    arcs = geo.map_arcs(deals)
    spec = geo.map_spec(arcs)
    found = [path for path, value in _walk(spec) if isinstance(value, str) and HOSTILE in value]
    assert found, "the label is shown"
    assert all(path[0] == "datasets" and path[-1] != "<key>" for path in found)
    tooltips = [
        entry for layer in spec["layer"] for entry in layer.get("encoding", {}).get("tooltip", [])
    ]
    assert tooltips
    # vega-tooltip makes a value titled "image" an <img src>, and "title" a heading
    assert not {t["title"] for t in tooltips} & {"image", "title"}
    assert all(HOSTILE not in json.dumps(t) for t in tooltips)
    assert geo.arc_rows(arcs)[0]["payer → payee"] == f"{HOSTILE} → Tunisia"  # plain text


def test_geo_ten_thousand_deals_make_a_small_spec():
    rng = random.Random(7)
    countries = [
        _actor(f"country/{c.alpha_2}", c.name, "Country", c.alpha_2)
        for c in pycountry.countries
        if geo.country_centre(c.alpha_2)
    ]
    deals = [
        _deal(
            f"deal {i}",
            [rng.choice(countries[:20])],
            [rng.choice(countries)],
            rng.choice(STATUSES),
            "€5 million",
            5e6,
            "EUR",
        )
        for i in range(10_000)
    ]
    started = time.monotonic()
    arcs = geo.map_arcs(deals)
    spec = geo.map_spec(arcs)
    rows = geo.arc_rows(arcs)
    elapsed = time.monotonic() - started
    assert sum(a["deals"] for a in arcs) == 10_000
    assert len(rows) == len(arcs) > geo.MAX_ARCS
    assert len(spec["datasets"]["arcs"]) == geo.MAX_ARCS
    assert len(json.dumps(spec, separators=(",", ":"))) < 1_500_000
    assert elapsed < 10
    drawn = {f["properties"]["link"] for f in spec["datasets"]["arcs"]}
    assert {r["payer → payee"] for r in rows[: geo.MAX_ARCS]} == drawn  # the largest


# --- the Map page ---------------------------------------------------------------------


@pytest.fixture
def store(seed_like_store: Path, dashboard_on: Callable[[Path], Path]) -> Path:
    """The seed store, named to the dashboard (as tests/test_dashboard.py)."""
    return dashboard_on(seed_like_store)


def _map_page() -> AppTest:
    return AppTest.from_file(str(DASHBOARD / "screens" / "map.py"), default_timeout=60).run()


def _arc_table(at: AppTest) -> Any:
    """The page's table of arcs: the first one (the unplaced payments come after it)."""
    table = at.dataframe[0].value
    assert list(table.columns) == list(geo.ARC_COLUMNS)
    return table


def _links(at: AppTest) -> list[str]:
    return _arc_table(at)["payer → payee"].tolist()


def test_geo_map_page_renders_the_seed_store_without_exception(store: Path):
    at = _map_page()
    assert not at.exception
    assert not at.error
    assert not [m for m in at.markdown if m.allow_html]
    assert not [c for c in at.caption if c.proto.allow_html]
    (chart,) = at.get("vega_lite_chart")
    spec = chart.proto.spec
    assert "http://" not in spec and "https://" not in spec
    assert {"countries", "arcs"} <= set(json.loads(spec)["datasets"])


def test_geo_map_page_shows_the_uk_turkey_arc_in_its_table(store: Path):
    at = _map_page()
    table = _arc_table(at)
    row = table[table["payer → payee"] == "United Kingdom → Turkey"]
    assert row[["deals", "status", "amounts", "placed"]].values.tolist() == [
        [1, "negotiating", "£50 million", ""]
    ]
    assert "Italy → Tunisia" in _links(at)


def test_geo_map_page_status_filter_changes_the_table(store: Path):
    at = _map_page()
    assert set(_links(at)) == {"United Kingdom → Turkey", "Italy → Tunisia"}
    at.multiselect(key="map_status").set_value(["concluded"]).run()
    assert not at.exception
    assert _links(at) == ["Italy → Tunisia"]
    at.multiselect(key="map_status").set_value(["suspended"]).run()
    assert not at.exception
    assert _links(at) == []
