"""The home page's topic map: a static SVG drawn at build time, no JavaScript.

Each section is a horizontal band headed by its name; its topics sit in a grid of equal cells, one circle per
topic with articles, its size one of a few steps of article count (1, 2–4, 5–9, 10+: with most
topics holding one or two articles, an area proportional to the count would make nearly every
circle the same dot), and the name below it. Topics without articles stay off the map (the
navigation lists them), so a taxonomy of hundreds of topics draws only those that lead somewhere.
Lines join topics that share articles, thicker for more shared articles. Every cell is
as wide as the longest label line it may hold and as tall as the most lines it may hold, so
no two labels can overlap however the taxonomy grows. Colours and positions depend only on
the taxonomy order and the counts, so the same library always draws the same picture.

Text colours come from Material's CSS variables (see ``docs/assets/kb.css``), so the map
reads in both the light and the dark scheme. On a narrow screen (a phone) the same topics show
as a list grouped by section instead (``topic_list_html``), with the same size steps, so
every topic is on screen without scrolling sideways; a legend explains the steps.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from xml.sax.saxutils import escape, quoteattr

from ingest.shared.taxonomy import Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.pages import articles_by_topic, visible_topics

TOPIC_MAP_MARKER = "<!-- kb:topic-map -->"  # where a page (docs/index.md) wants the map
XLINK = "http://www.w3.org/1999/xlink"
# About the width of Material's content column, so labels show near their nominal size.
WIDTH = 780
PADDING = 8
BAND_INSET = 10  # the section's colour bar and a little air
SECTION_HEADER = 24  # the section name sits in a row above its topics
CELL_WIDTH = 124
MAX_RADIUS = 24.0
MIN_RADIUS = 4.0  # an empty or tiny topic must stay visible and clickable
LABEL_FONT = 12.5
LABEL_LINE = 15.0
LABEL_LINES = 2
COUNT_FONT = 11.0
COUNT_LINE = 14.0  # from the last name line's baseline to the count's
SECTION_FONT = 14.0
CELL_TOP = 6.0
LABEL_GAP = 6.0
CELL_HEIGHT = CELL_TOP + 2 * MAX_RADIUS + LABEL_GAP + LABEL_FONT + (LABEL_LINES - 1) * LABEL_LINE + COUNT_LINE + 8.0
BAND_GAP = 6.0
LABEL_WIDTH = CELL_WIDTH - 8.0
# Breaking a two-line name right after one of these keeps words whole ("损失的 / 归一化").
BREAK_AFTER = " 与的和及、，：/"
MAX_EDGE_BEND = 36.0  # enough to arc over a neighbouring circle, not into the band above
# Mid-tone hues, legible on Material's white and slate backgrounds alike.
SECTION_COLOURS = ("#5c6bc0", "#26a69a", "#ef6c00", "#d81b60", "#7cb342", "#8e24aa", "#00897b", "#6d4c41")


@dataclass(frozen=True)
class Node:
    topic: Topic
    count: int
    x: float
    y: float
    radius: float
    colour: str
    label_lines: tuple[str, ...]

    @property
    def label_top(self) -> float:
        return self.y + MAX_RADIUS + LABEL_GAP

    @property
    def count_baseline(self) -> float:
        return self.label_top + LABEL_FONT + (len(self.label_lines) - 1) * LABEL_LINE + COUNT_LINE

    def label_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the name and count lines, by estimated text width."""
        width = max(text_width(line, LABEL_FONT) for line in (*self.label_lines, f"{self.count} 篇"))
        bottom = self.count_baseline + COUNT_FONT / 3  # descenders
        return (self.x - width / 2, self.label_top, self.x + width / 2, bottom)


@dataclass(frozen=True)
class Edge:
    first: Node
    second: Node
    shared: int


@dataclass(frozen=True)
class Band:
    section_zh: str
    colour: str
    top: float
    height: float


