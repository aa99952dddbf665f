"""Tag articles with what they are about, not with everything they mention.

Matching: one Aho-Corasick pass (pyahocorasick) over every alias of ``taxonomy.yml``, on a
match form of the text (NFKC, case-folded, hyphens as spaces, spaces folded and dropped next to
Chinese, so ``KV 缓存`` = ``KV缓存`` and ``fine-tuning`` = ``fine tuning``). ASCII aliases count
only at word boundaries (``RNN`` never inside ``GRNN``; a plural ``s`` is allowed); Chinese
characters count as boundaries (``在介绍Transformer前``). A short alias with capitals (``LN``,
``ZeRO``, ``RoPE``) matches only as written: in lowercase those letters are ordinary words.
Overlapping matches resolve to the longest: ``多头注意力`` counts for multi-head attention only,
not also for ``注意力``.

Ranking the evidence, per topic, the sum over its matches of
``zone weight × rarity × ownership × repeat decay``:

- **zone**: an alias in a glued heading (``headings.parse_opening``) or as the first words of
  the running text (the subject of its first sentence) counts ``HEADING_WEIGHT``, in the
  opening ``OPENING_WEIGHT``, in passing 1; a translation in brackets right after it
  (``直接偏好优化(DPO)``) is the same mention;
- **rarity**: an inverse document frequency over the corpus being ingested plus every other
  topic's description in the taxonomy, so an alias many texts use (``Transformer``, ``大模型``)
  weighs less than a rare one (``RMSNorm``); deterministic and independent of file order;
- **ownership**: an alias shared by k topics gives each 1/k;
- **repeat decay**: the n-th occurrence of the same alias counts 1/n.

Then the primary topic is the best score, except that a specific topic beats its parent when its
evidence is comparable (at least ``CHILD_SHARE`` of the parent's); and a parent gets its children's
evidence when the article surveys the family: it names the parent and ``SURVEY_CHILDREN`` or more
of its children, none of them in a heading (``BatchNorm、LayerNorm、GroupNorm、RMSNorm`` under
归一化层). A secondary topic needs
``SECONDARY_SHARE`` of the primary's score and real evidence: two matches or one in a heading.
An article that matches nothing gets no topic here; ``run`` tags it ``待分类`` and reports it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import ahocorasick

from ingest.pipeline.headings import Opening, parse_opening
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy

HEADING_WEIGHT = 3.0
OPENING_WEIGHT = 2.0
BODY_WEIGHT = 1.0
ZONE_WEIGHTS = {"heading": HEADING_WEIGHT, "lead": HEADING_WEIGHT, "opening": OPENING_WEIGHT}
# A translation right after a term is the same mention: "直接偏好优化(DPO)", "奖励建模阶段 (Reward
# Model)", "单精度FP32", "Face Detection: 人脸检测".
GLOSS = re.compile(r"[^\s,，。;；:：()（）]{0,4}\s*[(（]\s*|\s?|\s*[:：]\s*")
# Of running text after the headings: where an article says what it is about (two sentences or so;
# English takes about twice the characters of Chinese to say the same).
OPENING_CHARS = 100
OPENING_LATIN_CHARS = 200
CHILD_SHARE = 0.5  # a child topic with this share of its parent's score is the more precise tag
SURVEY_CHILDREN = 3  # a parent named with this many of its children: the article surveys the family
SIBLING_SHARE = 0.5  # ... or leading the article, with two children of comparable evidence
SECONDARY_SHARE = 0.4
MAX_TOPICS = 3
# A short alias written with capitals is an acronym or a coined name (LN, BN, ZeRO, RoPE, GAT);
# in lowercase the same letters are usually an ordinary word or a variable (ln, zero, rope, gates),
# so such an alias only matches as written.
MAX_CASE_SENSITIVE_CHARS = 5

CJK = "\u3400-\u9fff\uf900-\ufaff"
WHITESPACE_OR_HYPHEN = re.compile(r"[\s\-‐‑‒–]")
SPACE_RUN = re.compile(" +")
CJK_TEXT = re.compile(f"[{CJK}]")
SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{CJK}]) | (?=[{CJK}])")


def match_form(text: str) -> str:
    """The form aliases are matched in (also applied to the aliases themselves); the same as
    ``fold_with_offsets(text)[0]``, without the offsets."""
    folded = WHITESPACE_OR_HYPHEN.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return SPACE_NEXT_TO_CJK.sub("", SPACE_RUN.sub(" ", folded)).strip(" ")


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` in match form, with the offset in ``text`` of every character of the result."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        offsets = list(range(len(text)))  # the usual case: one character for one
    else:
        pieces, offsets = [], []
        for index, char in enumerate(text):
            piece = unicodedata.normalize("NFKC", char).casefold()
            pieces.append(piece)
            offsets.extend([index] * len(piece))
        folded = "".join(pieces)
    folded = WHITESPACE_OR_HYPHEN.sub(" ", folded)
    # Fold runs of spaces, and drop spaces next to Chinese (typographic, not part of any term).
    kept: list[str] = []
    kept_offsets: list[int] = []
    position = 0
    for run in SPACE_RUN.finditer(folded):
        kept.append(folded[position : run.start()])
        kept_offsets.extend(offsets[position : run.start()])
        before = folded[run.start() - 1] if run.start() else ""
        after = folded[run.end()] if run.end() < len(folded) else ""
        if before and after and not _is_cjk(before) and not _is_cjk(after):
            kept.append(" ")
            kept_offsets.append(offsets[run.start()])
        position = run.end()
    kept.append(folded[position:])
    kept_offsets.extend(offsets[position:])
    return "".join(kept), kept_offsets


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


@dataclass(frozen=True)
class Match:
    """One alias found in an article."""

    key: str  # the alias in match form
    topic_ids: tuple[str, ...]
    start: int  # offsets in the article's text
    end: int
    zone: str  # "heading", "lead" (first words of the running text), "opening" or "body"

    @property
    def zone_weight(self) -> float:
        return ZONE_WEIGHTS.get(self.zone, BODY_WEIGHT)


@dataclass
class Contribution:
    match: Match
    rarity: float
    ownership: float
    repeat: int  # 1 for the first occurrence of this alias, 2 for the second, ...
    gloss: bool = False  # glosses the match before it ("梯度检查点(Gradient Checkpointing)"): counted once

    @property
    def value(self) -> float:
        if self.gloss:
            return 0.0
        return self.match.zone_weight * self.rarity * self.ownership / self.repeat


@dataclass
class TopicEvidence:
    topic_id: str
    contributions: list[Contribution] = field(default_factory=list)
    share: float = 0.0  # of all documents (corpus and descriptions) that name this topic: context, when high

    @property
    def score(self) -> float:
        return sum(contribution.value for contribution in self.contributions)

    @property
    def in_heading(self) -> bool:
        return any(contribution.match.zone == "heading" for contribution in self.contributions)

    @property
    def in_lead(self) -> bool:
        return any(contribution.match.zone == "lead" for contribution in self.contributions)

    @property
    def mentions(self) -> int:
        return sum(not contribution.gloss for contribution in self.contributions)


@dataclass
class TagDecision:
    """What the tagger decided for one article, and why (``python -m ingest explain`` prints it)."""

    topics: list[str]
    evidence: dict[str, TopicEvidence]
    ranking: list[str]  # every topic with evidence, as ranked
    reasons: dict[str, str]  # topic id -> why it was chosen, kept or dropped
    opening: Opening
    matches: list[Match]

    def score(self, topic_id: str) -> float:
        evidence = self.evidence.get(topic_id)
        return evidence.score if evidence else 0.0


class AliasStatistics:
    """How many documents use each alias and each topic: the taxonomy's descriptions of other
    topics (a background that keeps small corpora stable) plus the articles being ingested."""

    def __init__(self, background: dict[str, Counter], topic_background: dict[str, int], documents: int) -> None:
        self.background = background  # alias key -> topics whose description uses it
        self.topic_background = topic_background  # topic -> other topics' descriptions naming it
        self.background_documents = documents
        self.corpus: Counter = Counter()  # alias key -> articles using it
        self.corpus_topics: Counter = Counter()  # topic -> articles naming it by any alias
        self.corpus_documents = 0
        # Every article asks for the rarity of the same few hundred aliases once counting is done.
        self._rarities: dict[tuple[str, tuple[str, ...]], float] = {}

    def add_document(self, matches: list[Match]) -> None:
        self._rarities.clear()
        self.corpus.update({match.key for match in matches})
        self.corpus_topics.update({topic_id for match in matches for topic_id in match.topic_ids})
        self.corpus_documents += 1

    def _idf(self, frequency: int) -> float:
        documents = self.background_documents + self.corpus_documents
        return math.log((documents + 1) / (frequency + 1)) + 1

    def alias_rarity(self, key: str, owners: tuple[str, ...]) -> float:
        """Smoothed inverse document frequency of the alias. A description of the alias's own
        topic does not count: every description names its own topic."""
        users = self.background.get(key, Counter())
        background = sum(count for topic_id, count in users.items() if topic_id not in owners)
        return self._idf(background + self.corpus[key])

    def topic_frequency(self, topic_id: str) -> int:
        return self.topic_background.get(topic_id, 0) + self.corpus_topics[topic_id]

    def topic_share(self, topic_id: str) -> float:
        return self.topic_frequency(topic_id) / max(1, self.background_documents + self.corpus_documents)

    def topic_rarity(self, topic_id: str) -> float:
        return self._idf(self.topic_frequency(topic_id))

    def rarity(self, key: str, owners: tuple[str, ...]) -> float:
        """The geometric mean of the alias's and its topics' rarity: ``LLMs`` is a rare spelling
        of a topic that nearly every article mentions, so it weighs like one."""
        found = self._rarities.get((key, owners))
        if found is None:
            topic = min(self.topic_rarity(owner) for owner in owners)
            found = self._rarities[key, owners] = math.sqrt(self.alias_rarity(key, owners) * topic)
        return found


class Tagger:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.order = {topic.id: index for index, topic in enumerate(taxonomy.topics)}
        self.automaton = ahocorasick.Automaton()
        patterns: dict[str, set[str]] = {}
        forms: dict[str, set[str]] = defaultdict(set)  # key -> how it must be written; empty: any case
        insensitive: set[str] = set()
        for topic in taxonomy.topics:
            if topic.id == FALLBACK_TOPIC_ID:
                continue
            for name in topic.names:
                key = match_form(name).strip()
                if not key:
                    continue
                patterns.setdefault(key, set()).add(topic.id)
                if is_case_sensitive(name):
                    forms[key].add(unicodedata.normalize("NFKC", name).strip())
                else:
                    insensitive.add(key)
        self.case_forms = {key: frozenset(value) for key, value in forms.items() if key not in insensitive}
        self.owners = {key: tuple(sorted(topic_ids, key=self.order.__getitem__)) for key, topic_ids in patterns.items()}
        for key in self.owners:
            self.automaton.add_word(key, key)
        self.empty = not patterns
        if patterns:
            self.automaton.make_automaton()
        self._background = self._background_statistics()
        named_by: dict[str, set[str]] = defaultdict(set)
        for key, users in self._background.items():
            for owner in self.owners[key]:
                named_by[owner].update(user for user in users if user != owner)
        self._topic_background = {owner: len(users) for owner, users in named_by.items()}

    # -- matching -------------------------------------------------------------------------

    def is_alias(self, text: str) -> bool:
        """Whether ``text`` is exactly one alias (``LoRA``, ``梯度检查点``)."""
        return match_form(text).strip() in self.owners

    def matches(self, text: str, opening: Opening | None = None) -> list[Match]:
        """Every alias in ``text``, longest first where matches overlap, in text order."""
        if self.empty or not text:
            return []
        folded, offsets = fold_with_offsets(text)
        candidates = []
        for end, key in self.automaton.iter(folded):
            start = end - len(key) + 1
            if _is_ascii_word_char(key[0]) and start > 0 and _is_ascii_word_char(folded[start - 1]):
                continue
            if _is_ascii_word_char(key[-1]) and not _ends_at_boundary(folded, end + 1):
                continue
            if key in self.case_forms:
                written = unicodedata.normalize("NFKC", text[offsets[start] : offsets[end] + 1])
                if written not in self.case_forms[key]:
                    continue
            candidates.append((start, end + 1, key))
        candidates.sort(key=lambda item: (item[0] - item[1], item[0]))
        taken = [False] * len(folded)
        chosen = []
        for start, end, key in candidates:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            chosen.append((start, end, key))
        chosen.sort()
        opening = opening or parse_opening(text)
        spans = opening.heading_spans
        opening_chars = OPENING_CHARS if CJK_TEXT.search(text, 0, 400) else OPENING_LATIN_CHARS
        result = []
        for start, end, key in chosen:
            original_start, original_end = offsets[start], offsets[end - 1] + 1
            zone = _zone(original_start, opening, spans, opening_chars)
            result.append(Match(key, self.owners[key], original_start, original_end, zone))
        return result

    # -- ranking --------------------------------------------------------------------------

    def statistics(self) -> AliasStatistics:
        return AliasStatistics(self._background, self._topic_background, len(self._background_documents))

    def analyse(self, text: str) -> tuple[Opening, list[Match]]:
        """What the tagger finds in ``text`` on its own: its opening and every alias, with its zone."""
        opening = parse_opening(text)
        return opening, self.matches(text, opening)

    def tag_texts(
        self, texts: list[str], analyse: Callable[[str], tuple[Opening, list[Match]]] | None = None
    ) -> list[TagDecision]:
        """Decide the topics of every text of one corpus; rarity is measured over all of them.

        ``analyse`` stands in for ``self.analyse`` (``text_memo`` remembers it between runs).
        """
        statistics = self.statistics()
        analysed = [(analyse or self.analyse)(text) for text in texts]
        openings = [opening for opening, _ in analysed]
        found = [matches for _, matches in analysed]
        for matches in found:
            statistics.add_document(matches)
        return [
            self.decide(matches, opening, statistics, text)
            for text, matches, opening in zip(texts, found, openings, strict=True)
        ]

    def decide(
        self, matches: list[Match], opening: Opening, statistics: AliasStatistics, text: str = ""
    ) -> TagDecision:
        evidence: dict[str, TopicEvidence] = {}
        seen: Counter = Counter()
        glosses = _glosses(matches, text)
        # Strongest zone first, so the repeat decay discounts the passing mentions.
        for match in sorted(matches, key=lambda item: (-item.zone_weight, item.start)):
            gloss = match in glosses
            rarity = statistics.rarity(match.key, match.topic_ids)
            for topic_id in match.topic_ids:
                if not gloss:
                    seen[topic_id, match.key] += 1
                if topic_id not in evidence:
                    evidence[topic_id] = TopicEvidence(topic_id, share=statistics.topic_share(topic_id))
                evidence[topic_id].contributions.append(
                    Contribution(match, rarity, 1 / len(match.topic_ids), max(seen[topic_id, match.key], 1), gloss)
                )
        return self._rank(evidence, opening, matches)

    def _rank(self, evidence: dict[str, TopicEvidence], opening: Opening, matches: list[Match]) -> TagDecision:
        scores = {topic_id: item.score for topic_id, item in evidence.items()}
        reasons: dict[str, str] = {}
        effective = dict(scores)
        for parent_id in sorted({self.taxonomy.topic(t).parent for t in scores} - {None}, key=self.order.get):
            children = [t for t in scores if self.taxonomy.topic(t).parent == parent_id]
            best_child = max(children, key=lambda t: (scores[t], -self.order[t]))
            parent_score = scores.get(parent_id, 0.0)
            if not parent_score:
                continue
            parent_leads = evidence[parent_id].in_heading or evidence[parent_id].in_lead
            child_scores = sorted((scores[child] for child in children), reverse=True)
            comparable = len(children) >= 2 and child_scores[1] >= SIBLING_SHARE * child_scores[0]
            survey = len(children) >= SURVEY_CHILDREN or (comparable and parent_leads)
            if survey and not any(evidence[child].in_heading for child in children):
                effective[parent_id] = parent_score + sum(scores[child] for child in children)
                reasons[parent_id] = (
                    f"the article names {len(children)} of its children and none in a heading: a survey of the "
                    f"family, so it gets their evidence too ({effective[parent_id]:.2f})"
                )
            elif evidence[parent_id].in_heading and not evidence[best_child].in_heading:
                reasons[best_child] = f"not preferred to its parent {parent_id}, which the heading names"
            elif scores[best_child] >= CHILD_SHARE * parent_score and scores[best_child] < parent_score:
                effective[best_child] = parent_score * (1 + 1e-9)
                reasons[best_child] = (
                    f"more specific than its parent {parent_id} with comparable evidence "
                    f"({scores[best_child]:.2f} ≥ {CHILD_SHARE:.0%} of {parent_score:.2f})"
                )
        ranking = sorted(scores, key=lambda t: (-effective[t], self.order[t]))
        if not ranking:
            return TagDecision([], evidence, [], {}, opening, matches)
        primary = ranking[0]
        reasons.setdefault(primary, "highest score")
        reasons[primary] = "primary: " + reasons[primary]
        kept = [primary]
        floor = SECONDARY_SHARE * scores[primary]
        for topic_id in ranking[1:]:
            item = evidence[topic_id]
            if len(kept) >= MAX_TOPICS:
                reasons[topic_id] = f"dropped: already {MAX_TOPICS} topics"
            elif scores[topic_id] < floor:
                reasons[topic_id] = (
                    f"dropped: {scores[topic_id]:.2f} < {SECONDARY_SHARE:.0%} of the primary's {scores[primary]:.2f}"
                )
            elif item.mentions < 2 and not item.in_heading:
                reasons[topic_id] = "dropped: a single passing mention"
            else:
                kept.append(topic_id)
                reasons[topic_id] = f"secondary: {scores[topic_id]:.2f} ≥ {SECONDARY_SHARE:.0%} of the primary's score"
        return TagDecision(kept, evidence, ranking, reasons, opening, matches)

    # -- single texts (tests, tools) ------------------------------------------------------

    def decision_for(self, text: str) -> TagDecision:
        return self.tag_texts([text])[0]

    def scores(self, text: str) -> Counter:
        """Weighted evidence per topic id for one text on its own."""
        decision = self.decision_for(text)
        return Counter({topic_id: item.score for topic_id, item in decision.evidence.items()})

    def topics_for(self, text: str) -> list[str]:
        """Topic ids for one text on its own, primary first; empty when nothing matched."""
        return self.decision_for(text).topics

    # -- background -----------------------------------------------------------------------

    @property
    def _background_documents(self) -> list[str]:
        return [topic.id for topic in self.taxonomy.topics if topic.id != FALLBACK_TOPIC_ID]

    def _background_statistics(self) -> dict[str, Counter]:
        users: dict[str, Counter] = defaultdict(Counter)
        for topic in self.taxonomy.topics:
            if topic.id == FALLBACK_TOPIC_ID:
                continue
            text = " ".join((topic.zh, topic.en, topic.description))
            for match in self.matches(text, Opening()):
                users[match.key][topic.id] = 1
        return dict(users)


def is_case_sensitive(alias: str) -> bool:
    """``LN``, ``ZeRO``, ``RoPE``, ``GAT``: short, ASCII, with a capital after the first letter."""
    alias = unicodedata.normalize("NFKC", alias).strip()
    return (
        len(alias) <= MAX_CASE_SENSITIVE_CHARS
        and alias.isascii()
        and alias.isalnum()
        and any(char.isupper() for char in alias[1:])
    )


def _glosses(matches: list[Match], text: str) -> set[Match]:
    """Matches that translate the one right before them, of the same topic, in brackets:
    ``直接偏好优化(DPO)``, ``LSTM (Long Short Term Memory)``. The pair is one mention."""
    found = set()
    for previous, match in zip(matches, matches[1:], strict=False):
        if set(previous.topic_ids) & set(match.topic_ids) and GLOSS.fullmatch(text[previous.end : match.start]):
            found.add(match)
    return found


def _ends_at_boundary(folded: str, position: int) -> bool:
    """After an ASCII alias: the end of a word, or a plural ``s`` that ends it."""
    if position >= len(folded) or not _is_ascii_word_char(folded[position]):
        return True
    after = position + 1  # only "s": "es" would let "GAT" match "Gates"
    return folded[position] == "s" and (after >= len(folded) or not _is_ascii_word_char(folded[after]))


def _zone(start: int, opening: Opening, heading_spans: list[tuple[int, int]], opening_chars: int) -> str:
    if any(span_start <= start < span_end for span_start, span_end in heading_spans):
        return "heading"
    if start == opening.body_start:
        return "lead"  # the first words of the running text: the subject of its first sentence
    if start < opening.body_start + opening_chars:
        return "opening"
    return "body"
