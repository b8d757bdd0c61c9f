"""Hostile text from a sweep of every surface: each case was a traceback, a crash after
validation, a lost key or raw control characters on a terminal; each is now refused where it
enters, with one line naming the field, or written safely."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from pydantic import ValidationError

from sblgen import (
    PrivateKey,
    SblOptions,
    SecurePayload,
    SecureRequest,
    Session,
    button,
    buttons,
    encrypt,
    push,
    script_tag,
    secure,
    session_init,
)
from sblgen.api import v2_path
from sblgen.api.v2 import CheckoutPath
from sblgen.cli import main
from sblgen.errors import ApiError, RenderError, WebhookPayloadError
from sblgen.events import parse as parse_events
from sblgen.helpers import SblHelpers
from tests.keys import KEYS

SHOP = "acme.test.onfastspring.com/popup-acme"
LONE = "\ud800"


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


# ------------------------------------------------------------------ lone surrogates


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"paymentContact": {"firstName": "Ann" + LONE}}, "paymentContact.firstName"),
        ({"recipient": {"address": {"city": LONE}}}, "recipient.address.city"),
        ({"postalCode": LONE}, "postalCode"),
        ({"tags": {"k": LONE}}, "tags"),
        ({"tags": {LONE: "v"}}, "tags"),
        ({"secure": {"payload": {"items": [{"x": LONE}]}, "key": ""}}, "secure.payload"),
    ],
)
def test_lone_surrogates_are_refused_when_validated(data: dict[str, Any], where: str) -> None:
    """They used to pass validation and crash when rendered."""
    with pytest.raises(ValidationError) as caught:
        Session.model_validate(data)
    assert "lone surrogate" in str(caught.value)
    loc = ".".join(str(p) for p in caught.value.errors()[0]["loc"])
    assert loc.replace("_", "").lower().startswith(where.replace("_", "").lower()), loc


@pytest.mark.parametrize(
    "data",
    [
        {"contact": {"email": "a@example.com", "firstName": LONE, "lastName": "B"}},
        {"items": [{"product": "p", "display": {"en": LONE}}]},
        {"items": [{"product": "p", "description": {"summary": {LONE: "x"}}}]},
        {"items": [{"product": "p", "sku": LONE}]},
        {"taxId": "DE" + LONE},
    ],
)
def test_lone_surrogates_never_reach_encrypt(data: dict[str, Any]) -> None:
    """They used to pass validation and crash inside encrypt()."""
    with pytest.raises(ValidationError, match="lone surrogate"):
        SecurePayload.model_validate(data)
    key = PrivateKey.from_file(KEYS / "test-privatekey.pem")
    with pytest.raises(ValidationError, match="lone surrogate"):
        encrypt(data, key)


def test_valid_unicode_still_renders() -> None:
    session = Session.model_validate(
        {"paymentContact": {"firstName": "Zoë 😀"}, "tags": {"ключ": "значение"}}
    )
    assert "Zoë 😀" in session_init(session)


# ------------------------------------------------------------------ what HTML cannot carry


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", LONE])
def test_access_key_follows_the_markup_rule(char: str) -> None:
    """A NUL was refused in labels but written into data-access-key="..."."""
    with pytest.raises(ValidationError, match="access_key") as caught:
        SblOptions(storefront=SHOP, access_key=f"KEY{char}")
    message = str(caught.value)
    assert "the access key contains" in message or "valid string" in message  # (surrogate)


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x1f", "\x9b", LONE])
def test_labels_and_attributes_follow_the_markup_rule(char: str) -> None:
    with pytest.raises(RenderError, match="A button label"):
        button(f"Buy{char}", product="p")
    with pytest.raises(RenderError, match="css_class"):
        button("Buy", product="p", css_class=f"x{char}")
    with pytest.raises(RenderError, match="quantity_src"):
        button("Buy", product="p", quantity_src=f"#q{char}")
    assert "Buy\tnow\r\nplease" in button("Buy\tnow\r\nplease", product="p")


# ------------------------------------------------------------------ buttons(label=...)


@pytest.mark.parametrize(
    "label",
    [
        "{path.__class__.__mro__}",
        "{0:>999999999}",
        "{quantity:,>{path}}",
        "{",
        "}",
        "{unknown}",
        "{{path}}",
        "{path!r}",
    ],
)
def test_buttons_label_is_a_template_of_two_placeholders(label: str) -> None:
    """str.format walked attributes, allocated what a format spec asked and raised on
    braces; now {path} and {quantity} are filled in and everything else is text."""
    session = Session.model_validate({"products": [{"path": "pro", "quantity": 2}]})
    html = str(buttons(session, label=label))
    expected = escape(label.replace("{path}", "pro").replace("{quantity}", "2"))
    assert html.endswith(f">{expected}</button>")
    assert len(html) < 500


def test_buttons_placeholders() -> None:
    session = Session.model_validate({"products": [{"path": "pro", "quantity": 3}]})
    assert ">3 x pro: pro</button>" in buttons(session, label="{quantity} x {path}: {path}")


# ------------------------------------------------------------------ __proto__ keys


PROTO: dict[str, Any] = {
    "payload": {
        "items": [
            {
                "product": "pro",
                "display": {"__proto__": "Pro plan"},
                "description": {"summary": {"__proto__": {"en": "nested"}}},
            }
        ],
        "__proto__": {"polluted": True},
    },
    "key": "",
}


@pytest.mark.parametrize(
    "data",
    [
        {"payload": {"__proto__": {"polluted": True}}, "key": ""},
        {"payload": {"items": [{"product": "p", "display": {"__proto__": "x"}}]}, "key": ""},
        {"payload": {"a": [{"b": {"__proto__": 1}}]}, "key": ""},
    ],
)
def test_proto_keys_are_refused_in_every_map(data: dict[str, Any]) -> None:
    """Like tag names: the SBL folds a test-mode payload into its request key by key, so a
    "__proto__" key would reach every object's prototype on the page (in either mode)."""
    with pytest.raises(ValidationError, match="'__proto__' cannot be a key"):
        SecureRequest.model_validate(data)
    for payload in (
        {"items": [{"product": "p", "display": {"__proto__": "x"}}]},
        {"items": [{"product": "p", "description": {"full": {"__proto__": "x"}}}]},
        {"items": [{"product": "p", "pricing": {"discountReason": {"__proto__": "x"}}}]},
    ):
        with pytest.raises(ValidationError, match="'__proto__' cannot be a key"):
            SecurePayload.model_validate(payload)


