"""The package as a user gets it: a wheel installed into a fresh venv works like the editable install.

``pip wheel --no-deps`` builds the wheel; a new venv gets it with ``pip install --no-deps``, and
the dependencies through a ``.pth`` line naming this venv's site-packages (no network needed). A
plain path line does not run the ``.pth`` files of that folder, so the editable finder of this
checkout stays inactive there: the test checks that ``cdkg`` is imported from the new venv.
Then ``cdkg build`` and ``cdkg query co-party-pairs`` on a folder holding the two corpus
documents give the same rows as this checkout's editable install, and ``cdkg queries`` lists
every library query.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "data" / "documents"
EDITABLE_CDKG = Path(sys.executable).with_name("cdkg")

pytestmark = pytest.mark.slow


def run(*args, cwd: Path, timeout: int = 600) -> str:
    """Run a command with the ``CDKG_*`` overrides removed; its standard output, or fail with its stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CDKG_") and k != "PYTHONPATH"}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel of this checkout installed; its ``bin`` folder."""
    work = tmp_path_factory.mktemp("wheel")
    # a copy of the sources: setuptools writes build/ and *.egg-info beside the sources it builds
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "__pycache__",
                                                                "*.egg-info", ".pytest_cache", ".hypothesis"))
    # the build backend of the running environment (make install puts setuptools>=77 there): no download
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work / "dist", source,
        cwd=work)
    wheels = sorted((work / "dist").glob("cdkg-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work).strip())
    (site / "cdkg-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheels[0], cwd=work)
    return venv / "bin"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder: ``data/documents`` with the two corpus documents (and their metadata)."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "data" / "documents").mkdir(parents=True)
    for path in sorted(DOCUMENTS.iterdir()):
        if path.is_file():
            shutil.copy(path, folder / "data" / "documents" / path.name)
    return folder


def test_cdkg_is_imported_from_the_new_venv(installed, tmp_path):
    where = run(installed / "python", "-c", "import cdkg, cdkg.paths as p; print(cdkg.__file__); "
                "print(p.QUERIES_DIR)", cwd=tmp_path).splitlines()
    venv = installed.parent.resolve()
    assert all(Path(line).resolve().is_relative_to(venv) for line in where), where


def test_wheel_build_and_query_give_the_editable_rows(installed, project, tmp_path):
    run(installed / "cdkg", "build", "--quiet", cwd=project)
    assert (project / "build" / "store").is_dir() and (project / "build" / "graph.trig").is_file()
    wheel_rows = run(installed / "cdkg", "query", "co-party-pairs", "--format", "tsv", cwd=project)

    # the editable install on the same documents, reached with --project from elsewhere
    out = project / "build-editable"
    run(EDITABLE_CDKG, "--project", project, "build", "--quiet", "--out", out, cwd=tmp_path)
    editable_rows = run(EDITABLE_CDKG, "--project", project, "query", "co-party-pairs", "--format", "tsv",
                        "--store", out / "store", cwd=tmp_path)
    assert len(wheel_rows.splitlines()) > 1, wheel_rows
    assert wheel_rows == editable_rows


def test_wheel_lists_every_library_query(installed, tmp_path):
    listed = run(installed / "cdkg", "queries", "--format", "md", cwd=tmp_path)
    names = {path.relative_to(ROOT / "queries").with_suffix("").as_posix()
             for path in list((ROOT / "queries").glob("*.rq")) + list((ROOT / "queries").glob("qc/*.rq"))}
    assert names
    rows = {line.split("|")[1].strip() for line in listed.splitlines()[2:] if line.startswith("|")}
    assert rows == names
