"""A place gazetteer: countries, ISO 3166-2 subdivisions, continents and supranational bodies.

Countries come from maintained packages, never from hand-typed lists: ``pycountry`` gives the
ISO 3166-1 and 3166-2 codes and names, ``countryinfo`` gives the everyday English name, alternate
spellings, demonyms, capitals and coordinates. Small bundled files in ``graph/data`` add what the
packages lack: Wikidata QIDs (``wikidata.csv``), states ISO 3166-1 leaves out
(``countries_extra.json``: Kosovo, XK), supranational bodies (``supranational.json``),
seats of government used for a government (``metonyms.json``) and continents and macro-regions
(``continents.json``).

A surface form resolves by tier: names beat seats of government, which beat demonyms, which beat
capitals. Within the winning tier a surface claimed by two places is ambiguous and resolves to
nothing ("Congo", "Korea").

>>> gaz = default_gazetteer()
>>> gaz.lookup("Türkiye").label
'Turkey'
>>> gaz.lookup("Brussels").key
'supranational/EU'
>>> gaz.lookup("us") is None
True
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from countryinfo import CountryInfo, CountryNotFoundError, all_countries
from spacy.lang.en.stop_words import STOP_WORDS

from graph.vocab import slug

DATA_DIR = Path(__file__).with_name("data")

COUNTRY = "Country"
REGION = "Region"
SUPRANATIONAL = "Supranational"

# Resolution tiers, strongest first.
_TIER_NAME = 0
_TIER_SEAT = 1
_TIER_DEMONYM = 2
_TIER_CAPITAL = 3

# Bare ISO codes are too ambiguous to be names ("IT", "IN", "NO", "SA", "PR"); these are the
# ones English news uses as everyday abbreviations of the country itself.
_EVERYDAY_CODES = frozenset({"US", "USA"})

# A demonym shared by several places goes to the most populous one when it is this many times
# bigger than the next ("French": France, not Martinique); otherwise it stays ambiguous.
_DEMONYM_DOMINANCE = 10

# Capitals of places smaller than this are left out as metonyms: their names are mostly common
# words or personal names ("Stanley", "Douglas", "Victoria", "Hamilton").
_CAPITAL_MIN_POPULATION = 250_000

# Letters that NFKD does not decompose into an ASCII base letter.
_FOLD = str.maketrans(
    {
        "\u0131": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bb": "'",
        "\u02bc": "'",
        "\u02be": "",
        "\u02bf": "",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"^(?P<head>.+?)\s*\((?P<inner>[^()]+)\)$")


@dataclass(frozen=True)
class Place:
    """A country, subdivision, continent or supranational body, with every name it goes by."""

    code: str | None
    label: str
    type: str
    key: str
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    parent: str | None = None
    wikidata: str | None = None
    lat: float | None = None
    lon: float | None = None
    # for a country, from countryinfo: its continent, UN subregion and UN intermediate region
    # ("Africa", "Sub-Saharan Africa", "Eastern Africa"), and whether it is an island state (no
    # land border)
    continent: str | None = None
    subregion: str | None = None
    intermediate: str | None = None
    island: bool = False


def fold(text: str) -> str:
    """``text`` without diacritics ("Türkiye" -> "Turkiye", "Kūrdistān" -> "Kurdistan")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(text: str) -> str:
    """The case- and diacritic-insensitive index key of a surface form."""
    text = fold(unicodedata.normalize("NFKC", text)).replace("&", " and ")
    text = re.sub(r"[-/]", " ", text).replace(".", "")
    text = " ".join(text.casefold().split())
    return _LEADING_THE.sub("", text)


def _compact(text: str) -> str:
    """``text`` without dots and outer spaces: "U.S." -> "US"."""
    return text.replace(".", "").strip()


def _is_short_form(text: str) -> bool:
    """True for all-caps short forms matched case-sensitively ("UK", "U.S.", "EU", "G20")."""
    compact = _compact(text)
    return 2 <= len(compact) <= 3 and compact.isalnum() and compact.isupper()


@functools.lru_cache(maxsize=256)
def _type_words(kind: str) -> frozenset[str]:
    """The words of a subdivision type ("Autonomous community"), computed once per type."""
    return frozenset(_words(kind))


