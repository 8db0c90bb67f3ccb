"""The policygraph ontology as data: ``policy.ttl``, ``shapes.ttl``, stored queries, checks and
examples. Installed as the package ``graph.ontology`` so a built wheel carries it."""
