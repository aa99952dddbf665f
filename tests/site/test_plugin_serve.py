"""`mkdocs serve` rebuilds when taxonomy.yml or titles.yml changes (the plugin asks the server to watch them)."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config import load_config

from ingest.shared.frontmatter_io import read_page
from ingest.site import curated_titles
from ingest.site.mkdocs_plugin.plugin import KnowledgeBasePlugin
from ingest.site.search_build import read_index
from tests.sitebuild import make_project, run_ingest

ROOT = Path(__file__).resolve().parents[2]


class RecordingServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args, **kwargs) -> None:
        self.watched.append(path)


def test_serve_watches_the_taxonomy():
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    assert isinstance(plugin, KnowledgeBasePlugin)
    server = RecordingServer()
    plugin.on_serve(server, config, builder=lambda: None)
    assert (ROOT / "taxonomy.yml").resolve() in [Path(path).resolve() for path in server.watched]


def test_serve_watches_the_curated_titles():
    config = load_config(str(ROOT / "mkdocs.yml"))
    server = RecordingServer()
    config.plugins["kb"].on_serve(server, config, builder=lambda: None)
    assert (ROOT / "titles.yml").resolve() in [Path(path).resolve() for path in server.watched]


def test_a_changed_titles_file_is_applied_by_the_ingest_before_the_next_served_build(tmp_path):
    """What the watch is for: the rebuild it triggers shows the curated title (the ingest writes it)."""
    project = make_project(tmp_path, with_bundled_docs=False)
    shutil.copytree(ROOT / "feeds", project / "feeds")  # where `make ingest` reads them
    assert run_ingest(project).returncode == 0
    article = sorted((project / "docs" / "articles").glob("*.md"))[0]
    article_id = read_page(article)[0].meta["id"]
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins["kb"].on_serve(RecordingServer(), config, builder=lambda: None)

    titles = project / "titles.yml"
    titles.write_text(titles.read_text(encoding="utf-8") + f"{article_id}: 策展标题 Curated\n", encoding="utf-8")
    rebuilt = load_config(str(project / "mkdocs.yml"))  # mkdocs serve loads the config anew per build
    rebuilt.plugins["kb"].on_config(rebuilt)
    assert read_page(article)[0].meta["title"] == "策展标题 Curated"
    assert any(a.title == "策展标题 Curated" for a in rebuilt.plugins["kb"].articles)

    # Nothing changed since: the next build leaves the ingest alone.
    assert not curated_titles.changed_since_watched(titles)


def test_a_build_that_is_not_served_never_runs_the_ingest(tmp_path):
    titles = tmp_path / "titles.yml"
    titles.write_text("a: b\n", encoding="utf-8")
    assert not curated_titles.changed_since_watched(titles)


def served_build(project: Path, site: Path):
    """One rebuild as `mkdocs serve --dirty` makes it: the config loaded anew, a dirty build."""
    from mkdocs.commands.build import build

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.strict = False  # MkDocs warns that a dirty build's links may be stale
    build(config, dirty=True)
    return config.plugins["kb"]


def test_a_dirty_rebuild_renders_the_edited_article_and_keeps_what_did_not_change(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project")
    monkeypatch.chdir(project)
    site = tmp_path / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["kb"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        served_build(project, site)
        article = project / "docs" / "articles" / "ddp-allreduce.md"
        if not article.exists():
            article = sorted((project / "docs" / "articles").glob("*.md"))[0]
        topic_pages = sorted((site / "topics").rglob("index.html"))
        before = {page: page.stat().st_mtime_ns for page in topic_pages}
        article.write_text(
            article.read_text(encoding="utf-8") + "\n改动后的一句话 edited-under-serve\n", encoding="utf-8"
        )

        rebuilt = served_build(project, site)
        assert rebuilt is plugin  # MkDocs kept the plugin object, because it has on_startup
        assert "edited-under-serve" in (site / "articles" / article.stem / "index.html").read_text(encoding="utf-8")
        # Every other page was read from the memo; the topic pages (same content) were not rendered again.
        assert plugin.memo.source_pages.reused == len(plugin.pages) - 1
        assert {page: page.stat().st_mtime_ns for page in topic_pages} == before

        # A new title changes the topic pages that list the article: those are rendered again.
        text = article.read_text(encoding="utf-8")
        retitled = text.replace("title: ", "title: 改过的标题 ", 1)
        article.write_text(retitled, encoding="utf-8")
        served_build(project, site)
        changed = [page for page in topic_pages if page.stat().st_mtime_ns != before[page]]
        assert changed and all("改过的标题" in page.read_text(encoding="utf-8") for page in changed)
    finally:
        plugin.on_shutdown()  # also waits for the search index, written beside the build under serve
    assert "edited-under-serve" in "".join(page["text"] for page in read_index(site)[1])