def _words(text: str) -> list[str]:
    """The lower-case ASCII word tokens of ``text``."""
    return _WORD.findall(fold(text).lower())


def _strip_the(text: str) -> str:
    """``text`` without a leading "the "."""
    return _LEADING_THE.sub("", text.strip())


def _name_variants(name: str) -> list[str]:
    """``name`` plus its comma head and parenthesis-free forms.

    "Korea, Republic of" also names "Korea", so the head is a variant; a trailing parenthesis is
    dropped or, when it is itself a proper name ("Holy See (Vatican City State)"), kept alone.
    """
    out = [name]
    if "," in name:
        out.append(name.split(",", 1)[0].strip())
    match = _TRAILING_PAREN.match(name)
    if match:
        out.append(match["head"])
        inner = match["inner"].strip()
        if all(w[:1].isupper() for w in inner.split()):
            out.append(inner)
    elif "(" in name:
        out.append(" ".join(re.sub(r"\([^()]*\)", " ", name).split()))
    return out


_NAME_PARTICLES = {"of", "the", "de", "del", "la", "le", "al", "el"}
# words that say what kind of subdivision a name is, whatever the ISO type says
_TYPE_WORDS = {
    "region", "province", "state", "territory", "county", "district", "governorate", "island",
    "islands", "autonomous", "community", "municipality", "oblast", "prefecture", "department",
    "city", "republic", "special", "administrative", "capital", "federal", "metropolitan",
}  # fmt: skip


def _only_type_words_besides(sub: Any, words: list[str], query: list[str]) -> bool:
    """Whether the words of a subdivision's name beyond ``query`` only say its type."""
    rest = list(words)
    for word in query:
        rest.remove(word)
    kind = set(_words(getattr(sub, "type", "") or ""))
    return all(w in kind or w in _NAME_PARTICLES or w in _TYPE_WORDS for w in rest)


def _first_parts(names: Iterable[str]) -> list[str]:
    """The first part of a country name made of two ("Bosnia and Herzegovina": "Bosnia"), and
    its "St" form ("Saint Lucia": "St Lucia", "St. Lucia")."""
    out: list[str] = []
    for name in names:
        head = name.split(",", 1)[0]
        first = head.split(" and ", 1)[0].strip() if " and " in head else ""
        if first and not (" " not in first and first.endswith("s")):  # "Turks" is a people
            out.append(first)
        for item in [head, *out]:
            if item.startswith("Saint "):
                out += [f"St {item[6:]}", f"St. {item[6:]}"]
    return list(dict.fromkeys(out))


def _clean_label(name: str, alts: Iterable[str]) -> str:
    """A display label from an ISO-style name: no ", State of" suffix, parenthesis or "The "."""
    if "," in name:
        head, tail = (part.strip() for part in name.split(",", 1))
        if re.search(r"\bof( the)?$", tail, re.IGNORECASE):
            name = head
        else:
            # "Virgin Islands, British" -> the package's "British Virgin Islands"
            wanted = sorted(_words(name))
            name = next((a for a in alts if "," not in a and sorted(_words(a)) == wanted), name)
    match = _TRAILING_PAREN.match(name)
    if match:
        name = match["head"]
    return _strip_the(name)


def _country_label(country: Any, info: dict[str, Any]) -> str:
    """The name users say for a country: pycountry's common name, else countryinfo's name.

    countryinfo's name is replaced by the ISO name when it is stale: the package itself lists
    both the ISO short and official names as alternates and its own name is neither ("Swaziland"
    -> "Eswatini"), or it is a "Republic of X" form of the ISO name ("Republic of Macedonia" ->
    "North Macedonia").
    """
    common = getattr(country, "common_name", None)
    alts = [a.strip() for a in info.get("altSpellings") or [] if a and a.strip()]
    if common:
        return _clean_label(common, alts)
    iso_name = country.name
    official = getattr(country, "official_name", None)
    name = info.get("name") or iso_name
    plain_iso = "," not in iso_name and "(" not in iso_name
    iso_names = {iso_name, official}
    stale = (
        plain_iso
        and name not in iso_names
        and iso_name in alts
        and (official is None or official in alts)
        and _key(name) not in _key(iso_name)
        and _key(iso_name) not in _key(name)
    )
    if name.startswith("Republic of ") and plain_iso and iso_name.endswith(name[12:]):
        stale = True
    return _clean_label(iso_name if stale else name, alts)


