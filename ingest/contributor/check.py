"""Check what contributors edit: articles, other pages that declare tags, the taxonomy and titles.

Every check is a pure function returning ``Problem``s (``FILE:LINE: message``); ``cli``
prints them. The tag rule lives in ``ingest.shared.tags``, which the site plugin applies too,
so a pull request meets the same rules in ``python -m ingest check``, in pre-commit and in the
strict site build.

Front matter is split exactly as MkDocs splits it: MkDocs silently renders a front matter
block that is not valid YAML as body text, so this checker is the only place such a
mistake is caught.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ingest.pipeline.manifest import Manifest, check_manifest
from ingest.pipeline.title import load_title_overrides
from ingest.shared.frontmatter_io import FrontMatter, split_front_matter
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.messages import display_name
from ingest.shared.model import Problem
from ingest.shared.tags import check_tags
from ingest.shared.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from ingest.site.feeds import FEED_PATH
from ingest.site.pages import ALL_ARTICLES_PAGE, topic_page_path
from ingest.site.recent import RECENT_PAGE

CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
DOLLAR = re.compile(r"\${1,2}")
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class Document:
    """One Markdown file as the checker sees it."""

    path: Path
    name: str  # how problems name the file
    relative: str | None  # posix path inside docs/, None for a file outside it
    front_matter: FrontMatter | None
    problems: list[Problem]

    @property
    def is_article(self) -> bool:
        return self.relative is not None and self.relative.startswith(f"{ARTICLES_DIR}/")

    @property
    def meta(self) -> dict:
        return self.front_matter.data if self.front_matter else {}


# --------------------------------------------------------------------------- articles


def check_article_fields(document: Document, taxonomy: Taxonomy | None, manifest: Manifest) -> list[Problem]:
    name, front_matter = document.name, document.front_matter
    if front_matter is None:
        return [Problem(name, 1, "no front matter: an article starts with a '---' block giving its title and tags")]
    data, lines = front_matter.data, front_matter.key_lines
    problems = []
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(name, lines.get("title", 1), "'title' is missing or empty"))
    if "tags" not in data:
        problems.append(Problem(name, 1, "'tags' is missing: give at least one topic from the taxonomy"))
    elif taxonomy is not None:
        problems.extend(check_tags(name, front_matter, taxonomy))
    if "id" in data and (not isinstance(data["id"], str | int) or not str(data["id"]).strip()):
        problems.append(Problem(name, lines["id"], "'id' must be a short text such as 'hw-1a2b3c4d'"))
    if "date" in data and not is_date(data["date"]):
        problems.append(Problem(name, lines["date"], f"'date' must be a date written YYYY-MM-DD, not {data['date']!r}"))
    if data.get("generated") is True:
        problems.extend(check_generated(document, manifest))
    return problems


def is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def check_generated(document: Document, manifest: Manifest) -> list[Problem]:
    """A generated article needs its sources; once edited by hand it must stop claiming to be generated.

    The ingest already treats an edited file as hand-written (its bytes no longer match the
    manifest), so the edit is safe; but a page that says ``generated`` while a person now
    maintains it misleads reviewers and readers, so the contributor is asked to make the
    take-over explicit. It is an error rather than a warning so it cannot be merged unnoticed.
    """
    name, front_matter = document.name, document.front_matter
    problems = []
    sources = front_matter.data.get("sources")
    if not isinstance(sources, list) or not sources:
        line = front_matter.key_lines.get("sources", front_matter.key_lines["generated"])
        problems.append(Problem(name, line, "a generated article needs 'sources' (FILE:LINE of the feed entries)"))
    if document.relative and not manifest.owns(document.relative, document.path.read_bytes()):
        problems.append(
            Problem(
                name,
                front_matter.key_lines["generated"],
                "this generated article was edited by hand but still says 'generated: true': delete that line "
                f"(or run `python -m ingest takeover {document.path.stem}`) to take it over, or undo the edit",
            )
        )
    return problems


# --------------------------------------------------------------------------- math


def code_free_lines(body: str) -> list[str]:
    """The body's lines with fenced code blocks blanked and code spans replaced by spaces."""
    lines = []
    fence: str | None = None
    for line in body.split("\n"):
        opener = CODE_FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
            lines.append("")
        elif fence is not None:
            closer = CODE_FENCE.match(line)
            if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= len(fence):
                fence = None
            lines.append("")
        else:
            lines.append(CODE_SPAN.sub(lambda match: " " * len(match.group()), line))
    return lines


