"""Render the directory's Markdown pages from Brigade objects: pure functions that return text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site.markup import front_matter_value, json_for_script, link, relative, safe_url, text

STATUS_LABELS = {"active": "活動中", "dormant": "休止中", "disbanded": "解散", "unknown": "未確認"}
PRECISION_LABELS = {
    "exact": "活動拠点の位置",
    "city": "市区町村の位置（おおよそ）",
    "prefecture": "都道府県庁所在地の位置（おおよそ）",
}
NO_AREA = "地域未記載"
NO_EVENTS = '<p class="bh-muted">予定されたイベントはまだありません。</p>\n'


@dataclass(frozen=True)
class Site:
    """What pages need from mkdocs.yml and the build: addresses, map tiles, and the day the build stands on."""

    site_url: str
    repo_url: str
    tiles: str
    attribution: str
    today: date

    def edit_url(self, brigade_id: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/main/brigades/{brigade_id}.yml"


# --- paths -------------------------------------------------------------------------------------------------


def brigade_path(brigade: Brigade) -> str:
    return f"brigades/{brigade.id}/"


def prefecture_path(prefecture: japan.Prefecture) -> str:
    return f"prefectures/{prefecture.slug}/"


def region_path(region: japan.Region) -> str:
    return f"regions/{region.slug}/"


def prefecture_of(brigade: Brigade) -> japan.Prefecture | None:
    name = brigade.location.prefecture if brigade.location else None
    return japan.find_prefecture(name) if name else None


# --- shared pieces -------------------------------------------------------------------------------------------


def front_matter(title: str, description: str, *, search_boost: float | None = None,
                 json_ld: dict | None = None) -> str:
    lines = ["---", f"title: {front_matter_value(title)}", f"description: {front_matter_value(description)}"]
    if search_boost:
        lines += ["search:", f"  boost: {search_boost}"]
    if json_ld:
        # overrides/main.html prints it into <head>: in the content, instant navigation would run it as a script.
        lines.append(f"json_ld: {json.dumps(json_for_script(json_ld), ensure_ascii=False)}")
    return "\n".join([*lines, "---", ""])


def display_name(brigade: Brigade) -> str:
    return brigade.name.ja


def english_name(brigade: Brigade) -> str | None:
    return brigade.name.en if brigade.name.en and brigade.name.en != brigade.name.ja else None


def status_badge(brigade: Brigade) -> str:
    label = STATUS_LABELS[brigade.status]
    return f'<span class="bh-status bh-status--{brigade.status}">{label}</span>'


def area_text(brigade: Brigade) -> str:
    if brigade.scope == "thematic" and not brigade.location:
        return "テーマ型（地域を限らない）"
    location = brigade.location
    parts = [location.prefecture, location.city] if location else []
    return " ".join(p for p in parts if p) or NO_AREA


def brigade_links(brigade: Brigade) -> list[tuple[str, str]]:
    """Every link of a brigade as (label, URL)."""
    return [(label, url) for _, label, url in brigade.links.addresses()]


def search_terms(brigade: Brigade) -> list[str]:
    """Words that should find a brigade: its names, kana and romaji of its area, and its id."""
    terms = [brigade.name.ja, brigade.name.en or "", brigade.name.kana or "", brigade.id.replace("-", " ")]
    prefecture = prefecture_of(brigade)
    if prefecture:
        terms += [prefecture.name, prefecture.kana, prefecture.name_en, prefecture.region.name]
    location = brigade.location
    if location and location.city:
        terms.append(location.city)
        town = japan.find_municipality(location.prefecture, location.city) if location.prefecture else None
        terms += [town.kana] if town else []
    terms += [location.area] if location and location.area else []
    return [t for t in terms + list(brigade.tags) if t]


def map_point(brigade: Brigade, from_page: str) -> dict | None:
    coordinates = brigade.location.coordinates if brigade.location else None
    if not coordinates:
        return None
    return {
        "name": brigade.name.ja, "en": english_name(brigade) or "", "status": brigade.status,
        "statusLabel": STATUS_LABELS[brigade.status], "lat": coordinates.lat, "lon": coordinates.lon,
        "precision": coordinates.precision, "precisionLabel": PRECISION_LABELS[coordinates.precision],
        "href": relative(from_page, brigade_path(brigade)), "area": area_text(brigade),
    }


def map_block(brigades: Iterable[Brigade], site: Site, from_page: str, *, size: str = "") -> str:
    """A Leaflet map's container; brigadehub.js draws it from the points in its data attributes."""
    points = [p for p in (map_point(b, from_page) for b in brigades) if p]
    if not points:
        return ""
    modifier = f" bh-map--{size}" if size else ""
    return (
        f'<div class="bh-map{modifier}" data-bh-map data-tiles="{text(site.tiles)}" '
        f'data-attribution="{text(site.attribution)}" data-points="{text(json.dumps(points, ensure_ascii=False))}">'
        '<noscript>地図の表示には JavaScript が必要です。</noscript></div>\n'
    )


