"""Pages as a signed-in person sees them: Chinese first, English on request, scope enforced."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kepu.core.models import AuditEntry
from kepu.network.models import Alliance, Hall, Venue

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


def test_pages_need_sign_in() -> None:
    response = Client().get("/venues/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_manager_lands_on_the_venue_page_in_chinese(page_as: Any, jian: Venue) -> None:
    client = page_as("jian")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == f"/venues/{jian.pk}/"
    page = text(client.get(home["Location"]))
    assert '<html lang="zh-CN">' in page
    for expected in [
        "集安市科技馆",
        "展厅",
        "1,340 m²",
        "洞穴课堂",
        "法人登记信息",
        "东北三省一区科普场馆联盟",
        "每周三、四、五、六、日开放",
    ]:
        assert expected in page


def test_browser_language_does_not_override_chinese_default(page_as: Any, jian: Venue) -> None:
    page = text(page_as("jian").get(f"/venues/{jian.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en"))
    assert "法人登记信息" in page


def test_switching_to_english_shows_the_same_page_in_english(page_as: Any, jian: Venue) -> None:
    client = page_as("jian")
    switched = client.post("/language/", {"language": "en", "next": f"/venues/{jian.pk}/"})
    assert switched.status_code == 302
    page = text(client.get(f"/venues/{jian.pk}/"))
    assert '<html lang="en">' in page
    for expected in [
        "Ji&#x27;an Science and Technology Museum",
        "Registration record",
        "Cave Classroom",
        "Exhibit maintenance",
        "Open Wed, Thu, Fri, Sat, Sun",
    ]:
        assert expected in page
    assert "法人登记信息" not in page


def test_other_venues_are_404_on_pages(page_as: Any, liaoning: Venue) -> None:
    client = page_as("jian")
    for path in [
        f"/venues/{liaoning.pk}/",
        f"/venues/{liaoning.pk}/calendar/",
        f"/venues/{liaoning.pk}/edit/",
        f"/venues/{liaoning.pk}/halls/new/",
        "/venues/99999999/",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "辽宁" not in text(response)


def test_staff_see_their_venue_but_not_the_edit_form(page_as: Any, jian: Venue) -> None:
    client = page_as("jian-staff")
    assert client.get(f"/venues/{jian.pk}/").status_code == 200
    assert client.get(f"/venues/{jian.pk}/edit/").status_code == 403
    assert client.get(f"/venues/{jian.pk}/calendar/exceptions/new/").status_code == 200


def test_calendar_page_counts_265_open_days_for_2024(page_as: Any, jian: Venue) -> None:
    page = text(page_as("jian").get(f"/venues/{jian.pk}/calendar/?year=2024"))
    assert '<div class="value text-success" id="open-days">265</div>' in page
    assert "春节闭馆（除夕、初一）" in page and "国庆节" in page
    assert 'id="holidays-unknown"' not in page


def test_calendar_of_an_unannounced_year_says_so(page_as: Any, jian: Venue) -> None:
    page = text(page_as("jian").get(f"/venues/{jian.pk}/calendar/?year=2030"))
    assert 'id="holidays-unknown"' in page and "国务院尚未公布2030年" in page


def test_day_lookup_fragment(page_as: Any, jian: Venue) -> None:
    client = page_as("jian")
    page = text(client.get(f"/venues/{jian.pk}/calendar/day/?date=2024-10-01"))
    assert "开放：国庆节假期（平日为闭馆日：展品维护保养）" in page
    bad = text(client.get(f"/venues/{jian.pk}/calendar/day/?date=10/01/2024"))
    assert "请输入日期" in bad


def test_invalid_hall_form_keeps_the_input_and_says_why(page_as: Any, jian: Venue) -> None:
    client = page_as("jian")
    response = client.post(
        f"/venues/{jian.pk}/halls/new/",
        {"name": "天文科普厅", "kind": "permanent", "area_m2": "0"},
    )
    assert response.status_code == 422
    page = text(response)
    assert 'value="天文科普厅"' in page
    assert "is-invalid" in page and "请更正下列错误" in page
    assert not Hall.objects.filter(name="天文科普厅").exists()


def test_duplicate_hall_name_is_reported_on_the_name_field(page_as: Any, jian: Venue) -> None:
    response = page_as("jian").post(
        f"/venues/{jian.pk}/halls/new/", {"name": "洞穴课堂", "kind": "permanent", "area_m2": "50"}
    )
    assert response.status_code == 422
    assert "该场馆已有同名展厅。" in text(response)


def test_editing_a_venue_saves_through_the_service(page_as: Any, jian: Venue) -> None:
    client = page_as("jian")
    form = client.get(f"/venues/{jian.pk}/edit/").context["form"]
    data = {name: value if value is not None else "" for name, value in form.initial.items()}
    data["phone"] = "0435-6888888"
    response = client.post(f"/venues/{jian.pk}/edit/", data)
    assert response.status_code == 302
    assert Venue.objects.get(pk=jian.pk).phone == "0435-6888888"
    entry = AuditEntry.objects.filter(action="venue.update", venue=jian).latest("id")
    assert entry.changes == {"phone": ("", "0435-6888888")}
    assert entry.actor_name == "jian"


def test_announcing_a_closure_from_the_page(page_as: Any, jian: Venue) -> None:
    client = page_as("jian-staff")
    response = client.post(
        f"/venues/{jian.pk}/calendar/exceptions/new/",
        {
            "kind": "closure",
            "category": "renovation",
            "starts_on": "2025-03-05",
            "ends_on": "2025-03-07",
            "reason": "展品更新改造",
        },
    )
    assert response.status_code == 302
    page = text(client.get(f"/venues/{jian.pk}/calendar/?year=2025"))
    assert "展品更新改造" in page
    overlap = client.post(
        f"/venues/{jian.pk}/calendar/exceptions/new/",
        {
            "kind": "closure",
            "category": "other",
            "starts_on": "2025-03-07",
            "ends_on": "2025-03-08",
            "reason": "重叠",
        },
    )
    assert overlap.status_code == 422 and "重叠" in text(overlap)


def test_coordinator_sees_the_129_members_on_one_page(
    page_as: Any, alliances: dict[str, Alliance]
) -> None:
    northeast = alliances["东北联盟"]
    client = page_as("dongbei")
    assert client.get("/")["Location"] == f"/alliances/{northeast.pk}/"
    response = client.get(f"/alliances/{northeast.pk}/")
    page = text(response)
    assert '<div class="value" id="member-total">129</div>' in page
    assert page.count("<tr>") - 1 == 129  # one row per member, plus the header
    assert "首席执行主席单位" in page
    for province in ["辽宁省", "吉林省", "黑龙江省", "内蒙古自治区"]:
        assert province in page


def test_member_table_filters_by_province_with_htmx(
    page_as: Any, alliances: dict[str, Alliance]
) -> None:
    northeast = alliances["东北联盟"]
    response = page_as("dongbei").get(
        f"/alliances/{northeast.pk}/?province=220000", HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert "<html" not in page  # a fragment
    assert "集安市科技馆" in page and "辽宁省科学技术馆" not in page


def test_national_overview_and_venue_list(page_as: Any) -> None:
    client = page_as("admin")
    overview = text(client.get("/"))
    assert "全国网络" in overview and "东北三省一区科普场馆联盟" in overview
    listing = text(client.get("/venues/?kind=mobile_station"))
    assert "新民市流动科技馆站" in listing and "集安市科技馆" not in listing


def test_venue_list_queries_do_not_grow_with_rows(
    page_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = page_as("admin")
    with django_assert_max_num_queries(12):
        assert client.get("/venues/").status_code == 200


def test_division_picker_options(page_as: Any) -> None:
    page = text(page_as("admin").get("/divisions/options/?parent=220500"))
    assert '<option value="220582">集安市</option>' in page


def test_national_administrator_founds_an_alliance(page_as: Any) -> None:
    client = page_as("admin")
    response = client.post(
        "/alliances/new/", {"name": "长江经济带科技馆联盟", "short_name": "长江联盟"}
    )
    assert response.status_code == 302
    created = Alliance.objects.get(name="长江经济带科技馆联盟")
    assert response["Location"] == f"/alliances/{created.pk}/"
    duplicate = client.post("/alliances/new/", {"name": "长江经济带科技馆联盟"})
    assert duplicate.status_code == 422 and "已有同名联盟" in text(duplicate)
    assert page_as("dongbei").get("/alliances/new/").status_code == 404


def test_coordinator_edits_their_alliance_but_not_its_place(
    page_as: Any, alliances: dict[str, Alliance]
) -> None:
    northeast = alliances["东北联盟"]
    client = page_as("dongbei")
    form = client.get(f"/alliances/{northeast.pk}/edit/").context["form"]
    assert "parent" not in form.fields
    data = {k: v if v is not None else "" for k, v in form.initial.items()}
    data["region"] = "辽宁、吉林、黑龙江、内蒙古（东北地区）"
    assert client.post(f"/alliances/{northeast.pk}/edit/", data).status_code == 302
    northeast.refresh_from_db()
    assert northeast.region.endswith("（东北地区）") and northeast.parent is not None
    assert page_as("huanghe").get(f"/alliances/{northeast.pk}/edit/").status_code == 404
    assert page_as("jian").get(f"/alliances/{northeast.pk}/edit/").status_code == 403


def test_alliance_page_queries_do_not_grow_with_members(
    page_as: Any, alliances: dict[str, Alliance], django_assert_max_num_queries: Any
) -> None:
    client = page_as("dongbei")
    with django_assert_max_num_queries(15):
        assert client.get(f"/alliances/{alliances['东北联盟'].pk}/").status_code == 200
    national = page_as("admin")
    with django_assert_max_num_queries(10):
        assert national.get("/").status_code == 200
