"""Build the bundled site with the lowest version of every dependency that pyproject.toml allows.

    .venv/bin/python scripts/min_versions.py [--work build/min-versions] [--override NAME==VERSION]...

``make test-min-versions`` runs it, and so does CI. A lower bound in ``pyproject.toml`` is a
promise to everyone who installs the package; this checks it with real installs:

1. a throwaway virtual environment under ``--work`` gets the project's runtime dependencies at
   their lowest allowed versions (uv's ``--resolution lowest-direct``: each direct dependency at
   its lower bound, what they pull in at the newest version that fits);
2. a copy of the project (``mkdocs.yml``, ``taxonomy.yml``, ``titles.yml``, ``published-topics.txt``,
   ``overrides/``, ``docs/``, ``feeds/``) is ingested with that environment's ``python -m ingest run --strict``,
   checked with ``python -m ingest check``, and built with ``mkdocs build --strict``;
3. the built site must have its home page, topic pages, article pages, feed and tags page.

It prints the versions it installed and exits non-zero, naming the step, on any failure.
``--override`` replaces one requirement (``mkdocs-material==9.6.0``): that is how the lower
bounds were found, by trying releases one at a time (README, "Dependencies and why").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ITEMS = ("mkdocs.yml", "taxonomy.yml", "titles.yml", "published-topics.txt", "overrides", "docs", "feeds")
EXPECTED_PAGES = ("index.html", "tags/index.html", "all-articles/index.html", "recent/index.html", "feed.xml")


def uv_executable() -> str:
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        sys.exit("scripts/min_versions.py: uv not found; run `make setup` first (the test extra installs it)")
    return found


def run(step: str, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    took = time.monotonic() - started
    if result.returncode != 0:
        print(f"FAILED: {step} ({took:.1f} s)\n$ {' '.join(command)}\n{result.stdout}{result.stderr}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {step} ({took:.1f} s)")
    return result


def make_environment(work: Path, overrides: list[str]) -> Path:
    venv = work / "venv"
    if venv.exists():
        shutil.rmtree(venv)
    uv = uv_executable()
    run("create the virtual environment", [uv, "venv", "--no-config", "--quiet", "--python", sys.executable, str(venv)])
    python = venv / "bin" / "python"
    command = [
        uv,
        "pip",
        "install",
        "--no-config",
        "--quiet",
        "--index-url",
        "https://pypi.org/simple",
        "--python",
        str(python),
        "--resolution",
        "lowest-direct",
        "--reinstall",
    ]
    if overrides:
        override_file = work / "overrides.txt"
        override_file.write_text("\n".join(overrides) + "\n", encoding="utf-8")
        command += ["--override", str(override_file)]
    run("install the lowest allowed versions", [*command, "-e", str(ROOT)])
    return python


def installed_versions(python: Path) -> str:
    result = run("list the installed versions", [uv_executable(), "pip", "freeze", "--python", str(python)])
    return "\n".join(line for line in result.stdout.splitlines() if not line.startswith("-e "))


def copy_project(work: Path) -> Path:
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in PROJECT_ITEMS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.exists():
            shutil.copy2(source, project / name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "min-versions")
    parser.add_argument("--override", action="append", default=[], metavar="NAME==VERSION")
    args = parser.parse_args(argv)
    if not (ROOT / "node_modules" / "katex").exists():
        sys.exit("scripts/min_versions.py: node_modules/katex is missing; run `make setup` first")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    python = make_environment(work, args.override)
    print(installed_versions(python))
    project = copy_project(work)
    # The environment's own interpreter and entry points; PYTHONPATH unset so nothing of the
    # development venv leaks in. The notice Material prints at start-up is kept out of the log.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        run(
            "ingest the bundled feeds",
            [str(python), "-m", "ingest", "run", "--strict", "--report", str(report)],
            cwd=project,
            env=env,
        )
    run("check the articles", [str(python), "-m", "ingest", "check"], cwd=project, env=env)
    run("mkdocs build --strict", [str(python), "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=project, env=env)
    site = project / "site"
    missing = [page for page in EXPECTED_PAGES if not (site / page).exists()]
    articles = list((site / "articles").glob("*/index.html"))
    topics = list((site / "topics").glob("*/index.html"))
    if missing or not articles or not topics:
        print(f"FAILED: the built site lacks {missing or 'article or topic pages'}", file=sys.stderr)
        return 1
    print(f"ok: site built with the lowest versions: {len(articles)} articles, {len(topics)} topic pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
