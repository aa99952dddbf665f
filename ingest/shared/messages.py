"""How files are named in ``FILE:LINE: message`` lines, for every part of the package."""

from __future__ import annotations

from pathlib import Path


def display_name(path: Path, cwd: Path | None = None) -> str:
    """The name used in ``FILE:LINE`` messages and sources: relative to the working directory
    (``cwd``, already resolved, or the current one) when inside it, as editors link ``FILE:LINE``."""
    try:
        return path.resolve().relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
