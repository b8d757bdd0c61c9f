"""Rendering pages: template errors name the file and line; the starter theme renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.site import build_site
from tests.sites import make_site


def test_template_errors_report_file_and_line(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\ntemplate = "mine.html"\n',
        {"mine.html": "line one\n{% if %}\n"},
    )
    with pytest.raises(SiteError, match=r"mine\.html:2: "):
        build_site(site, tmp_path / "out")
    (site / "templates" / "mine.html").write_text("ok\n{{ nope.attr }}\n")
    with pytest.raises(SiteError, match=r"mine\.html:2 \(page 'a\.html'\): 'nope' is undefined"):
        build_site(site, tmp_path / "out")

    cases = {  # template text -> what the error says after "mine.html:2 (page 'a.html'): "
        "{{ 1 / 0 }}": "ZeroDivisionError: division by zero",
        '{% include "missing.html" %}': "'missing.html' is neither in ",
        "{{ sbl_push(1) }}": r"invalid value: \(top level\): Input should be a valid dict",
        '{{ sbl_button("Add") }}': "Action Add needs product=",
    }
    for text, message in cases.items():
        (site / "templates" / "mine.html").write_text(f"ok\n{text}\n")
        with pytest.raises(SiteError, match=rf"mine\.html:2 \(page 'a\.html'\): {message}"):
            build_site(site, tmp_path / "out")
    (site / "templates" / "mine.html").write_text('ok\n{% include "part.html" %}\n')
    (site / "templates" / "part.html").write_text("{{ x( }}")
    with pytest.raises(SiteError, match=r"part\.html:1: "):  # the included file's own line
        build_site(site, tmp_path / "out")
    assert not (tmp_path / "out").exists()
