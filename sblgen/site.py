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
every core.

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

import datetime as _dt
import os
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sblgen._model import error_messages
from sblgen._parallel import process_pool
from sblgen.errors import SblgenError, SiteError
from sblgen.integrations.jinja import SblHelpers
from sblgen.options import SblOptions
from sblgen.render import loader_js
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront
from sblgen.types import today

__all__ = ["BUILD_MARKER", "BuildResult", "PageSpec", "SiteConfig", "build_site", "load_site"]

#: Written into every build; only a folder holding it (or an empty one) is replaced.
BUILD_MARKER = ".sblgen-build"
_MARKER_TEXT = "Built by sblgen: `sblgen site build` replaces this whole folder.\n"

SITE_FILE = "site.toml"
THEME = "sblgen:site"
_PARALLEL_THRESHOLD = 400


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteInfo(_Strict):
    title: Annotated[str, Field(min_length=1)]
    storefront: Storefront
    lang: str = "en"


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
        pure = PurePosixPath(value)
        if pure.is_absolute() or ".." in pure.parts or not value.endswith(".html"):
            raise ValueError(
                f"{value!r} must be a relative path ending in .html, inside the output folder."
            )
        return value


class SiteConfig(_Strict):
    """The whole ``site.toml``."""

    site: SiteInfo
    sbl: dict[str, Any] = {}
    catalog: dict[str, CatalogProduct] = {}
    pages: Annotated[list[PageSpec], Field(min_length=1)]


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


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    pages: int


