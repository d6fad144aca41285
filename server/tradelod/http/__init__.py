"""HTTP pieces that both the SPARQL endpoint and the Linked Data pages stand on.

Content negotiation (one pure, table-driven function and the format tables), the error types with
the one place that turns them into responses, the security headers every answer carries (``security``)
and the client's address behind trusted proxies (``clients``). It may import only ``tradelod.config``, Flask and
Werkzeug: nothing of the graph, the store, the endpoint or the pages.
"""
