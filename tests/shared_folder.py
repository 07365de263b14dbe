"""Where the tests find ``../shared`` (reference tables, corpus, gold facts): beside the repository.

A test that needs a file from there is skipped when it is missing on a developer's machine, but
fails when the environment variable ``CI`` is set: CI must not pass by skipping.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

#: ``../shared`` relative to this repository, whatever machine it is on.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = SHARED / "reference"
CORPUS = SHARED / "corpus"
GOLD = CORPUS / "gold"


def needs_shared(path: Path):
    """Mark a test that reads ``path`` (under ``../shared``): skip without it, fail without it in CI."""
    if path.exists():
        return lambda test: test
    reason = f"{path} not found (the CI layout puts shared/ beside the repository)"
    if not os.environ.get("CI"):
        return pytest.mark.skipif(True, reason=reason)

    def fail_instead(test):
        @functools.wraps(test)
        def failing(*args, **kwargs):
            pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip")
        return failing

    return fail_instead
