"""Render the README's example purchase to a page (until the site generator lands)."""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2.utils import htmlsafe_json_dumps

import sblgen

OUT = Path(__file__).parent / "_build" / "index.html"


def main() -> int:
    session = (
        sblgen.CheckoutBuilder()
        .reset()
        .product("pro-plan", 1)
        .coupon("WELCOME10")
        .contact(email="ann@example.com", first_name="Ann", last_name="Lee")
        .country("DE")
        .language("de")
        .tag("user_id", "42")
        .session()
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        "<!doctype html>\n<title>sblgen example</title>\n"
        f"<script>var fscSession = {htmlsafe_json_dumps(session.to_dict())};</script>\n"
        "<pre>" + session.to_json(indent=2).replace("&", "&amp;").replace("<", "&lt;") + "</pre>\n",
        encoding="utf-8",
    )
    print(f"demo page written: {OUT.resolve()}")
    print(f"open it with: python3 -m webbrowser file://{OUT.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
