"""A graph that parses each distinct SPARQL text once, for pySHACL's many repeated queries.

pySHACL asks the data graph the same SPARQL text once per focus node (a SHACL-SPARQL constraint, a
``sh:targetClass`` lookup), and rdflib parses and translates the text again on every call, about
20 ms each: minutes over the dataset. ``PreparedQueryGraph`` overrides ``Graph.query``, rdflib's
public query entry point, for its own instances only: a text seen before is answered from the
algebra prepared the first time (a bounded per-process memo) (``rdflib.plugins.sparql.prepareQuery``, rdflib's supported way to
prepare a query), with the caller's per-focus bindings unchanged. Nothing of rdflib is patched, so
other graphs and threads in the process are untouched.

It relies on pySHACL querying the very graph object it is given, which it does when validating in
place (``inplace=True``) with the ontology already mixed in by the caller; ``tests/graph`` checks
that the cache is used, so that a pySHACL release that copies the graph first fails a test rather
than silently taking minutes again.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result


@lru_cache(maxsize=1024)
def prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    """Parse and translate a query text once per process; the algebra is never changed by evaluation.

    Shared by every ``PreparedQueryGraph``, so that validating 100 test fixtures in one process parses
    each shape's query once, as validating the project does.
    """
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class PreparedQueryGraph(Graph):
    """An in-memory rdflib Graph whose ``query`` prepares each distinct SPARQL text once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared_queries = 0  # SPARQL texts answered from their prepared algebra

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Run a query; a SPARQL text is parsed and translated only the first time it is seen."""
        if isinstance(query_object, str) and processor == "sparql":
            namespaces = initNs or dict(self.namespaces())
            pairs = tuple(sorted((str(k), v) for k, v in namespaces.items()))
            query_object = prepared(query_object, kwargs.get("base"), pairs)
            self.prepared_queries += 1
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )
