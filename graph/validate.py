"""SHACL validation of every graph before it is written (``ontology/shapes.ttl``)."""

from __future__ import annotations

from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph
from rdflib.namespace import SH

from graph.errors import ValidationError
from graph.queries import ONTOLOGY_DIR


@cache
def shapes() -> Graph:
    """The SHACL shapes graph, parsed once."""
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def violations(graph: Graph) -> list[str]:
    """Each violation of ``graph`` as one readable line: the node, the shape, the message."""
    conforms, report, _ = shacl_validate(
        graph, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage) or "constraint violated"
        where = f" {path.n3(graph.namespace_manager)}" if path is not None else ""
        shape_name = shape.n3(graph.namespace_manager) if shape is not None else "?"
        lines.append(f"{focus}{where}: {message} (shape {shape_name})")
    return sorted(set(lines))


def check(graph: Graph, source: str) -> None:
    """Raise ``ValidationError``, one line naming the node and the rule, if a shape is broken."""
    found = violations(graph)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ValidationError(f"{source}: SHACL violation: {found[0]}{more}")
