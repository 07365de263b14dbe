"""Reading documents: bytes -> text, metadata, language, and the spans of page furniture.

Offsets everywhere in the pipeline point into the decoded original text, so furniture
(language switchers, photo credits, "leave a comment") and front matter are *masked* for
analysis (replaced by spaces of the same length), never cut out.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.paths import patterns_dir

__all__ = ["Document", "read_document", "decode", "detect_language", "list_documents"]

MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_SUFFIXES = (".txt", ".md")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.S)
_PATTERNS_DIR = patterns_dir()


@dataclass
class Document:
    """A document read from disk: original text, analysis text (same length) and metadata."""

    path: Path
    text: str
    analysis_text: str
    sha: str
    language: str
    meta: dict = field(default_factory=dict)
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        """The file name of the document.

        Returns
        -------
        str

        Examples
        --------
        >>> from cdkg.graph.text.documents import Document
        >>> Document.from_text("Signed today.", name="note.txt").name
        'note.txt'
        """
        return self.path.name

    @property
    def published(self) -> str | None:
        """The publication date from the metadata, if any.

        Returns
        -------
        str or None
            ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Examples
        --------
        >>> from cdkg.graph.text.documents import Document
        >>> Document.from_text("Signed today.", published="2024-05-03").published
        '2024-05-03'
        >>> Document.from_text("Signed today.").published is None
        True
        """
        return self.meta.get("published") or None

    @property
    def title(self) -> str:
        """The title from the metadata, else the file name.

        Returns
        -------
        str

        Examples
        --------
        >>> from cdkg.graph.text.documents import Document
        >>> Document.from_text("Signed today.", name="note.txt").title
        'note.txt'
        """
        return self.meta.get("title") or self.path.name

    @classmethod
    def from_text(cls, text: str, language: str | None = None, published: str | None = None,
                  name: str = "text.txt") -> "Document":
        """A document from a string (for examples and tests): no file, no furniture masking.

        Parameters
        ----------
        text : str
            The text; it is also the analysis text.
        language : str, optional
            'ar', 'ru' or 'en'; detected from the script when not given.
        published : str, optional
            The publication date, ``YYYY[-MM[-DD]]``.
        name : str
            The file name the document stands under.

        Returns
        -------
        Document

        Examples
        --------
        >>> Document.from_text("Signed today.", language="en", published="2024-01-02").published
        '2024-01-02'
        """
        meta = {k: v for k, v in (("language", language), ("published", published)) if v}
        return cls(path=Path(name), text=text, analysis_text=text,
                   sha=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   language=language or detect_language(text), meta=meta)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode UTF-8, UTF-16 (with BOM, or detected from NUL bytes) or Windows-1256 text.

    Raises :class:`CdkgError` for empty or binary input rather than guessing silently.

    Parameters
    ----------
    data : bytes
        The bytes of a file.
    path : Path
        The file, named in error messages.

    Returns
    -------
    tuple of (str, str)
        The text and the name of the encoding it was read with.

    Examples
    --------
    >>> from pathlib import Path
    >>> from cdkg.graph.text.documents import decode
    >>> decode(b"Ruritania", Path("note.txt"))
    ('Ruritania', 'utf-8')
    >>> decode("Ruritania".encode("utf-16"), Path("note.txt"))
    ('Ruritania', 'utf-16')
    """
    if not data.strip():
        raise CdkgError(f"{path}: empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise CdkgError(f"{path}: bad {enc} text at byte {exc.start}") from None
    sample = data[:4096]
    if b"\x00" in sample:
        # UTF-16 without BOM: NULs sit on one side only (Arabic text has few of them, ASCII many)
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros and other <= zeros // 8 and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_like_text(text):
                    return text, enc
        raise CdkgError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise CdkgError(f"{path}: not UTF-8, UTF-16 or Windows-1256 text") from None
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    if arabic < len(text.strip()) // 10:
        raise CdkgError(f"{path}: not UTF-8, UTF-16 or Windows-1256 text (no encoding fits)")
    return text, "cp1256"


def _looks_like_text(text: str) -> bool:
    """True when nearly every character is printable or a line/tab break (not decoded binary)."""
    sample = text[:4096]
    bad = sum(1 for c in sample if (not c.isprintable() and c not in "\t\r\n\u200c\u200d\u200e\u200f\ufeff")
              or "\ue000" <= c <= "\uf8ff" or "\ud800" <= c <= "\udfff")
    return bad <= len(sample) // 100


def detect_language(text: str) -> str:
    """The document's language from its script: 'ar', 'ru' or 'en' (Latin).

    Parameters
    ----------
    text : str
        The text; its first 20,000 characters are counted.

    Returns
    -------
    str
        The language whose script has the most letters; 'en' on a tie.

    Examples
    --------
    >>> from cdkg.graph.text.documents import detect_language
    >>> detect_language("Ruritania"), detect_language("Руритания")
    ('en', 'ru')
    """
    counts = {"ar": 0, "ru": 0, "en": 0}
    for ch in text[:20000]:
        if "\u0600" <= ch <= "\u06ff":
            counts["ar"] += 1
        elif "\u0400" <= ch <= "\u04ff":
            counts["ru"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["en"] += 1
    return max(counts, key=lambda k: (counts[k], k == "en"))


@lru_cache(maxsize=1)
def _furniture_patterns() -> list[re.Pattern]:
    path = _PATTERNS_DIR / "furniture.json"
    lines = json.loads(path.read_text(encoding="utf-8"))["lines"]
    return [re.compile(p, re.I) for p in lines]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _parse_front_matter(block: str, path: Path) -> dict:
    meta = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise CdkgError(f"{path}: front matter line without 'key: value': {line.strip()[:60]}")
        key, value = line.split(":", 1)
        value = value.strip().strip('"').strip("'")
        meta[key.strip()] = None if value in ("", "null", "~") else value
    return meta


def sidecar_path(path: Path) -> Path:
    """The metadata sidecar of a document: ``name.ar.txt`` -> ``name.ar.meta.json``.

    Parameters
    ----------
    path : Path
        The document file.

    Returns
    -------
    Path
        The sidecar file next to it (it may not exist).

    Examples
    --------
    >>> from pathlib import Path
    >>> from cdkg.graph.text.documents import sidecar_path
    >>> sidecar_path(Path("notes/note.ar.txt")).name
    'note.ar.meta.json'
    """
    return path.with_name(path.stem + ".meta.json")


def read_document(path: Path | str, published: str | None = None,
                  meta: dict | None = None) -> Document:
    """Read one document with its metadata (front matter, sidecar, then ``meta`` arguments).

    Parameters
    ----------
    path : Path or str
        The document file.
    published : str, optional
        The publication date, ``YYYY[-MM[-DD]]``; it overrides the metadata.
    meta : dict, optional
        More metadata; it overrides the front matter and the sidecar.

    Returns
    -------
    Document
        The text, the analysis text (furniture masked) and the metadata.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cdkg.graph.text.documents import read_document
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "note.txt"
    ...     _ = path.write_text("---\\ntitle: Ruritania\\n---\\nSigned on 3 May 2024.\\n", encoding="utf-8")
    ...     doc = read_document(path, published="2024-05-03")
    >>> doc.title, doc.published, doc.language
    ('Ruritania', '2024-05-03', 'en')
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CdkgError(f"{path}: too large ({size // (1024 * 1024)} MB > "
                            f"{MAX_BYTES // (1024 * 1024)} MB); split it into articles")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CdkgError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CdkgError(f"{path}: is a folder, not a document") from None
    except PermissionError:
        raise CdkgError(f"{path}: permission denied") from None
    text, encoding = decode(data, path)
    masked: list[tuple[int, int]] = []
    info: dict = {}
    fm = _FRONT_MATTER.match(text)
    if fm:
        info.update(_parse_front_matter(fm.group(1), path))
        masked.append((0, fm.end()))
    side = sidecar_path(path)
    if side.exists():
        try:
            info.update(json.loads(side.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CdkgError(f"{side}: not valid JSON metadata: {exc}") from None
    if meta:
        info.update({k: v for k, v in meta.items() if v is not None})
    if published:
        info["published"] = published
    if info.get("published") and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(info["published"])):
        raise CdkgError(f"{path}: published date {info['published']!r} is not YYYY[-MM[-DD]]")
    for pattern in _furniture_patterns():
        for m in pattern.finditer(text):
            masked.append((m.start(), m.end()))
    analysis = _mask(text, masked)
    if not info.get("published"):
        head = date_line(analysis)
        if head:
            info["published"] = head
    language = info.get("language") or detect_language(analysis)
    info.setdefault("language", language)
    sha = hashlib.sha256(data).hexdigest()
    return Document(path=path, text=text, analysis_text=analysis, sha=sha, language=language,
                    meta=info, encoding=encoding)


_DATE_LINE = re.compile(r"^\W{0,3}(?:[^\W\d]+\s*[:：]\s*)?(?P<d>(?:\d{1,2}[/.]\d{1,2}[/.]\d{4})|(?:\d{4}-\d{2}-\d{2})|"
                        r"(?:[^\W\d]+\s+\d{1,2},?\s+\d{4})|(?:\d{1,2}\s+[^\W\d]+\s+\d{4}))"
                        r"(?:\s*(?:г\.|года|\d{1,2}:\d{2}))*\W{0,3}$")


def date_line(text: str, lines: int = 4) -> str | None:
    """The publication date a text states on a line of its own near its head
    ("08/03/2024", "2021-11-19", "Published: 19 November 2021"), as ``YYYY-MM-DD``.

    Parameters
    ----------
    text : str
        The text.
    lines : int
        How many non-empty lines at the head to look at.

    Returns
    -------
    str or None
        The date, or None when no such line states one.

    Examples
    --------
    >>> date_line("Title\\n08/03/2024\\nBody text.")
    '2024-03-08'
    """
    from cdkg.graph.text.dates import find_dates
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        m = _DATE_LINE.match(line.strip())
        if not m:
            continue
        raw = m.group("d")
        slash = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw)
        if slash:
            d, mo, y = (int(x) for x in slash.groups())
            try:
                return f"{y:04d}-{mo:02d}-{d:02d}" if 0 < mo <= 12 and datetime.date(y, mo, d) else None
            except ValueError:
                return None
        found = [x.value for x in find_dates(raw) if len(x.value) == 10 and not x.value.startswith("-")]
        if found:
            return found[0]
    return None


def list_documents(folder: Path) -> list[Path]:
    """Document files of a folder (sidecars and hidden files excluded), sorted by name.

    Parameters
    ----------
    folder : Path
        The folder; raises :class:`CdkgError` when it does not exist.

    Returns
    -------
    list of Path
        Its ``.txt`` and ``.md`` files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cdkg.graph.text.documents import list_documents
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.txt", "a.md", "a.meta.json", ".hidden.txt"):
    ...         _ = (Path(folder) / name).write_text("Ruritania", encoding="utf-8")
    ...     names = [p.name for p in list_documents(Path(folder))]
    >>> names
    ['a.md', 'b.txt']
    """
    if not folder.is_dir():
        raise CdkgError(f"{folder}: no such folder of documents")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix in DOCUMENT_SUFFIXES and not p.name.startswith("."))
