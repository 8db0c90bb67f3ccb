"""Widget blocks that several pages share: the store header, a date-range filter, downloads.

Like the pages, this holds only widgets; what they show comes from ``graph.view``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

import streamlit as st

from graph import view
from graph.errors import PolicyGraphError
from graph.model import ACTOR_TYPES, PURPOSES, STATUSES

import cache

T = TypeVar("T")


def store_header(title: str, note: str = "") -> tuple[str, str]:
    """The page title and the store it reads; returns ``(location, version)``."""
    st.title(title)
    location = cache.store_location()
    st.caption(f"Store: {view.md_escape(location)}{note}")
    return location, cache.store_version(location)


def load(compute: Callable[..., T], *args: Any) -> T:
    """``compute(*args)``, or one error line and the end of the page if the store fails."""
    try:
        with st.spinner("Reading the store…", show_time=True):
            return compute(*args)
    except PolicyGraphError as error:
        st.error(str(error))
        st.stop()
        raise  # st.stop() raises; this keeps type checkers content


def date_filter(
    where: Any, label: str, span: tuple[str, str] | None, key: str
) -> tuple[str | None, str | None]:
    """A date-range input over ``span``; ``(since, until)``, None for an untouched end."""
    if not span:
        return None, None
    first, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    picked = where.date_input(label, value=(first, last), min_value=first, max_value=last, key=key)
    return view.date_range(picked, span)


def downloads(
    csv: Callable[[], str],
    json: Callable[[], str],
    stem: str,
    json_type: str = "application/json",
) -> None:
    """CSV and JSON download buttons side by side; each file is made only when clicked."""
    one, two = st.columns(2)
    one.download_button("Download CSV", csv, f"{stem}.csv", "text/csv", on_click="ignore")
    two.download_button("Download JSON", json, f"{stem}.json", json_type, on_click="ignore")


def pick(
    label: str,
    names: Mapping[str, str],
    key: str,
    placeholder: str = "Pick one",
    where: Any = st,
    index: int | None = None,
) -> str | None:
    """A select box over ``names`` (id to what a person reads), empty until something is
    picked; returns the picked id."""
    return where.selectbox(  # type: ignore[no-any-return]
        label,
        list(names),
        index=index,
        format_func=names.get,
        placeholder=placeholder,
        key=key,
    )


def agent() -> str:
    """Whom this session's corrections are attributed to: a name in the sidebar, the OS user
    until the analyst gives one."""
    st.session_state.setdefault("agent", cache.agent_default())
    name = st.sidebar.text_input("Corrections by", key="agent")
    return str(name).strip() or cache.agent_default()


def flash() -> None:
    """The line a write left for the page it reran (what was corrected or undone)."""
    done = st.session_state.pop("curation_done", None)
    if done:
        st.success(view.md_escape(done))


def write(change: Callable[..., str], *args: Any, **options: Any) -> None:
    """Make a correction or an undo; on success rerun the page (every frame reads the new
    store version) with the line saying what was done, else show the one error line."""
    write_all([partial(change, *args, **options)])


def write_all(steps: list[Callable[[], str]]) -> None:
    """Make corrections one after another, stopping at the first that is refused; rerun the
    page if any was made, with the lines saying what was done."""
    done = []
    try:
        with st.spinner("Writing to the store…"):
            for step in steps:
                done.append(step())
    except PolicyGraphError as error:
        st.error(view.md_escape(error))
    if done:
        st.session_state["curation_done"] = " · ".join(done)
        st.rerun()


def correct_actor(
    location: str,
    version: str,
    agent: str,
    record: Mapping[str, Any],
    names: Mapping[str, str],
) -> None:
    """The Actor page's "Correct…" forms: rename, retype, codes, merge, split, delete."""
    iri = record["iri"]
    with st.expander("Correct…"):
        rename, retype, codes, merge, split, delete = st.tabs(
            ["Rename", "Type", "Codes", "Merge", "Split", "Delete"]
        )
        with rename.form(f"rename_{iri}"):
            label = st.text_input("Name", value=record["label"], key=f"rename_value_{iri}")
            note = st.text_input("Why", key=f"rename_note_{iri}")
            if st.form_submit_button("Rename"):
                write(cache.correct, location, agent, "rename", iri, [label], note=note or None)
        with retype.form(f"retype_{iri}"):
            types = list(ACTOR_TYPES)
            kind = st.selectbox(
                "Type", types, index=types.index(record["type"]) if record["type"] in types else 0,
                key=f"retype_value_{iri}",
            )  # fmt: skip
            if st.form_submit_button("Retype"):
                write(cache.correct, location, agent, "retype", iri, [kind])
        with codes.form(f"codes_{iri}"):
            iso = st.text_input(
                "ISO 3166 code (empty clears it)",
                value=record.get("iso_code") or "",
                key=f"codes_iso_{iri}",
            )
            qid = st.text_input(
                "Wikidata QID (empty clears it)",
                value=str(record.get("wikidata") or "").rsplit("/", 1)[-1],
                key=f"codes_qid_{iri}",
            )
            if st.form_submit_button("Set codes"):
                steps = []
                if iso.strip() != (record.get("iso_code") or ""):
                    values = [iso.strip()] if iso.strip() else []
                    steps.append(partial(cache.correct, location, agent, "set-iso", iri, values))
                if qid.strip() != str(record.get("wikidata") or "").rsplit("/", 1)[-1]:
                    values = [qid.strip()] if qid.strip() else []
                    steps.append(
                        partial(cache.correct, location, agent, "set-wikidata", iri, values)
                    )
                write_all(steps)
        with merge.form(f"merge_{iri}"):
            others = {k: v for k, v in names.items() if k != iri}
            into = st.selectbox(
                "Merge into", list(others), index=None, format_func=others.get,
                placeholder="The actor it is", key=f"merge_value_{iri}",
            )  # fmt: skip
            note = st.text_input("Why", key=f"merge_note_{iri}")
            if st.form_submit_button("Merge") and into:
                write(
                    cache.correct,
                    location,
                    agent,
                    "merge-actors",
                    iri,
                    [],
                    into=into,
                    note=note or None,
                )
        with split.form(f"split_{iri}"):
            stories = {
                row["article"]: row["headline"]
                for row in cache.articles_mentioning(location, version, iri)
            }
            chosen = st.multiselect(
                "Articles whose mention is another actor",
                list(stories),
                format_func=stories.get,
                key=f"split_articles_{iri}",
            )
            label = st.text_input("The other actor's name", key=f"split_name_{iri}")
            kind = st.selectbox("Its type", list(ACTOR_TYPES), key=f"split_type_{iri}")
            if st.form_submit_button("Split"):
                write(
                    cache.correct,
                    location,
                    agent,
                    "split-actor",
                    iri,
                    [label, kind],
                    articles=chosen,
                )
        with delete.form(f"delete_{iri}"):
            note = st.text_input("Why", key=f"delete_note_{iri}")
            if st.form_submit_button("Delete this actor"):
                write(cache.correct, location, agent, "delete-actor", iri, [], note=note or None)


