"""The rules a page of ``docs/`` must meet, written once and applied by both ``python -m ingest check``
and the strict site build (the ``kb`` plugin), so the two never disagree.

Each module is pure functions over a ``SourcePage`` (``ingest.site.source_pages``) returning
``Problem``s; ``review`` runs them all and sorts what it finds into errors (which fail ``check``
and ``mkdocs build --strict``) and warnings (which both print and neither fails on).
"""
