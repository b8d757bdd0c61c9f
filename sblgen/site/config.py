"""``site.toml``: its models, loading and checking it, and what each page it lists is (its
output path and the session it hands the SBL).

Every problem names the file, the key and the fix.

>>> page = PageSpec(path="index.html", title="Hello",
...                 localize={"languages": ["en", "de"], "countries": ["US"]})
>>> [output_path(page, language, "US") for language in ("en", "de")]
['index.en-US.html', 'index.de-US.html']
>>> load_site("no-such-folder")
Traceback (most recent call last):
sblgen.errors.SiteError: no-such-folder/site.toml: not found; a site folder needs a site.toml.
"""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sblgen._model import error_lines
from sblgen.codes import country_code
from sblgen.dates import today
from sblgen.errors import SiteError
from sblgen.limits import LimitError, loads_toml
from sblgen.options import SblOptions
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront

__all__ = [
    "SITE_FILE",
    "CatalogProduct",
    "Link",
    "Localize",
    "PageSpec",
    "PricesConfig",
    "Site",
    "SiteConfig",
    "SiteInfo",
    "load_site",
    "output_path",
    "page_session",
    "page_sessions",
]

SITE_FILE = "site.toml"


def _check_file_name(value: str) -> str:
    """``value`` as a file name: no control characters (no system can hold a NUL in a file
    name) and ``/``, never a backslash, between folders."""
    for char in value:
        if char == "\\":
            what = "a backslash"
        elif ord(char) < 32 or ord(char) == 127:
            what = f"the control character U+{ord(char):04X}"
        else:
            continue
        raise ValueError(
            f"{value!r} holds {what}; file names here are text with '/' between folders."
        )
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_URL_SCHEMES = ("https:", "http:", "mailto:")


def _check_target(value: str) -> str:
    """A link target: a file of the built site (``pricing.html``, ``static/logo.svg``), a
    path on the site's host (``/blog/``) or a full ``https:``, ``http:`` or ``mailto:`` URL."""
    _check_file_name(value)
    if any(char.isspace() for char in value):
        raise ValueError(f"{value!r} holds a space; write it as %20 or remove it.")
    if _is_url(value):
        if not value.lower().startswith(_URL_SCHEMES):
            raise ValueError(
                f"{value!r} is not a link the theme writes; use a file of the site such as "
                "'terms.html', a path such as '/blog/', or an https://, http:// or mailto: URL."
            )
    elif not value.startswith("/") and ".." in PurePosixPath(value).parts:
        raise ValueError(f"{value!r} leads outside the site; use a path without '..'.")
    return value


LinkTarget = Annotated[str, Field(min_length=1), AfterValidator(_check_target)]


class Link(_Strict):
    """A link of the theme's navigation (``[[site.nav]]``) or footer (``[[site.footer]]``).

    ``path`` is a file of the built site (``pricing.html``: the theme makes it relative to
    each page, so it works from a folder and from disk), a path on the site's host
    (``/blog/``) or a full URL (``https://...``, ``mailto:...``).
    """

    title: Annotated[str, Field(min_length=1)]
    path: LinkTarget


def _check_site_url(value: str) -> str:
    if value and not (
        value.lower().startswith(("https://", "http://"))
        and len(value.split("/")) >= 3
        and value.split("/")[2]
        and not any(char.isspace() for char in value)
    ):
        raise ValueError(
            f"{value!r} is not the site's public address; give it as https://host (with a "
            "path if the site lives in a folder)."
        )
    return value.rstrip("/")


class SiteInfo(_Strict):
    """The ``[site]`` table: what every page of the site shares."""

    title: Annotated[str, Field(min_length=1)]
    storefront: Storefront
    lang: str = "en"
    #: The meta and Open Graph description of pages that have neither a description nor
    #: an intro.
    description: str = ""
    #: The site's public address (``https://widgets.example.com``), for each page's
    #: canonical link and ``og:url``; without it the theme writes neither.
    url: Annotated[str, AfterValidator(_check_site_url)] = ""
    #: The ``og:image`` of every page: a file of the built site (needs ``url``) or a URL.
    image: LinkTarget | None = None
    #: The browser tab's icon: a file of the built site (``static/favicon.svg``) or a URL;
    #: without it the theme uses a small built-in icon.
    favicon: LinkTarget | None = None
    nav: list[Link] = []
    footer: list[Link] = []

    @model_validator(mode="after")
    def _image_needs_url(self) -> SiteInfo:
        if self.image is not None and _is_local(self.image) and not self.url:
            raise ValueError(
                f"image {self.image!r} is a file of the site, but Open Graph needs a full URL: "
                "set url (the site's public address, https://...) or give image as a URL."
            )
        return self

    def href(self, target: str, root: str) -> str:
        """How a page whose way back to the output folder is ``root`` links to ``target``
        (a :class:`Link` path, ``favicon`` or ``image``).

        >>> site = SiteInfo(title="T", storefront="t.test.onfastspring.com/popup-t")
        >>> site.href("terms.html", "../"), site.href("/blog/", "../")
        ('../terms.html', '/blog/')
        """
        return root + target if _is_local(target) else target

    def absolute(self, target: str) -> str | None:
        """``target`` as a full URL (for Open Graph), or ``None`` when it is not a URL and
        the site has no ``url`` to put before it.

        >>> site = SiteInfo(title="T", storefront="t.test.onfastspring.com/popup-t",
        ...                 url="https://t.example.com/shop/")
        >>> site.absolute("de-DE/index.html"), site.absolute("/logo.png")
        ('https://t.example.com/shop/de-DE/index.html', 'https://t.example.com/logo.png')
        """
        if _is_url(target):
            return target
        if not self.url:
            return None
        if target.startswith("/"):
            return "/".join(self.url.split("/")[:3]) + target
        return f"{self.url}/{target}"


