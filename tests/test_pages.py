"""Tests for site/pages.py and the page templates: what each kind of page says, from fictional brigades."""

from __future__ import annotations

import posixpath
from datetime import date

import pytest
import yaml

from brigadehub.core import japan
from brigadehub.core.model import Activity, Brigade, Description, Names
from brigadehub.events import gather
from brigadehub.site import pages
from brigadehub.site.config import Site
from brigadehub.site.edition import ENGLISH as EN
from brigadehub.site.edition import JAPANESE as JA
from brigadehub.site.render import render
from conftest import DATA

SITE = Site(site_url="https://example.org/hub/", repo_url="https://example.org/repo", tiles="https://t/{z}.png",
            attribution="tiles", today=date(2026, 11, 26))


def _brigade(name: str) -> Brigade:
    return Brigade.model_validate(yaml.safe_load((DATA / "good" / f"{name}.yml").read_text(encoding="utf-8")))


def _brigade_page(name: str) -> str:
    return render(JA, "brigade.md", **pages.brigade_page(JA, _brigade(name), SITE))


def test_a_confirmed_active_brigade_has_no_unverified_notice_and_links_its_area():
    page = _brigade_page("code-for-example")
    assert "この情報は未確認です" not in page
    assert '<a href="../../prefectures/ishikawa/">石川県</a>' in page
    assert '<a href="../../regions/chubu/">中部地方</a>' in page
    assert "GitHub: <a href=\"https://github.com/codeforexample\"" in page


def test_an_unconfirmed_brigade_asks_its_organisers_to_fix_its_file():
    page = _brigade_page("code-for-sample")
    assert "この情報は未確認です" in page
    assert 'href="https://example.org/repo/edit/main/brigades/code-for-sample.yml"' in page
    assert "地域未記載" in page


def test_a_page_starts_with_front_matter_of_escaped_text():
    brigade = _brigade("code-for-example").model_copy(update={"name": _brigade("code-for-example").name.model_copy(
        update={"ja": 'Code "for" <Example>'})})
    page = render(JA, "brigade.md", **pages.brigade_page(JA, brigade, SITE))
    assert page.startswith('---\ntitle: "Code &quot;for&quot; &lt;Example&gt;"\n')
    assert '<h1 class="bh-title">Code &quot;for&quot; &lt;Example&gt;</h1>' in page


def test_a_prefecture_without_brigades_invites_readers_to_start_one():
    kochi = japan.find_prefecture("高知県")
    page = render(JA, "prefecture.md", **pages.prefecture_page(JA, kochi, [_brigade("code-for-example")], SITE, None))
    assert "高知県にはまだ登録がありません" in page and '<a href="../../join/#start">' in page
    assert '<p class="bh-muted">予定されたイベントはまだありません。</p>' in page


def test_brigades_are_listed_by_prefecture_code_then_name():
    sample, example = _brigade("code-for-sample"), _brigade("code-for-example")
    assert [b.id for b in pages.sort_brigades([sample, example])] == ["code-for-example", "code-for-sample"]


def test_search_terms_carry_kanji_kana_and_romaji_of_the_area():
    terms = pages.search_terms(_brigade("code-for-example"))
    assert {"石川県", "いしかわけん", "Ishikawa", "こーど ふぉー えぐざんぷる", "code for example"} <= set(terms)


def test_the_home_snippet_counts_by_status_and_region():
    found = {"code-for-example": gather.Activity("active", "2026-03-01", "event")}
    brigades = [_brigade("code-for-example"), _brigade("code-for-sample")]
    snippet = render(JA, "home-stats.md", **pages.home_stats(JA, brigades, found))
    assert "<strong>2</strong> のブリゲード" in snippet
    # What the records show and what the brigades say are two lines, never one count mistaken for the other.
    assert ("直近 12 か月に記録あり <strong>1</strong> ・ 12 か月以上記録なし <strong>0</strong> ・ "
            "記録なし <strong>1</strong>") in snippet
    assert "ブリゲードの申告: 活動中 1 ・ 休止中 0 ・ 解散 0 ・ 未確認 1" in snippet
    assert '<a href="regions/chubu/">中部</a> 1' in snippet


def test_the_directory_row_carries_what_its_filters_read():
    brigades = [_brigade("code-for-example"), _brigade("code-for-sample")]
    page = render(JA, "directory.md", **pages.directory_page(JA, brigades))
    row = next(line for line in page.splitlines() if "code-for-example/" in line)
    assert row.startswith('<tr data-region="chubu" data-prefecture="ishikawa" data-status="active" data-tags="')
    assert page.count("<tr data-region=") == 2


