"""Network page: who pays whom, who criticises which deal, who said what."""

import data  # dashboard/data.py, the cache layer (dashboard/ is on sys.path)
import streamlit as st
from streamlit_cytoscape import EdgeStyle, Event, NodeStyle, streamlit_cytoscape

from graph import view
from graph.errors import PolicyGraphError
from graph.model import STATUSES
from graph.network import EDGE_KINDS

st.title("Actor network")
location = data.store_location()
version = data.store_version(location)
try:
    deals = data.deals(location, version)
    elements = data.elements(location, version)
    choices = data.choices(location, version)
except PolicyGraphError as error:
    st.error(str(error))
    st.stop()
st.caption(f"Store: {view.md_escape(location)}")
if not elements["nodes"]:
    st.info("The store holds no actors yet: ingest articles with `policygraph ingest`.")
    st.stop()

left, middle, right = st.columns([2, 2, 1])
kinds = left.multiselect(
    "Links", EDGE_KINDS, default=view.DEFAULT_KINDS, format_func=view.KIND_LABELS.get
)
statuses = middle.multiselect("Deal status", STATUSES, default=STATUSES)
isolated = right.checkbox("Show unlinked actors", value=False)

shown = view.filter_elements(elements, kinds, statuses, isolated)
event = streamlit_cytoscape(
    shown,
    layout=view.PRESET_LAYOUT,
    node_styles=[NodeStyle(**style) for style in view.node_styles()],
    edge_styles=[EdgeStyle(**style) for style in view.edge_styles()],
    height=560,
    key="network_canvas",
    events=[Event("pick", "tap", "node, edge")],
)
legend = view.legend()
st.caption(f"Actors — {legend['nodes']}")
st.caption(f"Links — {legend['edges']}")

st.subheader("Who pays whom")
st.dataframe(
    view.pays_rows(data.network(location, version), deals, statuses),
    hide_index=True,
    width="stretch",
)

clicked = view.tapped(event, st.session_state.get("network_seen"))
if clicked is not None:
    st.session_state["network_seen"] = event["timestamp"]
    if clicked in choices:
        st.session_state["network_pick"] = clicked
picked = st.selectbox(
    "Details of",
    list(choices),
    index=None,
    format_func=choices.get,
    placeholder="Click an actor or a link in the graph, or pick one here",
    key="network_pick",
)

record = data.detail(location, version, picked)
if record:
    st.subheader(view.md_escape(record["title"]))
    if record.get("link"):
        st.text(record["link"])
    for name, value in record["facts"].items():
        if value:
            st.markdown(f"**{name}**: {view.md_escape(value)}")
    if record.get("wikidata"):
        st.link_button("Wikidata", record["wikidata"])
    if record["kind"] == "actor":
        st.markdown("**Deals**")
        st.dataframe(record["deals"], hide_index=True, width="stretch")
    else:
        st.markdown("**Evidence**")
        for source in record["evidence"]:
            with st.container(border=True):
                st.text(source["sentence"])
                st.caption(view.md_escape(source["cite"]))
                if source["url"]:
                    st.link_button("Article", source["url"])
    if record.get("history"):
        st.markdown("**Status history**")
        st.dataframe(record["history"], hide_index=True, width="stretch")
