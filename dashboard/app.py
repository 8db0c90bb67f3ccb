"""The policygraph dashboard: ``streamlit run dashboard/app.py -- --store data/store``.

This script only builds the navigation. ``streamlit run`` puts this folder on ``sys.path``, so
the pages import the cache layer as ``import data``.
"""

import streamlit as st

st.set_page_config(page_title="policygraph", layout="wide")
st.navigation(
    [
        st.Page("pages/network.py", title="Network", default=True),
        st.Page("pages/deals.py", title="Deals"),
        st.Page("pages/map.py", title="Map"),
        st.Page("pages/actor.py", title="Actor"),
        st.Page("pages/sparql.py", title="SPARQL"),
        st.Page("pages/ingest.py", title="Ingest"),
    ]
).run()
