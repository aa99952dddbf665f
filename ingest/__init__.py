"""The ML knowledge base: feed dumps in, a searchable MkDocs Material site out.

The package has three parts, each a sub-package, over what they share:

* ``ingest.pipeline``: the ingest (``python -m ingest run``), feed dumps to ``docs/articles/``:
  parse -> normalize -> dedupe -> tag -> title -> slug -> render -> write.
* ``ingest.site``: what MkDocs calls while it builds the site (the ``kb`` plugin): topic pages,
  navigation, related articles, the topic map, search additions, math rendering.
* ``ingest.contributor``: the tools contributors run on pull requests: ``check``, ``new``,
  ``takeover``.
* ``ingest.shared``: the data model, the taxonomy, front matter, the docs layout and the
  escaping and tag rules every part applies the same way.

Imports point downwards only: ``shared`` imports no other part; ``pipeline`` and ``site``
import ``shared`` and not each other (the ingest must run without MkDocs, and the site must
build from ``docs/`` alone); ``contributor`` may import all three; ``cli`` wires the commands.
``tests/test_architecture.py`` fails when an import crosses these lines.
"""