def brigade_card(brigade: Brigade, from_page: str) -> str:
    english = english_name(brigade)
    en = f' <span class="bh-en">{text(english)}</span>' if english else ""
    href = relative(from_page, brigade_path(brigade))
    return (f'<li><a href="{text(href)}">{text(display_name(brigade))}</a>{en} '
            f'{status_badge(brigade)} <span class="bh-area">{text(area_text(brigade))}</span></li>')


def brigade_list(brigades: Sequence[Brigade], from_page: str) -> str:
    if not brigades:
        return ""
    items = "\n".join(brigade_card(b, from_page) for b in brigades)
    return f'<ul class="bh-list">\n{items}\n</ul>\n'


def sort_brigades(brigades: Iterable[Brigade]) -> list[Brigade]:
    """Order by prefecture code, then name: the order people expect from a Japanese list."""
    def key(brigade: Brigade):
        prefecture = prefecture_of(brigade)
        return (prefecture.code if prefecture else 99, brigade.name.ja.casefold(), brigade.id)

    return sorted(brigades, key=key)


# --- brigade page ------------------------------------------------------------------------------------------


def render_brigade_page(brigade: Brigade, site: Site, events_html: str = "") -> str:
    page = brigade_path(brigade)
    title = display_name(brigade)
    description = f"{area_text(brigade)}のシビックテックコミュニティ {title}（{STATUS_LABELS[brigade.status]}）"
    parts = [
        front_matter(title, description, search_boost=2, json_ld=_organization(brigade, site)),
        f'<h1 class="bh-title">{text(title)}</h1>\n',
        _brigade_summary(brigade, site, page),
        _unverified_notice(brigade, site, page),
        _brigade_description(brigade),
        _brigade_links_block(brigade),
        map_block([brigade], site, page, size="small"),
        '<h2 id="events">イベント</h2>\n',
        events_html or '<p class="bh-muted">登録されたイベントはまだありません。</p>\n',
        _brigade_sources(brigade, site),
    ]
    return "\n".join(p for p in parts if p)


def _brigade_summary(brigade: Brigade, site: Site, page: str) -> str:
    rows = []
    english = english_name(brigade)
    if english:
        rows.append(("英語名", text(english)))
    if brigade.name.kana:
        rows.append(("よみ", text(brigade.name.kana)))
    rows.append(("地域", _area_links(brigade, page)))
    rows.append(("状態", status_badge(brigade) + _status_dates(brigade)))
    if brigade.founded:
        rows.append(("設立", text(brigade.founded)))
    if brigade.code_for_japan:
        cfj = brigade.code_for_japan
        label = {"official": "公認", "preparing": "公認準備中"}[cfj.status]
        rows.append(("Code for Japan", f"{label}（{text(cfj.as_of)} 時点の一覧）"))
    if brigade.tags:
        rows.append(("タグ", " ".join(f'<span class="bh-tag">{text(t)}</span>' for t in brigade.tags)))
    if brigade.maintainers:
        rows.append(("管理者", " ".join(link(f"https://github.com/{m}", f"@{m}") for m in brigade.maintainers)))
    body = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="bh-facts">\n{body}\n</dl>\n'


def _area_links(brigade: Brigade, page: str) -> str:
    prefecture = prefecture_of(brigade)
    if not prefecture:
        return text(area_text(brigade))
    region = f'<a href="{relative(page, region_path(prefecture.region))}">{text(prefecture.region.name)}地方</a>'
    pref = f'<a href="{relative(page, prefecture_path(prefecture))}">{text(prefecture.name)}</a>'
    location = brigade.location
    rest = " ".join(text(p) for p in (location.city, location.area and f"（{location.area}）") if p)
    return f"{region} › {pref} {rest}".strip()


def _status_dates(brigade: Brigade) -> str:
    notes = []
    if brigade.status_since:
        notes.append(f"{text(brigade.status_since)} から")
    notes.append(f"最終確認 {text(brigade.confirmed_on)}" if brigade.confirmed_on else "ブリゲードによる確認なし")
    return f' <span class="bh-muted">（{"、".join(notes)}）</span>'


