"""Which topics the site shows, how they nest, and how many articles each one holds.

The taxonomy nests one level (section, parent topic, child topic). An article tagged with a child
topic belongs to its parent too, so a parent's count is its own articles plus its children's,
each article once. A topic is *empty* when neither it nor any child has an article: the
navigation, the topic map and search leave it out, but its page is still built (links to it
keep working, and it carries the topic's description and formulas).

The navigation, topic pages and the home page's map all read this one structure, so their counts
always agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ingest.shared.taxonomy import Taxonomy, Topic
from ingest.site.library import LibraryArticle


@dataclass(frozen=True)
class TopicEntry:
    topic: Topic
    direct: tuple[LibraryArticle, ...]  # tagged with this topic
    from_children: tuple[LibraryArticle, ...]  # tagged with a child and not with this topic
    children: tuple[TopicEntry, ...] = ()  # every child, empty ones too, in taxonomy order

    @property
    def total(self) -> int:
        return len(self.direct) + len(self.from_children)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def shown_children(self) -> tuple[TopicEntry, ...]:
        return tuple(child for child in self.children if not child.is_empty)

    @property
    def nests(self) -> bool:
        """Shown as a navigation section of its own: its page is the section's index, its
        non-empty children are nested under it."""
        return bool(self.shown_children)


class TopicTree:
    """The taxonomy's topics with their articles, built once per site build."""

    def __init__(self, taxonomy: Taxonomy, grouped: Mapping[str, Sequence[LibraryArticle]]) -> None:
        self.taxonomy = taxonomy
        self._entries: dict[str, TopicEntry] = {}
        self._parents: dict[str, Topic] = {}
        for topic in taxonomy.topics:
            if topic.parent is None:
                self._entries[topic.id] = self._entry(topic, grouped)
        # load_taxonomy refuses unknown or nested parents; a taxonomy built some other way
        # still gets every topic a page, such a child standing on its own.
        for topic in taxonomy.topics:
            if topic.id not in self._entries:
                self._entries[topic.id] = self._leaf(topic, grouped)

    def _entry(self, topic: Topic, grouped: Mapping[str, Sequence[LibraryArticle]]) -> TopicEntry:
        children = tuple(self._leaf(child, grouped) for child in self.taxonomy.children(topic.id))
        for child in children:
            self._entries[child.topic.id] = child
            self._parents[child.topic.id] = topic
        direct = tuple(grouped.get(topic.id, ()))
        seen = {article.path for article in direct}
        from_children = []
        for child in children:
            for article in child.direct:
                if article.path not in seen:
                    seen.add(article.path)
                    from_children.append(article)
        from_children.sort(key=lambda article: (article.title, article.path))
        return TopicEntry(topic, direct, tuple(from_children), children)

    @staticmethod
    def _leaf(topic: Topic, grouped: Mapping[str, Sequence[LibraryArticle]]) -> TopicEntry:
        return TopicEntry(topic, tuple(grouped.get(topic.id, ())), ())

    def entry(self, topic_id: str) -> TopicEntry:
        return self._entries[topic_id]

    def parent_of(self, topic: Topic) -> Topic | None:
        return self._parents.get(topic.id)

    def top_level(self, section_id: str) -> list[TopicEntry]:
        """The section's topics that have no parent, in taxonomy order, empty ones too."""
        return [
            self._entries[topic.id] for topic in self.taxonomy.topics_in(section_id) if self.parent_of(topic) is None
        ]

    def shown(self) -> Iterator[TopicEntry]:
        """Every non-empty topic, section by section, each parent followed by its shown children."""
        for section in self.taxonomy.sections:
            for entry in self.top_level(section.id):
                if not entry.is_empty:
                    yield entry
                    yield from entry.shown_children

    def nesting_ids(self) -> set[str]:
        """Topics whose page is the index of a navigation section (see ``TopicEntry.nests``)."""
        return {entry.topic.id for entry in self.shown() if entry.nests}