def test_the_directory_row_shows_the_last_record_with_a_key_that_sorts_by_date():
    found = {"code-for-example": gather.Activity("quiet", "2023-05", "evidence")}
    brigades = [_brigade("code-for-example"), _brigade("code-for-sample")]
    page = render(JA, "directory.md", **pages.directory_page(JA, brigades, found))
    example = next(line for line in page.splitlines() if "code-for-example/" in line)
    sample = next(line for line in page.splitlines() if "code-for-sample/" in line)
    assert '<td data-sort="2023-05">2023年5月</td>' in example
    assert '<td data-sort=""><span class="bh-muted">記録なし</span></td>' in sample
    assert '<th data-bh-sort="last">最後の記録</th>' in page


def test_the_brigade_page_keeps_the_records_apart_from_the_brigades_own_word():
    evidence = Activity(date="2023-05", finding="第9回定例会の議事録", source="https://example.org/minutes")
    brigade = _brigade("code-for-example").model_copy(update={"activity": [evidence]})
    found = gather.Activity("quiet", "2023-05", "evidence")
    page = render(JA, "brigade.md", **pages.brigade_page(JA, brigade, SITE, None, found))
    assert '<dt>活動の記録</dt><dd><span class="bh-activity bh-activity--quiet">12 か月以上記録なし</span>' in page
    assert "（最後の活動の記録: 2023年5月）" in page
    assert "<dt>状態（申告）</dt>" in page
    assert '<li><time datetime="2023-05">2023年5月</time>: 第9回定例会の議事録' in page


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [("brigades/x/", "prefectures/ishikawa/", "../../prefectures/ishikawa/"), ("", "map/", "map/"),
     ("brigades/", "brigades/x/", "x/"), ("brigades/x/", "", "../../"),
     ("data/", "api/brigades.json", "../api/brigades.json")],
)
def test_relative_links_between_directory_urls(start, target, expected):
    assert pages.relative(start, target) == expected


def test_relative_links_are_what_relpath_gives_for_every_pair_of_site_paths():
    # relative() is a fast relpath for 'a/b/' paths; every kind of path the site links between, both ways.
    paths = ["", "map/", "brigades/", "brigades/x/", "brigades/xy/", "brigades/x/y/", "events/2026/03/2/",
             "events/2026/", "feeds/events/a%2Fb.ics", "api/brigades.json", "prefectures/ishikawa/", "x"]
    for start in paths:
        for target in paths:
            found = posixpath.relpath(target.rstrip("/") or ".", start.rstrip("/") or ".")
            assert pages.relative(start, target) == (found + "/" if target.endswith("/") or not target else found)


def test_a_brigade_page_opens_with_how_to_take_part_and_a_way_to_report_stale_facts():
    """Issue 12, item 5: the next event or where meetings are announced, above the unverified notice."""
    brigade = _brigade("code-for-sample")
    page = render(JA, "brigade.md", **pages.brigade_page(JA, brigade, SITE))
    card = page.index("参加するには")
    assert card < page.index("この情報は未確認です") and card < page.index('<dl class="bh-facts">')
    assert 'href="https://example.org/repo/issues/new?template=update-brigade.yml&amp;brigade=code-for-sample"' in page
    example = _brigade("code-for-example")
    announced = render(JA, "brigade.md", **pages.brigade_page(JA, example, SITE))
    assert "予定はここで告知されています" in announced and 'href="https://codeforexample.connpass.com/"' in announced
    # where the facts come from, folded, and kept out of the search index
    assert '<details class="bh-provenance" id="sources" data-search-exclude>' in announced


def test_the_card_names_the_next_event_when_one_is_known():
    from brigadehub.events import gather
    from brigadehub.site.event_pages import Directory, events_section, subscription

    example = _brigade("code-for-example")
    upcoming = gather.upcoming_events(gather.hand_events(example, SITE.today), SITE.today)
    section = events_section(JA, upcoming, (), "brigades/code-for-example/", Directory.of([example], SITE.today),
                             subscription(SITE, "feeds/brigades/code-for-example.ics", "x"), "?brigade=x")
    page = render(JA, "brigade.md", **pages.brigade_page(JA, example, SITE, section))
    assert "次のイベント: <time datetime=\"2026-12-03T20:00:00+09:00\">2026年12月3日（木）20:00–21:00</time>" in page


