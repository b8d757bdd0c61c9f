"""Webhook verification with degenerate secrets and signatures, on every path that verifies.

The paths: :func:`~sblgen.webhooks.verify_signature`, :func:`~sblgen.webhooks.verify_webhook`,
:func:`sblgen.events.receive`, the Flask blueprint and the Django view (each through its
framework's test client) and ``sblgen webhook verify``. Each case is asked of every path
that can express it, and they must all agree: a secret is used byte for byte (never
stripped, never empty), a signature is standard padded base64 of the whole 32-byte digest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import tests.test_integrations_django  # noqa: F401  (configures Django the one way)
from sblgen.cli import main
from sblgen.errors import WebhookPayloadError, WebhookSignatureError
from sblgen.events import Dispatcher, MemoryStore, receive
from sblgen.integrations.flask_webhooks import webhook_blueprint
from sblgen.webhooks import parse_events, sign, verify_signature, verify_webhook

BODY = json.dumps({"events": [{"id": "e1", "type": "order.completed", "data": {}}]}).encode()
SECRET = "s3cret"

Secrets = Any
#: One way of verifying a post: (body, X-FS-Signature or None, secrets) -> accepted?
Path_ = Callable[[bytes, "str | None", Secrets], bool]


def _direct(body: bytes, signature: str | None, secrets: Secrets) -> bool:
    try:
        verify_signature(body, signature, secrets)
    except WebhookSignatureError as err:
        message = str(err)
    else:
        return True
    assert "\n" not in message
    return False


def _verify_webhook(body: bytes, signature: str | None, secrets: Secrets) -> bool:
    headers = {} if signature is None else {"x-fs-SIGNATURE": signature}
    try:
        payload = verify_webhook(body, headers, secrets)
    except WebhookSignatureError:
        return False
    assert payload == parse_events(body)
    return True


def _receive(body: bytes, signature: str | None, secrets: Secrets) -> bool:
    headers = {} if signature is None else {"X-Fs-Signature": signature}
    reply = receive(body, headers, secrets, Dispatcher(), MemoryStore())
    assert reply.status in (200, 401, 500), reply
    return reply.status == 200


def _flask(body: bytes, signature: str | None, secrets: Secrets) -> bool:
    app = Flask(__name__)
    app.register_blueprint(webhook_blueprint(Dispatcher(), store=MemoryStore(), secrets=secrets))
    headers = {} if signature is None else {"X-FS-Signature": signature}
    response = app.test_client().post("/fastspring/webhooks", data=body, headers=headers)
    assert response.status_code in (200, 401, 500)
    return response.status_code == 200


urlpatterns: list[object] = []


def _django(body: bytes, signature: str | None, secrets: Secrets) -> bool:
    from django.test import Client, override_settings
    from django.urls import path

    from sblgen.integrations.django.webhooks import webhook_view

    urlpatterns[:] = [
        path("hook/", webhook_view(Dispatcher(), store=MemoryStore(), secrets=secrets))
    ]
    headers = {} if signature is None else {"X-FS-Signature": signature}
    with override_settings(ROOT_URLCONF=__name__, SBLGEN_WEBHOOKS={}):
        response = Client().post(
            "/hook/", data=body, content_type="application/json", headers=headers
        )
    status: int = response.status_code
    assert status in (200, 401, 500)
    return status == 200


def _cli(body: bytes, signature: str | None, secrets: Secrets, tmp: Path) -> bool | None:
    """``sblgen webhook verify``: None when the case cannot be said on a command line."""
    given = [secrets] if isinstance(secrets, str | bytes) else list(secrets)
    items = [s for s in given if isinstance(s, str)]
    if signature is None or len(items) != len(given):
        return None
    if signature.startswith("-") or any(s.startswith("-") for s in items):
        return None
    file = tmp / "body.json"
    file.write_bytes(body)
    argv = ["webhook", "verify", "--signature", signature, str(file)]
    for secret in items:
        argv += ["--secret", secret]
    status = main(argv)
    assert status in (0, 1, 2)
    return status == 0


PATHS: dict[str, Path_] = {
    "verify_signature": _direct,
    "verify_webhook": _verify_webhook,
    "receive": _receive,
    "flask": _flask,
    "django": _django,
}


#: Paths that take the signature from an HTTP header (which cannot hold a line break).
HTTP_ONLY = ("flask", "django")


@pytest.fixture
def accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[[bytes, str | None, Secrets], bool]:
    """Ask every path; they must agree; the answer."""

    def ask(body: bytes, signature: str | None, secrets: Secrets) -> bool:
        http = signature is None or not any(c in signature for c in "\r\n\x00")
        answers = {
            name: check(body, signature, secrets)
            for name, check in PATHS.items()
            if http or name not in HTTP_ONLY
        }
        cli = _cli(body, signature, secrets, tmp_path)
        capsys.readouterr()
        if cli is not None:
            answers["cli"] = cli
        assert len(set(answers.values())) == 1, answers
        return next(iter(answers.values()))

    return ask


def _digest(body: bytes, key: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


# --------------------------------------------------------------- secrets


def test_the_right_secret_as_str_bytes_or_in_any_iterable(accepted: Any) -> None:
    signature = sign(BODY, SECRET)
    for secrets in (SECRET, SECRET.encode(), [SECRET], (SECRET,), {SECRET}, [SECRET.encode()]):
        assert accepted(BODY, signature, secrets), secrets
    assert _direct(BODY, signature, iter([SECRET]))  # a one-shot iterable


def test_a_non_ascii_secret_is_its_utf8_bytes(accepted: Any) -> None:
    secret = "sécret-✓"
    signature = base64.b64encode(_digest(BODY, secret.encode("utf-8"))).decode()
    assert accepted(BODY, signature, secret)
    assert accepted(BODY, signature, secret.encode("utf-8"))
    latin = base64.b64encode(_digest(BODY, secret.encode("utf-8")[:-3])).decode()
    assert not accepted(BODY, latin, secret)


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_rotation_any_one_of_several_secrets(accepted: Any, position: str) -> None:
    secrets = ["old-1", "old-2", "old-3"]
    index = {"first": 0, "middle": 1, "last": 2}[position]
    assert accepted(BODY, sign(BODY, secrets[index]), secrets)
    assert not accepted(BODY, sign(BODY, "other"), secrets)


def test_mixed_str_and_bytes_secrets(accepted: Any) -> None:
    assert accepted(BODY, sign(BODY, b"b-secret"), ["s-secret", b"b-secret"])
    assert accepted(BODY, sign(BODY, "s-secret"), ["s-secret", b"b-secret"])


@pytest.mark.parametrize("secret", [" ", " s3cret", "s3cret ", "s3cret\n", "S3CRET", "s3cre"])
def test_secrets_are_used_byte_for_byte(accepted: Any, secret: str) -> None:
    """Nothing strips or folds a secret: a near miss is a different key."""
    assert not accepted(BODY, sign(BODY, SECRET), secret)
    assert accepted(BODY, sign(BODY, secret), secret)


def test_the_empty_key_never_verifies(accepted: Any) -> None:
    """An empty secret is not a key anyone could sign with: a signature made with the empty
    key is refused whatever else is configured beside it."""
    empty_signed = sign(BODY, b"")
    for secrets in ("", b"", [], [""], ["", b""], [SECRET, ""], ["", SECRET]):
        assert not accepted(BODY, empty_signed, secrets), secrets


def test_no_secret_at_all_is_a_configuration_error() -> None:
    signature = sign(BODY, SECRET)
    for secrets in ("", b"", [], (), [""]):
        with pytest.raises(WebhookSignatureError, match="No webhook secret"):
            verify_signature(BODY, signature, secrets)
        reply = receive(BODY, {"X-FS-Signature": signature}, secrets, Dispatcher(), MemoryStore())
        assert reply.status == 500 and "No webhook secret" in reply.body
    reply = receive(BODY, {"X-FS-Signature": signature}, None, Dispatcher(), MemoryStore())
    assert reply.status == 500


def test_an_empty_secret_beside_real_ones() -> None:
    """verify_signature refuses a list holding an empty secret (a configuration mistake);
    the receivers, which read secrets from settings and the environment, drop empty ones."""
    signature = sign(BODY, SECRET)
    with pytest.raises(WebhookSignatureError, match="No webhook secret"):
        verify_signature(BODY, signature, [SECRET, ""])
    with pytest.raises(WebhookSignatureError, match="No webhook secret"):
        verify_signature(BODY, signature, [b"", SECRET])
    assert _receive(BODY, signature, [SECRET, ""]) and _flask(BODY, signature, ["", SECRET])


def test_no_secret_reaches_the_reply_or_the_error() -> None:
    secret = "top-secret-value"
    for signature in (sign(BODY, "x"), "***", None):
        reply = receive(
            BODY,
            {} if signature is None else {"X-FS-Signature": signature},
            secret,
            Dispatcher(),
            MemoryStore(),
        )
        assert secret not in reply.body
        with pytest.raises(WebhookSignatureError) as err:
            verify_signature(BODY, signature, secret)
        assert secret not in str(err.value)


# --------------------------------------------------------------- signatures


@pytest.mark.parametrize("signature", [None, "", " ", "\t", "   \t "])
def test_missing_or_blank_signature(accepted: Any, signature: str | None) -> None:
    assert not accepted(BODY, signature, SECRET)
    with pytest.raises(WebhookSignatureError, match="no X-FS-Signature"):
        verify_signature(BODY, signature, SECRET)


def test_surrounding_whitespace_is_ignored(accepted: Any) -> None:
    assert accepted(BODY, " " + sign(BODY, SECRET) + " ", SECRET)
    assert _direct(BODY, "\t" + sign(BODY, SECRET) + "\n", SECRET)


def _body_whose_signature_has(chars: str) -> bytes:
    for n in range(10_000):
        body = BODY.replace(b'"data": {}', b'"data": {"n": %d}' % n)
        if set(chars) <= set(sign(body, SECRET)):
            return body
    raise AssertionError("no such body")  # pragma: no cover


def test_signature_encodings_that_are_not_standard_padded_base64(accepted: Any) -> None:
    body = _body_whose_signature_has("+/")
    good = sign(body, SECRET)
    assert good.endswith("=") and not good.endswith("==")  # 32 bytes: one '=' of padding
    digest = _digest(body, SECRET.encode())
    refused = {
        "no padding": good.rstrip("="),
        "extra padding": good + "=",
        "url-safe alphabet": good.replace("+", "-").replace("/", "_"),
        "hex digest": digest.hex(),
        "inner space": good[:10] + " " + good[10:],
        "inner newline": good[:10] + "\n" + good[10:],
        "not base64": "*" * 44,
        "raw digest bytes": digest.decode("latin-1"),
    }
    assert accepted(body, good, SECRET)
    for name, signature in refused.items():
        assert not accepted(body, signature, SECRET), name


@pytest.mark.parametrize("length", [0, 1, 16, 31, 33, 64])
def test_a_digest_of_another_length(accepted: Any, length: int) -> None:
    digest = (_digest(BODY, SECRET.encode()) * 2)[:length]
    if length == 0:
        digest = b""
    signature = base64.b64encode(digest).decode()
    assert not accepted(BODY, signature or "====", SECRET)


def test_any_change_to_the_body(accepted: Any) -> None:
    signature = sign(BODY, SECRET)
    for body in (BODY + b"\n", b" " + BODY, BODY.replace(b"e1", b"e2"), BODY[:-1] + b" }"):
        assert not accepted(body, signature, SECRET)


def test_body_types() -> None:
    signature = sign(BODY, SECRET)
    verify_signature(bytearray(BODY), signature, SECRET)  # type: ignore[arg-type]
    for body in (BODY.decode(), memoryview(BODY), None):
        with pytest.raises(TypeError, match="raw request body"):
            verify_signature(body, signature, SECRET)  # type: ignore[arg-type]


def test_header_lookup_ignores_case_and_prefers_the_exact_name() -> None:
    signature = sign(BODY, SECRET)
    for name in ("X-FS-Signature", "x-fs-signature", "X-FS-SIGNATURE", "x-Fs-sIgNaTuRe"):
        assert verify_webhook(BODY, {"Other": "x", name: signature}, SECRET).events
    with pytest.raises(WebhookSignatureError, match="no X-FS-Signature"):
        verify_webhook(BODY, {"X-FS-Signature-2": signature}, SECRET)
    both = {"x-fs-signature": "wrong", "X-FS-Signature": signature}
    assert verify_webhook(BODY, both, SECRET).events


# --------------------------------------------------------------- the messages, exactly


def _message(call: Callable[[], object]) -> str:
    try:
        call()
    except (WebhookSignatureError, WebhookPayloadError, TypeError) as err:
        return str(err)
    raise AssertionError("nothing was raised")  # pragma: no cover


def test_each_refusal_says_what_to_do_in_one_line() -> None:
    """The exact words (they are the documentation a seller's log shows)."""
    signature = sign(BODY, SECRET)
    assert _message(lambda: verify_signature(BODY, signature, [])) == (
        "No webhook secret was given; pass the secret set in FastSpring."
    )
    assert _message(lambda: verify_signature(BODY, None, SECRET)) == (
        "The request has no X-FS-Signature header; refuse it (FastSpring signs every webhook "
        "that has a secret)."
    )
    assert _message(lambda: verify_signature(BODY, "***", SECRET)) == (
        "The X-FS-Signature header is not base64."
    )
    assert _message(lambda: verify_signature(BODY, sign(BODY, "x"), SECRET)) == (
        "The X-FS-Signature signature does not match the body for any configured secret; "
        "refuse the request."
    )
    assert _message(lambda: verify_signature("{}", signature, SECRET)) == (  # type: ignore[arg-type]
        "verify the raw request body as bytes, before any parsing"
    )


@pytest.mark.parametrize(
    ("body", "first"),
    [
        (b"not json", "body: Invalid JSON: expected ident at line 1 column 2"),
        (b"[]", "body: Input should be an object"),
        (b'{"events": [{"type": "x"}]}', "events.0.id: Field required"),
        (
            b'{"events": [{"id": "e", "type": "t", "live": "maybe"}, 5]}',
            "events.0.live: Input should be a valid boolean, unable to interpret input",
        ),
    ],
)
def test_a_body_that_is_not_the_envelope_names_the_first_problem(body: bytes, first: str) -> None:
    count = 2 if b"maybe" in body else 1
    assert _message(lambda: parse_events(body)) == (
        f"The webhook body is not FastSpring's events envelope ({count} problems, first: {first})."
    )
