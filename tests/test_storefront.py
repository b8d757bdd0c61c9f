"""Storefront parsing and normalisation."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from sblgen import Storefront, StorefrontError


@pytest.mark.parametrize(
    "text",
    [
        "acme.test.onfastspring.com/popup-acme",
        "https://acme.test.onfastspring.com/popup-acme",
        "https://acme.test.onfastspring.com/popup-acme/",
        "HTTPS://ACME.Test.OnFastSpring.com/popup-acme",
        "http://acme.test.onfastspring.com/popup-acme/",
        "  acme.test.onfastspring.com/popup-acme\n",
    ],
)
def test_forms_sellers_paste(text: str) -> None:
    sf = Storefront.parse(text)
    assert sf.value == "acme.test.onfastspring.com/popup-acme"
    assert sf.is_test
    assert sf.store_id == "acme"
    assert sf.host == "acme.test.onfastspring.com"
    assert str(sf) == sf.value


@pytest.mark.parametrize(
    ("text", "kind", "test"),
    [
        ("acme.onfastspring.com/popup-acme", "popup", False),
        ("acme.onfastspring.com/pinhole-x", "popup", False),
        ("acme.test.onfastspring.com/embedded-acme", "embedded", True),
        ("acme.onfastspring.com/inapp", "inapp", False),
        ("acme.onfastspring.com/acme", "web", False),
        ("acme.onfastspring.com", "web", False),
    ],
)
def test_checkout_type_and_mode(text: str, kind: str, test: bool) -> None:
    sf = Storefront.parse(text)
    assert (sf.checkout_type, sf.is_test) == (kind, test)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "acme.example.com/popup-acme",
        "acme.onfastspring.com.evil.com/popup",
        "acme.onfastspring.com/popup acme",
        "acme.onfastspring.com/a/b",
        'acme.onfastspring.com/"><script>',
        "ftp://acme.onfastspring.com/popup-acme",
        "-acme.onfastspring.com",
        "acme.live.onfastspring.com/popup",
    ],
)
def test_rejects(text: str) -> None:
    with pytest.raises(StorefrontError, match="not a FastSpring storefront"):
        Storefront.parse(text)


def test_rejects_non_string() -> None:
    with pytest.raises(StorefrontError, match="must be a string"):
        Storefront.parse(42)  # type: ignore[arg-type]


def test_session_url() -> None:
    sf = Storefront.parse("acme.test.onfastspring.com/popup-acme")
    assert sf.session_url("Xy12AbCdEf34GhIj") == (
        "https://acme.test.onfastspring.com/popup-acme/session/Xy12AbCdEf34GhIj"
    )
    with pytest.raises(StorefrontError):
        sf.session_url("../x y")
    with pytest.raises(StorefrontError, match="plain 'open checkout'"):
        sf.session_url("tooShort")


def test_session_url_keeps_the_storefront_path_for_every_type() -> None:
    """The SBL opens ``https://<data-storefront>/session/<id>``: host and path."""
    sid = "Xy12AbCdEf34GhIj"
    for value, url in [
        ("acme.onfastspring.com/popup-acme", "https://acme.onfastspring.com/popup-acme"),
        ("acme.onfastspring.com/acme", "https://acme.onfastspring.com/acme"),
        (
            "acme.test.onfastspring.com/embedded-acme",
            "https://acme.test.onfastspring.com/embedded-acme",
        ),
        ("acme.onfastspring.com", "https://acme.onfastspring.com"),
    ]:
        assert Storefront.parse(value).session_url(sid) == f"{url}/session/{sid}"


def test_pydantic_field() -> None:
    class M(BaseModel):
        storefront: Storefront

    m = M.model_validate({"storefront": "https://acme.onfastspring.com/popup-acme/"})
    assert m.storefront == Storefront.parse("acme.onfastspring.com/popup-acme")
    assert m.model_dump(mode="json") == {"storefront": "acme.onfastspring.com/popup-acme"}
    with pytest.raises(ValueError, match="not a FastSpring storefront"):
        M.model_validate({"storefront": "nope"})
