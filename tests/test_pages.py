"""Tests for pages.py: what each kind of page says, rendered from fictional brigades."""

from __future__ import annotations

from datetime import date

import yaml

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site import pages
from conftest import DATA

SITE = pages.Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
                  attribution="tiles", today=date(2026, 11, 26))


def _brigade(name: str) -> Brigade:
    return Brigade.model_validate(yaml.safe_load((DATA / "good" / f"{name}.yml").read_text(encoding="utf-8")))


def test_a_confirmed_active_brigade_has_no_unverified_notice_and_links_its_area():
    page = pages.render_brigade_page(_brigade("code-for-example"), SITE)
    assert "この情報は未確認です" not in page
    assert '<a href="../../prefectures/ishikawa/">石川県</a>' in page
    assert '<a href="../../regions/chubu/">中部地方</a>' in page
    assert "GitHub: <a href=\"https://github.com/codeforexample\"" in page


def test_an_unconfirmed_brigade_asks_its_organisers_to_fix_its_file():
    page = pages.render_brigade_page(_brigade("code-for-sample"), SITE)
    assert "この情報は未確認です" in page
    assert 'href="https://example.org/repo/edit/main/brigades/code-for-sample.yml"' in page
    assert "地域未記載" in page


def test_a_prefecture_without_brigades_invites_readers_to_start_one():
    kochi = japan.find_prefecture("高知県")
    page = pages.render_prefecture_page(kochi, [_brigade("code-for-example")], SITE)
    assert "高知県にはまだ登録がありません" in page and '<a href="../../join/#start">' in page


def test_brigades_are_listed_by_prefecture_code_then_name():
    sample, example = _brigade("code-for-sample"), _brigade("code-for-example")
    assert [b.id for b in pages.sort_brigades([sample, example])] == ["code-for-example", "code-for-sample"]


def test_search_terms_carry_kanji_kana_and_romaji_of_the_area():
    terms = pages.search_terms(_brigade("code-for-example"))
    assert {"石川県", "いしかわけん", "Ishikawa", "こーど ふぉー えぐざんぷる", "code for example"} <= set(terms)


def test_the_home_snippet_counts_by_status_and_region():
    snippet = pages.render_home_stats([_brigade("code-for-example"), _brigade("code-for-sample")])
    assert "<strong>2</strong> のブリゲード（活動中 1 ・ 休止中 0 ・ 解散 0 ・ 未確認 1）" in snippet
    assert '<a href="regions/chubu/">中部</a> 1' in snippet
