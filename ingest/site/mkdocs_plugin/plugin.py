"""Event handlers only; every decision is made by ``ingest.site.library``, ``ingest.site.pages`` and the
rules of ``ingest.site.rules`` (the same functions ``python -m ingest check`` calls).

Problems are logged as errors, so ``mkdocs build --strict`` fails on them with the same
``FILE:LINE: message`` ``check`` prints; warnings (a ``# H1``, a ``<script>`` in a body) are
logged at info level as ``FILE:LINE: warning: …``, so the strict build shows them and, like
``check``, does not fail on them.
"""

from __future__ import annotations

import dataclasses
import html
import re
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from ingest.shared.docs_files import docs_files_on_disk, find_docs_files, is_under_refused_link
from ingest.shared.messages import display_name
from ingest.shared.ownership import read_ownership
from ingest.shared.tags import canonical_tags
from ingest.shared.taxonomy import TaxonomyError, load_taxonomy
from ingest.site import build_timing, curated_titles
from ingest.site.article_footer import article_markdown
from ingest.site.build_timing import BuildTimings
from ingest.site.descriptions import article_description, article_descriptions, topic_description
from ingest.site.edit_links import Repository, edit_link
from ingest.site.feeds import FEED_PATH, FeedEntry, atom_feed, build_time, feed_date, newest_entries
from ingest.site.history import article_dates, read_history, within
from ingest.site.last_updated import META_KEY as LAST_UPDATED_KEY
from ingest.site.last_updated import LastUpdated
from ingest.site.library import library_articles
from ingest.site.maintainer import uncategorized_page
from ingest.site.math_render import (
    FONTS_DIR,
    KatexRenderer,
    MathSetupError,
    find_katex,
    formula_line,
    formula_problem_lines,
    katex_site_files,
    render_math,
    with_font_preloads,
)
from ingest.site.mkdocs_plugin.config import KnowledgeBaseConfig
from ingest.site.nav_memo import NavMemo, with_theme_prefix
from ingest.site.page_meta import ARTICLE, PageMeta, meta_tags
from ingest.site.pages import (
    ALL_ARTICLES_PAGE,
    TOPICS_DIR,
    UNCATEGORIZED_PAGE,
    all_articles_page,
    articles_by_topic,
    navigation_pages,
    topic_formula_line,
    topic_page,
    topic_page_path,
)
from ingest.site.plain_text import escape_text
from ingest.site.rebuild_memo import RebuildMemo
from ingest.site.recent import RECENT_PAGE, recent_page
from ingest.site.redirects import redirect_html, redirect_source_path, topic_redirects
from ingest.site.related import RelatedIndex, find_related
from ingest.site.rules.links import anchor_problems
from ingest.site.rules.review import SiteContext, review_page, review_pages
from ingest.site.rules.taxonomy import taxonomy_problems
from ingest.site.safe_meta import safe_page_meta
from ingest.site.search_background import SearchRecorder
from ingest.site.search_build import MATERIAL_WORKER, record_terms, worker_script, write_index
from ingest.site.search_index import SearchRecord, is_excluded, plain_title, search_boost, search_record
from ingest.site.search_terms import topic_keywords
from ingest.site.second_process import SecondProcess, outcome, returned
from ingest.site.site_nav import site_navigation
from ingest.site.sitemap import split_sitemap
from ingest.site.source_pages import read_source_page, source_for_mkdocs
from ingest.site.topic_map import TOPIC_MAP_MARKER, topic_map_block
from ingest.site.topic_tree import TopicTree

log = get_plugin_logger(__name__)

