"""Take over a generated article: ``python -m ingest takeover SLUG_OR_ID``.

Deleting the ``generated: true`` line is the whole take-over: the file's bytes then no
longer match the ingest's manifest, so the ingest treats it as hand-written, stops
generating the article with that ``id`` and never writes a second copy. The path and the
id stay, so the URL and every link to the article keep working.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.pipeline.write import atomic_write
from ingest.shared.docs_files import find_docs_files
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.layout import ARTICLES_DIR

GENERATED_LINE = re.compile(r"^generated:[ \t]*(?:true|True|TRUE|yes|Yes|on)[ \t]*(?:#.*)?\n", re.MULTILINE)


class TakeoverError(Exception):
    """Why an article cannot be taken over, meant for the contributor."""


def find_article(docs: Path, slug_or_id: str) -> Path:
    """An article by file name (``flash-attention-552173``, with or without ``.md`` or folders) or front matter ``id``.

    Names are compared as text, never as a glob pattern: ``*`` or ``?`` match only a file so named.
    """
    found = find_docs_files(docs, ARTICLES_DIR).markdown
    wanted = slug_or_id.strip().replace("\\", "/")
    by_path = [
        path for path in found if wanted and (path.as_posix() == wanted or path.as_posix().endswith("/" + wanted))
    ]
    slug = wanted.rsplit("/", 1)[-1].removesuffix(".md")
    candidates = by_path or [path for path in found if slug and path.stem.casefold() == slug.casefold()]
    if len(candidates) > 1:
        names = ", ".join(path.as_posix() for path in candidates)
        raise TakeoverError(f"{slug_or_id!r} names several articles ({names}): give the path")
    if candidates:
        return candidates[0]
    for path in found:
        try:
            front_matter, _ = split_front_matter(path.as_posix(), path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        if front_matter and str(front_matter.data.get("id")) == slug_or_id:
            return path
    raise TakeoverError(f"no article with slug or id {slug_or_id!r} under {(docs / ARTICLES_DIR).as_posix()}")


def without_generated_flag(text: str, name: str) -> str | None:
    """``text`` minus its ``generated: true`` line; ``None`` when the article is already hand-written."""
    front_matter, problems = split_front_matter(name, text)
    if problems or front_matter is None:
        reason = problems[0] if problems else f"{name}:1: no front matter"
        raise TakeoverError(f"{reason}; fix the front matter first")
    if front_matter.data.get("generated") is not True:
        return None
    header_end = len(text) - len(front_matter.body)
    header = GENERATED_LINE.sub("", text[:header_end], count=1)
    updated = header + front_matter.body
    checked, _ = split_front_matter(name, updated)
    if checked is None or "generated" in checked.data:
        raise TakeoverError(f"{name}:{front_matter.key_lines['generated']}: delete the 'generated' line by hand")
    return updated


def take_over(docs: Path, slug_or_id: str) -> tuple[Path, bool]:
    """Make the article hand-written; returns its path and whether anything changed."""
    path = find_article(docs, slug_or_id)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TakeoverError(f"{path.as_posix()}:1: not UTF-8 ({error.reason})") from None
    updated = without_generated_flag(text, path.as_posix())
    if updated is None:
        return path, False
    mode = path.stat().st_mode
    atomic_write(path, updated.encode("utf-8"))
    path.chmod(mode)  # the temporary file was created private; keep the article's own permissions
    return path, True
