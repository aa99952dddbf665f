"""A topic's description (taxonomy.yml) as HTML: Markdown with math, and no way to write HTML.

Descriptions are reviewed input, but they reach every topic page, so what they may use is
fixed here rather than left to the full site Markdown:

- paragraphs and lists, ``*emphasis*``, ``**strong**``, ```code```, entities such as ``&nbsp;``;
- math, ``$…$`` and ``$$…$$`` (pymdownx.arithmatex, as on the rest of the site);
- links to ``http(s)://`` and ``mailto:`` addresses.

Raw HTML is not parsed at all, so ``<script>`` shows as text. Any other link target (a relative
path, ``javascript:``) and images (which would load from the network) keep only their text and
are reported. The HTML goes into the topic page as one raw block, which Markdown passes through
untouched; the build's KaTeX step then renders its formulas like any other.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
# Markdown features that would let a description emit HTML, load from the network, or pull in
# a page's own syntax extensions.
DISABLED_PREPROCESSORS = ("html_block",)
DISABLED_INLINE_PATTERNS = ("html", "image_link", "image_reference", "short_image_ref")
ALLOWED_ELEMENTS = frozenset({"div", "p", "ul", "ol", "li", "em", "strong", "code", "a", "br", "span"})
CONTAINER = "kb-description"


class LinkGuard(Treeprocessor):
    """Drops every link whose target is not an http(s) or mailto address (keeping its text) and any
    element outside ``ALLOWED_ELEMENTS``; records why in ``self.md.refused``."""

    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                href = child.get("href", "")
                if child.tag == "a" and not SAFE_LINK.match("".join(href.split())):
                    self.md.refused.append(f"link to {href!r} (only http(s):// and mailto: links are kept)")
                    unwrap(parent, child)
                elif child.tag not in ALLOWED_ELEMENTS:
                    self.md.refused.append(f"<{child.tag}> (not allowed in a description)")
                    unwrap(parent, child)


def unwrap(parent: ElementTree.Element, child: ElementTree.Element) -> None:
    """Replace ``child`` by its text and children, in place."""
    index = list(parent).index(child)
    text = "".join(child.itertext())
    if index == 0:
        parent.text = (parent.text or "") + text + (child.tail or "")
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text + (child.tail or "")
    parent.remove(child)


@functools.cache
def converter() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}}
    )
    for name in DISABLED_PREPROCESSORS:
        md.preprocessors.deregister(name, strict=False)
    for name in DISABLED_INLINE_PATTERNS:
        md.inlinePatterns.deregister(name, strict=False)
    md.treeprocessors.register(LinkGuard(md), "kb_link_guard", 0)
    md.refused = []
    return md


def render_description(text: str) -> tuple[str, list[str]]:
    """``(HTML block, what was refused)`` for a topic description."""
    md = converter()
    md.reset()
    md.refused = []
    body = md.convert(text)
    # No blank line may end the raw block early inside the topic page's Markdown.
    body = re.sub(r"\n\s*\n", "\n", body).strip()
    return f'<div class="{CONTAINER}">\n{body}\n</div>', list(md.refused)
