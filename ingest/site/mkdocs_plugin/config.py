from mkdocs.config.base import Config
from mkdocs.config.config_options import Type


class KnowledgeBaseConfig(Config):
    taxonomy = Type(str, default="taxonomy.yml")
    # Curated titles, which the ingest applies: `mkdocs serve` re-runs it when they change.
    titles = Type(str, default="titles.yml")
