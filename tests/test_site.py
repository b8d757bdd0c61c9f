"""Static site generator: demo_site golden output, site.toml errors, atomic builds."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.cli import main
from sblgen.site import BUILD_MARKER, build_site, load_site, page_sessions
from tests.conftest import Golden

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo_site"


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != BUILD_MARKER
    }


def test_demo_site_golden(tmp_path: Path, golden: Golden) -> None:
    result = build_site(DEMO, tmp_path / "out")
    files = _files(tmp_path / "out")
    assert result.pages == len(files) == 11
    for name, text in files.items():
        golden(f"demo_site/{name}", text)


def test_demo_pages_cover_the_store() -> None:
    sessions = page_sessions(DEMO)
    assert sessions["spring-sale.html"] is not None
    assert sessions["spring-sale.html"].coupon == "SPRING20"
    gift = sessions["gift.html"]
    assert gift is not None and gift.recipient is not None
    invoice = sessions["invoice.html"]
    assert invoice is not None and invoice.invoice_due_date is not None
    assert invoice.invoice_due_date.isoformat() == "2026-12-24"  # 30 days after TODAY
    assert sessions["your-cart.html"] is not None
    assert sessions["your-cart.html"].checkout == "DemoSessionId0001"
    secure = sessions["secure.html"]
    assert secure is not None and secure.secure is not None and secure.secure.is_plaintext
    assert sessions["de-DE/index.html"] is not None
    assert sessions["de-DE/index.html"].language == "de"
    assert sessions["pricing.html"] is None


def test_build_is_deterministic(tmp_path: Path) -> None:
    build_site(DEMO, tmp_path / "a")
    build_site(DEMO, tmp_path / "b", workers=2)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_parallel_build_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sblgen.site

    site = _site(tmp_path, PAGES_MANY)
    build_site(site, tmp_path / "serial", workers=1)
    monkeypatch.setattr(sblgen.site, "_PARALLEL_THRESHOLD", 10)
    build_site(site, tmp_path / "parallel", workers=2)
    assert _files(tmp_path / "serial") == _files(tmp_path / "parallel")
    assert len(_files(tmp_path / "parallel")) == 40


PAGES_MANY = """
[[pages]]
path = "p/{language}-{country}.html"
title = "Many"
[pages.localize]
languages = ["en", "de", "fr", "es", "it"]
countries = ["US", "DE", "FR", "ES", "IT", "GB", "NL", "SE"]
[pages.session]
products = [{ path = "x", quantity = 1 }]
"""

HEADER = """
[site]
title = "T"
storefront = "t.test.onfastspring.com/popup-t"
[catalog.x]
name = "X"
"""


def _site(tmp_path: Path, pages: str, templates: dict[str, str] | None = None) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "site.toml").write_text(HEADER + textwrap.dedent(pages))
    for name, text in (templates or {}).items():
        path = site / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ('[[pages]]\npath = "a.html"\n', "pages[0].title: Field required"),
        (
            '[[pages]]\npath = "../x.html"\ntitle = "A"\n',
            "pages[0].path: '../x.html' must be a relative path",
        ),
        (
            '[[pages]]\npath = "a.html"\ntitle = "A"\nproducts = ["nope"]\n',
            "pages[0].products: 'nope' is not in [catalog]",
        ),
        (
            '[[pages]]\npath = "a.html"\ntitle = "A"\n[pages.session]\ncoupon = "a b"\n',
            "pages[0].session.coupon: 'a b' is not a coupon code",
        ),
        (
            '[[pages]]\npath = "a.html"\ntitle = "A"\n[[pages]]\npath = "a.html"\ntitle = "B"\n',
            "pages[1].path: 'a.html' is also written by pages[0]",
        ),
        (
            '[[pages]]\npath = "a.html"\ntitle = "A"\ntemplate = "missing.html"\n',
            "pages[0].template: 'missing.html' is neither",
        ),
        ('[[pages]]\npath = "a.html"\ntitle = "A"\nbogus = 1\n', "pages[0].bogus: Extra inputs"),
        ("[[pages]\n", "not valid TOML"),
    ],
)
def test_site_toml_errors_name_file_key_and_fix(tmp_path: Path, pages: str, message: str) -> None:
    site = _site(tmp_path, pages)
    with pytest.raises(SiteError) as exc:
        build_site(site, tmp_path / "out")
    assert str(site / "site.toml") in str(exc.value) or "missing.html" in message
    assert message in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_bad_sbl_options_and_live_plaintext(tmp_path: Path) -> None:
    site = _site(
        tmp_path, '[sbl]\npopup_closed = "alert(1)"\n[[pages]]\npath = "a.html"\ntitle = "A"\n'
    )
    with pytest.raises(SiteError, match=r"sbl\.popup_closed: 'alert\(1\)' is not a JavaScript"):
        load_site(site)
    live = tmp_path / "live"
    live.mkdir()
    (live / "site.toml").write_text(
        '[site]\ntitle = "T"\nstorefront = "t.onfastspring.com/popup-t"\n[sbl]\naccess_key = "K"\n'
        '[[pages]]\npath = "a.html"\ntitle = "A"\n[pages.secure_test_payload]\ncoupon = "X"\n'
    )
    with pytest.raises(SiteError, match="only work on a test storefront"):
        build_site(live, tmp_path / "out")


def test_template_errors_report_file_and_line(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\ntemplate = "mine.html"\n',
        {"mine.html": "line one\n{% if %}\n"},
    )
    with pytest.raises(SiteError, match=r"mine\.html:2: "):
        build_site(site, tmp_path / "out")
    (site / "templates" / "mine.html").write_text("ok\n{{ nope.attr }}\n")
    with pytest.raises(SiteError, match=r"mine\.html:2 \(page 'a\.html'\): 'nope' is undefined"):
        build_site(site, tmp_path / "out")

    cases = {  # template text -> what the error says after "mine.html:2 (page 'a.html'): "
        "{{ 1 / 0 }}": "ZeroDivisionError: division by zero",
        '{% include "missing.html" %}': "'missing.html' is neither in ",
        "{{ sbl_push(1) }}": r"invalid value: \(top level\): Input should be a valid dict",
        '{{ sbl_button("Add") }}': "Action Add needs product=",
    }
    for text, message in cases.items():
        (site / "templates" / "mine.html").write_text(f"ok\n{text}\n")
        with pytest.raises(SiteError, match=rf"mine\.html:2 \(page 'a\.html'\): {message}"):
            build_site(site, tmp_path / "out")
    (site / "templates" / "mine.html").write_text('ok\n{% include "part.html" %}\n')
    (site / "templates" / "part.html").write_text("{{ x( }}")
    with pytest.raises(SiteError, match=r"part\.html:1: "):  # the included file's own line
        build_site(site, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\n[[pages]]\npath = "b.html"\ntitle = "B"\n'
        'template = "fragile.html"\n',
        {"fragile.html": "{% extends 'page.html' %}"},
    )
    out = tmp_path / "out"
    build_site(site, out)
    before = _files(out)
    (site / "templates" / "fragile.html").write_text("{{ page.title }}{{ undefined_thing }}")
    with pytest.raises(SiteError):
        build_site(site, out)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_never_replaces_a_folder_it_did_not_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match=r"not built by sblgen .*\(notes\.txt\).*--force"):
        build_site(site, mine)
    assert main(["site", "build", str(site), "--out", str(mine)]) == 2
    assert "not built by sblgen" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "site"]  # no temp left
    (tmp_path / "empty").mkdir()
    build_site(site, tmp_path / "empty")  # an empty folder is fine
    build_site(site, tmp_path / "empty")  # and so is an earlier build (it has the marker)
    assert (tmp_path / "empty" / BUILD_MARKER).is_file()
    (tmp_path / "empty" / BUILD_MARKER).unlink()  # an output made before the marker existed:
    build_site(site, tmp_path / "empty")  # every file in it is rebuilt, so nothing is lost
    (tmp_path / "empty" / BUILD_MARKER).unlink()
    (tmp_path / "empty" / "sub").mkdir()
    (tmp_path / "empty" / "sub" / "x.html").write_text("mine")
    with pytest.raises(SiteError, match=r"\(sub/x\.html\)"):
        build_site(site, tmp_path / "empty")
    (tmp_path / "empty" / "sub" / "x.html").unlink()
    (tmp_path / "empty" / "sub").rmdir()
    (tmp_path / "empty" / "link").symlink_to(mine, target_is_directory=True)
    with pytest.raises(SiteError, match=r"\(link\)"):  # a symlink is never followed
        build_site(site, tmp_path / "empty")
    assert (mine / "notes.txt").exists()
    assert main(["site", "build", str(site), "--out", str(mine), "--force"]) == 0
    assert not (mine / "notes.txt").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        build_site(site, tmp_path / "file")


def test_site_static_and_external_loader(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        '[sbl]\nmode = "external"\n[[pages]]\npath = "a.html"\ntitle = "A"\n'
        '[pages.session]\ncoupon = "X"\n',
    )
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    build_site(site, tmp_path / "out")
    files = _files(tmp_path / "out")
    assert files["static/logo.svg"] == "<svg/>"
    assert "sblgen loader" in files["static/sblgen/sbl-loader.js"]
    assert "<script>" not in files["a.html"]


def test_cli_site_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "build", str(DEMO), "--out", str(tmp_path / "x")]) == 0
    assert "built 11 pages" in capsys.readouterr().out
    assert main(["site", "build", str(tmp_path / "missing"), "--out", str(tmp_path / "y")]) == 2
    assert "site.toml: not found" in capsys.readouterr().err


def test_output_must_not_be_the_site(tmp_path: Path) -> None:
    site = _site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    with pytest.raises(SiteError, match="must not be the site folder"):
        build_site(site, site)
    assert (site / "site.toml").exists()


def test_starter_theme_copies_do_not_drift() -> None:
    for copy in (ROOT / "templates" / "site").iterdir():
        shipped = ROOT / "sblgen" / "templates" / "site" / copy.name
        assert copy.read_text() == shipped.read_text(), f"{copy} differs from {shipped}"


def test_every_top_level_template_renders(tmp_path: Path) -> None:
    import jinja2

    from sblgen import SblOptions, Session
    from sblgen.integrations.jinja import install

    session = Session.model_validate({"products": [{"path": "x", "quantity": 1}]})
    options = SblOptions(storefront="t.test.onfastspring.com/popup-t")
    rendered = 0
    for folder in ("flask", "embed"):
        env = install(
            jinja2.Environment(
                loader=jinja2.FileSystemLoader(ROOT / "templates" / folder),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
            ),
            options=options,
        )
        for path in (ROOT / "templates" / folder).glob("*.html"):
            html = env.get_template(path.name).render(session=session, title="T")
            assert 'id="fsc-api"' in html and 'data-fsc-item-path-value="x"' in html
            rendered += 1
    # The site theme is rendered by a site build that uses the top-level copies.
    site = _site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\nproducts = ["x"]\n'
        '[[pages]]\npath = "b.html"\ntitle = "B"\ntemplate = "pricing.html"\nproducts = ["x"]\n',
    )
    shutil.copytree(ROOT / "templates" / "site", site / "templates")
    build_site(site, tmp_path / "out")
    assert rendered == 2
    # templates/django is rendered by tests/test_integrations_django.py.
    shutil.rmtree(site / "templates")
