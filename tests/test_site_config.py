"""site.toml: the models, load_site's checks and messages, each page's session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.cli import main
from sblgen.site import build_site, load_site, page_sessions
from tests.sites import DEMO, make_site


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
        ('[[pages]]\npath = "a.html"\ntitle = "A"\nbogus = 1\n', "pages[0].bogus: unknown field"),
        ("[[pages]\n", "not valid TOML"),
    ],
)
def test_site_toml_errors_name_file_key_and_fix(tmp_path: Path, pages: str, message: str) -> None:
    site = make_site(tmp_path, pages)
    with pytest.raises(SiteError) as exc:
        build_site(site, tmp_path / "out")
    assert str(site / "site.toml") in str(exc.value) or "missing.html" in message
    assert message in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_bad_sbl_options_and_live_plaintext(tmp_path: Path) -> None:
    site = make_site(
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


def _pages(*paths: str) -> str:
    return "".join(f'[[pages]]\npath = "{p}"\ntitle = "T{i}"\n' for i, p in enumerate(paths))


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (("a.html", "./a.html"), "pages[1].path: './a.html' is also written by pages[0] (as "),
        (("d/a.html", "d//a.html"), "pages[1].path: 'd//a.html' is also written by pages[0]"),
        (("d/./a.html", "d/a.html"), "pages[1].path: 'd/a.html' is also written by pages[0]"),
        (("A.html", "a.html"), "pages[1].path: 'a.html' is also written by pages[0] (as 'A.html'"),
        (("caf\u00e9.html", "cafe\u0301.html"), "is also written by pages[0]"),  # NFC, NFD
        (("a.html", "a.html/b.html"), "'a.html/b.html' needs a folder where pages[0] writes"),
        (("x/a.html/b.html", "x/A.html"), "'x/A.html' is a folder of pages[0]"),
    ],
)
def test_paths_that_name_one_file_are_refused(
    tmp_path: Path, paths: tuple[str, ...], message: str
) -> None:
    site = make_site(tmp_path, _pages(*paths))
    with pytest.raises(SiteError) as err:
        build_site(site, tmp_path / "out")
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_a_localized_variant_and_a_page_that_name_one_file(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        '[[pages]]\npath = "p/de-DE.html"\ntitle = "A"\n'
        '[[pages]]\npath = "p/{language}-{country}.html"\ntitle = "B"\n'
        '[pages.localize]\nlanguages = ["en", "de"]\ncountries = ["DE"]\n',
    )
    with pytest.raises(SiteError, match=r"pages\[1\]\.path: 'p/de-DE\.html' is also written by "):
        load_site(site)


def test_distinct_paths_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, _pages("a.html", "b/a.html", "b.html", "ab.html", "a/b/c.html"))
    assert build_site(site, tmp_path / "out").pages == 5


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\\u0000.html", "U+0000"),
        ("a\\u001b[31m.html", "U+001B"),
        ("a\\u007f.html", "U+007F"),
        ("d\\\\a.html", "a backslash"),
    ],
)
@pytest.mark.parametrize("key", ["path", "template"])
def test_file_names_with_control_characters_are_refused(
    tmp_path: Path, key: str, value: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = 'template = "page.html"' if key == "path" else 'path = "a.html"'
    site = make_site(tmp_path, f'[[pages]]\n{key} = "{value}"\n{other}\ntitle = "A"\n')
    with pytest.raises(SiteError, match=rf"pages\[0\]\.{key}: .* holds .*{re.escape(shown)}"):
        load_site(site)
    assert main(["site", "build", str(site), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and shown in err and "Traceback" not in err


def test_site_toml_that_is_not_utf8_or_not_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.toml").write_bytes(b'[site]\ntitle = "Caf\xe9"\n')  # Latin-1
    with pytest.raises(SiteError, match=r"site\.toml: not UTF-8 text \(byte 0xe9 at offset 19\)"):
        load_site(site)
    assert main(["site", "build", str(site), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not UTF-8" in err
    (site / "site.toml").unlink()
    (site / "site.toml").mkdir()
    with pytest.raises(SiteError, match=r"site\.toml: is a folder"):
        load_site(site)


def test_site_toml_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    (site / "site.toml").write_bytes(b"\xef\xbb\xbf" + (site / "site.toml").read_bytes())
    assert load_site(site).config.pages[0].title == "A"


def test_site_toml_nested_too_deeply(tmp_path: Path) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    depth = 5000
    (site / "site.toml").write_text(
        (site / "site.toml").read_text() + "data = " + "[" * depth + "]" * depth + "\n"
    )
    with pytest.raises(SiteError, match=r"nested too deeply|not valid TOML"):
        load_site(site)


def test_one_problem_is_one_line_and_more_are_listed(tmp_path: Path) -> None:
    one = make_site(tmp_path, '[[pages]]\npath = "a.html"\n')
    with pytest.raises(SiteError) as err:
        load_site(one)
    assert str(err.value) == f"{one / 'site.toml'}: pages[0].title: Field required"
    (tmp_path / "two").mkdir()
    two = make_site(tmp_path / "two", '[[pages]]\npath = "../a.html"\n')
    with pytest.raises(SiteError) as err:
        load_site(two)
    lines = str(err.value).splitlines()
    assert lines[0].endswith("site.toml: 2 problem(s):") and len(lines) == 3