def _unverified_notice(brigade: Brigade, site: Site, page: str) -> str:
    if brigade.status != "unknown" and brigade.confirmed_on:
        return ""
    edit = text(site.edit_url(brigade.id))
    guide = relative(page, "join/")
    return (
        '<div class="admonition warning bh-unverified" data-search-exclude>\n'
        '<p class="admonition-title">この情報は未確認です</p>\n'
        "<p>この項目は公開されている古い資料から作ったもので、ブリゲード自身による確認を受けていません。"
        "活動の状況や連絡先が変わっているかもしれません。</p>\n"
        f'<p>このブリゲードの方へ: <a class="md-button md-button--primary" href="{edit}" rel="nofollow">'
        f'GitHub でこのファイルを直す</a> <a href="{guide}">直し方の案内</a></p>\n'
        "</div>\n"
    )


def _brigade_description(brigade: Brigade) -> str:
    if not brigade.description:
        return ""
    english = f'\n<p lang="en">{text(brigade.description.en)}</p>' if brigade.description.en else ""
    return f'<div class="bh-description"><p>{text(brigade.description.ja)}</p>{english}</div>\n'


def _brigade_links_block(brigade: Brigade) -> str:
    links = brigade_links(brigade)
    if not links:
        return ""
    items = "\n".join(f"<li>{text(label)}: {link(url, _short(url))}</li>" for label, url in links)
    return f'<h2 id="links">リンク</h2>\n<ul class="bh-links">\n{items}\n</ul>\n'


def _short(url: str) -> str:
    """An address as people read it: no scheme, no www., no trailing slash."""
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def _brigade_sources(brigade: Brigade, site: Site) -> str:
    items = "\n".join(f"<li>{text(source)}</li>" for source in brigade.sources)
    notes = f"<p>補足: {text(brigade.notes)}</p>\n" if brigade.notes else ""
    coordinates = brigade.location.coordinates if brigade.location else None
    where = ""
    if coordinates:
        origin = f"（出典: {text(coordinates.source)}）" if coordinates.source else ""
        where = f"<p>地図上の位置: {PRECISION_LABELS[coordinates.precision]}{origin}</p>\n"
    edit = text(site.edit_url(brigade.id))
    return (f'<h2 id="sources">情報の出典</h2>\n<ul class="bh-sources">\n{items}\n</ul>\n{notes}{where}'
            f'<p class="bh-muted"><a href="{edit}" rel="nofollow">'
            f"このページの元データ（brigades/{text(brigade.id)}.yml）を GitHub で編集する</a></p>\n")


def _organization(brigade: Brigade, site: Site) -> dict:
    """schema.org Organization data for search engines."""
    data: dict = {
        "@context": "https://schema.org", "@type": "Organization", "name": brigade.name.ja,
        "url": site.site_url.rstrip("/") + "/" + brigade_path(brigade),
    }
    if english_name(brigade):
        data["alternateName"] = english_name(brigade)
    if brigade.description:
        data["description"] = brigade.description.ja
    same_as = [url for _, url in brigade_links(brigade) if safe_url(url)]
    if same_as:
        data["sameAs"] = same_as
    if brigade.location and brigade.location.prefecture:
        address = {"@type": "PostalAddress", "addressCountry": "JP", "addressRegion": brigade.location.prefecture}
        if brigade.location.city:
            address["addressLocality"] = brigade.location.city
        data["address"] = address
    if brigade.founded:
        data["foundingDate"] = brigade.founded
    return data


# --- the directory -----------------------------------------------------------------------------------------


def render_directory(brigades: Sequence[Brigade], site: Site) -> str:
    page = "brigades/"
    ordered = sort_brigades(brigades)
    rows = "\n".join(_directory_row(b, page) for b in ordered)
    parts = [
        front_matter("ブリゲード一覧", f"日本各地の Code for ブリゲード {len(ordered)} 件の一覧"),
        "# ブリゲード一覧\n",
        f"全国の {len(ordered)} のブリゲード（シビックテックコミュニティ）です。地域・状態・タグで絞り込んだり、"
        "名前や地名（漢字・かな・ローマ字）で探したりできます。\n",
        _filter_form(ordered),
        '<table class="bh-directory" data-bh-directory data-search-exclude>\n'
        "<thead><tr><th>名前</th><th>地域</th><th>状態</th><th>タグ</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n",
        '<p class="bh-muted" data-bh-empty hidden>条件に合うブリゲードはありません。</p>\n',
    ]
    return "\n".join(parts)


