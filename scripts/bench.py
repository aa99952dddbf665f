"""Measure the ingest and the site at scale against their targets, and print a table.

    .venv/bin/python scripts/bench.py [--json build/bench.json] [--work build/bench] [--quick] [--skip-site]
                                      [--build-only] [--search-only]

Every measurement runs the real commands in child processes (``python -m ingest run``,
``mkdocs build --strict``, ``mkdocs serve --dirty``) on corpora from
``scripts/make_corpus.py``, whose distinct-article count is known by construction. Each
measurement is one function; ratios compare figures of the same run (the machine is shared
and its load moves every absolute figure).

* the floor: plain Python reading every line of the 100,000-entry dumps, NFKC-folding it,
  dropping exact duplicates and writing one small file each (``floor_ingest``), run the same
  way as the ingest;
* ingest of 10,000 and 100,000 entries into an empty ``docs/`` and an empty cache, as a
  project runs it (``python -m ingest run`` in the project folder, no cache option): wall
  time, CPU time, peak memory (``ru_maxrss`` from ``wait4``), entries per second, whether the
  article count is exact (report, accounting identity and files on disk), the ratio to the
  floor and the growth from 10,000 to 100,000;
* incremental: the next 1,000-entry dump of the same blog added to the 100,000 entries and the
  ingest run again: its share of the full run, whether only the files whose bytes changed were
  rewritten, and whether the result is byte-identical to a run without the cache
  (``--no-cache``) from the same ``docs/``;
* a no-op re-run of the 101,000-entry ingest, as ``make ingest`` runs it (the cache skips the
  whole run) and with ``--no-cache``: wall time, and whether any file under ``docs/`` was
  rewritten (inode, size, mtime);
* ``mkdocs build --strict`` of a 1,000- and a 5,000-article site (``tests.sitebuild``
  project copy without the bundled articles, committed to a fresh git repository as a real
  checkout is): wall time, peak memory, total size of ``site/``, median article-page HTML size;
  for the 5,000-article site, the share of the build each costly part of the kb plugin took
  (related articles, KaTeX, topic pages, search index; the plugin times them itself,
  ``ingest/site/build_timing.py``), and, right after it in the same run, the same articles built
  by plain Material + jieba (``PLAIN_MATERIAL_CONFIG``) for the ratio of the two;
* one article edited under ``mkdocs serve --dirty`` (MkDocs 1.6's name for ``--dirtyreload``):
  time until the served page shows it (``--build-only`` runs only these site-build steps, at the
  large size);
* related articles (``ingest/site/related.py``) for the 1,000- and 5,000-article libraries: time
  and pairs scored, whose growth must stay near-linear;
* site search in Chromium on the 5,000-article site (``bench_search``): bytes fetched by a first
  visit of the home page and by a first search (each query in a fresh browser, so nothing is
  cached), and the time from entering the query to the first result shown; then the search
  files a first search fetches from a 50,000-article index (``bench_search_at_scale``: the
  articles of the 100,000-entry ingest, indexed without the rest of the site build).

``--quick`` runs the same steps at a tenth of the size, to try the script out; its figures
are not the targets' sizes and are marked so. Speed targets live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.utils.yaml import yaml_load  # noqa: E402

from tests.sitebuild import make_project  # noqa: E402

MAKE_CORPUS = ROOT / "scripts" / "make_corpus.py"
GIB = 1 << 30
MIB = 1 << 20
SERVE_START_TIMEOUT = 600
SERVE_EDIT_TIMEOUT = 300
SERVE_EDIT_TARGET = 2.0  # seconds from saving an article to the served page showing it
POLL_SECONDS = 0.05


@dataclass
class Child:
    """One finished child process: what it cost and what it said."""

    returncode: int
    wall: float
    cpu: float  # user + system seconds
    peak_rss: int  # bytes
    stdout: str
    stderr: str


@dataclass
class Row:
    measure: str
    value: str
    target: str = "—"
    passed: bool | None = None  # None: no target, only reported

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]


@dataclass
class Bench:
    work: Path
    quick: bool
    rows: list[Row] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def row(self, measure: str, value: str, target: str = "—", passed: bool | None = None) -> None:
        self.rows.append(Row(measure, value, target, passed))
        print(f"  {measure}: {value}" + (f"  [{target}: {'PASS' if passed else 'FAIL'}]" if passed is not None else ""))


def child_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


def run_child(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Child:
    """Run to completion with output in files (no pipe can fill up); ``wait4`` gives its own rusage."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        environment = {**child_env(), **(env or {})}
        process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Child(
        returncode=process.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,  # kilobytes on Linux
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def checked(child: Child, what: str) -> Child:
    if child.returncode != 0:
        raise SystemExit(f"{what} failed ({child.returncode}):\n{child.stdout[-3000:]}\n{child.stderr[-3000:]}")
    return child


def make_corpus(out: Path, entries: int, seed: int, articles: int | None = None) -> dict:
    command = [sys.executable, str(MAKE_CORPUS), "--entries", str(entries), "--out", str(out), "--seed", str(seed)]
    if articles is not None:
        command += ["--articles", str(articles)]
    child = checked(run_child(command, ROOT, out.parent / f"{out.name}-make"), "make_corpus")
    return json.loads(child.stdout)


def ingest_command(feeds: Path, docs: Path, report: Path, *options: str) -> list[str]:
    """``python -m ingest run`` with the project's taxonomy; run it in the project folder (the cache lives there)."""
    command = [sys.executable, "-m", "ingest", "--taxonomy", str(ROOT / "taxonomy.yml"), "run"]
    return command + ["--feeds", str(feeds), "--docs", str(docs), "--report", str(report), *options]


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Inode, size and mtime of every file: a rewrite (atomic rename included) changes one of them."""
    state = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            state[path.relative_to(folder).as_posix()] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return state


def exact_count(report: dict, manifest: dict, docs: Path) -> tuple[bool, str]:
    on_disk = sum(1 for _ in (docs / "articles").glob("*.md"))
    identity = report["entries_read"] == report["articles"] + report["duplicates_merged"] + len(report["rejected"])
    exact = report["articles"] == manifest["articles"] == on_disk and identity
    detail = f"{report['articles']} articles (truth {manifest['articles']}, {on_disk} files)"
    return exact, detail


def floor_ingest(feeds: Path, out: Path) -> int:
    """The floor: read every line, NFKC-fold it, drop exact duplicates, write one small file each.

    Plain Python, one process, no fsync: the least any ingest of these dumps does. Returns the
    number of files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for path in sorted(feeds.glob("*.txt")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                folded = " ".join(unicodedata.normalize("NFKC", line).split())
                if folded and folded not in seen:
                    seen.add(folded)
                    with (out / f"{len(seen)}.md").open("w", encoding="utf-8") as handle:
                        handle.write(folded + "\n")
    return len(seen)


def bench_floor(bench: Bench, feeds: Path, label: str) -> Child:
    folder = feeds.parent
    command = [sys.executable, str(Path(__file__).resolve()), "--floor", str(feeds), str(folder / "floor")]
    child = checked(run_child(command, folder, folder / "floor-run"), "floor")
    bench.figures["floor"] = {**asdict(child), "stdout": None, "stderr": None, "files": int(child.stdout or 0)}
    bench.row(
        f"floor, {label} entries (read, NFKC-fold, drop exact copies, one file each)",
        f"{child.wall:.1f} s ({child.cpu:.1f} s cpu), {int(child.stdout or 0):,} files",
    )
    return child


def ingest_corpus(bench: Bench, entries: int, extra: int = 0) -> tuple[Path, dict]:
    """A project folder with ``feeds/`` (and ``next/``, the next dump of the same blog, when ``extra``)."""
    folder = bench.work / f"ingest-{entries}"
    command = [
        sys.executable,
        str(MAKE_CORPUS),
        "--entries",
        str(entries),
        "--out",
        str(folder / "feeds"),
        "--seed",
        "1",
    ]
    if extra:
        command += ["--extra-entries", str(extra), "--extra-out", str(folder / "next")]
    child = checked(run_child(command, ROOT, folder / "make-corpus"), "make_corpus")
    return folder, json.loads(child.stdout)


def bench_ingest(bench: Bench, folder: Path, manifest: dict, label: str) -> Child:
    """A first run: empty ``docs/``, empty cache, no option (as in a fresh clone)."""
    report_path = folder / "report.json"
    command = ingest_command(Path("feeds"), Path("docs"), report_path)
    child = checked(run_child(command, folder, folder / "first"), "ingest")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    exact, detail = exact_count(report, manifest, folder / "docs")
    entries = manifest["entries"]
    bench.figures[f"ingest_{entries}"] = {
        **asdict(child),
        "stdout": None,
        "stderr": None,
        "articles": report["articles"],
    }
    bench.row(
        f"ingest {label} entries: wall (cpu)",
        f"{child.wall:.1f} s ({child.cpu:.1f} s cpu), {entries / child.wall:,.0f} entries/s",
    )
    bench.row(f"ingest {label} entries: exact article count", detail, "exact", exact)
    bench.row(
        f"ingest {label} entries: peak memory", f"{child.peak_rss / MIB:,.0f} MB", "≤ 2 GB", child.peak_rss <= 2 * GIB
    )
    return child


def bench_against_floor(bench: Bench, ingest: Child, floor: Child, label: str) -> None:
    ratio = ingest.wall / floor.wall
    bench.figures["floor_ratio"] = ratio
    bench.row(
        f"ingest {label} entries against the floor",
        f"×{ratio:.1f} ({ingest.wall:.1f} s / {floor.wall:.1f} s)",
        "≤ ×3",
        ratio <= 3,
    )


def bench_growth(bench: Bench, small: Child, large: Child, labels: tuple[str, str]) -> None:
    ratio = large.wall / small.wall
    bench.figures["growth"] = ratio
    bench.row(f"ingest time growth {labels[0]} → {labels[1]} entries", f"×{ratio:.1f}", "≤ ×10.5", ratio <= 10.5)


def bench_incremental(bench: Bench, folder: Path, manifest: dict, full: Child) -> None:
    """The next dump added, the ingest run again with no option; checked against ``--no-cache`` from the same docs."""
    docs, report_path = folder / "docs", folder / "report.json"
    # The reference: the same docs/ as before the incremental run, through a run without the cache.
    reference = folder / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    shutil.copytree(docs, reference / "docs", symlinks=True)
    for dump in sorted((folder / "next").glob("*.txt")):
        shutil.copy(dump, folder / "feeds" / dump.name)
    before = snapshot(docs)
    child = checked(
        run_child(ingest_command(Path("feeds"), Path("docs"), report_path), folder, folder / "incremental"), "ingest"
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    after = snapshot(docs)
    rewritten = {name for name in after if before.get(name) != after[name]} - {".ingest-manifest.json"}
    only_changed = rewritten == set(report["written"]) and report["articles"] == manifest["articles_with_extra"]

    shutil.copytree(folder / "feeds", reference / "feeds")  # the same names in sources: relative to the project
    command = ingest_command(Path("feeds"), Path("docs"), reference / "report.json", "--no-cache")
    uncached = checked(run_child(command, reference, folder / "reference-run"), "ingest --no-cache")
    identical = tree_bytes(docs) == tree_bytes(reference / "docs")
    share = child.wall / full.wall
    bench.figures["incremental"] = {
        "wall": child.wall,
        "cpu": child.cpu,
        "share": share,
        "written": len(report["written"]),
        "articles": report["articles"],
        "only_changed_rewritten": only_changed,
        "identical_to_uncached": identical,
        "uncached_wall": uncached.wall,
    }
    entries = manifest["extra_entries"]
    bench.row(
        f"incremental: +{entries:,} entries to {manifest['entries']:,}, no option",
        f"{child.wall:.1f} s ({child.cpu:.1f} s cpu) = {share:.0%} of the full run",
        "≤ 20%",
        share <= 0.20,
    )
    new_articles = manifest["new_articles_in_extra"]
    bench.row(
        "incremental: files rewritten",
        f"{len(rewritten):,} (the report's changed files: {len(report['written']):,}; {new_articles} new articles)",
        "only changed",
        only_changed,
    )
    bench.row(
        "incremental: same bytes as --no-cache from the same docs/",
        f"{'identical' if identical else 'DIFFERENT'} (--no-cache took {uncached.wall:.1f} s)",
        "identical",
        identical,
    )


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def bench_noop(bench: Bench, first: Child, folder: Path) -> None:
    docs, report_path = folder / "docs", folder / "report.json"
    for label, options in (("as make ingest runs it", ()), ("with --no-cache", ("--no-cache",))):
        before = snapshot(docs)
        command = ingest_command(Path("feeds"), Path("docs"), report_path, *options)
        child = checked(run_child(command, folder, folder / f"noop-{bool(options)}"), "no-op ingest")
        report = json.loads(report_path.read_text(encoding="utf-8"))
        untouched = snapshot(docs) == before and not report["written"] and not report["removed"]
        share = child.wall / first.wall
        bench.figures[f"noop_{'uncached' if options else 'default'}"] = {
            "wall": child.wall,
            "share": share,
            "untouched": untouched,
        }
        bench.row(
            f"no-op re-run {label}",
            f"{child.wall:.1f} s = {share:.0%} of the first run",
            "—" if options else "≤ 25%",
            None if options else share <= 0.25,
        )
        bench.row(f"no-op re-run {label}: files rewritten", "none" if untouched else "SOME", "none", untouched)


def site_project(bench: Bench, articles: int) -> tuple[Path, dict]:
    folder = bench.work / f"site-{articles}"
    manifest = make_corpus(folder / "feeds", articles * 2, seed=2, articles=articles)
    project = make_project(folder / "project", with_bundled_docs=False)
    checked(
        run_child(ingest_command(folder / "feeds", Path("docs"), folder / "report.json"), project, folder / "ingest"),
        "ingest",
    )
    # A real checkout: the kb plugin reads the history (one `git log`) for every page's date.
    if shutil.which("git"):
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench corpus"]):
            git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *command]
            subprocess.run(git, cwd=project, check=True, capture_output=True)
    return project, manifest


def page_sizes(site: Path) -> tuple[int, list[int]]:
    total = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    return total, [path.stat().st_size for path in (site / "articles").glob("*/index.html")]


def bench_build(bench: Bench, articles: int, label: str) -> Path:
    project, manifest = site_project(bench, articles)
    timings_path = project.parent / "build-timings.json"
    child = checked(
        run_child(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
            project,
            project.parent / "build",
            env={"KB_BUILD_TIMINGS": str(timings_path)},
        ),
        "mkdocs build",
    )
    total, pages = page_sizes(project / "site")
    median = statistics.median(pages) if pages else 0
    large = articles == bench_sizes(bench.quick)["site_large"]
    bench.figures[f"build_{articles}"] = {
        "wall": child.wall,
        "cpu": child.cpu,
        "peak_rss": child.peak_rss,
        "site_bytes": total,
        "median_article_bytes": median,
        "article_pages": len(pages),
    }
    bench.row(
        f"mkdocs build, {label} articles: wall (cpu)",
        f"{child.wall:.1f} s ({child.cpu:.1f} s cpu), {len(pages)} article pages",
        "≤ 60 s" if large else "—",
        child.wall <= 60 if large else None,
    )
    bench.row(
        f"mkdocs build, {label} articles: site size",
        f"{total / MIB:,.1f} MB",
        "≤ 200 MB" if large else "—",
        total <= 200 * MIB if large else None,
    )
    bench.row(
        f"mkdocs build, {label} articles: median article page",
        f"{median / 1024:,.1f} KB",
        "≤ 60 KB",
        median <= 60 * 1024,
    )
    bench.row(
        f"mkdocs build, {label} articles: peak memory",
        f"{child.peak_rss / MIB:,.0f} MB",
        "≤ 2 GB",
        child.peak_rss <= 2 * GIB,
    )
    if large:
        bench_build_parts(bench, child, json.loads(timings_path.read_text(encoding="utf-8")), label)
        bench_against_plain_material(bench, project, child, label)
    return project


# The kb plugin's parts that must each stay a small share of the build (ingest/site/build_timing.py).
BUILD_PARTS = {
    "related": "related articles",
    "katex": "KaTeX",
    "topic_pages": "topic pages",
    "search_index": "search index",
}


def bench_build_parts(bench: Bench, build: Child, seconds: dict[str, float], label: str) -> None:
    """Each part's seconds, as the plugin timed them (KB_BUILD_TIMINGS), against the build's wall time."""
    bench.figures[f"build_parts_{label}"] = seconds
    for key, name in BUILD_PARTS.items():
        share = seconds.get(key, 0.0) / build.wall
        bench.row(
            f"mkdocs build, {label} articles: share taken by {name}",
            f"{share:.1%} ({seconds.get(key, 0.0):.1f} s of {build.wall:.1f} s)",
            "≤ 10%",
            share <= 0.10,
        )
    if "descriptions" in seconds:
        bench.row(
            f"mkdocs build, {label} articles: article descriptions (head metadata, feed)",
            f"{seconds['descriptions'] / build.wall:.1%} ({seconds['descriptions']:.1f} s)",
        )


# The baseline: the same articles built by Material alone, with its own search (jieba segments the
# Chinese text, as Material's documentation sets it up: the separator includes the zero-width
# space jieba's segmentation inserts). The articles stay out of the navigation, as they do in the
# project's site; a navigation of every article would make each page carry all of them.
PLAIN_MATERIAL_CONFIG = """site_name: Plain Material
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
nav:
  - index.md
not_in_nav: |
  /articles/
"""


def plain_material_project(project: Path) -> Path:
    """The project's articles (the same files) in a site of their own with ``PLAIN_MATERIAL_CONFIG``."""
    plain = project.parent / "plain-material"
    shutil.rmtree(plain, ignore_errors=True)
    (plain / "docs").mkdir(parents=True)
    shutil.copytree(project / "docs" / "articles", plain / "docs" / "articles")
    (plain / "docs" / "index.md").write_text("# 文章\n\n文章都在 articles/ 下。\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(PLAIN_MATERIAL_CONFIG, encoding="utf-8")
    return plain


def bench_against_plain_material(bench: Bench, project: Path, build: Child, label: str) -> None:
    """Right after the project's build, the same articles built by plain Material + jieba."""
    plain = plain_material_project(project)
    child = checked(
        run_child([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], plain, plain.parent / "plain"),
        "plain Material build",
    )
    ratio = build.wall / child.wall
    bench.figures[f"plain_material_{label}"] = {"wall": child.wall, "cpu": child.cpu, "ratio": ratio}
    bench.row(
        f"mkdocs build {label} articles vs plain Material + jieba",
        f"×{ratio:.2f} ({build.wall:.1f} s / {child.wall:.1f} s; cpu {build.cpu:.1f} s / {child.cpu:.1f} s)",
        "≤ 2×",
        ratio <= 2,
    )


def served_root(project: Path) -> str:
    """``mkdocs serve`` mounts the site under the path of ``site_url`` (``!ENV SITE_URL``, ``/`` by default)."""
    site_url = yaml_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"
    path = urllib.parse.urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(predicate, timeout: float) -> float | None:
    """Seconds until ``predicate()`` is true, or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    return None


def bench_serve(bench: Bench, project: Path, label: str) -> None:
    """Edit one article under ``mkdocs serve --dirtyreload``; time until the served page shows the edit."""
    article = sorted((project / "docs" / "articles").glob("*.md"))[0]
    url = f"http://127.0.0.1:{free_port()}"
    page = f"{url}{served_root(project)}articles/{article.stem}/"
    log = (project.parent / "serve.log").open("wb")
    # --dirty (formerly --dirtyreload) re-renders changed pages only; it warns that links may be
    # stale, which the project's strict mode would turn into an abort.
    address = url.removeprefix("http://")
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr", address]
    # A session of its own, so that the server and anything it starts stop together.
    server = subprocess.Popen(command, cwd=project, env=child_env(), stdout=log, stderr=log, start_new_session=True)
    try:
        started = wait_for(lambda: server.poll() is not None or fetch(page) is not None, SERVE_START_TIMEOUT)
        if started is None or server.poll() is not None:
            bench.row(f"mkdocs serve, {label} articles: first page served", "never (see serve.log)", "served", False)
            return
        marker = f"kb-bench-edit-{time.time_ns()}"
        text = article.read_text(encoding="utf-8")
        article.write_text(text + f"\n{marker}\n", encoding="utf-8")
        seen = wait_for(lambda: server.poll() is not None or marker in (fetch(page) or ""), SERVE_EDIT_TIMEOUT)
        seen = seen if server.poll() is None else None
        bench.figures[f"serve_{label}"] = {"startup": started, "edit_visible": seen}
        bench.row(f"mkdocs serve, {label} articles: first page served", f"{started:.1f} s")
        bench.row(
            f"mkdocs serve --dirty, {label} articles: one article edited → served",
            f"{seen:.1f} s" if seen is not None else "never",
            "≤ 2 s",
            seen is not None and seen <= SERVE_EDIT_TARGET,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def bench_related(bench: Bench, projects: dict[int, Path]) -> None:
    try:
        from ingest.site.related import find_related
    except ImportError:
        bench.row("related articles", "ingest/site/related.py not present: not measured")
        return
    from ingest.shared.taxonomy import load_taxonomy
    from ingest.site.library import scan_articles

    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    sections = {topic.id: topic.section for topic in taxonomy.topics}
    timings = {}
    for count, project in sorted(projects.items()):
        articles, _ = scan_articles(project / "docs", taxonomy)
        started = time.perf_counter()
        index = find_related(articles, sections)
        timings[count] = (time.perf_counter() - started, index.pairs_scored, len(articles))
        elapsed, pairs, found = timings[count]
        bench.row(
            f"related articles, {found:,} articles",
            f"{elapsed:.2f} s, {pairs:,} pairs scored (all pairs: {found * (found - 1) // 2:,})",
        )
    (small_time, small_pairs, small_n), (large_time, large_pairs, large_n) = (
        timings[min(timings)],
        timings[max(timings)],
    )
    growth = large_n / small_n
    # Near-linear: cost may grow like n log n with some slack, never like n² (which would be growth²).
    limit = growth * 1.5
    bench.figures["related"] = {
        str(count): {"seconds": t, "pairs": p, "articles": n} for count, (t, p, n) in timings.items()
    }
    bench.row(
        f"related articles: growth {small_n:,} → {large_n:,} articles ({growth:.0f}×)",
        f"time ×{large_time / small_time:.1f}, pairs ×{large_pairs / small_pairs:.1f}",
        f"≤ ×{limit:.1f} (all pairs: ×{growth * growth:.0f})",
        large_time / small_time <= limit and large_pairs / small_pairs <= limit,
    )


def bench_ingest_suite(bench: Bench, sizes: dict[str, int]) -> None:
    small_label, large_label = f"{sizes['small']:,}", f"{sizes['large']:,}"
    small_folder, small_manifest = ingest_corpus(bench, sizes["small"])
    large_folder, large_manifest = ingest_corpus(bench, sizes["large"], extra=sizes["extra"])
    floor = bench_floor(bench, large_folder / "feeds", large_label)
    small = bench_ingest(bench, small_folder, small_manifest, small_label)
    large = bench_ingest(bench, large_folder, large_manifest, large_label)
    bench_against_floor(bench, large, floor, large_label)
    bench_growth(bench, small, large, (small_label, large_label))
    bench_incremental(bench, large_folder, large_manifest, large)
    bench_noop(bench, large, large_folder)


# Queries a reader might type on the generated corpus: taxonomy terms in Chinese and English,
# a phrase of the generated prose, words common to most articles, and one with no match.
SEARCH_QUERIES = ("梯度检查点", "FlashAttention", "weight decay", "在多卡之间同步梯度", "显存", "zzqxjv")
SEARCH_TIMEOUT_MS = 30_000
KB = 1024


def search_file(url: str) -> bool:
    """What the browser fetches for search: the worker, Material's search settings, the index."""
    path = urllib.parse.urlsplit(url).path
    return "/search/" in path or "/assets/javascripts/workers/search" in path


def fetched_bytes(requests) -> int:
    """Response bodies as served (the loopback server compresses nothing)."""
    return sum(request.sizes()["responseBodySize"] for request in requests)


def first_search(browser, url: str, query: str) -> dict:
    """A first visit of the home page, then one query entered at once, in a fresh browser context."""
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        page.goto(url + "/", wait_until="load")
        page.wait_for_load_state("networkidle")
        visit = list(finished)
        box = page.locator("input.md-search__input")
        box.click()
        expect(page.locator(".md-search-result__meta")).to_have_text("键入以开始搜索", timeout=SEARCH_TIMEOUT_MS)
        started = time.perf_counter()
        box.fill(query)
        box.press("End")
        expect(page.locator(".md-search-result__meta")).to_contain_text("结果", timeout=SEARCH_TIMEOUT_MS)
        answered = time.perf_counter() - started
        results = page.locator("li.md-search-result__item").count()
        page.wait_for_load_state("networkidle")
        search = finished[len(visit) :]
        return {
            "query": query,
            "results": results,
            "seconds": answered,
            "visit_bytes": fetched_bytes(visit),
            "search_bytes": fetched_bytes(search),
            "search_files_bytes": fetched_bytes([r for r in finished if search_file(r.url)]),
            "sitemap_bytes": fetched_bytes([r for r in visit if r.url.endswith("/sitemap.xml")]),
            "total_bytes": fetched_bytes(finished),
        }
    finally:
        context.close()


def searches_in_chromium(site: Path, search) -> list[dict]:
    """``search(browser, url, query)`` for every query of ``SEARCH_QUERIES``, ``site`` served on loopback."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, serve

    server, url = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
            runs = [search(browser, url, query) for query in SEARCH_QUERIES]
            browser.close()
    finally:
        server.shutdown()
    return runs


def bench_search(bench: Bench, project: Path, label: str) -> None:
    """Bytes and time of a reader's first search on the built site, against issue 12's targets."""
    if shutil.which("chromium") is None:
        bench.row(f"search, {label} articles", "chromium not on PATH: not measured (`make browser`)")
        return
    runs = searches_in_chromium(project / "site", first_search)
    bench.figures[f"search_{label}"] = runs
    answered = [run for run in runs if run["results"]]
    worst = max(runs, key=lambda run: run["search_files_bytes"])
    heaviest = max(runs, key=lambda run: run["total_bytes"])
    seconds = statistics.median(run["seconds"] for run in answered)
    slowest = max(answered, key=lambda run: run["seconds"])
    bench.row(
        f"search, {label} articles: search files fetched by a first search",
        f"{worst['search_files_bytes'] / KB:,.0f} KB at most ({worst['query']}), "
        f"median {statistics.median(run['search_files_bytes'] for run in runs) / KB:,.0f} KB",
        "≤ 1 MB",
        worst["search_files_bytes"] <= MIB,
    )
    bench.row(
        f"search, {label} articles: first visit of the home page + that search",
        f"{heaviest['total_bytes'] / KB:,.0f} KB at most, of which the visit "
        f"{heaviest['visit_bytes'] / KB:,.0f} KB (sitemap.xml {heaviest['sitemap_bytes'] / KB:,.1f} KB)",
        "≤ 2 MB",
        heaviest["total_bytes"] <= 2 * MIB,
    )
    bench.row(
        f"search, {label} articles: query entered → first result shown",
        f"median {seconds:.2f} s, slowest {slowest['seconds']:.2f} s ({slowest['query']}), "
        f"{len(answered)} of {len(runs)} queries with results",
        "≤ 1 s",
        slowest["seconds"] <= 1.0,
    )


# A page that runs the site's search worker alone: what a first search fetches from an index,
# without the rest of a site around it.
WORKER_HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>
window.searchOnce = (query) => new Promise((resolve) => {
  const worker = new Worker("assets/javascripts/workers/search.js");
  const started = performance.now();
  worker.onmessage = (event) => {
    if (event.data.type === 1) worker.postMessage({ type: 2, data: query });
    if (event.data.type === 3) resolve({ ms: performance.now() - started, items: event.data.data.items.length });
  };
  worker.postMessage({ type: 0, data: { config: {}, docs: [], options: {} } });
});
</script></body></html>
"""


def worker_search(browser, url: str, query: str) -> dict:
    """One query through the worker alone, in a fresh browser context: bytes fetched, time to answer."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "/harness.html")
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        answer = page.evaluate("query => window.searchOnce(query)", query)
        return {"query": query, "bytes": fetched_bytes(finished), **answer}
    finally:
        context.close()


def article_records(docs: Path):
    """Search records for every article under ``docs/articles``, rendered by Python-Markdown as
    MkDocs would render such plain prose, without the rest of a site build."""
    import markdown

    from ingest.shared.frontmatter_io import read_page
    from ingest.shared.taxonomy import load_taxonomy
    from ingest.site.search_index import search_record
    from ingest.site.search_terms import topic_keywords

    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    for path in sorted((docs / "articles").glob("*.md")):
        page, _ = read_page(path)
        if page is None:
            continue
        topics = [topic for topic in map(taxonomy.lookup, map(str, page.meta.get("tags") or [])) if topic]
        body = markdown.markdown(page.body)
        yield search_record(
            f"articles/{path.stem}/",
            str(page.meta.get("title") or path.stem),
            f'<article class="md-content__inner">{body}</article>',
            keywords=topic_keywords(topics),
            tags=[topic.zh for topic in topics],
        )


def bench_search_at_scale(bench: Bench, docs: Path) -> None:
    """The search files a first search fetches from an index of every article in ``docs``."""
    label = f"{sum(1 for _ in (docs / 'articles').glob('*.md')):,}"
    if shutil.which("chromium") is None:
        bench.row(f"search index, {label} articles", "chromium not on PATH: not measured (`make browser`)")
        return
    from ingest.site.search_build import OUTPUT_DIR, WORKER_SCRIPT, write_index

    site = bench.work / f"search-{label.replace(',', '')}" / "site"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    written = write_index(article_records(docs), site)
    indexed = time.perf_counter() - started
    pages = written.pages
    workers = site / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True, exist_ok=True)
    shutil.copy(WORKER_SCRIPT, workers / "search.js")
    (site / "harness.html").write_text(WORKER_HARNESS, encoding="utf-8")
    index_bytes = sum(path.stat().st_size for path in (site / OUTPUT_DIR).rglob("*") if path.is_file())
    runs = searches_in_chromium(site, worker_search)
    bench.figures[f"search_index_{label}"] = {
        "pages": pages,
        "index_seconds": indexed,
        "index_bytes": index_bytes,
        "runs": runs,
    }
    worst = max(runs, key=lambda run: run["bytes"])
    bench.row(
        f"search index, {label} articles (records + index, no site build)",
        f"{pages:,} pages indexed in {indexed:.1f} s, {written.chunks:,} chunks, {index_bytes / MIB:,.1f} MB on disk",
    )
    bench.row(
        f"search, {label} articles: search files fetched by a first search (worker alone)",
        f"{worst['bytes'] / KB:,.0f} KB at most ({worst['query']}), "
        f"median {statistics.median(run['bytes'] for run in runs) / KB:,.0f} KB; "
        f"answered in median {statistics.median(run['ms'] for run in runs) / 1000:.2f} s",
        "≤ 1 MB",
        worst["bytes"] <= MIB,
    )


def bench_sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"small": 1_000, "large": 10_000, "extra": 100, "site_small": 100, "site_large": 500}
    return {"small": 10_000, "large": 100_000, "extra": 1_000, "site_small": 1_000, "site_large": 5_000}


def print_table(bench: Bench) -> None:
    header = ("measure", "value", "target", "result")
    rows = [header] + [(row.measure, row.value, row.target, row.result) for row in bench.rows]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    print("\n" + "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench", help="scratch folder (emptied first)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, to try the script out")
    parser.add_argument("--skip-site", action="store_true", help="only the ingest measurements")
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("FEEDS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--search-only", action="store_true", help="only the search measurements")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only the large site: its build, its parts, plain Material beside it, and the serve edit",
    )
    args = parser.parse_args(argv)
    if args.floor:  # the child process of bench_floor
        print(floor_ingest(*args.floor))
        return 0

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    bench = Bench(args.work.resolve(), args.quick)
    sizes = bench_sizes(args.quick)
    load_before = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} at start"
        + (" (--quick: NOT the target sizes)" if args.quick else "")
    )

    if args.search_only:
        bench_search_only(bench, sizes)
        return finish(bench, args, load_before)

    if args.build_only:
        project = bench_build(bench, sizes["site_large"], f"{sizes['site_large']:,}")
        bench_serve(bench, project, f"{sizes['site_large']:,}")
        return finish(bench, args, load_before)

    bench_ingest_suite(bench, sizes)

    if not args.skip_site:
        projects = {
            articles: bench_build(bench, articles, f"{articles:,}")
            for articles in (sizes["site_small"], sizes["site_large"])
        }
        bench_serve(bench, projects[sizes["site_large"]], f"{sizes['site_large']:,}")
        bench_related(bench, projects)
        bench_search(bench, projects[sizes["site_large"]], f"{sizes['site_large']:,}")
        bench_search_at_scale(bench, projects[sizes["site_large"]] / "docs")
        # The 100,000-entry ingest's articles (about 50,000): what a first search fetches as the
        # library grows tenfold, on the index alone (no 50,000-page site build).
        bench_search_at_scale(bench, bench.work / f"ingest-{sizes['large']}" / "docs")
    return finish(bench, args, load_before)


def bench_search_only(bench: Bench, sizes: dict[str, int]) -> None:
    """A built site of the large size for the browser figures, and indexes of it and of ten times
    as many articles for what a first search fetches as the site grows."""
    project, _ = site_project(bench, sizes["site_large"])
    checked(
        run_child([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], project, project.parent / "build"),
        "mkdocs build",
    )
    bench_search(bench, project, f"{sizes['site_large']:,}")
    bench_search_at_scale(bench, project / "docs")
    articles = sizes["site_large"] * 10
    folder = bench.work / f"search-corpus-{articles}"
    make_corpus(folder / "feeds", articles * 2, seed=3, articles=articles)
    checked(
        run_child(ingest_command(folder / "feeds", folder / "docs", folder / "report.json"), folder, folder / "ingest"),
        "ingest",
    )
    bench_search_at_scale(bench, folder / "docs")


def finish(bench: Bench, args: argparse.Namespace, load_before: tuple[float, float, float]) -> int:
    """The table, the load average and the JSON figures; 1 when a target was missed."""
    load_after = os.getloadavg()
    bench.figures["load_average"] = {"start": load_before[0], "end": load_after[0]}
    print_table(bench)
    print(f"\nload average (1 min): {load_before[0]:.2f} at start, {load_after[0]:.2f} at end; {os.cpu_count()} CPUs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = {"quick": args.quick, "rows": [asdict(row) for row in bench.rows], "figures": bench.figures}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row.passed is not False for row in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
