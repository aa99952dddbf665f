"""A page's description: a short plain-text summary for search engines, link previews and the feed.

An article's description is the opening of its text; a topic's is its taxonomy description.
Both come from Markdown (escaped excerpts, contributors' prose, ``$…$`` math), so the text is
rendered with Python-Markdown and read back as text, which leaves no Markdown, HTML or TeX
behind: formulas, code blocks and the "公式缺失" markers are dropped, links keep their words,
entities become the characters they stand for.

The result is plain text, never HTML: whoever puts it into a page escapes it there (the
theme override ``overrides/main.html`` does, with Jinja's ``|e``; the feed is written by
ElementTree), so a description cannot carry markup whatever the article holds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

import markdown

from ingest.site.html_elements import VOID_ELEMENTS

# About what search engines show for a Chinese page; English text counts half per character,
# so an English description may be about twice as long in characters.
DESCRIPTION_UNITS = 120.0
# Only the opening is needed: render at most this much of the body (a description is at most
# about 240 characters; the rest covers markup, formulas and entities that the text drops).
OPENING_CHARS = 1500
# What is tried first (see article_description).
SHORT_OPENING_CHARS = 450
# A sentence end this far into the limit makes a clean cut; nearer the start, the text is cut
# at a word instead, with an ellipsis.
MIN_SENTENCE_SHARE = 0.4
# Stopping before an unshowable formula is worth a description this much shorter than the limit.
MIN_BEFORE_GAP_SHARE = 0.25
SENTENCE_END = re.compile(r"[。！？!?；;](?=\s|$)|[。！？；](?=\S)|(?<![\d.])\.(?=\s|$)")
SOFT_BREAK = re.compile(r"[，、：,:）)」』”’]")
ELLIPSIS = "…"
GAP = "\ufffc"  # where plain_text dropped a formula; never left in what it returns
# Around a heading (a private-use character: str.split() takes U+2029 for whitespace);
# describe() stops at the first one after some text.
SECTION = "\ue000"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# Dropped entirely, with what they hold (see _ReadableText).
DROPPED_TAGS = frozenset({"pre", "script", "style", "h1"})
DROPPED_CLASSES = frozenset({"kb-dropped", "headerlink", "footnote"})
DROPPED_ATTRIBUTE = "data-search-exclude"
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Text a reader does not see as text: ruby annotations, templates, scripts and styles.
HIDDEN_TEXT_TAGS = frozenset({"rt", "rp", "template", "script", "style"})
BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "tr", "br", "dt", "dd", "table", "ul", "ol")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[，。、；：！？）」』”,.;:!?)])")
MATH_DELIMITERS = re.compile(r"^\\[(\[]|\\[)\]]$")
TEX_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
TEX_SCRIPT = re.compile(r"([_^])(\{[^{}]*\}|[^{}\s])")
TEX_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "to": "→",
    "infty": "∞",
    "in": "∈",
    "lambda": "λ",  # Unicode spells it LAMDA
    "Lambda": "Λ",
    "top": "T",
    "prime": "′",
    **{name: name for name in ("max", "min", "log", "exp", "sin", "cos", "tanh", "softmax", "arg")},
    "mathrm": "",
    "text": "",
    "mathbf": "",
    "boldsymbol": "",
    "hat": "",
}
SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
SUPERSCRIPTS = dict(zip("0123456789+-=()abcdeijkmntxT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉⁱʲᵏᵐⁿᵗˣᵀ", strict=True))
EXTENSIONS = ["attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.arithmatex"]
EXTENSION_CONFIGS = {"pymdownx.arithmatex": {"generic": True}}


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One converter for every call: loading the extensions costs far more than a conversion."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def text_units(text: str) -> float:
    return sum(1.0 if _is_wide(char) else 0.5 for char in text)


def _join(left: str, right: str) -> str:
    """Two pieces of text from neighbouring blocks: no space between Chinese, one otherwise."""
    if not left:
        return right
    if not right:
        return left
    if _is_wide(left[-1]) or _is_wide(right[0]):
        return left + right
    return left + " " + right


def plain_text(markdown_text: str) -> str:
    """The words a reader sees in ``markdown_text``, as one line of plain text; a formula that
    plain text cannot show (``\\frac``, ``\\sum``) becomes an ellipsis."""
    return _spaced(_text_with_gaps(markdown_text).replace(GAP, ELLIPSIS))


def _spaced(text: str) -> str:
    """A heading set off by spaces from the text around it."""
    return " ".join(text.replace(SECTION, " ").split())


def _text_with_gaps(markdown_text: str) -> str:
    markdown_text = markdown_text.replace(GAP, "").replace(SECTION, "")  # the input's own are plain noise
    markdown_text = HTML_COMMENT.sub("", markdown_text)  # writing hints in hand-written articles
    reader = _ReadableText()
    reader.feed(_markdown().reset().convert(markdown_text))
    reader.close()
    text = ""
    for piece in reader.text().split("\n"):
        text = _join(text, " ".join(piece.split()))
    # A dropped formula leaves a space before punctuation ("阈值 ，"): close it up.
    return SPACE_BEFORE_PUNCTUATION.sub("", text).strip()


class _ReadableText(HTMLParser):
    """The text of rendered Markdown in one pass, as the tree would give it after these changes:

    - an element that a summary cannot say in words is left out with what it holds: code, scripts,
      the page title, blocks search skips, heading anchors, footnotes (DROPPED_*);
    - a formula (class ``arithmatex``) becomes ``math_text`` of its TeX, or GAP;
    - a heading is set between two SECTION marks, and every block (``BLOCKS``) ends with a line break.

    A streaming parser instead of a parsed tree: building the tree cost more than the Markdown
    conversion. An end tag closes the innermost open element of its name and everything opened
    after it; a stray one is ignored; elements still open at the end close there.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[tuple[str, str]] = []  # (tag, role): role is dropped, formula, block or inline
        self.dropped = 0  # open dropped elements
        self.formula: list[str] | None = None  # the TeX of the open formula
        self.hidden = 0  # open elements whose text a reader is not shown as text (HIDDEN_TEXT_TAGS)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, dict(attrs))
        if tag in VOID_ELEMENTS:
            self._close_innermost()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, dict(attrs))
        self._close_innermost()

    def _open(self, tag: str, attrs: dict[str, str | None]) -> None:
        classes = (attrs.get("class") or "").split()
        if self.dropped or tag in DROPPED_TAGS or DROPPED_ATTRIBUTE in attrs or not DROPPED_CLASSES.isdisjoint(classes):
            role = "dropped"
            self.dropped += 1
        elif self.formula is None and "arithmatex" in classes:
            role = "formula"
            self.formula = []
        elif self.formula is None and tag in BLOCKS:
            role = "block"
            if tag in HEADINGS:
                self.parts.append(SECTION)
        else:
            role = "inline"
        if tag in HIDDEN_TEXT_TAGS:
            self.hidden += 1
        self.open.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        if all(name != tag for name, _ in self.open):
            return
        while self._close_innermost() != tag:
            pass

    def _close_innermost(self) -> str:
        tag, role = self.open.pop()
        if tag in HIDDEN_TEXT_TAGS:
            self.hidden -= 1
        if role == "dropped":
            self.dropped -= 1
        elif role == "formula":
            self.parts.append(math_text("".join(self.formula or ())) or GAP)
            self.formula = None
        elif role == "block":
            self.parts.append(SECTION + "\n" if tag in HEADINGS else "\n")
        return tag

    def handle_data(self, data: str) -> None:
        if self.dropped or self.hidden:
            return
        (self.parts if self.formula is None else self.formula).append(data)

    def close(self) -> None:
        super().close()
        while self.open:
            self._close_innermost()

    def text(self) -> str:
        return "".join(self.parts)


