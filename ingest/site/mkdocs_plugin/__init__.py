"""The MkDocs adapter: a thin plugin over the ``ingest`` knowledge code."""
