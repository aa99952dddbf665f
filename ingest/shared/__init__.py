"""What every part of the package shares: the data model (``Entry``, ``Article``, ``Problem``),
the taxonomy, front-matter and YAML reading with line numbers, the layout of ``docs/``, how
files are named in messages, Markdown escaping and the rules for tags.

May import: the standard library and third-party libraries only, never ``ingest.pipeline``,
``ingest.site`` or ``ingest.contributor``.
"""
