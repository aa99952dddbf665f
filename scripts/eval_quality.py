"""How often the ingest gets primary topics and titles right, measured on labelled dumps.

    .venv/bin/python scripts/eval_quality.py [--split dev|holdout|bundled] [--no-titles-file] [--json]

Runs the real ingest (``run_ingest``) over a split's dumps into a temporary docs folder, reads
the front matter it wrote, and matches each written article to its label by any of its sources.
Splits: ``dev`` (``tests/data/eval/dev/``, for tuning), ``holdout`` (``tests/data/eval/holdout/``,
measured once, never tuned on) and ``bundled`` (the dumps in ``feeds/``, labels in
``tests/data/eval/bundled/labels.yml``). Curated titles (``titles.yml``) apply to the bundled
split only, and ``--no-titles-file`` measures it without them.

A label (``labels.yml``) has ``source`` (``FILE:LINE`` of one entry of the article), ``primary``
(acceptable primary topic ids), ``topics`` (every topic the article should carry) and
``title_terms`` (groups; each group needs one of its strings in the title). Printed:

- primary-topic precision: the article's first tag is one of ``primary``;
- any-topic recall: the share of all labelled ``topics`` found among the articles' tags;
- title acceptance: the title passes every rule of ``ingest/pipeline/title_rules.py`` and
  matches every ``title_terms`` group;
- the share of articles left 待分类 (uncategorized);
- dedup: articles written vs labelled, labels found in several articles (copies not merged),
  articles holding several labels (distinct articles merged), articles with no label;
- the figures per section (of the label's first primary topic) and every failure.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.pipeline.run import run_ingest  # noqa: E402 - needs ROOT on sys.path
from ingest.pipeline.title_rules import title_problems  # noqa: E402
from ingest.shared.frontmatter_io import read_page  # noqa: E402
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy, load_taxonomy  # noqa: E402
from ingest.shared.yamlfile import LINE_KEY, load_yaml  # noqa: E402

EVAL = ROOT / "tests" / "data" / "eval"
SPLITS = {
    "dev": (EVAL / "dev", EVAL / "dev" / "labels.yml"),
    "holdout": (EVAL / "holdout", EVAL / "holdout" / "labels.yml"),
    "bundled": (ROOT / "feeds", EVAL / "bundled" / "labels.yml"),
}
TITLES = ROOT / "titles.yml"
SHORT_LATIN_TERM = 4  # RAG, GAN, LN, BN: matched as whole words, never inside other words
# ... a whole word, with a plural or a version number: "GANs", "YOLOv8", "GPT4", never "leverage".
WHOLE_WORD_SUFFIX = r"(?:s|v?[0-9]+(?:\.[0-9]+)?)?"


@dataclass
class Label:
    source: str
    primary: list[str]
    topics: list[str]
    title_terms: list[list[str]]


@dataclass
class Written:
    """One article as the ingest wrote it."""

    path: str
    id: str
    title: str
    topics: list[str]
    sources: list[str]
    text: str


@dataclass
class Outcome:
    label: Label
    article: Written
    primary_ok: bool
    topics_found: list[str]
    title_problems: list[str]
    missing_terms: list[list[str]]

    @property
    def title_ok(self) -> bool:
        return not self.title_problems and not self.missing_terms


@dataclass
class Figures:
    labelled: int = 0
    primary_right: int = 0
    topics_labelled: int = 0
    topics_found: int = 0
    titles_right: int = 0

    def add(self, outcome: Outcome) -> None:
        self.labelled += 1
        self.primary_right += outcome.primary_ok
        self.topics_labelled += len(outcome.label.topics)
        self.topics_found += len(outcome.topics_found)
        self.titles_right += outcome.title_ok

    def as_json(self) -> dict:
        return {
            "labelled": self.labelled,
            "primary_precision": ratio(self.primary_right, self.labelled),
            "topic_recall": ratio(self.topics_found, self.topics_labelled),
            "title_acceptance": ratio(self.titles_right, self.labelled),
            "primary_right": self.primary_right,
            "titles_right": self.titles_right,
        }


@dataclass
class Evaluation:
    split: str
    titles_file: bool
    articles: int
    uncategorized: list[str]
    overall: Figures
    sections: dict[str, Figures]
    outcomes: list[Outcome]
    missing_labels: list[str] = field(default_factory=list)  # no written article has this source
    unmerged_labels: dict[str, list[str]] = field(default_factory=dict)  # label -> several articles
    merged_articles: dict[str, list[str]] = field(default_factory=dict)  # article -> several labels
    unlabelled_articles: list[str] = field(default_factory=list)

    @property
    def uncategorized_share(self) -> float:
        return ratio(len(self.uncategorized), self.articles)

    @property
    def dedup_ok(self) -> bool:
        return not (self.missing_labels or self.unmerged_labels or self.merged_articles or self.unlabelled_articles)

    def as_json(self) -> dict:
        return {
            "split": self.split,
            "titles_file": self.titles_file,
            "articles": self.articles,
            **self.overall.as_json(),
            "uncategorized_share": self.uncategorized_share,
            "uncategorized": self.uncategorized,
            "dedup": {
                "ok": self.dedup_ok,
                "articles_written": self.articles,
                "labels": self.overall.labelled + len(self.missing_labels),
                "missing_labels": self.missing_labels,
                "copies_not_merged": self.unmerged_labels,
                "distinct_articles_merged": self.merged_articles,
                "unlabelled_articles": self.unlabelled_articles,
            },
            "sections": {name: figures.as_json() for name, figures in sorted(self.sections.items())},
            "failures": [
                failure_json(outcome) for outcome in self.outcomes if not (outcome.primary_ok and outcome.title_ok)
            ]
            + [
                {
                    "source": outcome.label.source,
                    "topics_missing": sorted(set(outcome.label.topics) - set(outcome.topics_found)),
                }
                for outcome in self.outcomes
                if outcome.primary_ok and outcome.title_ok and len(outcome.topics_found) < len(outcome.label.topics)
            ],
        }


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def failure_json(outcome: Outcome) -> dict:
    return {
        "source": outcome.label.source,
        "article": outcome.article.path,
        "given": {"topics": outcome.article.topics, "title": outcome.article.title},
        "expected": {
            "primary": outcome.label.primary,
            "topics": outcome.label.topics,
            "title_terms": outcome.label.title_terms,
        },
        "primary_ok": outcome.primary_ok,
        "title_problems": outcome.title_problems,
        "title_terms_missing": outcome.missing_terms,
    }


def load_labels(path: Path) -> list[Label]:
    data, problem = load_yaml(path)
    if problem:
        raise SystemExit(str(problem))
    labels = []
    for raw in data or []:
        raw = {key: value for key, value in raw.items() if key != LINE_KEY}
        labels.append(
            Label(
                source=str(raw["source"]),
                primary=[str(item) for item in raw["primary"]],
                topics=[str(item) for item in raw.get("topics") or raw["primary"][:1]],
                title_terms=[[str(term) for term in group] for group in raw.get("title_terms") or []],
            )
        )
    return labels


def base_source(source: str) -> str:
    """``feeds/000_x.txt:4`` -> ``000_x.txt:4``: labels name files without their folder."""
    file, _, line = source.rpartition(":")
    return f"{Path(file).name}:{line}"


def read_written(docs: Path, taxonomy: Taxonomy) -> list[Written]:
    written = []
    for path in sorted((docs / "articles").glob("*.md")):
        page, problem = read_page(path)
        if problem or page is None:
            raise SystemExit(f"{path}: {problem}")
        topics = []
        for tag in page.meta.get("tags") or []:
            topic = taxonomy.lookup(str(tag))
            topics.append(topic.id if topic else str(tag))
        written.append(
            Written(
                path=path.name,
                id=str(page.meta.get("id", "")),
                title=str(page.meta.get("title", "")),
                topics=topics,
                sources=[base_source(str(source)) for source in page.meta.get("sources") or []],
                text=page.body,
            )
        )
    return written


def term_in_title(term: str, title: str) -> bool:
    folded_term = unicodedata.normalize("NFKC", term).casefold().strip()
    folded_title = unicodedata.normalize("NFKC", title).casefold()
    if folded_term.isascii() and len(folded_term) <= SHORT_LATIN_TERM:
        pattern = rf"(?<![a-z0-9]){re.escape(folded_term)}{WHOLE_WORD_SUFFIX}(?![a-z0-9])"
        return re.search(pattern, folded_title) is not None
    return folded_term in folded_title


def judge(label: Label, article: Written) -> Outcome:
    missing = [group for group in label.title_terms if not any(term_in_title(term, article.title) for term in group)]
    return Outcome(
        label=label,
        article=article,
        primary_ok=bool(article.topics) and article.topics[0] in label.primary,
        topics_found=[topic for topic in label.topics if topic in article.topics],
        title_problems=title_problems(article.title, article.text),
        missing_terms=missing,
    )


def evaluate(split: str, use_titles_file: bool = True, taxonomy_path: Path = ROOT / "taxonomy.yml") -> Evaluation:
    feeds, labels_path = SPLITS[split]
    taxonomy = load_taxonomy(taxonomy_path)
    labels = load_labels(labels_path)
    with tempfile.TemporaryDirectory() as temp:
        docs = Path(temp) / "docs"
        titles = TITLES if use_titles_file and split == "bundled" else Path(temp) / "no-titles.yml"
        run_ingest([feeds], docs, taxonomy, titles)
        written = read_written(docs, taxonomy)

    by_source: dict[str, list[Written]] = defaultdict(list)
    for article in written:
        for source in article.sources:
            by_source[source].append(article)
    evaluation = Evaluation(
        split=split,
        titles_file=use_titles_file and split == "bundled",
        articles=len(written),
        uncategorized=[article.path for article in written if article.topics[:1] == [FALLBACK_TOPIC_ID]],
        overall=Figures(),
        sections=defaultdict(Figures),
        outcomes=[],
    )
    labels_of: dict[str, list[str]] = defaultdict(list)
    for label in labels:
        found = by_source.get(label.source, [])
        if not found:
            evaluation.missing_labels.append(label.source)
            continue
        if len(found) > 1:
            evaluation.unmerged_labels[label.source] = [article.path for article in found]
        labels_of[found[0].path].append(label.source)
        outcome = judge(label, found[0])
        evaluation.outcomes.append(outcome)
        evaluation.overall.add(outcome)
        primary = taxonomy.lookup(label.primary[0])
        evaluation.sections[primary.section if primary else "?"].add(outcome)
    evaluation.merged_articles = {path: sources for path, sources in labels_of.items() if len(sources) > 1}
    evaluation.unlabelled_articles = [article.path for article in written if article.path not in labels_of]
    return evaluation


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def print_report(evaluation: Evaluation) -> None:
    overall = evaluation.overall
    figures = overall.as_json()
    curated = "with titles.yml" if evaluation.titles_file else "no curated titles"
    print(f"split {evaluation.split} ({curated}): {evaluation.articles} articles written, {overall.labelled} labelled")
    primary, recall = percent(figures["primary_precision"]), percent(figures["topic_recall"])
    print(f"  primary-topic precision  {overall.primary_right}/{overall.labelled} = {primary}")
    print(f"  any-topic recall         {overall.topics_found}/{overall.topics_labelled} = {recall}")
    print(
        f"  title acceptance         {overall.titles_right}/{overall.labelled} = {percent(figures['title_acceptance'])}"
    )
    print(
        f"  left 待分类               {len(evaluation.uncategorized)}/{evaluation.articles}"
        f" = {percent(evaluation.uncategorized_share)}"
    )
    dedup = "right" if evaluation.dedup_ok else "WRONG"
    print(
        f"  dedup {dedup}: {len(evaluation.missing_labels)} labels without an article, "
        f"{len(evaluation.unmerged_labels)} labels in several articles (copies not merged), "
        f"{len(evaluation.merged_articles)} articles holding several labels (distinct articles merged), "
        f"{len(evaluation.unlabelled_articles)} articles without a label"
    )
    for name, problems in (
        ("label without an article", evaluation.missing_labels),
        ("copies not merged", [f"{key}: {value}" for key, value in evaluation.unmerged_labels.items()]),
        ("distinct articles merged", [f"{key}: {value}" for key, value in evaluation.merged_articles.items()]),
        ("article without a label", evaluation.unlabelled_articles),
    ):
        for problem in problems:
            print(f"    {name}: {problem}")
    print("\n  section                  labelled  primary  recall  titles")
    for name, section in sorted(evaluation.sections.items()):
        data = section.as_json()
        print(
            f"  {name:<24} {section.labelled:>8}  {percent(data['primary_precision']):>7}"
            f"  {percent(data['topic_recall']):>6}  {percent(data['title_acceptance']):>6}"
        )
    failures = [outcome for outcome in evaluation.outcomes if not (outcome.primary_ok and outcome.title_ok)]
    if failures:
        print(f"\n  failures ({len(failures)}):")
    for outcome in failures:
        label, article = outcome.label, outcome.article
        print(f"  - {label.source} ({article.path})")
        if not outcome.primary_ok:
            print(f"      topics  given {article.topics}; expected primary one of {label.primary}")
        if not outcome.title_ok:
            reasons = outcome.title_problems + [f"needs one of {group}" for group in outcome.missing_terms]
            print(f"      title   given {article.title!r}: {'; '.join(reasons)}")
    if evaluation.uncategorized:
        print(f"\n  left 待分类: {', '.join(evaluation.uncategorized)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument("--no-titles-file", action="store_true", help="ignore titles.yml (bundled split)")
    parser.add_argument("--json", action="store_true", help="print the figures and failures as JSON")
    args = parser.parse_args(argv)
    evaluation = evaluate(args.split, use_titles_file=not args.no_titles_file)
    if args.json:
        print(json.dumps(evaluation.as_json(), ensure_ascii=False, indent=2))
    else:
        print_report(evaluation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
