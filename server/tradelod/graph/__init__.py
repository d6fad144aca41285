"""The graph: from source files to a published release.

Finding and parsing the sources (ontology, shapes, data), SHACL validation, the build with its dumps,
VoID + DCAT description and ontology documentation, the release switch, and the namespace table every
other room uses. It is the lowest room of data: it may import ``tradelod.config`` and libraries, never
the store, the endpoint or the web layer.
"""
