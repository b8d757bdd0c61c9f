"""The starter theme's store furniture: navigation, footer links, meta and Open Graph tags,
the favicon, the text page (legal.html), and the ``[site]`` keys behind them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.site import build_site
from tests.sites import built_files

SHOP = "t.test.onfastspring.com/popup-t"


def _build(tmp_path: Path, site: str, pages: str) -> dict[str, str]:
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    (folder / "site.toml").write_text(
        f'[site]\ntitle = "Shop"\nstorefront = "{SHOP}"\n'
        + textwrap.dedent(site)
        + textwrap.dedent(pages)
    )
    build_site(folder, tmp_path / "out")
    return built_files(tmp_path / "out")


NAV = """
url = "https://shop.example.com/store/"
nav = [{ title = "Home", path = "index.html" }, { title = "Blog", path = "/blog/" }]
footer = [
  { title = "Terms", path = "legal/terms.html" },
  { title = "Mail", path = "mailto:help@example.com" },
  { title = "Status", path = "https://status.example.com" },
]
"""
PAGES = """
[[pages]]
path = "index.html"
title = "Home"
intro = "The intro."
[[pages]]
path = "legal/terms.html"
template = "legal.html"
title = "Terms"
description = "Our terms, short."
[pages.data]
updated = "2026-01-02"
sections = [{ heading = "One", text = "First.\\n\\nSecond." }]
"""


def test_links_work_from_every_folder(tmp_path: Path) -> None:
    files = _build(tmp_path, NAV, PAGES)
    home, terms = files["index.html"], files["legal/terms.html"]
    assert '<a href="index.html" aria-current="page">Home</a>' in home
    assert '<a href="legal/terms.html">Terms</a>' in home
    assert '<a href="../index.html">Home</a>' in terms
    assert '<a href="../legal/terms.html" aria-current="page">Terms</a>' in terms
    for html in (home, terms):  # paths on the host and URLs are written as given
        assert '<a href="/blog/">Blog</a>' in html
        assert '<a href="mailto:help@example.com">Mail</a>' in html
        assert '<a href="https://status.example.com">Status</a>' in html
    assert '<a class="brand" href="../index.html">Shop</a>' in terms


def test_meta_and_open_graph(tmp_path: Path) -> None:
    site = NAV + 'description = "The shop."\nimage = "static/card.png"\n'
    files = _build(tmp_path, site, PAGES + '[[pages]]\npath = "bare.html"\ntitle = "Bare"\n')
    home, terms, bare = files["index.html"], files["legal/terms.html"], files["bare.html"]
    assert '<meta name="description" content="The intro.">' in home
    assert '<meta name="description" content="Our terms, short.">' in terms  # wins over intro
    assert '<meta name="description" content="The shop.">' in bare  # the site's
    assert '<meta property="og:title" content="Terms">' in terms
    assert '<meta property="og:site_name" content="Shop">' in terms
    url = "https://shop.example.com/store/legal/terms.html"
    assert f'<meta property="og:url" content="{url}">' in terms
    assert f'<link rel="canonical" href="{url}">' in terms
    image = "https://shop.example.com/store/static/card.png"
    assert f'<meta property="og:image" content="{image}">' in terms
    assert '<meta name="twitter:card" content="summary_large_image">' in terms


def test_without_url_or_description_nothing_is_made_up(tmp_path: Path) -> None:
    files = _build(tmp_path, "", '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    html = files["a.html"]
    assert "og:url" not in html and "canonical" not in html and "og:image" not in html
    assert 'name="description"' not in html and "og:description" not in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<link rel="icon" href="data:image/svg+xml,' in html  # the built-in icon
    assert "<nav" not in html  # no [site] nav or footer: no empty menus


def test_favicon_and_localized_open_graph(tmp_path: Path) -> None:
    files = _build(
        tmp_path,
        'favicon = "static/icon.svg"\n',
        '[[pages]]\npath = "{language}-{country}/index.html"\ntitle = "A"\n'
        '[pages.localize]\nlanguages = ["de"]\ncountries = ["AT"]\n',
    )
    html = files["de-AT/index.html"]
    assert '<link rel="icon" href="../static/icon.svg">' in html
    assert '<html lang="de">' in html and '<meta property="og:locale" content="de_AT">' in html


def test_text_page(tmp_path: Path) -> None:
    terms = _build(tmp_path, NAV, PAGES)["legal/terms.html"]
    assert '<p class="updated">Last updated: 2026-01-02</p>' in terms
    assert "<h2>One</h2>" in terms
    assert "<p>First.</p>" in terms and "<p>Second.</p>" in terms


@pytest.mark.parametrize(
    ("site", "message"),
    [
        (
            'nav = [{ title = "X", path = "javascript:alert(1)" }]',
            "site.nav[0].path: 'javascript:alert(1)' is not a link the theme writes",
        ),
        (
            'footer = [{ title = "X", path = "../up.html" }]',
            "site.footer[0].path: '../up.html' leads outside the site",
        ),
        (
            'nav = [{ title = "X", path = "a b.html" }]',
            "site.nav[0].path: 'a b.html' holds a space",
        ),
        ('nav = [{ path = "a.html" }]', "site.nav[0].title"),
        ('url = "shop.example.com"', "site.url: 'shop.example.com' is not the site's public"),
        ('image = "static/card.png"', "Open Graph needs a full URL: set url"),
        ('favicon = "data:image/png;base64,AA"', "site.favicon: 'data:image/png;base64,AA' is not"),
    ],
)
def test_site_keys_are_checked(tmp_path: Path, site: str, message: str) -> None:
    with pytest.raises(SiteError) as raised:
        _build(tmp_path, site + "\n", '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
