"""policygraph: news articles about government deals, as a knowledge graph."""

import logging

# rdflib logs a traceback for every ill-typed literal it meets ("abc"^^xsd:integer), which an
# update or another tool may have stored; such a literal is kept as written and SHACL says
# what is wrong with it, so the traceback is only noise on the user's terminal
logging.getLogger("rdflib.term").setLevel(logging.ERROR)
