"""Subcommands of this area (filled in as the area is built)."""


def register(subparsers) -> None:
    """Add this area's subcommands to ``cdkg``."""
