"""The public SPARQL endpoint: protocol, query check, query processes, sandbox, result writers.

``endpoint`` is the /sparql blueprint (the W3C SPARQL 1.1 Protocol and the query page); queries are
checked (``query_check``), run in isolated ``query_process``es by ``query_runner`` under ``sandbox``
limits, and written by ``results``; ``admission`` decides who may run a query now (budgets, queue,
lanes), ``memory`` sizes the query processes' caps, ``nesting`` refuses deep queries at once;
``service_description`` and ``example_queries`` describe the service.
It may import ``store``, ``graph``, ``http`` and ``config``; never ``web``.
"""
