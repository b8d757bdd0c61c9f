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
    assert result.pages == len(files) == 11
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
