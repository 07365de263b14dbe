"""Cyber-diplomacy knowledge graph: documents -> mentions -> claims -> RDF with provenance."""

__version__ = "0.1.0"
