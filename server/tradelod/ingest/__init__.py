"""Ingest: from a French article to a draft in tradelod's ontology, for a person to review.

``register`` copies the text under data/articles/ and writes the draft; ``draft`` assembles it from
``sentences`` (quotable sentences and their offsets), ``figures`` with ``numbers``, ``units`` and
``dates`` (the rules for figures, qualifiers and periods), ``entities`` with ``gazetteer`` (the graph's
entities by label) and ``language`` (spaCy's French pipeline), and ``vocabulary`` (periods, units,
qualifiers, variables); ``turtle`` writes it; ``quote`` finds a sentence's offsets. It may import
``tradelod.graph`` and ``tradelod.config`` only: never the store, HTTP, the endpoint or the web layer.
"""
