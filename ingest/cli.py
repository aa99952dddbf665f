"""Command line: ``python -m ingest run|check|new``. Problems print as ``FILE:LINE: message``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.pipeline import run_ingest
from ingest.taxonomy import TaxonomyError, load_taxonomy

DEFAULT_FEEDS = Path("feeds")
DEFAULT_DOCS = Path("docs")
DEFAULT_TAXONOMY = Path("taxonomy.yml")
DEFAULT_TITLES = Path("titles.yml")


def print_problems(problems, prefix: str = "") -> None:
    for problem in problems:
        print(f"{prefix}{problem}", file=sys.stderr)


def command_run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    report = run_ingest(args.feeds or [DEFAULT_FEEDS], args.docs, taxonomy, args.titles)
    print_problems(report.rejected)
    print_problems(report.warnings, "warning: ")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"{report.entries_read} entries -> {report.articles} articles "
        f"({report.duplicates_merged} duplicates merged, {len(report.rejected)} rejected); "
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed",
        file=sys.stderr,
    )
    return 1 if args.strict and report.rejected else 0


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
    run.set_defaults(handler=command_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except TaxonomyError as error:
        print_problems(error.problems)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"{error.filename or ''}:0: {error.strerror}", file=sys.stderr)
        return 2
