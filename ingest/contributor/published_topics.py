"""The record of published topic ids (``published-topics.txt``): every topic URL the site has served.

A topic's page lives at ``topics/<id>/``, and readers, search engines and other sites link there.
Renaming or removing a topic must leave a redirect from the old URL, which the site builds from
the new topic's ``former_ids``. To know which ids were ever published, the project commits this
file: one id per line, ``#`` comments. ``python -m ingest check`` fails on

* a recorded id that is no topic's id or former id (a rename or removal without a redirect),
  naming the record's line;
* a topic that is not recorded yet (so that a later rename of it cannot go unnoticed), naming
  its line in the taxonomy; ``python -m ingest record-topics`` adds it.

Lines are only ever added: an id that has been published stays in the record for good.
"""

from __future__ import annotations

from pathlib import Path

from ingest.shared.messages import display_name
from ingest.shared.model import Problem
from ingest.shared.taxonomy import TOPIC_ID, Taxonomy

PUBLISHED_TOPICS_FILE = "published-topics.txt"
HEADER = """\
# Topic ids the site has published: every one must stay a topic's id or one of its former_ids,
# so that its URL topics/<id>/ keeps working (a former id redirects to its topic's page).
# Written by `python -m ingest record-topics`, checked by `python -m ingest check`.
# Never delete a line: rename a topic by giving it a new id and `former_ids: [old-id]`.
"""


def default_record_path(taxonomy_path: Path) -> Path:
    return taxonomy_path.with_name(PUBLISHED_TOPICS_FILE)


def load_published_ids(path: Path) -> tuple[dict[str, int], list[Problem]]:
    """Recorded id -> its line. A missing file records nothing (every topic is then unrecorded)."""
    name = display_name(path)
    if not path.exists():
        return {}, []
    ids: dict[str, int] = {}
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not TOPIC_ID.match(line):
            problems.append(Problem(name, number, f"{line!r} is not a topic id (lowercase ascii kebab-case)"))
        elif line in ids:
            problems.append(Problem(name, number, f"topic id {line!r} is recorded twice (first at line {ids[line]})"))
        else:
            ids[line] = number
    return ids, problems


def published_topic_problems(path: Path, taxonomy: Taxonomy) -> list[Problem]:
    ids, problems = load_published_ids(path)
    name = display_name(path)
    current = {topic.id for topic in taxonomy.topics}
    redirected = taxonomy.former_id_targets()
    for topic_id, line in ids.items():
        if topic_id not in current and topic_id not in redirected:
            problems.append(
                Problem(
                    name,
                    line,
                    f"published topic id {topic_id!r} is no longer in {taxonomy.path} and nothing redirects "
                    f"its URL topics/{topic_id}/: add 'former_ids: [{topic_id}]' to the topic that replaces it",
                )
            )
    for topic in taxonomy.topics:
        if topic.id not in ids:
            problems.append(
                Problem(
                    taxonomy.path,
                    topic.line,
                    f"topic {topic.id!r} is not recorded in {name}: run `python -m ingest record-topics` "
                    "(its URL is published with the site; a later rename must leave a redirect)",
                )
            )
    return problems


def record_topics(path: Path, taxonomy: Taxonomy) -> list[str]:
    """Append every topic id not recorded yet; returns them. Never removes or reorders a line."""
    ids, problems = load_published_ids(path)
    if problems:
        raise RecordError(problems)
    new = [topic.id for topic in taxonomy.topics if topic.id not in ids]
    if not new:
        return []
    text = path.read_text(encoding="utf-8-sig") if path.exists() else HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text + "".join(f"{topic_id}\n" for topic_id in new), encoding="utf-8")
    temporary.replace(path)
    return new


class RecordError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
