"""Scaffold a hand-written article: ``python -m ingest new --title T --tag X [--tag Y]...``.

Hand-written articles live in ``docs/articles/`` beside the generated ones, so a URL never
changes when a contributor takes a generated article over. The new file never replaces an
existing one, and its id (``hw-`` + random hex) can never be produced by the ingest, whose
ids are plain hex hashes of the text.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from pathlib import Path

import yaml

from ingest.shared.docs_files import find_docs_files
from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.tags import unknown_tag_message
from ingest.shared.taxonomy import Taxonomy
from ingest.site.rules.front_matter import plain_text_problem
from ingest.site.rules.placement import windows_name_problem

ID_PREFIX = "hw-"
ID_HEX_CHARS = 8  # generated slugs end in 6 hex characters, so a fallback slug never looks like one
MAX_SLUG_WORDS = 8
MAX_SLUG_CHARS = 60
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
RESERVED_STEMS = {"index", "readme"}  # index.md is a folder's page, not an article

BODY_TEMPLATE = """\
<!-- 第一段用一两句话说明本文讲什么、适合谁读。这些注释是写作提示，读者看不到，可以删掉。 -->

## 背景

<!-- 要解决什么问题？为什么重要？ -->

## 正文

<!-- 行内公式写成 $E = mc^2$，独立公式单独成段：

$$
\\mathcal{L}(\\theta) = -\\sum_{i=1}^{n} \\log p_\\theta(y_i \\mid x_i)
$$

代码用 ``` 围起来并注明语言，例如 ```python。 -->

## 参考资料

<!-- - [论文或文章标题](https://example.org/) -->
"""


class NewArticleError(Exception):
    """Input the scaffold refuses, with a message meant for the contributor."""


def resolve_tags(names: list[str], taxonomy: Taxonomy) -> list[str]:
    """Canonical tags for topic ids, Chinese or English names; unknown names are refused with suggestions."""
    if not names:
        raise NewArticleError("give at least one --tag (a topic id, Chinese or English name from the taxonomy)")
    tags, unknown = [], []
    for name in names:
        topic = taxonomy.lookup(name)
        if topic is None:
            unknown.append(unknown_tag_message(name, taxonomy))
        elif topic.tag not in tags:
            tags.append(topic.tag)
    if unknown:
        raise NewArticleError("\n".join(unknown))
    return tags


def slug_from_title(title: str) -> str | None:
    """The title's ASCII words, lower-cased and hyphenated; ``None`` when it has none with a letter."""
    words = [word.lower() for word in ASCII_WORD.findall(title)]
    if not any(any(char.isalpha() for char in word) for word in words):
        return None
    slug = "-".join(words[:MAX_SLUG_WORDS])
    return slug[:MAX_SLUG_CHARS].rstrip("-")


def new_article_id(taken: set[str], token: Callable[[int], str] = secrets.token_hex) -> str:
    while True:
        candidate = ID_PREFIX + token(ID_HEX_CHARS // 2)
        if candidate not in taken:
            return candidate


def free_slug(preferred: str, taken_stems: set[str]) -> str:
    """``preferred``, or ``preferred-2``, ``-3``... whichever no file uses yet (compared case-insensitively)
    and Windows can check out (``con.md`` cannot be created there)."""
    candidate, number = preferred, 1
    while (
        candidate.casefold() in taken_stems
        or candidate.casefold() in RESERVED_STEMS
        or windows_name_problem(f"{candidate}.md")
    ):
        number += 1
        candidate = f"{preferred}-{number}"
    return candidate


def article_text(title: str, article_id: str, tags: list[str], today: dt.date) -> str:
    front_matter = {"title": title, "id": article_id, "tags": tags, "date": today}
    header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{BODY_TEMPLATE}"


def existing_ids(docs: Path) -> set[str]:
    ids = set()
    for path in find_docs_files(docs).markdown:
        try:
            front_matter, _ = split_front_matter(path.as_posix(), path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        if front_matter and front_matter.data.get("id") is not None:
            ids.add(str(front_matter.data["id"]))
    return ids


def create_article(
    docs: Path,
    taxonomy: Taxonomy,
    title: str,
    tag_names: list[str],
    today: dt.date,
    token: Callable[[int], str] = secrets.token_hex,
) -> Path:
    """Write the scaffold and return its path; never replaces a file."""
    title = " ".join(title.split())
    if not title:
        raise NewArticleError("the --title is empty")
    if any("\ud800" <= char <= "\udfff" for char in title):
        # What Python makes of command-line bytes that are not UTF-8: no file may hold them.
        raise NewArticleError("the --title holds bytes that are not UTF-8 text; write it again in UTF-8")
    reason = plain_text_problem("title", title, hand_written=True)
    if reason:
        raise NewArticleError(f"--title: {reason}")
    tags = resolve_tags(tag_names, taxonomy)
    article_id = new_article_id(existing_ids(docs), token)
    folder = docs / ARTICLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    preferred = slug_from_title(title) or f"{taxonomy.lookup(tags[0]).id}-{article_id.removeprefix(ID_PREFIX)}"
    text = article_text(title, article_id, tags, today)
    while True:
        # File names are unique across every sub-folder of articles/ (``ingest takeover NAME`` finds one).
        taken = {path.stem.casefold() for path in folder.iterdir()}
        taken |= {path.stem.casefold() for path in find_docs_files(docs, ARTICLES_DIR).markdown}
        path = folder / f"{free_slug(preferred, taken)}.md"
        try:
            # Exclusive creation: even a file appearing since the listing is never overwritten.
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            continue
