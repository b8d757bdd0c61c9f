"""Rendering a site's pages with Jinja2: the template environment (the site's
``templates/`` first, then sblgen's starter theme, with sblgen's template helpers), each
page's context, and template errors as one line naming the template file and line.

>>> from pathlib import Path
>>> from sblgen.render import SblOptions
>>> from sblgen.site.config import Site, SiteConfig
>>> config = SiteConfig.model_validate({
...     "site": {"title": "Demo", "storefront": "demo.test.onfastspring.com/popup-demo"},
...     "pages": [{"path": "docs/index.html", "title": "Hello"}],
... })
>>> site = Site(Path("."), config, SblOptions(storefront=config.site.storefront))
>>> path, html = render_page(site, environment(site), 0, config.pages[0], None, None)
>>> path, "<title>Hello" in html, 'href="../' in html
('docs/index.html', True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

import jinja2
from pydantic import ValidationError

from sblgen._model import error_lines
from sblgen.errors import SblgenError, SiteError
from sblgen.helpers import SblHelpers
from sblgen.site.config import SITE_FILE, PageSpec, Site, output_path, page_session
from sblgen.site.links import check_inside
from sblgen.site.prices import PagePrice, PriceTable, page_country, priced_products

__all__ = ["environment", "render_page"]


class _SiteLoader(jinja2.FileSystemLoader):
    """The site's ``templates/``, refusing a template that a symbolic link leads outside
    the site folder (unless the build follows links)."""

    def __init__(self, root: Path, *, follow_symlinks: bool) -> None:
        super().__init__(root / "templates")
        self._root = root
        self._follow = follow_symlinks

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        check_inside(self._root, Path(filename), follow_symlinks=self._follow)
        return source, filename, uptodate


def environment(site: Site, *, follow_symlinks: bool = False) -> jinja2.Environment:
    """The Jinja2 environment a site's pages are rendered in. A template that a symbolic
    link leads outside the site folder is refused unless ``follow_symlinks``."""
    loaders: list[jinja2.BaseLoader] = []
    templates = site.root / "templates"
    if templates.is_dir():
        loaders.append(_SiteLoader(site.root, follow_symlinks=follow_symlinks))
    loaders.append(jinja2.PackageLoader("sblgen", "templates/site"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return SblHelpers(site.options).install(env)


def render_page(
    site: Site,
    env: jinja2.Environment,
    index: int,
    page: PageSpec,
    language: str | None,
    country: str | None,
    prices: PriceTable | None = None,
) -> tuple[str, str]:
    """One output page: (its path relative to the output folder, its HTML). With build-time
    ``prices`` (:mod:`sblgen.site.prices`), products show their price in the page's
    country."""
    out = output_path(page, language, country)
    session = page_session(site, index, page, language, country)
    depth = len(PurePosixPath(out).parts) - 1
    products = [(name, site.config.catalog[name]) for name in page.products]
    shown: Mapping[str, PagePrice] = {}
    if prices is not None and site.config.prices is not None:
        shown = prices.for_country(page_country(site.config.prices, country, page.session))
        products = priced_products(products, shown)
    context = {
        "site": site.config.site,
        "page": page,
        "session": session,
        "options": site.options,
        "catalog": site.config.catalog,
        "products": products,
        "prices": shown,
        "prices_fetched": prices.fetched if prices is not None else None,
        "language": language or site.config.site.lang,
        "country": country,
        "root": "../" * depth,
        "path": out,
        "data": page.data,
    }
    try:
        template = env.get_template(page.template)
    except jinja2.TemplateNotFound as err:
        raise SiteError(
            f"{site.root / SITE_FILE}: pages[{index}].template: {err.name!r} is neither in "
            f"{site.root / 'templates'} nor in the starter theme; add it or fix the name."
        ) from None
    except jinja2.TemplateSyntaxError as err:
        raise SiteError(f"{err.filename or err.name}:{err.lineno}: {err.message}") from None
    try:
        html = template.render(context)
    except jinja2.TemplateSyntaxError as err:  # in a template it extends or includes
        raise SiteError(f"{err.filename or err.name}:{err.lineno}: {err.message}") from None
    except jinja2.TemplateNotFound as err:
        raise SiteError(
            f"{_template_location(err, page.template)} (page {out!r}): {err.name!r} is "
            f"neither in {site.root / 'templates'} nor in the starter theme; add it or fix "
            "the name."
        ) from None
    except Exception as err:  # anything a template raised: name the template line
        raise SiteError(
            f"{_template_location(err, page.template)} (page {out!r}): {_describe(err)}"
        ) from None
    return out, html


def _template_location(err: BaseException, fallback: str) -> str:
    """``file:line`` of the innermost template frame in ``err``'s traceback (jinja2
    rewrites tracebacks so that template frames carry the template's file and line)."""
    tb = err.__traceback__
    found = fallback
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:  # jinja2's template frames
            found = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _describe(err: Exception) -> str:
    """One line for an error raised while rendering."""
    if isinstance(err, ValidationError):
        return f"invalid value: {error_lines(err, indexed=True)[0]}"
    if isinstance(err, jinja2.UndefinedError | SblgenError):
        return str(err)
    return f"{type(err).__name__}: {err}"
