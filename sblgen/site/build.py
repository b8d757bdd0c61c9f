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
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sblgen._parallel import chunks, process_pool
from sblgen.dates import today
from sblgen.errors import SblgenError, SiteError
from sblgen.render import loader_js
from sblgen.site.config import Site, load_site, output_path
from sblgen.site.output import check_replaceable, staged_output
from sblgen.site.pages import environment, render_page

__all__ = ["BuildResult", "build_site"]

#: Sites with fewer pages than this are built in this process.
_PARALLEL_THRESHOLD = 400

_Job = tuple[int, str | None, str | None]  # (index in pages, language, country)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    pages: int


def _write(target: Path, out: str, html: str) -> None:
    path = target / out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def _progress(done: int, total: int) -> None:
    print(f"\rsblgen: built {done}/{total} pages", end="", file=sys.stderr)


# ------------------------------------------------------------------------ parallel build

_worker: tuple[Site, jinja2.Environment, Path] | None = None


def _init_worker(site_dir: str, target: str, day: _dt.date) -> None:
    global _worker
    from sblgen.dates import frozen_today

    # The worker builds with the parent's "today" for its whole life: enter, never leave.
    frozen_today(day).__enter__()
    site = load_site(site_dir)
    _worker = (site, environment(site), Path(target))


def _build_chunk(jobs: Sequence[_Job]) -> int:
    if _worker is None:  # pragma: no cover
        raise RuntimeError("worker not initialised")
    site, env, target = _worker
    for index, language, country in jobs:
        out, html = render_page(site, env, index, site.config.pages[index], language, country)
        _write(target, out, html)
    return len(jobs)


def _build_parallel(site: Site, tmp: Path, jobs: list[_Job], count: int, show: bool) -> None:
    done = 0
    with process_pool(count, _init_worker, (str(site.root), str(tmp), today())) as pool:
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


def _build_serial(site: Site, tmp: Path, jobs: list[_Job], show: bool) -> None:
    env = environment(site)
    for done, (index, language, country) in enumerate(jobs, 1):
        page = site.config.pages[index]
        path, html = render_page(site, env, index, page, language, country)
        _write(tmp, path, html)
        if show and (done % 100 == 0 or done == len(jobs)):
            _progress(done, len(jobs))


# ------------------------------------------------------------------------ files


def _local_loader(site: Site) -> str | None:
    """Where the build writes the no-inline loader script, when the site serves it itself."""
    src = site.options.loader_src
    if site.options.mode != "external" or src.startswith(("http:", "https:", "//")):
        return None
    return src.lstrip("/")


def _copy_static(site: Site, tmp: Path) -> None:
    static = site.root / "static"
    if static.is_dir():
        shutil.copytree(static, tmp / "static", dirs_exist_ok=True)
    loader = _local_loader(site)
    if loader is not None:
        (tmp / loader).parent.mkdir(parents=True, exist_ok=True)
        (tmp / loader).write_text(loader_js(), encoding="utf-8")


def _planned_files(site: Site) -> set[str]:
    """The relative paths a build of ``site`` writes (pages, static files, the loader)."""
    planned = {output_path(page, lang, country) for _i, page, lang, country in site.expand()}
    static = site.root / "static"
    if static.is_dir():
        planned.update(f"static/{p.relative_to(static).as_posix()}" for p in static.rglob("*"))
    loader = _local_loader(site)
    if loader is not None:
        planned.add(loader)
    return planned


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
    check_replaceable(out, lambda: _planned_files(site), force)
    jobs = [(index, language, country) for index, _page, language, country in site.expand()]
    show = sys.stderr.isatty() if progress is None else progress
    with staged_output(out) as tmp:
        try:
            count = workers or os.cpu_count() or 1
            if count > 1 and len(jobs) >= _PARALLEL_THRESHOLD:
                _build_parallel(site, tmp, jobs, count, show)
            else:
                _build_serial(site, tmp, jobs, show)
            _copy_static(site, tmp)
        finally:
            if show:
                print(file=sys.stderr)
    return BuildResult(out, len(jobs))