def _split_list(value: Any, separators: str) -> list[str]:
    """A countryinfo field that may be a string, a list or a separated list, as clean strings."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.extend(p.strip() for p in re.split(separators, item) if p.strip())
    return out


def _read_csv_comments(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose leading ``#`` lines are comments."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _load_json(name: str) -> Any:
    """A bundled JSON data file."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """The blank English spaCy tokenizer, used to build token patterns."""
    import spacy

    return spacy.blank("en").tokenizer


class _Record:
    """Mutable build-time data for one place."""

    def __init__(self, code: str | None, label: str, type_: str, key: str) -> None:
        self.code = code
        self.label = label
        self.type = type_
        self.key = key
        self.names: list[str] = [label]
        self.demonyms: list[str] = []
        self.seats: list[str] = []
        self.capitals: list[str] = []
        self.parent: str | None = None
        self.wikidata: str | None = None
        self.lat: float | None = None
        self.lon: float | None = None
        self.population = 0
        self.continent: str | None = None
        self.subregion: str | None = None
        self.intermediate: str | None = None
        self.island = False


def _countryinfo_records() -> dict[str, list[dict[str, Any]]]:
    """countryinfo's records grouped by ISO alpha-2 code."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in all_countries():
        info: dict[str, Any] = dict(entry.info())
        alpha2 = (info.get("ISO") or {}).get("alpha2")
        if alpha2:
            groups[alpha2].append(info)
    return groups


def _same_country(primary: dict[str, Any], other: dict[str, Any]) -> bool:
    """True when ``other`` is another countryinfo record for ``primary``'s country.

    Records share an ISO code for different places (Wales carries GB), so the names must link:
    one record's name is among the other's alternates, or contains it ("Burma" lists
    "Myanmar"; "Vatican City State" is inside "Holy See (Vatican City State)").
    """
    name, other_name = _key(primary.get("name") or ""), _key(other.get("name") or "")
    if not name or not other_name:
        return False
    alts = {_key(a) for a in primary.get("altSpellings") or [] if isinstance(a, str)}
    other_alts = {_key(a) for a in other.get("altSpellings") or [] if isinstance(a, str)}
    return other_name in alts or name in other_alts or other_name in name or name in other_name


