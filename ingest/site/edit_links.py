"""Where a page's "edit this page" button leads.

Material shows the button (``content.action.edit``) for ``page.edit_url``. MkDocs would point
every page at its own source file, which is wrong for this site in two ways:

* a **generated article** must not be edited in place: the ingest owns it until a contributor
  runs ``ingest takeover``, so its button leads to the takeover instructions in CONTRIBUTING.md;
* a **generated page** has no source file: a topic page leads to its topic's entry in
  ``taxonomy.yml`` (its description, formulas and aliases live there), the all-articles and
  最近更新 pages to nothing.

Every path is percent-encoded, so a file name cannot break out of the ``href`` Material writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

TAKEOVER_DOC = "CONTRIBUTING.md"
# GitHub's anchor for CONTRIBUTING.md's "## 接手一篇自动生成的文章".
TAKEOVER_ANCHOR = "接手一篇自动生成的文章"
TAXONOMY_FILE = "taxonomy.yml"


@dataclass(frozen=True)
class Repository:
    """The repository the site is built from, as mkdocs.yml's ``repo_url`` and ``edit_uri`` give it."""

    url: str  # https://github.com/OWNER/REPO
    edit_uri: str  # edit/main/docs/: the editor's address of docs_dir, relative to url
    docs_dir: str = "docs"

    @property
    def root_edit_uri(self) -> str | None:
        """``edit/main/`` for ``edit/main/docs/``: the editor's address of the repository root."""
        suffix = self.docs_dir.strip("/") + "/"
        edit_uri = self.edit_uri if self.edit_uri.endswith("/") else self.edit_uri + "/"
        return edit_uri[: -len(suffix)] if edit_uri.endswith("/" + suffix) else None

    def file_url(self, path: str, *, edit: bool, anchor: str = "") -> str | None:
        """The address of ``path`` (relative to the repository root) in the editor or the viewer."""
        root = self.root_edit_uri
        if root is None:
            return None
        if not edit and root.startswith("edit/"):
            root = "blob/" + root[len("edit/") :]
        fragment = "#" + quote(anchor, safe="") if anchor else ""
        return f"{self.url.rstrip('/')}/{root}{quote(path, safe='/')}{fragment}"

    def docs_edit_url(self, src_uri: str) -> str:
        """The editor for a file in ``docs_dir``."""
        edit_uri = self.edit_uri if self.edit_uri.endswith("/") else self.edit_uri + "/"
        return f"{self.url.rstrip('/')}/{edit_uri}{quote(src_uri, safe='/')}"


def edit_link(
    repository: Repository | None,
    src_uri: str,
    *,
    generated_page: bool = False,
    generated_article: bool = False,
    topic_line: int | None = None,
) -> str | None:
    """The "edit this page" address for one page, or None for no button.

    ``generated_page``: made by the build (topic pages, all-articles, 最近更新); ``topic_line``:
    for a topic page, the line of its entry in taxonomy.yml. ``generated_article``: an article the
    ingest wrote and still owns (``generated: true``).
    """
    if repository is None:
        return None
    if generated_page:
        if topic_line is None:
            return None
        return repository.file_url(TAXONOMY_FILE, edit=False, anchor=f"L{topic_line}" if topic_line else "")
    if generated_article:
        return repository.file_url(TAKEOVER_DOC, edit=False, anchor=TAKEOVER_ANCHOR)
    return repository.docs_edit_url(src_uri)
