"""What the stored-XSS tests look for, in the built HTML and in Chromium.

Every hostile string calls ``alert('<label>')`` with a label naming where it was planted, so a
failure says which field got through. Two checks, each able to fail on its own:

- ``static_findings``: every HTML file of the site, parsed with BeautifulSoup, holds no
  ``<script>`` mentioning ``alert(``, no ``on…=`` attribute, no ``javascript:`` URL and no
  ``<meta http-equiv=refresh>`` leading to one (Material's own markup has none of these, but
  for the search box's share button, ``javascript:void(0)``, which runs nothing);
- ``visit``: the page in Chromium with a dialog hook; ``page.on("dialog")`` must never fire.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript):", re.IGNORECASE)
REFRESH_TARGET = re.compile(r"url\s*=\s*['\"]?(.*)$", re.IGNORECASE)


def is_materials_share_button(tag, text: str) -> bool:
    """Material's search share button (``search.share``): an inert ``javascript:void(0)``."""
    return tag.get("data-md-component") == "search-share" and text == "javascript:void(0)"


def payloads(label: str) -> list[str]:
    """The ways a string has been seen to run a script, each tagged with ``label``."""
    return [
        f"<script>alert('{label}-script')</script>",
        f"<img src=x onerror=alert('{label}-img')>",
        f"\"><svg onload=alert('{label}-svg')>",
        f"</small></h1><script>alert('{label}-close')</script>",
    ]


def static_findings(site: Path) -> list[str]:
    """Everything in the built site that could run a script, as ``page: what``."""
    found = []
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        name = path.relative_to(site).as_posix()
        for script in soup.find_all("script"):
            if "alert(" in (script.string or ""):
                found.append(f"{name}: <script>{(script.string or '')[:80]}")
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                script_url = attribute.lower() in URL_ATTRIBUTES and SCRIPT_URL.match(text)
                if attribute.lower().startswith("on") or (script_url and not is_materials_share_button(tag, text)):
                    found.append(f"{name}: <{tag.name} {attribute}={text[:60]}>")
            if tag.name == "meta" and str(tag.get("http-equiv", "")).lower() == "refresh":
                # A renamed topic's old URL refreshes to its page: only a script URL there is a finding.
                target = REFRESH_TARGET.search(str(tag.get("content", "")))
                if target is None or SCRIPT_URL.match(target.group(1)):
                    found.append(f"{name}: <meta http-equiv=refresh content={tag.get('content')}>")
    return found


def visit(page, url: str) -> list[str]:
    """Open ``url``, give deferred handlers time to fire, and return every dialog's message."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    return dialogs
