"""The one atomic file writer (a temporary file in the target folder, then ``os.replace``), and the
checks every input file and date goes through before work starts.

A reader never sees half a file, and a failed run leaves the previous output in place. Every
room writes its outputs through `write_atomic` (or `atomic_open` when it streams). `file_problem`
says what is wrong with an input path (a folder, a FIFO, a symlink loop, a dangling link...)
without opening it, so nothing hangs; `date_problem` refuses impossible dates such as 2021-02-30.
"""

from __future__ import annotations

import datetime
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["write_atomic", "atomic_open", "file_problem", "date_problem"]


def file_problem(path: str | Path) -> str | None:
    """What makes ``path`` unusable as an input file, or None for a regular file.

    The kind of file is checked with ``stat`` before anything opens it: a FIFO named ``*.txt``
    would block the reader forever.

    Parameters
    ----------
    path : str or Path
        The input path.

    Returns
    -------
    str or None
        ``"no such file"``, ``"dangling symbolic link"``, ``"symbolic link loop"``, ``"a folder,
        not a file"``, ``"a FIFO, not a regular file"``... or None.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "loop.txt").symlink_to(folder / "loop.txt")
    >>> file_problem(folder / "loop.txt"), file_problem(folder), file_problem(folder / "none.txt")
    ('symbolic link loop', 'a folder, not a file', 'no such file')
    >>> _ = (folder / "a.txt").write_text("x")
    >>> file_problem(folder / "a.txt") is None
    True
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "dangling symbolic link" if os.path.islink(path) else "no such file"
        return f"cannot read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    kind = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device"}.get(stat.S_IFMT(mode), "a special file")
    return f"{kind}, not a regular file"


def date_problem(value: object) -> str | None:
    """What is wrong with a date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when it exists.

    Parameters
    ----------
    value : object
        The date as given (metadata or a command-line flag).

    Returns
    -------
    str or None

    Examples
    --------
    >>> date_problem("2021-02-30"), date_problem("2021-13-45"), date_problem("2021-02-28")
    ('impossible date 2021-02-30 (day is out of range for month)', 'impossible date 2021-13-45 (month must be in 1..12)', None)
    >>> date_problem("2021"), date_problem("2021-11"), date_problem("soon")
    (None, None, "not a date 'soon' (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    """
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return f"not a date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as exc:
        return f"impossible date {text} ({exc})"
    return None


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path: str | Path, binary: bool = False, newline: str | None = None) -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file beside it, renamed over it on success.

    Parameters
    ----------
    path : str or Path
        The file to write; missing parent folders are created.
    binary : bool
        Open in ``"wb"`` mode instead of UTF-8 text.
    newline : str, optional
        Passed to :func:`open` for text files (``""`` keeps line ends as written).

    Returns
    -------
    context manager
        Yields the open temporary file. On an exception it is deleted and ``path`` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "lines.txt"
    >>> with atomic_open(target) as out:
    ...     _ = out.write("one\\n")
    >>> target.read_text()
    'one\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("wb" if binary else "w", encoding=None if binary else "utf-8",
                                         newline=None if binary else newline, dir=path.parent,
                                         prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            yield handle
        os.chmod(handle.name, 0o666 & ~_umask())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: str | bytes, newline: str | None = None) -> Path:
    """Write text (UTF-8) or bytes to ``path`` through a temporary file in the same folder.

    Parameters
    ----------
    path : str or Path
        The file to write; missing parent folders are created.
    data : str or bytes
        The whole content.
    newline : str, optional
        For text: how line ends are written (see :func:`open`).

    Returns
    -------
    Path
        ``path``, as a :class:`~pathlib.Path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a" / "x.txt", "hello").read_text()
    'hello'
    >>> write_atomic(folder / "b.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    with atomic_open(path, binary=isinstance(data, bytes), newline=newline) as out:
        out.write(data)
    return Path(path)
