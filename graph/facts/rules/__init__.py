"""Fact rules: small named units, one module per family, registered in one list.

Each rule is a function ``(ctx, sentence) -> None`` that reads one sentence's mentions (and
the document context ``ctx``, :class:`~cdkg.graph.facts.context.Context`) and records facts
with ``ctx.add``. The :func:`rule` decorator registers it under a name, which every fact it
states carries (``cdo:rule`` in the graph), as pySHACL registers its constraint components.
Families run in the order of :data:`FAMILIES`: actors and roles first (later rules use the
heads they find), then instruments, events, statements and memberships.

Trigger words and patterns live in ``data/patterns/relations.json`` and ``mentions.json``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

__all__ = ["Rule", "rule", "registry", "FAMILIES"]

FAMILIES = ("actors", "instruments", "events", "statements", "membership")


@dataclass(frozen=True)
class Rule:
    """A registered rule: its name, family, function and the example of its docstring."""

    name: str
    family: str
    func: Callable

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


_RULES: list[Rule] = []


def rule(name: str):
    """Register the decorated function as the rule ``name`` of the module's family."""
    def register(func):
        family = func.__module__.rsplit(".", 1)[-1]
        if any(r.name == name for r in _RULES):
            raise ValueError(f"rule {name!r} registered twice")
        _RULES.append(Rule(name, family, func))
        return func
    return register


def registry() -> list[Rule]:
    """Every rule, family by family in the order of :data:`FAMILIES`.

    >>> [r.family for r in registry()][:1]
    ['actors']
    >>> all(r.doc for r in registry())
    True
    """
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")
    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(_RULES, key=lambda r: order[r.family])
