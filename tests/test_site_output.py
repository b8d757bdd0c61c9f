"""The output folder: never replaced unless sblgen built it; a failed build leaves it as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.cli import main
from sblgen.site import BUILD_MARKER, build_site
from sblgen.site.output import remove_stale
from tests.sites import built_files, make_site


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        '[[pages]]\npath = "a.html"\ntitle = "A"\n[[pages]]\npath = "b.html"\ntitle = "B"\n'
        'template = "fragile.html"\n',
        {"fragile.html": "{% extends 'page.html' %}"},
    )
    out = tmp_path / "out"
    build_site(site, out)
    before = built_files(out)
    (site / "templates" / "fragile.html").write_text("{{ page.title }}{{ undefined_thing }}")
    with pytest.raises(SiteError):
        build_site(site, out)
    assert built_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_never_replaces_a_folder_it_did_not_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, '[[pages]]\npath = "a.html"\ntitle = "A"\n')
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match=r"not built by sblgen .*\(notes\.txt\).*--force"):
        build_site(site, mine)
    assert main(["site", "build", str(site), "--out", str(mine)]) == 2
    assert "not built by sblgen" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "site"]  # no temp left
    (tmp_path / "empty").mkdir()
    build_site(site, tmp_path / "empty")  # an empty folder is fine
    build_site(site, tmp_path / "empty")  # and so is an earlier build (it has the marker)
    assert (tmp_path / "empty" / BUILD_MARKER).is_file()
    (tmp_path / "empty" / BUILD_MARKER).unlink()  # an output made before the marker existed:
    build_site(site, tmp_path / "empty")  # every file in it is rebuilt, so nothing is lost
    (tmp_path / "empty" / BUILD_MARKER).unlink()
    (tmp_path / "empty" / "sub").mkdir()
    (tmp_path / "empty" / "sub" / "x.html").write_text("mine")
    with pytest.raises(SiteError, match=r"\(sub/x\.html\)"):
        build_site(site, tmp_path / "empty")
    (tmp_path / "empty" / "sub" / "x.html").unlink()
    (tmp_path / "empty" / "sub").rmdir()
    (tmp_path / "empty" / "link").symlink_to(mine, target_is_directory=True)
    with pytest.raises(SiteError, match=r"\(link\)"):  # a symlink is never followed
        build_site(site, tmp_path / "empty")
    assert (mine / "notes.txt").exists()
    assert main(["site", "build", str(site), "--out", str(mine), "--force"]) == 0
    assert not (mine / "notes.txt").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        build_site(site, tmp_path / "file")


def test_check_replaceable_asks_for_the_planned_files_only_when_needed(tmp_path: Path) -> None:
    from sblgen.site.output import check_replaceable

    def planned() -> set[str]:
        asked.append(True)
        return {"a.html"}

    asked: list[bool] = []
    out = tmp_path / "out"
    check_replaceable(out, planned, force=False)  # missing
    out.mkdir()
    (out / "a.html").write_text("old")
    check_replaceable(out, planned, force=True)
    (out / BUILD_MARKER).write_text("")
    check_replaceable(out, planned, force=False)
    assert asked == []
    (out / BUILD_MARKER).unlink()
    check_replaceable(out, planned, force=False)  # every file is one the build writes again
    assert asked == [True]
    (out / "b.html").write_text("mine")
    with pytest.raises(SiteError, match=r"\(b\.html\)"):
        check_replaceable(out, planned, force=False)


def test_staged_output_swaps_in_whole_or_not_at_all(tmp_path: Path) -> None:
    from sblgen.site.output import staged_output

    out = tmp_path / "deep" / "out"
    with staged_output(out) as tmp:
        assert tmp.parent == out.parent and tmp.name.startswith(".out.building-")
        (tmp / "a.html").write_text("one")
    assert sorted(p.name for p in out.iterdir()) == [BUILD_MARKER, "a.html"]

    def interrupted_build() -> None:
        with staged_output(out) as tmp:
            (tmp / "a.html").write_text("two")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_build()
    assert (out / "a.html").read_text() == "one"
    with staged_output(out) as tmp:
        (tmp / "b.html").write_text("three")
    assert sorted(p.name for p in out.iterdir()) == [BUILD_MARKER, "b.html"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # nothing left behind


def test_a_leftover_whose_marker_is_not_a_file_is_kept(tmp_path: Path) -> None:
    """Only a folder holding sblgen's marker *file* is a build's: a directory of that name
    (or anything but a regular file) means the folder is not surely ours."""
    leftover = tmp_path / ".out.building-0123abcd"
    (leftover / BUILD_MARKER).mkdir(parents=True)
    (leftover / "mine.txt").write_text("keep me")
    remove_stale(tmp_path / "out")
    assert (leftover / "mine.txt").read_text() == "keep me"