def correct_deal(
    location: str, agent: str, deal: Mapping[str, Any], names: Mapping[str, str],
    deals: Mapping[str, str],
) -> None:  # fmt: skip
    """The Deals page's "Correct…" forms: status, roles, amount and purposes, merge, split,
    delete."""
    iri = deal["iri"]
    with st.expander("Correct…"):
        status, roles, money, merge, split, delete = st.tabs(
            ["Status", "Roles", "Amount & purposes", "Merge", "Split", "Delete"]
        )
        with status.form(f"status_{iri}"):
            left, right = st.columns(2)
            picked = left.selectbox(
                "Status", list(STATUSES), index=list(STATUSES).index(deal["status"])
                if deal["status"] in STATUSES else 0, key=f"status_value_{iri}",
            )  # fmt: skip
            day = right.date_input("As of", value=dt.date.today(), key=f"status_date_{iri}")
            note = st.text_input("Why", key=f"status_note_{iri}")
            if st.form_submit_button("Set status"):
                write(
                    cache.correct, location, agent, "set-status", iri, [picked],
                    date=day.isoformat() if isinstance(day, dt.date) else None, note=note or None,
                )  # fmt: skip
        with roles.form(f"roles_{iri}"):
            chosen = {}
            for kind, key, label in ROLE_FORMS:
                current = [a["iri"] for a in deal[key]]
                chosen[kind] = (current, st.multiselect(
                    label, list(names), default=[a for a in current if a in names],
                    format_func=names.get, key=f"{kind}_{iri}",
                ))  # fmt: skip
            if st.form_submit_button("Set roles"):
                write_all(
                    [
                        partial(cache.correct, location, agent, kind, iri, new)
                        for kind, (old, new) in chosen.items()
                        if sorted(old) != sorted(new)
                    ]
                )
        with money.form(f"money_{iri}"):
            amount = st.text_input(
                "Amount as written (empty clears it)",
                value=deal.get("amount") or "",
                key=f"amount_{iri}",
            )
            purposes = st.multiselect(
                "Purposes", list(PURPOSES), default=deal["purposes"], key=f"purposes_{iri}"
            )
            if st.form_submit_button("Set amount and purposes"):
                steps = []
                if amount.strip() != (deal.get("amount") or ""):
                    values = [amount] if amount.strip() else []
                    steps.append(partial(cache.correct, location, agent, "set-amount", iri, values))
                if sorted(purposes) != sorted(deal["purposes"]):
                    steps.append(
                        partial(cache.correct, location, agent, "set-purposes", iri, purposes)
                    )
                write_all(steps)
        with merge.form(f"merge_deal_{iri}"):
            others = {k: v for k, v in deals.items() if k != iri}
            into = st.selectbox(
                "Merge into",
                list(others),
                index=None,
                format_func=others.get,
                key=f"merge_deal_value_{iri}",
            )
            if st.form_submit_button("Merge") and into:
                write(cache.correct, location, agent, "merge-deals", iri, [], into=into)
        with split.form(f"split_deal_{iri}"):
            stories = {s["article"]: s["headline"] or s["article"] for s in deal["sources"]}
            chosen_articles = st.multiselect(
                "Articles that report another deal",
                list(stories),
                format_func=stories.get,
                key=f"split_deal_articles_{iri}",
            )
            if st.form_submit_button("Split"):
                write(
                    cache.correct, location, agent, "split-deal", iri, [], articles=chosen_articles
                )
        with delete.form(f"delete_deal_{iri}"):
            note = st.text_input("Why", key=f"delete_deal_note_{iri}")
            if st.form_submit_button("Delete this deal"):
                write(cache.correct, location, agent, "delete-deal", iri, [], note=note or None)


ROLE_FORMS = (
    ("set-parties", "parties", "Parties"),
    ("set-payers", "payers", "Payers"),
    ("set-payees", "payees", "Payees"),
    ("set-critics", "criticised_by", "Critics"),
)
