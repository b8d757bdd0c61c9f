r"""Building a site: every page rendered (on every core for large sites), the static files
and the loader script copied, and the output folder replaced only when all succeeded.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "site.toml").write_text(
...     '[site]\ntitle = "Demo"\nstorefront = "demo.test.onfastspring.com/popup-demo"\n'
...     '[[pages]]\npath = "a.html"\ntitle = "A"\n[[pages]]\npath = "b.html"\ntitle = "B"\n')
>>> build_site(folder, folder / "out", workers=1)
BuildResult(out_dir=PosixPath('.../out'), pages=2)
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import jinja2

from sblgen._parallel import chunks, process_pool
from sblgen.dates import today
from sblgen.errors import SblgenError, SiteError
from sblgen.render import loader_js
from sblgen.site.config import SITE_FILE, Site, load_site, output_path
from sblgen.site.links import walk_files
from sblgen.site.output import check_replaceable, signals_clean_up, staged_output
from sblgen.site.pages import environment, render_page
from sblgen.site.prices import PriceTable, load_prices

__all__ = ["BuildResult", "build_site"]

#: Sites with fewer pages than this are built in this process.
_PARALLEL_THRESHOLD = 400

_Job = tuple[int, str | None, str | None]  # (index in pages, language, country)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (and, with ``[prices]``, where its prices came from)."""

    out_dir: Path
    pages: int
    prices: PriceTable | None = field(default=None, repr=False)


def _write(target: Path, out: str, html: str) -> None:
    """Write one file under ``target``, making its folders, but never ``target`` itself:
    a worker left writing after its build was cleaned up fails instead of making it anew."""
    folder = target
    for part in PurePosixPath(out).parent.parts:
        folder = folder / part
        folder.mkdir(exist_ok=True)
    (target / out).write_text(html, encoding="utf-8")


def _progress(done: int, total: int) -> None:
    print(f"\rsblgen: built {done}/{total} pages", end="", file=sys.stderr)


# ------------------------------------------------------------------------ parallel build

_worker: tuple[Site, jinja2.Environment, Path, PriceTable | None] | None = None
_worker_today: AbstractContextManager[None] | None = None


def _init_worker(
    site_dir: str,
    target: str,
    day: _dt.date,
    follow_symlinks: bool,
    prices: PriceTable | None = None,
) -> None:
    global _worker, _worker_today
    from sblgen.dates import frozen_today

    # The worker builds with the parent's "today" for its whole life: enter, never leave,
    # and keep the context manager: once collected, it would close and undo the freeze
    # (a forked worker would not notice: it inherits the parent's frozen date anyway).
    _worker_today = frozen_today(day)
    _worker_today.__enter__()
    site = load_site(site_dir)
    _worker = (site, environment(site, follow_symlinks=follow_symlinks), Path(target), prices)


def _build_chunk(jobs: Sequence[_Job]) -> int:
    if _worker is None:  # pragma: no cover
        raise RuntimeError("worker not initialised")
    site, env, target, prices = _worker
    for index, language, country in jobs:
        page = site.config.pages[index]
        out, html = render_page(site, env, index, page, language, country, prices)
        _write(target, out, html)
    return len(jobs)


def _build_parallel(
    site: Site,
    tmp: Path,
    jobs: list[_Job],
    count: int,
    show: bool,
    follow_symlinks: bool,
    prices: PriceTable | None = None,
) -> None:
    done = 0
    setup = (str(site.root), str(tmp), today(), follow_symlinks, prices)
    with process_pool(count, _init_worker, setup) as pool:
        try:
            work = chunks(jobs, count, per_worker=8, least=50)
            for finished in pool.map(_build_chunk, work):
                done += finished
                if show:
                    _progress(done, len(jobs))
        except SblgenError:
            raise
        except Exception as err:  # pragma: no cover - a worker died
            raise SiteError(f"A build worker failed: {err}") from err


def _build_serial(
    site: Site,
    tmp: Path,
    jobs: list[_Job],
    show: bool,
    follow_symlinks: bool,
    prices: PriceTable | None = None,
) -> None:
    env = environment(site, follow_symlinks=follow_symlinks)
    for done, (index, language, country) in enumerate(jobs, 1):
        page = site.config.pages[index]
        path, html = render_page(site, env, index, page, language, country, prices)
        _write(tmp, path, html)
        if show and (done % 100 == 0 or done == len(jobs)):
            _progress(done, len(jobs))


# ------------------------------------------------------------------------ files


