"""The world map of who pays whom: actor coordinates, payer → payee arcs, and a Vega-Lite spec.

Nothing is fetched. Country centres come from ``countryinfo`` through the gazetteer; a
supranational body stands at its seat of government (``graph/data/supranational.json`` names
it, ``countryinfo`` gives that capital's coordinates); an ISO 3166-2 region stands at its
country's centre. Everything else (continents, organisations, people, bodies without a seat)
has no point and is reported, never dropped. The country shapes are ``countryinfo``'s bundled
GeoJSON, rounded. The spec carries all its data inline and no URL, so Streamlit's bundled
Vega draws it offline; text from articles is only ever a data value (never a field name,
title or expression), which Vega draws as text and vega-tooltip escapes.

Examples
--------
>>> uk = {"iri": "uk", "label": "UK", "type": "Country", "iso_code": "GB"}
>>> tr = {"iri": "tr", "label": "Turkey", "type": "Country", "iso_code": "TR"}
>>> deal = {"iri": "d", "label": "UK – Turkey", "status": "negotiating",
...         "payers": [uk], "payees": [tr], "amount": "£50 million",
...         "amount_value": 5e7, "currency": "GBP"}
>>> [arc] = map_arcs([deal])
>>> row = arc_rows([arc])[0]
>>> row["payer → payee"], row["deals"], row["status"], row["total"]
('UK → Turkey', 1, 'negotiating', 'GBP 50 million')
>>> map_arcs([deal], statuses=["concluded"])
[]
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from countryinfo import all_countries

from graph.gazetteer import COUNTRY, REGION, SUPRANATIONAL, default_gazetteer, fold
from graph.model import STATUSES, status_rank
from graph.view import readable
from graph.vocab import actor_key

MAX_ARCS = 300  # the largest arcs are drawn; the table lists every one
LABELLED_PLACES = 20  # the busiest places get a name on the map; the rest show it on hover
EXAMPLES = 5  # deal labels named per arc; the rest are counted

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
STATUS_COLOURS = {
    "proposed": "#56B4E9",
    "negotiating": "#E69F00",
    "concluded": "#009E73",
    "suspended": "#CC79A7",
    "terminated": "#D55E00",
}
OWN_PLACE = "own centre"
STAND_IN = "stand-in"


# --- where actors are -----------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where an actor is drawn, and how that was decided.

    ``note`` is empty for a country at its own centre; for a stand-in it says whose
    coordinates are used; for an actor that is not placed (``lat`` is None) it says why.
    """

    lat: float | None
    lon: float | None
    note: str = ""

    @property
    def placed(self) -> bool:
        """True when the actor has a point on the map."""
        return self.lat is not None and self.lon is not None

    def point(self) -> tuple[float, float]:
        """``(lat, lon)`` of a placed actor."""
        if self.lat is None or self.lon is None:
            raise ValueError(f"not on the map: {self.note}")
        return self.lat, self.lon


def country_centre(code: str) -> tuple[float, float] | None:
    """``(lat, lon)`` of a country's centre from ``countryinfo`` (via the gazetteer), by ISO code.

    >>> country_centre("GB")
    (54.0, -2.0)
    >>> country_centre("XX") is None
    True
    """
    place = default_gazetteer().by_code(code)
    if place is None or place.type != COUNTRY or place.lat is None or place.lon is None:
        return None
    return place.lat, place.lon


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, tuple[float, float]]:
    """Capital name (folded, lower case) to its ``(lat, lon)``, from ``countryinfo``."""
    found: dict[str, tuple[float, float]] = {}
    for entry in all_countries():
        info = entry.info()
        latlng = info.get("capital_latlng") or []
        capital = info.get("capital")
        if isinstance(capital, str) and len(latlng) == 2:
            found.setdefault(fold(capital).casefold(), (float(latlng[0]), float(latlng[1])))
    return found


def seat(key: str) -> tuple[str, float, float] | None:
    """``(city, lat, lon)`` of a supranational body's seat: the first of its seats of government
    in ``supranational.json`` that ``countryinfo`` knows as a capital.

    >>> seat("supranational/EU")
    ('Brussels', 50.846557, 4.351697)
    >>> seat("supranational/un") is None
    True
    """
    place = default_gazetteer().by_key(key)
    if place is None or place.type != SUPRANATIONAL:
        return None
    capitals = _capitals()
    for city in place.metonyms:
        found = capitals.get(fold(city).casefold())
        if found:
            return city, found[0], found[1]
    return None


