"""``sblgen site init``, ``sblgen site build`` and ``sblgen site serve``."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from sblgen._cli.common import EXIT_OK
from sblgen.errors import SiteError

#: What ``site init`` writes, from the package: the starter site (site.toml, static/) and
#: the theme ``site build`` falls back to, copied into templates/ to be changed.
_STARTER_SITE = ("starters", "site")
_THEME = ("templates", "site")


def register(commands: Any) -> None:
    site = commands.add_parser("site", help="build and preview static landing pages")
    sub = site.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    init = sub.add_parser(
        "init",
        help="start a site in SITE_DIR: a site.toml with pages, the theme's templates and a "
        "favicon, ready to build",
    )
    init.add_argument("site_dir", metavar="SITE_DIR")
    init.add_argument(
        "--force",
        action="store_true",
        help="write into SITE_DIR even if it is not empty (the starter's files replace files "
        "of the same name; nothing else is touched)",
    )
    init.set_defaults(handler=_init)
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


def _package_dir(*parts: str) -> Traversable:
    folder = files("sblgen")
    for part in parts:
        folder = folder.joinpath(part)
    return folder


def _starter_files() -> dict[str, bytes]:
    """The files ``site init`` writes: relative path -> content."""
    found: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name == "__pycache__":
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                found[prefix + entry.name] = entry.read_bytes()

    walk(_package_dir(*_STARTER_SITE), "")
    walk(_package_dir(*_THEME), "templates/")
    return found


def _init(args: argparse.Namespace) -> int:
    root = Path(args.site_dir)
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise SiteError(f"{root}: not a folder; give a new or empty folder for the site.")
    if root.is_dir() and any(root.iterdir()) and not args.force:
        raise SiteError(
            f"{root}: not empty; give a new folder, or pass --force to add the starter's "
            "files to it (they replace files of the same name)."
        )
    starter = _starter_files()
    for name in starter:  # check everything before writing anything
        for parent in [root / name, *(root / name).parents]:
            if parent == root or root not in parent.parents:
                break
            if parent.is_symlink():
                raise SiteError(
                    f"{parent}: a symbolic link; site init writes only plain files and "
                    "folders: remove it, or choose another folder."
                )
            if parent != root / name and parent.exists() and not parent.is_dir():
                raise SiteError(f"{parent}: not a folder; the starter needs a folder there.")
    for name, content in starter.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"created a site in {root}: site.toml, templates/ (the theme), static/")
    print(f"next: sblgen site build {root} --out {root / '_build'}")
    return EXIT_OK


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