def test_the_map_page_names_its_points_file_and_lists_the_brigades_it_cannot_place():
    """Issue 11: the big map's points are fetched (api/map.json), at every size; inlined they passed 500 KB."""
    brigades = [_brigade("code-for-example"), _brigade("code-for-sample")]
    page = render(JA, "map.md", **pages.map_page(JA, brigades, SITE))
    assert 'data-points-src="../api/map.json"' in page and "data-points=" not in page
    assert '<h2 id="unplaced">地図にないブリゲード</h2>\n<p>位置が資料にない 1 件です。</p>' in page
    assert '<li><a href="../brigades/code-for-sample/">Code for Sample</a>' in page
    assert "<noscript><p>地図の表示には JavaScript が必要です。" in page


def test_the_maps_points_are_rows_of_its_fields_linked_from_the_sites_root():
    data = pages.map_index([_brigade("code-for-sample"), _brigade("code-for-example")])
    points = [dict(zip(data["fields"], row, strict=True)) for row in data["points"]]
    assert points == [{"name": "コード・フォー・エグザンプル", "en": "Code for Example", "status": "active",
                       "lat": 36.56, "lon": 136.65, "precision": "exact", "area": "石川県 例市",
                       "href": "brigades/code-for-example/", "region": "chubu", "prefecture": "ishikawa"}]
    assert data["statuses"]["active"] == "活動中" and data["precisions"]["exact"] == "活動拠点の位置"


def test_an_area_map_past_its_limit_reads_the_areas_points_from_the_maps_file():
    """Issue 11: 関東's 1,009 points inlined were 518 KB of its page at 3,000 brigades."""
    placed = [_fictional(f"code-for-example-{n}", f"Code for Example {n}", "東京都", "千代田区") for n in range(3)]
    placed = [b.model_copy(update={"location": b.location.model_copy(update={"coordinates": _brigade(
        "code-for-example").location.coordinates})}) for b in placed]
    kanto = japan.find_prefecture("東京都").region
    inline = render(JA, "region.md", **pages.region_page(JA, kanto, placed, SITE, None, map_limit=3))
    assert inline.count("&quot;href&quot;: &quot;../../brigades/code-for-example-") == 3
    fetched = render(JA, "region.md", **pages.region_page(JA, kanto, placed, SITE, None, map_limit=2))
    assert ('data-points-src="../../api/map.json" data-points-field="region" data-points-value="kanto">'
            in fetched) and "data-points=" not in fetched
    tokyo = japan.find_prefecture("東京都")
    page = render(JA, "prefecture.md", **pages.prefecture_page(JA, tokyo, placed, SITE, None, map_limit=2),
                  sparkline=None)
    assert 'data-points-src="../../api/map.json" data-points-field="prefecture" data-points-value="tokyo">' in page
    assert page.count("code-for-example-") == 3  # the list of brigades stays


def test_a_brigade_page_keeps_its_one_point_inline():
    page = _brigade_page("code-for-example")
    assert 'data-points="[{&quot;name&quot;: &quot;コード・フォー・エグザンプル&quot;' in page
    assert "data-points-src" not in page


# ---- issue 11: the directory in parts, past its limit ----

def _fictional(brigade_id: str, name: str, prefecture: str | None = None, city: str | None = None) -> Brigade:
    location = {"location": {"prefecture": prefecture, **({"city": city} if city else {})}} if prefecture else {}
    # The English name the same as the Japanese, as most real brigades have it.
    return Brigade.model_validate({"id": brigade_id, "name": {"ja": name, "en": name}, "status": "unknown",
                                   "sources": ["a test fixture"], **location})


FICTIONAL = [_fictional("code-for-example-north", "Code for Example North", "北海道", "札幌市"),
             *(_fictional(f"code-for-example-east-{n}", f"Code for Example East {n}", "東京都", city)
               for n, city in enumerate(("千代田区", "八王子市", "調布市"), 1)),
             _fictional("code-for-example-anywhere", "Code for Example Anywhere")]


def test_a_directory_within_its_limit_is_one_page():
    assert pages.directory_parts(FICTIONAL, limit=5) == []
    assert pages.DIRECTORY_LIMIT == 600