def _is_url(target: str) -> bool:
    return ":" in target.split("/", 1)[0]


def _is_local(target: str) -> bool:
    """Whether ``target`` is a file of the built site (not ``/path`` and not a URL)."""
    return not target.startswith("/") and not _is_url(target)


class CatalogProduct(_Strict):
    """What a page shows about a product (FastSpring holds the real price)."""

    name: Annotated[str, Field(min_length=1)]
    price: str = ""
    description: str = ""
    interval: str = ""


class Localize(_Strict):
    """Expand a page into one variant per language x country."""

    languages: Annotated[list[str], Field(min_length=1)]
    countries: Annotated[list[str], Field(min_length=1)]


class PageSpec(_Strict):
    """One page (or, with ``localize``, a family of pages)."""

    path: Annotated[str, Field(min_length=1)]
    template: str = "page.html"
    title: Annotated[str, Field(min_length=1)]
    intro: str = ""
    #: The meta and Open Graph description (default: ``intro``, then the site's).
    description: str = ""
    products: list[str] = []
    session: dict[str, Any] | None = None
    #: Sets the session's invoiceDueDate this many days after the build date.
    invoice_due_in_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    #: A plaintext secure payload (test storefronts only), sent with the session.
    secure_test_payload: dict[str, Any] | None = None
    localize: Localize | None = None
    data: dict[str, Any] = {}

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        _check_file_name(value)
        pure = PurePosixPath(value)
        if pure.is_absolute() or ".." in pure.parts or not value.endswith(".html"):
            raise ValueError(
                f"{value!r} must be a relative path ending in .html, inside the output folder."
            )
        return value

    @field_validator("template")
    @classmethod
    def _template_name(cls, value: str) -> str:
        return _check_file_name(value)


class PricesConfig(_Strict):
    """``[prices]``: fetch each page's localized prices from FastSpring when the site is
    built (credentials from the environment only), cached for builds without network
    (:mod:`sblgen.site.prices`)."""

    #: The country whose prices pages without one show.
    country: str = "US"
    #: The cache file, relative to the site folder (or absolute).
    cache: str = ".sblgen-prices.json"
    #: Refuse a cache older than this many days when FastSpring cannot be asked.
    max_age_days: Annotated[float, Field(gt=0)] | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return country_code(value)

    @field_validator("cache")
    @classmethod
    def _cache_file(cls, value: str) -> str:
        if not value:
            raise ValueError("give a file name, such as '.sblgen-prices.json'.")
        return _check_file_name(value)


class SiteConfig(_Strict):
    """The whole ``site.toml``."""

    site: SiteInfo
    sbl: dict[str, Any] = {}
    catalog: dict[str, CatalogProduct] = {}
    pages: Annotated[list[PageSpec], Field(min_length=1)]
    #: Opt in to build-time prices from FastSpring.
    prices: PricesConfig | None = None


@dataclass(frozen=True)
class Site:
    """A loaded site: its folder, its configuration and its script-tag options."""

    root: Path
    config: SiteConfig
    options: SblOptions

    def expand(self) -> Iterator[tuple[int, PageSpec, str | None, str | None]]:
        """Every output page: (index in ``pages``, spec, language, country)."""
        for index, page in enumerate(self.config.pages):
            if page.localize is None:
                yield index, page, None, None
                continue
            for language in page.localize.languages:
                for country in page.localize.countries:
                    yield index, page, language, country


def _validation_error(file: Path, err: ValidationError) -> SiteError:
    problems = error_lines(err, indexed=True)
    if len(problems) == 1:
        return SiteError(f"{file}: {problems[0]}")
    lines = [f"{file}: {len(problems)} problem(s):", *(f"  {line}" for line in problems)]
    return SiteError("\n".join(lines))


def _prefix(err: ValidationError, prefix: str) -> ValidationError:
    errors = [{**e, "loc": (prefix, *e["loc"])} for e in err.errors()]
    return ValidationError.from_exception_data(err.title, errors)  # type: ignore[arg-type]


def _read(file: Path) -> str:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise SiteError(f"{file}: not found; a site folder needs a {SITE_FILE}.") from None
    except IsADirectoryError:
        raise SiteError(f"{file}: is a folder; {SITE_FILE} must be a file.") from None
    except OSError as err:
        raise SiteError(f"{file}: cannot be read ({err.strerror}).") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise SiteError(
            f"{file}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8."
        ) from None


