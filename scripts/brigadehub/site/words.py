"""Every word the generated pages say, in Japanese and in English: one table per language, with the same keys.

Templates read them as `{{ t.key }}`, and fill a phrase's values in with `{{ t.key|fill(n=3, name=…) }}`; the page
data code says `edition.t.say("key", n=3)`. A value is plain text, escaped where it is printed like any other; a
key ending in `_html` holds HTML of our own (a link inside a sentence), whose values are escaped as they are filled
in. A phrase that counts something is a pair (one, more) in English, chosen by its value `n`; Japanese has one form.

The tables are Python rather than YAML or JSON: the plural pairs, the lists of weekdays and months and the HTML
phrases are plain values here, with no loader or schema to keep, and tests/test_words.py holds the two tables to
the same keys and the same placeholders.
"""

from __future__ import annotations

import string

from markupsafe import Markup

JA: dict = {
    # ---- punctuation and small words that join the others -------------------------------------------------
    "sep": " ・ ",  # between links or counts in a line
    "name_sep": "・",  # between the names of co-hosts or brigades
    "comma": "、",
    "open": "（",  # a bracket that follows a word directly
    "paren_open": "（",  # one that follows a space
    "close": "）",
    "all": "すべて",
    # ---- dates ----------------------------------------------------------------------------------------------
    "weekdays": ["月", "火", "水", "木", "金", "土", "日"],
    "months": [f"{m}月" for m in range(1, 13)],
    "months_full": [f"{m}月" for m in range(1, 13)],
    "date_weekday": "{year}年{month_name}{day}日（{weekday}）",
    "date_day": "{year}年{month_name}{day}日",
    "date_month": "{year}年{month_name}",
    "date_around": "{year}年{month_name}ごろ",
    "date_year": "{year}年",
    "date_month_day": "{month_name}{day}日",
    "month_heading": "{year}年{month_full}",
    "when_timed": "{day}{time}{until}",
    "until_time": "–{time}",
    "until_day_time": " 〜 {day}{time}",
    "until_day": "〜{day}",
    # ---- brigades, their status and what the records say -----------------------------------------------------
    "statuses": {"active": "活動中", "dormant": "休止中", "disbanded": "解散", "unknown": "未確認"},
    "precisions": {"exact": "活動拠点の位置", "city": "市区町村の位置（おおよそ）",
                   "prefecture": "都道府県庁所在地の位置（おおよそ）"},
    "cfj": {"official": "公認", "preparing": "公認準備中"},
    "no_area": "地域未記載",
    "thematic": "テーマ型（地域を限らない）",
    # What the records say, in words that cannot be mistaken for the status a brigade gives itself.
    "activities": {"active": "直近 12 か月に記録あり", "quiet": "12 か月以上記録なし", "none": "記録なし"},
    "activity_basis": {"event": "イベント", "evidence": "活動の記録"},
    "region_name": "{name}地方",
    "area_note": "（{area}）",
    "website": "ウェブサイト",
    "online": "オンライン",
    "calendar_host": "主催",  # the host's line in an "add to Google Calendar" link
    # ---- the brigade page -------------------------------------------------------------------------------------
    "brigade_description": "{area}のシビックテックコミュニティ {name}（{status}）",
    "brigade_description_unplaced": "地域未記載のシビックテックコミュニティ {name}（{status}）",
    "brigade_description_thematic": "テーマ型（地域を限らない）のシビックテックコミュニティ {name}（{status}）",
    "take_part": "参加するには",
    "next_event": "次のイベント:",
    "announced_at": "予定はここで告知されています:",
    "no_announcements": "イベントの告知先がまだ登録されていません。情報をお持ちでしたら、お知らせください。",
    "report_outdated": "情報が古い？知らせる",
    "other_name": "英語名",
    "reading": "よみ",
    "area": "地域",
    "inferred_from_name": "（名前からの推定）",
    "activity_record": "活動の記録",
    "last_record": "（最後の{basis}: {day}）",
    "status_declared": "状態（申告）",
    "since": "{day} から、",
    "confirmed_on": "最終確認 {day}",
    "not_confirmed": "ブリゲードによる確認なし",
    "founded": "設立",
    "cfj_as_of": "（{day} 時点の一覧）",
    "tags": "タグ",
    "maintainers": "管理者",
    "unverified_title": "この情報は未確認です",
    "unverified_text": "この項目は公開されている古い資料から作ったもので、ブリゲード自身による確認を受けていません。"
                       "活動の状況や連絡先が変わっているかもしれません。",
    "unverified_to_brigade": "このブリゲードの方へ:",
    "fix_on_github": "GitHub でこのファイルを直す",
    "how_to_fix": "直し方の案内",
    "evidence_intro": "イベント以外で、活動していたことがわかる記録です。「活動の記録」の表示は、"
                      "イベントとこれらの記録のうち最新のものから決めていて、ブリゲード自身の申告（状態）とは別です。",
    "source_note": "出典: {source}",
    "links": "リンク",
    "events": "イベント",
    "no_events_yet": "登録されたイベントはまだありません。",
    "sources": "情報の出典",
    "notes": "補足: {notes}",
    "map_position": "地図上の位置:",
    "edit_source": "このページの元データ（brigades/{id}.yml）を GitHub で編集する",
    # ---- event lists ------------------------------------------------------------------------------------------
    "cancelled": "中止",
    "co_hosted": " 共催",
    "add_to_google": "Google カレンダーに追加",
    "no_upcoming": "予定されたイベントはまだありません。",
    "no_events_arrived": "予定されたイベントはまだ届いていません。",
    "subscribe_lead": "カレンダーに登録",
    "how_to_subscribe": "登録のしかた",
    "upcoming": "これから",
    "more_upcoming": "この先のイベントをさらに {n} 件見る",
    "past_count": "これまで（{n} 件）",
    "past_shown": "新しい {n} 件を表示しています。年ごとに見る: ",
    "year_count": "{year}年（{n} 件）",
    "region": "地方",
    "prefecture": "都道府県",
    "online_only": "オンラインのみ",
    "venue_only": "会場のみ",
    "brigade_note_html": Markup('<span data-bh-brigade-name></span> のイベントだけを表示しています。<a '
                                'href="?">すべて表示</a>'),
    "no_match_events": "条件に合うイベントはありません。",
    "n_events": "{n} 件",
    "n_brigades": "{n} 件",
    "events_title": "イベント",
    "events_description": "全国のブリゲードのこれからのイベント",
    "events_intro": "全国のブリゲードのこれからのイベントです（{n} 件）"
                    "。カレンダーアプリで購読するには[カレンダー](../calendars/)のページへ。",
    "later_months": "この先の月: ",
    "past_events": "これまでのイベント",
    "year_title": "{year}年のイベント",
    "year_description": "{year}年に全国のブリゲードが開いたイベント",
    "count_back_html": Markup('{n} 件。<a href="{href}">{back}</a>'),
    "upcoming_events": "これからのイベント",
    "back": "戻る",
    "inexact_note": "日付が資料にない {n} 件は「3月ごろ」のように、わかる範囲で示しています。",
    "month_title": "{month}のイベント",
    "month_part": "（{part}/{parts}）",
    "month_description": "{month}の全国のブリゲードのイベント",
    # ---- subscribing to calendars ------------------------------------------------------------------------------
    "feed_url_label": "{name} の URL",
    "copy_url": "URL をコピー",
    "feed_all": "Brigade Hub 全国のイベント",
    "feed_online": "Brigade Hub オンラインのイベント",
    "feed_area": "Brigade Hub {name}",
    "feed_description": "{name}: Brigade Hub が集めたイベント",
    "calendars_title": "カレンダー",
    "calendars_description": "ブリゲードのイベントを、お使いのカレンダーアプリで購読する",
    "calendars_intro": "ブリゲードのイベントを、Google カレンダー・Apple のカレンダー・Outlook・Thunderbird "
                       "などで購読できます。一度登録すれば、新しいイベントが自動で追加されます（アプリによって、"
                       "反映まで数時間から 1 日ほどかかります）。",
    "calendars_window": "どのカレンダーにも、これからのイベントと、過去 {days} 日のイベントが入っています。"
                        "それより前のイベントは[イベント](../events/)のページで見られます。",
    "calendars_tip_title": "どれか 1 つだけ登録してください",
    "calendars_tip": "同じイベントは全国・地方・都道府県・ブリゲードのどのカレンダーにも入っています。"
                     "いくつも登録すると、同じ予定が重なって表示されることがあります。",
    "calendars_apple": "**Apple**: Mac・iPhone のカレンダーで開きます。",
    "calendars_google": "**Google**: Google カレンダーの「URL で追加」画面が開きます。",
    "calendars_outlook": "**Outlook**: Outlook.com の「Web から購読」画面が開きます。",
    "calendars_other": "**Thunderbird など**: URL をコピーして、「ネットワーク上のカレンダー」として追加します。",
    "calendar_groups": {"national": "全国", "regions": "地方", "prefectures": "都道府県", "brigades": "ブリゲード"},
    "n_calendars": "{n} のカレンダー",
    "subscribe_on_page": "ブリゲードのページで登録",
    "shown_as": "",
    # ---- areas ----------------------------------------------------------------------------------------------
    "prefecture_title": "{name}のブリゲード",
    "prefecture_description": "{name}で活動するシビックテックコミュニティ",
    "region_title": "{name}のブリゲード",
    "region_description": "{name}のシビックテックコミュニティ",
    "region_after": "地方",
    "find_by_town": "市区町村から探す",
    "invitation_title": "{place}にはまだ登録がありません",
    "invitation_text": "地域の課題を、市民・エンジニア・行政職員がともに考え、ともにつくる場をはじめてみませんか。"
                       "すでに活動している団体があれば、ぜひ登録してください。",
    "how_to_start": "ブリゲードのはじめかた",
    "how_to_register": "登録のしかた",
    "prefectures_title": "地域から探す",
    "prefectures_description": "都道府県・地方ごとのブリゲード",
    "elsewhere_heading": "{no_area}・テーマ型",
    "elsewhere_intro": "地域が資料に書かれていないブリゲードと、特定の地域に限らないテーマ型のグループです。",
    "towns_intro": "{n} の市区町村それぞれで活動しているブリゲード、なければ近くのブリゲードと、"
                   "その活動拠点までのおおよその距離です。",
    "nearby": "近く: ",
    "about_km": "（約 {km} km）",
    "none_yet": "まだ登録がありません",
    # ---- the town finder ------------------------------------------------------------------------------------
    "finder_label": "お住まいの市区町村",
    "finder_placeholder": "例: 野々市、ののいち、nonoichi",
    "near_me": "現在地から探す",
    "finder_help": "市区町村名を漢字・かな・ローマ字で。「現在地から探す」の位置情報はこの端末の中だけで使い、"
                   "どこにも送りません。",
    "finder_noscript_html": Markup('<a href="{href}">都道府県のページ</a>に、'
                                   '市区町村ごとの近くのブリゲードがあります。'),
    # ---- the home page's snippets ------------------------------------------------------------------------------
    "home_total_html": Markup("<strong>{n}</strong> のブリゲード"),
    "home_records": "活動の記録（イベントや議事録から）: ",
    "home_statuses": "ブリゲードの申告: ",
    "home_elsewhere": "{no_area}・テーマ型",
    "join_form": "フォームで登録を申し込む",
    "join_new_file": "新しいファイルを作る",
    "join_template": "ひな形を見る",
    # ---- the directory and the map -------------------------------------------------------------------------
    "directory_title": "ブリゲード一覧",
    "directory_description": "日本各地の Code for ブリゲード {n} 件の一覧",
    "directory_intro": "全国の {n} のブリゲード（シビックテックコミュニティ）です。地域・状態",
    "directory_intro_tags": "・タグ",
    "directory_intro_end": "で絞り込んだり、名前や地名（漢字・かな・ローマ字）で探したりできます。",
    "directory_split_intro": "全国の {n} のブリゲード（シビックテックコミュニティ）です。"
                             "数が多いため、地方ごとのページに分けています。"
                             "それぞれのページで、都道府県・状態・タグで絞り込めます。",
    "search_all": "名前・地名で全国から探す",
    "search_name_place": "名前・地名",
    "search_placeholder": "例: 金沢、かなざわ、kanazawa",
    "no_match_brigades": "条件に合うブリゲードはありません。市区町村名なら、近くのブリゲードをお探しします。",
    "parts_heading": "地方ごとの一覧",
    "part_description": "{name}のシビックテックコミュニティの一覧",
    "part_intro_html": Markup('{n} 件（全国の {total} 件のうち）。<a href="{href}">ブリゲード一覧</a>では、'
                              "全国から名前や地名で探せます。"),
    "part_count": "{name} {n} 件: ",
    "col_name": "名前",
    "col_last_record": "最後の記録",
    "calendars_parts_html": Markup("ブリゲードごとのカレンダーは、それぞれのページの「イベント」で登録できます。"
                                   '<a href="{href}">ブリゲード一覧</a>で名前や地名から探すか、'
                                   "地方ごとの一覧からどうぞ。"),
    "map_title": "地図",
    "map_description": "全国のブリゲードの地図",
    "map_intro": "点線の丸はおおよその位置（市区町村や都道府県庁所在地）、ピンは活動拠点の位置です。",
    "see_list": "一覧で見る",
    "map_needs_js": "地図の表示には JavaScript が必要です。",
    "map_noscript_html": Markup('地図の表示には JavaScript が必要です。<a href="{href}">ブリゲード一覧</a>'
                                "をご覧ください。"),
    "unplaced_heading": "地図にないブリゲード",
    "unplaced_intro": "位置が資料にない {n} 件です。",
    # ---- the statistics page ----------------------------------------------------------------------------------
    "stats_title": "数字で見るブリゲード",
    "stats_description": "都道府県ごとのブリゲードの数と、年ごとのイベントの数",
    "stats_intro_html": Markup('Brigade Hub に載っている {brigades} のブリゲードと、集めたイベントの記録 {n} '
                               '件を図にしました（{day}時点）。イベントは Brigade Hub に届いた記録の数で、'
                               '開かれたすべてのイベントではありません。数え方は<a '
                               'href="#method">ページの最後</a>にあります。'),
    "stats_prefectures": "都道府県ごとのブリゲード",
    "stats_years": "年ごとのイベント",
    "stats_regions": "地方ごとのイベント",
    "stats_method": "数え方",
    "method_held": "開かれた日が {day}までのイベントを、始まった年に数えています。中止になったものは数えず、"
                   "これからのイベント",
    "method_upcoming": "（{n} 件）",
    "method_held_end": "も入っていません。",
    "method_precision": "資料に日付がなく、月までしかわからないもの（{month} 件）、年までしかわからないもの（{year} "
                        "件）、オープンデータデイのように「その日ごろ」とわかるもの（{around} 件）も、"
                        "その年に数えています。図では薄い色で示しています。",
    "method_area": "地方と都道府県は、主催・共催したブリゲードの所在地で決めています。"
                   "いくつもの地方のブリゲードが共催したイベント",
    "method_co_hosted": "（{n} 件）",
    "method_area_end": "は、それぞれの地方に数えるので、地方の合計は全国の数より多くなることがあります。"
                       "主催者がこのサイトに載っていないイベント（全国規模のものなど）は「地域不明・全国」です。",
    "method_brigades": "ブリゲードの数は、ブリゲードのファイルに書かれた都道府県で数えています。"
                       "状態（活動中・未確認など）は問いません。",
    "unknown_area": "地域不明・全国",
    "national": "全国",
    "chart_title": "{name}のイベント数の推移: {first}年から{last}年までに {n} 件",
    "chart_peak": "。最も多いのは {year}年の {n} 件",
    "years_caption": "年ごとのイベントの数（全国）。",
    "years_partial": "{year}年は{until}までの件数です。",
    "no_records_yet": "まだイベントの記録がありません。",
    "show_table": "数値を表で見る",
    "col_year": "年",
    "col_events": "イベント",
    "col_approximate": "うち日付が月・年まで、または「ごろ」",
    "col_brigades": "ブリゲード",
    "year": "{year}年",
    "until_note": "（{until}まで）",
    "total": "計",
    "legend_exact": "日付までわかるもの",
    "legend_approximate": "月・年まで、または「ごろ」しかわからないもの",
    "regions_scale": "どの図も縦の目盛りは同じで、上の線が {n} 件です。",
    "regions_table": "地方ごと・年ごとのイベント数の表",
    "tile_label": "{name}: ブリゲード {n} 件",
    "tiles_caption": "都道府県ごとのブリゲードの数。タイルを選ぶと、その都道府県のページを開きます。",
    "or_more": " 以上",
    "tiles_credit_html": Markup('配置は<a href="https://github.com/tabularmaps/hq">カラム地図</a>（CC0）によります。'),
    "tiles_elsewhere_html": Markup('このほか、<a href="{href}">地域が未記載のブリゲードとテーマ型のグループ</a>が {n} '
                                   '件あります。'),
    "spark_title": "年ごとのイベント数: ",
    "spark_year": "{year}年 {n} 件",
    "spark_caption": "{first}〜{last}年のイベント {n} 件",
    "spark_peak": "（最多は {year}年の {n} 件）",
    "spark_approximate": "。うち {n} 件は日付が月・年まで、または「ごろ」（薄い色）",
    "national_figures": "全国の数字",
    # ---- the status page ----------------------------------------------------------------------------------------
    "status_title": "サイトの状態",
    "status_description": "掲載情報とイベント情報源の自動チェックの結果",
    "status_intro": "掲載情報が古くなっていないかを、自動で確かめた結果です。"
                    "直し方は[ブリゲードの追加・修正](../join/)をご覧ください。",
    "status_item": "項目",
    "status_count": "件数",
    "broken_links": "問題のあるリンク",
    "quiet_sources": "静かになったイベント情報源",
    "no_record_brigades": "12か月活動の記録がないブリゲード",
    "unconfirmed_entries": "12か月確認されていない掲載",
    "links_checked": "リンクの最終確認: {at}",
    "links_not_checked": "リンクはまだ確認していません。",
    "no_linkcheck": "まだ確認していません（brigadehub linkcheck の結果がありません）。",
    "no_broken_links": "問題のあるリンクはありません。",
    "col_brigade": "ブリゲード",
    "col_field": "項目",
    "col_status": "状態",
    "col_since": "いつから",
    "quiet_intro": "以前はイベントがあったのに、取得できなくなった情報源と、"
                   "ふだんの間隔よりずっと長くイベントのない情報源です。URL やグループ名が変わったのかもしれません。",
    "silence": "最後のイベントから {days} 日（ふだんは {usual} 日ごと）",
    "no_record_intro": "イベントや、議事録などの活動の記録が 12 か月ありません。活動を続けている場合は、"
                       "イベントの情報源（connpass など）を登録してください。",
    "last_record_at": "（最後の記録: {day}）",
    "no_record_at": "（最後の記録: 記録なし）",
    "unconfirmed_intro": "ブリゲードの方が内容を確かめて `confirmed_on` を更新すると、ここから外れます。",
    "confirmed_at": "最終確認: {day}",
    "unconfirmed": "未確認",
    "event_sources": "イベント情報源",
    "no_fetch": "まだ取得していません（brigadehub fetch の結果がありません）。",
    "last_fetch": "最後の取得: {at}",
    "col_source": "情報源",
    "col_result": "結果",
    "col_stored": "保存しているイベント",
    "went_quiet": "予定が消えました",
    "skipped_items": "読めずに除いた項目 {n} 件",
    "none_found": "ありません。",
    "link_statuses": {"dead": "リンク切れ", "error": "エラー", "slow": "応答が遅い", "redirected": "転送",
                      "live": "正常"},
    "source_statuses": {"ok": "取得", "not_modified": "変更なし", "failed": "失敗", "skipped": "スキップ"},
}

