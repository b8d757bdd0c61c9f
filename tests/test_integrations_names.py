"""One name for each concept across Python, templates and the CLI: the secure payload is
``secure`` (as ``fscSession.secure``) in ``embed()``, ``sbl_script()`` and
``{% sbl_script %}``; the snippet ``sblgen.embed()`` returns is what ``sblgen embed``
prints. The old names still work for one release and say they are deprecated."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import jinja2
import pytest

from sblgen import SblOptions, SecureRequest, Session, embed
from sblgen.cli import main
from sblgen.integrations.jinja import install

SHOP = "acme.test.onfastspring.com/popup-acme"
OPTIONS = SblOptions(storefront=SHOP, access_key="K")
SECURE = SecureRequest.plaintext({"coupon": "LOCKED"})
SESSION = Session.model_validate({"products": [{"path": "pro-plan"}]})


def test_embed_takes_secure() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = embed(OPTIONS, session=SESSION, secure=SECURE)
    assert '"secure":{"payload":{"coupon":"LOCKED"}' in html


def test_embed_secure_request_is_a_deprecated_alias() -> None:
    with pytest.warns(DeprecationWarning, match=r"embed\(secure_request=\.\.\.\) is deprecated"):
        old = embed(OPTIONS, session=SESSION, secure_request=SECURE)
    assert old == embed(OPTIONS, session=SESSION, secure=SECURE)
    with (
        pytest.warns(DeprecationWarning, match="secure_request"),
        pytest.raises(TypeError, match="not secure= and secure_request= together"),
    ):
        embed(OPTIONS, secure=SECURE, secure_request=SECURE)


def test_templates_and_python_agree() -> None:
    """The Jinja2 helper takes the same ``secure`` and writes what
    ``embed(..., with_buttons=False)`` writes (the Django tag: test_integrations_django)."""
    env = install(jinja2.Environment(autoescape=True), options=OPTIONS)
    jinja = env.from_string("{{ sbl_script(session=s, secure=sec) }}").render(s=SESSION, sec=SECURE)
    assert jinja == embed(OPTIONS, session=SESSION, secure=SECURE, with_buttons=False)


def _files(tmp_path: Path) -> list[str]:
    session = tmp_path / "s.json"
    session.write_text(SESSION.to_json())
    secure = tmp_path / "secure.json"
    secure.write_text(json.dumps(SECURE.to_dict()))
    return ["--storefront", SHOP, "--access-key", "K", "--session", str(session), "--secure",
            str(secure)]  # fmt: skip


def test_cli_embed_prints_what_embed_returns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["embed", *_files(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == str(embed(OPTIONS, session=SESSION, secure=SECURE)) + "\n"
    assert captured.err == ""


def test_cli_render_is_a_deprecated_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", *_files(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == str(embed(OPTIONS, session=SESSION, secure=SECURE)) + "\n"
    assert captured.err == (
        "sblgen: `sblgen render` is now `sblgen embed` (as in Python, sblgen.embed()); the old "
        "name will be removed in the next release\n"
    )
