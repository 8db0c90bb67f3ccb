"""SPARQL page: run the example queries, or your own, read-only, with a timeout."""

import pandas as pd
import streamlit as st
from streamlit_cytoscape import EdgeStyle, NodeStyle, streamlit_cytoscape

from graph import view
from graph.errors import PolicyGraphError

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header("SPARQL", " (read-only: updates are refused)")

examples = {query.name: query for query in cache.queries()}
name = st.selectbox(
    "Example query",
    list(examples),
    format_func=lambda key: f"{key}: {examples[key].purpose}",
    key="sparql_example",
)
example = examples[name]
text = st.text_area("Query", value=example.text, height=280, key=f"sparql_text_{name}")
st.caption(
    f"Predeclared prefixes: {view.md_escape(view.prefix_note())}. "
    f"A query is stopped after {view.QUERY_TIMEOUT:g} s. The table shows at most "
    f"{view.ROW_LIMIT:,} rows; the downloads hold up to {cache.FETCH_LIMIT:,}."
)
if st.button("Run", type="primary"):
    st.session_state["sparql_ran"] = text

ran = st.session_state.get("sparql_ran")
if ran:
    try:
        result = cache.run_query(location, version, ran)
    except PolicyGraphError as error:
        st.session_state.pop("sparql_ran")  # shown once: a failed query is not run again
        st.error(str(error))
        if error.detail:  # a syntax error's line, with a caret under the place
            st.code(error.detail, language=None)
        st.stop()
    table = result.table
    if hint := view.graph_hint(ran, table):
        st.info(hint)
    columns, rows, total = view.table_rows(table, view.ROW_LIMIT)
    pairs = view.iri_columns(table)
    shape = "Table"
    if len(pairs) >= 2:
        shape = st.radio("Show as", ["Table", "Graph"], horizontal=True, key="sparql_shape")
    if shape == "Graph":
        left, right = st.columns(2)
        source = left.selectbox("From column", pairs, index=0, key="sparql_source")
        target = right.selectbox("To column", pairs, index=1, key="sparql_target")
        streamlit_cytoscape(
            cache.result_elements(location, version, ran, source, target),
            layout=view.PRESET_LAYOUT,
            node_styles=[NodeStyle(**style) for style in view.node_styles()],
            edge_styles=[EdgeStyle(**style) for style in view.edge_styles()],
            height=520,
            key="sparql_canvas",
        )
        st.caption(f"At most {view.GRAPH_LIMIT:,} distinct pairs are drawn.")
    else:
        st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch")
    st.caption(
        f"{len(rows):,} of {result.total:,} rows shown"
        + (f"; the downloads hold the first {len(table.rows):,}" if result.truncated else "")
    )
    widgets.downloads(
        lambda: view.table_csv(table),
        lambda: view.table_json(table),
        "results",
        "application/sparql-results+json",
    )
