"""Where a published release is queried: the Store protocol and one module per backend.

``protocol`` says what the server needs from a store, ``embedded`` is the Oxigraph database of a
release, and ``current`` picks the store of the release that is current for the running app. It may
import ``tradelod.graph``, ``tradelod.http`` and ``tradelod.config``; never ``sparql`` or ``web``.
"""
