"""The Linked Data web layer: dereferenceable IRIs, negotiated documents and the human pages.

Resources (303s and documents), resource description, entity and class pages and their rendering,
the home page's picture, downloads and the dataset description, with the templates and static files
of the whole site. It may import ``store``, ``graph``, ``http`` and ``config``; never ``sparql``.
"""
