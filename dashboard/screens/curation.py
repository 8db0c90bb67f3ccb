"""Curation page: the probable merges to accept or reject, every correction with undo, a deal
the extractor missed, and the change log."""

import datetime as dt

import pandas as pd
import streamlit as st

from graph import view
from graph.model import STATUSES

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header(
    "Curation", " · every correction is kept and can be undone"
)
agent = widgets.agent()
widgets.flash()

st.subheader("Probable merges")
proposals = widgets.load(cache.proposals, location, version)
if not proposals:
    st.caption("None: every actor whose name matches another after normalisation is one already.")
for index, proposal in enumerate(proposals):
    left, middle, right = st.columns([4, 1, 1])
    left.markdown(
        f"**{view.md_escape(proposal['actor_label'])}** and "
        f"**{view.md_escape(proposal['into_label'])}**: {view.md_escape(proposal['reason'])}"
    )
    if middle.button("Merge", key=f"proposal_merge_{index}"):
        widgets.write(
            cache.correct, location, agent, "merge-actors", proposal["actor"], [],
            into=proposal["into"],
        )  # fmt: skip
    if right.button("Keep apart", key=f"proposal_apart_{index}"):
        widgets.write(
            cache.correct, location, agent, "keep-apart", proposal["actor"], [],
            into=proposal["into"],
        )  # fmt: skip

st.subheader("Corrections")
rows = widgets.load(cache.corrections, location, version)
if rows:
    st.dataframe(
        pd.DataFrame(rows, columns=view.CORRECTION_COLUMNS),
        hide_index=True,
        width="stretch",
    )
    left, right = st.columns([4, 1])
    chosen = widgets.pick(
        "Correction to undo", view.undoable(rows), "curation_undo_pick", where=left
    )
    right.write("")
    if right.button("Undo", key="curation_undo", disabled=chosen is None) and chosen:
        widgets.write(cache.undo, location, agent, chosen)
else:
    st.caption("No corrections yet: the Actor and Deals pages have a Correct… form.")

st.subheader("Add a deal the extractor missed")
actors = widgets.load(cache.actors, location, version)
articles = widgets.load(cache.articles, location, version)
names = view.actor_names(actors)
stories = {row["article"]: row["headline"] for row in articles}
story = widgets.pick("Article", stories, "add_deal_article", "Pick the article that reports it")
if story:
    sentences = widgets.load(cache.article_sentences, location, version, story)
    with st.form("add_deal"):
        sentence = st.selectbox(
            "Evidence sentence",
            list(view.sentence_choices(sentences)),
            format_func=view.sentence_choices(sentences).get,
            key="add_deal_sentence",
        )
        parties = st.multiselect(
            "Parties", list(names), format_func=names.get, key="add_deal_parties"
        )
        left, middle, right = st.columns(3)
        payers = left.multiselect(
            "Payers", list(names), format_func=names.get, key="add_deal_payers"
        )
        payees = middle.multiselect(
            "Payees", list(names), format_func=names.get, key="add_deal_payees"
        )
        status = right.selectbox("Status", STATUSES, key="add_deal_status")
        note = st.text_input("Why (kept with the correction)", key="add_deal_note")
        if st.form_submit_button("Add deal", type="primary"):
            widgets.write(
                cache.correct, location, agent, "add-deal", parties[0] if parties else "",
                parties[1:], articles=[story], sentence=sentence, payers=payers,
                payees=payees, status=status, note=note or None,
            )  # fmt: skip

st.subheader("Change log")
since_day = st.date_input("Changed since", value=None, key="curation_since")
since = since_day.isoformat() if isinstance(since_day, dt.date) else None
log = widgets.load(cache.changes, location, version, since)
st.dataframe(
    pd.DataFrame(
        view.change_rows(log), columns=["time", "kind", "graph", "added", "removed", "agent"]
    ),
    hide_index=True,
    width="stretch",
)
st.caption(view.counted(len(log), "change"))
