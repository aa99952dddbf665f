"""Front-matter keys and values: an allow-list, types, plain text, and the ``generated`` flag.

Material reads some keys as instructions (``template`` picks the page's template, ``location``
feeds the redirect template's script), so only the keys below are accepted on any page, each
with its type. Plain-text fields may not hold HTML in a hand-written page; in a generated one
(whose title is guessed from a scraped excerpt) they are shown escaped, as everywhere.
"""

from __future__ import annotations

import datetime as dt

from ingest.shared.model import Problem
from ingest.shared.tags import check_tags
from ingest.shared.taxonomy import Taxonomy
from ingest.site.plain_text import control_character_in, markup_in
from ingest.site.source_pages import SourcePage

# key -> what it is, for the message naming what is allowed (and CONTRIBUTING.md's table).
ALLOWED_KEYS = {
    "title": "page title, plain text",
    "description": "one-sentence summary for search engines and link previews, plain text",
    "author": "who wrote the page, plain text",
    "id": "unique article id",
    "tags": "list of topics from taxonomy.yml",
    "date": "YYYY-MM-DD",
    "sources": "list of FILE:LINE feed entries",
    "category": "the feed's category, plain text",
    "truncated": "true or false",
    "generated": "true only in files the ingest wrote",
    "search": "Material's search switches: exclude (true or false) and boost (a number)",
    "hide": "list of page parts to hide: " + ", ".join(sorted(("navigation", "toc", "footer", "tags", "feedback"))),
}
PLAIN_TEXT_KEYS = ("title", "description", "author", "category")
HIDE_VALUES = frozenset({"navigation", "toc", "footer", "tags", "feedback"})
BOOLEAN_KEYS = ("truncated", "generated")
FRONT_MATTER_SECTION = "CONTRIBUTING.md#front-matter"
NO_FRONT_MATTER = "no front matter: an article starts with a '---' block giving its title and tags"


SEARCH_SETTING_MESSAGE = "'search' takes 'exclude: true' or 'boost: NUMBER' (a number from 0 to 10), nothing else"


def is_search_setting(value: object) -> bool:
    """Material's ``search.exclude`` and ``search.boost``; any other shape is a mistake."""
    if not isinstance(value, dict) or not value or set(map(str, value)) - {"exclude", "boost"}:
        return False
    exclude, boost = value.get("exclude", False), value.get("boost", 1)
    number = isinstance(boost, int | float) and not isinstance(boost, bool)
    return isinstance(exclude, bool) and number and 0 <= boost <= 10


def unknown_key_message(key: str) -> str:
    allowed = ", ".join(ALLOWED_KEYS)
    return f"{key!r} is not an allowed front-matter key (allowed: {allowed}; see {FRONT_MATTER_SECTION})"


def is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def plain_text_problem(key: str, value: object, hand_written: bool) -> str | None:
    if not isinstance(value, str):
        return f"{key!r} must be plain text, not {type(value).__name__} {value!r}"[:300]
    if not hand_written:
        return None
    markup = markup_in(value)
    if markup:
        return f"{key!r} is plain text and is shown escaped: remove the HTML {markup[:60]!r}"
    char = control_character_in(value)
    if char:
        return f"{key!r} holds the control character {char!r}: write it on one line, without control characters"
    return None


def value_problems(page: SourcePage) -> list[Problem]:
    """Every key allowed, every value of its type."""
    data, lines = page.meta, page.front_matter.key_lines
    hand_written = not page.owned_by_ingest
    problems = []
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if str(key) not in ALLOWED_KEYS:
            problems.append(Problem(page.name, line, unknown_key_message(str(key))))
        elif key in PLAIN_TEXT_KEYS and value is not None:
            reason = plain_text_problem(key, value, hand_written)
            if reason:
                problems.append(Problem(page.name, line, reason))
        elif key in BOOLEAN_KEYS and not isinstance(value, bool):
            problems.append(Problem(page.name, line, f"{key!r} must be true or false, not {value!r}"[:300]))
        elif key == "date" and not is_date(value):
            problems.append(Problem(page.name, line, f"'date' must be a date written YYYY-MM-DD, not {value!r}"[:300]))
        elif key == "id" and (not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip()):
            problems.append(Problem(page.name, line, "'id' must be a short text such as 'hw-1a2b3c4d'"))
        elif key == "sources":
            problems.extend(source_problems(page, value, line, hand_written))
        elif key == "search" and not is_search_setting(value):
            problems.append(Problem(page.name, line, SEARCH_SETTING_MESSAGE))
        elif key == "hide" and not (isinstance(value, list) and all(item in HIDE_VALUES for item in value)):
            problems.append(Problem(page.name, line, f"'hide' must be a list of: {', '.join(sorted(HIDE_VALUES))}"))
    return problems


def source_problems(page: SourcePage, value: object, line: int, hand_written: bool) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(page.name, line, "'sources' must be a list of FILE:LINE entries, one '- ' line each")]
    item_lines = page.front_matter.item_lines.get("sources", [])
    problems = []
    for index, source in enumerate(value):
        reason = plain_text_problem("sources", source, hand_written)
        if reason:
            problems.append(Problem(page.name, item_lines[index] if index < len(item_lines) else line, reason))
    return problems


def article_problems(page: SourcePage, taxonomy: Taxonomy | None) -> list[Problem]:
    """What an article needs on top of valid keys: a title, topics, and an honest ``generated`` flag."""
    if page.front_matter is None:
        return [Problem(page.name, 1, NO_FRONT_MATTER)]
    data, lines = page.meta, page.front_matter.key_lines
    problems = []
    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        problems.append(Problem(page.name, lines.get("title", 1), "'title' is missing or empty"))
    if "tags" not in data:
        problems.append(Problem(page.name, 1, "'tags' is missing: give at least one topic from the taxonomy"))
    elif taxonomy is not None:
        problems.extend(check_tags(page.name, page.front_matter, taxonomy))
    if data.get("generated") is True:
        problems.extend(generated_problems(page))
    return problems


def generated_problems(page: SourcePage) -> list[Problem]:
    """A generated article needs its sources; a file the ingest did not write (or that was edited) must not claim it.

    The ingest already treats an edited file as hand-written (its bytes no longer match the
    manifest), so the edit is safe; but a page that says ``generated`` while a person now
    maintains it misleads reviewers and readers, so the take-over must be explicit.
    """
    front_matter = page.front_matter
    line = front_matter.key_lines["generated"]
    problems = []
    sources = front_matter.data.get("sources")
    if not isinstance(sources, list) or not sources:
        problems.append(
            Problem(
                page.name,
                front_matter.key_lines.get("sources", line),
                "a generated article needs 'sources' (FILE:LINE of the feed entries)",
            )
        )
    if not page.owned_by_ingest:
        # The manifest cannot tell an edit from a new file once an ingest has run (it drops files it no
        # longer owns), so one message covers both.
        problems.append(
            Problem(
                page.name,
                line,
                "the ingest did not write this file as it is now (it was edited by hand, or is new), but it still "
                "says 'generated: true': delete that line "
                f"(or run `python -m ingest takeover {page.path.stem}`) to make it hand-written, or undo the edit",
            )
        )
    return problems


def page_front_matter_problems(page: SourcePage, taxonomy: Taxonomy | None) -> list[Problem]:
    """Front-matter problems of any page: allowed keys and values; tags of non-articles that declare them."""
    if page.front_matter is None:
        return []
    problems = value_problems(page)
    if not page.is_article and "tags" in page.meta and taxonomy is not None:
        problems.extend(check_tags(page.name, page.front_matter, taxonomy))
    return problems
