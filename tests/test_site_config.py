"""site.toml: the models, load_site's checks and messages, each page's session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen import SiteError
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