def test_inline_snippets_keep_proto_keys_as_keys() -> None:
    """Should one get past the models (model_construct), inline JSON still never uses a
    JavaScript literal's __proto__ semantics."""
    request = SecureRequest.model_construct(**PROTO)
    options = SblOptions(storefront=SHOP, access_key="KEY")
    for snippet in (
        secure(request, options=options),
        session_init(Session(secure=request), options=options),
        push(Session(secure=request), options=options),
    ):
        text = str(snippet)
        assert '"__proto__":' not in text  # a literal's prototype setter
        assert text.count('["__proto__"]:') == 3
    external = str(secure(request, options=options, mode="external"))
    body = external[external.index(">") + 1 : external.rindex("</script>")]
    assert json.loads(body) == request.to_dict()  # the JSON block keeps plain keys


def test_the_template_filter_refuses_proto_keys() -> None:
    with pytest.raises(RenderError, match='"__proto__" key'):
        SblHelpers.json({"a": {"__proto__": 1}})
    assert str(SblHelpers.json({"a": "__proto__"})) == '{"a": "__proto__"}'


# ------------------------------------------------------------------ the sbl_json filter


@pytest.mark.parametrize(
    "value",
    [
        {"a": '" autofocus onfocus="window.__pwned=1'},
        {"a": "' onfocus='x"},
        {"a": "</script><script>x</script>"},
        ['x" y="z', "a=b c"],
        '" onmouseover=alert(1) x="',
    ],
)
def test_sbl_json_has_nothing_that_can_start_markup(value: Any) -> None:
    text = str(SblHelpers.json(value))
    assert json.loads(text) == value
    inside = "".join(json.loads(f"[{json.dumps(text)}]"))  # the text, once
    for char in "<>&'= ":
        assert char not in inside.replace(", ", "").replace(": ", "")
    with pytest.raises(RenderError, match="lone surrogate"):
        SblHelpers.json({"a": LONE})


