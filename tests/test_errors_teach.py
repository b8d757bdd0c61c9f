"""Errors that teach: an unknown field says which one was meant, on every path (Python
models, the builder, CLI files, ``site.toml``, Django and Flask settings); CLI messages name
flags, not Python parameters; an API error quotes an unexpected body, sanitised; Django's
``manage.py check`` validates ``SBLGEN``; a missing extra says what to install."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

import tests.test_integrations_django  # noqa: F401  (configures Django once for the session)
from sblgen import CheckoutBuilder, ConfigurationError, SblOptions, Session, SiteError
from sblgen._model import (
    StrictModel,
    error_lines,
    explain_unknown_fields,
    unknown_field_message,
)
from sblgen.api.models import SessionRequest
from sblgen.cli import main
from sblgen.contact import PaymentContact
from sblgen.errors import ApiError, UnexpectedResponseError
from sblgen.payload import SecurePayload
from sblgen.site import load_site
from sblgen.testing import PASSWORD, USERNAME

ROOT = Path(__file__).resolve().parent.parent
KEYS = Path(__file__).parent / "data" / "keys"
STOREFRONT = "acme.test.onfastspring.com/popup-acme"
#: What no message may say: pydantic's own words, its URL, Python call syntax.
PYDANTIC_NOISE = re.compile(r"Extra inputs are not permitted|errors\.pydantic\.dev")
PYTHON_SPEAK = re.compile(r"\b\w+=(?:\.\.\.|True|None)|SblOptions\(|give its password|\w+=\s")


def _lines(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error_lines(err.value)


# ----------------------------------------------------------------- did you mean: Python


def test_a_model_says_which_field_was_meant() -> None:
    with pytest.raises(ValidationError) as exc:
        Session(countyr="US")  # type: ignore[call-arg]
    assert _lines(exc) == ["countyr: unknown field; did you mean 'country'?"]
    text = str(exc.value)
    assert "countyr\n  unknown field; did you mean 'country'?" in text
    assert not PYDANTIC_NOISE.search(text), text


def test_a_nested_field_is_looked_up_in_its_own_model() -> None:
    with pytest.raises(ValidationError) as exc:
        Session.model_validate({"paymentContact": {"emial": "ann@example.com"}})
    assert _lines(exc) == ["paymentContact.emial: unknown field; did you mean 'email'?"]
    with pytest.raises(ValidationError) as exc:
        Session.model_validate({"products": [{"path": "a"}, {"pth": "b"}]})
    assert "products.1.pth: unknown field; did you mean 'path'?" in _lines(exc)


def test_json_input_and_the_wire_spelling() -> None:
    with pytest.raises(ValidationError) as exc:
        Session.from_json('{"paymentContct": {}, "payment_contat": {}, "PAYMENTMETHOD": "card"}')
    assert _lines(exc) == [
        "paymentContct: unknown field; did you mean 'paymentContact'?",
        "payment_contat: unknown field; did you mean 'payment_contact'?",
        "PAYMENTMETHOD: unknown field; did you mean 'paymentMethod'?",
    ]


def test_no_close_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValidationError) as exc:
        PaymentContact.model_validate({"zzzz": 1})
    (line,) = _lines(exc)
    assert line.startswith("zzzz: unknown field; use one of 'email', 'first_name', ")
    assert unknown_field_message("qqqQ", PaymentContact).count("'firstName'") == 1


def test_other_errors_are_kept_as_they_were() -> None:
    data = {"products": [{"path": "a", "quantity": -1}], "language": "xx", "cuopon": "A"}
    with pytest.raises(ValidationError) as exc:
        Session.model_validate(data)
    assert _lines(exc) == [
        "products.0.quantity: Input should be greater than or equal to 0",
        "language: 'xx' is not an ISO 639-1 language code; use two letters such as 'en', "
        "'de' or 'ja'.",
        "cuopon: unknown field; did you mean 'coupon'?",
    ]
    kept = {e["type"] for e in exc.value.errors()}
    assert kept == {"greater_than_equal", "value_error", "extra_forbidden"}
    assert exc.value.errors()[0]["ctx"] == {"ge": 0}


def test_a_custom_error_survives_the_rewrite() -> None:
    class Odd(BaseModel):
        model_config = ConfigDict(extra="forbid")
        value: int = 0

    err = ValidationError.from_exception_data(
        "Odd",
        [
            {
                "type": PydanticCustomError("odd_one", "odd {x}", {"x": 1}),
                "loc": ("value",),
                "input": 3,
            },
            {"type": "extra_forbidden", "loc": ("valeu",), "input": 1},
        ],
    )
    explained = explain_unknown_fields(err, Odd)
    assert [(e["type"], e["msg"]) for e in explained.errors()] == [
        ("odd_one", "odd 1"),
        ("extra_forbidden", "unknown field; did you mean 'value'?"),
    ]
    assert explain_unknown_fields(explained, Odd) is explained  # nothing left to explain


def test_a_model_that_cannot_be_found_still_gets_a_plain_line() -> None:
    err = ValidationError.from_exception_data(
        "NoSuchModel", [{"type": "extra_forbidden", "loc": ("x",), "input": 1}]
    )
    assert error_lines(err) == ["x: unknown field; check its spelling, or remove it"]


def test_a_users_model_of_the_same_name_does_not_confuse_sblgens() -> None:
    class Session(BaseModel):  # a user's own model, named like sblgen's
        model_config = ConfigDict(extra="forbid")
        countyr: str = ""

    err = ValidationError.from_exception_data(
        "Session", [{"type": "extra_forbidden", "loc": ("cuntry",), "input": 1}]
    )
    assert error_lines(err) == ["cuntry: unknown field; did you mean 'country'?"]
    # an unknown key is never "explained" with a model that has that very field
    err = ValidationError.from_exception_data(
        "Session", [{"type": "extra_forbidden", "loc": ("countyr",), "input": 1}]
    )
    assert error_lines(err) == ["countyr: unknown field; did you mean 'country'?"]


def test_the_walk_follows_unions_dicts_and_prefixes() -> None:
    class Leaf(StrictModel):
        colour: str = ""

    class Tree(StrictModel):
        leaves: dict[str, Leaf] = {}  # noqa: RUF012 - pydantic copies defaults
        pair: tuple[Leaf, int] | None = None
        either: int | Leaf = 0

    cases: dict[tuple[int | str, ...], str] = {
        ("leaves", "oak", "color"): "colour",
        ("pair", 0, "colr"): "colour",
        ("either", "Leaf", "coluor"): "colour",
        ("prefix[0].tree", "leavs"): "leaves",  # a caller's prefix the model does not know
    }
    for loc, meant in cases.items():
        err = ValidationError.from_exception_data(
            "Tree", [{"type": "extra_forbidden", "loc": loc, "input": 1}]
        )
        assert error_lines(err)[0].endswith(f"did you mean {meant!r}?"), loc
    with pytest.raises(ValidationError, match="did you mean 'colour'"):
        Tree.model_validate({"either": {"colr": "red"}})


def test_sbl_options_from_python() -> None:
    with pytest.raises(ValidationError) as exc:
        SblOptions(storefront=STOREFRONT, acess_key="K")  # type: ignore[call-arg]
    assert _lines(exc) == ["acess_key: unknown field; did you mean 'access_key'?"]


def test_the_builder() -> None:
    cart = CheckoutBuilder().product("pro-plan").recipient(email="a@b.co", address={"citty": "X"})
    with pytest.raises(ValidationError) as exc:
        cart.secure_payload()
    assert "recipient.address.citty: unknown field; did you mean 'city'?" in _lines(exc)
    with pytest.raises(ValidationError, match="did you mean 'price'"):
        SecurePayload.model_validate({"items": [{"product": "a", "pricing": {"prce": {}}}]})


# ----------------------------------------------------------------- did you mean: CLI files


@pytest.mark.parametrize(
    ("name", "text", "argv", "line"),
    [
        (
            "s.json",
            '{"countyr": "US"}',
            ["session", "validate"],
            "countyr: unknown field; did you mean 'country'?",
        ),
        (
            "s.toml",
            '[paymentContact]\nemial = "a@b.co"\n',
            ["session", "validate"],
            "paymentContact.emial: unknown field; did you mean 'email'?",
        ),
        (
            "p.json",
            '{"itmes": []}',
            ["secure", "encrypt", "--test-mode"],
            "itmes: unknown field; did you mean 'items'?",
        ),
        (
            "r.json",
            '{"account": "a", "items": [{"product": "p", "quantty": 1}]}',
            ["api", "create-session"],
            "items.0.quantty: unknown field; did you mean 'quantity'?",
        ),
    ],
)
def test_cli_files(
    name: str,
    text: str,
    argv: list[str],
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", "u")  # never reached: input comes first
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", "p")
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", "http://127.0.0.1:9")
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert main([*argv, str(tmp_path / name)]) == 2
    assert capsys.readouterr().err.splitlines() == [line]


# ----------------------------------------------------------------- did you mean: site.toml


SITE = """
[site]
title = "T"
storefront = "t.test.onfastspring.com/popup-t"
[sbl]
acess_key = "K"
[catalog.x]
name = "X"
[[pages]]
path = "index.html"
title = "Home"
prodcts = ["x"]
"""


def test_site_toml(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    with pytest.raises(SiteError) as exc:
        load_site(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path / 'site.toml'}: pages[0].prodcts: unknown field; did you mean 'products'?"
    )
    (tmp_path / "site.toml").write_text(SITE.replace("prodcts", "products"), encoding="utf-8")
    with pytest.raises(SiteError) as exc:
        load_site(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path / 'site.toml'}: sbl.acess_key: unknown field; did you mean 'access_key'?"
    )


def test_site_toml_page_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SITE.replace("acess_key", "access_key").replace("prodcts", "products")
    text += '[pages.session]\ncountyr = "US"\n'
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    assert main(["site", "build", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"sblgen: {tmp_path / 'site.toml'}: pages[0].session.countyr: unknown field; did you "
        "mean 'country'?\n"
    )


# ----------------------------------------------------------------- did you mean: frameworks


def test_django_settings() -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.template import Context, Template
    from django.test import override_settings

    bad = {"STOREFRONT": STOREFRONT, "ACESS_KEY": "K"}
    with (
        override_settings(SBLGEN=bad),
        pytest.raises(ImproperlyConfigured) as exc,
    ):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    assert str(exc.value) == (
        "settings.SBLGEN['ACESS_KEY']: unknown setting; did you mean SBLGEN['ACCESS_KEY']?"
    )


def test_flask_settings() -> None:
    from flask import Flask

    from sblgen.integrations.flask import Sblgen

    app = Flask(__name__)
    app.config.update(SBLGEN_STOREFRONT=STOREFRONT, SBLGEN_ACESS_KEY="K")
    with pytest.raises(ConfigurationError) as exc:
        Sblgen(app)
    assert str(exc.value) == "SBLGEN_ACESS_KEY: unknown setting; did you mean SBLGEN_ACCESS_KEY?"
    # a misspelt storefront is named as such, not only as missing
    app = Flask(__name__)
    app.config.update(SBLGEN_STOREFONT=STOREFRONT)
    with pytest.raises(ConfigurationError) as exc:
        Sblgen(app)
    assert str(exc.value) == "SBLGEN_STOREFONT: unknown setting; did you mean SBLGEN_STOREFRONT?"
    app = Flask(__name__)
    with pytest.raises(ConfigurationError) as exc:
        Sblgen(app)
    assert str(exc.value) == (
        "SBLGEN_STOREFRONT: not set; give your storefront, such as "
        "'acme.test.onfastspring.com/popup-acme'"
    )


# ----------------------------------------------------------------- Django system checks


def _check_ids(**overrides: Any) -> list[str]:
    from django.core import checks
    from django.test import override_settings

    with override_settings(**overrides):
        return [m.id for m in checks.run_checks() if m.id and m.id.startswith("sblgen.")]


def test_manage_py_check_fails_on_bad_settings() -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.test import override_settings

    bad = {"STOREFRONT": "evil.example/popup", "ACESS_KEY": "K"}
    with override_settings(SBLGEN=bad), pytest.raises(SystemCheckError) as exc:
        call_command("check")
    text = str(exc.value)
    assert (
        "settings: (sblgen.E003) settings.SBLGEN['ACESS_KEY']: unknown setting; did you mean "
        "SBLGEN['ACCESS_KEY']?" in text
    )
    assert "(sblgen.E004) settings.SBLGEN['STOREFRONT']: 'evil.example/popup' is not" in text


def test_each_check_id() -> None:
    good = {"STOREFRONT": STOREFRONT, "ACCESS_KEY": "K"}
    assert _check_ids(SBLGEN=good) == []
    assert _check_ids(SBLGEN=None) == []  # sblgen's webhooks alone need no SBLGEN
    assert _check_ids(SBLGEN=["STOREFRONT"]) == ["sblgen.E001"]
    assert _check_ids(SBLGEN={1: "x"}) == ["sblgen.E001"]
    assert _check_ids(SBLGEN={"ACCESS_KEY": "K"}) == ["sblgen.E002"]
    assert _check_ids(SBLGEN={"STOREFONT": STOREFRONT}) == ["sblgen.E003", "sblgen.E002"]
    assert _check_ids(SBLGEN={**good, "MODE": "sideways"}) == ["sblgen.E004"]
    assert _check_ids(SBLGEN=good, SBLGEN_ACCESS_KEY="K") == ["sblgen.W001"]


def test_a_good_project_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("check")
    assert "System check identified no issues" in capsys.readouterr().out


# ----------------------------------------------------------------- CLI flags


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert not PYTHON_SPEAK.search(err), err
    return err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    plain = {"payload": {"items": [{"product": "p"}]}, "key": ""}
    (tmp_path / "plain.json").write_text(json.dumps(plain))
    (tmp_path / "secure-session.json").write_text(json.dumps({"secure": plain}))
    clean = {"checkout": True, "clean": True, "products": [{"path": "p"}]}
    (tmp_path / "clean.json").write_text(json.dumps(clean))
    (tmp_path / "payload.json").write_text(json.dumps({"items": [{"product": "p"}]}))
    (tmp_path / "request.json").write_text(
        json.dumps({"account": "a", "items": [{"product": "p"}]})
    )
    return tmp_path


def test_render_flags(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    render = ["embed", "--storefront", STOREFRONT]
    assert _cli([*render, "--secure", str(files / "plain.json")], capsys) == (
        "sblgen: --secure: secure payloads are ignored without data-access-key; add "
        "--access-key KEY (the access key from the FastSpring app)."
    )
    assert _cli([*render, "--session", str(files / "secure-session.json")], capsys).startswith(
        "sblgen: --session: secure payloads are ignored without data-access-key; add --access-key"
    )
    assert _cli([*render, "--session", str(files / "clean.json")], capsys) == (
        "sblgen: --session: the session sets clean, which only works with data-continuous on "
        "the script tag; add --continuous, or drop clean."
    )
    live = ["embed", "--storefront", "acme.onfastspring.com/popup-acme", "--access-key", "K"]
    assert _cli([*live, "--secure", str(files / "plain.json")], capsys).endswith(
        "encrypt it with `sblgen secure encrypt --private-key FILE`, or give the '.test.' "
        "--storefront."
    )
    assert _cli([*render, "--access-key", ""], capsys) == (
        "sblgen: --access-key: String should have at least 1 character"
    )
    assert _cli(["embed", "--storefront", "nope"], capsys).startswith(
        "sblgen: --storefront: 'nope' is not a FastSpring storefront"
    )
    # and what the flags fix works once they are given
    assert main([*render, "--access-key", "K", "--secure", str(files / "plain.json")]) == 0
    assert main([*render, "--continuous", "--session", str(files / "clean.json")]) == 0


def test_private_key_password_flags(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted = subprocess.run(
        [
            "openssl",
            "pkcs8",
            "-topk8",
            "-in",
            str(KEYS / "test-privatekey.pem"),
            "-passout",
            "pass:pw",
            "-v2",
            "aes-256-cbc",
        ],
        capture_output=True,
        check=True,
    ).stdout
    (files / "encrypted.pem").write_bytes(encrypted)
    monkeypatch.setenv("KEY_PASSWORD", "pw")
    encrypt = ["secure", "encrypt", "--private-key"]
    assert _cli([*encrypt, str(files / "encrypted.pem"), str(files / "payload.json")], capsys) == (
        f"sblgen: --private-key {files / 'encrypted.pem'}: the key is password-protected; give "
        "--password-env VAR, naming the environment variable that holds its password."
    )
    check = ["secure", "check", "--cert", str(KEYS / "test-publicCert.pem"), "--private-key"]
    assert "give --password-env VAR" in _cli([*check, str(files / "encrypted.pem")], capsys)
    plain_key = str(KEYS / "test-privatekey.pem")
    argv = [*encrypt, plain_key, "--password-env", "KEY_PASSWORD", str(files / "payload.json")]
    assert _cli(argv, capsys) == (
        f"sblgen: --private-key {plain_key}: the key is not password-protected; drop "
        "--password-env."
    )
    # the password flag, given, works
    argv = [*check, str(files / "encrypted.pem"), "--password-env", "KEY_PASSWORD"]
    assert main(argv) == 0


def test_keygen_force_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "--out-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    assert _cli(["keygen", "--out-dir", str(tmp_path)], capsys) == (
        f"sblgen: --out-dir {tmp_path}: privatekey.pem and publicCert.pem already exist; "
        "nothing was written. Add --force to replace them."
    )


ENVIRONMENT = (
    "FASTSPRING_API_USERNAME",
    "FASTSPRING_API_PASSWORD",
    "FASTSPRING_API_BASE_URL",
    "FASTSPRING_OAUTH_CLIENT_ID",
    "FASTSPRING_OAUTH_CLIENT_SECRET",
    "FASTSPRING_OAUTH_TOKEN_URL",
)
BASIC_HELP = (
    "FASTSPRING_API_USERNAME and FASTSPRING_API_PASSWORD (HTTP Basic: Developer Tools > APIs > "
    "API Credentials in the FastSpring app)"
)


def test_api_environment(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    create = ["api", "create-session", str(files / "request.json")]
    get = ["api", "v2", "get", "--checkout", "acme/popup-acme", "X" * 12]
    assert _cli(create, capsys) == (
        f"sblgen: FastSpring API credentials are missing: set {BASIC_HELP}."
    )
    assert _cli(get, capsys) == (
        f"sblgen: FastSpring API credentials are missing: set {BASIC_HELP}, or "
        "FASTSPRING_OAUTH_CLIENT_ID and FASTSPRING_OAUTH_CLIENT_SECRET (OAuth2)."
    )
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    assert _cli(get, capsys) == (
        "sblgen: FastSpring API credentials are incomplete: set FASTSPRING_API_PASSWORD too."
    )
    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_ID", "id")
    assert _cli(get, capsys) == (
        "sblgen: Both kinds of FastSpring API credentials are set (FASTSPRING_API_USERNAME, "
        "FASTSPRING_OAUTH_CLIENT_ID); unset one kind."
    )
    monkeypatch.delenv("FASTSPRING_API_USERNAME")
    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_SECRET", "secret")
    monkeypatch.setenv("FASTSPRING_OAUTH_TOKEN_URL", "ftp://u:pw@token.example/")
    assert _cli(get, capsys) == (
        "sblgen: FASTSPRING_OAUTH_TOKEN_URL='ftp://token.example/': give an https:// (or "
        "http://) URL."
    )
    monkeypatch.delenv("FASTSPRING_OAUTH_TOKEN_URL")
    assert _cli(create, capsys) == (
        "sblgen: Sessions v1 (api create-session) takes HTTP Basic credentials only: unset "
        "FASTSPRING_OAUTH_CLIENT_ID and FASTSPRING_OAUTH_CLIENT_SECRET and set "
        f"{BASIC_HELP}; OAuth2 credentials work with `sblgen api v2`."
    )
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", "ftp://api.example.com")
    assert _cli(create, capsys) == (
        "sblgen: FASTSPRING_API_BASE_URL='ftp://api.example.com': give an https:// (or "
        "http://) URL."
    )


def test_api_flags(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", "http://127.0.0.1:9")  # never called
    request = str(files / "request.json")
    assert _cli(["api", "create-session", "--storefront", "nope", request], capsys).startswith(
        "sblgen: --storefront: 'nope' is not a FastSpring storefront"
    )
    for argv, value in (
        (["api", "create-session", "--timeout", "0", request], "0"),
        (["api", "v2", "get", "--checkout", "a/b", "--timeout", "-1", "X" * 12], "-1"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        assert (
            capsys.readouterr()
            .err.splitlines()[-1]
            .endswith(f"error: argument --timeout: give a number of seconds above 0, not {value!r}")
        )


# ----------------------------------------------------------------- API error excerpts


class _Scripted(BaseHTTPRequestHandler):
    """Answers every request with the status and body the test scripted."""

    reply: tuple[int, str, bytes] = (200, "application/json", b"{}")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, kind, body = self.reply
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("Handler", (_Scripted,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def _create(base_url: str) -> ApiError:
    from sblgen.api import Client

    request = SessionRequest.model_validate({"account": "a", "items": [{"product": "p"}]})
    with (
        Client(username=USERNAME, password=PASSWORD, base_url=base_url, max_retries=0) as client,
        pytest.raises(ApiError) as exc,
    ):
        client.create_session(request)
    return exc.value


PROXY_PAGE = (
    "<title>502</title>\x1b[31m\u202e\n"
    "<body>upstream https://api.fastspring.com/sessions?api_key=s3cr3t-k3y&x=1 "
    "Authorization: Bearer abc.def.ghi password=hunter2 "
    "https://ann:pa55@proxy.example/ </body>" + "x" * 500 + "</html>"
)


def test_api_error_quotes_an_unexpected_body(scripted: tuple[str, type[_Scripted]]) -> None:
    base_url, handler = scripted
    handler.reply = (502, "text/html", PROXY_PAGE.encode())
    err = _create(base_url)
    text = str(err)
    assert text.startswith(
        f"POST {base_url}/sessions -> HTTP 502: unexpected body: <title>502</title>\\x1b[31m"
        "\\u202e\\n<body>upstream "
        "https://api.fastspring.com/sessions?api_key=[hidden]&x=1 Authorization: Bearer "
        "[hidden] password=[hidden] https://[hidden]@proxy.example/"
    )
    assert text.endswith("x...") and "\n" not in text
    excerpt = text.split("unexpected body: ", 1)[1]
    assert len(excerpt) == 200 + len("...")
    for secret in ("s3cr3t", "abc.def", "hunter2", "pa55", "\x1b", "\u202e"):
        assert secret not in text
    assert err.body == PROXY_PAGE  # the raw body stays on the error, for the caller


def test_api_error_keeps_fastspring_messages(scripted: tuple[str, type[_Scripted]]) -> None:
    base_url, handler = scripted
    handler.reply = (400, "application/json", b'{"message": "Invalid product path"}')
    assert str(_create(base_url)) == f"POST {base_url}/sessions -> HTTP 400: Invalid product path"
    handler.reply = (400, "application/json", b'{"detail": {"token": "t0k3n", "why": "no"}}')
    assert str(_create(base_url)) == (
        f'POST {base_url}/sessions -> HTTP 400: unexpected body: {{"detail": {{"token": '
        '[hidden], "why": "no"}}'
    )
    handler.reply = (400, "application/json", b'{"message": 5}')  # not FastSpring's shape
    assert str(_create(base_url)).endswith('unexpected body: {"message": 5}')
    handler.reply = (500, "text/plain", b"")
    assert str(_create(base_url)) == f"POST {base_url}/sessions -> HTTP 500"


def test_a_success_that_is_not_json_is_quoted(scripted: tuple[str, type[_Scripted]]) -> None:
    base_url, handler = scripted
    handler.reply = (200, "text/html", b"<html>Log in to the hotel Wi-Fi</html>")
    err = _create(base_url)
    assert isinstance(err, UnexpectedResponseError)
    assert str(err).endswith(": <html>Log in to the hotel Wi-Fi</html>")
    # JSON that is not a session may hold buyer data: described, not quoted
    handler.reply = (200, "application/json", b'{"email": "ann@example.com"}')
    assert "ann@example.com" not in str(_create(base_url))


def test_the_cli_prints_the_excerpt(
    scripted: tuple[str, type[_Scripted]],
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base_url, handler = scripted
    handler.reply = (503, "text/plain", b"Service Unavailable\r\n(maintenance)")
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", base_url)
    argv = ["api", "create-session", str(files / "request.json")]
    monkeypatch.setattr("sblgen.api.client.RetryPolicy.outcome", _no_retry)
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"sblgen: POST {base_url}/sessions -> HTTP 503: unexpected body: Service "
        "Unavailable\\r\\n(maintenance)\n"
    )


def _no_retry(self: Any, method: str, url: str, response: Any, attempt: int) -> Any:
    from sblgen.api.policy import error_for_response

    return None if response.is_success else error_for_response(method, url, response)


# ----------------------------------------------------------------- missing extras


BLOCKER = """
import sys