EN: dict = {
    "sep": " · ",
    "name_sep": ", ",
    "comma": ", ",
    "open": " (",
    "paren_open": "(",
    "close": ")",
    "all": "All",
    "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "months": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "months_full": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                    "November", "December"],
    "date_weekday": "{weekday} {day} {month_name} {year}",
    "date_day": "{day} {month_name} {year}",
    "date_month": "{month_name} {year}",
    "date_around": "around {month_name} {year}",
    "date_year": "{year}",
    "date_month_day": "{day} {month_name}",
    "month_heading": "{month_full} {year}",
    # Times are Japan's, whatever the reader's clock says.
    "when_timed": "{day}, {time}{until} JST",
    "until_time": "–{time}",
    "until_day_time": " – {day}, {time}",
    "until_day": " – {day}",
    "statuses": {"active": "active", "dormant": "dormant", "disbanded": "disbanded", "unknown": "unconfirmed"},
    "precisions": {"exact": "where it meets", "city": "its city (roughly)",
                   "prefecture": "its prefecture's capital (roughly)"},
    "cfj": {"official": "official brigade", "preparing": "preparing to become official"},
    "no_area": "No area given",
    "thematic": "Thematic (anywhere)",
    "activities": {"active": "recorded in the last 12 months", "quiet": "quiet for 12 months or more",
                   "none": "no record"},
    "activity_basis": {"event": "event", "evidence": "record"},
    "region_name": "{name}",
    "area_note": "({area})",
    "website": "Website",
    "online": "Online",
    "calendar_host": "Host",
    "brigade_description": "{name}, a civic tech community in {area} ({status})",
    "brigade_description_unplaced": "{name}, a civic tech community ({status})",
    "brigade_description_thematic": "{name}, a thematic civic tech community ({status})",
    "take_part": "How to take part",
    "next_event": "Next event:",
    "announced_at": "Meetings are announced on:",
    "no_announcements": "We do not know yet where this brigade announces its meetings. If you do, please tell us.",
    "report_outdated": "Out of date? Tell us",
    "other_name": "Japanese name",
    "reading": "Reading",
    "area": "Area",
    "inferred_from_name": "(inferred from the name)",
    "activity_record": "Activity on record",
    "last_record": "(last {basis}: {day})",
    "status_declared": "Status (as the brigade gives it)",
    "since": "since {day}, ",
    "confirmed_on": "last confirmed {day}",
    "not_confirmed": "not confirmed by the brigade",
    "founded": "Founded",
    "cfj_as_of": " (on its list as of {day})",
    "tags": "Tags",
    "maintainers": "Maintainers",
    "unverified_title": "This entry is unconfirmed",
    "unverified_text": "It was made from old public sources and has not been confirmed by the brigade itself. What it "
                       "does, and how to reach it, may have changed.",
    "unverified_to_brigade": "If you are with this brigade:",
    "fix_on_github": "Correct this file on GitHub",
    "how_to_fix": "How to correct it",
    "evidence_intro": "Records other than events that show the brigade was active. “Activity on record” is worked out "
                      "from the latest of these and of its events, apart from the status the brigade gives itself.",
    "source_note": "source: {source}",
    "links": "Links",
    "events": "Events",
    "no_events_yet": "No events on record yet.",
    "sources": "Where this comes from",
    "notes": "Note: {notes}",
    "map_position": "On the map:",
    "edit_source": "Edit the data of this page (brigades/{id}.yml) on GitHub",
    "cancelled": "Cancelled",
    "co_hosted": " (co-hosts)",
    "add_to_google": "Add to Google Calendar",
    "no_upcoming": "No events are scheduled yet.",
    "no_events_arrived": "No scheduled events have come in yet.",
    "subscribe_lead": "Subscribe in your calendar",
    "how_to_subscribe": "how",
    "upcoming": "Coming up",
    "more_upcoming": ("See {n} more event to come", "See {n} more events to come"),
    "past_count": ("Past ({n} event)", "Past ({n} events)"),
    "past_shown": "Showing the latest {n}. By year: ",
    "year_count": ("{year} ({n} event)", "{year} ({n} events)"),
    "region": "Region",
    "prefecture": "Prefecture",
    "online_only": "Online only",
    "venue_only": "In person only",
    "brigade_note_html": Markup('Showing only the events of <span data-bh-brigade-name></span>. <a href="?">Show '
                                'all</a>'),
    "no_match_events": "No event matches.",
    "n_events": ("{n} event", "{n} events"),
    "n_brigades": ("{n} brigade", "{n} brigades"),
    "events_title": "Events",
    "events_description": "Events to come of the brigades all over Japan",
    "events_intro": ("The event to come of the brigades all over Japan ({n}). To subscribe in your calendar app, "
                     "see [Calendars](../calendars/).",
                     "Events to come of the brigades all over Japan ({n}). To subscribe in your calendar app, see "
                     "[Calendars](../calendars/)."),
    "later_months": "Later months: ",
    "past_events": "Past events",
    "year_title": "Events in {year}",
    "year_description": "Events that brigades all over Japan held in {year}",
    "count_back_html": (Markup('{n} event. <a href="{href}">{back}</a>'),
                        Markup('{n} events. <a href="{href}">{back}</a>')),
    "upcoming_events": "Events to come",
    "back": "Back",
    "inexact_note": ("The sources give no day for {n} event; it is shown as far as known, such as “around Mar”.",
                     "The sources give no day for {n} events; they are shown as far as known, such as “around Mar”."),
    "month_title": "Events in {month}",
    "month_part": " ({part}/{parts})",
    "month_description": "Events of the brigades all over Japan in {month}",
    "feed_url_label": "URL of {name}",
    "copy_url": "Copy URL",
    "feed_all": "Brigade Hub: all events in Japan",
    "feed_online": "Brigade Hub: online events",
    "feed_area": "Brigade Hub: {name}",
    "feed_description": "{name}: events gathered by Brigade Hub",
    "calendars_title": "Calendars",
    "calendars_description": "Subscribe to the brigades' events in your calendar app",
    "calendars_intro": "Subscribe to the brigades' events in Google Calendar, Apple Calendar, Outlook, Thunderbird and "
                       "others. Once subscribed, new events appear by themselves (depending on the app, after a few "
                       "hours to a day).",
    "calendars_window": "Every calendar holds the events to come and those of the last {days} days. Older events are "
                        "on the [Events](../events/) page.",
    "calendars_tip_title": "Subscribe to just one",
    "calendars_tip": "An event is in every calendar it belongs to: the national one, its region's, its prefecture's "
                     "and its brigade's. Subscribe to several, and the same event may show twice.",
    "calendars_apple": "**Apple**: opens in the Calendar app of a Mac or an iPhone.",
    "calendars_google": "**Google**: opens Google Calendar's “Add from URL”.",
    "calendars_outlook": "**Outlook**: opens Outlook.com's “Subscribe from web”.",
    "calendars_other": "**Thunderbird and others**: copy the URL and add it as a calendar “On the Network”.",
    "calendar_groups": {"national": "Japan", "regions": "Regions", "prefectures": "Prefectures",
                        "brigades": "Brigades"},
    "n_calendars": ("{n} calendar", "{n} calendars"),
    "subscribe_on_page": "Subscribe on the brigade's page",
    # The feeds are the Japanese edition's: a calendar app shows the name they carry, so the page says it.
    "shown_as": "In your calendar: ",
    "prefecture_title": "Brigades in {name}",
    "prefecture_description": "Civic tech communities in {name}",
    "region_title": "Brigades in {name}",
    "region_description": "Civic tech communities in {name}",
    "region_after": " region",
    "find_by_town": "Find by municipality",
    "invitation_title": "No brigade in {place} yet",
    "invitation_text": "Why not start a place where citizens, engineers and local government staff think and make "
                       "together for their area? If a group is already active, please add it.",
    "how_to_start": "How to start a brigade",
    "how_to_register": "How to add one",
    "prefectures_title": "Browse by area",
    "prefectures_description": "Brigades by prefecture and region",
    "elsewhere_heading": "{no_area}, or thematic",
    "elsewhere_intro": "Brigades whose area the sources do not give, and thematic groups that are not tied to one "
                       "area.",
    "towns_intro": ("For the {n} municipality: the brigades active there, or else the nearest ones and roughly how "
                    "far away they meet.",
                    "For each of the {n} municipalities: the brigades active there, or else the nearest ones and "
                    "roughly how far away they meet."),
    "nearby": "nearest: ",
    "about_km": " (about {km} km)",
    "none_yet": "none registered yet",
    "finder_label": "Your municipality",
    "finder_placeholder": "e.g. Nonoichi, 野々市",
    "near_me": "Find near me",
    "finder_help": "A city, ward, town or village, in romaji, kanji or kana. “Find near me” uses your location on this "
                   "device only and sends it nowhere.",
    "finder_noscript_html": Markup('The <a href="{href}">prefecture pages</a> list the nearest brigades for every '
                                   'municipality.'),
    "home_total_html": (Markup("<strong>{n}</strong> brigade"), Markup("<strong>{n}</strong> brigades")),
    "home_records": "Activity on record (from events and minutes): ",
    "home_statuses": "As the brigades say: ",
    "home_elsewhere": "{no_area}, or thematic",
    "join_form": "Apply with the form",
    "join_new_file": "Create a new file",
    "join_template": "See the template",
    "directory_title": "Brigades",
    "directory_description": "The {n} Code for brigades all over Japan",
    "directory_intro": ("The {n} brigade (civic tech community) in Japan. Narrow the list down by area, status",
                        "The {n} brigades (civic tech communities) all over Japan. Narrow the list down by area, "
                        "status"),
    "directory_intro_tags": " or tag",
    "directory_intro_end": ", or find one by a name or a place (in romaji, kanji or kana).",
    "directory_split_intro": "The {n} brigades (civic tech communities) all over Japan. They are many, so they are "
                             "listed by region; each region's page narrows them down by prefecture, status and tag.",
    "search_all": "Find by a name or a place, all over Japan",
    "search_name_place": "Name or place",
    "search_placeholder": "e.g. Kanazawa, 金沢",
    "no_match_brigades": "No brigade matches. If you typed a municipality, its nearest brigades are below.",
    "parts_heading": "By region",
    "part_description": "List of the civic tech communities in {name}",
    "part_intro_html": (Markup('{n} brigade (of {total} in Japan). The <a href="{href}">list of brigades</a> finds '
                               "any of them by a name or a place."),
                        Markup('{n} brigades (of {total} in Japan). The <a href="{href}">list of brigades</a> finds '
                               "any of them by a name or a place.")),
    "part_count": ("{name}, {n} brigade: ", "{name}, {n} brigades: "),
    "col_name": "Name",
    "col_last_record": "Last record",
    "calendars_parts_html": Markup("Each brigade's calendar is under “Events” on its page. Find the brigade in the "
                                   '<a href="{href}">list of brigades</a> by a name or a place, or by region below.'),
    "map_title": "Map",
    "map_description": "Map of the brigades all over Japan",
    "map_intro": "A dashed circle is a rough place (a city, or a prefecture's capital); a pin is where a brigade "
                 "meets. ",
    "see_list": "See the list",
    "map_needs_js": "The map needs JavaScript.",
    "map_noscript_html": Markup('The map needs JavaScript. Please see the <a href="{href}">list of brigades</a>.'),
    "unplaced_heading": "Brigades not on the map",
    "unplaced_intro": ("{n} brigade whose place the sources do not give.",
                       "{n} brigades whose place the sources do not give."),
    "stats_title": "Brigades in numbers",
    "stats_description": "Brigades per prefecture, and events per year",
    "stats_intro_html": (Markup("The {brigades} brigades listed on Brigade Hub, and the {n} event on record, as of "
                                "{day}. Events are those Brigade Hub has a record of, not every event held. How they "
                                'are counted is at the <a href="#method">end of the page</a>.'),
                         Markup("The {brigades} brigades listed on Brigade Hub, and the {n} events on record, as of "
                                "{day}. Events are those Brigade Hub has a record of, not every event held. How they "
                                'are counted is at the <a href="#method">end of the page</a>.')),
    "stats_prefectures": "Brigades per prefecture",
    "stats_years": "Events per year",
    "stats_regions": "Events per region",
    "stats_method": "How they are counted",
    "method_held": "Events held up to {day} count in the year they started. Cancelled events do not count, nor do "
                   "events to come",
    "method_upcoming": " ({n})",
    "method_held_end": ".",
    "method_precision": "Events whose sources give no day count in their year too: those known to the month ({month}), "
                        "to the year ({year}), or “around” a day, such as Open Data Day ({around}). The charts show "
                        "them in a lighter shade.",
    "method_area": "Regions and prefectures are those of the hosting and co-hosting brigades. An event co-hosted by "
                   "brigades of several regions",
    "method_co_hosted": " ({n})",
    "method_area_end": " counts in each of them, so the regions may add up to more than the national figure. Events "
                       "whose host is not on this site (national ones, for example) are under “Nationwide or unknown "
                       "area”.",
    "method_brigades": "Brigades count in the prefecture their file gives, whatever their status (active, unconfirmed "
                       "and so on).",
    "unknown_area": "Nationwide or unknown area",
    "national": "Japan",
    "chart_title": ("{name}: {n} event from {first} to {last}", "{name}: {n} events from {first} to {last}"),
    "chart_peak": "; the most, {n}, in {year}",
    "years_caption": "Events per year, all Japan. ",
    "years_partial": "{year} counts up to {until}.",
    "no_records_yet": "No events on record yet.",
    "show_table": "See the numbers as a table",
    "col_year": "Year",
    "col_events": "Events",
    "col_approximate": "of which known only to the month or year, or “around”",
    "col_brigades": "Brigades",
    "year": "{year}",
    "until_note": " (to {until})",
    "total": "Total",
    "legend_exact": "day known",
    "legend_approximate": "only the month or year, or “around”, known",
    "regions_scale": ("Every chart has the same scale; the top line is {n} event.",
                      "Every chart has the same scale; the top line is {n} events."),
    "regions_table": "Events per region and year",
    "tile_label": ("{name}: {n} brigade", "{name}: {n} brigades"),
    "tiles_caption": "Brigades per prefecture. Choose a tile to open the prefecture's page.",
    "or_more": " or more",
    "tiles_credit_html": Markup('Layout from <a href="https://github.com/tabularmaps/hq">tabularmaps</a> (CC0).'),
    "tiles_elsewhere_html": (
        Markup('Besides, there is {n} <a href="{href}">brigade with no area given, or thematic group</a>.'),
        Markup('Besides, there are {n} <a href="{href}">brigades with no area given, and thematic groups</a>.')),
    "spark_title": "Events per year: ",
    "spark_year": "{year}: {n}",
    "spark_caption": ("{n} event, {first}–{last}", "{n} events, {first}–{last}"),
    "spark_peak": " (most in {year}: {n})",
    "spark_approximate": "; {n} known only to the month or year, or “around” (lighter)",
    "national_figures": "national figures",
    "status_title": "Site status",
    "status_description": "What the automatic checks of the entries and the event sources found",
    "status_intro": "What automatic checks found out of date. To correct an entry, see [Add or update a "
                    "brigade](../join/).",
    "status_item": "Check",
    "status_count": "Count",
    "broken_links": "Links with problems",
    "quiet_sources": "Event sources gone quiet",
    "no_record_brigades": "Brigades with no activity on record for 12 months",
    "unconfirmed_entries": "Entries not confirmed for 12 months",
    "links_checked": "Links last checked: {at}",
    "links_not_checked": "Links have not been checked yet.",
    "no_linkcheck": "Not checked yet (there is no result of brigadehub linkcheck).",
    "no_broken_links": "No link has a problem.",
    "col_brigade": "Brigade",
    "col_field": "Field",
    "col_status": "Status",
    "col_since": "Since",
    "quiet_intro": "Sources that had events and now give none, and sources without events for much longer than usual. "
                   "Their address or group name may have changed.",
    "silence": "{days} days since the last event (usually every {usual} days)",
    "no_record_intro": "No events, and no other record of activity such as minutes, for 12 months. If the brigade is "
                       "still active, please add where it announces its events (connpass, for example).",
    "last_record_at": " (last record: {day})",
    "no_record_at": " (no record)",
    "unconfirmed_intro": "An entry leaves this list when someone from its brigade checks it and updates "
                         "`confirmed_on`.",
    "confirmed_at": "last confirmed {day}",
    "unconfirmed": "never confirmed",
    "event_sources": "Event sources",
    "no_fetch": "Not fetched yet (there is no result of brigadehub fetch).",
    "last_fetch": "Last fetched: {at}",
    "col_source": "Source",
    "col_result": "Result",
    "col_stored": "Events kept",
    "went_quiet": "its events to come vanished",
    "skipped_items": ("{n} item left out, unreadable", "{n} items left out, unreadable"),
    "none_found": "None.",
    "link_statuses": {"dead": "broken", "error": "error", "slow": "slow", "redirected": "redirected", "live": "fine"},
    "source_statuses": {"ok": "fetched", "not_modified": "unchanged", "failed": "failed", "skipped": "skipped"},
}