def _directory_row(brigade: Brigade, page: str) -> str:
    prefecture = prefecture_of(brigade)
    english = english_name(brigade)
    en = f'<br><span class="bh-en">{text(english)}</span>' if english else ""
    attributes = {
        "data-region": prefecture.region.slug if prefecture else "",
        "data-prefecture": prefecture.slug if prefecture else "",
        "data-status": brigade.status,
        "data-tags": "\t".join(brigade.tags),
        "data-search": " ".join(search_terms(brigade)),
    }
    attrs = " ".join(f'{k}="{text(v)}"' for k, v in attributes.items())
    tags = " ".join(f'<span class="bh-tag">{text(t)}</span>' for t in brigade.tags)
    href = relative(page, brigade_path(brigade))
    return (f'<tr {attrs}><td><a href="{href}">{text(display_name(brigade))}</a>{en}</td>'
            f'<td>{text(area_text(brigade))}</td><td>{status_badge(brigade)}</td><td>{tags}</td></tr>')


def _options(pairs: Iterable[tuple[str, str]], everything: str) -> str:
    options = [f'<option value="">{everything}</option>']
    options += [f'<option value="{text(value)}">{text(label)}</option>' for value, label in pairs]
    return "".join(options)


def _filter_form(brigades: Sequence[Brigade]) -> str:
    """Filters that only work with JavaScript, so they start hidden and the plain table is the fallback."""
    regions = [(r.slug, r.name) for r in japan.regions()]
    prefectures = [(p.slug, p.name) for p in japan.prefectures()]
    statuses = list(STATUS_LABELS.items())
    tags = sorted({t for b in brigades for t in b.tags})
    return (
        '<form class="bh-filter" data-bh-filter data-search-exclude hidden role="search">\n'
        '<label>名前・地名 <input type="search" name="q" placeholder="例: 金沢、かなざわ、kanazawa"></label>\n'
        f'<label>地方 <select name="region">{_options(regions, "すべて")}</select></label>\n'
        f'<label>都道府県 <select name="prefecture">{_options(prefectures, "すべて")}</select></label>\n'
        f'<label>状態 <select name="status">{_options(statuses, "すべて")}</select></label>\n'
        f'<label>タグ <select name="tag">{_options(((t, t) for t in tags), "すべて")}</select></label>\n'
        '<output name="count" aria-live="polite"></output>\n'
        "</form>\n"
    )


# --- prefectures and regions -------------------------------------------------------------------------------


def render_prefecture_page(prefecture: japan.Prefecture, brigades: Sequence[Brigade], site: Site,
                           events_html: str = "") -> str:
    page = prefecture_path(prefecture)
    here = sort_brigades(b for b in brigades if prefecture_of(b) == prefecture)
    region = f'<a href="{relative(page, region_path(prefecture.region))}">{text(prefecture.region.name)}</a>'
    parts = [
        front_matter(f"{prefecture.name}のブリゲード", f"{prefecture.name}で活動するシビックテックコミュニティ"),
        f'<h1>{text(prefecture.name)}のブリゲード</h1>\n',
        f'<p class="bh-muted">{region}地方 ・ {text(prefecture.kana)} ・ {text(prefecture.name_en)}</p>\n',
        brigade_list(here, page) if here else _no_brigade_invitation(prefecture.name, page),
        map_block(here, site, page, size="small"),
        '<h2 id="events">イベント</h2>\n' + (events_html or NO_EVENTS),
    ]
    return "\n".join(p for p in parts if p)


def _no_brigade_invitation(place: str, page: str) -> str:
    guide = relative(page, "join/")
    return (
        f'<div class="admonition tip">\n<p class="admonition-title">{text(place)}にはまだ登録がありません</p>\n'
        "<p>地域の課題を、市民・エンジニア・行政職員がともに考え、ともにつくる場をはじめてみませんか。"
        "すでに活動している団体があれば、ぜひ登録してください。</p>\n"
        f'<p><a href="{guide}#start">ブリゲードのはじめかた</a> ・ <a href="{guide}">登録のしかた</a></p>\n</div>\n'
    )


