"""Network page: who pays whom, who criticises which deal, who said what, and its analyses."""

import streamlit as st
from streamlit_cytoscape import EdgeStyle, Event, NodeStyle, streamlit_cytoscape

from graph import view
from graph.model import ACTOR_TYPES, STATUSES
from graph.network import EDGE_KINDS

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header("Actor network")
whole = widgets.load(cache.network, location, version)
deals = widgets.load(cache.deals, location, version)
if not whole.number_of_nodes():
    st.info("The store holds no actors yet: ingest articles with `policygraph ingest`.")
    st.stop()
names = view.node_names(whole)

analysis = st.radio("Show", view.ANALYSES, horizontal=True, key="network_analysis")
with st.expander("Filters: links, status, types, actor, search, dates, size, layout"):
    one, two, three = st.columns(3)
    kinds = one.multiselect(
        "Links",
        EDGE_KINDS,
        default=view.DEFAULT_KINDS,
        format_func=view.KIND_LABELS.get,
        key="network_kinds",
    )
    statuses = two.multiselect("Deal status", STATUSES, default=STATUSES, key="network_status")
    types = three.multiselect(
        "Actor types",
        ACTOR_TYPES,
        format_func=lambda t: view.readable(t).capitalize(),
        placeholder="Every type",
        key="network_types",
    )
    one, two, three = st.columns(3)
    actor = widgets.pick("Actor", names, "network_actor", "Any actor", where=one)
    search = two.text_input("Search names, deals and evidence", key="network_search")
    since, until = widgets.date_filter(
        three, "Sources dated", cache.date_span(location, version), key="network_dates"
    )
    one, two, three = st.columns(3)
    top = one.number_input(
        "Most linked actors to draw",
        min_value=2,
        max_value=max(2, whole.number_of_nodes()),
        value=min(view.TOP_ACTORS, max(2, whole.number_of_nodes())),
        step=10,
        key="network_top",
    )
    layout = two.radio(
        "Layout",
        list(view.LAYOUTS),
        format_func=view.LAYOUTS.get,
        horizontal=True,
        key="network_layout",
    )
    collapse = three.checkbox("Fold regions into their country", key="network_collapse")
    isolated = three.checkbox("Show unlinked actors", value=False, key="network_isolated")

chosen = view.NetworkFilter(
    kinds=tuple(kinds),
    statuses=tuple(statuses),
    types=tuple(types),
    actor=actor,
    since=since,
    until=until,
    search=search,
    top=int(top),
    collapse=collapse,
    isolated=isolated,
)
selected = cache.selection(location, version, chosen)
pool = view.node_names(whole, within=selected.nodes)

focus = cache.WHOLE
if analysis == "Shortest path":
    left, right = st.columns(2)
    start = widgets.pick("From", pool, "network_from", where=left)
    end = widgets.pick("To", pool, "network_to", where=right)
    focus = (analysis, start, end, 1)
    chain = view.path_names(selected, start, end)
    if start and end:
        if chain:
            st.markdown("**Path**: " + view.md_escape(" → ".join(chain)))
        else:
            st.warning("No path links these two actors in the links shown.")
elif analysis == "Ego network":
    left, right = st.columns([3, 1])
    centre = widgets.pick("Around", pool, "network_ego", where=left)
    radius = right.slider("Links away", 1, 3, 1, key="network_radius")
    focus = (analysis, centre, None, radius)

if analysis == "Centrality":
    st.subheader("Centrality in the links shown")
    st.dataframe(
        cache.centrality(location, version, chosen),
        hide_index=True,
        width="stretch",
        column_config={"page": st.column_config.LinkColumn("page", display_text="open")},
    )
    st.stop()

elements = cache.elements(location, version, chosen, focus, layout)
choices = cache.choices(location, version, chosen, focus, layout)
drawn = cache.drawn(location, version, chosen, focus)
st.caption(view.size_note(drawn, whole))
if view.edge_count(drawn) > len(elements["edges"]):
    st.caption(
        f"The canvas draws the {len(elements['edges']):,} heaviest of "
        f"{view.edge_count(drawn):,} edges (payments first); narrow the filters to see the "
        "rest; the payments table below lists every payment."
    )
if len(elements["edges"]) > view.CAPTION_LIMIT:
    st.caption("Edge labels are hidden at this size: click an edge for its deal.")
event = streamlit_cytoscape(
    elements,
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
st.dataframe(view.pays_rows(drawn, deals, statuses), hide_index=True, width="stretch")

clicked = view.tapped(event, st.session_state.get("network_seen"))
if clicked is not None:
    st.session_state["network_seen"] = event["timestamp"]
    if clicked in choices:
        st.session_state["network_pick"] = clicked
if st.session_state.get("network_pick") not in choices:
    st.session_state.pop("network_pick", None)
picked = widgets.pick(
    "Details of", choices, "network_pick", "Click an actor or a link in the graph, or pick one here"
)

record = cache.detail(location, version, chosen, focus, picked)
if record and record["kind"] == "links":
    st.subheader(view.md_escape(record["title"]))
    st.dataframe(record["links"], hide_index=True, width="stretch", column_order=view.LINK_COLUMNS)
    links = {row["element"]: row["deal"] for row in record["links"]}
    one_link = widgets.pick("Deal", links, "network_link", "Pick one of these deals")
    record = cache.detail(location, version, chosen, focus, one_link)
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
        st.markdown(f"[Everything about this actor]({view.actor_link(record['iri'])})")
        st.markdown("**Deals**")
        st.dataframe(record["deals"], hide_index=True, width="stretch")
        if record["statements"]:
            st.markdown("**Statements**")
            st.dataframe(record["statements"], hide_index=True, width="stretch")
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
