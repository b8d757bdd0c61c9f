"""Static landing pages: ``site.toml`` + Jinja2 templates -> a directory of HTML.

A site is a folder with a ``site.toml`` and, optionally, ``templates/`` (searched first,
then sblgen's starter theme) and ``static/`` (copied as is)::

    [site]
    title = "Acme"
    storefront = "acme.test.onfastspring.com/popup-acme"

    [sbl]                       # the script tag (SblOptions, without storefront)
    access_key = "..."
    popup_closed = "onPopupClosed"

    [catalog.pro-monthly]       # products pages can show
    name = "Pro, monthly"
    price = "$19 / month"

    [[pages]]
    path = "index.html"         # may use {language} and {country} with [pages.localize]
    template = "page.html"
    title = "Acme Pro"
    products = ["pro-monthly"]  # buttons
    [pages.session]             # the SBL session object for this page
    coupon = "SPRING"

Builds are deterministic and atomic: pages are rendered into a temporary folder beside the
output, which replaces the previous output only when every page succeeded. Large builds use
every core. Nothing is left behind (SIGTERM and Ctrl+C clean up; the next build removes what
a killed one left), and templates or static files that symbolic links bring in from outside
the site folder are refused unless the build is told to follow them.

One job per module: :mod:`~sblgen.site.config` (``site.toml`` models, loading, each page's
path and session), :mod:`~sblgen.site.pages` (rendering a page with Jinja2),
:mod:`~sblgen.site.output` (the replaceable output folder, staging and the atomic swap),
:mod:`~sblgen.site.links` (symbolic links out of the site folder) and
:mod:`~sblgen.site.build` (the build, serial or on every core).

>>> import pathlib, tempfile
>>> site = pathlib.Path(tempfile.mkdtemp())
>>> _ = (site / "site.toml").write_text('''
... [site]
... title = "Demo"
... storefront = "demo.test.onfastspring.com/popup-demo"
... [[pages]]
... path = "index.html"
... title = "Hello"
... ''')
>>> result = build_site(site, site / "out")
>>> result.pages, (site / "out" / "index.html").exists()
(1, True)
"""

from __future__ import annotations

from sblgen.site.build import BuildResult, build_site
from sblgen.site.config import PageSpec, Site, SiteConfig, load_site, page_sessions
from sblgen.site.output import BUILD_MARKER

__all__ = [
    "BUILD_MARKER",
    "BuildResult",
    "PageSpec",
    "Site",
    "SiteConfig",
    "build_site",
    "load_site",
    "page_sessions",
]
