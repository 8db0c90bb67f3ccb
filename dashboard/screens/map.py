"""Map page: payer → payee arcs between places on a world map drawn offline, with their table."""

import pandas as pd
import streamlit as st

from graph import geo, view
from graph.model import STATUSES

import cache  # dashboard/cache.py, the cache layer (dashboard/ is on sys.path)
import widgets  # dashboard/widgets.py, blocks the pages share

location, version = widgets.store_header("Map")
deals = widgets.load(cache.deals, location, version)

statuses = st.multiselect("Status", STATUSES, default=STATUSES, key="map_status")
chosen = tuple(s for s in STATUSES if s in statuses)
arcs = cache.map_arcs(location, version, chosen)
spec = cache.map_spec(location, version, chosen)

rows = geo.arc_rows(arcs)
unplaced = geo.unplaced_rows(arcs)
st.vega_lite_chart(spec, width="stretch", key="map_chart")
st.caption(
    "Arrowheads point at the payee. Colour: the status most of an arc's deals have; width: "
    "how many deals. Dashed arcs and diamonds: a stand-in for an actor without a point of its "
    "own (a region at its country's centre, a supranational body at its seat). Hover for the "
    "deals."
)
drawn = "all" if len(rows) <= geo.MAX_ARCS else f"the {geo.MAX_ARCS} with the most deals"
st.caption(
    f"{view.counted(len(deals), 'deal')} in the store. "
    f"{view.counted(len(rows), 'payer → payee link')} between places, "
    f"{drawn} drawn; {len(unplaced)} not placed (listed below)."
)

st.subheader("Payer → payee")
st.dataframe(pd.DataFrame(rows, columns=geo.ARC_COLUMNS), hide_index=True, width="stretch")

st.subheader("Not on the map")
if unplaced:
    st.dataframe(unplaced, hide_index=True, width="stretch")
else:
    st.caption("Every payer and payee of these deals has a place on the map.")
