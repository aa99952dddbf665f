"""The topic taxonomy: a YAML file contributors edit (``taxonomy.yml``).

Each topic has an id, a Chinese and an English name, a section, an optional parent topic (one
level only, in the same section: LayerNorm under normalization), aliases in both languages, a
short Markdown description and key formulas. Aliases drive tagging, the search keywords and
the key terms jieba extracts; ``former_names`` are names a renamed topic still answers to as a tag, and
``former_ids`` are ids it was published under: tags naming them still resolve, and the site
redirects their old topic URLs to the topic's page.
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
    line: int = field(default=0, compare=False)  # 1-based line of the formula in taxonomy.yml


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
    parent: str | None = None
    former_names: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()

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

    _by_id: dict[str, Topic] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {topic.id: topic for topic in self.topics}
        # Current names first, so a former name can never shadow a topic's current one.
        for topic in self.topics:
            for name in (topic.id, topic.zh, topic.en):
                self._by_name.setdefault(name.casefold(), topic)
        for topic in self.topics:
            for name in (*topic.former_ids, *topic.former_names):
                self._by_name.setdefault(name.casefold(), topic)

    def topic(self, topic_id: str) -> Topic:
        return self._by_id[topic_id]

    def children(self, topic_id: str) -> list[Topic]:
        """The topics whose parent is ``topic_id``, in taxonomy order."""
        return [topic for topic in self.topics if topic.parent == topic_id]

    def former_id_targets(self) -> dict[str, Topic]:
        """Every former id and the topic that now answers for it (its old URL redirects there)."""
        return {former: topic for topic in self.topics for former in topic.former_ids}

    def lookup(self, name: str) -> Topic | None:
        """Find a topic by id, Chinese or English name, or a former id or name (case-insensitive)."""
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
        former_names = _text_list(raw.get("former_names", []))
        if former_names is None:
            problems.append(
                Problem(name, line, f"topic {topic_id!r}: 'former_names' must be a list of non-empty strings")
            )
            former_names = ()
        former_ids = _text_list(raw.get("former_ids", []))
        if former_ids is None:
            problems.append(Problem(name, line, f"topic {topic_id!r}: 'former_ids' must be a list of topic ids"))
            former_ids = ()
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, str):
            problems.append(Problem(name, line, f"topic {topic_id!r}: 'parent' must be a topic id"))
            parent = None
        formulas = []
        for formula in raw.get("formulas") or []:
            if not isinstance(formula, dict) or not isinstance(formula.get("tex"), str):
                problems.append(
                    Problem(name, line_of(formula, line), f"topic {topic_id!r}: a formula needs 'name' and 'tex'")
                )
                continue
            formulas.append(Formula(str(formula.get("name", "")), formula["tex"], line_of(formula, line)))
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
                parent=parent,
                former_names=former_names,
                former_ids=former_ids,
            )
        )
    problems.extend(_parent_problems(name, topics))
    problems.extend(_former_id_problems(name, topics))
    if FALLBACK_TOPIC_ID not in seen:
        problems.append(Problem(name, 1, f"the fallback topic {FALLBACK_TOPIC_ID!r} for unmatched articles is missing"))
    if problems:
        raise TaxonomyError(problems)
    return Taxonomy(name, sections, topics)


def _parent_problems(name: str, topics: list[Topic]) -> list[Problem]:
    """Parents must exist, sit in their child's section and have no parent themselves: the
    navigation has exactly three levels (section, parent topic, child topic)."""
    by_id = {topic.id: topic for topic in topics}
    problems = []
    for topic in topics:
        if topic.parent is None:
            continue
        parent = by_id.get(topic.parent)
        if parent is None:
            problems.append(Problem(name, topic.line, f"topic {topic.id!r}: unknown parent {topic.parent!r}"))
        elif parent.id == topic.id:
            problems.append(Problem(name, topic.line, f"topic {topic.id!r} cannot be its own parent"))
        elif parent.parent is not None:
            problems.append(
                Problem(
                    name,
                    topic.line,
                    f"topic {topic.id!r}: parent {parent.id!r} has a parent itself; topics nest one level only",
                )
            )
        elif parent.section != topic.section:
            problems.append(
                Problem(
                    name,
                    topic.line,
                    f"topic {topic.id!r} is in section {topic.section!r} but its parent {parent.id!r} "
                    f"is in {parent.section!r}",
                )
            )
    return problems


def _former_id_problems(name: str, topics: list[Topic]) -> list[Problem]:
    """A former id is a URL that redirects to one topic: it must look like an id, must not be a
    current id (that page exists, it cannot also redirect) and may belong to one topic only."""
    current = {topic.id for topic in topics}
    claimed: dict[str, str] = {}
    problems = []
    for topic in topics:
        for former in topic.former_ids:
            if not TOPIC_ID.match(former):
                problems.append(
                    Problem(name, topic.line, f"topic {topic.id!r}: former id {former!r} is not a kebab-case topic id")
                )
            elif former in current:
                problems.append(
                    Problem(
                        name,
                        topic.line,
                        f"topic {topic.id!r}: former id {former!r} is the id of a current topic; "
                        "a former id must be one no topic uses any more",
                    )
                )
            elif former in claimed:
                problems.append(
                    Problem(
                        name,
                        topic.line,
                        f"topic {topic.id!r}: former id {former!r} already belongs to {claimed[former]!r}; "
                        "an old URL can redirect to one topic only",
                    )
                )
            else:
                claimed[former] = topic.id
    return problems