def _file_key(out: str) -> str:
    """What a page's output path is on disk, for telling when two paths are one file: the
    same on every file system (case and Unicode normalisation ignored)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", out).casefold())


def _check_paths(file: Path, site: Site) -> None:
    """Each output page its own file: two paths that name one file (``a.html`` and
    ``./a.html``, or ``A.html`` and ``a.html``, one file on a case-insensitive system), or
    a page where another page needs a folder, are refused naming both pages."""
    files: dict[str, tuple[int, str]] = {}  # file key -> (page index, path as written)
    folders: dict[str, tuple[int, str]] = {}
    for index, page, language, country in site.expand():
        out = output_path(page, language, country)
        written = page.path if language is None else out
        pure = PurePosixPath(out)
        if pure.is_absolute() or ".." in pure.parts:
            raise SiteError(
                f"{file}: pages[{index}].path: {out!r} leads outside the output folder; use "
                "a relative path without '..'."
            )
        key = _file_key(out)
        parents = [_file_key(parent.as_posix()) for parent in list(pure.parents)[:-1]]
        problem = None
        if key in files:
            other, other_path = files[key]
            same = "" if other_path == written else f" (as {other_path!r}: the same file)"
            problem = f"{written!r} is also written by pages[{other}]{same}"
        elif key in folders:
            other, other_path = folders[key]
            problem = f"{written!r} is a folder of pages[{other}] ({other_path!r})"
        else:
            for parent in parents:
                if parent in files:
                    other, other_path = files[parent]
                    problem = (
                        f"{written!r} needs a folder where pages[{other}] writes {other_path!r}"
                    )
                    break
        if problem is not None:
            raise SiteError(
                f"{file}: pages[{index}].path: {problem}; give each page its own path (use "
                "{language} and {country} for variants)."
            )
        files[key] = (index, written)
        for parent in parents:
            folders.setdefault(parent, (index, written))


def load_site(site_dir: str | os.PathLike[str]) -> Site:
    """Read and check ``site.toml``; every problem names the file, the key and the fix."""
    root = Path(site_dir)
    file = root / SITE_FILE
    text = _read(file)
    try:
        raw = loads_toml(text)
        config = SiteConfig.model_validate(raw)
    except tomllib.TOMLDecodeError as err:
        raise SiteError(f"{file}: not valid TOML: {err}.") from None
    except LimitError as err:
        raise SiteError(f"{file}: {err}.") from None
    except RecursionError:
        raise SiteError(f"{file}: nested too deeply; flatten its tables and arrays.") from None
    except ValidationError as err:
        raise _validation_error(file, err) from None
    try:
        options = SblOptions.model_validate({**config.sbl, "storefront": config.site.storefront})
    except ValidationError as err:
        raise _validation_error(file, _prefix(err, "sbl")) from None
    for index, page in enumerate(config.pages):
        for name in page.products:
            if name not in config.catalog:
                raise SiteError(
                    f"{file}: pages[{index}].products: {name!r} is not in [catalog]; add "
                    f"[catalog.{name}] or fix the name."
                )
    site = Site(root, config, options)
    _check_paths(file, site)
    return site


def output_path(page: PageSpec, language: str | None, country: str | None) -> str:
    """Where a page (or one language x country variant of it) is written, relative to the
    output folder."""
    if language is None:
        path = page.path
    elif "{language}" not in page.path and "{country}" not in page.path:
        path = f"{page.path.removesuffix('.html')}.{language}-{country}.html"
    else:
        path = page.path.replace("{language}", language).replace("{country}", country or "")
    return PurePosixPath(path).as_posix()  # 'a//b.html' and './b.html' as the file they are


def page_session(
    site: Site, index: int, page: PageSpec, language: str | None, country: str | None
) -> Session | None:
    """The session object a page hands the SBL (``None`` for a page without one)."""
    file = site.root / SITE_FILE
    data: dict[str, Any] = dict(page.session or {})
    if language is not None:
        data["language"] = language
        data["country"] = country
    if page.invoice_due_in_days is not None:
        data["invoiceDueDate"] = (
            today() + _dt.timedelta(days=page.invoice_due_in_days)
        ).isoformat()
    if page.secure_test_payload is not None:
        if not site.options.storefront.is_test:
            raise SiteError(
                f"{file}: pages[{index}].secure_test_payload: plaintext secure payloads only "
                "work on a test storefront ('.test.'); encrypt the payload for a live one."
            )
        try:
            data["secure"] = SecureRequest.plaintext(page.secure_test_payload)
        except ValidationError as err:
            raise _validation_error(
                file, _prefix(err, f"pages[{index}].secure_test_payload")
            ) from None
    if not data:
        return None
    try:
        return Session.model_validate(data)
    except ValidationError as err:
        raise _validation_error(file, _prefix(err, f"pages[{index}].session")) from None


def page_sessions(site_dir: str | os.PathLike[str]) -> Mapping[str, Session | None]:
    """Each output path and the session it hands the SBL (for checks and tests)."""
    site = load_site(site_dir)
    return {
        output_path(page, language, country): page_session(site, index, page, language, country)
        for index, page, language, country in site.expand()
    }
