"""What the site tests share: the demo site, a site folder from TOML text, a build's files."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sblgen.site import BUILD_MARKER

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo_site"

HEADER = """
[site]
title = "T"
storefront = "t.test.onfastspring.com/popup-t"
[catalog.x]
name = "X"
"""

PAGES_MANY = """
[[pages]]
path = "p/{language}-{country}.html"
title = "Many"
[pages.localize]
languages = ["en", "de", "fr", "es", "it"]
countries = ["US", "DE", "FR", "ES", "IT", "GB", "NL", "SE"]
[pages.session]
products = [{ path = "x", quantity = 1 }]
"""


def built_files(folder: Path) -> dict[str, str]:
    """Every file of a built folder (but the build marker): relative path -> text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != BUILD_MARKER
    }


def make_site(tmp_path: Path, pages: str, templates: dict[str, str] | None = None) -> Path:
    """``tmp_path/site``: a site.toml of :data:`HEADER` + ``pages``, and ``templates``."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "site.toml").write_text(HEADER + textwrap.dedent(pages))
    for name, text in (templates or {}).items():
        path = site / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site
