"""SblOptions, markup actions and the nonce rule: validation and the tag's data attributes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from sblgen import RenderError, SblOptions, Storefront
from sblgen import render as render_module
from sblgen.options import ACTIONS, check_nonce, coerce_options
from tests.render_cases import ALL_OPTIONS, TEST_SHOP


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " javascript:x", "JAVASCRIPT:x", "data:text/js,x", "a b", "\x00x"],
)
def test_script_urls_are_urls(url: str) -> None:
    for field in ("src", "loader_src"):
        with pytest.raises(ValueError, match="is not a script URL"):
            SblOptions.model_validate({"storefront": TEST_SHOP, field: url})


@pytest.mark.parametrize(
    "url",
    ["https://cdn.example.com/sbl.js", "HTTP://x/y.js", "//cdn.example/x.js", "/s/l.js", "l.js"],
)
def test_script_urls_accepted(url: str) -> None:
    assert SblOptions(storefront=TEST_SHOP, src=url, loader_src=url).script_src == url


def test_options_validation() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not a JavaScript function name"):
        SblOptions(storefront=TEST_SHOP, popup_closed="alert(1)")
    with pytest.raises(ValidationError, match="not an SBL version"):
        SblOptions(storefront=TEST_SHOP, version="latest")
    with pytest.raises(ValidationError, match="not a FastSpring storefront"):
        SblOptions(storefront="example.com")


@pytest.mark.parametrize("nonce", ["", "a b", '"><script>', "x" * 300])
def test_check_nonce_refuses_what_cannot_be_a_nonce(nonce: str) -> None:
    with pytest.raises(RenderError, match="not a CSP nonce"):
        check_nonce(nonce)


def test_check_nonce_passes_tokens_and_none() -> None:
    assert check_nonce("r4nd0m+/=") == "r4nd0m+/="
    assert check_nonce(None) is None


def test_data_attributes_follow_the_documented_order() -> None:
    names = [name for name, _ in ALL_OPTIONS.data_attributes()]
    assert names[:5] == [
        "data-storefront",
        "data-access-key",
        "data-continuous",
        "data-debug",
        "data-animate-fader",
    ]
    assert names[5:] == [
        f"data-{field.replace('_', '-')}"
        for field in SblOptions.model_fields
        if field.endswith("_callback") or field.startswith("popup_")
    ]


def test_options_are_frozen_and_hashable_by_value() -> None:
    same = ALL_OPTIONS.model_copy()
    assert same == ALL_OPTIONS and same is not ALL_OPTIONS
    assert hash(same) == hash(ALL_OPTIONS)
    with pytest.raises(ValidationError, match="frozen"):
        ALL_OPTIONS.debug = False  # type: ignore[misc]


def test_coerce_options() -> None:
    assert coerce_options(ALL_OPTIONS) is ALL_OPTIONS
    assert coerce_options(TEST_SHOP) == SblOptions(storefront=TEST_SHOP)
    assert coerce_options(Storefront.parse(TEST_SHOP)) == SblOptions(storefront=TEST_SHOP)


def test_render_re_exports_the_options_model() -> None:
    """``from sblgen.render import SblOptions`` keeps working."""
    assert render_module.SblOptions is SblOptions
    assert render_module.ACTIONS is ACTIONS


def test_options_is_a_pure_model_module() -> None:
    """Importing the options model loads nothing that renders."""
    code = (
        "import sys, sblgen.options; "
        "print(','.join(m for m in ('jinja2', 'markupsafe', 'sblgen.render') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
