"""A build as a transaction: the store, ``graph.trig`` and ``manifest.json`` of a build folder move
from one committed state to the next, or not at all.

A build never writes into the committed outputs. It works in a fresh folder beside them
(``<out>/.build-<pid>/``: a hard-linked copy of the committed store, then the new ``graph.trig``
and ``manifest.json``) and commits in three steps:

1. a journal ``<out>/.commit-pending`` naming the work folder is written (atomically);
2. the work folder's store, graph and manifest are moved into place with ``os.rename``;
3. the journal is removed: this is the commit point.

A build killed before step 1 leaves the committed state untouched (its work folder is removed by
the next build); killed during step 2, the journal says so: every command that opens the store
refuses it with one line naming the fix (`check_committed`), and the next build rolls the move
forward before it starts (`recover`). A lock file keeps two builds of one folder apart.

Named fault points (`fault`) let the tests kill a real build at a chosen step: with
``CDKG_FAULT=<point>`` in the environment the process sends itself SIGKILL when it reaches
``<point>``.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> check_committed(out / "store")
>>> (out / JOURNAL).write_text(".build-1")
8
>>> check_committed(out / "store")
Traceback (most recent call last):
...
cdkg.errors.CdkgError: ...: an interrupted build left this store uncommitted; run `cdkg build` again to finish it
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.files import write_atomic

__all__ = ["JOURNAL", "WORK_PREFIX", "OUTPUTS", "fault", "check_committed", "build_lock", "recover",
           "new_work_dir", "commit"]

#: The journal of a commit in progress (its presence means: not in a committed state).
JOURNAL = ".commit-pending"
#: The prefix of the work folders of builds.
WORK_PREFIX = ".build-"
#: What a build commits, in the order it is moved into place.
OUTPUTS = ("store", "graph.trig", "manifest.json")
_LOCK = ".build.lock"


def fault(point: str) -> None:
    """Kill this process with SIGKILL when ``CDKG_FAULT`` names ``point`` (fault-injection tests).

    Parameters
    ----------
    point : str
        The name of the step reached (``extract:3``, ``dump``, ``swap:store``...).

    Examples
    --------
    >>> fault("never-named")  # CDKG_FAULT unset or naming another point: nothing happens
    """
    if os.environ.get("CDKG_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def check_committed(store: Path | str) -> None:
    """Refuse a store whose build folder holds an unfinished commit.

    Parameters
    ----------
    store : Path or str
        A store folder (``build/store``); its parent is the build folder.

    Raises
    ------
    CdkgError
        One line naming the store and the fix, when the journal of an interrupted commit is there.

    Examples
    --------
    >>> check_committed("no/such/store")  # nothing to refuse: opening it says there is no store
    """
    store = Path(store)
    if (store.parent / JOURNAL).exists():
        raise CdkgError(f"{store}: an interrupted build left this store uncommitted; "
                        f"run `cdkg build` again to finish it")


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the build lock of ``out`` (an error, not a wait, when another build holds it).

    Parameters
    ----------
    out : Path
        The build folder (created if missing).

    Returns
    -------
    context manager

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with build_lock(out):
    ...     with build_lock(out):
    ...         pass
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: ...: another `cdkg build` is writing this folder; wait for it to end
    """
    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / _LOCK, "a+b")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CdkgError(f"{out}: another `cdkg build` is writing this folder; wait for it to end") from exc
        yield
    finally:
        handle.close()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(out: Path, work: Path) -> None:
    """Step 2 of the commit, safe to repeat after an interruption: each output still in ``work``
    replaces the one in ``out`` (the old store is moved aside into ``work`` first)."""
    if (work / "store").is_dir():
        if (out / "store").exists():
            aside = work / "old-store"
            if aside.exists():
                shutil.rmtree(aside)
            os.rename(out / "store", aside)
            fault("swap:store-aside")
        os.rename(work / "store", out / "store")
        fault("swap:store")
    for name in OUTPUTS[1:]:
        if (work / name).exists():
            os.replace(work / name, out / name)
            fault(f"swap:{name}")
    _fsync_dir(out)


def recover(out: Path) -> None:
    """Finish a commit a killed build left half done, then remove leftover work folders.

    Call it with the build lock held.

    Parameters
    ----------
    out : Path
        The build folder.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / ".build-7").mkdir()
    >>> recover(out)
    >>> sorted(p.name for p in out.iterdir())
    []
    """
    journal = out / JOURNAL
    if journal.exists():
        name = journal.read_text(encoding="utf-8").strip()
        work = out / name
        if name.startswith(WORK_PREFIX) and "/" not in name and work.is_dir():
            _move_into_place(out, work)
        journal.unlink()
        _fsync_dir(out)
    for leftover in out.glob(WORK_PREFIX + "*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def new_work_dir(out: Path) -> Path:
    """A fresh, empty work folder for one build, beside the committed outputs.

    Parameters
    ----------
    out : Path
        The build folder.

    Returns
    -------
    Path
        ``<out>/.build-<pid>``.

    Examples
    --------
    >>> import tempfile
    >>> new_work_dir(Path(tempfile.mkdtemp())).name.startswith(".build-")
    True
    """
    work = out / f"{WORK_PREFIX}{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def commit(out: Path, work: Path) -> None:
    """Move the store, graph and manifest of ``work`` into ``out`` as one transaction.

    Parameters
    ----------
    out : Path
        The build folder.
    work : Path
        The work folder `new_work_dir` gave, holding the complete new outputs.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> work = new_work_dir(out)
    >>> _ = (work / "manifest.json").write_text("{}")
    >>> commit(out, work)
    >>> sorted(p.name for p in out.iterdir())
    ['manifest.json']
    """
    write_atomic(out / JOURNAL, work.name.encode("utf-8"))
    _fsync_dir(out)
    fault("journal")
    _move_into_place(out, work)
    (out / JOURNAL).unlink()
    _fsync_dir(out)
    fault("committed")
    shutil.rmtree(work, ignore_errors=True)

