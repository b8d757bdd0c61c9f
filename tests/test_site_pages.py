"""Rendering pages: template errors name the file and line; the starter theme renders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.site import build_site
from tests.sites import ROOT, make_site


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


def test_starter_theme_copies_do_not_drift() -> None:
    for copy in (ROOT / "templates" / "site").iterdir():
        shipped = ROOT / "sblgen" / "templates" / "site" / copy.name
        assert copy.read_text() == shipped.read_text(), f"{copy} differs from {shipped}"


def test_every_top_level_template_renders(tmp_path: Path) -> None:
    import jinja2

    from sblgen import SblOptions, Session
    from sblgen.integrations.jinja import install

    session = Session.model_validate({"products": [{"path": "x", "quantity": 1}]})
    options = SblOptions(storefront="t.test.onfastspring.com/popup-t")
    rendered = 0
    for folder in ("flask", "embed"):
        env = install(
            jinja2.Environment(
                loader=jinja2.FileSystemLoader(ROOT / "templates" / folder),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
            ),
            options=options,
        )
        for path in (ROOT / "templates" / folder).glob("*.html"):
            html = env.get_template(path.name).render(session=session, title="T")
            assert 'id="fsc-api"' in html and 'data-fsc-item-path-value="x"' in html
            rendered += 1
    # The site theme is rendered by a site build that uses the top-level copies.
    site = make_site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\nproducts = ["x"]\n'
        '[[pages]]\npath = "b.html"\ntitle = "B"\ntemplate = "pricing.html"\nproducts = ["x"]\n',
    )
    shutil.copytree(ROOT / "templates" / "site", site / "templates")
    build_site(site, tmp_path / "out")
    assert rendered == 2
    # templates/django is rendered by tests/test_integrations_django.py.
    shutil.rmtree(site / "templates")
