"""What is under ``docs/`` before the ingest writes: every Markdown file, whose it is, and which id it carries.

The ingest writes only into a real ``docs/articles/`` folder: a symlinked one (or a ``docs/``
that is a symlink leaving the working directory) would send its writes elsewhere, so the run
refuses it (``UnsafeDocs``). Files are read without following symlinks out of ``docs/``;
something that only looks like a Markdown file (a folder named ``x.md``, a device, a pipe)
is skipped with a warning, never read. Files the manifest recognises by hash are not parsed
at all (``plan`` checks their front matter only before changing one); every other file's
front matter gives the id and ``generated`` flag that decide take-overs and duplicates.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline.docsfiles import DocsFiles
from ingest.pipeline.manifest import Manifest, sha256
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Problem

MAX_ARTICLE_BYTES = 16 << 20  # far above any generated article (the feed line cap is 1 MiB)
FRONT_MATTER_READ_BYTES = 1 << 20  # a larger file is only read this far, for its id


class UnsafeDocs(Exception):
    """The docs folder is not a place the ingest may write to."""


@dataclass
class DocsFile:
    relative: str  # posix, inside docs/
    digest: str  # sha256 of the bytes (of the first FRONT_MATTER_READ_BYTES for an oversized file)
    owned: bool  # the manifest records this version of this path (hash only)
    id: str | None = None  # front matter ``id``; read for files the manifest does not recognise
    id_line: int = 1
    generated: bool = False  # front matter ``generated: true``; likewise


def check_docs_folder(docs: Path, cwd: Path | None = None) -> None:
    """Refuse a docs folder whose writes would land outside it."""
    root = Path(os.path.realpath(cwd or Path.cwd()))
    if docs.is_symlink() and not Path(os.path.realpath(docs)).is_relative_to(root):
        raise UnsafeDocs(f"{terminal_safe(docs.as_posix())}:0: is a symlink leading outside the project: nothing done")
    articles = docs / ARTICLES_DIR
    if articles.is_symlink() or (os.path.lexists(articles) and not articles.is_dir()):
        raise UnsafeDocs(
            f"{terminal_safe(articles.as_posix())}:0: is not a real folder (a symlink or a file): the ingest writes "
            "only into a real docs/articles/ folder; nothing done"
        )


def read_capped(path: Path, size: int) -> bytes:
    """The whole file, or only its start when it is too big to be an article the ingest wrote."""
    with path.open("rb") as handle:
        return handle.read(MAX_ARTICLE_BYTES if size <= MAX_ARTICLE_BYTES else FRONT_MATTER_READ_BYTES)


def scan_docs(
    docs: Path, manifest: Manifest, files: DocsFiles | None = None
) -> tuple[dict[str, DocsFile], list[Problem]]:
    """Every regular ``*.md`` under ``docs`` (symlinks only when they stay inside it), by relative path.

    ``files``: the hashes the last run left (``docsfiles``): a regular file whose ``stat`` did not
    change since is not read again, unless its front matter is needed.
    """
    files = files or DocsFiles(docs)
    found: dict[str, DocsFile] = {}
    problems: list[Problem] = []
    if not docs.is_dir():
        return found, problems
    real_docs = Path(os.path.realpath(docs))
    root = os.path.join(docs, "")  # plain strings: at 100,000 files pathlib's joins cost more than the stats
    for current, subfolders, names in os.walk(docs):
        subfolders.sort()
        prefix = os.path.join(current, "")[len(root) :]
        for name in sorted(subfolders):
            if name.endswith(".md"):
                problems.append(
                    Problem(
                        terminal_safe(Path(current, name).as_posix()), 0, "a folder named like an article: not read"
                    )
                )
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            relative = prefix + name
            path = root + relative
            try:
                status = os.lstat(path)
                link = stat.S_ISLNK(status.st_mode)
                if link:
                    if not Path(os.path.realpath(path)).is_relative_to(real_docs):
                        continue  # leaves docs/: never the ingest's, never read (check and the build report it)
                    status = os.stat(path)
                if not stat.S_ISREG(status.st_mode):
                    problems.append(Problem(terminal_safe(Path(path).as_posix()), 0, "not a regular file: not read"))
                    continue
                small = status.st_size <= MAX_ARTICLE_BYTES
                # A regular file of article size is known by the stat index; others are read here.
                content = None if small and not link else read_capped(Path(path), status.st_size)
                digest = files.digest(relative) if content is None else sha256(content)
            except OSError as error:
                problems.append(
                    Problem(terminal_safe(Path(path).as_posix()), 0, f"cannot read ({error.strerror}): skipped")
                )
                continue
            if digest is None:
                continue  # gone since it was listed
            owned = not link and manifest.owns_digest(relative, digest)
            entry = DocsFile(relative, digest, owned)
            if not owned:
                content = content if content is not None else files.read(relative)
                if content is not None:
                    read_identity(entry, Path(path), content)
            found[relative] = entry
    return found, problems


def read_identity(entry: DocsFile, path: Path, content: bytes) -> None:
    try:
        # utf-8-sig, as MkDocs reads pages: editors on Windows often start a file with a BOM,
        # which would otherwise hide the front matter (and a taken-over article's id).
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as MkDocs reads text
    front_matter, _ = split_front_matter(path.as_posix(), text)
    if front_matter is None:
        return
    article_id = front_matter.data.get("id")
    if article_id is not None and str(article_id).strip():
        entry.id = str(article_id)
        entry.id_line = front_matter.key_lines.get("id", 1)
    entry.generated = front_matter.data.get("generated") is True