def test_past_its_limit_the_directory_splits_by_region_and_a_long_region_into_numbered_parts():
    parts = pages.directory_parts(FICTIONAL, limit=2)
    assert [(p.path, p.label, [b.id for b in p.brigades]) for p in parts] == [
        ("brigades/hokkaido/", "北海道地方", ["code-for-example-north"]),
        ("brigades/kanto/", "関東地方 1", ["code-for-example-east-1", "code-for-example-east-2"]),
        ("brigades/kanto/2/", "関東地方 2", ["code-for-example-east-3"]),
        ("brigades/elsewhere/", "地域未記載・テーマ型", ["code-for-example-anywhere"])]


def test_each_part_links_to_the_others_and_back_to_the_search_of_every_brigade():
    parts = pages.directory_parts(FICTIONAL, limit=2)
    page = render(JA, "directory-part.md", **pages.directory_part_page(JA, parts[2], parts, len(FICTIONAL)))
    assert page.startswith('---\ntitle: "関東地方のブリゲード（2/2）"\n')
    assert page.count('<p class="bh-parts"><a href="../">1</a> ・ <strong>2</strong></p>') == 1  # under the table
    assert page.index("</table>") < page.index('<p class="bh-parts">')
    assert '<li>関東地方 3 件: <a href="../">1</a> ・ <strong>2</strong></li>' in page
    assert '<li><a href="../../hokkaido/">北海道地方</a> 1 件</li>' in page
    assert '<a href="../../">ブリゲード一覧</a>' in page
    assert page.count("<tr data-region=") == 1 and '<a href="../../code-for-example-east-3/">' in page
    assert 'data-src="../../../api/directory.json" data-part="2"' in page
    assert '<select name="region">' not in page and '<option value="tokyo">東京都</option>' in page
    assert '<option value="osaka">' not in page  # only the region's prefectures


def test_the_first_page_of_a_split_directory_lists_its_parts_and_searches_them_all():
    parts = pages.directory_parts(FICTIONAL, limit=2)
    page = render(JA, "directory-index.md", **pages.directory_index(JA, FICTIONAL, parts))
    assert "<tr" not in page and "全国の 5 のブリゲード" in page
    assert '<li>関東地方 3 件: <a href="kanto/">1</a> ・ <a href="kanto/2/">2</a></li>' in page
    assert '<li><a href="elsewhere/">地域未記載・テーマ型</a> 1 件</li>' in page
    assert 'data-src="../api/directory.json" data-part=""' in page and 'data-towns="../api/towns.json"' in page


def test_the_split_directorys_data_names_every_brigade_once_with_its_part_and_search_words():
    parts = pages.directory_parts(FICTIONAL, limit=2)
    data = pages.directory_data(parts)
    rows = {row[3]: dict(zip(data["fields"], row, strict=True)) for row in data["brigades"]}
    assert len(rows) == len(data["brigades"]) == 5
    east = rows["brigades/code-for-example-east-2/"]
    assert data["parts"][east["part"]] == {"label": "関東地方 1", "href": "brigades/kanto/"}
    assert east["area"] == "東京都 八王子市"  # as the table shows it; the script searches it with the words
    words = east["search"].split(" ")
    assert {"八王子市", "はちおうじし", "hachioji", "とうきょうと", "Tokyo"} <= set(words)
    assert east["search"].count("Code for Example East 2") == 1  # a name that is also the English one, once
    assert (east["name"], east["en"]) == ("Code for Example East 2", "")  # en only when it differs
    assert data["parts"][rows["brigades/code-for-example-anywhere/"]["part"]]["href"] == "brigades/elsewhere/"


# ---- issue 13: the English edition of the same pages ----

def _english_brigade_page(brigade: Brigade, events: dict | None = None, activity=None) -> str:
    return render(EN, "brigade.md", **pages.brigade_page(EN, brigade, SITE, events, activity))


def test_the_english_brigade_page_names_it_in_english_and_gives_the_japanese_beside_it():
    page = _english_brigade_page(_brigade("code-for-example"))
    assert page.startswith('---\ntitle: "Code for Example"\ndescription: "Code for Example, a civic tech community in '
                           'Rei, Ishikawa (active)"\n')
    assert '<dt>Japanese name</dt><dd lang="ja">コード・フォー・エグザンプル</dd>' in page
    assert '<a href="../../regions/chubu/">Chubu</a> › <a href="../../prefectures/ishikawa/">Ishikawa</a> Rei' in page
    assert "(since 2020-04, last confirmed 2026-10-01)" in page
    assert '<div class="bh-description"><p>A fictional civic-tech community in Example City.</p></div>' in page
    assert '<span class="bh-tag"><span lang="ja">防災</span></span>' in page
    assert '<li><span lang="ja">ブログ</span>: <a href="https://example.org/blog/"' in page
    assert "<li>Website: " in page and "ウェブサイト" not in page
    assert '"url\\":\\"https://example.org/hub/en/brigades/code-for-example/\\"' in page  # its own address


