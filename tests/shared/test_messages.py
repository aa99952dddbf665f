"""Messages reach the terminal with every control, line-breaking or reordering character escaped."""

from __future__ import annotations

import pytest

from ingest.cli import print_problems, say
from ingest.shared.messages import terminal_safe
from ingest.shared.model import Problem
from ingest.shared.plaintext import one_line


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1bc", "\\x1bc"),
        ("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d"),
        ("\x85\x9b", "\\x85\\x9b"),
        ("\x7f", "\\x7f"),
        ("x\u2028y\u2029z", "x\\u2028y\\u2029z"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),
        ("name-\udcff.txt", "name-\\xff.txt"),  # an undecodable byte of a file name, as os.fsdecode gives it
        ("\ud800", "\\ud800"),
        ("注意力 attention: <b>ok</b> \\x1b", "注意力 attention: <b>ok</b> \\x1b"),
    ],
)
def test_terminal_safe_escapes_exactly_the_unsafe_characters(raw, shown):
    assert terminal_safe(raw) == shown
    assert terminal_safe(shown) == shown, "idempotent"
    shown.encode("utf-8")  # printable by any UTF-8 stream: no lone surrogate left


def test_one_line_turns_every_break_and_control_into_one_space():
    assert one_line("a\r\rb\u2028c\x0bd\x1b[2Je\x85f\tg") == "a b c d [2Je f g"
    assert one_line("普通的文字 stays") == "普通的文字 stays"


def test_every_cli_message_is_escaped(capsys):
    print_problems([Problem("feeds/\x1bc.txt", 3, "metadata line '\x1b]0;x\x07' has no entry")], "warning: ")
    say("summary \x1b[2J")
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err.splitlines() == [
        "feeds/\\x1bc.txt:3: warning: metadata line '\\x1b]0;x\\x07' has no entry",
        "summary \\x1b[2J",
    ]