def locate(actor: Mapping[str, Any]) -> Placement:
    """Where ``actor`` (a deal record's actor: iri, label, type, iso_code) is drawn, or why not.

    >>> locate({"iri": "x", "label": "Tunisia", "type": "Country", "iso_code": "TN"})
    Placement(lat=34.0, lon=9.0, note='')
    >>> locate({"iri": "x", "label": "Kurdistan Region", "type": "Region", "iso_code": "IQ-KR"})
    Placement(lat=33.0, lon=44.0, note='at the centre of Iraq, its country')
    >>> locate({"iri": "x", "label": "Africa", "type": "Region", "iso_code": None}).note
    'a region without an ISO 3166-2 code has no single point'
    """
    kind = actor.get("type")
    code = (actor.get("iso_code") or "").strip().upper()
    if kind == COUNTRY:
        centre = country_centre(code) if code else None
        if centre is None:
            return Placement(None, None, f"no coordinates for country code {code or '(none)'}")
        return Placement(*centre)
    if kind == REGION:
        if "-" not in code:
            return Placement(None, None, "a region without an ISO 3166-2 code has no single point")
        parent = code.split("-", 1)[0]
        centre = country_centre(parent)
        if centre is None:
            return Placement(None, None, f"no coordinates for its country, {parent}")
        place = default_gazetteer().by_code(parent)
        name = place.label if place is not None else parent
        return Placement(*centre, f"at the centre of {name}, its country")
    if kind == SUPRANATIONAL:
        found = seat(actor_key(str(actor.get("iri") or "")))
        if found is None:
            return Placement(None, None, "a supranational body with no seat in the gazetteer")
        city, lat, lon = found
        return Placement(lat, lon, f"at its seat, {city}")
    what = readable(str(kind or "actor"))
    return Placement(None, None, f"{_article(what)} {what} is not a place")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# --- arcs -----------------------------------------------------------------------------


def map_arcs(
    deals: Iterable[Mapping[str, Any]], statuses: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """One arc per payer → payee pair over the deals with one of ``statuses`` (all if None).

    Each arc holds both actors with their ``Placement`` (``from``, ``to``), the number of
    deals, their labels, the count per current status and ``status`` (the one most of them
    have, the later stage on a tie), the amounts as written and ``totals`` per currency (a
    deal with several payees counts fully in each arc). Largest arcs first.
    """
    wanted = None if statuses is None else set(statuses)
    where: dict[str, Placement] = {}
    arcs: dict[tuple[str, str], dict[str, Any]] = {}
    for deal in deals:
        if wanted is not None and deal.get("status") not in wanted:
            continue
        for payer in deal.get("payers") or []:
            for payee in deal.get("payees") or []:
                for actor in (payer, payee):
                    if actor["iri"] not in where:
                        where[actor["iri"]] = locate(actor)
                arc = arcs.get((payer["iri"], payee["iri"]))
                if arc is None:
                    arc = arcs[payer["iri"], payee["iri"]] = {
                        "payer": _who(payer),
                        "payee": _who(payee),
                        "from": where[payer["iri"]],
                        "to": where[payee["iri"]],
                        "deals": 0,
                        "labels": [],
                        "statuses": Counter(),
                        "amounts": {},  # as written, in order, once each
                        "totals": defaultdict(float),
                    }
                arc["deals"] += 1
                arc["labels"].append(str(deal.get("label") or deal.get("iri") or ""))
                arc["statuses"][deal.get("status") or "unknown"] += 1
                amount = deal.get("amount")
                if amount:
                    arc["amounts"].setdefault(str(amount), None)
                if deal.get("amount_value") is not None and deal.get("currency"):
                    arc["totals"][deal["currency"]] += float(deal["amount_value"])
    out = []
    for arc in arcs.values():
        counts = arc["statuses"]
        arc["statuses"] = {s: counts[s] for s in _status_order(counts)}
        arc["status"] = max(counts, key=lambda s: (counts[s], status_rank(s)))
        arc["labels"].sort(key=str.casefold)
        arc["amounts"] = list(arc["amounts"])
        arc["totals"] = dict(sorted(arc["totals"].items()))
        out.append(arc)
    return sorted(
        out,
        key=lambda a: (-a["deals"], a["payer"]["label"].casefold(), a["payee"]["label"].casefold()),
    )


def _who(actor: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "iri": actor["iri"],
        "label": str(actor.get("label") or actor["iri"]),
        "type": actor.get("type"),
    }


def _status_order(counts: Mapping[str, int]) -> list[str]:
    return sorted(counts, key=lambda s: (status_rank(s) if s in STATUSES else len(STATUSES), s))


def placed(arc: Mapping[str, Any]) -> bool:
    """True when both ends of ``arc`` have a point on the map."""
    return bool(arc["from"].placed and arc["to"].placed)


def money(value: float) -> str:
    """A sum of money in words.

    >>> money(5e7), money(1.25e9), money(12_500)
    ('50 million', '1.25 billion', '12,500')
    """
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:.3g} {word}"
    return f"{value:,.0f}"