class Gazetteer:
    """Resolve surface forms ("UK", "Türkiye", "Italian", "Downing Street") to places."""

    def __init__(self, records: list[_Record]) -> None:
        self._index: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._exact: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        for rec in records:
            for name in rec.names:
                self._add(name, _TIER_NAME, rec.key)
            for seat in rec.seats:
                self._add(seat, _TIER_SEAT, rec.key)
            for demonym in rec.demonyms:
                self._add(demonym, _TIER_DEMONYM, rec.key)
            for capital in rec.capitals:
                self._add(capital, _TIER_CAPITAL, rec.key)
        self._by_key: dict[str, Place] = {}
        self._by_code: dict[str, Place] = {}
        for rec in records:
            name_keys = {_key(n) for n in rec.names}
            metonyms = [
                m
                for m in _unique(rec.seats + rec.capitals)
                if self._owner(m) == rec.key and _key(m) not in name_keys
            ]
            place = Place(
                code=rec.code,
                label=rec.label,
                type=rec.type,
                key=rec.key,
                names=tuple(_unique(rec.names)),
                demonyms=tuple(_unique(rec.demonyms)),
                metonyms=tuple(metonyms),
                parent=rec.parent,
                wikidata=rec.wikidata,
                lat=rec.lat,
                lon=rec.lon,
                continent=rec.continent,
                subregion=rec.subregion,
                intermediate=rec.intermediate,
                island=rec.island,
            )
            self._by_key[place.key] = place
            if place.code:
                self._by_code[place.code] = place
        self._wikidata = _wikidata()
        self._subdivision_index: dict[str, list[tuple[Any, list[str]]]] = {}
        self._country_names: list[tuple[str, Place]] | None = None
        self._subdivision_names: set[str] | None = None
        self._english_words: list[tuple[Any, list[str]]] | None = None
        self._subregions: dict[str | None, frozenset[str]] = {}

    # -- building -------------------------------------------------------------------------------

    @classmethod
    def load(cls) -> Gazetteer:
        """Build a gazetteer from pycountry, countryinfo and the bundled data files."""
        qids = _wikidata()
        records = _country_records(qids)
        records += _extra_country_records()
        records += _supranational_records()
        records += _continent_records()
        _attach_seats(records)
        return cls(records)

    def _add(self, surface: str, tier: int, key: str) -> None:
        """Index ``surface`` (and its dotted or dot-free twin) for ``key`` at ``tier``."""
        if not surface.strip():
            return
        if _is_short_form(surface):
            self._exact[_compact(surface)][tier].add(key)
        else:
            self._index[_key(surface)][tier].add(key)

    def _candidates(self, surface: str) -> dict[int, set[str]] | None:
        """The tiered candidate keys for ``surface``, or None when it is not indexed."""
        text = surface.strip()
        if not text:
            return None
        if _is_short_form(text):
            hit = self._exact.get(_compact(text))
            if hit:
                return hit
        return self._index.get(_key(text))

    def _owner(self, surface: str) -> str | None:
        """The key ``surface`` resolves to, or None when unknown or ambiguous."""
        tiers = self._candidates(surface)
        if not tiers:
            return None
        best = tiers[min(tiers)]
        return next(iter(best)) if len(best) == 1 else None

    # -- queries --------------------------------------------------------------------------------

    def misspelt_country(self, surface: str) -> Place | None:
        """The one country whose name ``surface`` misspells ("Papua New Guniea", "Afganistan",
        "Phillipines"): a letter wrong, missing, extra or swapped (two in a long name), the
        first letter kept, and no other country as close. Short words are never read as
        misspellings: a letter turns them into other places ("Samos", "Samoa")."""
        from rapidfuzz.distance import OSA

        text = fold(surface).lower()
        allowed = 2 if len(text) >= 11 else 1 if len(text) >= 7 else 0
        if not allowed or not text[:1].isalpha():
            return None
        if self._subdivision_names is None:
            self._subdivision_names = {fold(sub.name).lower() for sub in pycountry.subdivisions}
        if text in self._subdivision_names:
            return None  # a real place of its own ("Granada" is no misspelt Grenada)
        if self._country_names is None:
            self._country_names = [
                (fold(name).lower(), place)
                for place in self._by_key.values()
                if place.type == COUNTRY
                for name in place.names
            ]
        best: dict[str, int] = {}
        places: dict[str, Place] = {}
        for name, place in self._country_names:
            if name[:1] != text[:1] or abs(len(name) - len(text)) > allowed:
                continue
            distance = OSA.distance(text, name, score_cutoff=allowed)
            if distance <= allowed and distance < best.get(place.key, allowed + 1):
                best[place.key], places[place.key] = distance, place
        if not best:
            return None
        closest = min(best.values())
        keys = [k for k, d in best.items() if d == closest]
        return places[keys[0]] if len(keys) == 1 else None

    def places(self) -> Iterator[Place]:
        """Every country, continent and supranational body (subdivisions come on demand)."""
        return iter(self._by_key.values())

    def by_code(self, code: str) -> Place | None:
        """The place with ISO code ``code`` ("GB", "EU", or a subdivision such as "IQ-KR")."""
        code = code.strip().upper()
        place = self._by_code.get(code)
        if place is None and "-" in code:
            sub = pycountry.subdivisions.get(code=code)
            if sub is not None:
                return self._subdivision_place(sub, fold(sub.name))
        return place

    def by_key(self, key: str) -> Place | None:
        """The place with stable key ``key`` ("country/GB", "region/IQ-KR", "supranational/EU")."""
        place = self._by_key.get(key)
        if place is None and key.startswith("region/"):
            code = key.split("/", 1)[1]
            if "-" in code:
                return self.by_code(code)
        return place

    def lookup(self, surface: str) -> Place | None:
        """The place ``surface`` names (name, demonym or metonym); None if unknown or ambiguous."""
        owner = self._owner(surface)
        return self._by_key.get(owner) if owner else None

    def find_subdivision(self, name: str, countries: Iterable[str] = ()) -> Place | None:
        """The ISO 3166-2 subdivision whose name contains ``name`` as whole words, if unique.

        Subdivisions of ``countries`` (codes or names) are preferred; exact names beat partial
        ones; a trailing type word ("Kurdistan Region") must match the subdivision's type.
        """
        query = _words(name)
        if not query:
            return None
        wanted = {self._country_code(c) for c in countries} - {None}
        found = self._match_subdivisions(query, wanted, type_word=None)
        if not found and len(query) > 1:
            found = self._match_subdivisions(query[:-1], wanted, type_word=query[-1])
        if not found:
            return None
        sub, words = found
        english = words in _english_subdivision_names().get(sub.code, []) and not any(
            _words(words) == _words(sub.name)[i : i + len(_words(words))]
            for i in range(len(_words(sub.name)))
        )
        return self._subdivision_place(sub, words, english)

    def subregions(self, continent: str | None) -> frozenset[str]:
        """The UN subregions and intermediate regions countryinfo gives the countries of a
        continent ("Sub-Saharan Africa", "Eastern Africa")."""
        if continent not in self._subregions:
            self._subregions[continent] = frozenset(
                area
                for p in self._by_key.values()
                if p.continent == continent
                for area in (p.subregion, p.intermediate)
                if area
            )
        return self._subregions[continent]

    def description_words(self) -> dict[str, Any]:
        """The words of descriptions that stand for a country ("the central Asian republic"):
        continents, compass words and nouns, from ``continents.json``."""
        return dict(_load_json("continents.json")["descriptions"])

    def ruler_patterns(self, include_metonyms: bool = False) -> list[dict[str, Any]]:
        """spaCy EntityRuler patterns: places as GPE, bodies as ORG, demonyms as NORP, id = key.

        All-caps short forms match case-sensitively (ORTH), so "us" is not "US"; other names match
        on LOWER but not on all-lower-case text, so "turkey" or "jersey" stay ordinary words.
        Ambiguous surfaces get no pattern. Capitals and seats of government are added with
        ``include_metonyms``.
        """
        patterns: list[dict[str, Any]] = []
        seen: set[tuple[str, str, str]] = set()
        for place in self._by_key.values():
            kind = "ORG" if place.type == SUPRANATIONAL else "GPE"
            groups = [(kind, place.names), ("NORP", place.demonyms)]
            if include_metonyms:
                groups.append((kind, place.metonyms))
            for label, surfaces in groups:
                for surface in surfaces:
                    text = _strip_the(surface)
                    if not text or self._owner(text) != place.key:
                        continue
                    sig = (label, text if _is_short_form(text) else _key(text), place.key)
                    if sig in seen:
                        continue
                    seen.add(sig)
                    patterns.append(
                        {"label": label, "pattern": _token_pattern(text), "id": place.key}
                    )
        return patterns

    # -- subdivisions ---------------------------------------------------------------------------

    def _country_code(self, value: str) -> str | None:
        """An ISO alpha-2 code from a code or a country name."""
        if len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()) is not None:
            return value.upper()
        place = self.lookup(value)
        return place.code if place is not None and place.type == COUNTRY else None

    def _match_subdivisions(
        self, query: list[str], wanted: set[str | None], type_word: str | None
    ) -> tuple[Any, str] | None:
        """The unique subdivision containing ``query``, with the matched words, or None."""
        if not self._subdivision_index:  # every name's words, by each word they hold
            index: dict[str, list[tuple[Any, list[str]]]] = defaultdict(list)
            for sub in pycountry.subdivisions:
                entry = (sub, _words(sub.name))
                for word in dict.fromkeys(entry[1]):
                    index[word].append(entry)
            self._subdivision_index = dict(index)
        # only the names holding the query's first word can hold the query
        candidates = self._subdivision_index.get(query[0], []) if query else []
        found = self._match_words(query, wanted, type_word, candidates)
        if found is not None:
            return found
        if self._english_words is None:  # "Canary Islands" for "Canarias"
            english = _english_subdivision_names()
            self._english_words = [
                (s, _words(name))
                for s in pycountry.subdivisions
                for name in english.get(s.code, [])
            ]
        # English names only within the countries asked about: exonyms are loose ("Atlantis")
        within = [(s, w) for s, w in self._english_words if s.country_code in wanted]
        hit = self._match_words(query, wanted, type_word, within, whole=True)
        if hit is None:
            return None
        sub = hit[0]
        name = next(n for n in _english_subdivision_names()[sub.code] if _words(n) == query)
        return sub, name

    def _match_words(
        self,
        query: list[str],
        wanted: set[str | None],
        type_word: str | None,
        entries: list[tuple[Any, list[str]]],
        whole: bool = False,
    ) -> tuple[Any, str] | None:
        """The unique subdivision one of whose names (``entries``) contains ``query`` (or,
        with ``whole``, is it), with the matched words, or None."""
        hits: list[tuple[Any, list[str], bool]] = []
        n = len(query)
        for sub, words in entries:
            if whole and words != query:
                continue
            if type_word is not None and type_word not in _type_words(sub.type):
                continue
            for i in range(len(words) - n + 1):
                if words[i : i + n] == query:
                    hits.append((sub, words, len(words) == n))
                    break
        if not hits:
            return None
        preferred = [h for h in hits if h[0].country_code in wanted]
        if preferred:
            hits = preferred
        exact = [h for h in hits if h[2]]
        if exact:
            hits = exact
        elif wanted:
            # within the article's countries, a part of a region's name is the region only
            # beside its type ("Kurdistan (Region)"), not the town the region is named after
            # ("Calais" of "Pas-de-Calais"); asked with no country, any part will do
            hits = [h for h in hits if _only_type_words_besides(h[0], h[1], query)]
        codes = {h[0].code for h in hits}
        hits = [h for h in hits if getattr(h[0], "parent_code", None) not in codes]
        if len(hits) != 1:
            return None
        sub = hits[0][0]
        folded = fold(sub.name).split()
        # the matched words, with the subdivision's own capitalisation
        starts = (i for i in range(len(folded)) if _words(" ".join(folded[i:]))[:n] == query)
        start = next(starts, None)
        if start is None:  # the name splits otherwise than its words ("Baden-Württemberg")
            return sub, " ".join(w.title() for w in query)
        return sub, " ".join(folded[start : start + n])

    def _subdivision_place(self, sub: Any, surface: str, english: bool = False) -> Place:
        """A Region place for a pycountry subdivision.

        Named by its surface form when that is the subdivision's whole name ("Scotland") or
        its whole English name (``english``: "Canary Islands" for "Canarias");
        when the surface is only part of the official name, the subdivision type says what
        kind of place it is ("Kurdistan" of "Iqlīm Kūrdistān" → "Kurdistan Region").
        """
        type_name = sub.type.title() if sub.type else ""
        label = surface
        whole = english or fold(surface).casefold() == fold(sub.name).casefold()
        if type_name and not whole and not set(_words(type_name)) <= set(_words(surface)):
            label = f"{surface} {type_name}"
        names = _unique([label, surface, sub.name, fold(sub.name)])
        return Place(
            code=sub.code,
            label=label,
            type=REGION,
            key=f"region/{sub.code}",
            names=tuple(names),
            parent=sub.country_code,
            wikidata=self._wikidata.get(sub.code),
        )


