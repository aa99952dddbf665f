"""Relative links must lead to a page, and a ``#fragment`` to an anchor that page has.

Page existence is judged on the source (every file under ``docs/`` plus the pages the build
generates). Anchors exist only once a page is rendered, so ``anchor_problems`` takes a function
giving a page's anchor ids: the build passes MkDocs' own (``page.present_anchor_ids``), ``check``
those of its rendering with the site's Markdown configuration (``ingest.site.site_markdown``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

from ingest.shared.model import Problem
from ingest.site.source_pages import SourcePage

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_relative_link(target: str) -> bool:
    return bool(target) and not (URL_SCHEME.match(target) or target.startswith(("/", "//")))


def split_target(target: str) -> tuple[str, str]:
    """``(path, fragment)`` of a link target, the query dropped and the path unquoted."""
    path, _, fragment = target.partition("#")
    return unquote(path.split("?", 1)[0]), fragment


def resolve_page(relative: str, path: str, docs_pages: set[str]) -> tuple[str | None, str | None]:
    """``(docs-relative file, None)`` for the page or file a link from ``relative`` leads to, or ``(None, why not)``."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(relative), path))
    if resolved == ".." or resolved.startswith("../"):
        return None, "it leaves the docs folder, so it is broken on the site"
    stem = resolved.rstrip("/")
    for candidate in (resolved, f"{stem}.md", f"{stem}/index.md"):
        if candidate in docs_pages:
            return candidate, None
    return None, "no such page"


def link_problems(page: SourcePage, docs_pages: set[str]) -> list[Problem]:
    """Relative links that lead to no page (a page outside ``docs/`` is judged against the file system)."""
    problems = []
    for line, target in page.link_targets:
        if not is_relative_link(target) or target.startswith("#"):
            continue
        path, _ = split_target(target)
        if not path:
            continue
        if page.relative is None:
            base = page.path.parent / path
            try:
                exists = base.exists() or base.with_name(base.name + ".md").exists()
            except (OSError, ValueError):  # a name too long for the file system, or holding a NUL
                exists = False
            reason = None if exists else "no such file"
        else:
            _, reason = resolve_page(page.relative, path, docs_pages)
        if reason:
            problems.append(Problem(page.name, line, f"link to {target!r}: {reason}"))
    return problems


def fragment_links(page: SourcePage, docs_pages: set[str]) -> list[tuple[int, str, str, str]]:
    """``(line, target, linked page, fragment)`` of every relative link with a ``#fragment`` to a known page."""
    if page.relative is None:
        return []
    found = []
    for line, target in page.link_targets:
        if not is_relative_link(target) or "#" not in target:
            continue
        path, fragment = split_target(target)
        if not fragment:
            continue
        linked = page.relative if not path else resolve_page(page.relative, path, docs_pages)[0]
        if linked is not None and linked.endswith(".md"):
            found.append((line, target, linked, fragment))
    return found


def anchor_problems(
    page: SourcePage, docs_pages: set[str], anchors_of: Callable[[str], set[str] | None]
) -> list[Problem]:
    """Links whose ``#fragment`` is no anchor of the page they lead to; ``anchors_of`` returns ``None`` for
    a page it cannot tell about (never rendered), which is then not judged."""
    problems = []
    for line, target, linked, fragment in fragment_links(page, docs_pages):
        anchors = anchors_of(linked)
        if anchors is None or fragment in anchors:
            continue
        where = "this page" if linked == page.relative else linked
        problems.append(Problem(page.name, line, f"link to {target!r}: {where} has no anchor '#{fragment}'"))
    return problems