def render_region_page(region: japan.Region, brigades: Sequence[Brigade], site: Site,
                       events_html: str = "") -> str:
    page = region_path(region)
    prefectures = [p for p in japan.prefectures() if p.region == region]
    here = sort_brigades(b for b in brigades if (p := prefecture_of(b)) and p.region == region)
    counts = "\n".join(
        f'<li><a href="{relative(page, prefecture_path(p))}">{text(p.name)}</a> '
        f"{sum(prefecture_of(b) == p for b in here)} 件</li>" for p in prefectures)
    parts = [
        front_matter(f"{region.name}地方のブリゲード", f"{region.name}地方のシビックテックコミュニティ"),
        f"<h1>{text(region.name)}地方のブリゲード</h1>\n",
        f'<ul class="bh-counts">\n{counts}\n</ul>\n',
        brigade_list(here, page) or _no_brigade_invitation(f"{region.name}地方", page),
        map_block(here, site, page),
        '<h2 id="events">イベント</h2>\n' + (events_html or NO_EVENTS),
    ]
    return "\n".join(p for p in parts if p)


def render_prefectures_index(brigades: Sequence[Brigade], site: Site) -> str:
    page = "prefectures/"
    sections = []
    for region in japan.regions():
        items = "\n".join(
            f'<li><a href="{relative(page, prefecture_path(p))}">{text(p.name)}</a> '
            f"<span class=\"bh-muted\">{sum(prefecture_of(b) == p for b in brigades)} 件</span></li>"
            for p in japan.prefectures() if p.region == region)
        sections.append(f'<h2><a href="{relative(page, region_path(region))}">{text(region.name)}</a></h2>\n'
                        f'<ul class="bh-prefectures">\n{items}\n</ul>\n')
    elsewhere = sort_brigades(b for b in brigades if not prefecture_of(b))
    return "\n".join([
        front_matter("地域から探す", "都道府県・地方ごとのブリゲード"),
        "# 地域から探す\n",
        *sections,
        f'<h2 id="elsewhere">{NO_AREA}・テーマ型</h2>\n<p>地域が資料に書かれていないブリゲードと、'
        "特定の地域に限らないテーマ型のグループです。</p>\n" + brigade_list(elsewhere, page),
    ])


# --- the map and the home page -------------------------------------------------------------------------------


def render_map_page(brigades: Sequence[Brigade], site: Site) -> str:
    page = "map/"
    ordered = sort_brigades(brigades)
    unplaced = [b for b in ordered if not (b.location and b.location.coordinates)]
    directory = relative(page, "brigades/")
    return "\n".join([
        front_matter("地図", "全国のブリゲードの地図"),
        "# 地図\n",
        '<p>点線の丸はおおよその位置（市区町村や都道府県庁所在地）、ピンは活動拠点の位置です。'
        f'<a href="{directory}">一覧で見る</a></p>\n',
        map_block(ordered, site, page, size="large"),
        f'<noscript><p>地図の表示には JavaScript が必要です。<a href="{directory}">ブリゲード一覧</a>'
        "をご覧ください。</p></noscript>\n",
        f'<h2 id="unplaced">地図にないブリゲード</h2>\n<p>位置が資料にない {len(unplaced)} 件です。</p>\n'
        + brigade_list(unplaced, page),
    ])


def render_home_stats(brigades: Sequence[Brigade]) -> str:
    """A snippet for docs/index.md: counts by status and by region, with links."""
    by_status = " ・ ".join(
        f"{label} {sum(b.status == key for b in brigades)}" for key, label in STATUS_LABELS.items())
    rows = []
    for region in japan.regions():
        count = sum(1 for b in brigades if (p := prefecture_of(b)) and p.region == region)
        rows.append(f'<li><a href="{region_path(region)}">{text(region.name)}</a> {count}</li>')
    elsewhere = sum(1 for b in brigades if not prefecture_of(b))
    rows.append(f'<li><a href="prefectures/#elsewhere">{NO_AREA}・テーマ型</a> {elsewhere}</li>')
    total = f'<p class="bh-stats__total"><strong>{len(brigades)}</strong> のブリゲード（{by_status}）</p>'
    return (f'<div class="bh-stats" markdown="0">\n{total}\n<ul class="bh-stats__regions">\n'
            + "\n".join(rows) + "\n</ul>\n</div>\n")


def render_join_links(site: Site) -> str:
    """A snippet for docs/join.md: the GitHub addresses of the form, the template and a new file."""
    repo = site.repo_url.rstrip("/")
    buttons = (
        (f"{repo}/issues/new?template=add-brigade.yml", "フォームで登録を申し込む", " md-button--primary"),
        (f"{repo}/new/main/brigades", "新しいファイルを作る", ""),
        (f"{repo}/blob/main/brigades/_template.yml", "ひな形を見る", ""),
    )
    links = "\n".join(f'<a class="md-button{extra}" href="{text(url)}">{label}</a>' for url, label, extra in buttons)
    return f'<p class="bh-join">\n{links}\n</p>\n'
