"""The Content-Security-Policy: golden policies per storefront type and mode, the rules for
nonces, script origins, templates and extra sources, and the Flask and Django integrations
that send it (real Flask and Django test clients, django-csp's middleware)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import django
import pytest
from flask import Flask, Response, g, render_template_string
from hypothesis import given
from hypothesis import strategies as st

import sblgen
from sblgen import ConfigurationError, RenderError, SblOptions, Session, csp
from sblgen.integrations.flask import Sblgen
from tests.conftest import Golden

STOREFRONTS = {
    "popup": "acme.test.onfastspring.com/popup-acme",
    "embedded": "acme.test.onfastspring.com/embedded-acme",
    "web": "acme.test.onfastspring.com/acme",
    "inapp": "acme.test.onfastspring.com/inapp-acme",
}
NONCE = "dGVzdC1ub25jZQ=="
STORES = "https://acme.test.onfastspring.com https://acme.onfastspring.com"
SESSION = Session.model_validate({"products": [{"path": "pro-plan", "quantity": 1}]})


def options(kind: str = "popup", **kw: Any) -> SblOptions:
    return SblOptions(storefront=STOREFRONTS[kind], **kw)


def parsed(value: str) -> dict[str, list[str]]:
    """A header value back as directives (the way a browser splits it)."""
    found: dict[str, list[str]] = {}
    for part in value.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


# ----------------------------------------------------------------------------- the policies


@pytest.mark.parametrize("mode", ["inline", "external"])
@pytest.mark.parametrize("kind", list(STOREFRONTS))
def test_golden(kind: str, mode: Any, golden: Golden) -> None:
    """One directive a line (the value itself is the same lines joined with '; ')."""
    opts = options(kind, mode=mode)
    nonce = NONCE if mode == "inline" else None
    lines = [" ".join([name, *s]) for name, s in csp.directives(opts, nonce=nonce).items()]
    golden(f"csp/{kind}-{mode}.txt", "\n".join(lines) + "\n")
    assert csp.policy(opts, nonce=nonce) == "; ".join(lines)


def test_what_each_storefront_type_needs() -> None:
    """§ of the SBL's loads: stylesheet except embedded, spinner only popup, frames for popup
    and embedded (embedded: the skeleton from the SBL's folder too), the skeleton's style
    attribute only embedded."""
    found = {kind: csp.directives(options(kind), nonce=NONCE) for kind in STOREFRONTS}
    sbl = csp.SBL_ORIGIN
    assert [k for k in found if sbl in found[k].get("style-src", [])] == ["popup", "web", "inapp"]
    assert [k for k in found if "img-src" in found[k]] == ["popup"]
    assert [k for k in found if "frame-src" in found[k]] == ["popup", "embedded"]
    assert found["embedded"]["frame-src"][-1] == sbl
    assert sbl not in found["popup"]["frame-src"]
    assert [k for k in found if "style-src-attr" in found[k]] == ["embedded"]
    for kind, policy in found.items():
        assert policy["default-src"] == ["'self'"], kind
        assert policy["connect-src"] == ["'self'", *STORES.split()], kind
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], kind


def test_skeleton_hash_is_of_its_style_attribute() -> None:
    import base64
    import hashlib

    digest = hashlib.sha256(b"position:absolute; top:0").digest()
    computed = f"'sha256-{base64.b64encode(digest).decode()}'"
    assert computed == csp.SKELETON_STYLE_HASH


def test_both_store_hosts_whatever_the_storefront() -> None:
    live = SblOptions(storefront="acme.onfastspring.com/popup-acme")
    assert csp.directives(live, nonce=NONCE)["connect-src"] == ["'self'", *STORES.split()]


def test_top_level_name() -> None:
    assert sblgen.content_security_policy is csp.policy
    assert "content_security_policy" in sblgen.__all__


# ----------------------------------------------------------------------------- nonces


def test_inline_mode_needs_the_nonce() -> None:
    with pytest.raises(RenderError, match=r"inline mode: pass nonce=.*mode='external'"):
        csp.policy(options())


def test_a_bad_nonce_is_refused() -> None:
    with pytest.raises(RenderError, match="is not a CSP nonce"):
        csp.policy(options(), nonce="'; script-src *")


def test_external_mode_takes_a_nonce_for_scripts_of_your_own() -> None:
    script = csp.directives(options(mode="external"), nonce=NONCE)["script-src"]
    assert script == ["'self'", f"'nonce-{NONCE}'", csp.SBL_ORIGIN]


def test_not_options() -> None:
    with pytest.raises(TypeError, match="SblOptions"):
        csp.policy(STOREFRONTS["popup"], nonce=NONCE)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- script origins


@pytest.mark.parametrize(
    ("src", "origin"),
    [
        ("https://Mirror.example.com:8443/sbl/1.0.3/sbl.js", "https://mirror.example.com:8443"),
        ("//cdn.example.com/sbl.js", "cdn.example.com"),
        ("/static/sbl.js", "'self'"),
        ("js/sbl.js", "'self'"),
    ],
)
def test_a_script_of_your_own_moves_its_folder_too(src: str, origin: str) -> None:
    """fastspring.css and skeleton.html come from the folder of the script; the spinner's
    host is fixed."""
    popup = csp.directives(options(src=src), nonce=NONCE)
    assert popup["script-src"] == [f"'nonce-{NONCE}'", origin]
    assert popup["style-src"] == (["'self'"] if origin == "'self'" else ["'self'", origin])
    assert popup["img-src"] == ["'self'", csp.SBL_ORIGIN]
    embedded = csp.directives(options("embedded", src=src), nonce=NONCE)
    assert origin in embedded["frame-src"]


def test_external_loader_on_another_host() -> None:
    opts = options(mode="external", loader_src="https://cdn.example.com/sbl-loader.js")
    script = csp.directives(opts)["script-src"]
    assert script == ["'self'", "https://cdn.example.com", csp.SBL_ORIGIN]


def test_templates_allow_handlebars() -> None:
    script = csp.directives(options(), nonce=NONCE, templates=True)["script-src"]
    assert script[-2:] == [csp.HANDLEBARS_ORIGIN, "'unsafe-eval'"]


# ----------------------------------------------------------------------------- extra sources


def test_extra_sources_are_added_once() -> None:
    found = csp.directives(
        options(),
        nonce=NONCE,
        extra={"img-src": ["https://cdn.example.com", "'self'"], "connect-src": ["wss://x.io"]},
    )
    assert found["img-src"] == ["'self'", csp.SBL_ORIGIN, "https://cdn.example.com"]
    assert found["connect-src"][-1] == "wss://x.io"


def test_a_new_directive_starts_from_what_it_falls_back_to() -> None:
    """Setting img-src on a web storefront must not take away 'self' (default-src) images;
    style-src-attr falls back to style-src; form-action falls back to nothing."""
    extra = {
        "img-src": ["https://cdn.example.com"],
        "style-src-attr": ["'unsafe-inline'"],
        "form-action": ["'self'"],
        "font-src": ["https://fonts.example.com"],
    }
    found = csp.directives(options("web"), nonce=NONCE, extra=extra)
    assert found["img-src"] == ["'self'", "https://cdn.example.com"]
    assert found["style-src-attr"] == ["'self'", csp.SBL_ORIGIN, "'unsafe-inline'"]
    assert found["form-action"] == ["'self'"]
    assert found["font-src"] == ["'self'", "https://fonts.example.com"]
    order = list(found)
    assert order[:5] == ["default-src", "script-src", "connect-src", "style-src", "style-src-attr"]
    assert order[-2:] == ["form-action", "font-src"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"img src": ["x"]}, "is not a CSP directive"),
        ({"IMG-SRC": ["x"]}, "is not a CSP directive"),
        ({"img-src": "https://cdn.example.com"}, "give a list of sources"),
        ({"img-src": ["https://a.com; script-src *"]}, "is not a CSP source"),
        ({"img-src": ["https://a.com,https://b.com"]}, "is not a CSP source"),
        ({"img-src": [""]}, "is not a CSP source"),
        ({"img-src": [3]}, "is not a CSP source"),
    ],
)
def test_bad_extra_sources(extra: Any, message: str) -> None:
    with pytest.raises(RenderError, match=message):
        csp.policy(options(), nonce=NONCE, extra=extra)


SOURCE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1).filter(
    lambda s: ";" not in s and "," not in s
)


@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}-src", fullmatch=True), st.lists(SOURCE)))
def test_any_valid_extra_keeps_the_header_parseable(extra: dict[str, list[str]]) -> None:
    """Whatever sources are added, a browser splits the value back into the same
    directives: no source can end a directive or start one."""
    found = csp.directives(options(), nonce=NONCE, extra=extra)
    assert parsed(csp.policy(options(), nonce=NONCE, extra=extra)) == found


# ----------------------------------------------------------------------------- Flask


def flask_app(csp_option: Any = True, **config: object) -> Flask:
    app = Flask(__name__)
    app.config.update({"SBLGEN_STOREFRONT": STOREFRONTS["popup"], **config})
    Sblgen(app, csp=csp_option)

    @app.get("/")
    def page() -> str:
        return render_template_string("{{ sbl_script(session=session) }}", session=SESSION)

    @app.get("/own")
    def own() -> Response:
        return Response("<p>mine</p>", headers={"Content-Security-Policy": "default-src 'none'"})

    @app.get("/data")
    def data() -> dict[str, int]:
        return {"a": 1}

    return app


def test_flask_sends_the_policy_with_the_scripts_nonce() -> None:
    client = flask_app().test_client()
    first, second = client.get("/"), client.get("/")
    nonces = []
    for response in (first, second):
        header = response.headers["Content-Security-Policy"]
        nonce = re.findall(r"'nonce-([^']+)'", header)[0]
        assert response.text.count(f'nonce="{nonce}"') == 2
        assert header == csp.policy(options(), nonce=nonce)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_flask_keeps_a_nonce_the_app_set() -> None:
    app = flask_app()

    @app.before_request
    def set_nonce() -> None:
        g.csp_nonce = NONCE

    response = app.test_client().get("/")
    assert f"'nonce-{NONCE}'" in response.headers["Content-Security-Policy"]
    assert f'nonce="{NONCE}"' in response.text


def test_flask_leaves_other_responses_alone() -> None:
    client = flask_app().test_client()
    assert client.get("/own").headers["Content-Security-Policy"] == "default-src 'none'"
    assert "Content-Security-Policy" not in client.get("/data").headers


def test_flask_external_mode_has_no_nonce_to_send() -> None:
    app = flask_app(SBLGEN_MODE="external")
    response = app.test_client().get("/")
    header = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "<script>" not in response.text


def test_flask_extra_sources_and_their_errors() -> None:
    header = flask_app({"img-src": ["https://cdn.example.com"]}).test_client().get("/").headers
    assert "img-src 'self' https://sbl.onfastspring.com https://cdn.example.com" in str(header)
    with pytest.raises(ConfigurationError, match=r"Sblgen\(app, csp=...\): extra\['img-src'\]"):
        flask_app({"img-src": ["a b"]})


def test_flask_without_csp_sends_nothing() -> None:
    response = flask_app(False).test_client().get("/")
    assert "Content-Security-Policy" not in response.headers
    assert "nonce=" not in response.text  # no g.csp_nonce, no nonce getter


def test_flask_nonce_getter_of_your_own() -> None:
    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = STOREFRONTS["popup"]
    Sblgen(app, csp=True, nonce_getter=lambda: "b3du")

    @app.get("/")
    def page() -> str:
        return render_template_string("{{ sbl_session({'coupon': 'X'}) }}")

    response = app.test_client().get("/")
    assert "'nonce-b3du'" in response.headers["Content-Security-Policy"]
    assert '<script nonce="b3du">' in response.text


# ----------------------------------------------------------------------------- Django


def _ensure_django() -> None:
    """Configure Django unless another test module did (at its import, so that this module
    never changes the settings another one relies on)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django"],
        )
        django.setup()


