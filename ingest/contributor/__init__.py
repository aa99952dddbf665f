"""The contributor tools: ``python -m ingest check`` (what a pull request must pass),
``new`` (scaffold a hand-written article) and ``takeover`` (make a generated article
hand-written, keeping its URL).

May import: ``ingest.shared``, ``ingest.pipeline`` (the manifest, the titles file) and
``ingest.site`` (the pages the build adds, which articles may link to).
"""