TABLES = {"ja": JA, "en": EN}


def choose(word, n: object = None):
    """The form of a word for the count n: English counts have two, (one, more); any other word has one."""
    if isinstance(word, tuple):
        return word[0] if n == 1 else word[1]
    return word


def placeholders(word) -> set[str]:
    """The names a word's values are filled in by: {'n', 'year'} for '{year} ({n} events)'."""
    forms = word if isinstance(word, tuple) else (word,)
    return {name for form in forms if isinstance(form, str)
            for _, name, _, _ in string.Formatter().parse(form) if name}


class Words:
    """One language's table, read as attributes (t.take_part) or as phrases with values (t.say('year', year=2025))."""

    def __init__(self, lang: str):
        table = TABLES[lang]
        clash = set(table) & {"lang", "_table", *dir(type(self))}
        if clash:
            raise ValueError(f"words named as Words' own attributes: {sorted(clash)}")
        # As attributes of their own: templates read a word tens of thousands of times a build, and each read
        # through __getattr__ first failed the ordinary lookup.
        self.__dict__.update(table)
        self.lang = lang
        self._table = table

    def __getattr__(self, key: str):  # only for a word missing from the table
        try:
            return self._table[key]
        except KeyError:
            raise AttributeError(f"no word {key!r} in the {self.lang} table") from None

    def say(self, key: str, n: object = None, **values: object) -> str:
        """A phrase as plain text, its values filled in; never an HTML word, which only templates may print."""
        if key.endswith("_html"):
            raise ValueError(f"{key} is HTML; templates fill it in with |fill")
        return choose(self._table[key], n).format(n=n, **values)