def math_text(tex: str) -> str:
    """A simple formula (``\\eta_t``, ``h_{t-1}``, ``x^2``) as Unicode text (ηₜ, hₜ₋₁, x²); anything
    more (fractions, sums, matrices) as nothing, since no plain-text line can show it."""
    tex = MATH_DELIMITERS.sub("", tex).strip()
    text = TEX_COMMAND.sub(lambda match: _symbol(match.group(1)), tex)
    text = TEX_SCRIPT.sub(_script, text)
    text = text.replace("{", "").replace("}", "").replace("\\,", " ").replace("~", " ")
    if "\x00" in text or "\\" in text or "_" in text or "^" in text or len(text) > 24:
        return ""
    return text


def _symbol(command: str) -> str:
    """``\\theta`` → θ, ``\\Omega`` → Ω, ``\\times`` → ×; NUL (refused) for anything else."""
    if command in TEX_SYMBOLS:
        return TEX_SYMBOLS[command]
    case = "CAPITAL" if command[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {command.removeprefix('var').upper()}")
    except KeyError:
        return "\x00"


def _script(match: re.Match) -> str:
    table = SUBSCRIPTS if match.group(1) == "_" else SUPERSCRIPTS
    body = match.group(2).strip("{}")
    if all(char in table for char in body):
        return "".join(table[char] for char in body)
    return match.group(0)  # left for math_text to refuse


def summarize(text: str, limit: float = DESCRIPTION_UNITS) -> str:
    """``text`` itself when it fits in ``limit``; else cut at the last sentence end that fits
    (when that keeps enough), else after a comma-like mark or a word, with an ellipsis."""
    text = " ".join(text.split())
    if _prefix(text, limit) == text:
        return text
    fitting = _prefix(text, limit - 1)  # room for the ellipsis
    ends = [match.end() for match in SENTENCE_END.finditer(fitting)]
    if ends and text_units(fitting[: ends[-1]]) >= MIN_SENTENCE_SHARE * limit:
        return fitting[: ends[-1]].rstrip()
    cut = _word_cut(fitting)
    return cut.rstrip(" ，、：,:;；.。") + ELLIPSIS


def _prefix(text: str, limit: float) -> str:
    units = 0.0
    for index, char in enumerate(text):
        units += 1.0 if _is_wide(char) else 0.5
        if units > limit:
            return text[:index]
    return text


def _word_cut(fitting: str) -> str:
    """Where to cut ``fitting``: after the last soft break near its end, else at the last space
    between Latin words, else anywhere after a CJK character (every one is a word boundary)."""
    soft = [match.end() for match in SOFT_BREAK.finditer(fitting)]
    if soft and soft[-1] >= 0.7 * len(fitting):
        return fitting[: soft[-1]]
    last = len(fitting)
    if last and not _is_wide(fitting[-1]):
        space = fitting.rfind(" ")
        wide = max((index + 1 for index, char in enumerate(fitting) if _is_wide(char)), default=0)
        boundary = max(space, wide)
        if boundary > 0:
            return fitting[:boundary]
    return fitting


def describe(markdown_text: str, limit: float = DESCRIPTION_UNITS) -> str:
    """A summary of ``markdown_text``: its opening sentences, stopping before the first formula
    that plain text cannot show when enough comes before it (a sentence with a hole in it reads
    worse than a shorter description); otherwise the hole becomes an ellipsis."""
    return _summary(_opening_section(_text_with_gaps(markdown_text), limit), limit)


def _opening_section(text: str, limit: float) -> str:
    """The opening section: up to the first heading that follows some text, when enough comes before it."""
    section = text.find(SECTION, 1)
    while section >= 0 and not text[:section].strip(SECTION + " "):
        section = text.find(SECTION, section + 1)
    if section > 0 and text_units(_spaced(text[:section])) >= MIN_BEFORE_GAP_SHARE * limit:
        return text[:section]
    return text


def _summary(text: str, limit: float) -> str:
    return summarize(_spaced(_before_gap(text, limit).replace(GAP, ELLIPSIS)), limit)


def _before_gap(text: str, limit: float) -> str:
    """``text`` up to the last sentence end before its first formula, when enough comes before it."""
    gap = text.find(GAP)
    if gap >= 0:
        ends = [match.end() for match in SENTENCE_END.finditer(text, 0, gap)]
        if ends and text_units(text[: ends[-1]]) >= MIN_BEFORE_GAP_SHARE * limit:
            return text[: ends[-1]]
    return text


def article_description(body: str, limit: float = DESCRIPTION_UNITS) -> str:
    """The opening of an article's Markdown body, as plain text of at most ``limit`` units.

    Most openings are decided by their first few hundred characters, and converting Markdown is
    most of the cost: the short opening is tried first, and the longer one only when what follows
    could still change the result (``_decided``)."""
    section = _opening_section(_text_with_gaps(_opening(body, SHORT_OPENING_CHARS)), limit)
    if len(body) > SHORT_OPENING_CHARS and not _decided(section, limit):
        section = _opening_section(_text_with_gaps(_opening(body, OPENING_CHARS)), limit)
    return _summary(section, limit)


def article_descriptions(bodies: list[str]) -> list[str]:
    """``article_description`` of each body: one task for the build's second process."""
    return [article_description(body) for body in bodies]


def _decided(section: str, limit: float) -> bool:
    """Whether more text after ``section`` would leave its summary as it is.

    The first formula is where the summary stops, or an ellipsis after which it goes on: either
    way it is already in ``section`` if there is one, and a summary that stops there is decided.
    Otherwise the summary is cut within its first ``limit`` units: decided once ``section`` holds
    more than that, and, when no formula is in it yet, once a sentence ends past ``limit`` units
    (a formula further on could otherwise cut it back to an earlier sentence end)."""
    kept = _before_gap(section, limit)
    if kept != section:
        return True
    if GAP in section:
        return text_units(_spaced(section.replace(GAP, ELLIPSIS))) > limit
    return any(text_units(_spaced(section[: match.end()])) > limit for match in SENTENCE_END.finditer(section))


def topic_description(description: str, limit: float = DESCRIPTION_UNITS) -> str:
    """A taxonomy topic's description (Markdown, may hold ``$…$``), as plain text."""
    return describe(description, limit)


def _opening(body: str, chars: int) -> str:
    """The first paragraphs of ``body``, about ``chars`` characters, cut between blocks."""
    if len(body) <= chars:
        return body
    cut = body.rfind("\n\n", 0, chars)
    return body[: cut if cut > 0 else chars]
