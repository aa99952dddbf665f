"""Render an article as Markdown with YAML front matter.

The excerpt must display exactly as scraped: HTML, Markdown, template and math syntax in
it are escaped so they show as literal text and run nothing. The scraper's placeholders
(``[公式]``, ``[Math]``, ``[代码]``) become a visible marker saying what the source lost.
"""

from __future__ import annotations

import re

import yaml

from ingest.model import Article

FRONT_MATTER_FENCE = "---"
PLACEHOLDERS = {"[公式]": "formula", "[Math]": "formula", "[代码]": "code"}
PLACEHOLDER_LABELS = {"formula": "公式缺失", "code": "代码缺失"}
PLACEHOLDER_TITLES = {"formula": "抓取时这里的公式丢失了", "code": "抓取时这里的代码丢失了"}
PLACEHOLDER = re.compile("|".join(re.escape(token) for token in PLACEHOLDERS))
WHITESPACE = re.compile(r"\s+")

# Characters Markdown or its extensions give meaning anywhere in a line. The backslash
# itself, HTML-significant characters and math delimiters become entities, which no
# inline pattern (arithmatex's ``\(`` included) can pick up; the rest get a backslash.
ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "$": "&#36;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
}
BACKSLASHED = set("*_{}[]")
# Only at the start of the (single) line: headings, lists, block quotes, rules.
LINE_START = re.compile(r"^(?:[#+\-=]|\d+[.)])")


def placeholder_marker(token: str) -> str:
    kind = PLACEHOLDERS[token]
    return f'<span class="kb-dropped" title="{PLACEHOLDER_TITLES[kind]}">{PLACEHOLDER_LABELS[kind]}</span>'


def escape_markdown(text: str) -> str:
    """Escape text so Markdown renders it verbatim."""
    out = []
    for char in text:
        if char in ENTITIES:
            out.append(ENTITIES[char])
        elif char in BACKSLASHED:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def render_body(text: str) -> str:
    """One paragraph: whitespace folded (an excerpt is one line anyway), everything else literal."""
    folded = WHITESPACE.sub(" ", text).strip()
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


def render_article(article: Article, tags: list[str]) -> str:
    header = yaml.safe_dump(front_matter(article, tags), allow_unicode=True, sort_keys=False, width=1000)
    return f"{FRONT_MATTER_FENCE}\n{header}{FRONT_MATTER_FENCE}\n\n{render_body(article.text)}\n"
