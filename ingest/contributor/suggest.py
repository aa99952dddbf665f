"""``python -m ingest suggest-topics``: proposed taxonomy entries for articles the taxonomy does not fit.

The candidates are the library's uncategorized articles (tagged ``待分类``) and its *weakly tagged*
ones. Weak is judged by the tagger itself, through its public ``scores`` only: an article is weakly
tagged when its best topic scores less than ``WEAK_MENTIONS`` passing mentions of that topic's own
name would (the reference text is the name alone in the middle of neutral filler), so the rule
follows the tagger's scale whatever weights it uses.

Candidates are grouped by the key terms they share (``ingest.shared.keyterms``; terms the taxonomy
already names are left out, they cannot name a new topic): the term shared by the most
candidates seeds a group of the candidates that have it, then the next term among the rest, and so
on. Each group becomes a proposal: a taxonomy entry (id, zh, en, aliases, a section and parent
guessed from the tagger's scores, a description to write) and the articles that would move.

It only prints: the maintainer reviews the YAML and edits ``taxonomy.yml`` by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from ingest.pipeline.tag import Tagger
from ingest.shared.keyterms import CJK, ENGLISH_FUNCTION_WORDS, KeyTerm, KeyTermExtractor, plain_text, term_key
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy, Topic
from ingest.site.library import LibraryArticle

WEAK_MENTIONS = 2
TERMS_PER_ARTICLE = 10
MIN_ARTICLES = 2
MIN_SHARED_TERMS = 2
MAX_TERM_SHARE = 0.05  # a term in more than 5% of the well-tagged articles is too common to name a topic
MIN_TERM_DOCUMENTS = 2  # ... but in a small library a term two of them use may still be specific
MAX_ALIASES = 8
MAX_TERM_GROWTH = 6  # characters (Chinese) or words (English) a name may grow by
FILLER = "这一段文字只是为了把名字放在正文中间。" * 12  # neutral text, no alias of any topic
DESCRIPTION_PLACEHOLDER = "（待补充：用 2-4 句话说明这个主题，可以用 $...$ 写公式。）"


@dataclass
class Candidate:
    article: LibraryArticle
    reason: str  # "uncategorized" or "weak"
    scores: Counter
    terms: list[KeyTerm] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {term.key for term in self.terms}


@dataclass
class Proposal:
    topic: dict
    shared_terms: list[str]
    articles: list[Candidate]
    notes: list[str]


def passing_mention_score(tagger: Tagger, topic: Topic) -> float:
    """What the tagger gives ``topic`` for one mention of its name in the middle of a text."""
    return tagger.scores(f"{FILLER}{topic.zh}{FILLER}").get(topic.id, 0)


def find_candidates(
    articles: Iterable[LibraryArticle], taxonomy: Taxonomy, tagger: Tagger, weak_mentions: float = WEAK_MENTIONS
) -> list[Candidate]:
    """Uncategorized articles, and those whose best topic has less evidence than ``weak_mentions``
    passing mentions of its name."""
    candidates = []
    references: dict[str, float] = {}
    for article in articles:
        text = plain_text(article.body)
        scores = tagger.scores(text)
        if not article.topics or FALLBACK_TOPIC_ID in article.topics:
            candidates.append(Candidate(article, "uncategorized", scores))
            continue
        ranked = tagger.topics_for(text)
        if not ranked:
            candidates.append(Candidate(article, "weak", scores))
            continue
        best = ranked[0]
        if best not in references:
            references[best] = passing_mention_score(tagger, taxonomy.topic(best))
        if scores[best] < weak_mentions * references[best]:
            candidates.append(Candidate(article, "weak", scores))
    return candidates


def known_term_keys(taxonomy: Taxonomy) -> set[str]:
    return {term_key(name) for topic in taxonomy.topics for name in (*topic.names, *topic.former_names, topic.id)}


def specific_terms(candidates: list[Candidate], extractor: KeyTermExtractor, documents: int) -> list[set[str]]:
    """Each candidate's terms that could name a new topic: ones the rest of the library (the
    articles the taxonomy already fits) rarely uses. "训练" or "GPU" are everywhere there; the
    words of a missing topic are not, however many candidates share them."""
    every_key = set().union(*(candidate.keys for candidate in candidates)) if candidates else set()
    held: Counter = Counter()
    for candidate in candidates:
        held.update(extractor.document_keys(plain_text(candidate.article.body)) & every_key)
    others = max(documents - len(candidates), 0)
    most = max(MIN_TERM_DOCUMENTS, MAX_TERM_SHARE * others)
    specific = []
    for candidate in candidates:
        keys = set()
        for term in candidate.terms:
            elsewhere = extractor.document_share(term.text) * documents - held[term.key]
            if elsewhere <= most:
                keys.add(term.key)
        specific.append(keys)
    return specific


def group_candidates(
    candidates: list[Candidate], specific: list[set[str]], min_articles: int = MIN_ARTICLES
) -> list[list[Candidate]]:
    """Candidates linked when they share ``MIN_SHARED_TERMS`` specific key terms, grouped as the
    connected components of those links; groups smaller than ``min_articles`` are dropped. One
    shared word ("GPU", "agent") is a coincidence; two are a subject."""
    parent = list(range(len(candidates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    holders: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(specific):
        for key in keys:
            holders[key].append(index)
    shared: Counter = Counter()
    for members in holders.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                shared[(first, second)] += 1
    for (first, second), count in sorted(shared.items()):
        if count >= MIN_SHARED_TERMS:
            parent[root(second)] = root(first)
    components: dict[int, list[Candidate]] = defaultdict(list)
    for index, candidate in enumerate(candidates):
        components[root(index)].append(candidate)
    groups = [members for members in components.values() if len(members) >= min_articles]
    groups.sort(key=lambda members: (-len(members), members[0].article.path))
    return groups


def shared_terms(group: list[Candidate], specific: dict[int, set[str]]) -> list[KeyTerm]:
    """The group's specific terms, those most members share first, then by summed weight."""
    holders: Counter = Counter()
    weight: Counter = Counter()
    surface: dict[str, str] = {}
    for candidate in group:
        for term in candidate.terms:
            if term.key not in specific[id(candidate)]:
                continue
            holders[term.key] += 1
            weight[term.key] += term.weight
            surface.setdefault(term.key, term.text)
    needed = 2 if len(group) > 1 else 1
    keys = [key for key in holders if holders[key] >= needed]
    keys.sort(key=lambda key: (-holders[key], -weight[key], key))
    return [KeyTerm(surface[key], weight[key]) for key in keys]


