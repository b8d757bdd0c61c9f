"""Site builds: demo_site golden output, determinism, parallel builds, static files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.site import build_site
from tests.conftest import Golden
from tests.sites import DEMO, PAGES_MANY, built_files, make_site


def test_demo_site_golden(tmp_path: Path, golden: Golden) -> None:
    result = build_site(DEMO, tmp_path / "out")
    files = built_files(tmp_path / "out")
    assert result.pages == len(files) - 1 == 14  # and static/favicon.svg
    for name, text in files.items():
        golden(f"demo_site/{name}", text)


def test_build_is_deterministic(tmp_path: Path) -> None:
    build_site(DEMO, tmp_path / "a")
    build_site(DEMO, tmp_path / "b", workers=2)
    assert built_files(tmp_path / "a") == built_files(tmp_path / "b")


def test_parallel_build_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sblgen.site.build

    site = make_site(tmp_path, PAGES_MANY)
    build_site(site, tmp_path / "serial", workers=1)
    monkeypatch.setattr(sblgen.site.build, "_PARALLEL_THRESHOLD", 10)
    build_site(site, tmp_path / "parallel", workers=2)
    assert built_files(tmp_path / "serial") == built_files(tmp_path / "parallel")
    assert len(built_files(tmp_path / "parallel")) == 40


def test_site_static_and_external_loader(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        '[sbl]\nmode = "external"\n[[pages]]\npath = "a.html"\ntitle = "A"\n'
        '[pages.session]\ncoupon = "X"\n',
    )
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    build_site(site, tmp_path / "out")
    files = built_files(tmp_path / "out")
    assert files["static/logo.svg"] == "<svg/>"
    assert "sblgen loader" in files["static/sblgen/sbl-loader.js"]
    assert "<script>" not in files["a.html"]


def test_output_must_not_be_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    with pytest.raises(SiteError, match="must not be the site folder"):
        build_site(site, site)
    assert (site / "site.toml").exists()


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_parallel_workers_build_with_the_frozen_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """A page that uses today's date (an invoice due in 30 days) is the same built in one
    process and by workers, also by forkserver workers, which do not inherit the parent's
    memory and get "today" only from the build (TODAY is not the real date)."""
    import multiprocessing

    import sblgen._parallel
    import sblgen.site.build

    pages = "".join(
        f'[[pages]]\npath = "due/{i}.html"\ntitle = "Due {i}"\ninvoice_due_in_days = 30\n'
        for i in range(24)
    )
    site = make_site(tmp_path, pages)
    build_site(site, tmp_path / "serial", workers=1)
    monkeypatch.setattr(sblgen.site.build, "_PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(
        sblgen._parallel, "start_context", lambda: multiprocessing.get_context(method)
    )
    build_site(site, tmp_path / "parallel", workers=2)
    serial = built_files(tmp_path / "serial")
    assert built_files(tmp_path / "parallel") == serial
    assert all('"invoiceDueDate":"2026-12-24"' in html for html in serial.values())


def test_a_failing_parallel_build_stops_its_workers_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sblgen.site.build

    pages = "".join(
        f'[[pages]]\npath = "{i}.html"\ntitle = "P{i}"\ntemplate = "t.html"\n' for i in range(60)
    )
    site = make_site(tmp_path, pages, {"t.html": "{{ 1 // (page.title != 'P0') }}"})
    monkeypatch.setattr(sblgen.site.build, "_PARALLEL_THRESHOLD", 10)
    with pytest.raises(SiteError, match=r"t\.html:1 \(page '0\.html'\): ZeroDivisionError"):
        build_site(site, tmp_path / "out", workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("site", "must not be the site folder itself or contain it"),
        (".", "must not be the site folder itself or contain it"),  # the parent
        ("..", "must not be the site folder itself or contain it"),  # an ancestor
        ("site/static", "inside the site's static/ folder"),
        ("site/static/_build", "inside the site's static/ folder"),
        ("site/templates", "inside the site's templates/ folder"),
        ("site/templates/x/y", "inside the site's templates/ folder"),
        ("link-to-site", "must not be the site folder itself or contain it"),
    ],
)
def test_output_must_not_be_the_site_contain_it_or_be_read_by_it(
    tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "a").mkdir()
    site = make_site(tmp_path / "a", '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    (tmp_path / "a" / "link-to-site").symlink_to(site, target_is_directory=True)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    with pytest.raises(SiteError, match=message):
        build_site(site, tmp_path / "a" / where)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("where", ["site/_build", "site/deep/er/out", "sibling", "site-out"])
def test_output_inside_the_site_or_beside_it_is_fine(tmp_path: Path, where: str) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    build_site(site, tmp_path / where)
    build_site(site, tmp_path / where)  # and again: the first build is not read as input
    assert set(built_files(tmp_path / where)) == {"a.html"}


@pytest.mark.parametrize("src", ["../outside.js", "/../../outside.js", "/static/../../x.js", "/"])
def test_the_loader_script_stays_inside_the_output(tmp_path: Path, src: str) -> None:
    site = make_site(
        tmp_path,
        f'[sbl]\nmode = "external"\nloader_src = "{src}"\n'
        '[[pages]]\npath = "a.html"\ntitle = "A"\n[pages.session]\ncoupon = "X"\n',
    )
    with pytest.raises(SiteError, match=r"sbl\.loader_src: .* is not a file inside the output"):
        build_site(site, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_loader_script_path_drops_query_and_fragment(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        '[sbl]\nmode = "external"\nloader_src = "/js/loader.js?v=2#x"\n'
        '[[pages]]\npath = "a.html"\ntitle = "A"\n[pages.session]\ncoupon = "X"\n',
    )
    build_site(site, tmp_path / "out")
    assert set(built_files(tmp_path / "out")) == {"a.html", "js/loader.js"}


def test_a_page_where_a_static_file_or_the_loader_goes_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "static/x.html"\ntitle = "A"\n')
    (site / "static").mkdir()
    (site / "static" / "x.html").write_text("mine")
    with pytest.raises(SiteError, match=r"pages\[0\]\.path: 'static/x\.html' is also a static"):
        build_site(site, tmp_path / "out")
    (tmp_path / "l").mkdir()
    loader = make_site(
        tmp_path / "l",
        '[sbl]\nmode = "external"\nloader_src = "/js/l.html"\n'
        '[[pages]]\npath = "js/l.html"\ntitle = "A"\n',
    )
    with pytest.raises(SiteError, match=r"'js/l\.html' is also the loader script"):
        build_site(loader, tmp_path / "out")
    assert not (tmp_path / "out").exists()
