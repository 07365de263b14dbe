"""Answers of the query engine kept for identical requests while the served store does not change.

``cdkg serve`` answers the same library queries and workbench pages again and again, and a
read-only server answers from a snapshot that never changes: the second time, the answer is
already known. `AnswerCache` keeps recent answers (least recently used first out) up to a number
of bytes, keyed by the whole request (query text, accepted format, graph parameters), and the
workbench's pages made from them (`cdkg.graph.web.pages.Workbench`). With
``--allow-update`` every update empties it, and an answer computed while an update ran is not
kept (`AnswerCache.version`).

>>> cache = AnswerCache(max_bytes=100)
>>> request = {"op": "query", "text": "ASK {}", "accept": "text/csv"}
>>> version = cache.version
>>> cache.put(request, (200, "text/csv", {}, b"true"), version)
>>> cache.get(request)
(200, 'text/csv', {}, b'true')
>>> cache.changed()
>>> cache.get(request) is None
True
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

__all__ = ["AnswerCache", "DEFAULT_CACHE_MB"]

#: Megabytes of answers ``cdkg serve`` keeps by default (``--cache-mb``; 0 keeps none).
DEFAULT_CACHE_MB = 64


class _Flight:
    """One answer being computed, that identical requests wait for."""

    def __init__(self):
        self.done = threading.Event()
        self.answer: tuple | None = None


class AnswerCache:
    """Recent successful query answers, at most ``max_bytes`` of bodies in all.

    Parameters
    ----------
    max_bytes : int
        The bodies' total size the cache holds (0: nothing is kept).
    largest : int, optional
        The largest body kept (default: an eighth of ``max_bytes``), so that one big answer does
        not push out many small ones.
    """

    def __init__(self, max_bytes: int, largest: int | None = None):
        self.max_bytes = max(0, max_bytes)
        self.largest = self.max_bytes // 8 if largest is None else largest
        self._answers: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._flights: dict[tuple[int, str], _Flight] = {}
        #: Incremented by `changed`: an answer begun under another version is not kept.
        self.version = 0
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(request: dict) -> str | None:
        """The cache key of a request (a query, or a workbench page: ``op`` ``page``); None for
        what is never cached (updates).

        >>> AnswerCache.key({"op": "update", "text": "CLEAR ALL"}) is None
        True
        """
        if request.get("op") not in ("query", "page"):
            return None
        return json.dumps(request, sort_keys=True, ensure_ascii=False)

    def answer(self, request: dict, compute) -> tuple:
        """The answer of ``request``: kept from before, else ``compute()`` (and kept).

        Identical requests that arrive while one is computed wait for its answer instead of
        computing it again (a page or library query asked by many clients at once costs one
        engine run).

        Parameters
        ----------
        request : dict
            The request (its `key`).
        compute : callable
            ``compute() -> (status, type, headers, body)``.

        Returns
        -------
        tuple
            (status, type, headers, body).

        Examples
        --------
        >>> cache = AnswerCache(max_bytes=100)
        >>> runs = []
        >>> def compute():
        ...     runs.append(1)
        ...     return 200, "text/csv", {}, b"true"
        >>> [cache.answer({"op": "query", "text": "ASK {}"}, compute)[3] for _ in range(3)], len(runs)
        ([b'true', b'true', b'true'], 1)
        """
        key = self.key(request)
        if key is None or not self.max_bytes:
            return compute()
        kept = self._get(key)
        if kept is not None:
            return kept
        with self._lock:
            version = self.version
            flight = self._flights.get((version, key))
            leader = flight is None
            if leader:
                flight = self._flights[(version, key)] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.answer is not None:
                status, kind, headers, body = flight.answer
                return status, kind, dict(headers), body
            return compute()              # the first one failed (busy, stopped): try on its own
        try:
            flight.answer = compute()
            self._put(key, flight.answer, version)
            return flight.answer
        finally:
            with self._lock:
                self._flights.pop((version, key), None)
            flight.done.set()

    def get(self, request: dict) -> tuple | None:
        """The kept answer of ``request``, or None."""
        key = self.key(request)
        return None if key is None else self._get(key)

    def _get(self, key: str) -> tuple | None:
        if not self.max_bytes:
            return None
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
        status, kind, headers, body = answer
        return status, kind, dict(headers), body

    def put(self, request: dict, answer: tuple, version: int) -> None:
        """Keep ``answer`` (status, type, headers, body) of ``request`` if it is a success, small
        enough, and was computed under the current ``version``."""
        key = self.key(request)
        if key is not None:
            self._put(key, answer, version)

    def _put(self, key: str, answer: tuple, version: int) -> None:
        status, kind, headers, body = answer
        if status != 200 or len(body) > self.largest or not self.max_bytes:
            return
        with self._lock:
            if version != self.version:
                return
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old[3])
            self._answers[key] = (status, kind, dict(headers), body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped[3])

    def changed(self) -> None:
        """The store changed (or may have): forget every answer."""
        with self._lock:
            self.version += 1
            self._answers.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._answers)
