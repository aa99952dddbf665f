"""What tagging and titling found in each text on its own, remembered between runs.

The tagger weighs every alias by how many texts of the corpus use it, so a new dump changes the
score of every older article and the whole corpus is ranked again on every run. What does not
depend on the other texts is most of the work, and it is what this remembers, per text:

* the text's opening (``headings.parse_opening``) and the aliases found in it with their zones
  (``Tagger.matches``): the Aho-Corasick pass and the heading parser;
* the guessed title for a given subject (``title.choose_title`` is a function of the text and
  the ``Subject`` the ranking gave it): jieba's key phrases and the title rules. A text whose
  ranking moved so far that its subject changed gets a title computed afresh.

Entries are keyed by a hash of the text (and of the subject); the record as a whole is keyed
by the taxonomy and the ingest's code (``feedcache``), so a changed alias list or rule starts
afresh. Values are plain tuples for ``marshal``: a record is derived data, and one that does not
decode is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from dataclasses import astuple

from ingest.pipeline.headings import Heading, Opening
from ingest.pipeline.tag import Match
from ingest.pipeline.title import Subject

Analysis = tuple[Opening, list[Match]]


def encode_analysis(opening: Opening, matches: list[Match]) -> tuple:
    return (
        tuple(astuple(heading) for heading in opening.headings),
        tuple(astuple(heading) for heading in opening.toc),
        opening.body_start,
        opening.faq,
        tuple((match.key, match.topic_ids, match.start, match.end, match.zone) for match in matches),
    )


def decode_analysis(data: tuple) -> Analysis:
    headings, toc, body_start, faq, matches = data
    opening = Opening(
        headings=tuple(Heading(*heading) for heading in headings),
        toc=tuple(Heading(*heading) for heading in toc),
        body_start=int(body_start),
        faq=bool(faq),
    )
    return opening, [Match(key, tuple(topic_ids), start, end, zone) for key, topic_ids, start, end, zone in matches]


def text_digest(text: str) -> bytes:
    """The key of a text in every record of the ingest cache (``feedcache`` uses it too)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def subject_key(text_key: bytes, subject: Subject | None) -> bytes:
    # Field by field: ``dataclasses.astuple`` deep-copies, which costs more than the hash.
    described = None if subject is None else (subject.name, subject.aliases, subject.phrases, subject.synonyms)
    return hashlib.blake2b(text_key + marshal.dumps(described), digest_size=16).digest()


class TextMemo:
    """Per-text analyses and titles: ``known`` is what an earlier run kept, ``used`` what this run
    asked for (the next record holds only those, so it stays one corpus's worth)."""

    def __init__(self, known: dict | None = None, text_key: Callable[[str], bytes] | None = None) -> None:
        # ``text_key``: the caller's hash of a text when it already computes one (``feedcache``).
        known = known if isinstance(known, dict) else {}
        analyses, titles = known.get("analyses"), known.get("titles")
        self._known_analyses: dict = analyses if isinstance(analyses, dict) else {}
        self._known_titles: dict = titles if isinstance(titles, dict) else {}
        self._text_key = text_key or text_digest
        self.used_analyses: dict[bytes, tuple] = {}
        self.used_titles: dict[bytes, str] = {}
        self.computed = 0  # analyses this run had to compute (tests and the bench read it)

    def analysis(self, text: str, compute: Callable[[str], Analysis]) -> Analysis:
        key = self._text_key(text)
        encoded = self._known_analyses.get(key)
        if encoded is not None:
            try:
                decoded = decode_analysis(encoded)
            except (TypeError, ValueError):
                decoded = None
            if decoded is not None:
                self.used_analyses[key] = encoded
                return decoded
        self.computed += 1
        opening, matches = compute(text)
        self.used_analyses[key] = encode_analysis(opening, matches)
        return opening, matches

    def title(self, text: str, subject: Subject | None, compute: Callable[[], str]) -> str:
        key = subject_key(self._text_key(text), subject)
        title = self.used_titles.get(key, self._known_titles.get(key))
        if not isinstance(title, str):
            title = compute()
        self.used_titles[key] = title
        return title

    def record(self) -> dict:
        return {"analyses": self.used_analyses, "titles": self.used_titles}
