"""Render an article as Markdown with YAML front matter.

The excerpt must display exactly as scraped: HTML, Markdown, template and math syntax in
it are escaped so they show as literal text and run nothing. The scraper's placeholders
(``[公式]``, ``[Math]``, ``[代码]``) become a visible marker saying what the source lost.
"""

from __future__ import annotations

import json
import re

import yaml

from ingest.shared.markdown import escape_markdown
from ingest.shared.model import Article

FRONT_MATTER_FENCE = "---"
PLACEHOLDERS = {"[公式]": "formula", "[Math]": "formula", "[代码]": "code"}
PLACEHOLDER_LABELS = {"formula": "公式缺失", "code": "代码缺失"}
PLACEHOLDER_TITLES = {"formula": "抓取时这里的公式丢失了", "code": "抓取时这里的代码丢失了"}
PLACEHOLDER = re.compile("|".join(re.escape(token) for token in PLACEHOLDERS))
YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")

# Only at the start of the (single) line: headings, lists, block quotes, rules, and the
# admonition (``!!!``) and details (``???``) blocks of the site's Markdown extensions.
LINE_START = re.compile(r"^(?:[#+\-=!?]|\d+[.)])")


def placeholder_marker(token: str) -> str:
    kind = PLACEHOLDERS[token]
    return f'<span class="kb-dropped" title="{PLACEHOLDER_TITLES[kind]}">{PLACEHOLDER_LABELS[kind]}</span>'


def render_body(text: str) -> str:
    """One paragraph: whitespace folded (an excerpt is one line anyway), everything else literal."""
    folded = " ".join(text.split())  # every run of whitespace as one space; a regex took twice as long
    pieces = []
    position = 0
    for match in PLACEHOLDER.finditer(folded):
        pieces.append(escape_markdown(folded[position : match.start()]))
        pieces.append(placeholder_marker(match.group()))
        position = match.end()
    pieces.append(escape_markdown(folded[position:]))
    body = "".join(pieces)
    start = LINE_START.match(body)
    if start:
        marker = start.group()
        body = marker[:-1] + f"&#{ord(marker[-1])};" + body[len(marker) :]
    return body


def front_matter(article: Article, tags: list[str]) -> dict:
    data = {
        "title": article.title,
        "id": article.id,
        "tags": tags,
        "sources": article.sources,
    }
    if article.date:
        data["date"] = article.date
    if article.category:
        data["category"] = article.category
    data["truncated"] = article.truncated
    data["generated"] = True
    return data


class FrontMatterDumper(yaml.SafeDumper):
    """``safe_dump`` that escapes the Unicode line breaks NEL, LS and PS in strings.

    PyYAML writes them raw inside a plain or single-quoted scalar, where a reader takes them
    as line breaks: a title holding NEL (U+0085) came back with a space instead. A
    double-quoted scalar escapes them (``\\N``, ``\\L``, ``\\P``), so the text survives exactly.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if YAML_LINE_BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


FrontMatterDumper.add_representer(str, _represent_str)


# libyaml's emitter writes the same bytes as PyYAML's about ten times faster, except around
# line separators and characters beyond the BMP, which it escapes differently: front matter
# holding those keeps the Python emitter, so the output never depends on libyaml.
class FastFrontMatterDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """``FrontMatterDumper`` on libyaml's emitter (the Python one where libyaml is missing)."""


FastFrontMatterDumper.add_representer(str, _represent_str)
PYTHON_EMITTER_ONLY = re.compile("[\x85\u2028\u2029\U00010000-\U0010ffff]")

# Even libyaml cost a third of the ingest at 50,000 articles, so front matter whose every string
# would be emitted as a plain scalar is written from a template instead: the same bytes the
# emitter writes (tests/pipeline/test_render.py compares both on random strings), which any
# YAML reader parses back to the same data. Everything else still goes through the emitter.
# A plain scalar here: printable BMP characters other than tab and BOM; no indicator first
# (``- ? : , [ ] { } # & * ! | > ' " % @ ` `` or a space); no space last; no ``: `` or `` #``;
# short enough that the emitter never folds it (``width=1000``).
PLAIN_SCALAR = re.compile(
    "[^-?:,\\[\\]{}#&*!|>'\"%@` \x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
    "[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]{0,199}"
)
NOT_PLAIN_INSIDE = re.compile(r"(?:: | #|:$| $)")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def scalar_text(value: str) -> str | None:
    """``value`` as the YAML emitter writes it when that is plain or simply single-quoted, else None.

    A string that would read back as something else (``yes``, ``1e3``, ``2026-01-11``, ``~``:
    a bool, number, date or null) is single-quoted, as the emitter does.
    """
    if PLAIN_SCALAR.fullmatch(value) is None or NOT_PLAIN_INSIDE.search(value) or value.startswith("..."):
        return None
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG:
        return value
    return "'" + value.replace("'", "''") + "'"


def template_front_matter(data: dict) -> str | None:
    """``dump_front_matter(data)`` for strings, non-empty string lists and booleans that
    ``scalar_text`` can write; None when any value needs the emitter."""
    lines = []
    for key, value in data.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
            continue
        if isinstance(value, str):
            text = scalar_text(value)
            if text is None:
                return None
            lines.append(f"{key}: {text}")
            continue
        if not isinstance(value, list) or not value:
            return None
        lines.append(f"{key}:")
        for item in value:
            text = scalar_text(item) if isinstance(item, str) else None
            if text is None:
                return None
            lines.append(f"- {text}")
    return "\n".join(lines) + "\n"


def emit_front_matter(data: dict) -> str:
    """The YAML emitter's front matter (libyaml unless a string needs the Python emitter)."""
    python_only = PYTHON_EMITTER_ONLY.search(json.dumps(data, ensure_ascii=False, default=str))
    dumper = FrontMatterDumper if python_only else FastFrontMatterDumper
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def dump_front_matter(data: dict) -> str:
    return template_front_matter(data) or emit_front_matter(data)


def render_inputs(article: Article, tags: list[str], text_digest: bytes) -> tuple:
    """Everything ``render_article`` reads, as a plain tuple (``text_digest``: a hash of the text).

    The same tuple gives the same bytes with the same code: the ingest's cache compares it with
    the last run's to skip rendering an article that did not change.
    """
    return (
        text_digest,
        article.title,
        article.id,
        tuple(tags),
        tuple((entry.file, entry.line) for entry in article.entries),
        article.date,
        article.category,
        article.truncated,
    )


def render_article(article: Article, tags: list[str]) -> str:
    header = dump_front_matter(front_matter(article, tags))
    return f"{FRONT_MATTER_FENCE}\n{header}{FRONT_MATTER_FENCE}\n\n{render_body(article.text)}\n"
