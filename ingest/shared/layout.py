"""Where things live inside the docs folder: shared by the ingest that writes articles, the
site build that reads them and the contributor tools that check them."""

ARTICLES_DIR = "articles"  # every article, generated or hand-written, sits under docs/articles/
MANIFEST_NAME = ".ingest-manifest.json"  # the ingest's record of the files it generated, in docs/
