"""Tests for `brigadehub new`: it writes a valid file from flags, and refuses bad answers with a clear line."""

from __future__ import annotations

from datetime import datetime

import yaml

from brigadehub.core.model import TOKYO


def test_new_writes_a_valid_file_with_coordinates_of_the_city(tmp_path, brigadehub):
    result = brigadehub(
        "new", "--brigades", str(tmp_path), "--no-input", "--name", "コード・フォー・例",
        "--name-en", "Code for Example", "--prefecture", "石川県", "--city", "金沢市",
        "--connpass", "codeforexample", "--maintainer", "@example-organiser",
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "code-for-example.yml"
    assert result.stdout == f"wrote {path}; check it with: brigadehub validate {path}\n"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema.json\n")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["location"]["coordinates"]["precision"] == "city"
    assert data["event_sources"] == [{"type": "connpass", "group": "codeforexample"}]
    assert data["maintainers"] == ["example-organiser"]
    assert brigadehub("validate", "--brigades", str(tmp_path)).returncode == 0


def test_new_refuses_a_near_miss_and_names_the_flag(tmp_path, brigadehub):
    result = brigadehub("new", "--brigades", str(tmp_path), "--no-input", "--name", "Code for Example",
                        "--prefecture", "石川", "--maintainer", "example-organiser")
    assert result.returncode == 1
    assert result.stderr == "--prefecture: '石川' is not a prefecture; did you mean '石川県'?\n"
    assert list(tmp_path.iterdir()) == []


def test_new_never_overwrites(tmp_path, brigadehub):
    (tmp_path / "code-for-example.yml").write_text("keep me", encoding="utf-8")
    result = brigadehub("new", "--brigades", str(tmp_path), "--no-input", "--name", "Code for Example",
                        "--maintainer", "example-organiser")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "code-for-example.yml").read_text(encoding="utf-8") == "keep me"


def test_new_without_a_name_says_which_flag_is_missing(tmp_path, brigadehub):
    result = brigadehub("new", "--brigades", str(tmp_path), "--no-input", "--maintainer", "example-organiser")
    expected = "--name is required (ブリゲード名 / name (例: Code for Example))"
    assert (result.returncode, result.stderr.splitlines()[0]) == (1, expected)


NEW = ("new", "--no-input", "--name", "Code for Example", "--prefecture", "石川県", "--maintainer", "example-organiser")


def test_new_writes_the_day_it_is_given(tmp_path, brigadehub):
    result = brigadehub(*NEW, "--brigades", str(tmp_path), "--date", "2026-11-26")
    data = yaml.safe_load((tmp_path / "code-for-example.yml").read_text(encoding="utf-8"))
    assert result.returncode == 0 and data["confirmed_on"] == "2026-11-26"


def test_new_writes_japans_date_whatever_the_machines_zone(tmp_path, brigadehub):
    # A zone whose date differs from Tokyo's at this hour: UTC-12 until 21:00 in Tokyo, UTC+14 after. The old code
    # wrote the machine's date, a day early on a UTC runner before 09:00 JST (issue 10).
    before = datetime.now(TOKYO).date()
    zone = "Etc/GMT+12" if datetime.now(TOKYO).hour < 21 else "Etc/GMT-14"
    result = brigadehub(*NEW, "--brigades", str(tmp_path), env={"TZ": zone})
    after = datetime.now(TOKYO).date()
    data = yaml.safe_load((tmp_path / "code-for-example.yml").read_text(encoding="utf-8"))
    assert result.returncode == 0 and data["confirmed_on"] in {before.isoformat(), after.isoformat()}
