"""The session object's rules on every path that builds one, not only on the model.

Each rule (a product path at most once, ``clean`` only with ``checkout: true``, a session id
as the SBL reads one, a due date after today, a coupon code's characters) is broken once
and must be refused the same way: through :class:`~sblgen.CheckoutBuilder`, through the
CLI's input file (``session validate`` and ``render``), through the Jinja2 globals, the
Django tags and the Flask helpers (which take plain dicts), and through the model itself.
Each good neighbour of a broken case is accepted on every path too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from flask import Flask, render_template_string
from pydantic import ValidationError

import tests.test_integrations_django  # noqa: F401  (configures Django the one way)
from sblgen import CheckoutBuilder, SblOptions, Session
from sblgen.cli import main
from sblgen.integrations.flask import Sblgen
from sblgen.integrations.jinja import install
from tests.conftest import TODAY
from tests.render_cases import TEST_SHOP

SESSION_ID = "Xy12AbCdEf34GhIj"


@dataclass(frozen=True)
class Case:
    """One rule broken (or kept): the builder that describes it, and the wire session."""

    name: str
    build: Callable[[], CheckoutBuilder]
    wire: dict[str, Any]
    #: The refusal's message (a regular expression), or None for an accepted case.
    refused: str | None
    #: Whether rendering also needs options with data-continuous.
    continuous: bool = False


def _b() -> CheckoutBuilder:
    return CheckoutBuilder()


TOMORROW = TODAY + timedelta(days=1)
CASES = [
    Case(
        "duplicate product",
        lambda: _b().product("a").product("b").product("a", 2),
        {"products": [{"path": "a"}, {"path": "b"}, {"path": "a", "quantity": 2}]},
        r"Product 'a' appears more than once",
    ),
    Case(
        "duplicate product removed",
        lambda: _b().product("a").product("a", 0),
        {"products": [{"path": "a"}, {"path": "a", "quantity": 0}]},
        r"Product 'a' appears more than once",
    ),
    Case(
        "distinct products",
        lambda: _b().product("a").product("A").product("a.1"),
        {"products": [{"path": "a"}, {"path": "A"}, {"path": "a.1"}]},
        None,
    ),
    Case(
        "clean with a session id",
        lambda: _b().checkout(SESSION_ID, clean=True),
        {"checkout": SESSION_ID, "clean": True},
        r"clean=True only works together with checkout=True",
    ),
    Case(
        "clean with checkout",
        lambda: _b().product("a").checkout(True, clean=True),
        {"products": [{"path": "a"}], "checkout": True, "clean": True},
        None,
        continuous=True,
    ),
    Case(
        "clean=False without checkout",
        lambda: _b().product("a").checkout(True, clean=False),
        {"products": [{"path": "a"}], "checkout": True, "clean": False},
        None,
    ),
    Case(
        "short session id",
        lambda: _b().checkout("Xy12AbCdEf"),
        {"checkout": "Xy12AbCdEf"},
        r"'Xy12AbCdEf' cannot be handed to the SBL as a session id",
    ),
    Case(
        "session id of 11 characters",
        lambda: _b().checkout("Xy12AbCdEf3"),
        {"checkout": "Xy12AbCdEf3"},
        None,
    ),
    Case(
        "session id with a slash",
        lambda: _b().checkout("Xy12AbCdEf/34GhIj"),
        {"checkout": "Xy12AbCdEf/34GhIj"},
        r"is not a Sessions API session id",
    ),
    Case(
        "session id with other fields",
        lambda: _b().coupon("X").checkout(SESSION_ID),
        {"coupon": "X", "checkout": SESSION_ID},
        r"checkout is a session id, so the SBL ignores every other field \(coupon\)",
    ),
    Case(
        "checkout false",
        lambda: _b(),
        {"checkout": False},
        r"checkout is True .* or a Sessions API session id, not False",
    ),
    Case(
        "due date today",
        lambda: _b().invoice_due_date(TODAY),
        {"invoiceDueDate": TODAY.isoformat()},
        r"is not in the future",
    ),
    Case(
        "due date yesterday as text",
        lambda: _b().invoice_due_date((TODAY - timedelta(days=1)).isoformat()),
        {"invoiceDueDate": (TODAY - timedelta(days=1)).isoformat()},
        r"is not in the future",
    ),
    Case(
        "due date tomorrow",
        lambda: _b().invoice_due_date(TOMORROW),
        {"invoiceDueDate": TOMORROW.isoformat()},
        None,
    ),
    Case(
        "due date not a date",
        lambda: _b().invoice_due_date("next week"),
        {"invoiceDueDate": "next week"},
        r"next week",
    ),
    Case(
        "coupon with a space",
        lambda: _b().coupon("SPRING 10"),
        {"coupon": "SPRING 10"},
        r"'SPRING 10' is not a coupon code",
    ),
    Case(
        "coupon of 256 characters",
        lambda: _b().coupon("C" * 256),
        {"coupon": "C" * 256},
        r"is not a coupon code",
    ),
    Case(
        "coupon of 255 characters",
        lambda: _b().coupon("C" * 255),
        {"coupon": "C" * 255},
        None,
    ),
    Case("coupon removed", lambda: _b().coupon(""), {"coupon": ""}, None),
    Case(
        "coupon with markup",
        lambda: _b().coupon("<b>"),
        {"coupon": "<b>"},
        r"is not a coupon code",
    ),
]
IDS = [case.name for case in CASES]
BUILDABLE = [c for c in CASES if c.name != "checkout false"]  # the builder cannot say it


def _options(case: Case) -> SblOptions:
    return SblOptions(storefront=TEST_SHOP, continuous=case.continuous)


@pytest.mark.parametrize("case", BUILDABLE, ids=[c.name for c in BUILDABLE])
def test_the_builder(case: Case) -> None:
    builder = case.build()
    if case.refused is None:
        assert builder.session().to_dict() == Session.model_validate(case.wire).to_dict()
        return
    with pytest.raises(ValidationError, match=case.refused):
        builder.session()


def test_the_builder_can_keep_fields_next_to_a_session_id_on_purpose() -> None:
    builder = _b().coupon("X").checkout(SESSION_ID)
    session = builder.session(allow_ignored_fields=True)
    assert session.to_dict() == {"coupon": "X", "checkout": SESSION_ID}


def test_the_other_targets_keep_the_shared_rules() -> None:
    """A secure payload has the same duplicate, due-date and coupon rules; Sessions API
    v1 the coupon rule, v2 the duplicate rule."""
    contact = {"email": "a@example.com", "first_name": "A", "last_name": "B"}
    with pytest.raises(ValidationError, match="appears more than once"):
        _b().product("a").product("a").secure_payload()
    with pytest.raises(ValidationError, match="is not in the future"):
        _b().invoice_due_date(TODAY).secure_payload()
    with pytest.raises(ValidationError, match="is not a coupon code"):
        _b().coupon("a b").secure_payload()
    with pytest.raises(ValidationError, match="is not a coupon code"):
        _b().contact(**contact).product("a").coupon("a b").api_request()
    with pytest.raises(ValidationError, match="appears more than once"):
        _b().product("a").product("a").api_request(version=2)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_model(case: Case) -> None:
    if case.refused is None:
        assert Session.model_validate(case.wire)
        assert Session.model_validate_json(json.dumps(case.wire))
    else:
        with pytest.raises(ValidationError, match=case.refused):
            Session.model_validate(case.wire)
        with pytest.raises(ValidationError, match=case.refused):
            Session.model_validate_json(json.dumps(case.wire))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_cli_input_file(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "session.json"
    path.write_text(json.dumps(case.wire))
    render = ["embed", "--storefront", TEST_SHOP, "--session", str(path)]
    if case.continuous:
        render.append("--continuous")
    if case.refused is None:
        assert main(["session", "validate", str(path)]) == 0
        assert capsys.readouterr().out == "OK\n"
        assert main(render) == 0
        assert "fscSession" in capsys.readouterr().out
        return
    for argv in (["session", "validate", str(path)], render):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == ""
        (line,) = err.splitlines()
        assert re.search(case.refused, line), line


def _jinja(case: Case) -> str:
    env = install(jinja2.Environment(autoescape=True), options=_options(case))
    return env.from_string(
        "{{ sbl_session(s) }}{{ sbl_push(s) }}{{ sbl_script(session=s) }}"
    ).render(s=case.wire)


def _django(case: Case) -> str:
    from django.template import Context, Template
    from django.test import override_settings

    config = {"STOREFRONT": TEST_SHOP, "CONTINUOUS": case.continuous}
    with override_settings(SBLGEN=config):
        return str(
            Template(
                "{% load sblgen %}{% sbl_session s %}{% sbl_push s %}{% sbl_script session=s %}"
                "{% sbl_buttons s %}"
            ).render(Context({"s": case.wire}))
        )


def _flask(case: Case) -> str:
    app = Flask(__name__)
    app.config.update(SBLGEN_STOREFRONT=TEST_SHOP, SBLGEN_CONTINUOUS=case.continuous)
    Sblgen(app)
    with app.test_request_context():
        return render_template_string(
            "{{ sbl_session(s) }}{{ sbl_push(s) }}{{ sbl_script(session=s) }}{{ sbl_buttons(s) }}",
            s=case.wire,
        )


@pytest.mark.parametrize("helper", [_jinja, _django, _flask], ids=["jinja", "django", "flask"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_template_helpers(case: Case, helper: Callable[[Case], str]) -> None:
    if case.refused is None:
        assert "fscSession" in helper(case)
        return
    with pytest.raises(ValidationError, match=case.refused):
        helper(case)


def test_the_cases_cover_every_rule() -> None:
    """Each rule has a refused case and an accepted neighbour."""
    refused = " ".join(c.name for c in CASES if c.refused)
    kept = " ".join(c.name for c in CASES if not c.refused)
    for rule in ("product", "clean", "session id", "due date", "coupon"):
        assert rule in refused and rule in kept, rule
    assert date.fromisoformat(TOMORROW.isoformat()) > TODAY
