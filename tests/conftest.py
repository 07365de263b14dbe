"""Shared fixtures: the real corpus built once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = CORPUS / "gold"
DOCUMENTS = ROOT / "data" / "documents"


@dataclass
class CorpusBuild:
    """Where the session's build of ``data/documents`` was written."""

    out: Path
    trig: Path
    store: Path
    report: object


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> CorpusBuild:
    """``cdkg build`` of the corpus documents into a temporary folder, once per session."""
    from cdkg.graph.store.build import build

    out = tmp_path_factory.mktemp("corpus-build")
    report = build(documents=DOCUMENTS, out=out, quiet=True)
    return CorpusBuild(out=out, trig=out / "graph.trig", store=out / "store", report=report)


@pytest.fixture(scope="session")
def pipeline():
    """The extraction pipeline with the project's lexicon, compiled once."""
    from cdkg.graph.pipeline import Pipeline

    return Pipeline()
