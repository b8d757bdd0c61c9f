"""The snippet templates, their frames, and the renderer's one cache (Memo)."""

from __future__ import annotations

import gc

from markupsafe import Markup

from sblgen import LOADER_PATH, SblOptions, loader_js, push, script_tag, session_init
from sblgen import _templates as templates
from sblgen._templates import Memo
from sblgen.escape import model_json
from sblgen.render import _merged_session
from tests.render_cases import ALL_OPTIONS, KEYED, SESSION, TEST_SHOP


def test_frames_equal_full_template_render() -> None:
    """The frame-filled fast path gives exactly what rendering the template gives."""
    data = model_json(SESSION)
    for nonce in (None, "abc123"):
        full = templates.render("session_init.html", nonce=nonce, data=Markup(data))
        assert session_init(SESSION, nonce=nonce) == full
        full = templates.render(
            "session_merge.html",
            nonce=nonce,
            apply=templates.apply_js(),
            op="session",
            data=Markup(data),
        )
        assert _merged_session(SESSION, KEYED, nonce) == full
        full = templates.render(
            "apply.html", nonce=nonce, apply=templates.apply_js(), op="push", data=Markup(data)
        )
        assert push(SESSION, nonce=nonce) == full
    options = ALL_OPTIONS
    full = templates.render(
        "script_tag.html",
        src=options.script_src,
        attrs=options.data_attributes(),
        nonce="n0nce",
        loading=options.loading,
    )
    assert script_tag(options, nonce="n0nce") == full


def test_external_frames_equal_full_template_render() -> None:
    data = Markup(model_json(SESSION))
    for op, snippet in (("session", session_init), ("push", push)):
        full = templates.render("data_block.html", op=op, data=data)
        assert snippet(SESSION, mode="external") == full


def test_loader_is_shipped_and_shares_the_inline_runtime() -> None:
    assert LOADER_PATH.is_file()
    source = loader_js()
    assert "/*sblgen:apply*/" in source
    assert str(templates.apply_js()) in source
    assert str(templates.apply_js()) in str(push(SESSION))


def test_memo_keys_by_value() -> None:
    calls: list[str] = []

    def make(key: str) -> str:
        calls.append(key)
        return key.upper()

    memo = Memo(make)
    key = "".join(["a", "b"])  # a distinct object equal to "ab"
    assert memo("ab") == memo(key) == "AB"
    assert calls == ["ab"]


def test_memo_never_confuses_freed_keys() -> None:
    """Options made, rendered and freed one after another (their ids are reused) each get
    their own tag: the cache keys by value, not by id()."""
    seen = set()
    for i in range(50):
        options = SblOptions(storefront=TEST_SHOP, access_key=f"KEY{i}")
        tag = script_tag(options)
        assert f'data-access-key="KEY{i}"' in tag
        seen.add(tag)
        del options
        gc.collect()
    assert len(seen) == 50


def test_memo_shares_entries_between_equal_options() -> None:
    copy = ALL_OPTIONS.model_copy()
    assert templates.script_tag_frame(copy) is templates.script_tag_frame(ALL_OPTIONS)


def test_memo_is_bounded() -> None:
    memo: Memo[int, int] = Memo(lambda n: n, size=4)
    for n in range(10):
        assert memo(n) == n
        assert len(memo) <= 4
