"""The inference rules computed in memory, per triple where they are local, and incrementally.

`Reasoner` gives the same triples as the SPARQL rules of `cdkg.graph.store.inference`
(``materialize_sparql``) without joining every graph in the store:

- the rules that read one triple (``owl:inverseOf``, ``owl:SymmetricProperty``,
  ``rdfs:subPropertyOf``, ``rdfs:subClassOf``) are applied to each triple on its own (`derive`),
  so each document's share is computed where the document is extracted (a worker process);
- the rules that join triples of several documents (``owl:TransitiveProperty``, bilateral and
  multilateral agreements, ``cdo:cooperatesWith``) run to a fixpoint on the few triples they read
  (parties, signatures, States, agreements, transitive properties; `cross_closure`), which grow with
  the number of States and instruments, not with the corpus;
- a triple goes into ``id:graph/inferred`` only when no other graph asserts it (`prune`,
  `settle`).

A rebuild that adds or removes a few documents (`cdkg.graph.store.build`) re-examines only the
triples those documents assert or derive, plus the cross-document part (`settle`): a triple stays
inferred when one of its premises is still asserted somewhere (`derivable`, looked up backwards
through the rules) and no other graph asserts it.

>>> r = Reasoner(subproperty={(ox.NamedNode("http://e/sub"), ox.NamedNode("http://e/sup"))})
>>> sorted(t[1].value for t in r.derive((ox.NamedNode("http://e/a"), ox.NamedNode("http://e/sub"), ox.Literal("x"))))
['http://e/sup']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from cdkg.namespaces import CDO, INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = ["Reasoner", "closure"]

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))
_BATCH = 50_000


def _n(iri) -> ox.NamedNode:
    return iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(str(iri))


def closure(pairs: Iterable[tuple]) -> set[tuple]:
    """The transitive closure of a relation given as pairs (cycles allowed, no self pairs).

    Parameters
    ----------
    pairs : iterable of (a, b)

    Returns
    -------
    set of (a, b)

    Examples
    --------
    >>> sorted(closure({(1, 2), (2, 3)}))
    [(1, 2), (1, 3), (2, 3)]
    """
    above: dict = {}
    for a, b in pairs:
        above.setdefault(a, set()).add(b)
    closed = set()
    for start in above:
        seen, todo = set(), list(above[start])
        while todo:
            node = todo.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            todo.extend(above.get(node, ()))
        closed.update((start, b) for b in seen)
    return closed


class Reasoner:
    """The rules of one ontology's axioms, compiled for triples of pyoxigraph terms.

    Parameters
    ----------
    subclass, subproperty, inverse : set of (IRI, IRI), optional
        ``rdfs:subClassOf``, ``rdfs:subPropertyOf`` and ``owl:inverseOf`` pairs.
    symmetric, transitive : set of IRI, optional
        The symmetric and transitive properties.
    axioms : Axioms, optional
        All of the above at once (`cdkg.graph.store.inference.axioms_from`).
    """

    def __init__(self, axioms=None, *, subclass=(), subproperty=(), inverse=(), symmetric=(), transitive=()):
        if axioms is not None:
            subclass, subproperty, inverse = axioms.subclass, axioms.subproperty, axioms.inverse
            symmetric, transitive = axioms.symmetric, axioms.transitive
        step: dict[ox.NamedNode, list] = {}
        for p, q in sorted(inverse):
            step.setdefault(_n(p), []).append((_n(q), True))
            step.setdefault(_n(q), []).append((_n(p), True))
        for p in sorted(symmetric):
            step.setdefault(_n(p), []).append((_n(p), True))
        for sub, sup in sorted(closure(subproperty)):
            step.setdefault(_n(sub), []).append((_n(sup), False))
        self.step = {p: list(dict.fromkeys(v)) for p, v in step.items()}
        self.back: dict[ox.NamedNode, list] = {}
        for p, targets in self.step.items():
            for q, flip in targets:
                self.back.setdefault(q, []).append((p, flip))
        subclasses = closure((_n(a), _n(b)) for a, b in subclass)
        self.supers: dict[ox.NamedNode, list] = {}
        self.subs: dict[ox.NamedNode, list] = {}
        for a, b in sorted(subclasses, key=str):
            self.supers.setdefault(a, []).append(b)
            self.subs.setdefault(b, []).append(a)
        self.transitive = {_n(p) for p in transitive}
        self.party = {_n(CDO.partyTo), _n(CDO.signed)}
        self.state = _n(CDO.State)
        agreement = _n(CDO.Agreement)
        self.agreements = {agreement} | {a for a, b in subclasses if b == agreement}
        self.cooperates = _n(CDO.cooperatesWith)
        self.bilateral, self.multilateral = _n(CDO.BilateralAgreement), _n(CDO.MultilateralAgreement)
        self.cross_classes = {self.state} | self.agreements
        self.cross_preds = self.party | self.transitive
        # what the cross-document rules read, before the one-triple rules: feeding predicates and classes
        self.feed_preds = {p for p in set(self.step) | self.cross_preds
                           if self.cross_preds & self._reach(p)}
        self.feed_classes = {c for c in set(self.supers) | self.cross_classes
                             if c in self.cross_classes or self.cross_classes & set(self.supers.get(c, ()))}
        # the predicates an inferred triple can have (the others are never looked at again)
        self.targets = ({q for v in self.step.values() for q, _ in v} | self.transitive
                        | {self.cooperates, _TYPE})

    def _reach(self, p: ox.NamedNode) -> set:
        seen, todo = {p}, [p]
        while todo:
            for q, _ in self.step.get(todo.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    # --- one triple ------------------------------------------------------------------------------
    def local(self, triple: tuple) -> bool:
        """Whether a one-triple rule applies to ``triple`` (else `derive` gives nothing).

        Parameters
        ----------
        triple : (subject, predicate, object)

        Returns
        -------
        bool
        """
        p = triple[1]
        return p in self.step or (p == _TYPE and triple[2] in self.supers)

    def derive(self, triple: tuple) -> set[tuple]:
        """Every triple the one-triple rules derive from ``triple`` (to a fixpoint), but itself.

        Parameters
        ----------
        triple : (subject, predicate, object)
            pyoxigraph terms.

        Returns
        -------
        set of (subject, predicate, object)
        """
        out: set[tuple] = set()
        todo = [triple]
        while todo:
            s, p, o = todo.pop()
            nexts = []
            for q, flip in self.step.get(p, ()):
                if not flip:
                    nexts.append((s, q, o))
                elif not isinstance(o, ox.Literal):
                    nexts.append((o, q, s))
            if p == _TYPE and isinstance(s, ox.NamedNode):
                nexts.extend((s, _TYPE, c) for c in self.supers.get(o, ()))
            for t in nexts:
                if t != triple and t not in out:
                    out.add(t)
                    todo.append(t)
        return out

    def derive_all(self, triples: Iterable[tuple]) -> set[tuple]:
        """The union of `derive` over ``triples`` (one document's share of the inferences).

        Parameters
        ----------
        triples : iterable of (subject, predicate, object)

        Returns
        -------
        set of (subject, predicate, object)
        """
        out: set[tuple] = set()
        for t in triples:
            if self.local(t):
                out |= self.derive(t)
        return out

    def _is_cross(self, t: tuple) -> bool:
        return t[1] in self.cross_preds or (t[1] == _TYPE and t[2] in self.cross_classes)

    def premises(self, triple: tuple) -> Iterator[tuple]:
        """The triples one one-triple rule turns into ``triple`` (the rules read backwards).

        Parameters
        ----------
        triple : (subject, predicate, object)

        Returns
        -------
        iterator of (subject, predicate, object)
        """
        s, p, o = triple
        for q, flip in self.back.get(p, ()):
            if not flip:
                yield (s, q, o)
            elif not isinstance(o, ox.Literal):
                yield (o, q, s)
        if p == _TYPE and isinstance(s, ox.NamedNode):
            for c in self.subs.get(o, ()):
                yield (s, _TYPE, c)

    # --- across documents ------------------------------------------------------------------------
    def _apply(self, known: set[tuple]) -> set[tuple]:
        """One application of the cross-document rules to ``known``."""
        parties: dict = {}
        states, agreements = set(), set()
        by_pred: dict = {}
        for s, p, o in known:
            if p == _TYPE:
                if o == self.state:
                    states.add(s)
                if o in self.agreements:
                    agreements.add(s)
            if p in self.party:
                parties.setdefault(o, set()).add(s)
            if p in self.transitive:
                by_pred.setdefault(p, {}).setdefault(s, set()).add(o)
        out: set[tuple] = set()
        for p, succ in by_pred.items():
            for s, objects in succ.items():
                for o in objects:
                    for z in succ.get(o, ()):
                        if s != z:
                            out.add((s, p, z))
        for i, members in parties.items():
            st = sorted((m for m in members if m in states), key=str)
            for a in st:
                for b in st:
                    if a != b:
                        out.add((a, self.cooperates, b))
            if i in agreements:
                if len(st) == 2:
                    out.add((i, _TYPE, self.bilateral))
                elif len(st) > 2:
                    out.add((i, _TYPE, self.multilateral))
        return out

    def cross_closure(self, known: set[tuple]) -> set[tuple]:
        """What the cross-document rules derive from ``known`` (and the one-triple rules from that).

        Parameters
        ----------
        known : set of (subject, predicate, object)
            The triples the cross-document rules read (`scan`), asserted or derived.

        Returns
        -------
        set of (subject, predicate, object)
        """
        known = set(known)
        out: set[tuple] = set()
        while True:
            fresh = self._apply(known) - out
            if not fresh:
                return out
            for t in fresh:
                more = self.derive(t) | {t}
                out |= more
                known.update(x for x in more if self._is_cross(x))

    def scan(self, store) -> set[tuple]:
        """The triples of the store's data graphs the cross-document rules read, with what the
        one-triple rules derive among them.

        Parameters
        ----------
        store : Store

        Returns
        -------
        set of (subject, predicate, object)
        """
        known: set[tuple] = set()
        patterns = [(p, None) for p in sorted(self.feed_preds, key=str)]
        patterns += [(_TYPE, c) for c in sorted(self.feed_classes, key=str)]
        for p, o in patterns:
            for q in store.match(None, p, o, None):
                if not _data_graph(q.graph_name):
                    continue
                t = (q.subject, q.predicate, q.object)
                if self._is_cross(t):
                    known.add(t)
                if self.local(t):
                    known.update(x for x in self.derive(t) if self._is_cross(x))
        return known

    # --- the store ---------------------------------------------------------------------------------
    @staticmethod
    def in_data(store, t: tuple) -> bool:
        """Whether a data graph (not the ontology's, not the inferred one) asserts ``t``."""
        return any(_data_graph(q.graph_name) for q in store.match(t[0], t[1], t[2], None))

    @staticmethod
    def asserted(store, t: tuple) -> bool:
        """Whether a named graph other than the inferred one holds ``t``."""
        return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name != _INFERRED
                   for q in store.match(t[0], t[1], t[2], None))

    def derivable(self, store, t: tuple, cross: set[tuple]) -> bool:
        """Whether ``t`` follows from the store's data graphs (with ``cross``, the cross-document part).

        Parameters
        ----------
        store : Store
        t : (subject, predicate, object)
        cross : set of (subject, predicate, object)
            What `cross_closure` gave for the store as it is now.

        Returns
        -------
        bool
        """
        if t in cross:
            return True
        seen, todo = {t}, [t]
        while todo:
            for pre in self.premises(todo.pop()):
                if pre in seen:
                    continue
                seen.add(pre)
                if pre in cross or self.in_data(store, pre):
                    return True
                todo.append(pre)
        return False

    def write(self, store, triples: Iterable[tuple]) -> None:
        """Add ``triples`` to the inferred graph (unchecked: `prune` or `settle` checks them).

        Parameters
        ----------
        store : Store
        triples : iterable of (subject, predicate, object)
        """
        batch = []
        for s, p, o in triples:
            batch.append(ox.Quad(s, p, o, _INFERRED))
            if len(batch) >= _BATCH:
                store.add_quads(batch)
                batch = []
        if batch:
            store.add_quads(batch)

    def prune(self, store) -> None:
        """Remove from the inferred graph every triple another graph asserts (one pass over it,
        joined in the store: a quarter of the time of looking each triple up from Python).

        Parameters
        ----------
        store : Store
        """
        g = f"<{_INFERRED.value}>"
        store.update(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                     f"FILTER EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }}", name="prune")

    def settle(self, store, candidates: Iterable[tuple], cross: set[tuple]) -> None:
        """Make the inferred graph right for each candidate triple: in it when derivable and not
        asserted elsewhere, else out of it.

        Parameters
        ----------
        store : Store
        candidates : iterable of (subject, predicate, object)
        cross : set of (subject, predicate, object)
        """
        add, remove = [], []
        for t in candidates:
            should = self.derivable(store, t, cross) and not self.asserted(store, t)
            present = next(iter(store.match(t[0], t[1], t[2], _INFERRED)), None) is not None
            if should and not present:
                add.append(t)
            elif present and not should:
                remove.append(ox.Quad(t[0], t[1], t[2], _INFERRED))
        self.write(store, add)
        store.remove_quads(remove)

    def local_from_store(self, store, graphs: Iterable | None = None) -> Iterator[tuple]:
        """`derive` over the triples of the store's data graphs (or of ``graphs``), streamed.

        Parameters
        ----------
        store : Store
        graphs : iterable of str, optional
            Graph IRIs (default: every data graph, read predicate by predicate).

        Returns
        -------
        iterator of (subject, predicate, object)
        """
        if graphs is not None:
            for g in graphs:
                for q in store.match(None, None, None, _n(g)):
                    t = (q.subject, q.predicate, q.object)
                    if self.local(t):
                        yield from self.derive(t)
            return
        patterns = [(p, None) for p in sorted(self.step, key=str)]
        if _TYPE not in self.step:
            patterns += [(_TYPE, c) for c in sorted(self.supers, key=str)]
        for p, o in patterns:
            for q in store.match(None, p, o, None):
                if _data_graph(q.graph_name):
                    yield from self.derive((q.subject, q.predicate, q.object))

    def recompute(self, store) -> int:
        """Replace the inferred graph by the inferences of the store's data graphs.

        Parameters
        ----------
        store : Store

        Returns
        -------
        int
            The number of triples in the inferred graph.
        """
        store.remove_graphs([_INFERRED.value])
        self.write(store, self.local_from_store(store))
        self.finish(store)
        return store.count(_INFERRED.value)

    def finish(self, store) -> set[tuple]:
        """After every document's share is written: the cross-document part, then `prune`.

        Parameters
        ----------
        store : Store

        Returns
        -------
        set of (subject, predicate, object)
            The cross-document part.
        """
        cross = self.cross_closure(self.scan(store))
        self.write(store, cross)
        self.prune(store)
        return cross


def _data_graph(g) -> bool:
    return isinstance(g, ox.NamedNode) and g != _INFERRED and g != _ONTOLOGY