def _unique(items: Iterable[str]) -> list[str]:
    """``items`` without duplicates or blanks, in first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _token_pattern(text: str) -> list[dict[str, Any]]:
    """The EntityRuler token pattern for ``text``."""
    tokens = [t.text for t in _tokenizer()(text)]
    if _is_short_form(text):
        return [{"ORTH": t} for t in tokens]
    pattern: list[dict[str, Any]] = []
    for tok in tokens:
        spec: dict[str, Any] = {"LOWER": tok.lower()}
        if any(c.isupper() for c in tok):
            spec["IS_LOWER"] = False
        pattern.append(spec)
    return pattern


@functools.lru_cache(maxsize=1)
def _english_subdivision_names() -> dict[str, list[str]]:
    """ISO 3166-2 code -> the English names the ``iso3166-2`` package gives a subdivision
    whose ISO name is in another language ("ES-CN": "Canary Islands", "DE-TH": "Thuringia").

    Only the package's data file is read (its module, which can fetch updates, is not run)."""
    import importlib.util

    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    names: dict[str, list[str]] = {}
    for subdivisions in data.values():
        for code, sub in subdivisions.items():
            for part in (sub.get("localOtherName") or "").split(","):
                name, _, language = part.strip().rpartition(" (")
                if language == "eng)" and name and len(name.split()) <= 4:
                    names.setdefault(code, []).append(name)
    return names


