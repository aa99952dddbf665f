"""`mkdocs serve` rebuilds when taxonomy.yml changes (the plugin asks the server to watch it)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from ingest.site.mkdocs_plugin.plugin import KnowledgeBasePlugin

ROOT = Path(__file__).resolve().parents[2]


class RecordingServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args, **kwargs) -> None:
        self.watched.append(path)


def test_serve_watches_the_taxonomy():
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    assert isinstance(plugin, KnowledgeBasePlugin)
    server = RecordingServer()
    plugin.on_serve(server, config, builder=lambda: None)
    assert [Path(path).resolve() for path in server.watched] == [(ROOT / "taxonomy.yml").resolve()]
