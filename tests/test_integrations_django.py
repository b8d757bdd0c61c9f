"""The Django app with a real Django test client, and django-csp's nonce."""

from __future__ import annotations

from pathlib import Path

import django
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

from csp.constants import NONCE, SELF  # noqa: E402

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-only",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.staticfiles",
            "sblgen.integrations.django",
            "csp",
        ],
        STATIC_URL="/static/",
        MIDDLEWARE=["csp.middleware.CSPMiddleware"],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(ROOT / "sblgen" / "starters" / "django")],
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        CONTENT_SECURITY_POLICY={
            "DIRECTIVES": {"script-src": [SELF, "https://sbl.onfastspring.com", NONCE]}
        },
        SBLGEN={"STOREFRONT": "acme.test.onfastspring.com/popup-acme", "ACCESS_KEY": "K"},
    )
    django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from sblgen import SecureRequest, Session  # noqa: E402

SESSION = Session.model_validate({"products": [{"path": "pro-plan", "quantity": 1}], "coupon": "X"})


def checkout_view(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout.html", {"session": SESSION, "title": "<Checkout>"})


urlpatterns = [path("checkout/", checkout_view)]


def test_starter_template_with_csp_nonce() -> None:
    response = Client().get("/checkout/")
    assert response.status_code == 200
    html = response.content.decode()
    header = response["Content-Security-Policy"]
    nonce = header.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">var fscSession = (function(' in html
    assert f'(window,document,"session",{SESSION.to_json()});</script>' in html
    assert 'id="fsc-api"' in html and 'data-access-key="K"' in html
    assert f'nonce="{nonce}"></script>' in html
    assert 'data-fsc-item-path-value="pro-plan"' in html
    assert "&lt;Checkout&gt;" in html  # ordinary context stays escaped
    assert "&lt;script" not in html  # our markup is not double-escaped


def test_every_tag() -> None:
    template = Template(
        "{% load sblgen %}{% sbl_session s %}{% sbl_push s %}{% sbl_secure sec %}"
        "{% sbl_loader %}{% sbl_buttons s %}{% sbl_button 'Cart' actions='ViewCart' %}"
    )
    html = template.render(Context({"s": SESSION, "sec": SecureRequest.plaintext({"coupon": "Y"})}))
    assert "var fscSession" in html
    assert '"push",' in html and '"secure",' in html
    assert "sbl-loader.js" in html
    assert 'data-fsc-action="ViewCart"' in html


def test_dict_session_and_hostile_data_escaped() -> None:
    template = Template("{% load sblgen %}{% sbl_session s %}")
    html = template.render(Context({"s": {"tags": {"a": "</script><script>alert(1)</script>"}}}))
    assert "</script><script>" not in html.replace("var fscSession = ", "").split(";</script>")[0]
    assert "\\u003c/script\\u003e" in html


def test_missing_settings() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(SBLGEN=None), pytest.raises(ImproperlyConfigured, match="STOREFRONT"):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    bad = {"STOREFRONT": "evil.example/popup", "ACCESS_KEY": "K"}
    with (
        override_settings(SBLGEN=bad),
        pytest.raises(ImproperlyConfigured, match=r"SBLGEN\['STOREFRONT'\]: .*not a FastSpring"),
    ):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    with (
        override_settings(SBLGEN={"STOREFRONT": "acme.test.onfastspring.com/popup-a", "X": 1}),
        pytest.raises(ImproperlyConfigured, match=r"SBLGEN\['X'\]: unknown setting; use one of"),
    ):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    # the settings in force again: the helpers follow them, nothing stale is kept
    assert "popup-acme" in Template("{% load sblgen %}{% sbl_script %}").render(Context({}))


def test_readme_snippet_renders() -> None:
    from tests.test_readme import readme_blocks

    (snippet,) = readme_blocks("django")
    html = Template(snippet).render(Context({"session": SESSION}))
    assert "var fscSession" in html and 'id="fsc-api"' in html
    assert 'data-fsc-item-path-value="pro-plan"' in html
    assert 'data-fsc-action="ViewCart"' in html


def test_actions_comma_separated() -> None:
    """A Django template cannot write a list: actions="Reset,Add,Checkout" is one."""
    html = Template(
        '{% load sblgen %}{% sbl_button "Subscribe" product="pro" actions="Reset, Add,Checkout" %}'
        '{% sbl_buttons s actions="Add,Checkout" %}{% sbl_button "Cart" actions="ViewCart" %}'
    ).render(Context({"s": SESSION}))
    assert 'data-fsc-item-path-value="pro" data-fsc-action="Reset,Add,Checkout">Subscribe' in html
    assert 'data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">' in html
    assert 'data-fsc-action="ViewCart">Cart' in html
    from sblgen import RenderError

    with pytest.raises(RenderError, match=r"Unknown markup action\(s\) \['Chekout'\]"):
        Template('{% load sblgen %}{% sbl_button "B" product="p" actions="Add,Chekout" %}').render(
            Context({})
        )


def test_external_mode_loader_comes_from_staticfiles() -> None:
    """The app ships the loader in its static/ folder: staticfiles finds it (runserver
    serves it, collectstatic collects it) and the tag points at {% static %}'s URL."""
    from django.contrib.staticfiles import finders

    from sblgen.render import loader_js

    found = finders.find("sblgen/sbl-loader.js")
    assert found is not None
    assert Path(found).read_text(encoding="utf-8") == loader_js()
    external = {"STOREFRONT": "acme.test.onfastspring.com/popup-acme", "MODE": "external"}
    with override_settings(SBLGEN=external, STATIC_URL="/assets/"):
        html = Template("{% load sblgen %}{% sbl_script s %}").render(Context({"s": SESSION}))
    assert '<script type="application/json" data-sblgen="session">' in html
    assert '<script src="/assets/sblgen/sbl-loader.js"></script>' in html
    with override_settings(SBLGEN={**external, "LOADER_SRC": "https://cdn.example.com/l.js"}):
        html = Template("{% load sblgen %}{% sbl_script s %}").render(Context({"s": SESSION}))
    assert '<script src="https://cdn.example.com/l.js"></script>' in html


_PROJECT_SETTINGS = """
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "test-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = ["django.contrib.staticfiles", "sblgen.integrations.django"]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [BASE_DIR / "templates"]}]
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "collected"
STORAGES = {"staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
SBLGEN = {"STOREFRONT": "acme.test.onfastspring.com/popup-acme", "MODE": "external"}
"""

_PROJECT_URLS = """
from django.conf import settings
from django.shortcuts import render
from django.urls import path, re_path
from django.views.static import serve

def checkout(request):
    return render(request, "checkout.html", {"session": {"products": [{"path": "pro"}]}})

# What the front web server does in production: STATIC_ROOT at STATIC_URL.
urlpatterns = [
    path("", checkout),
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
]
"""

# collectstatic, then the page and the loader over a real socket, from the collected files,
# as a deployed project serves them.
_PROJECT_RUN = """
import os, sys, threading, urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
from django.core.wsgi import get_wsgi_application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_port}"
html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
src = html.split('<script src="')[1].split('"')[0]
print(src)
sys.stdout.write(urllib.request.urlopen(base + src, timeout=10).read().decode())
server.shutdown()
"""


@pytest.mark.slow
def test_project_collects_and_serves_the_loader(tmp_path: Path) -> None:
    """A Django project in external mode, with a manifest storage (hashed file names):
    collectstatic collects the loader and the page's tag names the hashed file."""
    import os
    import subprocess
    import sys

    from sblgen.render import loader_js

    (tmp_path / "settings.py").write_text(_PROJECT_SETTINGS)
    (tmp_path / "urls.py").write_text(_PROJECT_URLS)
    (tmp_path / "run.py").write_text(_PROJECT_RUN)
    (tmp_path / "templates").mkdir()
    starter = ROOT / "sblgen" / "starters" / "django" / "checkout.html"
    (tmp_path / "templates" / "checkout.html").write_text(starter.read_text())
    result = subprocess.run(
        [sys.executable, "run.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    src, _, served = result.stdout.partition("\n")
    assert src.startswith("/static/sblgen/sbl-loader.") and src.endswith(".js")
    assert src != "/static/sblgen/sbl-loader.js"  # the manifest's hashed name
    assert served == loader_js()
    assert (tmp_path / "collected" / "sblgen" / "sbl-loader.js").read_text() == loader_js()


def test_sbl_script_secure_is_embeds_secure() -> None:
    """``{% sbl_script session secure=request %}`` is Python's ``embed(secure=...)``."""
    from sblgen import SblOptions, embed

    secure = SecureRequest.plaintext({"coupon": "LOCKED"})
    html = Template("{% load sblgen %}{% sbl_script s secure=sec %}").render(
        Context({"s": SESSION, "sec": secure})
    )
    options = SblOptions(storefront="acme.test.onfastspring.com/popup-acme", access_key="K")
    assert html == embed(options, session=SESSION, secure=secure, with_buttons=False)


def test_one_value_input_of_a_kind_per_render() -> None:
    """The SBL reads only the first data-fsc-<tag>-value on a page: a second one is refused
    (per render, included templates counted), with_input=False reads the first."""
    from sblgen import RenderError

    ok = Template(
        "{% load sblgen %}{% sbl_button 'Apply' actions='Promocode' %}"
        "{% sbl_button 'Again' actions='Promocode' with_input=False %}"
        "{% sbl_embedded_container %}"
    )
    html = ok.render(Context({}))
    assert html.count("data-fsc-promocode-value") == 1
    assert html.endswith('<div id="fsc-embedded-checkout-container"></div>')
    assert ok.render(Context({})) == html  # a new render counts from zero
    twice = Template(
        "{% load sblgen %}{% sbl_button 'A' actions='TaxId' %}{% sbl_button 'B' actions='TaxId' %}"
    )
    with pytest.raises(RenderError, match="already has an input data-fsc-taxid-value"):
        twice.render(Context({}))
