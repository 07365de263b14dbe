"""OWL 2 DL profile check of ``cdo.owl`` with the OWL API, through a small Java program.

``ontology/ProfileCheck.java`` is compiled with ``javac`` against the OWL API jar that owlready2
bundles (``owlready2/pellet/owlapi-distribution-*.jar``) and run on the ontology: the OWL API's
``OWL2DLProfile`` plus a check that every datatype used is in the OWL 2 datatype map or declared.
Nothing is downloaded. ``cdkg ontology profile`` runs it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cdkg import paths
from cdkg.errors import CdkgError

__all__ = ["ProfileReport", "owlapi_jar", "check_profile"]

SOURCE = paths.ONTOLOGY_DIR / "ProfileCheck.java"


@dataclass
class ProfileReport:
    """The violations of the OWL 2 DL profile the OWL API found (empty: the ontology is OWL 2 DL)."""

    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No violation.

        >>> ProfileReport().ok, ProfileReport(["Use of undeclared class: <x>"]).ok
        (True, False)
        """
        return not self.violations

    def text(self) -> str:
        """One line, then one line per violation.

        >>> ProfileReport().text()
        'OWL 2 DL: no violation (OWL API profile check)'
        """
        if self.ok:
            return "OWL 2 DL: no violation (OWL API profile check)"
        return "\n".join([f"not OWL 2 DL: {len(self.violations)} violation(s)"] + [f"  {v}" for v in self.violations])


def owlapi_jar() -> Path:
    """The OWL API jar bundled with owlready2.

    Returns
    -------
    Path

    Examples
    --------
    >>> owlapi_jar().name.startswith("owlapi-distribution")
    True
    """
    import owlready2

    found = sorted((Path(owlready2.__file__).parent / "pellet").glob("owlapi-distribution-*.jar"))
    if not found:
        raise CdkgError(f"{Path(owlready2.__file__).parent / 'pellet'}: no owlapi-distribution jar in owlready2")
    return found[-1]


def check_profile(owl: Path | None = None) -> ProfileReport:
    """Check an ontology file (RDF/XML or Turtle) against the OWL 2 DL profile.

    Parameters
    ----------
    owl : Path, optional
        The ontology file; default ``ontology/cdo.owl``.

    Returns
    -------
    ProfileReport

    Raises
    ------
    CdkgError
        No ``javac``/``java``, no OWL API jar, or the file cannot be parsed (one line).
    """
    owl = Path(owl or paths.ONTOLOGY_OWL)
    if not owl.is_file():
        raise CdkgError(f"{owl}: no such ontology file")
    javac, java = shutil.which("javac"), shutil.which("java")
    if javac is None or java is None:
        raise CdkgError("javac: not found (the OWL API profile check needs a JDK; install default-jdk-headless)")
    jar = owlapi_jar()
    with tempfile.TemporaryDirectory(prefix="cdkg-profile-") as tmp:
        built = subprocess.run([javac, "-nowarn", "-cp", str(jar), "-d", tmp, str(SOURCE)],
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise CdkgError(f"{SOURCE}: javac failed: {built.stderr.strip().splitlines()[:1]}")
        done = subprocess.run([java, "-cp", f"{jar}:{tmp}", "ProfileCheck", str(owl.resolve())],
                              capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("violations: "):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise CdkgError(f"{owl}: the OWL API could not read it ({last})")
    return ProfileReport(lines[:-1])
