"""JSON inside HTML: the escapes, and that escaped JSON parses back to the same value."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sblgen import RenderError, Session, html_safe_json
from sblgen.escape import escape_json, model_json, template_json


def test_html_safe_json() -> None:
    text = json.dumps({"a": "</script><!--&'\u2028\u2029"}, ensure_ascii=False)
    safe = html_safe_json(text)
    assert not re.search(r"[<>&'\u2028\u2029]", safe)
    assert json.loads(safe) == json.loads(text)


@given(text=st.text(max_size=60))
def test_escaped_json_parses_back(text: str) -> None:
    raw = json.dumps({"a": text}, ensure_ascii=False)
    escaped = escape_json(raw)
    assert not re.search(r"[<>&'\u2028\u2029]", escaped)
    assert json.loads(escaped) == {"a": text}


def test_model_json_is_the_escaped_wire_json() -> None:
    session = Session(tags={"note": "</script>&"})
    assert model_json(session) == escape_json(session.to_json())
    assert "</script>" not in model_json(session)


def test_template_json_escapes_every_unicode_space_in_strings() -> None:
    assert template_json({"a": "x\xa0y\u3000z\x85"}) == '{"a": "x\\u00a0y\\u3000z\\u0085"}'


def test_template_json_refuses_in_one_exact_line() -> None:
    cases: list[tuple[object, str]] = [
        (
            {"x": float("nan")},  # NaN is no JSON: JSON.parse would refuse the whole value
            "sbl_json: the value is not JSON data (Out of range float values are not JSON "
            "compliant).",
        ),
        (
            {"__proto__": 1},
            'sbl_json: a "__proto__" key cannot be written for a template: in a <script> a '
            "JavaScript object literal makes it the prototype and drops it; rename the key.",
        ),
        (
            {"a": "\ud800"},
            "sbl_json: the value contains a lone surrogate (U+D800) at index 6: it is not "
            "valid Unicode and cannot be written as UTF-8; fix the text where it came from.",
        ),
    ]
    for value, message in cases:
        with pytest.raises(RenderError) as raised:
            template_json(value)
        assert str(raised.value) == message
