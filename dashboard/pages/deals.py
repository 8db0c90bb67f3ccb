"""Deals page: the deal tracker, one row per deal, with each deal's history and evidence."""

import datetime as dt

import data  # dashboard/data.py, the cache layer (dashboard/ is on sys.path)
import pandas as pd
import streamlit as st

from graph import view
from graph.errors import PolicyGraphError
from graph.model import STATUSES

st.title("Deals")
location = data.store_location()
version = data.store_version(location)
try:
    deals = data.deals(location, version)
except PolicyGraphError as error:
    st.error(str(error))
    st.stop()
st.caption(f"Store: {view.md_escape(location)}")

actors = view.deal_actors(deals)
left, middle, right = st.columns(3)
statuses = left.multiselect("Status", STATUSES, default=STATUSES, key="deals_status")
actor = middle.selectbox(
    "Actor",
    list(actors),
    index=None,
    format_func=actors.get,
    placeholder="Any actor",
    key="deals_actor",
)
text = right.text_input("Search labels, actors, amounts and evidence", key="deals_search")
left, right = st.columns([2, 1])
since = until = None
span = view.reported_span(deals)
if span:
    first, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    dates = left.date_input(
        "Reported between",
        value=(first, last),
        min_value=first,
        max_value=last,
        key="deals_dates",
    )
    since, until = view.date_range(dates, span)
paid_only = right.checkbox("Only deals with a payment", key="deals_paid")
chosen = view.search_deals(view.filter_deals(deals, statuses, actor), text, since, until, paid_only)

st.dataframe(
    pd.DataFrame(view.deal_rows(chosen), columns=view.DEAL_COLUMNS),
    hide_index=True,
    width="stretch",
    column_order=view.DEAL_COLUMNS[:-1],
)
st.caption(f"{len(chosen)} of {len(deals)} deals · click a column header to sort")
one, two = st.columns(2)
one.download_button(
    "Download CSV", view.deals_csv(chosen), "deals.csv", "text/csv", on_click="ignore"
)
two.download_button(
    "Download JSON",
    view.deals_json(chosen),
    "deals.json",
    "application/json",
    on_click="ignore",
)

by_iri = {deal["iri"]: deal for deal in chosen}
picked = st.selectbox(
    "Evidence for",
    list(by_iri),
    index=None,
    format_func=lambda iri: by_iri[iri]["label"],
    placeholder="Pick a deal",
    key="deals_pick",
)
if picked:
    deal = by_iri[picked]
    record = view.deal_detail(deal)
    st.subheader(view.md_escape(record["title"]))
    for name, value in record["facts"].items():
        st.markdown(f"**{name}**: {view.md_escape(value)}")
    for party in deal["parties"]:
        st.markdown(f"[{view.md_escape(party['label'])}]({view.actor_link(party['iri'])})")
    st.markdown("**Status history**")
    st.vega_lite_chart(view.status_timeline(deal), width="stretch")
    st.dataframe(record["history"], hide_index=True, width="stretch")
    st.markdown(f"**Evidence** from {len(view.sources_by_article(deal))} sources")
    for source in view.sources_by_article(deal):
        with st.container(border=True):
            st.caption(view.md_escape(" · ".join(filter(None, (source["cite"], source["status"])))))
            for sentence in source["sentences"]:
                st.text(sentence)
            if source["url"]:
                st.link_button("Article", source["url"])