def kebab_id(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def unused_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def english_name(term: str) -> str:
    return term[0].upper() + term[1:] if term[:1].islower() else term


def guess_placement(group: list[Candidate], taxonomy: Taxonomy) -> tuple[str, str | None]:
    """The section and parent of the topic the group's articles score highest for, if any.

    A child topic's parent is proposed as the parent (topics nest one level); a top-level topic
    becomes the parent itself when it scores for most of the group."""
    total: Counter = Counter()
    present: Counter = Counter()
    for candidate in group:
        for topic_id, score in candidate.scores.items():
            if topic_id != FALLBACK_TOPIC_ID:
                total[topic_id] += score
                present[topic_id] += 1
    if not total:
        return taxonomy.topic(FALLBACK_TOPIC_ID).section, None
    best = taxonomy.topic(min(total, key=lambda topic_id: (-total[topic_id], topic_id)))
    parent = best.parent or best.id
    if present[best.id] * 2 < len(group):
        parent = None
    return best.section, parent


def extend_term(term: str, texts: list[str]) -> str:
    """Grow ``term`` by the neighbours it has in every text: jieba cuts 知识图谱 into 知识 / 图谱, and
    a phrase "restricted Boltzmann" is "restricted Boltzmann machine" in every article."""
    chinese = bool(CJK.search(term))
    current = term
    for _ in range(MAX_TERM_GROWTH):
        grown = _grow(current, texts, chinese)
        if grown is None:
            return current
        current = grown
    return current


def _grow(term: str, texts: list[str], chinese: bool) -> str | None:
    if chinese:
        before = r"([\u3400-\u4dbf\u4e00-\u9fff])" + re.escape(term)
        after = re.escape(term) + r"([\u3400-\u4dbf\u4e00-\u9fff])"
    else:
        before = r"([A-Za-z][\w-]*) +" + re.escape(term) + r"\b"
        after = r"\b" + re.escape(term) + r" +([A-Za-z][\w-]*)"
    best: tuple[int, str] | None = None
    for pattern, join in ((before, lambda word: f"{word}{'' if chinese else ' '}{term}"), (after, None)):
        neighbours: Counter = Counter()
        for text in texts:
            neighbours.update({match.casefold() for match in re.findall(pattern, text, flags=re.IGNORECASE)})
        for word, count in neighbours.items():
            if count < len(texts) or (not chinese and word in ENGLISH_FUNCTION_WORDS):
                continue
            grown = join(word) if join else f"{term}{'' if chinese else ' '}{word}"
            if best is None or (count, grown) > best:
                best = (count, grown)
    if best is None:
        return None
    # keep the article's own spelling of the grown phrase
    match = re.search(re.escape(best[1]).replace(r"\ ", " +"), texts[0], flags=re.IGNORECASE)
    return match.group() if match else best[1]


def propose(group: list[Candidate], specific: dict[int, set[str]], taxonomy: Taxonomy, taken: set[str]) -> Proposal:
    terms = shared_terms(group, specific)
    texts = [unicodedata.normalize("NFKC", plain_text(candidate.article.body)) for candidate in group]
    holders = {term.key: sum(term.key in candidate.keys for candidate in group) for term in terms}
    # a Chinese name: of the terms most articles share, the longest once grown (知识图谱, not 实体)
    grown = [(extend_term(term.text, texts), holders[term.key]) for term in terms if CJK.search(term.text)]
    chinese = [name for name, _ in sorted(grown, key=lambda pair: (-pair[1], -len(pair[0])))]
    # an English name: of the terms most articles share, a phrase beats a single word, and a
    # technical-looking one (Boltzmann, TransE) a plain one
    latin_terms = sorted(
        (term for term in terms if not CJK.search(term.text)),
        key=lambda term: (-holders[term.key], " " not in term.key, term.text.islower()),
    )
    latin = list(dict.fromkeys(extend_term(term.text, texts) for term in latin_terms))
    chinese = list(dict.fromkeys(chinese))
    notes = []
    zh = chinese[0] if chinese else (latin[0] if latin else "新主题")
    if latin:
        en = english_name(latin[0])
    else:
        en = zh
        notes.append("no English term found: write 'en' and the English aliases")
    if not chinese:
        notes.append("no Chinese term found: write 'zh' (the name readers see) and the Chinese aliases")
    topic_id = unused_id(kebab_id(en) or "new-topic", taken)
    taken.add(topic_id)
    section, parent = guess_placement(group, taxonomy)
    aliases = list(dict.fromkeys([zh, en, *chinese, *latin, *(term.text for term in terms)]))[:MAX_ALIASES]
    entry: dict = {"id": topic_id, "zh": zh, "en": en, "section": section}
    if parent is not None:
        entry["parent"] = parent
    entry |= {"aliases": aliases, "description": DESCRIPTION_PLACEHOLDER, "formulas": []}
    notes.append("section and parent are guesses from the tagger's scores: check them")
    return Proposal(entry, [term.text for term in terms], group, notes)


def suggest_topics(
    articles: list[LibraryArticle],
    taxonomy: Taxonomy,
    published_ids: Iterable[str] = (),
    min_articles: int = MIN_ARTICLES,
    weak_mentions: float = WEAK_MENTIONS,
) -> tuple[list[Proposal], list[Candidate]]:
    """Proposals, and the candidates no group took (their key terms shared with no other)."""
    tagger = Tagger(taxonomy)
    candidates = find_candidates(articles, taxonomy, tagger, weak_mentions)
    extractor = KeyTermExtractor(
        (plain_text(article.body) for article in articles),
        vocabulary=[name for topic in taxonomy.topics for name in topic.names],
    )
    known = known_term_keys(taxonomy)
    for candidate in candidates:
        terms = extractor.key_terms(plain_text(candidate.article.body), limit=TERMS_PER_ARTICLE * 2)
        candidate.terms = [term for term in terms if term.key not in known][:TERMS_PER_ARTICLE]
    taken = {topic.id for topic in taxonomy.topics} | set(taxonomy.former_id_targets()) | set(published_ids)
    specific = specific_terms(candidates, extractor, len(articles))
    groups = group_candidates(candidates, specific, min_articles)
    by_candidate = {id(candidate): keys for candidate, keys in zip(candidates, specific, strict=True)}
    proposals = [propose(group, by_candidate, taxonomy, taken) for group in groups]
    grouped = {id(candidate) for group in groups for candidate in group}
    return proposals, [candidate for candidate in candidates if id(candidate) not in grouped]


def article_record(candidate: Candidate, taxonomy: Taxonomy) -> dict:
    names = {topic.id: topic.zh for topic in taxonomy.topics}
    return {
        "id": candidate.article.id,
        "title": candidate.article.title,
        "path": f"docs/{candidate.article.path}",
        "now": [names.get(topic_id, topic_id) for topic_id in candidate.article.topics],
        "why": "待分类" if candidate.reason == "uncategorized" else "weakly tagged",
    }


def proposals_yaml(proposals: list[Proposal], unmatched: list[Candidate], taxonomy: Taxonomy) -> str:
    """The report a maintainer reads: ``proposals`` (each a ready taxonomy entry plus the articles it
    would take) and ``ungrouped`` candidates with their key terms."""
    data = {
        "proposals": [
            {
                "topic": proposal.topic,
                "shared_terms": proposal.shared_terms,
                "articles": [article_record(candidate, taxonomy) for candidate in proposal.articles],
                "notes": proposal.notes,
            }
            for proposal in proposals
        ],
        "ungrouped": [
            {**article_record(candidate, taxonomy), "key_terms": [term.text for term in candidate.terms]}
            for candidate in unmatched
        ],
    }
    header = (
        "# Proposed taxonomy entries (python -m ingest suggest-topics). Nothing was written.\n"
        "# Review each one, copy its 'topic' into taxonomy.yml where it belongs, write its description,\n"
        "# then run `python -m ingest record-topics` and `python -m ingest run`.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
