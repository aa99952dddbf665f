"""The ingest: feed dumps in, deduplicated, tagged, titled Markdown articles out.

One module per stage, passing plain dataclasses (``ingest.shared.model``):

    parse -> normalize -> dedupe -> tag -> title -> slug -> render -> write

``run.run_ingest`` wires the stages together; ``runcache`` skips a run that cannot change
anything; ``progress`` shows the stages on a terminal. To change how articles are tagged,
edit ``taxonomy.yml`` or ``tag``; how they are titled, ``titles.yml`` or ``title``.

May import: ``ingest.shared``. Never ``ingest.site`` (the ingest runs without MkDocs) or
``ingest.contributor``.
"""
