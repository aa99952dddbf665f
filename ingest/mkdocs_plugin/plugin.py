"""Event handlers only; every decision is made by ``ingest.library`` and ``ingest.pages``."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from ingest.library import scan_articles
from ingest.mkdocs_plugin.config import KnowledgeBaseConfig
from ingest.pages import (
    ALL_ARTICLES_PAGE,
    all_articles_page,
    article_footer,
    articles_by_topic,
    navigation,
    topic_page,
    topic_page_path,
    visible_topics,
)
from ingest.taxonomy import TaxonomyError, load_taxonomy

log = get_plugin_logger(__name__)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            self.taxonomy = load_taxonomy(root / self.config.taxonomy)
        except TaxonomyError as error:
            raise PluginError("invalid taxonomy:\n" + "\n".join(map(str, error.problems))) from None
        self.articles, problems = scan_articles(Path(config.docs_dir), self.taxonomy)
        for problem in problems:
            log.warning(str(problem))
        self.by_path = {article.path: article for article in self.articles}
        config.nav = navigation(self.taxonomy, self.articles)
        return config

    def on_files(self, files, config):
        grouped = articles_by_topic(self.articles)
        for topic in visible_topics(self.taxonomy, grouped):
            content = topic_page(topic, self.taxonomy, grouped.get(topic.id, []))
            files.append(File.generated(config, topic_page_path(topic.id), content=content))
        files.append(File.generated(config, ALL_ARTICLES_PAGE, content=all_articles_page(self.taxonomy, self.articles)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        article = self.by_path.get(page.file.src_uri)
        if article is None:
            return markdown
        return markdown + "\n" + article_footer(article, self.taxonomy)
