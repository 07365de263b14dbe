"""Fact rules: small named units, one module per family, registered in one list.

Each rule is a function ``(ctx, sentence) -> None`` that reads one sentence's mentions (and
the document context ``ctx``, :class:`~cdkg.graph.facts.context.Context`) and records facts
with ``ctx.add``. The :func:`rule` decorator registers it under a name, which every fact it
states carries (``cdo:rule`` in the graph), as pySHACL registers its constraint components.
Families run in the order of :data:`FAMILIES`: actors and roles first (later rules use the
heads they find), then instruments, events, statements and memberships, then entries into force, offices and stances (which may withdraw a
positive fact that a refusal negates).

Trigger words and patterns live in ``data/patterns/relations.json`` and ``mentions.json``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

__all__ = ["Rule", "rule", "registry", "FAMILIES"]

FAMILIES = ("actors", "instruments", "events", "statements", "membership", "treaty_acts", "offices", "stances")


@dataclass(frozen=True)
class Rule:
    """A registered rule: its name, family, function and the example of its docstring.

    A rule of ``scope`` "sentence" runs on every sentence; one of scope "document" runs once,
    after the sentence rules of its family, on the facts found so far (``sentence`` is None).
    """

    name: str
    family: str
    func: Callable
    scope: str = "sentence"

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


_RULES: list[Rule] = []


def rule(name: str, scope: str = "sentence"):
    """Register the decorated function as the rule ``name`` of the module's family."""
    def register(func):
        family = func.__module__.rsplit(".", 1)[-1]
        for i, r in enumerate(_RULES):
            if r.name == name:
                if (r.family, r.func.__qualname__) != (family, func.__qualname__):
                    raise ValueError(f"rule {name!r} registered twice ({r.family}.{r.func.__qualname__}, "
                                     f"{family}.{func.__qualname__})")
                _RULES[i] = Rule(name, family, func, scope)  # the same module imported again (doctest collection)
                return func
        _RULES.append(Rule(name, family, func, scope))
        return func
    return register


def registry() -> list[Rule]:
    """Every rule, family by family in the order of :data:`FAMILIES`.

    >>> from cdkg.graph.facts.rules import registry
    >>> [r.family for r in registry()][:1]
    ['actors']
    >>> all(r.doc for r in registry())
    True
    """
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")
    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(_RULES, key=lambda r: (order[r.family], r.scope == "document"))
