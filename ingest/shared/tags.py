"""Tags are topics: the one rule for them, applied by ``python -m ingest check``, ``ingest new``
and the strict site build alike, so a pull request meets the same message everywhere.
"""

from __future__ import annotations

from ingest.shared.frontmatter_io import FrontMatter, split_front_matter
from ingest.shared.model import Problem
from ingest.shared.taxonomy import Taxonomy

MAX_SUGGESTIONS = 3
# Where a contributor learns to add a topic: CONTRIBUTING.md's section, by its explicit anchor.
ADD_A_TOPIC = "CONTRIBUTING.md#add-a-topic (section '新增一个主题 / Adding a topic')"


def suggest_tags(name: str, taxonomy: Taxonomy) -> list[str]:
    """Topics whose names or aliases contain ``name`` (a partial name) first, then close spellings (typos)."""
    query = str(name).strip().casefold()
    containing = [
        topic.tag
        for topic in taxonomy.topics
        if query and any(query in known.casefold() for known in (topic.id, *topic.names))
    ]
    return list(dict.fromkeys([*containing, *taxonomy.suggest(name)]))[:MAX_SUGGESTIONS]


def unknown_tag_message(tag: str, taxonomy: Taxonomy) -> str:
    suggestions = suggest_tags(tag, taxonomy)
    hint = f"; did you mean {' or '.join(repr(name) for name in suggestions)}?" if suggestions else ""
    return f"unknown tag {tag!r}{hint} (tags are topics in {taxonomy.path}; to add a new topic, see {ADD_A_TOPIC})"


def check_tags(name: str, front_matter: FrontMatter, taxonomy: Taxonomy) -> list[Problem]:
    """``tags`` must be a non-empty list of topics named by id, Chinese or English name."""
    tags = front_matter.data.get("tags")
    line = front_matter.key_lines.get("tags", 1)
    if not isinstance(tags, list):
        return [Problem(name, line, "'tags' must be a list of topics, one '- tag' line each")]
    if not tags:
        return [Problem(name, line, "'tags' is empty: give at least one topic")]
    problems = []
    item_lines = front_matter.item_lines.get("tags", [])
    for index, tag in enumerate(tags):
        item_line = item_lines[index] if index < len(item_lines) else line
        if not isinstance(tag, str | int | float) or isinstance(tag, bool):
            problems.append(Problem(name, item_line, f"tag {tag!r} must be a plain name"))
        elif taxonomy.lookup(str(tag)) is None:
            problems.append(Problem(name, item_line, unknown_tag_message(str(tag), taxonomy)))
    return problems


def canonical_tags(tags: list, taxonomy: Taxonomy) -> list[str]:
    """Tags as readers see them: each known topic under its Chinese name, once; unknown ones unchanged."""
    canonical = []
    for tag in tags:
        topic = taxonomy.lookup(str(tag))
        name = topic.tag if topic else str(tag)
        if name not in canonical:
            canonical.append(name)
    return canonical


def page_tag_problems(name: str, text: str, taxonomy: Taxonomy) -> list[Problem]:
    """The tag problems of one page, for the site build (which has already parsed it)."""
    front_matter, _ = split_front_matter(name, text)
    if front_matter is None or "tags" not in front_matter.data:
        return []
    return check_tags(name, front_matter, taxonomy)
