"""The topic taxonomy: a YAML file contributors edit (``taxonomy.yml``).

Each topic has an id, a Chinese and an English name, a section, aliases in both languages,
a short Markdown description and key formulas. Aliases drive tagging and the search
keywords.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.shared.model import Problem
from ingest.shared.yamlfile import line_of, load_yaml

FALLBACK_TOPIC_ID = "uncategorized"
TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_TOPIC_KEYS = ("id", "zh", "en", "section", "aliases", "description")


@dataclass(frozen=True)
class Section:
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Formula:
    name: str
    tex: str


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str
    en: str
    section: str
    aliases: tuple[str, ...]
    description: str
    formulas: tuple[Formula, ...] = ()
    line: int = 0

    @property
    def tag(self) -> str:
        """The tag written into front matter and shown to readers."""
        return self.zh

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)


@dataclass
class Taxonomy:
    path: str
    sections: list[Section]
    topics: list[Topic]
    _by_name: dict[str, Topic] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for topic in self.topics:
            for name in (topic.id, topic.zh, topic.en):
                self._by_name.setdefault(name.casefold(), topic)

    def topic(self, topic_id: str) -> Topic:
        return next(topic for topic in self.topics if topic.id == topic_id)

    def lookup(self, name: str) -> Topic | None:
        """Find a topic by id, Chinese name or English name (case-insensitive)."""
        return self._by_name.get(str(name).strip().casefold())

    def suggest(self, name: str) -> list[str]:
        """Closest known tags, for 'did you mean' messages."""
        names = {topic.tag: topic for topic in self.topics}
        names.update({topic.id: topic for topic in self.topics})
        names.update({topic.en: topic for topic in self.topics})
        matches = difflib.get_close_matches(str(name), list(names), n=3, cutoff=0.5)
        return list(dict.fromkeys(names[match].tag for match in matches))

    def topics_in(self, section_id: str) -> list[Topic]:
        return [topic for topic in self.topics if topic.section == section_id]


class TaxonomyError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _text_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return tuple(value)
    return None


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate; raises ``TaxonomyError`` listing every problem found."""
    name = path.as_posix()
    data, problem = load_yaml(path)
    if problem:
        raise TaxonomyError([problem])
    if not isinstance(data, dict):
        raise TaxonomyError([Problem(name, 1, "expected a mapping with 'sections' and 'topics'")])
    problems: list[Problem] = []
    sections = []
    for raw in data.get("sections") or []:
        if not isinstance(raw, dict) or not all(isinstance(raw.get(key), str) for key in ("id", "zh", "en")):
            problems.append(Problem(name, line_of(raw), "a section needs string 'id', 'zh' and 'en'"))
            continue
        sections.append(Section(raw["id"], raw["zh"], raw["en"]))
    section_ids = {section.id for section in sections}
    if not sections:
        problems.append(Problem(name, line_of(data), "no sections defined"))

    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for raw in data.get("topics") or []:
        line = line_of(raw)
        if not isinstance(raw, dict):
            problems.append(Problem(name, line, "a topic must be a mapping"))
            continue
        missing = [key for key in REQUIRED_TOPIC_KEYS if key not in raw]
        if missing:
            problems.append(Problem(name, line, f"topic {raw.get('id', '?')!r} lacks {', '.join(missing)}"))
            continue
        topic_id = str(raw["id"])
        if not TOPIC_ID.match(topic_id):
            problems.append(Problem(name, line, f"topic id {topic_id!r} must be lowercase ascii kebab-case"))
        if topic_id in seen:
            problems.append(Problem(name, line, f"duplicate topic id {topic_id!r} (first at line {seen[topic_id]})"))
        seen[topic_id] = line
        if raw["section"] not in section_ids:
            problems.append(
                Problem(
                    name,
                    line,
                    f"topic {topic_id!r}: unknown section {raw['section']!r}; known: {', '.join(sorted(section_ids))}",
                )
            )
        aliases = _text_list(raw["aliases"])
        if aliases is None:
            problems.append(Problem(name, line, f"topic {topic_id!r}: 'aliases' must be a list of non-empty strings"))
            aliases = ()
        formulas = []
        for formula in raw.get("formulas") or []:
            if not isinstance(formula, dict) or not isinstance(formula.get("tex"), str):
                problems.append(
                    Problem(name, line_of(formula, line), f"topic {topic_id!r}: a formula needs 'name' and 'tex'")
                )
                continue
            formulas.append(Formula(str(formula.get("name", "")), formula["tex"]))
        topics.append(
            Topic(
                id=topic_id,
                zh=str(raw["zh"]),
                en=str(raw["en"]),
                section=str(raw["section"]),
                aliases=aliases,
                description=str(raw["description"]).strip(),
                formulas=tuple(formulas),
                line=line,
            )
        )
    if FALLBACK_TOPIC_ID not in seen:
        problems.append(Problem(name, 1, f"the fallback topic {FALLBACK_TOPIC_ID!r} for unmatched articles is missing"))
    if problems:
        raise TaxonomyError(problems)
    return Taxonomy(name, sections, topics)
