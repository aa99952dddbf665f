"""The site build: what MkDocs calls while it renders ``docs/`` (the ``kb`` plugin).

Plain functions of the taxonomy and the articles on disk, so another engine needs only a new
adapter: ``library`` reads every article (generated or hand-written), ``pages`` makes topic
pages, the all-articles page, article footers and the navigation, ``related`` finds related
articles, ``topic_map`` draws the home page's map, ``search_index``, ``search_tokens``,
``search_terms`` and ``search_build`` make the search index (``search_worker.js`` answers
queries in the browser), ``sitemap`` keeps the sitemap small, and ``math_render`` renders
formulas with KaTeX. ``mkdocs_plugin`` is the thin MkDocs adapter.

May import: ``ingest.shared``. Never ``ingest.pipeline`` (the site builds from ``docs/``
alone, whoever wrote the articles) or ``ingest.contributor``.
"""
