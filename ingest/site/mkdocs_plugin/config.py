from mkdocs.config.base import Config
from mkdocs.config.config_options import Type


class KnowledgeBaseConfig(Config):
    taxonomy = Type(str, default="taxonomy.yml")