KATEX_ASSETS = "assets/katex"
FEED_TITLE_SUFFIX = "：新增与更新的文章"
# Material's marker for blocks search must skip; Material removes it from the page before the
# page is rendered, so it is turned into one of ours, which survives to the finished HTML.
SEARCH_EXCLUDE_MARKER = re.compile(r'\sdata-search-exclude(?:="[^"]*")?(?=[\s>/])')
# A topic page's text is a summary of its articles: it answers the topic's names (its title and
# keywords count in full) but should not outrank the articles on a word its summary mentions.
TOPIC_PAGE_TEXT_WEIGHT = 0.5
# Articles per description task of the second process: a task costs far more than its message.
DESCRIPTION_BATCH = 100


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.memo = RebuildMemo()
        self.serving = False  # under `mkdocs serve`
        self.dirty = False  # under `mkdocs serve --dirty`: only changed pages are rendered again
        # Search records of the last build of each site folder: `mkdocs serve --dirty` renders only
        # the pages that changed, and the index must still hold every page.
        self.records_by_site: dict[str, dict[str, SearchRecord]] = {}
        self.index_writer: threading.Thread | None = None

    def on_startup(self, *, command, dirty):
        # Having this handler is what makes MkDocs keep this plugin object from one `mkdocs serve`
        # rebuild to the next, with its memo (ingest/site/rebuild_memo.py).
        self.serving = command == "serve"
        self.dirty = self.serving and dirty

    def on_shutdown(self):
        self.wait_for_search_index()
        self.close_second_process()
        # The plugin object outlives the session (MkDocs keeps it per process): a later build in the
        # same process is not dirty unless its own on_startup says so.
        self.serving = self.dirty = False

    def on_config(self, config):
        self.timings = BuildTimings()
        self.memo.next_build()
        root = Path(config.config_file_path).parent
        self.reingest_if_titles_changed(root, config)
        # Named as check names it (relative to the working directory), for the same FILE:LINE.
        self.taxonomy = self.load_taxonomy(Path(display_name(root / self.config.taxonomy)))
        for problem in taxonomy_problems(self.taxonomy):
            log.error(str(problem))
        self.read_docs(Path(config.docs_dir))
        self.by_path = {article.path: article for article in self.articles}
        self.descriptions = {}  # article path -> description (description_of)
        self.topics_by_page = {topic_page_path(topic.id): topic for topic in self.taxonomy.topics}
        # A large build's related articles, descriptions and search records are made on the other
        # core (ingest/site/second_process.py); a served build renders few pages after its first.
        self.close_second_process()
        self.second_process = SecondProcess(0 if self.serving else len(self.source_pages))
        with self.timings.part(build_timing.RELATED):
            self.start_related()
        config.nav = site_navigation(self.taxonomy, self.articles)
        self.repository = repository(config)
        try:
            self.katex_dir = find_katex(root)
        except MathSetupError as error:
            raise PluginError(str(error)) from None
        stylesheet = f"{KATEX_ASSETS}/{katex_site_files(self.katex_dir)[0][0]}"
        if stylesheet not in config.extra_css:
            config.extra_css.insert(0, stylesheet)
        return config

    def load_taxonomy(self, path: Path):
        """taxonomy.yml, parsed again only when its bytes changed since the last build."""
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # load_taxonomy names the problem
        try:
            return self.memo.taxonomies.get((path, raw), lambda: load_taxonomy(path))
        except TaxonomyError as error:
            raise PluginError("invalid taxonomy:\n" + "\n".join(map(str, error.problems))) from None

    def start_related(self) -> None:
        """Related articles asked of the second process; the first article page takes them."""
        self._related: RelatedIndex | None = None
        self._related_future = None
        if not self.dirty:
            self._related_future = self.second_process.submit(find_related, self.articles, self.topic_sections())

    @property
    def related(self) -> RelatedIndex:
        if self._related is None:
            with self.timings.part(build_timing.RELATED):
                self._related = outcome(self._related_future, self.find_related)
            self._related_future = None
        return self._related

    def topic_sections(self) -> dict[str, str]:
        return {topic.id: topic.section for topic in self.taxonomy.topics}

    def find_related(self) -> RelatedIndex:
        sections = self.topic_sections()
        if not self.dirty:
            return find_related(self.articles, sections)
        fingerprint = (
            tuple((article.path, article.title, tuple(article.topics)) for article in self.articles),
            tuple(sections.items()),
        )
        return self.memo.related_for_dirty(fingerprint, lambda: find_related(self.articles, sections))

    def on_serve(self, server, config, builder):
        # Topic pages, navigation and tags come from taxonomy.yml, and article titles from titles.yml
        # (through the ingest), both outside docs/: without this, `make serve` shows a new or
        # renamed topic or a curated title only after a restart.
        root = Path(config.config_file_path).parent
        server.watch(str(root / self.config.taxonomy))
        server.watch(str(root / self.config.titles))
        curated_titles.start_watching(root / self.config.titles)
        return server

    def reingest_if_titles_changed(self, root: Path, config) -> None:
        """Under `mkdocs serve`, a changed titles.yml is applied by the ingest before docs/ is read."""
        titles = root / self.config.titles
        if curated_titles.changed_since_watched(titles):
            problem = curated_titles.reingest(root, root / self.config.taxonomy, titles, Path(config.docs_dir))
            if problem:
                log.error(problem)

    def read_docs(self, docs: Path) -> None:
        """Every Markdown file of ``docs/`` through the one reader the rules use, before MkDocs reads any."""
        self.docs_files = find_docs_files(docs)
        self.disk_files = docs_files_on_disk(docs)
        self.ownership, self.manifest_problem = read_ownership(docs)
        memo = self.memo.source_pages
        self.pages = [read_source_page(path, docs, self.ownership, memo=memo) for path in self.docs_files.markdown]
        self.source_pages = {page.relative: page for page in self.pages if page.relative}
        self.articles, _ = library_articles(self.pages, self.taxonomy)

    def on_files(self, files, config):
        self.drop_refused_links(files)
        self.prefetch_descriptions()
        with self.timings.part(build_timing.TOPIC_PAGES):
            self.add_topic_pages(files, config)
        self.add_topic_redirects(files, config)
        files.append(self.generated_page(config, ALL_ARTICLES_PAGE, all_articles_page(self.taxonomy, self.articles)))
        files.append(
            self.generated_page(
                config,
                UNCATEGORIZED_PAGE,
                uncategorized_page(self.taxonomy, self.articles),
                InclusionLevel.NOT_IN_NAV,
            )
        )
        # One `git log` of the whole docs folder per build: every page's "最后更新" and the 最近更新 page.
        history = read_history(Path(config.docs_dir), ".")
        self.last_updated = LastUpdated(history, build_time(), config.theme.get("language") or "en")
        self.add_whats_new(files, config, within(history, "articles"))
        # KaTeX's stylesheet and fonts come from node_modules at build time, never from a CDN.
        for name, source in katex_site_files(self.katex_dir):
            files.append(File.generated(config, f"{KATEX_ASSETS}/{name}", abs_src_path=str(source)))
        self.review_sources(files)
        with self.timings.part(build_timing.SEARCH_INDEX):
            self.prepare_search(files, config)
        self.own_robots_txt = files.get_file_from_path("robots.txt") is not None
        return files

    def on_nav(self, nav, config, files):
        self.navigation_urls = [page.canonical_url or page.abs_url for page in nav.pages]
        self.nav_memo = NavMemo(page.url for page in nav.pages)
        return nav

    def add_topic_pages(self, files, config) -> None:
        """A page for every topic, so every topic URL works; an empty topic's page stays out of the
        navigation (``pages.navigation`` leaves it out; NOT_IN_NAV keeps MkDocs from warning)."""
        tree = TopicTree(self.taxonomy, articles_by_topic(self.articles))
        nesting = tree.nesting_ids()
        for topic in self.taxonomy.topics:
            entry = tree.entry(topic.id)
            inclusion = InclusionLevel.NOT_IN_NAV if entry.is_empty else InclusionLevel.UNDEFINED
            file = self.generated_page(config, topic_page_path(topic.id), topic_page(topic, tree), inclusion)
            if topic.id in nesting:
                mark_as_section_index(file)
            files.append(file)

    def generated_page(self, config, path: str, content: str, inclusion=InclusionLevel.UNDEFINED) -> File:
        """A page made by the plugin; under `serve --dirty`, rendered again only when its content changed.

        MkDocs counts every generated page as modified, so a dirty rebuild would render all 200
        topic pages for a one-line edit of an article.
        """
        file = File.generated(config, path, content=content, inclusion=inclusion)
        if self.dirty and self.memo.generated_unchanged(path, content, Path(file.abs_dest_path)):
            file.__class__ = UnchangedGeneratedPage
        return file

    def add_topic_redirects(self, files, config) -> None:
        """A static redirect page at each former id's old URL (see ``ingest.site.redirects``)."""
        for redirect in topic_redirects(self.taxonomy):
            source = redirect_source_path(redirect.former_id, config.use_directory_urls)
            target = files.get_file_from_path(topic_page_path(redirect.topic.id))
            if files.get_file_from_path(source) is not None or target is None:
                log.error(f"{self.config.taxonomy}: former id {redirect.former_id!r}: {source} already exists")
                continue
            old_url = source.removesuffix("index.html")
            relative = get_relative_url(target.url, old_url)
            canonical = config.site_url.rstrip("/") + "/" + target.url if config.site_url else None
            content = redirect_html(redirect.topic, relative, canonical)
            files.append(File.generated(config, source, content=content))

    def drop_refused_links(self, files) -> None:
        """A symbolic link leaving the repository (or leading nowhere) is never published."""
        for problem in self.docs_files.problems:
            log.error(str(problem))
        refused = self.docs_files.refused_links
        for file in list(files):
            if file.abs_src_path and is_under_refused_link(Path(file.abs_src_path), refused):
                files.remove(file)

    def review_sources(self, files) -> None:
        """The source rules of ``check`` over every page, and each page outside the nav kept out of
        MkDocs' own "not included in the nav" warning, since the rule names it already."""
        docs_pages = self.link_targets(files)
        site_pages = navigation_pages(site_navigation(self.taxonomy, self.articles))
        context = SiteContext(self.taxonomy, docs_pages, site_pages)
        context_key = self.memo.context_token(
            "review", (id(self.taxonomy), frozenset(docs_pages), frozenset(site_pages or ()))
        )

        def review_once(page, context):
            # A page's own rules depend on its bytes (one SourcePage object per bytes, from the memo)
            # and the context; the clashes between pages are judged afresh in review_pages.
            kept, findings = self.memo.reviews.get((id(page), context_key), lambda: (page, review_page(page, context)))
            return findings if kept is page else review_page(page, context)

        findings = review_pages(self.pages, {page.path for page in self.pages}, context, review_once)
        if self.manifest_problem:
            findings.errors.append(self.manifest_problem)
        for problem in findings.errors:
            log.error(str(problem))
        for problem in findings.warnings:
            log.info(f"{problem.file}:{problem.line}: warning: {problem.reason}")
        for warning in self.docs_files.warnings:
            log.info(f"{warning.file}:{warning.line}: warning: {warning.reason}")
        for file in files.documentation_pages():
            if file.src_uri in self.source_pages and file.src_uri not in site_pages:
                file.inclusion = InclusionLevel.NOT_IN_NAV

    def link_targets(self, files) -> set[str]:
        """What a relative link may point at, as ``check`` counts it: files under docs/ and generated pages."""
        generated = {file.src_uri for file in files if file.generated_by and not file.src_uri.startswith("assets/")}
        return self.disk_files | generated

    def on_pre_build(self, config):
        self.katex = KatexRenderer(self.katex_dir)
        try:
            with self.timings.part(build_timing.KATEX):
                self.katex.start()
        except MathSetupError as error:
            self.katex.close()
            raise PluginError(str(error)) from None

    # A topic page's own rendering, for the build timings: from before MkDocs reads it to its HTML,
    # then from its template context to its finished page (KaTeX's part taken out again).
    @event_priority(100)
    def on_pre_page(self, page, config, files):
        if page.file.src_uri in self.topics_by_page and page.file.generated_by:
            self.timings.start(build_timing.TOPIC_PAGES, page.file.src_uri)
        return page

    @event_priority(-100)
    def on_page_content(self, html, page, config, files):
        self.timings.stop(build_timing.TOPIC_PAGES, page.file.src_uri)
        return html

    @event_priority(100)
    def _time_topic_page_template(self, context, page, config, nav):
        if page.file.src_uri in self.topics_by_page and page.file.generated_by:
            self.timings.start(build_timing.TOPIC_PAGES, page.file.src_uri)
        return context

    def on_page_read_source(self, page, config):
        """MkDocs parses front matter itself: hand it the text the rules read, with any refused front
        matter made inert, so an alias bomb or a refused key never reaches MkDocs' YAML reader."""
        source = self.source_pages.get(page.file.src_uri)
        return source_for_mkdocs(source) if source is not None else None

    def on_page_markdown(self, markdown, page, config, files):
        source = self.source_pages.get(page.file.src_uri)
        keys = source.meta.keys() if source is not None else page.meta.keys()
        page.meta = safe_page_meta(page.meta, keys)
        if isinstance(page.meta.get("tags"), list):
            # Before Material's tags plugin (priority -50), which then sees every known tag under its
            # one canonical name, however the page spelled it (topic id, zh or en name).
            # Material prints tag names unescaped, and a topic's name comes from taxonomy.yml.
            page.meta["tags"] = [escape_text(tag) for tag in canonical_tags(page.meta["tags"], self.taxonomy)]
        # Material prints it as HTML beside its "最后更新" icon; always set, so front matter cannot.
        page.meta[LAST_UPDATED_KEY] = self.last_updated.for_page(page.file.src_uri, page.file.generated_by is not None)
        if TOPIC_MAP_MARKER in markdown:
            markdown = markdown.replace(TOPIC_MAP_MARKER, self.topic_map(page, files))
        article = self.by_path.get(page.file.src_uri)
        if article is None:
            return markdown
        related = self.related.for_article(article.path)
        return article_markdown(markdown, article, self.taxonomy, related, href=self.href_from(page, files))

    def _head_and_edit_link(self, context, page, config, nav):
        """Head metadata (description, Open Graph) and the edit button, decided per kind of page."""
        article = self.by_path.get(page.file.src_uri)
        topic = self.topics_by_page.get(page.file.src_uri) if page.file.generated_by else None
        context["kb_meta_tags"] = meta_tags(self.page_meta(page, config, article, topic), config.site_name)
        context["kb_feed"] = {"path": FEED_PATH, "title": config.site_name + FEED_TITLE_SUFFIX}
        context["kb_nav_memo"] = self.nav_memo
        context["kb_nav_key"] = self.nav_memo.key(page.url)
        page.edit_url = edit_link(
            self.repository,
            page.file.src_uri,
            generated_page=page.file.generated_by is not None,
            generated_article=bool(article and article.generated),
            topic_line=topic.line if topic else None,
        )
        return context

    def page_meta(self, page, config, article, topic) -> PageMeta:
        if article is not None:
            return PageMeta(
                title=article.title,
                description=self.description_of(article),
                kind=ARTICLE,
                url=page.canonical_url,
                published=article.date,
                tags=tuple(self.taxonomy.topic(topic_id).zh for topic_id in article.topics),
            )
        if topic is not None:
            return PageMeta(f"{topic.zh}（{topic.en}）", topic_description(topic.description), url=page.canonical_url)
        own = page.meta.get("description")
        # page.title may have passed through on_page_markdown's escaping: back to plain text.
        title = html.unescape(str(page.meta.get("title") or page.title or config.site_name))
        if page.is_homepage:
            title = config.site_name
        return PageMeta(title, own if isinstance(own, str) else config.site_description or "", url=page.canonical_url)

    def description_of(self, article) -> str:
        """The front matter's description, else the opening of the text; computed once per build."""
        cache = self.descriptions
        if article.path not in cache:
            with self.timings.part(build_timing.DESCRIPTIONS):
                own = " ".join((article.description or "").split())
                cache[article.path] = (
                    own
                    or self.prefetched_description(article.path)
                    or self.memo.descriptions.get(article.body, lambda: article_description(article.body))
                )
        return cache[article.path]

    def prefetch_descriptions(self) -> None:
        """Every article's description asked of the second process, in batches, while MkDocs renders."""
        self.description_batches: dict[str, tuple[Future, int]] = {}
        if not self.second_process.running:
            return
        wanted = [article for article in self.articles if not (article.description or "").strip()]
        for start in range(0, len(wanted), DESCRIPTION_BATCH):
            batch = wanted[start : start + DESCRIPTION_BATCH]
            future = self.second_process.submit(article_descriptions, [article.body for article in batch])
            if future is None:
                return
            for position, article in enumerate(batch):
                self.description_batches[article.path] = (future, position)

    def prefetched_description(self, path: str) -> str | None:
        """The second process's description of an article if it is ready; never waits for it (the
        feed asks for a few before the process has started: those are computed here)."""
        future, position = self.description_batches.get(path, (None, 0))
        return future.result()[position] if returned(future) else None

    def add_whats_new(self, files, config, history) -> None:
        """The 最近更新 page and the Atom feed, from git history (or the dumps' dates without it)."""
        content = recent_page(self.articles, history, self.taxonomy, feed_path=FEED_PATH)
        files.append(self.generated_page(config, RECENT_PAGE, content))
        dates = article_dates(history) if history else {}
        now = build_time()
        site_url = config.site_url or ""
        entries, articles_by_url = [], {}
        for article in self.articles:
            file = files.get_file_from_path(article.path)
            if file is None:
                continue
            known = dates.get(article.path)
            fallback = feed_date(article.date) or now
            entries.append(
                FeedEntry(
                    title=article.title,
                    url=urljoin(site_url, file.url),
                    published=(known.added if known and known.added else fallback),
                    updated=(known.updated if known and known.updated else fallback),
                    summary="",  # filled in below for the entries the feed keeps
                    categories=tuple((topic_id, self.taxonomy.topic(topic_id).zh) for topic_id in article.topics),
                )
            )
            articles_by_url[entries[-1].url] = article
        # Only the newest entries are written: describing just those keeps a `mkdocs serve --dirty`
        # rebuild, which renders few article pages, from describing every article.
        newest = [
            dataclasses.replace(entry, summary=self.description_of(articles_by_url[entry.url]))
            for entry in newest_entries(entries)
        ]
        feed = atom_feed(
            newest,
            title=config.site_name,
            subtitle=config.site_name + FEED_TITLE_SUFFIX,
            site_url=site_url,
            feed_url=urljoin(site_url, FEED_PATH),
            updated=now,
        )
        files.append(File.generated(config, FEED_PATH, content=feed))

    def topic_map(self, page, files):
        href = self.href_from(page, files)
        return topic_map_block(self.taxonomy, self.articles, lambda topic: href(topic_page_path(topic.id)))

    @staticmethod
    def href_from(page, files):
        """A docs page's URL from ``page``, as MkDocs writes a Markdown link to it; None if unpublished."""

        def href(target: str) -> str | None:
            file = files.get_file_from_path(target)
            return file.url_relative_to(page.file) if file is not None else None

        return href

    def on_env(self, env, config, files):
        """Every page is rendered now: judge ``#anchor`` links with MkDocs' own anchors of each page."""
        docs_pages = self.link_targets(files)

        def anchors_of(relative: str) -> set[str] | None:
            file = files.get_file_from_path(relative)
            return file.page.present_anchor_ids if file is not None and file.page is not None else None

        for relative, source in self.source_pages.items():
            if source.text is not None and files.get_file_from_path(relative) is not None:
                for problem in anchor_problems(source, docs_pages, anchors_of):
                    log.error(str(problem))
        return with_theme_prefix(env, config.theme.dirs, config.theme.custom_dir)

    # Site search: Material's search box and result list, answered by our own worker
    # (ingest/site/search_worker.js) from a chunked index. The logic is in ingest/site/search_index.py,
    # search_tokens.py and search_build.py; these handlers only feed it.

    def prepare_search(self, files, config) -> None:
        """Topic names for every page, the pages to index, and our worker in place of Material's."""
        self.search_keywords = {
            article.path: topic_keywords(map(self.taxonomy.topic, article.topics)) for article in self.articles
        }
        for topic in self.taxonomy.topics:
            self.search_keywords[topic_page_path(topic.id)] = topic_keywords([topic])
        self.search_pages = {file.src_uri for file in files.documentation_pages()}
        self.topic_pages = {topic_page_path(topic.id) for topic in self.taxonomy.topics}
        self.search_excluded: set[str] = set()
        self.search_boosts: dict[str, float] = {}
        self.search_records = self.records_by_site.setdefault(str(config.site_dir), {})
        # A build's records, made in the second process when it has one (search_background.py); a
        # served build keeps them in search_records instead, from build to build, since a dirty
        # rebuild renders only the pages that changed.
        self.search_recorder = SearchRecorder(self.second_process)
        worker = next((file for file in files if MATERIAL_WORKER.fullmatch(file.src_uri)), None)
        if worker is None:
            raise PluginError(
                "Material's search worker (assets/javascripts/workers/search.*.min.js) is not where "
                "ingest/site/search_build.py expects it: this Material version is not supported"
            )
        files.remove(worker)
        files.append(File.generated(config, worker.src_uri, content=worker_script()))

    def _hide_from_material_search(self, context, page, config, nav):
        """Before Material's search plugin sees the page (kb is listed first).

        Material's own index is left empty (every page ``search: exclude``), so it writes only its
        settings, which its UI still reads; pages excluded in their front matter are remembered for
        our index. Blocks marked ``data-search-exclude`` keep a marker Material does not remove.
        """
        if is_excluded(page.meta):
            self.search_excluded.add(page.file.src_uri)
        boost = search_boost(page.meta)
        if boost is not None:
            self.search_boosts[page.file.src_uri] = boost
        page.meta["search"] = {"exclude": True}
        if page.content:
            page.content = SEARCH_EXCLUDE_MARKER.sub(" data-kb-search-exclude", page.content)
        return context

    on_page_context = CombinedEvent(_time_topic_page_template, _head_and_edit_link, _hide_from_material_search)

    @event_priority(-100)  # the finished page, after every other plugin (and KaTeX) changed it
    def _record_page_for_search(self, output, page, config):
        source = page.file.src_uri
        self.timings.stop(build_timing.TOPIC_PAGES, source)
        with self.timings.part(build_timing.SEARCH_INDEX):
            self.record_for_search(source, output, page)
        return None

    def record_for_search(self, source, output, page) -> None:
        if source in self.search_excluded:
            self.search_records.pop(source, None)
            self.search_recorder.discard(source)
            return
        tags = page.meta.get("tags")
        title = plain_title(page.meta.get("title") or page.title)
        keywords = self.search_keywords.get(source, ())
        tags = tags if isinstance(tags, list) else ()
        weight = self.search_boosts.get(source, TOPIC_PAGE_TEXT_WEIGHT if source in self.topic_pages else 1.0)
        if self.serving:
            self.search_records[source] = search_record(page.url, title, output, keywords, tags, weight)
        else:
            self.search_recorder.add(source, page.url, title, output, keywords, tags, weight)

    @event_priority(-100)
    def _write_search_index(self, config):
        if not self.serving:
            with self.timings.part(build_timing.SEARCH_INDEX):
                made = self.search_recorder.results()  # waits for the second process's last records
                self.timings.seconds[build_timing.SECOND_PROCESS] = self.second_process.cpu_seconds()
                self.close_second_process()
                terms = {record.url: terms for record, terms in made}
                records = [record for record, _ in made]
                write_index(records, Path(config.site_dir), lambda record: terms[record.url])
            return
        for source in [source for source in self.search_records if source not in self.search_pages]:
            del self.search_records[source]
        self.wait_for_search_index()
        # Under `mkdocs serve` the edited page is served as soon as the build returns, and the index
        # follows a few seconds later (write_index moves it into place whole, so a reader never
        # sees half of one). The next rebuild waits for it first.
        self.index_writer = threading.Thread(
            target=self.write_served_index,
            args=(list(self.search_records.values()), Path(config.site_dir)),
            name="kb-search-index",
            daemon=True,
        )
        self.index_writer.start()

    def write_served_index(self, records, site_dir: Path) -> None:
        """The index of a served build: each page's terms are computed once, while the page is unchanged."""
        terms = self.memo.search_terms
        terms.next_build()
        write_index(records, site_dir, lambda record: terms.get(record, lambda: record_terms(record)))

    def close_second_process(self) -> None:
        if getattr(self, "second_process", None) is not None:
            self.second_process.close()

    def wait_for_search_index(self) -> None:
        if self.index_writer is not None:
            self.index_writer.join()
            self.index_writer = None

    def _render_page_math(self, output, page, config):
        started = time.perf_counter()
        try:
            output, problems = render_math(output, self.katex)
        except MathSetupError as error:
            raise PluginError(str(error)) from None
        elapsed = time.perf_counter() - started
        self.timings.seconds[build_timing.KATEX] += elapsed
        self.timings.seconds[build_timing.TOPIC_PAGES] -= elapsed if page.file.src_uri in self.topics_by_page else 0
        for problem in self.formula_problems(page, problems):
            log.error(str(problem))
        return with_font_preloads(output, get_relative_url(f"{KATEX_ASSETS}/{FONTS_DIR}/", page.url))

    def formula_problems(self, page, problems):
        """KaTeX errors named by source line: the page's own, or taxonomy.yml's for a topic page."""
        source = self.source_pages.get(page.file.src_uri)
        if source is not None:
            return formula_problem_lines(
                source.name, problems, lambda formula: formula_line(formula, source.body, source.body_line)
            )
        topic_id = page.file.src_uri.removeprefix(f"{TOPICS_DIR}/").removesuffix(".md")
        if page.file.generated_by and page.file.src_uri.startswith(f"{TOPICS_DIR}/"):
            topic = self.taxonomy.topic(topic_id)
            return formula_problem_lines(
                self.taxonomy.path, problems, lambda formula: topic_formula_line(topic, formula.tex)
            )
        name = display_name(Path(page.file.abs_src_path)) if page.file.abs_src_path else page.file.src_uri
        return formula_problem_lines(name, problems, lambda formula: 0)

    on_post_page = CombinedEvent(_render_page_math, _record_page_for_search)

    def _close_katex(self, config):
        with self.timings.part(build_timing.KATEX):
            self.katex.close()

    def _split_sitemap(self, config):
        """Instant navigation reads sitemap.xml on every first visit: keep it to the navigation's pages."""
        split_sitemap(Path(config.site_dir), self.navigation_urls, config.site_url, not self.own_robots_txt)

    @event_priority(-110)  # after every other part is done
    def _write_timings(self, config):
        self.timings.write()

    on_post_build = CombinedEvent(_close_katex, _write_search_index, _split_sitemap, _write_timings)

    def on_build_error(self, error):
        if getattr(self, "katex", None) is not None:
            self.katex.close()
        self.close_second_process()


class UnchangedGeneratedPage(File):
    """A generated page with the same content as in the last build: a dirty rebuild keeps its HTML."""

    def is_modified(self) -> bool:
        return False


def mark_as_section_index(file: File) -> None:
    """Make a parent topic's page the index of its navigation section, at its usual URL.

    Material's ``navigation.indexes`` links a section's name to a child page whose ``is_index`` is
    true, which MkDocs decides from the file's name alone (``index.md``). Moving the page to
    ``topics/<id>/index.md`` would break every Markdown link to ``topics/<id>.md`` whenever a topic
    gains its first child; instead the destination is fixed first (``topics/<id>/index.html``, the
    URL it always had) and only then is the name set to ``index``.
    """
    file.dest_uri = file.dest_uri
    file.url = file.url
    file.name = "index"


def repository(config) -> Repository | None:
    """mkdocs.yml's repo_url and edit_uri, when both are set."""
    if not (config.repo_url and config.edit_uri):
        return None
    return Repository(config.repo_url, config.edit_uri, Path(config.docs_dir).name)
