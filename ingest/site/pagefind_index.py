"""Write the site's Pagefind index from search records, with the Pagefind binary from its wheel.

Each record becomes a small HTML page in a scratch folder, at the path of the page it stands
for (Pagefind takes a result's URL from the file's path), and one run of the binary indexes
the folder: Pagefind parses and compresses in Rust on every core. Its Python API would do the
same over a pipe, but reads one reply per 100 ms (100 pages take 10 s), which cannot keep up
with thousands of pages.

The staged pages carry the encoded words of ``ingest.site.search_tokens``; the title and
the topic names travel as Pagefind metadata (searched and boosted), the tags as a filter
(shown, not searched). Every page is indexed as one language without a stemmer or a
segmenter (``und``, "undetermined"): the words are already cut.

Only what the browser loads is kept (``pagefind.js``, its WebAssembly, the entry file, the
meta file and the index, filter and fragment chunks); Pagefind's own UIs are deleted, since
Material's search UI shows the results.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ingest.site.search_index import SearchRecord

LANGUAGE = "und"
# Material's search worker, which the site serves with our own worker's code instead: Material's
# search UI talks to whatever answers at this URL (setup / ready / query / result messages).
MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.\w+\.min\.js")
WORKER_SCRIPT = Path(__file__).with_name("search_worker.js")
OUTPUT_DIR = "pagefind"
# Pagefind's own search UIs, playground and in-browser worker; our worker imports pagefind.js.
UNUSED_OUTPUT = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
    "playground",
)


class PagefindError(Exception):
    """The index could not be written; the message says why and what to do."""


def worker_script() -> str:
    return WORKER_SCRIPT.read_text(encoding="utf-8")


def find_pagefind() -> Path:
    """The binary installed by ``pagefind[bin]`` (or ``PAGEFIND_BINARY_PATH``, or one on PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    executable = get_executable() if get_executable else None
    if executable is None or not Path(executable).is_file():
        raise PagefindError(
            "the Pagefind binary is missing: site search cannot be built. Install the project's "
            "dependencies (`make setup`, or `pip install -e .`, which installs pagefind[bin])"
        )
    return Path(executable)


def staged_path(url: str) -> PurePosixPath:
    """Where the staged page for ``url`` goes, so that Pagefind gives it that URL back.

    ``""`` (the home page) and ``"a/b/"`` are directories holding ``index.html``; a URL
    ending in ``.html`` (``use_directory_urls: false``) is the file itself.
    """
    path = PurePosixPath(url.split("#", 1)[0].split("?", 1)[0])
    if ".." in path.parts or path.is_absolute():
        raise PagefindError(f"{url!r}: not a page URL inside the site")
    return path if path.suffix == ".html" else path / "index.html"


def staged_page(record: SearchRecord) -> str:
    """The HTML Pagefind reads for one record: metadata and filters in the head, words in the body."""
    head = ['<meta charset="utf-8">']
    for name, value in sorted(record.meta.items()):
        head.append(f'<meta data-pagefind-meta="{html.escape(name)}[content]" content="{html.escape(value)}">')
    for name, values in sorted(record.filters.items()):
        for value in values:
            head.append(f'<meta data-pagefind-filter="{html.escape(name)}[content]" content="{html.escape(value)}">')
    # A page without text would be dropped by Pagefind; its title is then its text.
    body = html.escape(record.content or record.meta.get("title", ""), quote=False)
    if record.weight != 1.0:
        body = f'<span data-pagefind-weight="{record.weight:g}">{body}</span>'
    return (
        f'<!DOCTYPE html>\n<html lang="{LANGUAGE}"><head>{"".join(head)}</head>'
        # Straight in <main>: Pagefind ends a <p> (or another block) with a "." of its own.
        f"<body><main data-pagefind-body>{body}</main></body></html>\n"
    )


def write_index(records: Iterable[SearchRecord], site_dir: Path, executable: Path | None = None) -> int:
    """Index ``records`` into ``site_dir/pagefind/`` (replacing what was there); returns the page count."""
    executable = executable or find_pagefind()
    site_dir = Path(site_dir)
    with tempfile.TemporaryDirectory(prefix="kb-search-") as scratch:
        staging, output = Path(scratch) / "pages", Path(scratch) / "pagefind"
        count = 0
        for record in records:
            path = staging / staged_path(record.url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(staged_page(record), encoding="utf-8")
            count += 1
        staging.mkdir(exist_ok=True)
        command = [
            str(executable),
            "--site",
            str(staging),
            "--output-path",
            str(output),
            "--force-language",
            LANGUAGE,
            "--quiet",
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except OSError as error:
            raise PagefindError(f"{executable}: cannot run Pagefind: {error}") from None
        if result.returncode != 0 or not (output / "pagefind.js").is_file():
            log = (result.stdout + result.stderr).strip()
            raise PagefindError(f"Pagefind failed (exit status {result.returncode}):\n{log}")
        for name in UNUSED_OUTPUT:
            unused = output / name
            if unused.is_dir():
                shutil.rmtree(unused)
            else:
                unused.unlink(missing_ok=True)
        target = site_dir / OUTPUT_DIR
        if target.exists():
            shutil.rmtree(target)
        site_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(output), str(target))
    return count


def read_fragments(pagefind_dir: Path) -> list[dict]:
    """Every page record of a written index (Pagefind's fragment files: gzip, a signature, JSON),
    for checking what was indexed: ``url``, ``content``, ``meta``, ``filters``."""
    signature = b"pagefind_dcd"
    fragments = []
    for path in sorted((Path(pagefind_dir) / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[len(signature) :] if data.startswith(signature) else data))
    return fragments