def _local_loader(site: Site) -> str | None:
    """Where the build writes the no-inline loader script, when the site serves it itself
    (a path inside the output folder)."""
    src = site.options.loader_src
    if site.options.mode != "external" or src.startswith(("http:", "https:", "//")):
        return None
    path = PurePosixPath(urlsplit(src).path.lstrip("/"))
    if not path.parts or ".." in path.parts:
        raise SiteError(
            f"{site.root / SITE_FILE}: sbl.loader_src: {src!r} is not a file inside the output "
            "folder; use a path such as '/static/sblgen/sbl-loader.js', or a full URL."
        )
    return path.as_posix()


def _static_files(site: Site, follow_symlinks: bool) -> dict[str, Path]:
    """The static files a build copies: output path -> source file."""
    static = site.root / "static"
    if not static.is_dir():
        return {}
    files = walk_files(site.root, static, follow_symlinks=follow_symlinks)
    return {f"static/{path.relative_to(static).as_posix()}": path for path in files}


def _copy_static(site: Site, tmp: Path, static: dict[str, Path]) -> None:
    for out, source in static.items():
        (tmp / out).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, tmp / out)
    loader = _local_loader(site)
    if loader is not None:
        _write(tmp, loader, loader_js())


def _planned_files(site: Site, static: dict[str, Path]) -> set[str]:
    """The relative paths a build of ``site`` writes (pages, static files, the loader)."""
    planned = {output_path(page, lang, country) for _i, page, lang, country in site.expand()}
    planned.update(static)
    loader = _local_loader(site)
    if loader is not None:
        planned.add(loader)
    return planned


def _check_output_folder(site: Site, out: Path) -> None:
    """The output folder is replaced whole by each build: it must not be the site folder,
    contain it, or lie in the folders a build reads (``static/``, ``templates/``)."""
    root = site.root.resolve()
    if out == root or out in root.parents:
        raise SiteError(
            f"{out}: the output folder must not be the site folder itself or contain it (it "
            "is replaced by each build); use a new folder such as SITE_DIR/_build."
        )
    for name in ("static", "templates"):
        source = root / name
        if out == source or source in out.parents:
            raise SiteError(
                f"{out}: the output folder must not be inside the site's {name}/ folder (a "
                "build reads it); use a new folder such as SITE_DIR/_build."
            )


def _check_collisions(site: Site, static: dict[str, Path]) -> None:
    """No page may be written where a static file or the loader script goes."""
    taken = dict.fromkeys(static, "a static file")
    loader = _local_loader(site)
    if loader is not None:
        taken[loader] = "the loader script (sbl.loader_src)"
    for index, page, language, country in site.expand():
        out = output_path(page, language, country)
        if out in taken:
            raise SiteError(
                f"{site.root / SITE_FILE}: pages[{index}].path: {out!r} is also {taken[out]}; "
                "give the page another path."
            )


# ------------------------------------------------------------------------ build


def build_site(
    site_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    progress: bool | None = None,
    force: bool = False,
    follow_symlinks: bool = False,
) -> BuildResult:
    """Build the site into ``out_dir``, atomically: on any error the previous output is
    left untouched and no temporary files remain. ``workers`` defaults to every core for
    large sites; ``progress`` (default: when stderr is a terminal) prints a counter.

    Each build replaces ``out_dir`` whole, so an existing folder is replaced only when it
    is empty, an earlier build made it (it holds a ``.sblgen-build`` marker file) or every
    file in it is one this build writes again, unless ``force=True``: pointing ``--out`` at
    a folder of your own never deletes it.

    Templates and static files that a symbolic link leads outside the site folder are
    refused (the error names the link) unless ``follow_symlinks=True``.

    Nothing is left behind: SIGTERM or Ctrl+C during the build removes the temporary
    folder and stops the workers before the process ends, and a build killed outright
    (SIGKILL) is cleaned up by the next build into the same folder."""
    site = load_site(site_dir)
    out = Path(out_dir).resolve()
    _check_output_folder(site, out)
    static = _static_files(site, follow_symlinks)
    _check_collisions(site, static)
    check_replaceable(out, lambda: _planned_files(site, static), force)
    prices = load_prices(site)  # with [prices]: fetched from FastSpring, or the cache
    jobs = [(index, language, country) for index, _page, language, country in site.expand()]
    show = sys.stderr.isatty() if progress is None else progress
    with signals_clean_up(), staged_output(out) as tmp:
        try:
            count = workers or os.cpu_count() or 1
            if count > 1 and len(jobs) >= _PARALLEL_THRESHOLD:
                _build_parallel(site, tmp, jobs, count, show, follow_symlinks, prices)
            else:
                _build_serial(site, tmp, jobs, show, follow_symlinks, prices)
            _copy_static(site, tmp, static)
        finally:
            if show:
                print(file=sys.stderr)
    return BuildResult(out, len(jobs), prices)
