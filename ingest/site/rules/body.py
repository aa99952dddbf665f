"""Warnings about an article's body: things allowed, but that a reviewer should look at twice.

- A ``# H1`` replaces the page's title: Material prints ``title:`` as the page heading only when the
  content has no ``<h1>`` of its own.
- Raw HTML stays allowed (reviewers read it in the pull request), but ``<script>``, ``on…=``
  event attributes and ``javascript:`` URLs run in every reader's browser, so they are named.
"""

from __future__ import annotations

import html
import re

from ingest.shared.model import Problem
from ingest.site.source_pages import SourcePage

ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)")
SETEXT_H1_UNDERLINE = re.compile(r"^ {0,3}=+[ \t]*$")
HTML_H1 = re.compile(r"<h1[\s>/]", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script[\s>/]|<script$", re.IGNORECASE | re.MULTILINE)
TAG = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?>", re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"[\s/\"']((?:on)[A-Za-z]+)\s*=", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(
    r"[\s/\"']((?:href|src|action|formaction|xlink:href|data|poster|srcdoc))\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
    re.IGNORECASE,
)
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript):|^data:text/html", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_script_url(value: str) -> bool:
    """Whether a browser would run ``value`` as a link target: entities decoded, blanks and controls dropped."""
    return bool(SCRIPT_URL.match(INVISIBLE.sub("", html.unescape(value))))


def title_heading_warnings(page: SourcePage) -> list[Problem]:
    if not page.is_article:
        return []
    lines = page.code_free_lines
    for offset, line in enumerate(lines):
        previous = lines[offset - 1] if offset else ""
        if ATX_H1.match(line) or HTML_H1.search(line):
            number = page.body_line + offset
        elif SETEXT_H1_UNDERLINE.match(line) and previous.strip() and not ATX_H1.match(previous):
            number = page.body_line + offset - 1  # the heading is the line above its '===' underline
        else:
            continue
        title = page.meta.get("title")
        shown = f" {title!r}" if isinstance(title, str) else ""
        return [
            Problem(
                page.name,
                number,
                f"this level-1 heading replaces the title{shown} at the top of the page; start the body's "
                "headings at '##' (the page title comes from 'title:')",
            )
        ]
    return []


def line_at(text: str, position: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, position)


def raw_html_warnings(page: SourcePage) -> list[Problem]:
    text = "\n".join(page.code_free_lines)
    first = page.body_line
    found: list[Problem] = []

    def warn(position: int, what: str) -> None:
        found.append(
            Problem(
                page.name,
                line_at(text, position, first),
                f"{what} runs in every reader's browser: raw HTML is allowed, but make sure this is meant "
                "(reviewers: look twice)",
            )
        )

    for match in SCRIPT_TAG.finditer(text):
        warn(match.start(), "a <script> element")
    for tag in TAG.finditer(text):
        for attribute in EVENT_ATTRIBUTE.finditer(tag.group()):
            warn(tag.start() + attribute.start(1), f"the event attribute '{attribute.group(1)}='")
        for attribute in URL_ATTRIBUTE.finditer(tag.group()):
            if is_script_url(attribute.group(2).strip("\"'")):
                warn(tag.start() + attribute.start(1), f"a script URL in '{attribute.group(1)}='")
    for line, target in page.link_targets:
        if is_script_url(target):
            found.append(
                Problem(
                    page.name,
                    line,
                    f"the link target {target[:40]!r} runs in every reader's browser: raw HTML is allowed, but "
                    "make sure this is meant (reviewers: look twice)",
                )
            )
    return found
