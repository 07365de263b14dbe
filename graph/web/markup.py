"""Shared pieces of the workbench pages: the page template, escaping, errors and labels of last resort."""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

__all__ = ["PageError", "render", "script_json", "e", "WEB_DIR", "RQ_DIR"]

WEB_DIR = Path(__file__).resolve().parent
RQ_DIR = WEB_DIR / "rq"
TEMPLATE = Template((WEB_DIR / "templates" / "page.html").read_text(encoding="utf-8"))
e = html.escape


class PageError(Exception):
    """A page that cannot be answered: its HTTP status and one line."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def render(title: str, body: str, lang: str = "en", head: str = "", script: str = "") -> bytes:
    """A whole page from the one template; ``title`` is escaped here, ``body`` must already be."""
    return TEMPLATE.substitute(title=e(title), lang=e(lang), direction="rtl" if lang == "ar" else "ltr",
                               head=head, body=body, script=script).encode("utf-8")


def script_json(value) -> str:
    """JSON safe inside a ``<script>`` element (no ``<``, so no ``</script>``).

    >>> print(script_json({"a": "</script>"}))
    {"a": "\\u003c/script>"}
    """
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def local_name(iri: str) -> str:
    """The last segment of an IRI (a label of last resort).

    >>> local_name("https://w3id.org/cdkg/ontology#partyTo"), local_name("https://w3id.org/cdkg/id/state/RU")
    ('partyTo', 'RU')
    """
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]


