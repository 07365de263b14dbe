"""From mentions to facts: document context and coreference, the fact rules (one module per family,
registered in :mod:`cdkg.graph.facts.rules`), entity resolution, provenance (facts -> triples and
claims) and evaluation against reference facts."""
