"""Ingest page: paste or upload articles, review what they would add, then commit or discard."""

import pandas as pd
import streamlit as st

from graph import view
from graph.errors import PolicyGraphError
from graph.model import ACTOR_TYPES, STATUSES
from graph.review import actor_fixes, deal_fixes

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, _ = widgets.store_header("Ingest", " · nothing is written until you press Commit")
state = st.session_state

with st.form("ingest_form"):
    text = st.text_area(
        "Article text",
        height=220,
        key="ingest_text",
        placeholder="The headline on the first line, then the article, one paragraph a line",
    )
    uploads = st.file_uploader(
        "Or upload article files (.txt)",
        type=["txt"],
        accept_multiple_files=True,
        key="ingest_files",
    )
    left, middle, right = st.columns(3)
    date = left.text_input("Date (YYYY-MM-DD)", key="ingest_date", placeholder="2024-11-18")
    url = middle.text_input("URL", key="ingest_url", placeholder="https://")
    outlet = right.text_input("Outlet", key="ingest_outlet")
    submitted = st.form_submit_button("Review", type="primary")

done = state.pop("ingest_done", None)
if submitted:
    files = [(upload.name, upload.getvalue()) for upload in uploads or []]
    state.pop("ingest_reviews", None)
    try:
        with st.spinner("Reading with the language model…"):
            state["ingest_reviews"] = cache.ingest_review(
                cache.ingest_model(), text, files, date, url, outlet
            )
    except PolicyGraphError as error:
        st.error(view.md_escape(error))
elif done:
    st.success(done)

reviews = state.get("ingest_reviews")
if reviews:
    blocked = any(review["violations"] for review in reviews)
    for review in reviews:
        with st.container(border=True):
            st.subheader(view.md_escape(review["headline"]))
            st.caption(view.md_escape(review["source"]))
            for column, (name, count) in zip(
                st.columns(len(review["counts"])), review["counts"].items(), strict=True
            ):
                column.metric(name.capitalize(), count)
            for line in review["violations"]:
                st.error(view.md_escape(line))
            st.html(review["html"])  # every piece of article text in it is escaped
            st.dataframe(
                pd.DataFrame(review["triples"], columns=["subject", "predicate", "object"]),
                hide_index=True,
                width="stretch",
            )
    if blocked:
        st.warning("Commit is off: the SHACL violations above must be fixed first.")
    fixes = state.setdefault("ingest_fixes", [])
    actors, deals = cache.ingest_fix_targets(reviews)
    with st.expander(f"Fix before committing ({len(fixes)} queued)"):
        with st.form("ingest_fix_deal"):
            deal = st.selectbox("Deal", list(deals), format_func=deals.get, key="fix_deal")
            status = st.selectbox("Status", ["", *STATUSES], key="fix_status")
            payers = st.multiselect(
                "Payers", list(actors), format_func=actors.get, key="fix_payers"
            )
            payees = st.multiselect(
                "Payees", list(actors), format_func=actors.get, key="fix_payees"
            )
            delete = st.checkbox("Delete this deal", key="fix_delete_deal")
            if st.form_submit_button("Queue deal fix") and deal:
                fixes += deal_fixes(deal, status, payers, payees, delete)
                st.rerun()
        with st.form("ingest_fix_actor"):
            actor = st.selectbox("Actor", list(actors), format_func=actors.get, key="fix_actor")
            name = st.text_input("Rename to", key="fix_rename")
            kind = st.selectbox("Retype as", ["", *ACTOR_TYPES], key="fix_retype")
            delete = st.checkbox("Delete this actor", key="fix_delete_actor")
            if st.form_submit_button("Queue actor fix") and actor:
                fixes += actor_fixes(actor, name, kind, delete)
                st.rerun()
        for fix in fixes:
            st.text(view.fix_line(fix, {**actors, **deals}))
        if fixes and st.button("Clear the fixes", key="ingest_fix_clear"):
            fixes.clear()
            st.rerun()
    commit, discard = st.columns(2)
    if commit.button("Commit", type="primary", disabled=blocked, key="ingest_commit"):
        try:
            with st.spinner("Writing to the store…"):
                state["ingest_done"] = cache.ingest_commit(location, reviews, fixes)
                state.pop("ingest_fixes", None)
        except PolicyGraphError as error:
            st.error(view.md_escape(error))
        else:
            del state["ingest_reviews"]
            st.rerun()
    if discard.button("Discard", key="ingest_discard"):
        del state["ingest_reviews"]
        state.pop("ingest_fixes", None)
        state["ingest_done"] = "Discarded: nothing was written."
        st.rerun()
