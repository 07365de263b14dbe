"""The benchmark's results as Markdown: the tables ``make bench`` prints and docs/benchmarks.md holds."""

from __future__ import annotations

from pathlib import Path

from cdkg.files import write_atomic

__all__ = ["report", "write_markdown"]

#: The targets the tables compare with.
TARGET_DOCS_PER_S = 200
TARGET_QUERY_MS = 100


def _fmt_ms(ms: float | None, timeout: float) -> str:
    return f">{timeout:g} s" if ms is None else (f"{ms:,.1f}" if ms < 100 else f"{ms:,.0f}")


def report(results: dict) -> str:
    """The results as Markdown tables (what `make bench` prints and docs/benchmarks.md holds).

    Parameters
    ----------
    results : dict
        What `run` measured (or a ``--json`` file of an earlier run).

    Returns
    -------
    str
        Markdown tables.

    Examples
    --------
    >>> from cdkg.bench.run import machine
    >>> results = {"date": "2026-01-01", "command": "cdkg bench run", "machine": machine(), "timeout": 10,
    ...            "builds": [], "graphs": []}
    >>> report(results).startswith("Measured 2026-01-01 with `cdkg bench run` on ")
    True
    """
    m = results["machine"]
    timeout = results["timeout"]
    out = [f"Measured {results['date']} with `{results['command']}` on {m['cpu']}, {m['cores']} cores, "
           f"{m['memory_gb']} GB, {m['os']}, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, "
           f"rdflib {m['rdflib']} (load average at start {m['load_average_at_start']}).", ""]
    if results.get("corpus"):
        c = results["corpus"]
        out += ["**`make run` steps on data/documents** (each a fresh `cdkg` process): "
                + ", ".join(f"{k} {v:.1f} s" for k, v in c.items()), ""]
    out += _ingest(results.get("builds") or [])
    if results.get("startup"):
        s = results["startup"]
        out += [f"**Start-up** (median CPU of a fresh process): `cdkg --help` {1000 * s['help_cpu_s']:.0f} ms, "
                f"`cdkg query {s['query']}` {1000 * s['query_cpu_s']:.0f} ms.", ""]
    if any(b.get("views") for b in results.get("builds", [])):
        out += ["**Views** (English page of each standard view, from the built store; "
                "the index of labels and sources is read once per store):", "",
                "| documents | view | nodes | edges | seconds | size KB | index s | reduced |",
                "|---:|---|---:|---:|---:|---:|---:|---|"]
        for b in results["builds"]:
            for v in b.get("views") or []:
                out.append(f"| {b['documents']:,} | {v['view']} | {v['nodes']:,} | {v['edges']:,} | "
                           f"{v['seconds']:.2f} | {v['size_kb']:,.0f} | {v['index_seconds']:.2f} | "
                           f"{v['reduced'] or '-'} |")
        out.append("")
    for g in results.get("graphs", []):
        load = f"Oxigraph load + inferences {g['oxigraph_load_s']:.1f} s"
        if "rdflib_load_s" in g:
            load += f", rdflib load {g['rdflib_load_s']:.1f} s"
        out += [f"**Library queries at {g['triples']:,} triples** ({g['inferred']:,} inferred; {load}; "
                f"peak memory {g['peak_mb']:.0f} MB). Median ms:", "",
                "| query | rows | Oxigraph ms | rdflib ms | rdflib / Oxigraph |", "|---|---:|---:|---:|---:|"]
        for q in g["queries"]:
            rd = q.get("rdflib_ms")
            ratio = f"{rd / q['oxigraph_ms']:.0f}×" if rd is not None and q["oxigraph_ms"] else (
                "-" if "rdflib_ms" not in q else f">{timeout * 1000 / q['oxigraph_ms']:.0f}×")
            mark = " ⚠" if q["oxigraph_ms"] > TARGET_QUERY_MS else ""
            rows = f"{q['rows']:,}" + ("" if q.get("rdflib_rows") in (None, q["rows"])
                                       else f" (rdflib {q['rdflib_rows']:,})")
            out.append(f"| {q['query']} | {rows} | {_fmt_ms(q['oxigraph_ms'], timeout)}{mark} | "
                       f"{_fmt_ms(rd, timeout) if 'rdflib_ms' in q else '-'} | {ratio} |")
        out.append("")
    return "\n".join(out)


def _ingest(builds: list[dict]) -> list[str]:
    """The ingest table and its slope line."""
    out: list[str] = []
    if builds:
        out += ["**Ingest** (`cdkg build` of synthetic ar/en documents, fresh process, from scratch; "
                "CPU counts the worker processes; +10 is a rebuild after adding 10 documents, without the TriG dump):", "",
                "| documents | seconds | documents/s | CPU s | triples | extraction+store s | inference s | "
                "TriG dump s | no-change rebuild s | +10 rebuild s | +10 / full | peak memory MB |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for b in builds:
            steps = b.get("steps") or {}
            add10 = b.get("add10_seconds") or 0.0
            out.append(f"| {b['documents']:,} | {b['seconds']:.1f} | {b['documents'] / b['seconds']:.0f} | "
                       f"{b.get('cpu_seconds', 0.0):.1f} | {b['triples']:,} | "
                       f"{steps.get('extract+store', 0.0):.1f} | {steps.get('inference', 0.0):.1f} | "
                       f"{steps.get('dump', 0.0):.1f} | {b['rebuild_seconds']:.1f} | {add10:.1f} | "
                       f"{add10 / b['seconds']:.1%} | {b['peak_mb']:.0f} |")
        out.append("")
        if len(builds) > 1:
            first, last = builds[0], builds[-1]
            ratio = (last["documents"] / last["seconds"]) / (first["documents"] / first["seconds"])
            growth = (last["peak_mb"] - first["peak_mb"]) / (last["documents"] - first["documents"]) * 1000
            out += [f"Documents/s at {last['documents']:,} is {ratio:.2f}× the rate at {first['documents']:,}; "
                    f"peak memory grows {growth:.0f} MB per 1,000 documents.", ""]
    return out


def write_markdown(path: Path, text: str, block: str) -> None:
    """Replace the block ``block`` between its markers in ``path`` (append it if missing).

    Parameters
    ----------
    path : Path
        A Markdown file (created if missing).
    text : str
        The new block.
    block : str
        The block's name (``default``, ``full``).

    Examples
    --------
    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "b.md"
    >>> write_markdown(page, "| a |", "default")
    >>> page.read_text().splitlines()[1]
    '| a |'
    """
    begin, end = f"<!-- bench:{block}:begin -->", f"<!-- bench:{block}:end -->"
    section = f"{begin}\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in old and end in old:
        new = old[:old.index(begin)] + section + old[old.index(end) + len(end):]
    else:
        new = old + ("\n" if old else "") + section + "\n"
    write_atomic(path, new)
