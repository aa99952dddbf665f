"""What the site build refuses in taxonomy.yml beyond its structure (``ingest.shared.taxonomy``):
descriptions whose math is unbalanced or that use Markdown a description may not (``ingest.site.description``)."""

from __future__ import annotations

from ingest.shared.model import Problem
from ingest.shared.taxonomy import Taxonomy
from ingest.site.description import render_description
from ingest.site.rules.math_delimiters import math_delimiter_problems


def taxonomy_problems(taxonomy: Taxonomy) -> list[Problem]:
    problems = []
    for topic in taxonomy.topics:
        # The description spans several lines of the YAML file; name the topic's line, which is exact.
        for problem in math_delimiter_problems(taxonomy.path, topic.description, topic.line):
            problems.append(Problem(taxonomy.path, topic.line, f"topic {topic.id!r} description: {problem.reason}"))
        _, refused = render_description(topic.description)
        for what in dict.fromkeys(refused):
            problems.append(Problem(taxonomy.path, topic.line, f"topic {topic.id!r} description: {what}"))
    return problems
