"""Deals page: the deal tracker, one row per deal, with each deal's history and evidence."""

import datetime as dt

import pandas as pd
import streamlit as st

from graph import view
from graph.model import STATUSES

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header("Deals")
agent = widgets.agent()
widgets.flash()
deals = widgets.load(cache.deals, location, version)

actors = view.deal_actors(deals)
left, middle, right = st.columns(3)
statuses = left.multiselect("Status", STATUSES, default=STATUSES, key="deals_status")
actor = widgets.pick("Actor", actors, "deals_actor", "Any actor", where=middle)
text = right.text_input("Search labels, actors, amounts and evidence", key="deals_search")
left, right = st.columns([2, 1])
since, until = widgets.date_filter(
    left, "Reported between", view.reported_span(deals), key="deals_dates"
)
paid_only = right.checkbox("Only deals with a payment", key="deals_paid")
changed_day = right.date_input("Changed since", value=None, key="deals_changed")
chosen = view.search_deals(view.filter_deals(deals, statuses, actor), text, since, until, paid_only)
if isinstance(changed_day, dt.date):
    changed = widgets.load(cache.changed_deals, location, version, changed_day.isoformat())
    chosen = [deal for deal in chosen if deal["iri"] in changed]

st.dataframe(
    pd.DataFrame(view.deal_rows(chosen), columns=view.DEAL_COLUMNS),
    hide_index=True,
    width="stretch",
    column_order=view.DEAL_COLUMNS[:-1],
)
st.caption(f"{len(chosen):,} of {view.counted(len(deals), 'deal')} · click a column header to sort")
widgets.downloads(lambda: view.deals_csv(chosen), lambda: view.deals_json(chosen), "deals")

by_iri = {deal["iri"]: deal for deal in chosen}
picked = widgets.pick(
    "Evidence for",
    {iri: deal["label"] for iri, deal in by_iri.items()},
    "deals_pick",
    "Pick a deal",
)
if picked:
    deal = by_iri[picked]
    record = view.deal_detail(deal)
    st.subheader(view.md_escape(record["title"]))
    for name, value in record["facts"].items():
        st.markdown(f"**{name}**: {view.md_escape(value)}")
    for party in deal["parties"]:
        st.markdown(f"[{view.md_escape(party['label'])}]({view.actor_link(party['iri'])})")
    actor_names = view.actor_names(widgets.load(cache.actors, location, version))
    widgets.correct_deal(location, agent, deal, actor_names, {d["iri"]: d["label"] for d in deals})
    st.markdown("**Status history**")
    st.vega_lite_chart(view.status_timeline(deal), width="stretch")
    st.dataframe(record["history"], hide_index=True, width="stretch")
    sources = view.sources_by_article(deal)
    st.markdown(f"**Evidence** from {view.counted(len(sources), 'source')}")
    for source in sources:
        with st.container(border=True):
            st.caption(view.md_escape(" · ".join(filter(None, (source["cite"], source["status"])))))
            for sentence in source["sentences"]:
                st.text(sentence)
            if source["url"]:
                st.link_button("Article", source["url"])
