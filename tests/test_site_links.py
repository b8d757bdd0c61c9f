"""Symbolic links in a site folder: links out of it are refused unless the build follows
them; links inside it are fine; a link to nothing, a loop, a pipe are handled."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.cli import main
from sblgen.site import build_site
from tests.sites import built_files, make_site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")

_PAGE = '[[pages]]\npath = "a.html"\ntitle = "A"\ntemplate = "t.html"\n'


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site folder that must not be published."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "id_rsa").write_text("SECRET KEY")
    return folder / "id_rsa"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path, _PAGE, {"t.html": "page"})
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    return site


def _nothing_built(tmp_path: Path) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private", "site"]


@pytest.mark.parametrize(
    ("link", "target", "named"),
    [
        ("static/key.txt", "file", "static/key.txt"),
        ("static/sub", "folder", "static/sub"),
        ("static/deep/er/key.txt", "file", "static/deep/er/key.txt"),
    ],
)
def test_a_static_link_out_of_the_site_is_refused(
    tmp_path: Path, site: Path, secret: Path, link: str, target: str, named: str
) -> None:
    path = site / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(secret if target == "file" else secret.parent)
    with pytest.raises(SiteError) as err:
        build_site(site, tmp_path / "out")
    message = str(err.value)
    assert message.startswith(f"{site / named}: a symbolic link to {secret.parent}")
    assert "outside the site folder" in message and "--follow-symlinks" in message
    assert "SECRET" not in message
    _nothing_built(tmp_path)


def test_a_static_folder_that_is_a_link_out_is_refused(
    tmp_path: Path, site: Path, secret: Path
) -> None:
    (site / "static" / "logo.svg").unlink()
    (site / "static").rmdir()
    (site / "static").symlink_to(secret.parent)
    with pytest.raises(SiteError, match=rf"^{site / 'static'}: a symbolic link to"):
        build_site(site, tmp_path / "out")
    _nothing_built(tmp_path)


@pytest.mark.parametrize("linked", ["template", "folder", "included"])
def test_a_template_link_out_of_the_site_is_refused(
    tmp_path: Path, site: Path, secret: Path, linked: str
) -> None:
    templates = site / "templates"
    if linked == "template":
        (templates / "t.html").unlink()
        (templates / "t.html").symlink_to(secret)
        named = templates / "t.html"
    elif linked == "folder":
        outside = tmp_path / "private" / "theme"
        outside.mkdir()
        (outside / "t.html").write_text("page")
        (templates / "t.html").unlink()
        templates.rmdir()
        templates.symlink_to(outside)
        named = templates
    else:
        (templates / "t.html").write_text("{% include 'key.txt' %}")
        (templates / "key.txt").symlink_to(secret)
        named = templates / "key.txt"
    with pytest.raises(SiteError) as err:
        build_site(site, tmp_path / "out")
    assert f"{named}: a symbolic link to " in str(err.value)
    assert "SECRET" not in str(err.value)
    _nothing_built(tmp_path)


def test_a_template_link_is_refused_in_parallel_workers_too(
    tmp_path: Path, site: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sblgen.site.build

    pages = "".join(
        f'[[pages]]\npath = "{i}.html"\ntitle = "P{i}"\ntemplate = "t.html"\n' for i in range(20)
    )
    (site / "site.toml").write_text((site / "site.toml").read_text().replace(_PAGE, pages))
    (site / "templates" / "t.html").write_text("{% include 'key.txt' %}")
    (site / "templates" / "key.txt").symlink_to(secret)
    monkeypatch.setattr(sblgen.site.build, "_PARALLEL_THRESHOLD", 10)
    with pytest.raises(SiteError, match=r"key\.txt: a symbolic link to "):
        build_site(site, tmp_path / "out", workers=2)
    _nothing_built(tmp_path)
    build_site(site, tmp_path / "out", workers=2, follow_symlinks=True)
    assert set(built_files(tmp_path / "out").values()) == {"SECRET KEY", "<svg/>"}


def test_follow_symlinks_publishes_them(tmp_path: Path, site: Path, secret: Path) -> None:
    (site / "static" / "key.txt").symlink_to(secret)
    (site / "templates" / "t.html").write_text("{% include 'inc.html' %}")
    (site / "templates" / "inc.html").symlink_to(secret)
    build_site(site, tmp_path / "out", follow_symlinks=True)
    files = built_files(tmp_path / "out")
    assert files["static/key.txt"] == files["a.html"] == "SECRET KEY"
    assert not (tmp_path / "out" / "static" / "key.txt").is_symlink()  # a copy, not a link


def test_links_inside_the_site_are_fine(tmp_path: Path, site: Path) -> None:
    (site / "shared").mkdir()
    (site / "shared" / "style.css").write_text("p {}")
    (site / "static" / "style.css").symlink_to(site / "shared" / "style.css")
    (site / "static" / "shared").symlink_to("../shared")  # a relative link to a folder
    (site / "static" / "loop").symlink_to(".")  # a loop: visited once
    build_site(site, tmp_path / "out")
    assert built_files(tmp_path / "out") == {
        "a.html": "page",
        "static/logo.svg": "<svg/>",
        "static/shared/style.css": "p {}",
        "static/style.css": "p {}",
    }


def test_a_link_to_nothing_and_a_pipe_are_refused(tmp_path: Path, site: Path) -> None:
    (site / "static" / "gone.txt").symlink_to(tmp_path / "nowhere")
    with pytest.raises(SiteError, match=r"static/gone\.txt: a symbolic link to .*nowhere, which "):
        build_site(site, tmp_path / "out", follow_symlinks=True)
    (site / "static" / "gone.txt").unlink()
    os.mkfifo(site / "static" / "pipe")
    with pytest.raises(SiteError, match=r"static/pipe: not a regular file"):
        build_site(site, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_refuses_links_out_and_follows_them_when_asked(
    tmp_path: Path, site: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "static" / "key.txt").symlink_to(secret)
    out = str(tmp_path / "out")
    assert main(["site", "build", str(site), "--out", out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "static/key.txt: a symbolic link to" in err
    assert main(["site", "build", str(site), "--out", out, "--follow-symlinks"]) == 0
    assert (tmp_path / "out" / "static" / "key.txt").read_text() == "SECRET KEY"