def _statuses_text(arc: Mapping[str, Any]) -> str:
    return " · ".join(f"{status} {n}" for status, n in arc["statuses"].items())


def _examples(arc: Mapping[str, Any]) -> str:
    labels = arc["labels"]
    text = "; ".join(labels[:EXAMPLES])
    return text + (f"; … and {len(labels) - EXAMPLES} more" if len(labels) > EXAMPLES else "")


def _amounts(arc: Mapping[str, Any]) -> str:
    amounts = arc["amounts"]
    text = "; ".join(amounts[:3])
    return text + (f"; … and {len(amounts) - 3} more" if len(amounts) > 3 else "")


def _total(arc: Mapping[str, Any]) -> str:
    return "; ".join(f"{currency} {money(value)}" for currency, value in arc["totals"].items())


def _link(arc: Mapping[str, Any]) -> str:
    return f"{arc['payer']['label']} → {arc['payee']['label']}"


def _placement_notes(arc: Mapping[str, Any]) -> str:
    notes = [
        f"{arc[role]['label']}: {arc[end].note}"
        for role, end in (("payer", "from"), ("payee", "to"))
        if arc[end].note
    ]
    return "; ".join(notes)


ARC_COLUMNS = ("payer → payee", "deals", "status", "statuses", "amounts", "total", "placed", "deal")


def arc_rows(arcs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One plain-text row per arc on the map (both ends placed), for a table."""
    return [
        {
            "payer → payee": _link(arc),
            "deals": arc["deals"],
            "status": arc["status"],
            "statuses": _statuses_text(arc),
            "amounts": _amounts(arc),
            "total": _total(arc),
            "placed": _placement_notes(arc),
            "deal": _examples(arc),
        }
        for arc in arcs
        if placed(arc)
    ]


def unplaced_rows(arcs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One plain-text row per payment with an end that has no point, and why it has none.

    >>> eu = {"iri": "x/supranational/g7", "label": "G7", "type": "Supranational"}
    >>> tn = {"iri": "tn", "label": "Tunisia", "type": "Country", "iso_code": "TN"}
    >>> deal = {"iri": "d", "label": "G7 – Tunisia", "status": "proposed",
    ...         "payers": [eu], "payees": [tn]}
    >>> unplaced_rows(map_arcs([deal]))[0]["not on the map"]
    'G7: a supranational body with no seat in the gazetteer'
    """
    rows = []
    for arc in arcs:
        if placed(arc):
            continue
        missing = [
            f"{arc[role]['label']}: {arc[end].note}"
            for role, end in (("payer", "from"), ("payee", "to"))
            if not arc[end].placed
        ]
        rows.append(
            {
                "payer → payee": _link(arc),
                "deals": arc["deals"],
                "statuses": _statuses_text(arc),
                "not on the map": "; ".join(missing),
                "deal": _examples(arc),
            }
        )
    return rows


# --- geometry on the sphere -----------------------------------------------------------

Vector = tuple[float, float, float]


def _vector(lat: float, lon: float) -> Vector:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _lonlat(v: Vector) -> list[float]:
    x, y, z = v
    return [
        round(math.degrees(math.atan2(y, x)), 2),
        round(math.degrees(math.atan2(z, math.hypot(x, y))), 2),
    ]


def _dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vector, b: Vector) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _scaled(a: Vector, k: float) -> Vector:
    return (a[0] * k, a[1] * k, a[2] * k)


