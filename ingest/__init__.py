"""Turn scraped feed dumps into deduplicated, topic-tagged Markdown articles.

Each stage is its own module and passes plain dataclasses (see ``model``):

    parse -> normalize -> dedupe -> tag -> title -> slug -> render -> write

``pipeline.run_ingest`` wires them together; ``cli`` is the command line.
"""
