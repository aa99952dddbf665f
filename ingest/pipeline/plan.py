"""Decide, article by article, what the ingest may write, remove or must leave alone.

The rules, in the order they are applied to an article with id X whose file is ``articles/S.md``:

* The file at ``S`` is the ingest's when the manifest records its current bytes for that path
  with id X, or when (the manifest lost it) it says ``generated: true`` with id X and holds
  exactly the bytes this run renders for X: overwriting those loses nothing, so ownership is
  recovered from the file itself and recorded again.
* Another file with id X that is not the ingest's is a take-over, unless the ingest still has
  X's generated file: a contributor who copied a generated article as a template and kept its
  id gets a warning (``check`` refuses the duplicate id) and the original is kept, never removed.
* Any other file at ``S`` is someone else's: a conflict, left untouched, X not written.
* Before a recorded file is overwritten or removed, its front matter must say
  ``generated: true`` with the record's id: a forged record cannot reach a contributor's file.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.pipeline.dedupe import ID_PREFIX_CHARS
from ingest.pipeline.docs_tree import DocsFile
from ingest.pipeline.manifest import Manifest, is_generated, sha256, skeleton_fingerprint
from ingest.pipeline.render import render_article, render_inputs
from ingest.pipeline.write import Planned, Removal
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Article, Problem
from ingest.shared.taxonomy import Taxonomy


@dataclass
class Plan:
    planned: list[Planned] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    taken_over: dict[str, dict] = field(default_factory=dict)  # the manifest's ``taken_over`` section
    taken_over_report: list[str] = field(default_factory=list)  # "id -> path"
    conflicts: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    one_off: bool = False  # a warning the next run will not repeat (so this run's report is not cached)


def recovered_identities(files: dict[str, DocsFile], manifest: Manifest) -> dict[str, str]:
    """``relative -> id`` of generated-looking files the manifest does not know, one per id."""
    recorded_ids = {record["id"] for records in (manifest.files, manifest.taken_over) for record in records.values()}
    by_id: dict[str, list[str]] = defaultdict(list)
    for relative, file in files.items():
        if (
            file.generated
            and file.id
            and relative not in manifest.files
            and relative not in manifest.taken_over
            and file.id not in recorded_ids
            and Path(relative).parent.as_posix() == ARTICLES_DIR
        ):
            by_id[file.id].append(relative)
    return {paths[0]: article_id for article_id, paths in by_id.items() if len(paths) == 1}


def identity_record(article: Article) -> dict:
    return {
        "id": article.id,
        "key": article.skeleton[:ID_PREFIX_CHARS],
        "skeleton": skeleton_fingerprint(article.skeleton),
    }


class Planner:
    def __init__(
        self,
        docs: Path,
        files: dict[str, DocsFile],
        manifest: Manifest,
        rendered: Mapping[str, tuple[tuple, str]] | None = None,
        text_digest: Callable[[str], bytes] | None = None,
    ) -> None:
        self.docs, self.files, self.manifest = docs, files, manifest
        self.rendered, self.text_digest = rendered, text_digest
        self.plan = Plan()
        self.hand_written: dict[str, list[DocsFile]] = defaultdict(list)
        for file in files.values():
            if not file.owned and file.id:
                self.hand_written[file.id].append(file)
        self.recovered = 0

    def name(self, relative: str) -> str:
        return terminal_safe((self.docs / relative).as_posix())

    def warn(self, name: str, line: int, reason: str) -> None:
        self.plan.warnings.append(Problem(name, line, reason))

    def record_is_genuine(self, relative: str) -> bool:
        """The recorded file's front matter agrees with its record (checked only before changing it)."""
        record = self.manifest.files[relative]
        try:
            content = (self.docs / relative).read_bytes()
        except OSError:
            return False
        if is_generated(content, record["id"]):
            return True
        self.warn(
            self.manifest.name(),
            self.manifest.line_of(relative),
            f"the record for {terminal_safe(relative)} holds that file's hash, but its front matter does not say "
            f"'generated: true' with id {record['id']!r}: not a file the ingest generated, left untouched",
        )
        return False

    def render(self, article: Article, tags: list[str], relative: str) -> tuple[bytes | None, str, tuple]:
        """``(content, sha256, render inputs)`` of the article's file. The content is ``None`` when the
        file on disk is what an earlier run rendered from the same inputs: it is not rendered again."""
        if self.rendered is None or self.text_digest is None:
            content = render_article(article, tags).encode()
            return content, sha256(content), ()
        inputs = render_inputs(article, tags, self.text_digest(article.text))
        remembered, file = self.rendered.get(relative), self.files.get(relative)
        if remembered is not None and file is not None and remembered == (inputs, file.digest):
            return None, file.digest, inputs
        content = render_article(article, tags).encode()
        return content, sha256(content), inputs

    def add(self, article: Article, tags: list[str]) -> None:
        relative = f"{ARTICLES_DIR}/{article.slug}.md"
        content, digest, inputs = self.render(article, tags, relative)
        file = self.files.get(relative)
        record = self.manifest.files.get(relative)
        recorded = file is not None and file.owned and record is not None and record["id"] == article.id
        # Recovered: the manifest lost it, but it is exactly what this run writes for the article.
        recovered = (
            file is not None and not recorded and file.generated and file.id == article.id and file.digest == digest
        )
        ours = recorded or recovered

        others = [other for other in self.hand_written.get(article.id, []) if not (recovered and other is file)]
        if others and ours:
            for other in others:
                self.warn(
                    self.name(other.relative),
                    other.id_line,
                    f"id {article.id!r} is the id of the generated article {self.name(relative)}: this copy is "
                    "left alone and that article is still generated; give this article an id of its own",
                )
        elif others:
            self.take_over(article, others, file)
            return

        if file is not None and not ours:
            self.conflict(
                relative,
                f"hand-written file has the slug of generated article {article.id}; left untouched, not generated",
            )
            return
        if file is None and os.path.lexists(self.docs / relative):
            self.conflict(
                relative, f"not a regular file, at the path of generated article {article.id}; left untouched"
            )
            return
        if recorded and file.digest != digest and not self.record_is_genuine(relative):
            self.plan.conflicts.append(relative)
            return
        if recovered:
            self.recovered += 1
        self.plan.planned.append(
            Planned(
                relative,
                article.id,
                article.skeleton[:ID_PREFIX_CHARS],
                content,
                skeleton_fingerprint(article.skeleton),
                expected=file.digest if file is not None else None,
                digest=digest,
                render_inputs=inputs,
            )
        )

    def take_over(self, article: Article, others: list[DocsFile], file: DocsFile | None) -> None:
        owner = next((other for other in others if other is file), others[0])
        self.plan.taken_over_report.append(f"{article.id} -> {owner.relative}")
        self.plan.taken_over[owner.relative] = identity_record(article)
        known = owner.relative in self.manifest.files or owner.relative in self.manifest.taken_over
        if owner.generated and not known:  # said once: the manifest remembers the take-over from now on
            self.plan.one_off = True
            self.warn(
                self.name(owner.relative),
                owner.id_line,
                f"says 'generated: true' with id {article.id!r} but is neither in the manifest nor what the feeds "
                "give now: kept as hand-written and not regenerated (delete it to have the ingest write it again)",
            )

    def conflict(self, relative: str, reason: str) -> None:
        self.plan.conflicts.append(relative)
        self.warn(self.name(relative), 1, reason)

    def removals(self) -> None:
        targets = {item.relative for item in self.plan.planned} | set(self.plan.conflicts)
        for relative in sorted(set(self.manifest.files) - targets):
            file = self.files.get(relative)
            if file is not None and file.owned and self.record_is_genuine(relative):
                self.plan.removals.append(Removal(relative, file.digest))


def plan_files(
    articles: list[Article],
    docs: Path,
    files: dict[str, DocsFile],
    manifest: Manifest,
    taxonomy: Taxonomy,
    rendered: Mapping[str, tuple[tuple, str]] | None = None,
    text_digest: Callable[[str], bytes] | None = None,
) -> Plan:
    """What to write, remove and leave alone.

    ``rendered``: ``relative -> (render inputs, sha256)`` of what an earlier run wrote, with
    ``text_digest`` hashing article texts: an article whose ``render.render_inputs`` are the
    same, for a file that still holds that sha256, is not rendered again (``Planned.content`` None).
    """
    planner = Planner(docs, files, manifest, rendered, text_digest)
    tag_of = {topic.id: topic.tag for topic in taxonomy.topics}  # Taxonomy.topic searches the list
    for article in articles:
        planner.add(article, [tag_of[topic_id] for topic_id in article.topics])
    planner.removals()
    if planner.recovered:
        planner.plan.one_off = True
        planner.warn(
            manifest.name(),
            1,
            f"{planner.recovered} generated file(s) missing from the manifest were recognised by their front matter "
            "and content, and recorded again",
        )
    return planner.plan