class Blocker:
    '''As if {module} were not installed.'''

    def find_spec(self, name, path=None, target=None):
        if name == {module!r} or name.startswith({module!r} + "."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Blocker())
for loaded in [m for m in sys.modules if m == {module!r} or m.startswith({module!r} + ".")]:
    del sys.modules[loaded]
"""


def _without(module: str, code: str) -> subprocess.CompletedProcess[str]:
    script = BLOCKER.format(module=module) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "code", "line"),
    [
        (
            "flask",
            "import sblgen.integrations.flask",
            "ImportError: sblgen's Flask integration needs Flask: pip install 'sblgen[flask]'",
        ),
        (
            "django",
            "import sblgen.integrations.django",
            "ImportError: sblgen's Django integration needs Django: pip install 'sblgen[django]'",
        ),
        (
            "httpx",
            "from sblgen.api import Client",
            "ImportError: sblgen's Sessions API client needs httpx: pip install 'sblgen[api]'",
        ),
    ],
)
def test_a_missing_extra_says_what_to_install(module: str, code: str, line: str) -> None:
    result = _without(module, code)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == line
    assert "ModuleNotFoundError" not in result.stderr  # one error, not a chain


@pytest.mark.slow
def test_the_cli_without_httpx(files: Path) -> None:
    code = f"""
        import os, sys
        os.environ.update(FASTSPRING_API_USERNAME="u", FASTSPRING_API_PASSWORD="p")
        from sblgen.cli import main
        sys.exit(main(["api", "create-session", {str(files / "request.json")!r}]))
    """
    result = _without("httpx", code)
    assert (result.returncode, result.stderr) == (
        2,
        "sblgen: sblgen's Sessions API client needs httpx: pip install 'sblgen[api]'\n",
    )
    # the rest of sblgen works without the extras
    result = _without("httpx", "import sblgen; print(sblgen.Session(coupon='X').to_json())")
    assert result.stdout == '{"coupon":"X"}\n', result.stderr