def django_page(request: Any) -> Any:
    from django.http import HttpResponse
    from django.template import Context, Template

    template = Template("{% load sblgen %}{% sbl_script session %}")
    return HttpResponse(template.render(Context({"session": SESSION, "request": request})))


def django_own(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("<p>mine</p>", headers={"Content-Security-Policy": "default-src 'none'"})


def django_json(request: Any) -> Any:
    from django.http import JsonResponse

    return JsonResponse({"a": 1})


urlpatterns: list[Any] = []

DJANGO_TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
SBLGEN = {"STOREFRONT": STOREFRONTS["popup"], "ACCESS_KEY": "K"}


@pytest.fixture
def django_settings() -> Iterator[Any]:
    _ensure_django()
    from django.test import override_settings
    from django.urls import path

    urlpatterns[:] = [
        path("", django_page),
        path("own/", django_own),
        path("data/", django_json),
    ]
    with override_settings(
        ROOT_URLCONF=__name__,
        TEMPLATES=DJANGO_TEMPLATES,
        SBLGEN=SBLGEN,
        MIDDLEWARE=["sblgen.integrations.django.csp.ContentSecurityPolicyMiddleware"],
    ) as overridden:
        yield overridden
    urlpatterns.clear()


def test_django_middleware(django_settings: Any) -> None:
    from django.test import Client

    client = Client()
    response = client.get("/")
    header = response["Content-Security-Policy"]
    nonce = re.findall(r"'nonce-([^']+)'", header)[0]
    assert response.content.decode().count(f'nonce="{nonce}"') == 2
    assert header == csp.policy(options(access_key="K"), nonce=nonce)
    assert client.get("/")["Content-Security-Policy"] != header  # a fresh nonce
    assert client.get("/own/")["Content-Security-Policy"] == "default-src 'none'"
    assert "Content-Security-Policy" not in client.get("/data/")


def test_django_middleware_extra_and_external_mode(django_settings: Any) -> None:
    from django.test import Client, override_settings

    external = {**SBLGEN, "MODE": "external"}
    extra = {"img-src": ["https://cdn.example.com"]}
    with override_settings(SBLGEN=external, SBLGEN_CSP_EXTRA=extra):
        header = Client().get("/")["Content-Security-Policy"]
    assert header == csp.policy(options(mode="external", access_key="K"), extra=extra)


def test_django_middleware_errors(django_settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.test import Client, override_settings

    with override_settings(SBLGEN={"STOREFONT": "x"}), pytest.raises(ImproperlyConfigured):
        Client().get("/")
    bad = {**SBLGEN, "MODE": "sideways"}
    with override_settings(SBLGEN=bad), pytest.raises(ImproperlyConfigured, match="MODE"):
        Client().get("/")
    with (
        override_settings(SBLGEN_CSP_EXTRA={"img-src": ["a;b"]}),
        pytest.raises(ImproperlyConfigured, match="is not a CSP source"),
    ):
        Client().get("/")


def test_django_csp_settings_for_django_csp(django_settings: Any) -> None:
    """django-csp's own middleware, configured from the SBLGEN dict: its nonce is the one
    the tags use, and the header is sblgen's policy."""
    from csp.constants import NONCE as DJANGO_CSP_NONCE
    from django.test import Client, override_settings

    from sblgen.integrations.django.csp import django_csp_settings

    config = django_csp_settings(SBLGEN)
    assert DJANGO_CSP_NONCE in config["DIRECTIVES"]["script-src"]
    assert config["DIRECTIVES"]["connect-src"] == ["'self'", *STORES.split()]
    with override_settings(
        CONTENT_SECURITY_POLICY=config, MIDDLEWARE=["csp.middleware.CSPMiddleware"]
    ):
        response = Client().get("/")
    header = response["Content-Security-Policy"]
    nonce = re.findall(r"'nonce-([^']+)'", header)[0]
    assert response.content.decode().count(f'nonce="{nonce}"') == 2
    assert parsed(header) == csp.directives(options(access_key="K"), nonce=nonce)
    external = django_csp_settings(SblOptions(storefront=STOREFRONTS["web"], mode="external"))
    assert DJANGO_CSP_NONCE not in external["DIRECTIVES"]["script-src"]


# ----------------------------------------------------------------------------- the README


def test_readme_shows_what_the_function_returns() -> None:
    """The README's policy is the function's output, as printed there."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = 'print(content_security_policy(popup, nonce="r4nd0m").replace("; ", ";\\n"))'
    block = re.search(re.escape(example) + r"\n```\n\n```text\n(.*?)```", readme, re.S)
    assert block, "the README's CSP example and its output"
    shown = block[1].rstrip("\n").replace(";\n", "; ")
    assert shown == csp.policy(SblOptions(storefront=STOREFRONTS["popup"]), nonce="r4nd0m")