def _loc(parts: Sequence[int | str]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validation_error(file: Path, err: ValidationError) -> SiteError:
    problems = error_messages(err)
    lines = [f"{file}: {len(problems)} problem(s):"]
    lines.extend(f"  {_loc(loc)}: {message}" for loc, message in problems)
    return SiteError("\n".join(lines))


def load_site(site_dir: str | os.PathLike[str]) -> Site:
    """Read and check ``site.toml``; every problem names the file, the key and the fix."""
    root = Path(site_dir)
    file = root / SITE_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError(f"{file}: not found; a site folder needs a {SITE_FILE}.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SiteError(f"{file}: not valid TOML: {err}.") from None
    try:
        config = SiteConfig.model_validate(raw)
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
    seen: dict[str, int] = {}
    for index, page, language, country in site.expand():
        out = _output_path(page, language, country)
        if out in seen:
            raise SiteError(
                f"{file}: pages[{index}].path: {out!r} is also written by pages[{seen[out]}]; "
                "give each page its own path (use {language} and {country} for variants)."
            )
        seen[out] = index
    return site


def _prefix(err: ValidationError, prefix: str) -> ValidationError:
    errors = [{**e, "loc": (prefix, *e["loc"])} for e in err.errors()]
    return ValidationError.from_exception_data(err.title, errors)  # type: ignore[arg-type]


def _output_path(page: PageSpec, language: str | None, country: str | None) -> str:
    if language is None:
        return page.path
    if "{language}" not in page.path and "{country}" not in page.path:
        stem = page.path.removesuffix(".html")
        return f"{stem}.{language}-{country}.html"
    return page.path.replace("{language}", language).replace("{country}", country or "")


# ------------------------------------------------------------------------ rendering


def _environment(site: Site) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    templates = site.root / "templates"
    if templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(templates))
    loaders.append(jinja2.PackageLoader("sblgen", "templates/site"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    helpers = SblHelpers(site.options)
    env.globals.update(helpers.as_globals())
    env.filters["sbl_json"] = helpers.json
    return env


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


def _render_page(
    site: Site,
    env: jinja2.Environment,
    index: int,
    page: PageSpec,
    language: str | None,
    country: str | None,
) -> tuple[str, str]:
    out = _output_path(page, language, country)
    session = page_session(site, index, page, language, country)
    depth = len(PurePosixPath(out).parts) - 1
    context = {
        "site": site.config.site,
        "page": page,
        "session": session,
        "options": site.options,
        "catalog": site.config.catalog,
        "products": [(name, site.config.catalog[name]) for name in page.products],
        "language": language or site.config.site.lang,
        "country": country,
        "root": "../" * depth,
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
        loc, message = error_messages(err)[0]
        return f"invalid value: {_loc(loc)}: {message}"
    if isinstance(err, jinja2.UndefinedError | SblgenError):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _write(target: Path, out: str, html: str) -> None:
    path = target / out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


# ------------------------------------------------------------------------ parallel build

_worker: tuple[Site, jinja2.Environment, Path] | None = None


def _init_worker(site_dir: str, target: str, day: _dt.date) -> None:
    global _worker
    from sblgen.types import _today

    _today.set(day)
    site = load_site(site_dir)
    _worker = (site, _environment(site), Path(target))


def _build_chunk(jobs: Sequence[tuple[int, str | None, str | None]]) -> int:
    if _worker is None:  # pragma: no cover
        raise RuntimeError("worker not initialised")
    site, env, target = _worker
    for index, language, country in jobs:
        out, html = _render_page(site, env, index, site.config.pages[index], language, country)
        _write(target, out, html)
    return len(jobs)


# ------------------------------------------------------------------------ build


def build_site(
    site_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    progress: bool | None = None,
    force: bool = False,
) -> BuildResult:
    """Build the site into ``out_dir``, atomically: on any error the previous output is
    left untouched and no temporary files remain. ``workers`` defaults to every core for
    large sites; ``progress`` (default: when stderr is a terminal) prints a counter.

    Each build replaces ``out_dir`` whole, so an existing folder is replaced only when it
    is empty, an earlier build made it (it holds a ``.sblgen-build`` marker file) or every
    file in it is one this build writes again, unless ``force=True``: pointing ``--out`` at
    a folder of your own never deletes it."""
    site = load_site(site_dir)
    out = Path(out_dir).resolve()
    root = site.root.resolve()
    if out == root or out in root.parents:
        raise SiteError(
            f"{out}: the output folder must not be the site folder itself or contain it (it "
            "is replaced by each build); use a new folder such as SITE_DIR/_build."
        )
    _check_replaceable(out, site, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    jobs = [(index, language, country) for index, _page, language, country in site.expand()]
    show = sys.stderr.isatty() if progress is None else progress
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        count = workers or os.cpu_count() or 1
        if count > 1 and len(jobs) >= _PARALLEL_THRESHOLD:
            _build_parallel(site, tmp, jobs, count, show)
        else:
            env = _environment(site)
            for done, (index, language, country) in enumerate(jobs, 1):
                page = site.config.pages[index]
                path, html = _render_page(site, env, index, page, language, country)
                _write(tmp, path, html)
                if show and (done % 100 == 0 or done == len(jobs)):
                    print(f"\rsblgen: built {done}/{len(jobs)} pages", end="", file=sys.stderr)
        _copy_static(site, tmp)
        (tmp / BUILD_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if show:
            print(file=sys.stderr)
    return BuildResult(out, len(jobs))


def _build_parallel(
    site: Site, tmp: Path, jobs: list[tuple[int, str | None, str | None]], count: int, show: bool
) -> None:
    size = max(50, len(jobs) // (count * 8))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    done = 0
    with process_pool(count, _init_worker, (str(site.root), str(tmp), today())) as pool:
        try:
            for finished in pool.map(_build_chunk, chunks):
                done += finished
                if show:
                    print(f"\rsblgen: built {done}/{len(jobs)} pages", end="", file=sys.stderr)
        except SblgenError:
            raise
        except Exception as err:  # pragma: no cover - a worker died
            raise SiteError(f"A build worker failed: {err}") from err


def _copy_static(site: Site, tmp: Path) -> None:
    static = site.root / "static"
    if static.is_dir():
        shutil.copytree(static, tmp / "static", dirs_exist_ok=True)
    loader = _local_loader(site)
    if loader is not None:
        (tmp / loader).parent.mkdir(parents=True, exist_ok=True)
        (tmp / loader).write_text(loader_js(), encoding="utf-8")


def _local_loader(site: Site) -> str | None:
    """Where the build writes the no-inline loader script, when the site serves it itself."""
    src = site.options.loader_src
    if site.options.mode != "external" or src.startswith(("http:", "https:", "//")):
        return None
    return src.lstrip("/")


def _planned_files(site: Site) -> set[str]:
    """The relative paths a build of ``site`` writes (pages, static files, the loader)."""
    planned = {_output_path(page, lang, country) for _i, page, lang, country in site.expand()}
    static = site.root / "static"
    if static.is_dir():
        planned.update(f"static/{p.relative_to(static).as_posix()}" for p in static.rglob("*"))
    loader = _local_loader(site)
    if loader is not None:
        planned.add(loader)
    return planned


def _foreign_files(out: Path, planned: set[str]) -> list[str]:
    """Entries under ``out`` that a build would not write again (symlinks not followed)."""
    foreign: list[str] = []
    for folder, dirs, files in os.walk(out):
        base = Path(folder).relative_to(out)
        links = [d for d in dirs if (Path(folder) / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        names = [(base / name).as_posix() for name in [*links, *files]]
        foreign.extend(name for name in names if name not in planned)
    return sorted(foreign)


def _check_replaceable(out: Path, site: Site, force: bool) -> None:
    """Refuse, before any work, to replace a folder holding files this build would lose.

    A folder is replaceable when it is empty, when an earlier build made it (its
    ``.sblgen-build`` marker), or when every file in it is one this build writes again
    (an output made before the marker existed)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder; choose another --out.")
    if force or (out / BUILD_MARKER).is_file():
        return
    foreign = _foreign_files(out, _planned_files(site))
    if not foreign:
        return
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    raise SiteError(
        f"{out}: exists and was not built by sblgen (no {BUILD_MARKER} file); it holds files "
        f"this build would not write ({shown}) and each build replaces the whole folder, so "
        "choose a new or empty folder, or pass --force (force=True) to replace it."
    )


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` with ``tmp`` (two renames; the old output is removed last)."""
    old: Path | None = None
    if out.exists():  # a folder: _check_replaceable ran before the build
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    try:
        tmp.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def page_sessions(site_dir: str | os.PathLike[str]) -> Mapping[str, Session | None]:
    """Each output path and the session it hands the SBL (for checks and tests)."""
    site = load_site(site_dir)
    return {
        _output_path(page, language, country): page_session(site, index, page, language, country)
        for index, page, language, country in site.expand()
    }
