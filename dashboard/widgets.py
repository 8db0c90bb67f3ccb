"""Widget blocks that several pages share: the store header, a date-range filter, downloads.

Like the pages, this holds only widgets; what they show comes from ``graph.view``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st

from graph import view
from graph.errors import PolicyGraphError

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
