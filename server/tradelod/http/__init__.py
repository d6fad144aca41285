"""HTTP pieces that both the SPARQL endpoint and the Linked Data pages stand on.

Content negotiation (one pure, table-driven function and the format tables) and the error types with
the one place that turns them into responses. It may import only ``tradelod.config``, Flask and
Werkzeug: nothing of the graph, the store, the endpoint or the pages.
"""