@functools.lru_cache(maxsize=1)
def _wikidata() -> dict[str, str]:
    """ISO code -> Wikidata QID from ``wikidata.csv``."""
    return {row["code"]: row["qid"] for row in _read_csv_comments(DATA_DIR / "wikidata.csv")}


def _country_records(qids: dict[str, str]) -> list[_Record]:
    """One record per ISO 3166-1 country, from pycountry and countryinfo."""
    groups = _countryinfo_records()
    demonym_words = {
        _key(d)
        for infos in groups.values()
        for info in infos
        for d in _split_list(info.get("demonym"), r"[,/]")
    }
    generic = _generic_words(groups)
    records: list[_Record] = []
    for country in pycountry.countries:
        code = country.alpha_2
        try:
            primary: dict[str, Any] = dict(CountryInfo(code).info())
        except CountryNotFoundError:
            primary = {}
        siblings = [
            info
            for info in groups.get(code, [])
            if info.get("name") != primary.get("name") and _same_country(primary, info)
        ]
        infos = [primary, *siblings]
        rec = _Record(code, _country_label(country, primary), COUNTRY, f"country/{code}")
        codes = {code, country.alpha_3, getattr(country, "numeric", "")}
        official_names = [
            primary.get("name") or "",
            country.name,
            getattr(country, "official_name", "") or "",
            getattr(country, "common_name", "") or "",
        ]
        alts: list[str] = []
        for info in infos:
            official_names.append(info.get("name") or "")
            alts.extend(a for a in info.get("altSpellings") or [] if isinstance(a, str))
        # news shortens a two-part name to its first part ("Bosnia", "Trinidad", "Sao Tome"),
        # checked below like any alternative spelling (so "Turks" stays a demonym)
        alts.extend(_first_parts([country.name, getattr(country, "common_name", "") or ""]))
        names = [n for name in official_names if name for n in _name_variants(name)]
        for alt in (a.strip() for a in alts):
            if not alt or not fold(alt).isascii():
                continue
            if _compact(alt) in codes and _compact(alt) not in _EVERYDAY_CODES:
                continue
            if not _is_short_form(alt) and alt.lower() in STOP_WORDS:
                continue
            if _key(alt) in demonym_words:
                continue
            if len(_words(alt)) == 1 and _words(alt)[0] in generic:
                continue
            names.extend(_name_variants(alt))
        names = [n for n in names if fold(n).isascii()]
        names += [fold(n) for n in names]
        names += [_dotted(n) for n in names if _is_short_form(n) and n.isalpha()]
        rec.names = _unique([rec.label, *names])
        name_keys = {_key(n) for n in rec.names}
        for info in infos:
            if not rec.demonyms:
                rec.demonyms = [
                    d for d in _split_list(info.get("demonym"), r"[,/]") if _key(d) not in name_keys
                ]
            rec.population = max(rec.population, int(info.get("population") or 0))
        capital = next((i.get("capital") for i in infos if i.get("capital")), None)
        if rec.population >= _CAPITAL_MIN_POPULATION:
            capitals = _split_list(capital, r"\s+/\s+")
            capitals = [c for c in capitals if c.lower() not in STOP_WORDS]
            rec.capitals = _unique(capitals + [fold(c) for c in capitals])
        latlng = primary.get("latlng") or primary.get("capital_latlng") or []
        if len(latlng) == 2:
            rec.lat, rec.lon = float(latlng[0]), float(latlng[1])
        rec.wikidata = qids.get(code)
        rec.continent = primary.get("region") or None
        rec.subregion = primary.get("subregion") or None
        rec.intermediate = primary.get("intermediateregion") or None
        rec.island = primary.get("borders") == [] and bool(primary)
        records.append(rec)
    _resolve_shared_demonyms(records)
    for rec in records:
        rec.demonyms = _unique(rec.demonyms + [fold(d) for d in rec.demonyms])
    return records