def test_the_english_page_of_a_brigade_without_english_texts_marks_its_japanese():
    sample = _brigade("code-for-sample").model_copy(update={
        "name": Names(ja="Code for 例"), "description": Description(ja="例の説明です。")})
    page = _english_brigade_page(sample)
    assert '<h1 class="bh-title">Code for <span lang="ja">例</span> (Code for Rei)</h1>' in page
    assert 'description: "Code for 例 (Code for Rei), a civic tech community (unconfirmed)"' in page
    assert '<p lang="ja">例の説明です。</p>' in page
    assert "This entry is unconfirmed" in page and "No area given" in page


def test_the_english_brigade_page_dates_its_records_in_english():
    evidence = Activity(date="2023-05", finding="第9回定例会の議事録", source="https://example.org/minutes")
    brigade = _brigade("code-for-example").model_copy(update={"activity": [evidence]})
    page = _english_brigade_page(brigade, activity=gather.Activity("quiet", "2023-05", "evidence"))
    assert ('<span class="bh-activity bh-activity--quiet">quiet for 12 months or more</span> '
            '<span class="bh-muted">(last record: May 2023)</span>') in page
    assert '<li><time datetime="2023-05">May 2023</time>: <span lang="ja">第9回定例会の議事録</span>' in page


def test_the_english_prefecture_page_invites_in_english_and_gives_the_japanese_names():
    kochi = japan.find_prefecture("高知県")
    page = render(EN, "prefecture.md", **pages.prefecture_page(EN, kochi, [_brigade("code-for-example")], SITE, None))
    assert page.startswith('---\ntitle: "Brigades in Kochi"\n')
    assert ('<a href="../../regions/shikoku/">Shikoku</a> region · <span lang="ja">高知県</span> · '
            '<span lang="ja">こうちけん</span>') in page
    assert "No brigade in Kochi yet" in page and '<a href="../../join/#start">How to start a brigade</a>' in page


def test_the_english_home_snippet_counts_in_english():
    found = {"code-for-example": gather.Activity("active", "2026-03-01", "event")}
    snippet = render(EN, "home-stats.md", **pages.home_stats(EN, [_brigade("code-for-example"),
                                                                 _brigade("code-for-sample")], found))
    assert "<strong>2</strong> brigades" in snippet
    assert "As the brigades say: active 1 · dormant 0 · disbanded 0 · unconfirmed 1" in snippet
    assert '<a href="regions/chubu/">Chubu</a> 1' in snippet


def test_the_english_directory_and_map_read_in_english_and_find_their_pages_under_en():
    brigades = [_brigade("code-for-example"), _brigade("code-for-sample")]
    directory = render(EN, "directory.md", **pages.directory_page(EN, brigades))
    assert "<th data-bh-sort=\"last\">Last record</th>" in directory
    assert 'data-towns="../../api/towns.json" data-pages="../"' in directory
    assert '<option value="防災" lang="ja">防災</option>' in directory
    assert 'data-pages' not in render(JA, "directory.md", **pages.directory_page(JA, brigades))
    page = render(EN, "map.md", **pages.map_page(EN, brigades, SITE))
    assert 'data-points-src="../../api/map.json" data-pages="../"' in page
    assert "<p>1 brigade whose place the sources do not give.</p>" in page


def test_the_english_parts_of_a_split_directory_name_their_regions_in_english():
    parts = pages.directory_parts(FICTIONAL, limit=2)
    page = render(EN, "directory-part.md", **pages.directory_part_page(EN, parts[2], parts, len(FICTIONAL)))
    assert page.startswith('---\ntitle: "Brigades in Kanto (2/2)"\n')
    assert '<li>Kanto, 3 brigades: <a href="../">1</a> · <strong>2</strong></li>' in page
    assert ('data-labels="[&quot;Hokkaido&quot;, &quot;Kanto 1&quot;, &quot;Kanto 2&quot;, '
            '&quot;No area given, or thematic&quot;]"') in page
