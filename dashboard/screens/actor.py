"""Actor page: everything known about one actor. Other pages link here with ``?actor=KEY``."""

import streamlit as st

from graph import view
from graph.vocab import actor_key

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header("Actor")
agent = widgets.agent()
widgets.flash()
actors = widgets.load(cache.actors, location, version)
if not actors:
    st.info("The store holds no actors yet: ingest articles with `policygraph ingest`.")
    st.stop()

names = view.actor_names(actors)
asked = st.query_params.get("actor")
found = view.find_actor(actors, asked)
if asked and not found:
    st.warning(f"No actor {view.md_escape(asked)} in the store: pick one below.")
iri = widgets.pick(
    "Actor",
    names,
    f"actor_pick_{found}",
    "Pick an actor",
    index=list(names).index(found) if found else None,
)
if not iri:
    st.stop()
if iri != found:
    st.query_params["actor"] = actor_key(iri)

record = cache.actor_page(location, version, iri)
if record is None:
    st.stop()
st.subheader(view.md_escape(record["title"]))
for name, value in record["facts"].items():
    if value:
        st.markdown(f"**{name}**: {view.md_escape(value)}")
if record["wikidata"]:
    st.link_button("Wikidata", record["wikidata"])
widgets.correct_actor(location, version, agent, actors[iri], names)

link = {"page": st.column_config.LinkColumn("page", display_text="open")}
st.markdown(f"**Deals** ({len(record['deals'])})")
st.dataframe(record["deals"], hide_index=True, width="stretch")
left, right = st.columns(2)
left.markdown(f"**Pays** ({len(record['pays'])})")
left.dataframe(record["pays"], hide_index=True, width="stretch", column_config=link)
right.markdown(f"**Paid by** ({len(record['paid_by'])})")
right.dataframe(record["paid_by"], hide_index=True, width="stretch", column_config=link)
st.markdown(f"**Statements** ({len(record['statements'])})")
st.dataframe(record["statements"], hide_index=True, width="stretch")
st.markdown(f"**Articles that mention it** ({len(record['articles'])})")
st.dataframe(
    record["articles"],
    hide_index=True,
    width="stretch",
    column_config={"url": st.column_config.LinkColumn("url")},
)
