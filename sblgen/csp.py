"""The ``Content-Security-Policy`` a page with the SBL needs: a pure function of its options.

FastSpring's library does more than run a script. It sends the cart to the storefront's host,
loads ``fastspring.css`` from the folder of its script, shows a spinner image from
``sbl.onfastspring.com`` and opens checkout in a frame. Under ``default-src 'self'`` each of
these needs its own source, and which ones depends on the storefront type:

============  ===========================================================================
storefront    what the SBL loads besides its script and the builder requests
============  ===========================================================================
popup         ``fastspring.css``, the spinner, the checkout frame
embedded      the skeleton frame (``skeleton.html``, with one inline ``style`` attribute)
              and the checkout frame; no stylesheet, no spinner
web, inapp    ``fastspring.css``; checkout is a navigation, not a frame
============  ===========================================================================

:func:`policy` writes the whole header value, :func:`directives` the same as a mapping (to
merge with a policy of your own, or to hand to django-csp). The mode decides ``script-src``:
``inline`` allows the page's nonce, ``external`` allows ``'self'`` (where sblgen's loader is
served). Every other directive lists ``'self'`` first, so the policy never takes away what
``default-src 'self'`` allows; a directive the SBL needs nothing more for is left to
``default-src``.

>>> from sblgen.options import SblOptions
>>> popup = SblOptions(storefront="acme.test.onfastspring.com/popup-acme")
>>> print(policy(popup, nonce="r4nd0m"))
default-src 'self'; script-src 'nonce-r4nd0m' https://sbl.onfastspring.com;
connect-src 'self' https://acme.test.onfastspring.com https://acme.onfastspring.com;
style-src 'self' https://sbl.onfastspring.com; img-src 'self' https://sbl.onfastspring.com;
frame-src 'self' https://acme.test.onfastspring.com https://acme.onfastspring.com;
object-src 'none'; base-uri 'self'

The value is one line; it wraps here to fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from sblgen.errors import RenderError
from sblgen.options import SblOptions, check_nonce

__all__ = [
    "HANDLEBARS_ORIGIN",
    "SBL_ORIGIN",
    "SKELETON_STYLE_HASH",
    "content_security_policy",
    "directives",
    "policy",
]

#: Where FastSpring serves the SBL, its stylesheet, the spinner and the skeleton.
SBL_ORIGIN = "https://sbl.onfastspring.com"
#: Where the SBL loads Handlebars from, for pages with ``data-fsc-items-container``.
HANDLEBARS_ORIGIN = "https://cdnjs.cloudflare.com"
#: The hash of the one inline style the SBL writes as HTML: the embedded skeleton frame's
#: ``style="position:absolute; top:0"`` (``'unsafe-hashes'`` lets it match an attribute).
SKELETON_STYLE_HASH = "'sha256-ur3JQ1LLAP0FeywUHXNLTJyg+g21eG4HBYwtqwuiTl0='"

_SELF = "'self'"
#: The order directives are written in.
_ORDER = (
    "default-src",
    "script-src",
    "connect-src",
    "style-src",
    "style-src-attr",
    "img-src",
    "frame-src",
    "object-src",
    "base-uri",
)
_DIRECTIVE = re.compile(r"[a-z][a-z-]*[a-z]")
#: A source expression: printable ASCII, no space, no ``;`` or ``,`` (which would end the
#: directive or the policy).
_SOURCE = re.compile(r"[!-+\--:<-~]+")


def directives(
    options: SblOptions,
    *,
    nonce: str | None = None,
    templates: bool = False,
    extra: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, list[str]]:
    """The policy as ``{directive: [source, ...]}``, in the order :func:`policy` writes it.

    ``nonce``: the nonce of the page's inline scripts; required in inline mode (where every
    sblgen snippet carries it), optional in external mode (for inline scripts of your own).
    ``templates``: the page uses ``data-fsc-items-container``, so the SBL loads Handlebars
    from cdnjs, which compiles templates with ``eval`` (``'unsafe-eval'``). ``extra``: more
    sources per directive, added after sblgen's (a new fetch directive starts from
    ``'self'``, as ``default-src`` would have allowed), e.g. the hosts of product images
    for ``data-fsc-item-image``: ``extra={"img-src": ["https://cdn.example.com"]}``.

    >>> from sblgen.options import SblOptions
    >>> web = SblOptions(storefront="acme.onfastspring.com/acme", mode="external")
    >>> for name, sources in directives(web).items():
    ...     print(name, *sources)
    default-src 'self'
    script-src 'self' https://sbl.onfastspring.com
    connect-src 'self' https://acme.test.onfastspring.com https://acme.onfastspring.com
    style-src 'self' https://sbl.onfastspring.com
    object-src 'none'
    base-uri 'self'
    >>> directives(SblOptions(storefront="acme.onfastspring.com/popup-acme"))
    Traceback (most recent call last):
    sblgen.errors.RenderError: inline mode: pass nonce=<the nonce of the page's inline ...
    """
    if not isinstance(options, SblOptions):
        raise TypeError(
            f"directives() takes the page's SblOptions, not {type(options).__name__}; build "
            "them with SblOptions(storefront=...)."
        )
    check_nonce(nonce)
    if options.mode == "inline" and nonce is None:
        raise RenderError(
            "inline mode: pass nonce=<the nonce of the page's inline scripts> (a fresh one per "
            "response), or use SblOptions(mode='external') for a page without inline scripts."
        )
    kind = options.storefront.checkout_type
    sbl = _origin(options.script_src)
    stores = [
        f"https://{options.storefront.store_id}.test.onfastspring.com",
        f"https://{options.storefront.store_id}.onfastspring.com",
    ]
    script = [f"'nonce-{nonce}'"] if nonce is not None else []
    if options.mode == "external":
        script = [_SELF, *script, _origin(options.loader_src)]
    script.append(sbl)
    if templates:
        script += [HANDLEBARS_ORIGIN, "'unsafe-eval'"]
    found: dict[str, list[str]] = {
        "default-src": [_SELF],
        "script-src": script,
        "connect-src": [_SELF, *stores],
    }
    if kind != "embedded":  # fastspring.css, from the folder of the script
        found["style-src"] = [_SELF, sbl]
    else:  # the skeleton frame's style attribute
        found["style-src-attr"] = ["'unsafe-hashes'", SKELETON_STYLE_HASH]
    if kind == "popup":  # the spinner's host is fixed, whatever the script's
        found["img-src"] = [_SELF, SBL_ORIGIN]
    if kind == "popup":
        found["frame-src"] = [_SELF, *stores]
    elif kind == "embedded":  # skeleton.html, from the folder of the script
        found["frame-src"] = [_SELF, *stores, sbl]
    found["object-src"] = ["'none'"]
    found["base-uri"] = [_SELF]
    for name, sources in (extra or {}).items():
        _add(found, name, sources)
    ordered = {name: _unique(found[name]) for name in _ORDER if name in found}
    return ordered | {name: _unique(found[name]) for name in found if name not in ordered}


def policy(
    options: SblOptions,
    *,
    nonce: str | None = None,
    templates: bool = False,
    extra: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """The ``Content-Security-Policy`` header value for a page rendered with ``options``
    (the arguments are those of :func:`directives`).

    >>> from sblgen.options import SblOptions
    >>> embedded = SblOptions(storefront="acme.test.onfastspring.com/embedded-acme")
    >>> print(policy(embedded, nonce="r4nd0m").replace("; ", ";\\n"))
    default-src 'self';
    script-src 'nonce-r4nd0m' https://sbl.onfastspring.com;
    connect-src 'self' https://acme.test.onfastspring.com https://acme.onfastspring.com;
    style-src-attr 'unsafe-hashes' 'sha256-ur3JQ1LLAP0FeywUHXNLTJyg+g21eG4HBYwtqwuiTl0=';
    frame-src 'self' https://acme.test.onfastspring.com https://acme.onfastspring.com
              https://sbl.onfastspring.com;
    object-src 'none';
    base-uri 'self'
    """
    found = directives(options, nonce=nonce, templates=templates, extra=extra)
    return "; ".join(" ".join([name, *sources]) for name, sources in found.items())


#: :func:`policy`, under the name ``sblgen`` exports it: ``sblgen.content_security_policy``.
content_security_policy = policy


def _origin(url: str) -> str:
    """The source expression that allows ``url``: its origin, or ``'self'`` for a path on
    the page's own site. A ``//host/...`` URL gives ``host`` (the page's scheme)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return _SELF
    if not parts.scheme:
        return parts.netloc.lower()
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _add(found: dict[str, list[str]], name: object, sources: Iterable[str]) -> None:
    if not isinstance(name, str) or not _DIRECTIVE.fullmatch(name):
        raise RenderError(
            f"extra: {name!r} is not a CSP directive; use a name such as 'img-src' (lower case)."
        )
    if isinstance(sources, str):
        raise RenderError(
            f"extra[{name!r}]: give a list of sources, such as ['https://cdn.example.com'], "
            "not one string."
        )
    values = list(sources)
    for source in values:
        if not isinstance(source, str) or not _SOURCE.fullmatch(source):
            raise RenderError(
                f"extra[{name!r}]: {source!r} is not a CSP source; use one such as "
                "'https://cdn.example.com' or \"'self'\" (no spaces, ';' or ',')."
            )
    if name not in found:
        found[name] = list(_fallback(found, name))
    found[name] += values


def _fallback(found: dict[str, list[str]], name: str) -> list[str]:
    """What a directive allows before it is set: its fallback's sources (``style-src-attr``
    falls back to ``style-src``, a fetch directive to ``default-src``); none for the other
    directives (``form-action``, ``frame-ancestors``, ...)."""
    for prefix in ("script-src", "style-src"):
        if name.startswith(prefix + "-"):
            return found.get(prefix, found["default-src"])
    if name.endswith("-src"):
        return found["default-src"]
    return []


def _unique(sources: list[str]) -> list[str]:
    return list(dict.fromkeys(sources))
