"""``sblgen site build`` and ``sblgen site serve``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sblgen._cli.common import EXIT_OK


def register(commands: Any) -> None:
    site = commands.add_parser("site", help="build and preview static landing pages")
    sub = site.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="build SITE_DIR (site.toml + templates) into OUT_DIR")
    build.add_argument("site_dir", metavar="SITE_DIR")
    build.add_argument("--out", required=True, metavar="OUT_DIR")
    build.add_argument("--workers", type=int, help="processes to use (default: every core)")
    build.add_argument("--progress", action="store_true", default=None, help="show a counter")
    build.add_argument(
        "--force",
        action="store_true",
        help="replace OUT_DIR even if it holds files this build would not write",
    )
    build.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="publish templates and static files that symbolic links bring in from outside "
        "SITE_DIR (refused by default)",
    )
    build.set_defaults(handler=_build)
    serve = sub.add_parser("serve", help="preview a built site on 127.0.0.1")
    serve.add_argument("out_dir", metavar="OUT_DIR")
    serve.add_argument("--port", type=int, default=8000, help="0 to 65535 (0: any free port)")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (e.g. a tunnel's); by default only "
        "127.0.0.1, localhost and [::1] with the server's port (against DNS rebinding); "
        "'*' for any",
    )
    serve.add_argument(
        "--offline",
        action="store_true",
        help="load sblgen's inspector instead of FastSpring's SBL (no account, no network)",
    )
    serve.set_defaults(handler=_serve)


def _build(args: argparse.Namespace) -> int:
    from sblgen.site import build_site

    result = build_site(
        args.site_dir,
        args.out,
        workers=args.workers,
        progress=args.progress,
        force=args.force,
        follow_symlinks=args.follow_symlinks,
    )
    print(f"built {result.pages} pages into {result.out_dir}")
    if result.prices is not None:  # [prices]: say where they came from, and how old
        print(f"sblgen: {result.prices.note}", file=sys.stderr)
        for product, country in result.prices.missing:
            print(
                f"sblgen: no FastSpring price for {product!r} in {country}; the page shows "
                "the catalog's price",
                file=sys.stderr,
            )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from sblgen.preview import PreviewServer

    server = PreviewServer(
        args.out_dir, port=args.port, offline=args.offline, allow_hosts=args.allow_host
    )
    mode = " (offline: pages load sblgen's inspector, not FastSpring)" if args.offline else ""
    try:  # Ctrl+C is how the preview stops: not an interruption, exit status 0
        print(f"serving {args.out_dir} at {server.url}{mode}; Ctrl+C to stop", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return EXIT_OK
