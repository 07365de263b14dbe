"""The one atomic file writer: a temporary file in the target folder, then ``os.replace``.

A reader never sees half a file, and a failed run leaves the previous output in place. Every
room writes its outputs through `write_atomic` (or `atomic_open` when it streams).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["write_atomic", "atomic_open"]


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
