"""The Markdown files under ``docs/``, found the same way by the site build, ``check``, ``new`` and ``takeover``.

MkDocs follows symbolic links when it collects ``docs/``, so a link to ``/etc/passwd`` or to a
folder outside the repository would be published and indexed for search. This walk follows a
link only while its target stays inside the repository (the folder holding ``docs/``); a link
that leaves it, or leads nowhere, is refused by name. A folder whose name ends in ``.md`` is not a
page: it is reported with a warning and walked like any other folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.model import Problem

MARKDOWN_SUFFIX = ".md"


@dataclass
class DocsFiles:
    markdown: list[Path] = field(default_factory=list)  # as found under docs (links not resolved), sorted
    refused_links: list[Path] = field(default_factory=list)  # symbolic links not followed
    problems: list[Problem] = field(default_factory=list)  # one per refused link
    warnings: list[Problem] = field(default_factory=list)  # folders named like Markdown files


def link_name(path: Path) -> str:
    """How messages name a path that may be a symbolic link: relative to the working directory when
    inside it, never resolved (resolving would name the link's target instead of the link)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    return absolute if relative.startswith(os.pardir) else Path(relative).as_posix()


def project_root(docs: Path) -> Path:
    """The repository a docs folder belongs to: the folder holding it (and mkdocs.yml)."""
    return docs.resolve().parent


def is_inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def link_problem(link: Path, root: Path) -> str | None:
    """Why the symbolic link ``link`` must not be followed, or ``None`` when its target is inside ``root``."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop of links
        return f"symbolic link to {os.readlink(link)!r} leads nowhere: remove it"
    if not is_inside(target, root):
        return (
            f"symbolic link to {target.as_posix()!r}, outside the repository: it would publish that file; "
            "copy what you need into docs/ instead"
        )
    return None


def find_docs_files(docs: Path, under: str | None = None) -> DocsFiles:
    """Every Markdown file in ``docs`` (or in its sub-folder ``under``), following only safe links."""
    found = DocsFiles()
    top = docs / under if under else docs
    if not top.is_dir():
        return found
    root = project_root(docs)
    visited: set[Path] = set()  # real folders already walked: a link back up would loop forever
    pending = [top]
    while pending:
        folder = pending.pop()
        real = folder.resolve()
        if real in visited:
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            found.problems.append(Problem(link_name(folder), 0, f"cannot read this folder: {error.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                reason = link_problem(path, root)
                if reason:
                    found.refused_links.append(path)
                    found.problems.append(Problem(link_name(path), 0, reason))
                    continue
            if entry.is_dir():
                if entry.name.endswith(MARKDOWN_SUFFIX):
                    found.warnings.append(
                        Problem(link_name(path), 0, "a folder named like a Markdown page is not a page; skipped")
                    )
                pending.append(path)
            elif entry.name.endswith(MARKDOWN_SUFFIX) and entry.is_file():
                found.markdown.append(path)
    found.markdown.sort()
    return found


def is_under_refused_link(path: Path, refused: list[Path]) -> bool:
    """Whether ``path`` (unresolved, as MkDocs lists it) is a refused link or lies in a refused linked folder."""
    return any(path == link or link in path.parents for link in refused)


def docs_files_on_disk(docs: Path) -> set[str]:
    """Every file under ``docs`` (any kind: pages, images), docs-relative: what a relative link may point at."""
    if not docs.is_dir():
        return set()
    return {path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file()}
