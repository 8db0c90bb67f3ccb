"""Deals page: every deal as one row, filtered by status and actor, with its evidence."""

import data  # dashboard/data.py, the cache layer (dashboard/ is on sys.path)
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
left, right = st.columns(2)
statuses = left.multiselect("Status", STATUSES, default=STATUSES, key="deals_status")
actor = right.selectbox(
    "Actor",
    list(actors),
    index=None,
    format_func=actors.get,
    placeholder="Any actor",
    key="deals_actor",
)
chosen = view.filter_deals(deals, statuses, actor)

st.dataframe(
    view.deal_rows(chosen),
    hide_index=True,
    width="stretch",
    column_order=view.DEAL_COLUMNS[:-1],
)
st.caption(f"{len(chosen)} of {len(deals)} deals")
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
    record = view.deal_detail(by_iri[picked])
    st.subheader(view.md_escape(record["title"]))
    for name, value in record["facts"].items():
        st.markdown(f"**{name}**: {view.md_escape(value)}")
    st.markdown("**Evidence**")
    st.dataframe(
        record["evidence"],
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.LinkColumn("url")},
    )
    st.markdown("**Status history**")
    st.dataframe(record["history"], hide_index=True, width="stretch")