def _dotted(code: str) -> str:
    """The dotted spelling of an all-caps short form: "UK" -> "U.K."."""
    return "".join(f"{c}." for c in code)


def _generic_words(groups: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Words found in the names of two or more countries ("island", "republic", "saint")."""
    owners: dict[str, set[str]] = defaultdict(set)
    for code, infos in groups.items():
        for info in infos:
            for word in _words(info.get("name") or ""):
                owners[word].add(code)
    for country in pycountry.countries:
        for word in _words(country.name):
            owners[word].add(country.alpha_2)
    return {word for word, codes in owners.items() if len(codes) > 1}


def _resolve_shared_demonyms(records: list[_Record]) -> None:
    """Give a demonym shared by several countries to a clearly dominant one, by population."""
    claims: dict[str, list[_Record]] = defaultdict(list)
    for rec in records:
        for demonym in rec.demonyms:
            claims[_key(demonym)].append(rec)
    for key, recs in claims.items():
        if len(recs) < 2:
            continue
        recs = sorted(recs, key=lambda r: r.population, reverse=True)
        if recs[0].population >= _DEMONYM_DOMINANCE * max(recs[1].population, 1):
            for loser in recs[1:]:
                loser.demonyms = [d for d in loser.demonyms if _key(d) != key]


def _extra_country_records() -> list[_Record]:
    """Records for the states ISO 3166-1 leaves out (``countries_extra.json``: Kosovo)."""
    records = []
    for country in _load_json("countries_extra.json")["countries"]:
        code = country["code"]
        rec = _Record(code, country["label"], COUNTRY, f"country/{code}")
        rec.names = _unique([country["label"], *country.get("names", [])])
        rec.demonyms = list(country.get("demonyms", []))
        rec.capitals = list(country.get("capitals", []))
        rec.wikidata = country.get("qid")
        rec.lat, rec.lon = country.get("lat"), country.get("lon")
        rec.continent, rec.subregion = country.get("continent"), country.get("subregion")
        records.append(rec)
    return records


def _supranational_records() -> list[_Record]:
    """Records for the bodies in ``supranational.json``."""
    records = []
    for body in _load_json("supranational.json")["bodies"]:
        rec = _Record(body.get("code"), body["label"], SUPRANATIONAL, body["key"])
        rec.names = _unique([body["label"], *body.get("names", [])])
        rec.names = _unique(rec.names + [fold(n) for n in rec.names])
        rec.demonyms = list(body.get("demonyms", []))
        rec.seats = list(body.get("metonyms", []))
        rec.wikidata = body.get("qid")
        records.append(rec)
    return records


def _continent_records() -> list[_Record]:
    """Records for the continents and macro-regions in ``continents.json``."""
    records = []
    for region in _load_json("continents.json")["regions"]:
        rec = _Record(None, region["label"], REGION, f"region/{slug(region['label'])}")
        rec.names = _unique([region["label"], *region.get("names", [])])
        rec.demonyms = list(region.get("demonyms", []))
        rec.wikidata = region.get("qid")
        records.append(rec)
    return records


def _attach_seats(records: list[_Record]) -> None:
    """Attach the seats of government and extra aliases in ``metonyms.json`` to their places."""
    by_code = {rec.code: rec for rec in records if rec.code}
    data = _load_json("metonyms.json")
    for section in ("metonyms", "aliases", "combining_forms"):
        for surface, code in data.get(section, {}).items():
            rec = by_code.get(code)
            if rec is None:
                raise ValueError(f"metonyms.json: unknown place code {code!r} for {surface!r}")
            if section == "aliases":
                rec.names = _unique([*rec.names, surface, fold(surface)])
            elif section == "combining_forms":  # "Franco-" of "Franco-German": an adjective
                rec.demonyms = _unique([*rec.demonyms, surface])
            else:
                rec.seats = _unique([*rec.seats, surface, fold(surface)])


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer, built once per process."""
    return Gazetteer.load()
