"""A build's store changed outside a build (``cdkg link``, ``cdkg infer``), as a build changes it.

`amend` changes a hard-linked copy of the committed store, rewrites the ``graph.trig`` and
``manifest.json`` beside it from the copy, and commits the three together with the build's
journal and lock (`cdkg.graph.store.transaction`), so that the outputs of a build folder always
describe one store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.graph.store.store import Store
from cdkg.graph.store.transaction import build_lock, check_committed, commit, fault, new_work_dir, recover
from cdkg.namespaces import INFERRED_GRAPH

__all__ = ["amend", "read_manifest"]


def read_manifest(path: Path) -> dict | None:
    """A build's manifest, or None when there is none (or it is unreadable: the next build
    rebuilds everything then).

    >>> read_manifest(Path("no/such/manifest.json")) is None
    True
    """
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _rewrite_outputs(out: Path, work: Path, target, manifest: dict | None, entries: dict) -> tuple[str, ...]:
    """Write into ``work`` the ``graph.trig`` and ``manifest.json`` of the changed store, for those
    of them the committed build has (a ``--no-trig`` build has no graph.trig). ``entries`` go into
    the manifest (a mapping is merged into the one there)."""
    rewritten = []
    if (out / "graph.trig").exists():
        fault("amend:dump")
        target.dump(work / "graph.trig")
        rewritten.append("graph.trig")
    if manifest is not None:
        manifest["triples"] = len(target)
        manifest["inferred"] = target.count(str(INFERRED_GRAPH))
        for key, value in entries.items():
            old = manifest.get(key)
            manifest[key] = dict(sorted({**old, **value}.items())) if isinstance(value, dict) and isinstance(old, dict) else value
        write_atomic(work / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        rewritten.append("manifest.json")
    return tuple(rewritten)


def amend(store: Path, change: Callable) -> tuple[str, ...]:
    """Change a build's store outside a build (``cdkg link``, ``cdkg infer``) as a build would.

    A build's store (a folder named ``store``) is changed in a hard-linked copy in a work folder;
    the ``graph.trig`` and ``manifest.json`` beside it are rewritten from the changed copy, and the
    three are committed together (`commit`) under the build lock: the outputs always describe one
    store, and a change killed before the commit leaves them as they were. Another store folder is
    changed in place.

    Parameters
    ----------
    store : Path
        The store folder.
    change : callable
        ``change(target, changed_outside) -> dict``: changes the open, writable `Store` ``target``;
        ``changed_outside`` tells that the store was changed since its manifest was written (its
        inferences may be stale). The entries returned go into the manifest.

    Returns
    -------
    tuple of str
        The outputs rewritten beside the store.

    Examples
    --------
    >>> amend(Path("no/such/store"), lambda target, outside: {})
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/store: not an Oxigraph store folder (run `cdkg build` first)
    """
    store = Path(store)
    check_committed(store)
    if not (store / "CURRENT").exists():
        raise CdkgError(f"{store}: not an Oxigraph store folder (run `cdkg build` first)")
    out = store.parent
    with build_lock(out):         # a build meanwhile would commit a copy of the store without the change
        check_committed(store)
        if store.name != "store":
            with Store.open(store) as target:
                change(target, False)
            return ()
        recover(out)              # no commit is pending (checked): this removes what killed runs left
        manifest = read_manifest(out / "manifest.json")
        work = new_work_dir(out)
        try:
            with Store.open(store, read_only=True) as committed:
                committed.backup(work / "store")
                outside = manifest is not None and manifest.get("triples") != len(committed)
            with Store.open(work / "store") as target:
                entries = change(target, outside) or {}
                rewritten = _rewrite_outputs(out, work, target, manifest, entries)
            commit(out, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return rewritten
