"""A Markdown file of ``docs/`` as the rules see it: its text, its front matter, where it sits.

``check`` and the site build read pages through this one function, so both see the same
front matter (or the same reason it was refused) for every file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mkdocs.utils import meta as mkdocs_meta

from ingest.shared.frontmatter_io import FRONT_MATTER, FrontMatter, split_front_matter
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Problem
from ingest.shared.ownership import Ownership
from ingest.site.rebuild_memo import CarriedOver
from ingest.site.rules.markdown_source import code_free_lines, link_targets_of_lines


@dataclass
class SourcePage:
    path: Path
    name: str  # how problems name the file (relative to the working directory when inside it)
    relative: str | None  # posix path inside docs/, None for a file outside it
    text: str | None  # None when the file could not be read
    front_matter: FrontMatter | None
    problems: list[Problem] = field(default_factory=list)  # reading or parsing the front matter
    owned_by_ingest: bool = False  # the manifest records these exact bytes

    @property
    def is_article(self) -> bool:
        return self.relative is not None and self.relative.startswith(f"{ARTICLES_DIR}/")

    @property
    def meta(self) -> dict:
        return self.front_matter.data if self.front_matter else {}

    @property
    def body(self) -> str:
        if self.front_matter is not None:
            return self.front_matter.body
        return self.text or ""

    @property
    def body_line(self) -> int:
        return self.front_matter.body_line if self.front_matter is not None else 1

    @cached_property
    def code_free_lines(self) -> list[str]:
        """The body's lines with code blanked (``markdown_source.code_free_lines``), computed once for all rules."""
        return code_free_lines(self.body)

    @cached_property
    def link_targets(self) -> list[tuple[int, str]]:
        """``(line, target)`` of every link of the body outside code, computed once for all rules."""
        return link_targets_of_lines(self.code_free_lines, self.body_line)

    @property
    def has_front_matter_block(self) -> bool:
        return self.text is not None and FRONT_MATTER.match(self.text) is not None


def relative_inside(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder`` (both made absolute, links not resolved), or ``None`` outside it."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None
    return Path(relative).as_posix()


def decode_page(raw: bytes) -> str:
    """The text MkDocs reads from these bytes: UTF-8 with an optional BOM, universal newlines."""
    return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def page_name(path: Path, cwd: str) -> str:
    """How problems name a page: relative to the working directory when inside it, links not resolved
    (cheap on large sites, and a link is named as the link)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, cwd)
    return absolute if relative.startswith(os.pardir) else Path(relative).as_posix()


def read_source_page(
    path: Path, docs: Path, ownership: Ownership, cwd: Path | None = None, memo: CarriedOver | None = None
) -> SourcePage:
    """The page at ``path``; with a ``memo``, the same object as the last build's for the same bytes."""
    name = page_name(path, str(cwd) if cwd else os.getcwd())
    relative = relative_inside(path, docs)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return SourcePage(path, name, relative, None, None, [Problem(name, 0, f"cannot read: {error.strerror}")])
    owned = relative is not None and ownership.owns(relative, raw)
    if memo is None:
        return parse_source_page(path, name, relative, raw, owned)
    return memo.get((path, name, relative, raw, owned), lambda: parse_source_page(path, name, relative, raw, owned))


def parse_source_page(path: Path, name: str, relative: str | None, raw: bytes, owned: bool) -> SourcePage:
    try:
        text = decode_page(raw)
    except UnicodeDecodeError as error:
        return SourcePage(path, name, relative, None, None, [Problem(name, 1, f"not UTF-8 ({error.reason})")])
    front_matter, problems = split_front_matter(name, text)
    return SourcePage(path, name, relative, text, front_matter, problems, owned)


# MkDocs reads a page's metadata itself (``mkdocs.utils.meta.get_data``): a YAML block, or, when
# there is none, leading ``key: value`` lines (MultiMarkdown style). The build hands MkDocs a
# source in which neither can carry what the rules refused (``on_page_read_source``).
EMPTY_FRONT_MATTER = "---\n{}\n---\n\n"


def multimarkdown_meta(text: str) -> dict:
    """The MultiMarkdown-style metadata MkDocs would read from a page without a YAML block."""
    if FRONT_MATTER.match(text):
        return {}
    _, data = mkdocs_meta.get_data(text)  # without a YAML block this parses no YAML at all
    return data


def source_for_mkdocs(page: SourcePage) -> str | None:
    """The text MkDocs should parse for ``page``: unchanged when its front matter was accepted; with the
    front matter block (or MultiMarkdown lines) made inert when it was refused, so MkDocs' own YAML
    reader never expands an alias bomb and no refused key reaches the templates."""
    if page.text is None:
        return None
    match = FRONT_MATTER.match(page.text)
    if match:
        return page.text if page.front_matter is not None else EMPTY_FRONT_MATTER + page.text[match.end() :]
    if multimarkdown_meta(page.text):
        return EMPTY_FRONT_MATTER + page.text
    return page.text
