"""The policygraph dashboard: ``streamlit run dashboard/app.py -- --store data/store``.

This script only builds the navigation. ``streamlit run`` puts this folder on ``sys.path``, so
the pages import the cache layer as ``import cache``.
"""

import streamlit as st

st.set_page_config(page_title="policygraph", layout="wide")
st.navigation(
    [
        st.Page("screens/network.py", title="Network", default=True),
        st.Page("screens/deals.py", title="Deals"),
        st.Page("screens/map.py", title="Map"),
        st.Page("screens/actor.py", title="Actor"),
        st.Page("screens/sparql.py", title="SPARQL"),
        st.Page("screens/ingest.py", title="Ingest"),
        st.Page("screens/curation.py", title="Curation"),
    ]
).run()
