"""Modules imported on first use, so that ``cdkg --help`` does not load rdflib, networkx or pyoxigraph.

`lazy` returns a module object whose code runs when one of its attributes is first read
(`importlib.util.LazyLoader`); a module already imported is returned as it is.

>>> json_module = lazy("json")
>>> json_module.dumps([1])
'[1]'
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

__all__ = ["lazy"]


def lazy(name: str) -> ModuleType:
    """The module ``name``, loaded when first used.

    Parameters
    ----------
    name : str
        A module's full name (``networkx``, ``cdkg.queries.library``).

    Returns
    -------
    module

    Examples
    --------
    >>> lazy("cdkg.errors").CdkgError.__name__
    'CdkgError'
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
