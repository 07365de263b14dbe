"""Keeping and serving the graph: the one :class:`Store` every room reads through, inference, the
build that ingests documents, links to external datasets, the SPARQL endpoint and remote servers."""