@dataclass(frozen=True)
class TopicMap:
    width: float
    height: float
    bands: tuple[Band, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def char_width(char: str, font_size: float) -> float:
    """A generous estimate: wide (CJK) characters are one em, others about 0.62 em."""
    return font_size * (1.0 if _is_wide(char) else 0.62)


def text_width(text: str, font_size: float) -> float:
    return sum(char_width(char, font_size) for char in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _tokens(text: str) -> list[str]:
    """Break opportunities: a Latin word keeps its trailing space and stays whole, a CJK character stands alone."""
    tokens: list[str] = []
    for char in text:
        previous = tokens[-1][-1] if tokens else ""
        joins = previous and (char == " " or not (_is_wide(char) or _is_wide(previous) or previous == " "))
        if joins:
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap_label(text: str, max_width: float, max_lines: int, font_size: float = LABEL_FONT) -> tuple[str, ...]:
    """Lines no wider than ``max_width``, broken at word or CJK character boundaries.

    A name that needs two lines is split where the longer line is shortest, preferably at a space
    or after a particle such as 的 or 与: "离散评测指标的 / 可导近似", not "离散评测指标的可导 / 近似".
    An overlong last line ends with '…'.
    """
    text = " ".join(text.split())
    if text_width(text, font_size) <= max_width or max_lines == 1:
        return (_fit(text, max_width, font_size),)
    tokens = _tokens(text)
    best: tuple[float, int] | None = None
    for cut in range(1, len(tokens)):
        lines = ("".join(tokens[:cut]).rstrip(), "".join(tokens[cut:]).strip())
        widths = [text_width(line, font_size) for line in lines]
        if max(widths) > max_width:
            continue
        # The longer line's width, discounted when the break follows a space or a joining particle.
        cost = max(widths) * (0.8 if tokens[cut - 1][-1] in BREAK_AFTER else 1.0)
        if best is None or cost < best[0]:
            best = (cost, cut)
    if best is not None:
        return ("".join(tokens[: best[1]]).rstrip(), "".join(tokens[best[1] :]).strip())
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and text_width((current + token).rstrip(), font_size) > max_width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    lines.append(current.rstrip())
    lines = [_fit(line, max_width, font_size) for line in lines]  # a single word wider than the cell
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_fit(" ".join(lines[max_lines - 1 :]) + "…", max_width, font_size)]
    return tuple(lines)


def _fit(line: str, max_width: float, font_size: float) -> str:
    if text_width(line, font_size) <= max_width:
        return line
    while line and text_width(line + "…", font_size) > max_width:
        line = line[:-1]
    return line.rstrip() + "…"


# Article counts from which a circle takes the next size, and each size's radius: each step
# about doubles the area, so the steps tell apart at a glance.
SIZE_STEPS = (1, 2, 5, 10)
STEP_RADII = (7.0, 11.0, 16.0, 22.0)


def size_step(count: int) -> int:
    """0 for no article, then 1 (one), 2 (2–4), 3 (5–9) or 4 (10 or more)."""
    return sum(1 for threshold in SIZE_STEPS if count >= threshold)


def radius(count: int) -> float:
    """The circle of a topic with ``count`` articles: one radius per size step."""
    step = size_step(count)
    return STEP_RADII[step - 1] if step else MIN_RADIUS


def step_label(step: int) -> str:
    low = SIZE_STEPS[step - 1]
    if step == len(SIZE_STEPS):
        return f"{low} 篇以上"
    high = SIZE_STEPS[step] - 1
    return f"{low} 篇" if low == high else f"{low}–{high} 篇"


def mapped_topics(taxonomy: Taxonomy, grouped: dict[str, list[LibraryArticle]]) -> list[Topic]:
    """The visible topics that hold at least one article, in taxonomy order."""
    return [topic for topic in visible_topics(taxonomy, grouped) if grouped.get(topic.id)]


def shared_article_counts(articles: list[LibraryArticle], order: dict[str, int]) -> Counter:
    """Articles per pair of shown topics; each pair (first, second) is in taxonomy order."""
    shared: Counter = Counter()
    for article in articles:
        topics = sorted({topic for topic in article.topics if topic in order}, key=order.__getitem__)
        shared.update(combinations(topics, 2))
    return shared


def layout(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> TopicMap:
    grouped = articles_by_topic(articles)
    shown = mapped_topics(taxonomy, grouped)
    counts = {topic.id: len(grouped[topic.id]) for topic in shown}
    available = WIDTH - 2 * PADDING - BAND_INSET
    columns = max(1, int(available // CELL_WIDTH))
    grid_left = PADDING + BAND_INSET + (available - columns * CELL_WIDTH) / 2

    bands: list[Band] = []
    nodes: dict[str, Node] = {}
    top = PADDING
    for section_index, section in enumerate(taxonomy.sections):
        topics = [topic for topic in shown if topic.section == section.id]
        if not topics:
            continue
        colour = SECTION_COLOURS[section_index % len(SECTION_COLOURS)]
        rows = math.ceil(len(topics) / columns)
        for position, topic in enumerate(topics):
            row, column = divmod(position, columns)
            nodes[topic.id] = Node(
                topic=topic,
                count=counts[topic.id],
                x=grid_left + (column + 0.5) * CELL_WIDTH,
                y=top + SECTION_HEADER + row * CELL_HEIGHT + CELL_TOP + MAX_RADIUS,
                radius=radius(counts[topic.id]),
                colour=colour,
                label_lines=wrap_label(topic.zh, LABEL_WIDTH, LABEL_LINES),
            )
        bands.append(Band(section.zh, colour, top, SECTION_HEADER + rows * CELL_HEIGHT))
        top += SECTION_HEADER + rows * CELL_HEIGHT + BAND_GAP

    order = {topic.id: index for index, topic in enumerate(shown)}
    edges = [
        Edge(nodes[first], nodes[second], count)
        for (first, second), count in shared_article_counts(articles, order).items()
    ]
    edges.sort(key=lambda edge: (order[edge.first.topic.id], order[edge.second.topic.id]))
    height = top - BAND_GAP + PADDING if bands else 2 * PADDING
    return TopicMap(WIDTH, height, tuple(bands), tuple(nodes.values()), tuple(edges))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _edge_path(edge: Edge) -> str:
    """A gentle arc, so a line between two topics of one row passes over the circles between them."""
    x1, y1, x2, y2 = edge.first.x, edge.first.y, edge.second.x, edge.second.y
    length = math.hypot(x2 - x1, y2 - y1)
    bend = min(MAX_EDGE_BEND * 2, 0.3 * length)
    # Perpendicular to the line, always turning the same way, so the picture is deterministic.
    normal_x, normal_y = (y2 - y1) / length, -(x2 - x1) / length
    if normal_y > 0 or (normal_y == 0 and normal_x > 0):
        normal_x, normal_y = -normal_x, -normal_y
    control_x, control_y = (x1 + x2) / 2 + normal_x * bend, (y1 + y2) / 2 + normal_y * bend
    return f"M{_number(x1)} {_number(y1)} Q{_number(control_x)} {_number(control_y)} {_number(x2)} {_number(y2)}"


def _text_lines(x: float, first_baseline: float, lines: tuple[str, ...], css_class: str) -> str:
    spans = "".join(
        f'<tspan x="{_number(x)}" y="{_number(first_baseline + index * LABEL_LINE)}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text class="{css_class}" text-anchor="middle">{spans}</text>'


def render_svg(topic_map: TopicMap, href_for: Callable[[Topic], str]) -> str:
    """The map as one SVG element; ``href_for`` gives each topic page's URL relative to the page.

    Links use ``xlink:href``: Material's instant navigation rewrites every ``[href]`` element's
    ``href`` property, which an SVG link only has a getter for, and the script error that follows
    would stop Material's page setup. Browsers follow ``xlink:href`` links just the same.
    """
    max_shared = max((edge.shared for edge in topic_map.edges), default=1)
    summary = (
        f"主题地图：{len(topic_map.nodes)} 个有文章的主题按分区排列，圆的大小表示文章数"
        f"（{'、'.join(step_label(step) for step in range(1, len(SIZE_STEPS) + 1))}），连线表示两个主题有共同的文章。"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" class="kb-topic-map__svg" '
        f'viewBox="0 0 {_number(topic_map.width)} {_number(topic_map.height)}" '
        f'width="{_number(topic_map.width)}" height="{_number(topic_map.height)}" '
        'aria-labelledby="kb-topic-map-title">',
        f'<title id="kb-topic-map-title">{escape(summary)}</title>',
    ]
    for band in topic_map.bands:
        name = _fit(band.section_zh, topic_map.width - 2 * PADDING - 2 * BAND_INSET, SECTION_FONT)
        parts.append(
            f'<g class="kb-map-band"><rect class="kb-map-band__bg" x="{PADDING}" y="{_number(band.top)}" '
            f'width="{_number(topic_map.width - 2 * PADDING)}" height="{_number(band.height)}" rx="6"/>'
            f'<rect x="{PADDING}" y="{_number(band.top)}" width="4" height="{_number(band.height)}" '
            f'fill="{band.colour}"/>'
            f'<text class="kb-map-section" x="{PADDING + BAND_INSET + 4}" '
            f'y="{_number(band.top + SECTION_HEADER / 2 + SECTION_FONT / 2)}">{escape(name)}</text></g>'
        )
    for edge in topic_map.edges:
        width = 1.2 + 3.8 * edge.shared / max_shared
        tip = f"{edge.first.topic.zh} — {edge.second.topic.zh}：共同文章 {edge.shared} 篇"
        parts.append(
            f'<path class="kb-map-edge" d="{_edge_path(edge)}" stroke-width="{_number(width)}" '
            f'data-shared="{edge.shared}" data-topics="{edge.first.topic.id} {edge.second.topic.id}">'
            f"<title>{escape(tip)}</title></path>"
        )
    for node in topic_map.nodes:
        topic = node.topic
        label = f"{topic.zh}（{topic.en}）：{node.count} 篇文章"
        parts.append(
            f'<a class="kb-map-topic" xlink:href={quoteattr(href_for(topic))} aria-label={quoteattr(label)} '
            f'data-topic="{topic.id}" data-count="{node.count}">'
            f"<title>{escape(label)}</title>"
            # The whole cell takes the click, not only the (possibly small) circle and the letters.
            f'<rect class="kb-map-hit" x="{_number(node.x - LABEL_WIDTH / 2)}" y="{_number(node.y - MAX_RADIUS)}" '
            f'width="{_number(LABEL_WIDTH)}" height="{_number(node.label_box()[3] - node.y + MAX_RADIUS)}" '
            'fill="transparent"/>'
            f'<circle cx="{_number(node.x)}" cy="{_number(node.y)}" r="{_number(node.radius)}" '
            f'fill="{node.colour}"/>'
            + _text_lines(node.x, node.label_top + LABEL_FONT, node.label_lines, "kb-map-label")
            + f'<text class="kb-map-count" x="{_number(node.x)}" y="{_number(node.count_baseline)}" '
            f'text-anchor="middle">{node.count} 篇</text></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def topic_map_svg(taxonomy: Taxonomy, articles: list[LibraryArticle], href_for: Callable[[Topic], str]) -> str:
    return render_svg(layout(taxonomy, articles), href_for)


def legend_html() -> str:
    """The size steps, one sample circle each (sized like the map's, in CSS pixels)."""
    items = "".join(
        f'<span class="kb-map-legend__item"><span class="kb-map-legend__dot" aria-hidden="true" '
        f'style="width:{_number(2 * STEP_RADII[step - 1])}px;height:{_number(2 * STEP_RADII[step - 1])}px"></span>'
        f"{escape(step_label(step))}</span>"
        for step in range(1, len(SIZE_STEPS) + 1)
    )
    return (
        f'<p class="kb-map-legend">圆的大小：{items}<span class="kb-map-legend__note">没有文章的主题不在图上</span></p>'
    )


def topic_list_html(topic_map: TopicMap, href_for: Callable[[Topic], str]) -> str:
    """The map's topics as links grouped by section, for screens too narrow for the map."""
    parts = ['<div class="kb-topic-list">']
    by_section: dict[str, list[Node]] = {}
    for node in topic_map.nodes:
        by_section.setdefault(node.topic.section, []).append(node)
    for band, nodes in zip(topic_map.bands, by_section.values(), strict=True):
        parts.append(
            f'<p class="kb-topic-list__section" style="border-color:{band.colour}">{escape(band.section_zh)}</p>'
        )
        parts.append('<ul class="kb-topic-list__topics">')
        for node in nodes:
            topic = node.topic
            parts.append(
                f"<li><a href={quoteattr(href_for(topic))} data-topic={quoteattr(topic.id)} "
                f'data-count="{node.count}" aria-label={quoteattr(f"{topic.zh}：{node.count} 篇文章")}>'
                f'<span class="kb-topic-list__dot kb-topic-list__dot--{size_step(node.count)}" '
                f'style="background-color:{node.colour}" aria-hidden="true"></span>'
                f'{escape(topic.zh)}<span class="kb-topic-list__count">{node.count}</span></a></li>'
            )
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def topic_map_block(taxonomy: Taxonomy, articles: list[LibraryArticle], href_for: Callable[[Topic], str]) -> str:
    """The legend, the map and the narrow-screen list in one raw HTML block, so Markdown leaves
    them alone where the marker stood (no blank line inside: that would end the block)."""
    topic_map = layout(taxonomy, articles)
    return "\n".join(
        [
            '<div class="kb-topic-map">',
            legend_html(),
            render_svg(topic_map, href_for),
            topic_list_html(topic_map, href_for),
            "</div>",
        ]
    )
