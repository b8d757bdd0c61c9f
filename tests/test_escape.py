"""JSON inside HTML: the escapes, and that escaped JSON parses back to the same value."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from sblgen import Session, html_safe_json
from sblgen.escape import escape_json, model_json


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
