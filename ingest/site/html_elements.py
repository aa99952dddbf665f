"""What the HTML standard says about elements, for the modules that read built pages as text."""

from __future__ import annotations

# Void elements: they have no end tag, so a parser closes them as soon as they open.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
