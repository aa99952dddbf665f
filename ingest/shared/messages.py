"""How text reaches the terminal in ``FILE:LINE: message`` lines, for every part of the package.

Feed files, their names and contributors' files are hostile input, and they end up in
messages: an ESC sequence in a feed's metadata line (``\\x1bc`` resets the terminal), a line
break or a bidirectional override in a file name would act on the user's terminal or forge
another message line. ``terminal_safe`` shows every such character as an escape instead.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 controls (line breaks, ESC, BEL, ...), DEL, C1 controls (NEL, CSI, ...), the Unicode line and
# paragraph separators, the bidirectional controls that reorder what a terminal shows (Trojan
# Source), and lone surrogates (undecodable bytes of a file name, which no encoder can print).
TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
SURROGATE_ESCAPES = range(0xDC80, 0xDD00)  # os.fsdecode's stand-ins for the bytes 0x80-0xff


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code in SURROGATE_ESCAPES:
        return f"\\x{code - 0xDC00:02x}"  # the byte of the file name, as written on disk
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control, line-breaking, reordering or unprintable character escaped (``\\x1b``).

    Idempotent: its output holds none of those characters, so escaping twice changes nothing.
    """
    return TERMINAL_UNSAFE.sub(_escape, text)


def display_name(path: Path, cwd: Path | None = None) -> str:
    """The name used in ``FILE:LINE`` messages and sources: relative to the working directory
    (``cwd``, already resolved, or the current one) when inside it, as editors link ``FILE:LINE``."""
    try:
        return path.resolve().relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
