"""``sblgen site init`` (a starter site from the package) and ``sblgen starter`` (the
framework starter templates shipped in the package); every starter renders."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from sblgen import SblOptions, Session
from sblgen.cli import main
from sblgen.integrations.jinja import install
from sblgen.site import build_site
from tests.sites import ROOT, built_files

PACKAGE = ROOT / "sblgen"
THEME = PACKAGE / "templates" / "site"
STARTERS = PACKAGE / "starters"


def _init(folder: Path, *extra: str) -> int:
    return main(["site", "init", str(folder), *extra])


def test_init_writes_a_site_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "shop"
    assert _init(site) == 0
    out = capsys.readouterr().out
    assert f"sblgen site build {site} --out {site / '_build'}" in out
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    theme = sorted(f"templates/{p.name}" for p in THEME.iterdir())
    assert files == sorted(["site.toml", "static/favicon.svg", *theme])
    # The theme's copies are the package's theme, byte for byte (one source: the package).
    for name in theme:
        assert (site / name).read_bytes() == (THEME / name.removeprefix("templates/")).read_bytes()
    assert main(["site", "build", str(site), "--out", str(site / "_build")]) == 0
    assert "built 5 pages" in capsys.readouterr().out
    pages = built_files(site / "_build")
    assert set(pages) == {
        "index.html",
        "pricing.html",
        "terms.html",
        "privacy.html",
        "refunds.html",
        "static/favicon.svg",
    }
    index = pages["index.html"]
    assert 'href="terms.html"' in index and 'href="pricing.html"' in index
    assert 'data-fsc-item-path-value="widget-pro"' in index
    assert '<link rel="icon" href="static/favicon.svg">' in index
    # Without its templates/ the site looks the same: the fallback is the same theme.
    for name in theme:
        (site / name).unlink()
    (site / "templates").rmdir()
    build_site(site, tmp_path / "fallback")
    assert built_files(tmp_path / "fallback") == pages


def test_init_into_a_new_nested_or_empty_folder(tmp_path: Path) -> None:
    assert _init(tmp_path / "a" / "b") == 0
    assert (tmp_path / "a" / "b" / "site.toml").is_file()
    (tmp_path / "empty").mkdir()
    assert _init(tmp_path / "empty") == 0


def test_init_refuses_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "shop"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    assert _init(site) == 2
    err = capsys.readouterr().err
    assert err == (
        f"sblgen: {site}: not empty; give a new folder, or pass --force to add the starter's "
        "files to it (they replace files of the same name).\n"
    )
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]
    # --force adds the starter and leaves the rest alone.
    (site / "site.toml").write_text("old")
    assert _init(site, "--force") == 0
    assert (site / "notes.txt").read_text() == "mine"
    assert (site / "site.toml").read_text().startswith("# Your store's landing pages")


@pytest.mark.parametrize("kind", ["file", "link"])
def test_init_refuses_what_is_not_a_plain_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "shop"
    if kind == "file":
        target.write_text("x")
    else:
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    assert _init(target, "--force") == 2
    assert capsys.readouterr().err == (
        f"sblgen: {target}: not a folder; give a new or empty folder for the site.\n"
    )
    assert not (tmp_path / "elsewhere" / "site.toml").exists()


def test_init_force_never_writes_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "shop"
    site.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "templates").symlink_to(outside)
    assert _init(site, "--force") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sblgen: {site / 'templates'}: a symbolic link;")
    assert err.count("\n") == 1
    assert os.listdir(outside) == [] and not (site / "site.toml").exists()


def test_starter_lists_and_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["starter"]) == 0
    listed = capsys.readouterr().out.split()
    assert {"flask", "django", "embed"} <= set(listed)
    for name, path in [
        ("flask", "flask/checkout.html"),
        ("django", "django/checkout.html"),
        ("embed", "embed/snippet.html"),
    ]:
        assert main(["starter", name]) == 0
        assert capsys.readouterr().out == (STARTERS / path).read_text(encoding="utf-8")
    assert main(["starter", "wordpress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sblgen: NAME 'wordpress' is no starter; use one of flask, django")
    assert err.count("\n") == 1


def test_every_starter_template_renders() -> None:
    """The Jinja2 starters render with install(); the Django one is rendered by
    tests/test_integrations_django.py, the site theme by the builds above."""
    session = Session.model_validate({"products": [{"path": "x", "quantity": 1}]})
    options = SblOptions(storefront="t.test.onfastspring.com/popup-t")
    rendered = 0
    for folder in ("flask", "embed"):
        env = install(
            jinja2.Environment(
                loader=jinja2.FileSystemLoader(STARTERS / folder),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
            ),
            options=options,
        )
        for path in (STARTERS / folder).glob("*.html"):
            html = env.get_template(path.name).render(session=session, title="T")
            assert 'id="fsc-api"' in html and 'data-fsc-item-path-value="x"' in html
            rendered += 1
    assert rendered == 2
