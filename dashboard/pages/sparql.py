"""SPARQL page: run the example queries, or your own, read-only."""

import data  # dashboard/data.py, the cache layer (dashboard/ is on sys.path)
import pandas as pd
import streamlit as st

from graph import view
from graph.errors import PolicyGraphError

st.title("SPARQL")
location = data.store_location()
version = data.store_version(location)
st.caption(f"Store: {view.md_escape(location)} (read-only: updates are refused)")

examples = {query.name: query for query in data.queries()}
name = st.selectbox("Example query", list(examples), key="sparql_example")
example = examples[name]
st.caption(view.md_escape(example.purpose))
text = st.text_area("Query", value=example.text, height=280, key=f"sparql_text_{name}")
st.caption(
    f"Predeclared prefixes: {view.md_escape(view.prefix_note())}. "
    f"At most {view.ROW_LIMIT:,} rows are shown; the CSV download has every row."
)
if st.button("Run", type="primary"):
    st.session_state["sparql_ran"] = text

ran = st.session_state.get("sparql_ran")
if ran:
    try:
        table = data.run_query(location, version, ran)
    except PolicyGraphError as error:
        st.error(str(error))
    else:
        columns, rows, total = view.table_rows(table, view.ROW_LIMIT)
        st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch")
        st.caption(f"{min(total, view.ROW_LIMIT):,} of {total:,} rows shown")
        st.download_button(
            "Download CSV", view.table_csv(table), "results.csv", "text/csv", on_click="ignore"
        )