# ------------------------------------------------------------------ printed server text


def test_api_errors_escape_control_characters() -> None:
    err = ApiError("POST", "https://x.test/s", 400, None, "bad\x1b[2J\r\nfake: line\u202e")
    assert str(err) == "POST https://x.test/s -> HTTP 400: bad\\x1b[2J\\r\\nfake: line\\u202e"


def test_webhook_errors_escape_control_characters() -> None:
    body = json.dumps(
        {"events": [{"id": "e1\x1b[2J\nOK", "type": "order.completed", "data": {"total": "x"}}]}
    ).encode()
    with pytest.raises(WebhookPayloadError) as caught:
        parse_events(body)
    assert "\x1b" not in str(caught.value) and "\\x1b[2J\\nOK" in str(caught.value)


def test_webhook_verify_prints_event_types_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.dumps({"events": [{"id": "e1", "type": "a\x1b]0;owned\x07\nb"}]}).encode()
    (tmp_path / "body.json").write_bytes(body)
    signature = base64.b64encode(hmac.new(b"s", body, hashlib.sha256).digest()).decode()
    argv = ["webhook", "verify", "--secret", "s", "--signature", signature]
    assert main([*argv, str(tmp_path / "body.json")]) == 0
    out = capsys.readouterr().out
    assert out == "valid: 1 event(s): a\\x1b]0;owned\\x07\\nb\n"


def test_an_empty_secret_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was reported as an invalid signature (exit 1), as if the body were forged."""
    (tmp_path / "body.json").write_bytes(b'{"events": []}')
    body = str(tmp_path / "body.json")
    assert main(["webhook", "verify", "--secret", "", "--signature", "eA==", body]) == 2
    assert _one_line(capsys) == (
        "sblgen: --secret: the webhook secret is empty; give the secret set in FastSpring."
    )
    monkeypatch.setenv("EMPTY_SECRET", "")
    argv = ["webhook", "verify", "--secret-env", "EMPTY_SECRET", "--signature", "eA==", body]
    assert main(argv) == 2
    assert "--secret-env EMPTY_SECRET: the webhook secret is empty" in _one_line(capsys)


# ------------------------------------------------------------------ v2 ids on the command line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["get", "--checkout", "acme/popup-acme", ""], "'' is not a v2 session id"),
        (["get", "--checkout", "acme/popup-acme", ".."], "'..' is not a v2 session id"),
        (["get", "--checkout", "acme/popup-acme", "S\udcff"], "v2 session id 'S\\udcff'"),
        (["remove-item", "--checkout", "acme/popup-acme", "SID123456789", ""], "product path"),
        (
            ["remove-item", "--checkout", "acme/popup-acme", "SID123456789", "\udcfe"],
            "The product path '\\udcfe' contains a lone surrogate",
        ),
        (["get", "--checkout", "acme/\udcff", "SID123456789"], "The checkout path"),
        (["get", "--checkout", "a/b/c", "SID123456789"], "is not a checkout path"),
    ],
)
def test_odd_v2_ids_are_one_line_errors(
    argv: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", "u")
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", "p")
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", "http://127.0.0.1:9")  # never reached
    assert main(["api", "v2", *argv]) == 2
    assert message in _one_line(capsys)


def test_url_segments_and_checkout_paths_refuse_lone_surrogates() -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        v2_path.url_segment("a\udc80", "v2 session id")
    with pytest.raises(ValueError, match="lone surrogate"):
        CheckoutPath.parse("acme/\udc80")


def test_script_tag_still_takes_a_plain_access_key() -> None:
    tag = script_tag(SblOptions(storefront=SHOP, access_key="K-1_x/y+z="))
    assert 'data-access-key="K-1_x/y+z="' in tag
