"""Command line: ``python -m ingest run|check|new|takeover|explain|suggest-topics|record-topics``.

Problems print as ``FILE:LINE: message``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ingest.contributor.published_topics import RecordError, default_record_path, load_published_ids, record_topics
from ingest.contributor.suggest import MIN_ARTICLES, WEAK_MENTIONS, proposals_yaml, suggest_topics
from ingest.pipeline.docs_tree import UnsafeDocs
from ingest.pipeline.lock import LockBusy
from ingest.pipeline.progress import StageProgress
from ingest.pipeline.run import STAGES, NoFeedsError, run_ingest
from ingest.shared.messages import terminal_safe
from ingest.shared.taxonomy import TaxonomyError, load_taxonomy
from ingest.site.library import scan_articles

DEFAULT_FEEDS = Path("feeds")
DEFAULT_DOCS = Path("docs")
DEFAULT_TAXONOMY = Path("taxonomy.yml")
DEFAULT_TITLES = Path("titles.yml")
PUBLISHED_HELP = "record of published topic ids (default: published-topics.txt beside the taxonomy)"
DEFAULT_CONFIG = Path("mkdocs.yml")
# Beside the other defaults (feeds/, docs/, taxonomy.yml): in a checkout, `make ingest` and
# `make serve` share it; a fresh clone has none and makes it on its first run.
DEFAULT_CACHE_DIR = Path("build") / "ingest-cache"


def say(text: str, stream=None) -> None:
    """Print one message; every message goes through here, so no feed byte reaches the terminal raw."""
    print(terminal_safe(text), file=stream or sys.stderr)


def print_problems(problems, kind: str = "") -> None:
    # GNU style "FILE:LINE: warning: message": editors and CI annotations key on the FILE:LINE start.
    for problem in problems:
        say(f"{problem.file}:{problem.line}: {kind}{problem.reason}")


def command_run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    with StageProgress(STAGES) as progress:
        report = run_ingest(
            args.feeds or [DEFAULT_FEEDS],
            args.docs,
            taxonomy,
            args.titles,
            cache=args.cache,
            progress=progress,
            cache_dir=None if args.no_cache else args.cache_dir,
            wait=args.wait,
        )
    print_problems(report.rejected)
    print_problems(report.warnings, "warning: ")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a file name with undecodable bytes becomes a \udcXX escape, still valid JSON.
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
        args.report.write_text(text, encoding="utf-8", errors="backslashreplace")
    say(
        f"{report.entries_read} entries -> {report.articles} articles "
        f"({report.duplicates_merged} duplicates merged, {len(report.rejected)} rejected); "
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed"
    )
    return 1 if args.strict and report.rejected else 0


# The contributor tools and ``explain`` are imported by their commands only: ``check`` pulls in
# the site build's rules (Markdown, KaTeX's renderer, the search terms), seconds of imports an
# ingest run does not need.
def command_check(args: argparse.Namespace) -> int:
    from ingest.contributor.check import run_check

    report = run_check(args.paths, args.docs, args.taxonomy, args.titles, args.config, args.published)
    print_problems(report.errors)
    print_problems(report.warnings, "warning: ")
    say(report.summary() + ("; see CONTRIBUTING.md" if report.errors else ""))
    return 1 if report.errors else 0


def command_new(args: argparse.Namespace) -> int:
    from ingest.contributor.new import NewArticleError, create_article

    try:
        path = create_article(args.docs, load_taxonomy(args.taxonomy), args.title, args.tag, dt.date.today())
    except NewArticleError as error:
        for line in str(error).splitlines():
            say(f"python -m ingest new: {line}")
        return 2
    say(path.as_posix(), sys.stdout)
    return 0


def command_takeover(args: argparse.Namespace) -> int:
    from ingest.contributor.takeover import TakeoverError, take_over

    try:
        path, changed = take_over(args.docs, args.article)
    except TakeoverError as error:
        say(f"python -m ingest takeover: {error}")
        return 2
    state = "is now hand-written; the ingest will not regenerate it" if changed else "is already hand-written"
    say(f"{path.as_posix()} {state}")
    return 0


def command_explain(args: argparse.Namespace) -> int:
    from ingest.pipeline.explain import ExplainError, explain

    try:
        text = explain(
            args.article, args.feeds or [DEFAULT_FEEDS], args.docs, load_taxonomy(args.taxonomy), args.titles
        )
    except ExplainError as error:
        say(f"python -m ingest explain: {error}")
        return 2
    # The report quotes the feed's text: every line escaped like any other message.
    for line in text.splitlines():
        say(line, sys.stdout)
    return 0


def command_suggest_topics(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    articles, problems = scan_articles(args.docs, taxonomy)
    print_problems(problems, "warning: ")
    published, _ = load_published_ids(args.published or default_record_path(args.taxonomy))
    proposals, ungrouped = suggest_topics(
        articles, taxonomy, published, min_articles=args.min_articles, weak_mentions=args.weak_mentions
    )
    sys.stdout.write(proposals_yaml(proposals, ungrouped, taxonomy))
    moved = sum(len(proposal.articles) for proposal in proposals)
    say(
        f"{len(proposals)} proposed topic(s) for {moved} article(s); {len(ungrouped)} candidate(s) ungrouped; "
        f"{args.taxonomy} not changed"
    )
    return 0


def command_record_topics(args: argparse.Namespace) -> int:
    path = args.published or default_record_path(args.taxonomy)
    try:
        added = record_topics(path, load_taxonomy(args.taxonomy))
    except RecordError as error:
        print_problems(error.problems)
        return 2
    say(f"{path.as_posix()}: {len(added)} topic id(s) added" + (f": {', '.join(added)}" if added else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument(
        "--taxonomy", type=Path, default=DEFAULT_TAXONOMY, help="topic taxonomy (default: taxonomy.yml)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="turn feed dumps into Markdown articles under docs/")
    run.add_argument("--feeds", type=Path, action="append", help="a feed file or folder; repeatable (default: feeds/)")
    run.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    run.add_argument("--report", type=Path, help="write a JSON report here")
    run.add_argument("--titles", type=Path, default=DEFAULT_TITLES, help="curated titles (default: titles.yml)")
    run.add_argument("--strict", action="store_true", help="exit 1 if any entry was rejected")
    run.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE_DIR,
        help="keep what each feed file contributed here; a run redoes only what changed (default: build/ingest-cache)",
    )
    run.add_argument("--no-cache", action="store_true", help="use no cache: read, deduplicate and tag everything")
    run.add_argument(
        "--cache",
        type=Path,
        help="record the whole-run skip in this file instead of the cache folder (kept for older scripts)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another ingest is writing the same docs/, wait up to this long for it (default: refuse at once)",
    )
    run.set_defaults(handler=command_run)

    check = commands.add_parser("check", help="validate articles, the taxonomy and titles.yml")
    check.add_argument("paths", type=Path, nargs="*", help="Markdown files or folders (default: all of docs/)")
    check.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    check.add_argument("--titles", type=Path, default=DEFAULT_TITLES, help="curated titles (default: titles.yml)")
    check.add_argument("--published", type=Path, help=PUBLISHED_HELP)
    check.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="the site's MkDocs configuration (default: mkdocs.yml)"
    )
    check.set_defaults(handler=command_check)

    new = commands.add_parser("new", help="scaffold a hand-written article and print its path")
    new.add_argument("--title", required=True, help="the article's title")
    new.add_argument("--tag", action="append", default=[], help="a topic id, Chinese or English name; repeatable")
    new.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    new.set_defaults(handler=command_new)

    takeover = commands.add_parser("takeover", help="make a generated article hand-written (keeps its id and URL)")
    takeover.add_argument("article", help="the article's slug (file name) or id")
    takeover.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    takeover.set_defaults(handler=command_takeover)

    why = commands.add_parser("explain", help="show why an article got its topics and its title")
    why.add_argument("article", help="the article's id or slug (file name under docs/articles/)")
    why.add_argument("--feeds", type=Path, action="append", help="a feed file or folder; repeatable (default: feeds/)")
    why.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    why.add_argument("--titles", type=Path, default=DEFAULT_TITLES, help="curated titles (default: titles.yml)")
    why.set_defaults(handler=command_explain)

    suggest = commands.add_parser(
        "suggest-topics",
        help="print proposed taxonomy entries (YAML) for uncategorized and weakly tagged articles; writes nothing",
    )
    suggest.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs/)")
    suggest.add_argument(
        "--min-articles",
        type=int,
        default=MIN_ARTICLES,
        help=f"articles a proposed topic needs (default: {MIN_ARTICLES})",
    )
    suggest.add_argument(
        "--weak-mentions",
        type=float,
        default=WEAK_MENTIONS,
        help="weakly tagged: the best topic scores below this many passing mentions of its name "
        f"(default: {WEAK_MENTIONS:g})",
    )
    suggest.add_argument("--published", type=Path, help=PUBLISHED_HELP)
    suggest.set_defaults(handler=command_suggest_topics)

    record = commands.add_parser("record-topics", help="add every topic id to the record of published topic ids")
    record.add_argument("--published", type=Path, help=PUBLISHED_HELP)
    record.set_defaults(handler=command_record_topics)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except TaxonomyError as error:
        print_problems(error.problems)
        return 2
    except NoFeedsError as error:
        print_problems(error.problems)
        say("no feed files found: nothing written, no article removed")
        return 2
    except (LockBusy, UnsafeDocs) as error:
        say(str(error))
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except OSError as error:
        say(f"{error.filename or ''}:0: {error.strerror}")
        return 2
