"""Fact rules, one module per family, registered in one list."""