def is_escaped(line: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes - 1 >= 0 and line[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def check_math(name: str, body: str, body_line: int) -> list[Problem]:
    """``$$`` must pair up across the page and ``$`` within a paragraph; ``\\$`` is a literal dollar.

    Code spans and fenced code blocks are ignored; HTML entities such as ``&#36;`` hold no
    ``$`` character and so never count.
    """
    problems = []
    display_open: int | None = None  # line of an unclosed '$$'
    inline_open: int | None = None  # line of an unclosed '$'
    for offset, line in enumerate(code_free_lines(body)):
        number = body_line + offset
        if not line.strip() and inline_open is not None and display_open is None:
            problems.append(Problem(name, inline_open, unclosed_inline_message()))
            inline_open = None
        for match in DOLLAR.finditer(line):
            if is_escaped(line, match.start()):
                continue
            if match.group() == "$$":
                display_open = number if display_open is None else None
            elif display_open is None:
                inline_open = number if inline_open is None else None
    if display_open is not None:
        problems.append(Problem(name, display_open, "'$$' opens display math that is never closed by another '$$'"))
    if inline_open is not None:
        problems.append(Problem(name, inline_open, unclosed_inline_message()))
    return problems


def unclosed_inline_message() -> str:
    return "unbalanced '$': inline math opened here is not closed in the same paragraph (write '\\$' for a dollar sign)"


# --------------------------------------------------------------------------- links


def link_targets(body: str, body_line: int) -> list[tuple[int, str]]:
    """``(line, target)`` of every Markdown link and image outside code."""
    targets = []
    for offset, line in enumerate(code_free_lines(body)):
        for pattern in (INLINE_LINK, REFERENCE_LINK):
            for match in pattern.finditer(line):
                targets.append((body_line + offset, match.group(1).strip("<>")))
    return targets


def is_relative_page_link(target: str) -> bool:
    return bool(target) and not (URL_SCHEME.match(target) or target.startswith(("#", "/")))


def link_problem(document: Document, target: str, docs_pages: set[str]) -> str | None:
    """Why ``target`` (relative to the document) does not lead to a page, or ``None`` when it does."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if document.relative is None:
        base = document.path.parent / path
        try:
            exists = base.exists() or base.with_name(base.name + ".md").exists()
        except (OSError, ValueError):  # a name too long for the file system, or holding a NUL
            exists = False
        return None if exists else f"link to {target!r}: no such file"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(document.relative), path))
    if resolved == ".." or resolved.startswith("../"):
        return f"link to {target!r} leaves the docs folder, so it is broken on the site"
    stem = resolved.rstrip("/")
    candidates = (resolved, f"{stem}.md", f"{stem}/index.md")
    return None if any(candidate in docs_pages for candidate in candidates) else f"link to {target!r}: no such page"


def check_links(document: Document, docs_pages: set[str]) -> list[Problem]:
    if document.front_matter is not None:
        body, body_line = document.front_matter.body, document.front_matter.body_line
    else:
        body, body_line = document.path.read_text(encoding="utf-8-sig"), 1
    problems = []
    for line, target in link_targets(body, body_line):
        if is_relative_page_link(target):
            reason = link_problem(document, target, docs_pages)
            if reason:
                problems.append(Problem(document.name, line, reason))
    return problems


def generated_pages(taxonomy: Taxonomy | None) -> set[str]:
    """Pages the site build adds (``ingest.site.pages``), which articles may link to."""
    pages = {ALL_ARTICLES_PAGE, RECENT_PAGE, FEED_PATH}
    if taxonomy is not None:
        pages.update(topic_page_path(topic.id) for topic in taxonomy.topics)
    return pages


# --------------------------------------------------------------------------- duplicates


def check_duplicates(documents: list[Document], reported: set[Path]) -> list[Problem]:
    """Ids and slugs must be unique among all articles; only files being checked are reported.

    Slugs are compared case-insensitively: ``Adam.md`` and ``adam.md`` are one file on macOS
    and Windows checkouts.
    """
    by_id: dict[str, list[Document]] = defaultdict(list)
    by_slug: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        if not document.is_article:
            continue
        by_slug[document.path.stem.casefold()].append(document)
        article_id = document.meta.get("id")
        if isinstance(article_id, str | int) and str(article_id).strip():
            by_id[str(article_id)].append(document)
    problems = []
    for kind, groups in (("id", by_id), ("slug", by_slug)):
        for value, members in groups.items():
            if len(members) < 2:
                continue
            for member in members:
                if member.path not in reported:
                    continue
                others = ", ".join(other.name for other in members if other is not member)
                line = member.front_matter.key_lines.get("id", 1) if kind == "id" and member.front_matter else 1
                problems.append(Problem(member.name, line, f"duplicate {kind} {value!r}: also used by {others}"))
    return problems


# --------------------------------------------------------------------------- taxonomy and titles


def check_taxonomy(path: Path) -> tuple[Taxonomy | None, list[Problem]]:
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as error:
        return None, list(error.problems)
    problems = []
    for topic in taxonomy.topics:
        for problem in check_math(taxonomy.path, topic.description, topic.line):
            # The description spans several lines of the YAML file; name the topic, which is exact.
            problems.append(Problem(problem.file, topic.line, f"topic {topic.id!r} description: {problem.reason}"))
    return taxonomy, problems


def check_titles(path: Path) -> list[Problem]:
    _, problems = load_title_overrides(path)
    return problems


# --------------------------------------------------------------------------- whole runs


def relative_to(path: Path, folder: Path) -> str | None:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None


def read_document(path: Path, docs_root: Path, cwd: Path) -> Document:
    """``path``, ``docs_root`` and ``cwd`` are resolved already (resolving is costly on large sites)."""
    name = relative_to(path, cwd) or path.as_posix()
    relative = relative_to(path, docs_root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return Document(path, name, relative, None, [Problem(name, 1, f"not UTF-8 ({error.reason})")])
    front_matter, problems = split_front_matter(name, text)
    return Document(path, name, relative, front_matter, problems)


def markdown_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.md")))
        elif path.suffix == ".md" and path.is_file():
            files.append(path)
        elif not path.exists():
            problems.append(Problem(display_name(path), 0, "no such file or folder"))
    return files, problems


def check_document(
    document: Document, taxonomy: Taxonomy | None, manifest: Manifest, docs_pages: set[str]
) -> list[Problem]:
    problems = list(document.problems)
    if document.is_article and not document.problems:
        problems.extend(check_article_fields(document, taxonomy, manifest))
    elif document.front_matter is not None and "tags" in document.meta and taxonomy is not None:
        problems.extend(check_tags(document.name, document.front_matter, taxonomy))
    if document.front_matter is not None:
        problems.extend(check_math(document.name, document.front_matter.body, document.front_matter.body_line))
    elif not document.problems:
        problems.extend(check_math(document.name, document.path.read_text(encoding="utf-8-sig"), 1))
    if not document.problems:
        problems.extend(check_links(document, docs_pages))
    return problems


def check_project(paths: list[Path], docs: Path, taxonomy_path: Path, titles_path: Path) -> list[Problem]:
    """Everything ``python -m ingest check`` reports, sorted by file and line.

    ``paths`` (files or folders; empty means all of ``docs``) are the files reported on, but
    duplicates and links are judged against every page under ``docs``, so checking only the
    files a commit changed still catches a clash with an existing article. The taxonomy and
    titles are always checked; naming the taxonomy checks every article's tags too.
    """
    taxonomy, problems = check_taxonomy(taxonomy_path)
    problems.extend(check_titles(titles_path))
    manifest, manifest_problems = check_manifest(docs)
    problems.extend(manifest_problems)

    # A taxonomy edit (a renamed or removed topic) can break any article's tags.
    if any(path.resolve() == taxonomy_path.resolve() for path in paths):
        paths = [*paths, docs]
    all_files, _ = markdown_files([docs]) if docs.is_dir() else ([], [])
    selected, missing = markdown_files(paths or [docs])
    problems.extend(missing)
    docs_root, cwd = docs.resolve(), Path.cwd().resolve()
    reported = [path.resolve() for path in selected]
    documents: dict[Path, Document] = {}
    for resolved in [*(path.resolve() for path in all_files), *reported]:
        if resolved not in documents:
            documents[resolved] = read_document(resolved, docs_root, cwd)

    docs_pages = generated_pages(taxonomy)
    if docs.is_dir():
        docs_pages.update(path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file())
    for path in sorted(set(reported)):
        problems.extend(check_document(documents[path], taxonomy, manifest, docs_pages))
    problems.extend(check_duplicates(list(documents.values()), set(reported)))
    return sorted(set(problems), key=lambda problem: (problem.file, problem.line, problem.reason))
