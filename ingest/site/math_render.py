"""Build-time math: turn arithmatex's generic output into KaTeX HTML.

``pymdownx.arithmatex`` (``generic: true``) leaves every formula in the page as
``<span class="arithmatex">\\(tex\\)</span>`` or ``<div class="arithmatex">\\[tex\\]</div>``.
Rendering those once, while the site builds, means readers download no math JavaScript
and nothing from a CDN; they only need KaTeX's stylesheet and fonts, which the build copies
from ``node_modules/katex`` (installed by ``make setup``).

KaTeX runs in one long-lived Node process per build (``scripts/katex_render.mjs``), spoken
to over JSON lines, so that a site with thousands of formulas pays for one Node start.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.shared.model import Problem

RENDER_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "katex_render.mjs"
SETUP_HINT = "run `make setup` (installs Node packages from package-lock.json)"

# Exactly what arithmatex's generic mode writes; its content is HTML-escaped TeX.
ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)
INLINE_WRAP = ("\\(", "\\)")
DISPLAY_WRAP = ("\\[", "\\]")

# What the built site needs from the KaTeX package, relative to its dist/ folder.
STYLESHEET = "katex.min.css"
FONTS_DIR = "fonts"
# Nearly every formula uses these two (digits and operators, italic letters). Fetching them
# with the stylesheet instead of on first layout keeps text from jumping when they arrive.
PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")
RENDERED_MATH = 'class="katex"'
SHOWN_TEX_CHARS = 60


class MathSetupError(Exception):
    """Node or KaTeX is missing or broken: the build cannot render math at all."""


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool


@dataclass(frozen=True)
class Rendered:
    html: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FormulaProblem:
    formula: Formula
    message: str

    def __str__(self) -> str:
        tex = " ".join(self.formula.tex.split())
        if len(tex) > SHOWN_TEX_CHARS:
            tex = tex[: SHOWN_TEX_CHARS - 1] + "…"
        return f"formula '{tex}': {self.message}"


def find_katex(project_root: Path) -> Path:
    """The KaTeX package ``make setup`` installed next to mkdocs.yml.

    Only there, not in parent folders as Node would look: the version must be the one
    package-lock.json pins, not whatever some enclosing folder happens to hold.
    """
    candidate = project_root / "node_modules" / "katex"
    if (candidate / "dist" / STYLESHEET).is_file():
        return candidate
    raise MathSetupError(f"KaTeX is not installed (no {candidate}): {SETUP_HINT}")


def katex_site_files(katex_dir: Path) -> list[tuple[str, Path]]:
    """``(path inside assets/katex/, source file)`` for the stylesheet and every font it names."""
    dist = katex_dir / "dist"
    files = [(STYLESHEET, dist / STYLESHEET)]
    fonts = dist / FONTS_DIR
    files += [(f"{FONTS_DIR}/{font.name}", font) for font in sorted(fonts.iterdir()) if font.is_file()]
    return files


def formula_from_arithmatex(tag: str, body: str) -> Formula:
    display = tag == "div"
    opening, closing = DISPLAY_WRAP if display else INLINE_WRAP
    tex = html.unescape(body).strip()
    if tex.startswith(opening) and tex.endswith(closing):
        tex = tex[len(opening) : -len(closing)]
    return Formula(tex=tex.strip(), display=display)


def render_math(page_html: str, render) -> tuple[str, list[FormulaProblem]]:
    """Replace every arithmatex element in ``page_html`` with ``render(formula)``'s HTML.

    ``render`` maps a :class:`Formula` to a :class:`Rendered`. A formula that fails keeps its
    TeX source on the page (still readable) and comes back as a problem to report.
    """
    problems: list[FormulaProblem] = []

    def replace(match: re.Match) -> str:
        formula = formula_from_arithmatex(match["tag"], match["body"])
        result = render(formula)
        if result.error is not None:
            problems.append(FormulaProblem(formula, result.error))
            return match.group()
        # Keep arithmatex's wrapper: Material styles it (scrolling for wide display math).
        return f'<{match["tag"]} class="arithmatex">{result.html}</{match["tag"]}>'

    return ARITHMATEX.sub(replace, page_html), problems


def with_font_preloads(page_html: str, fonts_url: str) -> str:
    """Preload KaTeX's main fonts in the page's ``<head>``, if the page shows any math."""
    if RENDERED_MATH not in page_html:
        return page_html
    links = "".join(
        f'<link rel="preload" href="{fonts_url.rstrip("/")}/{name}" as="font" type="font/woff2" crossorigin>'
        for name in PRELOADED_FONTS
    )
    return page_html.replace("</head>", links + "</head>", 1)


class KatexRenderer:
    """One Node process running KaTeX; formulas are memoised because pages repeat them."""

    def __init__(self, katex_dir: Path, node: str | None = None, script: Path = RENDER_SCRIPT):
        self.katex_dir = katex_dir
        self.node = node or shutil.which("node")
        self.script = script
        self.process: subprocess.Popen | None = None
        self.stderr = None
        self.version: str | None = None
        self.cache: dict[Formula, Rendered] = {}

    def __enter__(self) -> KatexRenderer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self) -> None:
        if self.node is None:
            raise MathSetupError(f"Node.js is not installed (no `node` on PATH): {SETUP_HINT}")
        if not self.script.is_file():
            raise MathSetupError(f"{self.script} is missing")
        # stderr goes to a file: a chatty child must never block on a full pipe nobody reads.
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        try:
            self.process = subprocess.Popen(
                [self.node, str(self.script), str(self.katex_dir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                text=True,
                encoding="utf-8",
            )
        except OSError as error:
            raise MathSetupError(f"cannot run Node.js ({self.node}): {error.strerror}; {SETUP_HINT}") from None
        hello = self._read_reply()
        if not hello.get("ready"):
            raise MathSetupError(f"KaTeX did not start: {hello}")
        self.version = hello.get("version")

    def render(self, formula: Formula) -> Rendered:
        if formula not in self.cache:
            self.cache[formula] = self._ask(formula)
        return self.cache[formula]

    __call__ = render

    def _ask(self, formula: Formula) -> Rendered:
        if self.process is None:
            self.start()
        request = json.dumps({"tex": formula.tex, "display": formula.display}, ensure_ascii=False)
        try:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise MathSetupError(f"KaTeX process died: {self._stderr_text()}") from None
        reply = self._read_reply()
        return Rendered(html=reply.get("html"), error=reply.get("error"))

    def _read_reply(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise MathSetupError(
                f"KaTeX process exited ({self.process.returncode}): {self._stderr_text() or 'no output'}; {SETUP_HINT}"
            )
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            raise MathSetupError(f"KaTeX process wrote something unexpected: {line.strip()[:200]}") from None

    def _stderr_text(self) -> str:
        """Node's error message without its stack trace."""
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        lines = [line.strip() for line in self.stderr.read().splitlines()]
        message = [line for line in lines if line and not line.startswith(("at ", "Node.js "))]
        return " ".join(message[:3])

    def close(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):  # a dead child leaves a broken pipe behind
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process = None
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None


def formula_line(formula: Formula, body: str, body_line: int) -> int:
    """The line of ``body`` (which starts at file line ``body_line``) where the formula's TeX starts.

    arithmatex takes a formula's TeX verbatim from the source, so the first occurrence of the TeX
    right after a math delimiter is the formula (one TeX written twice fails twice alike); then
    the TeX anywhere (``\\begin{align}`` environments have no delimiter). Not found, e.g. TeX
    written by a plugin: the body's first line.
    """
    tex = re.escape(formula.tex)
    for pattern in (rf"(?:\$\$?|\\\(|\\\[)\s*({tex})", f"({tex})"):
        match = re.search(pattern, body)
        if match:
            return body_line + body.count("\n", 0, match.start(1))
    return body_line


def formula_problem_lines(
    name: str, problems: list[FormulaProblem], line_for: Callable[[Formula], int]
) -> list[Problem]:
    """KaTeX's complaints as ``FILE:LINE: formula '…': message``, the same in ``check`` and the build."""
    return [Problem(name, line_for(problem.formula), str(problem)) for problem in problems]