def _sum(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _unit(a: Vector) -> Vector:
    norm = math.sqrt(_dot(a, a))
    return _scaled(a, 1 / norm) if norm > 1e-12 else a


def _angle(a: Vector, b: Vector) -> float:
    return math.acos(max(-1.0, min(1.0, _dot(a, b))))


def _slerp(a: Vector, b: Vector, t: float) -> Vector:
    omega = _angle(a, b)
    if omega < 1e-9:
        return a
    s = math.sin(omega)
    return _sum(_scaled(a, math.sin((1 - t) * omega) / s), _scaled(b, math.sin(t * omega) / s))


def _perpendicular(a: Vector) -> Vector:
    """Some unit vector at right angles to ``a``."""
    other: Vector = (0.0, 0.0, 1.0) if abs(a[2]) < 0.9 else (1.0, 0.0, 0.0)
    return _unit(_cross(a, other))


def arc_geometry(
    start: tuple[float, float],
    end: tuple[float, float],
    bend: float = 0.25,
    samples: int = 24,
    head: float = 3.0,
) -> dict[str, Any]:
    """A GeoJSON geometry for an arrow from ``start`` to ``end`` (each ``(lat, lon)``).

    The arc is a quadratic Bézier curve on the sphere (de Casteljau with spherical
    interpolation) whose middle is pushed to the left of the direction of travel by ``bend``
    times the distance, so A → B and B → A never overlap; ``head`` degrees of arrowhead mark
    the payee's end. The same place at both ends gives a ``Point`` (drawn as a small ring).

    >>> arc = arc_geometry((54.0, -2.0), (39.0, 35.0))
    >>> arc["type"], arc["coordinates"][0][0], arc["coordinates"][0][-1]
    ('MultiLineString', [-2.0, 54.0], [35.0, 39.0])
    >>> arc_geometry((1.0, 2.0), (1.0, 2.0))
    {'type': 'Point', 'coordinates': [2.0, 1.0]}
    """
    a, b = _vector(*start), _vector(*end)
    omega = _angle(a, b)
    if omega < 1e-6:
        return {"type": "Point", "coordinates": _lonlat(a)}
    if math.pi - omega < 1e-6:  # antipodes: any great circle joins them
        middle = _perpendicular(a)
        normal = _unit(_cross(a, middle))
    else:
        middle = _unit(_sum(a, b))
        normal = _unit(_cross(a, b))  # left of the direction of travel
    lift = bend * omega
    control = _unit(_sum(_scaled(middle, math.cos(lift)), _scaled(normal, math.sin(lift))))
    points = [
        _slerp(_slerp(a, control, t), _slerp(control, b, t), t)
        for t in (i / samples for i in range(samples + 1))
    ]
    # the arrowhead: two short great-circle strokes back from the end, 25° either side
    back = points[-2]
    tangent = _unit(_sum(back, _scaled(b, -_dot(back, b))))
    size = math.radians(min(head, math.degrees(omega) * 0.35))
    wings = []
    for side in (1, -1):
        spread = math.radians(25) * side
        direction = _sum(
            _scaled(tangent, math.cos(spread)), _scaled(_cross(b, tangent), math.sin(spread))
        )
        tip = _sum(_scaled(b, math.cos(size)), _scaled(direction, math.sin(size)))
        wings.append([_lonlat(tip), _lonlat(b)])
    return {"type": "MultiLineString", "coordinates": [[_lonlat(p) for p in points], *wings]}


# --- the base map ---------------------------------------------------------------------


def _ring_area(ring: Sequence[Sequence[float]]) -> float:
    """The signed planar area of a closed ring in degrees²: positive when counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _clean_ring(
    ring: Sequence[Sequence[float]], digits: int, clockwise: bool
) -> list[list[float]] | None:
    """``ring`` rounded, without repeated points, wound as d3-geo wants; None if degenerate."""
    out: list[list[float]] = []
    for x, y in ((round(p[0], digits), round(p[1], digits)) for p in ring):
        if not out or out[-1] != [x, y]:
            out.append([x, y])
    if out[0] != out[-1]:
        out.append(out[0])
    area = _ring_area(out)
    if len(out) < 4 or area == 0:
        return None
    if (area < 0) != clockwise:
        out.reverse()
    return out


def _clean_polygon(
    polygon: Sequence[Sequence[Sequence[float]]], digits: int
) -> list[list[list[float]]] | None:
    """A polygon with its outer ring clockwise and its holes counter-clockwise (d3-geo's
    spherical convention: the inside is on the right), or None if it rounds away."""
    outer = _clean_ring(polygon[0], digits, clockwise=True)
    if outer is None:
        return None
    holes = [_clean_ring(ring, digits, clockwise=False) for ring in polygon[1:]]
    return [outer, *(hole for hole in holes if hole is not None)]


@functools.lru_cache(maxsize=4)
def world_shapes(digits: int = 2) -> tuple[dict[str, Any], ...]:
    """Every country shape bundled with ``countryinfo``, as GeoJSON features (id: ISO alpha-2).

    Coordinates are rounded to ``digits`` decimals (0.01°, about a kilometre),
    islands that round away are dropped, and rings are rewound for d3-geo. Treat the result
    as read-only: it is shared.

    >>> shapes = world_shapes()
    >>> len(shapes) > 150, {f["geometry"]["type"] for f in shapes} == {"MultiPolygon"}
    (True, True)
    """
    features = []
    for entry in all_countries():
        code = (entry.info().get("ISO") or {}).get("alpha2")
        for feature in entry.geo_json().get("features") or []:
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Polygon":
                polygons = [geometry["coordinates"]]
            elif geometry.get("type") == "MultiPolygon":
                polygons = geometry["coordinates"]
            else:
                continue
            kept = [p for p in (_clean_polygon(poly, digits) for poly in polygons) if p]
            if kept:
                features.append(
                    {
                        "type": "Feature",
                        "id": code,
                        "properties": {},
                        "geometry": {"type": "MultiPolygon", "coordinates": kept},
                    }
                )
    return tuple(features)


# --- the chart ------------------------------------------------------------------------


def arc_features(arcs: Iterable[Mapping[str, Any]], head: float = 3.0) -> list[dict[str, Any]]:
    """The placed arcs as GeoJSON features whose properties hold what the tooltip shows.

    Arcs that share both ends bend further each, so every one can be hovered; thin arcs come
    last, and short ones after long ones, so they are drawn on top. ``head``: the arrowheads'
    length in degrees.
    """
    features: list[tuple[int, float, dict[str, Any]]] = []
    seen: Counter[tuple[float, float, float, float]] = Counter()
    for arc in arcs:
        if not placed(arc):
            continue
        start, end = arc["from"], arc["to"]
        ends = (*start.point(), *end.point())
        bend = 0.25 + 0.15 * seen[ends]
        seen[ends] += 1
        reach = _angle(_vector(*start.point()), _vector(*end.point()))
        features.append(
            (
                -arc["deals"],
                -reach,
                {
                    "type": "Feature",
                    "properties": {
                        "link": _link(arc),
                        "deals": arc["deals"],
                        "status": arc["status"],
                        "statuses": _statuses_text(arc),
                        "amounts": _amounts(arc) or "not reported",
                        "total": _total(arc) or "not reported",
                        "deal": _examples(arc),
                        "ends": STAND_IN if start.note or end.note else OWN_PLACE,
                        "placed": _placement_notes(arc) or "both at their own centre",
                    },
                    "geometry": arc_geometry(start.point(), end.point(), bend, head=head),
                },
            )
        )
    return [feature for _, _, feature in sorted(features, key=lambda f: (f[0], f[1]))]


def place_points(arcs: Iterable[Mapping[str, Any]], labelled: int = LABELLED_PLACES) -> list[dict]:
    """One point per map position used by ``arcs``, naming every actor drawn there.

    ``labelled`` is true for the ``labelled`` positions with the most deals.
    """
    spots: dict[tuple[float, float], dict[str, Any]] = {}
    for arc in arcs:
        if not placed(arc):
            continue
        for role, end, count in (("payer", "from", "pays"), ("payee", "to", "paid")):
            where: Placement = arc[end]
            spot = spots.setdefault(
                where.point(),
                {"lat": where.lat, "lon": where.lon, "names": {}, "pays": 0, "paid": 0},
            )
            spot["names"].setdefault(arc[role]["label"], where.note)
            spot[count] += arc["deals"]
    points = []
    for spot in spots.values():
        names = sorted(spot["names"], key=str.casefold)
        notes = [f"{name}: {spot['names'][name]}" for name in names if spot["names"][name]]
        points.append(
            {
                "lat": spot["lat"],
                "lon": spot["lon"],
                "actors": " · ".join(names),
                "placed": "; ".join(notes) or "at its own centre",
                "kind": OWN_PLACE if len(notes) < len(names) else STAND_IN,
                "pays": spot["pays"],
                "paid": spot["paid"],
                "labelled": False,
            }
        )
    points.sort(key=lambda p: (-(p["pays"] + p["paid"]), p["actors"].casefold()))
    for point in points[:labelled]:
        point["labelled"] = True
    return points


def view_box(
    points: Iterable[Mapping[str, Any]], margin: float = 0.2
) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` around the places, with room for the arcs' bulge and
    at least 40° × 25° of context; None when there are none or they spread over more than
    120° of longitude or 100° of latitude (then the whole world is shown).

    >>> view_box([{"lat": 54.0, "lon": -2.0}, {"lat": 34.0, "lon": 9.0}])
    (-16.5, 30.0, 23.5, 58.0)
    >>> view_box([{"lat": 54.0, "lon": -2.0}, {"lat": -25.0, "lon": 133.0}]) is None
    True
    """
    lats = [p["lat"] for p in points]
    lons = [p["lon"] for p in points]
    if not lats or max(lons) - min(lons) > 120 or max(lats) - min(lats) > 100:
        return None
    box = []
    for low, high, least, limit in (
        (min(lons), max(lons), 40.0, 180.0),
        (min(lats), max(lats), 25.0, 85.0),
    ):
        pad = max((high - low) * margin, (least - (high - low)) / 2, 0.0)
        box.append((max(low - pad, -limit), min(high + pad, limit)))
    (west, east), (south, north) = box
    return round(west, 2), round(south, 2), round(east, 2), round(north, 2)


def _fit(box: tuple[float, float, float, float]) -> dict[str, Any]:
    """A GeoJSON feature whose projected extent is ``box``'s: points along its edges."""
    west, south, east, north = box
    steps = [i / 8 for i in range(9)]
    edge = [
        *([west + (east - west) * t, lat] for t in steps for lat in (south, north)),
        *([lon, south + (north - south) * t] for t in steps for lon in (west, east)),
    ]
    coordinates = [[round(x, 2), round(y, 2)] for x, y in edge]
    return {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPoint", "coordinates": coordinates},
    }


def _tooltip(fields: Sequence[tuple[str, str, str]]) -> list[dict[str, str]]:
    # vega-tooltip draws a field titled "image" as <img src=…> and "title" as a heading:
    # fixed titles, never those two.
    return [{"field": field, "title": title, "type": kind} for field, title, kind in fields]


def map_spec(
    arcs: Sequence[Mapping[str, Any]], limit: int = MAX_ARCS, height: int = 520
) -> dict[str, Any]:
    """A Vega-Lite spec of the world with the ``limit`` largest placed arcs and their places.

    Layers, bottom up: the sphere (ocean) and the country shapes; the names of the busiest
    places; the arcs (colour: the status most of their deals have; width: how many deals;
    dashed when an end is a stand-in; an arrowhead at the payee); the places (a diamond for a
    stand-in). The view zooms to the places unless they spread over much of the world. All
    data is inline; there is no URL in it.
    """
    drawn = [arc for arc in arcs if placed(arc)][:limit]
    points = place_points(drawn)
    features = arc_features(drawn)
    reach = [
        {"lon": lon, "lat": lat} for f in features for lon, lat in _line(f["geometry"])
    ]  # the arcs bulge beyond their ends
    box = view_box([*points, *reach], margin=0.1)
    if box:  # arrowheads in proportion to the zoom
        features = arc_features(drawn, head=min(5.0, max(0.5, (box[2] - box[0]) * 0.03)))
    projection: dict[str, Any] = {"type": "equalEarth"}
    if box:
        projection["fit"] = _fit(box)  # zoom to the places; the sphere fills the rest
    datasets: dict[str, Any] = {"countries": list(world_shapes())}
    layers = _base_layers()
    if points:
        datasets["places"] = points
        layers += _name_layers()
    if features:
        datasets["arcs"] = features
        layers.append(
            _arc_layer(max(f["properties"]["deals"] for f in features), crowded=len(features) > 40)
        )
    if points:
        layers.append(_place_layer())
    return {
        "height": height,
        "projection": projection,
        "layer": layers,
        "datasets": datasets,
        "config": {
            "view": {"stroke": None},
            "legend": {"orient": "bottom", "direction": "horizontal"},
        },
    }


_POSITION = {
    "longitude": {"field": "lon", "type": "quantitative"},
    "latitude": {"field": "lat", "type": "quantitative"},
}


def _base_layers() -> list[dict[str, Any]]:
    """The ocean (Vega's generated sphere) and the countries (the ``countries`` dataset)."""
    return [
        {
            "data": {"sphere": True},
            "mark": {
                "type": "geoshape",
                "fill": "#eaf1f6",
                "stroke": "#c5d2dc",
                "tooltip": False,
                "clip": True,
            },
        },
        {
            "data": {"name": "countries"},
            "mark": {
                "type": "geoshape",
                "fill": "#d5d9dd",
                "stroke": "#ffffff",
                "strokeWidth": 0.5,
                "tooltip": False,
                "clip": True,
            },
        },
    ]


def _name_layers() -> list[dict[str, Any]]:
    """The names of the labelled places, on a white halo, above their points."""
    text = {"type": "text", "dy": -10, "fontSize": 11, "limit": 160, "tooltip": False}
    return [
        {
            "data": {"name": "places"},
            "transform": [{"filter": {"field": "labelled", "equal": True}}],
            "mark": {**text, **paint, "clip": True},
            "encoding": {**_POSITION, "text": {"field": "actors", "type": "nominal"}},
        }
        for paint in (
            {"stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.8},
            {"color": "#1f2a33"},
        )
    ]


def _line(geometry: Mapping[str, Any]) -> list[list[float]]:
    """The arc itself (without its arrowhead) of an ``arc_geometry``, as ``[lon, lat]``."""
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"][0])


def _arc_layer(most: int, crowded: bool = False) -> dict[str, Any]:
    """The arcs (the ``arcs`` dataset); ``most`` is the largest number of deals on one.

    A ``crowded`` map gets thinner, more transparent arcs."""
    widths = sorted({1, round(math.sqrt(most)), most} if most >= 10 else {1, most})
    return {
        "data": {"name": "arcs"},
        "mark": {
            "type": "geoshape",
            "filled": False,
            "strokeCap": "butt",
            "strokeJoin": "round",
            "opacity": 0.6 if crowded else 0.85,
            "clip": True,
        },
        "encoding": {
            "color": {
                "field": "properties.status",
                "type": "nominal",
                "title": "status (of most deals)",
                "scale": {"domain": list(STATUS_COLOURS), "range": list(STATUS_COLOURS.values())},
            },
            "strokeWidth": {
                "field": "properties.deals",
                "type": "quantitative",
                "scale": {
                    "type": "sqrt",
                    "domain": [1, max(2, most)],
                    "range": [1.2 if crowded else 2.5, 9],
                },
                "legend": {"title": "deals", "format": "d", "values": widths},
            },
            "strokeDash": {
                "field": "properties.ends",
                "type": "nominal",
                "scale": {"domain": [OWN_PLACE, STAND_IN], "range": [[1, 0], [9, 5]]},
                "legend": None,  # the page's caption says what a dashed arc means
            },
            "tooltip": _tooltip(
                [
                    ("properties.link", "payer → payee", "nominal"),
                    ("properties.deals", "deals", "quantitative"),
                    ("properties.statuses", "status", "nominal"),
                    ("properties.amounts", "amounts", "nominal"),
                    ("properties.total", "total", "nominal"),
                    ("properties.deal", "deal", "nominal"),
                    ("properties.placed", "placed", "nominal"),
                ]
            ),
        },
    }


def _place_layer() -> dict[str, Any]:
    """A point per place (the ``places`` dataset): a circle, or a diamond for a stand-in."""
    return {
        "data": {"name": "places"},
        "mark": {"type": "point", "filled": True, "size": 45, "opacity": 0.9, "clip": True},
        "encoding": {
            **_POSITION,
            "shape": {
                "field": "kind",
                "type": "nominal",
                "scale": {"domain": [OWN_PLACE, STAND_IN], "range": ["circle", "diamond"]},
                "legend": None,
            },
            "color": {"value": "#333333"},
            "tooltip": _tooltip(
                [
                    ("actors", "actor", "nominal"),
                    ("placed", "placed", "nominal"),
                    ("pays", "deals as payer", "quantitative"),
                    ("paid", "deals as payee", "quantitative"),
                ]
            ),
        },
    }
