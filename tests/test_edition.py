"""Tests for site/edition.py: each edition's names, dates and links, on fictional brigades."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from brigadehub.core import japan
from brigadehub.core.model import TOKYO, Brigade, Event
from brigadehub.site.edition import ENGLISH, JAPANESE
from brigadehub.site.event_pages import format_when


def _brigade(**data) -> Brigade:
    return Brigade.model_validate({"id": "code-for-example", "name": {"ja": "Code for 例"}, "status": "active",
                                   "sources": ["a test fixture"], **data})


def _event(start, end=None, precision="time") -> Event:
    return Event(uid="x", title="定例会", start=start, end=end, source="hand", source_id="x", host=None,
                 host_name="例", precision=precision)


@pytest.mark.parametrize(
    ("page", "target", "japanese", "english"),
    [("brigades/x/", "feeds/brigades/x.ics", "../../feeds/brigades/x.ics", "../../../feeds/brigades/x.ics"),
     ("", "api/towns.json", "api/towns.json", "../api/towns.json"),
     ("brigades/", "api/towns.json", "../api/towns.json", "../../api/towns.json")],
)
def test_a_link_to_a_shared_file_climbs_out_of_the_english_folder(page, target, japanese, english):
    assert JAPANESE.shared(page, target) == japanese
    assert ENGLISH.shared(page, target) == english


@pytest.mark.parametrize(
    ("event", "japanese", "english"),
    [(_event(datetime(2026, 12, 12, 14, tzinfo=TOKYO), datetime(2026, 12, 12, 17, tzinfo=TOKYO)),
      "2026年12月12日（土）14:00–17:00", "Sat 12 Dec 2026, 14:00–17:00 JST"),
     (_event(datetime(2026, 12, 12, 14, tzinfo=TOKYO)), "2026年12月12日（土）14:00", "Sat 12 Dec 2026, 14:00 JST"),
     (_event(datetime(2026, 12, 12, 14, tzinfo=TOKYO), datetime(2026, 12, 13, 10, tzinfo=TOKYO)),
      "2026年12月12日（土）14:00 〜 2026年12月13日（日）10:00", "Sat 12 Dec 2026, 14:00 – Sun 13 Dec 2026, 10:00 JST"),
     (_event(date(2026, 12, 12), date(2026, 12, 13), "day"), "2026年12月12日（土）〜2026年12月13日（日）",
      "Sat 12 Dec 2026 – Sun 13 Dec 2026"),
     (_event(date(2018, 3, 1), precision="month"), "2018年3月", "Mar 2018"),
     (_event(date(2018, 3, 1), precision="around"), "2018年3月ごろ", "around Mar 2018"),
     (_event(date(2015, 1, 1), precision="year"), "2015年", "2015")],
)
def test_dates_are_written_as_precisely_as_known_in_each_language(event, japanese, english):
    assert format_when(JAPANESE, event) == japanese
    assert format_when(ENGLISH, event) == english


def test_a_date_from_a_file_is_written_as_far_as_it_goes():
    assert [ENGLISH.partial_date(v) for v in ("2025-12-09", "2025-12", "2025")] == ["9 Dec 2025", "Dec 2025", "2025"]
    assert [JAPANESE.partial_date(v) for v in ("2025-12-09", "2025-12", "2025")] == ["2025年12月9日", "2025年12月",
                                                                                      "2025年"]
    assert ENGLISH.month(2026, 12, heading=True) == "December 2026"


def test_the_english_edition_names_a_brigade_in_latin_letters_and_gives_the_japanese_beside_it():
    named = _brigade(name={"ja": "コード・フォー・例", "en": "Code for Example"})
    assert (ENGLISH.name(named), ENGLISH.other_name(named)) == ("Code for Example", ("コード・フォー・例", "ja"))
    assert (JAPANESE.name(named), JAPANESE.other_name(named)) == ("コード・フォー・例", ("Code for Example", "en"))
    romanised = _brigade()
    assert ENGLISH.name(romanised) == "Code for 例 (Code for Rei)" and ENGLISH.other_name(romanised)[0] is None


def test_areas_read_in_each_language():
    placed = _brigade(location={"prefecture": "石川県", "city": "野々市市"})
    assert JAPANESE.area(placed) == "石川県 野々市市" and ENGLISH.area(placed) == "Nonoichi, Ishikawa"
    assert ENGLISH.area(_brigade()) == "No area given"
    assert ENGLISH.area(_brigade(scope="thematic")) == "Thematic (anywhere)"
    chubu = japan.find_prefecture("石川県").region
    assert (JAPANESE.region(chubu), ENGLISH.region(chubu)) == ("中部地方", "Chubu")


def test_the_english_page_gives_the_english_description_else_the_japanese_marked_as_such():
    both = _brigade(description={"ja": "例の説明", "en": "About Example"})
    assert ENGLISH.description(both) == {"text": "About Example", "lang": None, "also": None, "also_lang": None}
    only = _brigade(description={"ja": "例の説明"})
    assert ENGLISH.description(only)["text"] == "例の説明" and ENGLISH.description(only)["lang"] == "ja"
    assert JAPANESE.description(both)["also"] == "About Example"
