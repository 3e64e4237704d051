"""The demo's programmes, through the services, adding up to the seed reports.

* 集安市科技馆 2024 (seed 002), row by row as its self-evaluation lists them: 9 study tours for
  about 1,650 students; 2 cooperation classes with 集安市第一小学 for 60; 10 caravan visits to
  township schools for about 2,000; 11 flood-safety outreach events for about 7,000; the National
  Science Popularization Day drawing event for 50; a lecture for about 30 and the first campus
  science festival for about 1,000; about 82 S&T workers taking part.
* 辽宁省科学技术馆 2023 (seed 000): 2,800 activity sessions; its caravan drove 11,000 km and
  served 73,200 people; 330 partner schools; the 38th provincial youth innovation contest (14
  cities, 500+ contestants); innovation-method trainings (30+ sessions, 173 schools and
  companies, 3,000 trainees).
* The 2024 joint action of the national network with its ten monthly themes (seed 004), and the
  2020 Jinggangshan outreach of 北京天文馆 with 13 member units (seed 001).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from kepu.core.models import User
from kepu.network.models import Division, Hall, Venue
from kepu.programs.models import (
    ActivityType,
    Audience,
    Caravan,
    CaravanTrip,
    Competition,
    Degree,
    Expert,
    PlaceKind,
    School,
    SessionStatus,
    ThemeDay,
)
from kepu.programs.services.activities import activity_create, session_create
from kepu.programs.services.registry import (
    StopInput,
    campaign_create,
    campaign_report_create,
    caravan_create,
    competition_create,
    expert_create,
    partnership_create,
    school_create,
    theme_day_create,
    trip_create,
    vice_principal_appoint,
)
from kepu.programs.theme_days import theme_days_ensure

# Weeks the organisers announced (the national administrator enters them each year).
ANNOUNCED_THEME_WEEKS = [
    ("全国科技活动周", "National S&T Week", ThemeDay.Kind.ST_WEEK, date(2023, 5, 21), date(2023, 5, 27)),
    ("全国科普日", "National Science Popularization Day", ThemeDay.Kind.SCIENCE_DAY, date(2023, 9, 16), date(2023, 9, 22)),
    ("全国科技活动周", "National S&T Week", ThemeDay.Kind.ST_WEEK, date(2024, 5, 25), date(2024, 5, 31)),
    ("全国科普日", "National Science Popularization Day", ThemeDay.Kind.SCIENCE_DAY, date(2024, 9, 14), date(2024, 9, 20)),
]  # fmt: skip

JOINT_ACTION_2024 = [
    (3, "珍惜资源", "Cherish Resources"),
    (4, "梦想太空", "Dream Space"),
    (5, "礼赞科学家", "Praise Scientists"),
    (6, "智慧未来", "Smart Future"),
    (7, "科技奥运", "Science and Technology Olympic Games"),
    (8, "美丽中国", "Beautiful China"),
    (9, "同上一堂科学课", "Same Science Course"),
    (10, "科技强国", "Science and Technology Power"),
    (11, "健康中国", "Healthy China"),
    (12, "人民的科学中心", "Science Center of the People"),
]

JIAN_TOWNSHIP_SCHOOLS = [
    "集安市清河镇中心小学",
    "集安市头道镇中心小学",
    "集安市花甸镇中心小学",
    "集安市台上镇中心小学",
    "集安市财源镇中心小学",
    "集安市大路镇中心小学",
    "集安市凉水朝鲜族乡中心小学",
    "集安市麻线乡中心小学",
    "集安市青石镇中心小学",
    "集安市榆林镇中心小学",
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def split(total: int, parts: int, rng: random.Random, spread: float = 0.25) -> list[int]:
    """``parts`` whole numbers around total/parts that add up to ``total`` exactly."""
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    for index in range(total - sum(values)):
        values[index % parts] += 1
    return values


def weekdays_in(
    year: int, rng: random.Random, count: int, months: range = range(1, 13)
) -> list[date]:
    days: list[date] = []
    while len(days) < count:
        month = rng.choice(list(months))
        day = date(year, month, rng.randint(1, 28))
        if day.weekday() >= 2:  # Ji'an opens Wednesday to Sunday; harmless elsewhere
            days.append(day)
    return sorted(days)


def build_theme_days(admin: User) -> dict[tuple[str, int], ThemeDay]:
    for year in (2023, 2024, 2025, 2026):
        theme_days_ensure(actor=admin, year=year)
    for name, name_en, kind, start, end in ANNOUNCED_THEME_WEEKS:
        theme_day_create(
            actor=admin,
            data={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "starts_on": start,
                "ends_on": end,
            },
        )
    return {(day.name, day.starts_on.year): day for day in ThemeDay.objects.all()}


def build_jian(admin: User, jian: Venue, days: dict[tuple[str, int], ThemeDay]) -> None:
    rng = random.Random(2024)
    county = jian.division
    if county is None:
        raise RuntimeError("集安市科技馆 needs its division")
    halls = {hall.name: hall for hall in Hall.objects.filter(venue=jian)}
    nine_staff = [
        ("孙丽华", "科学教育"), ("王建国", "展品维护"), ("李明月", "科普讲解"),
        ("赵晓东", "科普讲解"), ("刘佳", "研学课程"), ("陈思远", "信息宣传"),
        ("张海波", "大篷车"), ("杨雪", "少儿科普"), ("周宏伟", "馆长"),
    ]  # fmt: skip
    for name, field in nine_staff:
        expert_create(
            actor=admin,
            venue=jian,
            data={
                "name": name,
                "kind": Expert.Kind.STAFF,
                "organisation": "集安市科技馆",
                "field": field,
                "degree": Degree.BACHELOR,
            },
        )
    first_school = school_create(
        actor=admin,
        data={"name": "集安市第一小学", "division": county, "kind": School.Kind.PRIMARY},
    )
    partnership_create(
        actor=admin,
        venue=jian,
        data={"school": first_school, "signed_on": date(2023, 9, 1), "note": "馆校合作校"},
    )
    township = [
        school_create(
            actor=admin,
            data={"name": name, "division": county, "kind": School.Kind.PRIMARY, "is_rural": True},
        )
        for name in JIAN_TOWNSHIP_SCHOOLS
    ]
    partners = "集安市教育局、集安市博物馆、集旅集团"

    # 研学实践 9 次，接待学生约 1650 人 — in the Cave Classroom (“洞穴课堂”).
    tours = activity_create(
        actor=admin,
        venue=jian,
        data={
            "name": "科技研学实践活动",
            "activity_type": ActivityType.STUDY_TOUR,
            "audience": Audience.STUDENTS,
            "partners": partners,
            "topics": "洞穴课堂",
            "description": "与市教育局、博物馆、集旅集团合作，结合沉浸式展教资源开展“洞穴课堂”科普实践活动。",
        },
    )
    for day, people in zip(
        weekdays_in(2024, rng, 9, range(4, 12)), split(1650, 9, rng), strict=True
    ):
        session_create(
            actor=admin,
            activity=tours,
            data={
                "starts_at": at(day, 9),
                "ends_at": at(day, 11, 30),
                "place_kind": PlaceKind.HALL,
                "hall": halls["洞穴课堂"],
                "status": SessionStatus.HELD,
                "participants": people,
                "participants_approximate": True,
            },
        )

    # 馆校合作 2 次，参与人数 60 人 (with 集安第一小学).
    cooperation = activity_create(
        actor=admin,
        venue=jian,
        data={
            "name": "馆校合作动手实践课堂",
            "activity_type": ActivityType.SCHOOL_COOPERATION,
            "audience": Audience.PRIMARY,
            "partners": "集安市第一小学",
        },
    )
    for day in (date(2024, 4, 17), date(2024, 10, 16)):
        session_create(
            actor=admin,
            activity=cooperation,
            data={
                "starts_at": at(day, 14),
                "ends_at": at(day, 15, 30),
                "place_kind": PlaceKind.HALL,
                "hall": halls["科学探索厅"],
                "school": first_school,
                "status": SessionStatus.HELD,
                "participants": 30,
            },
        )

    caravan = caravan_create(
        actor=admin,
        venue=jian,
        data={"name": "集安市科普大篷车", "plate_number": "吉E·K0582", "exhibits": 24},
    )
    # 科普大篷车进校园 10 次，服务师生约 2000 人; 82 S&T workers in all across four activities.
    visits = activity_create(
        actor=admin,
        venue=jian,
        data={
            "name": "科普大篷车进校园",
            "activity_type": ActivityType.CARAVAN_VISIT,
            "audience": Audience.STUDENTS,
            "description": "走进乡镇和农村学校，为师生送上科技盛宴。",
        },
    )
    visit_days = weekdays_in(2024, rng, 10, range(4, 12))
    for index, (day, people) in enumerate(zip(visit_days, split(2000, 10, rng), strict=True)):
        school = township[index]
        trip = _trip(admin, jian, caravan, day, f"大篷车进校园：{school.name}", rng.randint(30, 90),
                     [StopInput(day=day, name=school.name, school=school, people_served=people,
                                people_approximate=True)])  # fmt: skip
        session_create(
            actor=admin,
            activity=visits,
            data={
                "starts_at": at(day, 9, 30),
                "ends_at": at(day, 15),
                "place_kind": PlaceKind.SCHOOL,
                "school": school,
                "trip": trip,
                "status": SessionStatus.HELD,
                "participants": people,
                "participants_approximate": True,
                "st_workers": 5,
                "st_workers_approximate": True,
            },
        )

    # 防汛应急宣传 11 次，受众约 7000 人 — schools, communities, the science gallery, the square.
    flood = activity_create(
        actor=admin,
        venue=jian,
        data={
            "name": "科普大篷车防汛应急宣传",
            "activity_type": ActivityType.SAFETY_OUTREACH,
            "audience": Audience.PUBLIC,
            "partners": "中国科技馆",
            "description": "制作科普图文展板和宣传册，传授应急避险技能，增强防灾减灾意识。",
        },
    )
    places = [
        (PlaceKind.SQUARE, "集安市政府广场"), (PlaceKind.COMMUNITY, "黎明街道通胜社区"),
        (PlaceKind.OTHER, "集安市科普长廊"), (PlaceKind.SCHOOL, "集安市第一中学"),
        (PlaceKind.COMMUNITY, "团结街道东盛社区"), (PlaceKind.SCHOOL, "集安市第二中学"),
        (PlaceKind.SQUARE, "集安市鸭绿江广场"), (PlaceKind.COMMUNITY, "城东街道北关社区"),
        (PlaceKind.VILLAGE, "清河镇清河村"), (PlaceKind.VILLAGE, "太王镇钱湾村"),
        (PlaceKind.SCHOOL, "集安市实验小学"),
    ]  # fmt: skip
    flood_days = sorted(date(2024, 7, 20) + timedelta(days=4 * i) for i in range(11))
    for (place_kind, name), day, people in zip(
        places, flood_days, split(7000, 11, rng), strict=True
    ):
        trip = _trip(admin, jian, caravan, day, f"防汛应急宣传：{name}", rng.randint(8, 60),
                     [StopInput(day=day, name=name, place_kind=place_kind, division=county,
                                people_served=people, people_approximate=True)])  # fmt: skip
        session_create(
            actor=admin,
            activity=flood,
            data={
                "starts_at": at(day, 9),
                "ends_at": at(day, 16),
                "place_kind": place_kind,
                "place_name": name,
                "division": county,
                "trip": trip,
                "status": SessionStatus.HELD,
                "participants": people,
                "participants_approximate": True,
            },
        )

    # 主题日: 全国科普日 50 人; 科普讲堂约 30 人; 首届校园科技节约 1000 人.
    for name, kind, day, theme_day, hall, people, approximate, workers in [
        ("“科普点亮生活，画笔描绘科技”主题科普活动", ActivityType.THEME_DAY_EVENT,
         date(2024, 9, 18), days[("全国科普日", 2024)], "少儿科学乐园", 50, False, 10),
        ("“强国复兴有我，科技筑梦未来”科普讲堂", ActivityType.LECTURE,
         date(2024, 5, 29), days[("全国科技活动周", 2024)], "科学探索厅", 30, True, 7),
        ("“科技进校园，筑牢强国梦”集安市首届校园科技节", ActivityType.THEME_DAY_EVENT,
         date(2024, 5, 30), days[("全国科技工作者日", 2024)], None, 1000, True, 15),
    ]:  # fmt: skip
        activity = activity_create(
            actor=admin,
            venue=jian,
            data={
                "name": name,
                "activity_type": kind,
                "audience": Audience.STUDENTS,
                "theme_day": theme_day,
            },
        )
        session_create(
            actor=admin,
            activity=activity,
            data={
                "starts_at": at(day, 9),
                "ends_at": at(day, 11, 30),
                "place_kind": PlaceKind.HALL if hall else PlaceKind.SCHOOL,
                "hall": halls[hall] if hall else None,
                "place_name": "" if hall else "集安市第一小学",
                "school": None if hall else first_school,
                "status": SessionStatus.HELD,
                "participants": people,
                "participants_approximate": approximate,
                "st_workers": workers,
                "st_workers_approximate": True,
            },
        )

    # Coming sessions that take sign-ups (the public pages and the calendar show them).
    today = timezone.localdate()
    weekend = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    family = activity_create(
        actor=admin,
        venue=jian,
        data={
            "name": "周末亲子科学实验课",
            "name_en": "Weekend family science lab",
            "activity_type": ActivityType.SHOW,
            "audience": Audience.FAMILIES,
        },
    )
    for offset, hour in ((0, 10), (0, 14), (7, 10)):
        session_create(
            actor=admin,
            activity=family,
            data={
                "starts_at": at(weekend + timedelta(days=offset), hour),
                "ends_at": at(weekend + timedelta(days=offset), hour + 1),
                "place_kind": PlaceKind.HALL,
                "hall": halls["少儿科学乐园"],
                "capacity": 30,
                "registration_open": True,
            },
        )


def _trip(
    admin: User,
    venue: Venue,
    caravan: Caravan,
    day: date,
    title: str,
    km: int | Decimal,
    stops: list[StopInput],
    end: date | None = None,
) -> CaravanTrip:
    return trip_create(
        actor=admin,
        venue=venue,
        data={
            "caravan": caravan,
            "title": title,
            "starts_on": day,
            "ends_on": end or day,
            "km": Decimal(km),
        },
        stops=stops,
    )


LIAONING_SESSIONS = [  # (activity, type, audience, sessions) — 2,800 sessions in 2023
    ("科学表演秀", ActivityType.SHOW, Audience.PUBLIC, 900),
    ("展厅主题导览", ActivityType.EXHIBITION_TOUR, Audience.PUBLIC, 420),
    ("科技研学之旅", ActivityType.STUDY_TOUR, Audience.STUDENTS, 380),
    ("馆校合作科学课", ActivityType.SCHOOL_COOPERATION, Audience.STUDENTS, 330),
    ("前沿技术大讲堂", ActivityType.LECTURE, Audience.PUBLIC, 96),
    ("抖音科普直播", ActivityType.LIVESTREAM, Audience.PUBLIC, 200),
    ("眼健康科普进校园", ActivityType.SAFETY_OUTREACH, Audience.STUDENTS, 120),
    ("创新方法培训", ActivityType.TRAINING, Audience.PROFESSIONALS, 32),
    ("青少年高校科学营辽宁营", ActivityType.CAMP, Audience.SECONDARY, 12),
    ("“奋进科普新征程”主题日活动", ActivityType.THEME_DAY_EVENT, Audience.PUBLIC, 150),
]
LIAONING_CARAVAN_TRIPS = 40
LIAONING_STOPS_PER_TRIP = 4  # 160 caravan visits: 2,640 + 160 = 2,800 sessions


def build_liaoning(admin: User, liaoning: Venue, days: dict[tuple[str, int], ThemeDay]) -> None:
    rng = random.Random(2023)
    halls = list(Hall.objects.filter(venue=liaoning, kind="permanent"))
    counties = list(Division.objects.filter(code__startswith="21", level="county").order_by("code"))
    shenyang = [d for d in counties if d.code.startswith("2101")]
    # 330 partner schools, the most ever.
    kinds = [School.Kind.PRIMARY, School.Kind.JUNIOR, School.Kind.SENIOR, School.Kind.NINE_YEAR]
    for number in range(1, 331):
        division = shenyang[number % len(shenyang)] if number <= 220 else rng.choice(counties)
        kind = kinds[number % len(kinds)]
        label = {
            "primary": "小学",
            "junior": "初级中学",
            "senior": "高级中学",
            "nine_year": "九年一贯制学校",
        }[kind]
        school = school_create(
            actor=admin,
            data={"name": f"{division.name}第{number}{label}", "division": division, "kind": kind},
        )
        partnership_create(
            actor=admin,
            venue=liaoning,
            data={"school": school, "signed_on": date(2023, 1, 1) + timedelta(days=number)},
        )
    # Staff with master's degrees, all appointed science vice-principals (100 % coverage).
    schools = list(School.objects.filter(partnerships__venue=liaoning).order_by("pk")[:27])
    for index, school in enumerate(schools):
        expert = expert_create(
            actor=admin,
            venue=liaoning,
            data={
                "name": f"辽宁馆教师{index + 1:02d}",
                "kind": Expert.Kind.STAFF,
                "organisation": "辽宁省科学技术馆",
                "degree": Degree.MASTER,
            },
        )
        vice_principal_appoint(
            actor=admin, expert=expert, school=school, appointed_on=date(2023, 3, 1)
        )

    theme_day = days[("全国科普日", 2023)]
    for name, activity_type, audience, count in LIAONING_SESSIONS:
        activity = activity_create(
            actor=admin,
            venue=liaoning,
            data={
                "name": name,
                "activity_type": activity_type,
                "audience": audience,
                "theme_day": theme_day if activity_type == ActivityType.THEME_DAY_EVENT else None,
            },
        )
        for index in range(count):
            day = date(2023, 1, 3) + timedelta(days=(index * 362) // count)
            data: dict[str, object] = {
                "starts_at": at(day, 9 + index % 7),
                "status": SessionStatus.HELD,
            }
            if activity_type == ActivityType.LIVESTREAM:
                data |= {"place_kind": PlaceKind.ONLINE, "online_viewers": rng.randint(2000, 40000)}
                data["participants"] = 0
            elif activity_type == ActivityType.SAFETY_OUTREACH:
                data |= {"place_kind": PlaceKind.SCHOOL, "place_name": f"沈阳市第{index + 1}中学",
                         "division": rng.choice(shenyang), "participants": rng.randint(80, 300)}  # fmt: skip
            elif activity_type == ActivityType.TRAINING:
                data |= {"place_kind": PlaceKind.VENUE, "place_name": "学术报告厅",
                         "participants": 94 if index < 24 else 93, "participants_approximate": True}  # fmt: skip
            else:
                data |= {"place_kind": PlaceKind.HALL, "hall": halls[index % len(halls)],
                         "participants": rng.randint(25, 180)}  # fmt: skip
            session_create(actor=admin, activity=activity, data=data)

    # The caravan: 40 trips, 11,000 km, 73,200 people at 160 stops.
    caravan = caravan_create(
        actor=admin,
        venue=liaoning,
        data={"name": "辽宁省科技馆科普大篷车", "plate_number": "辽A·K2023", "exhibits": 36},
    )
    caravan_visit = activity_create(
        actor=admin,
        venue=liaoning,
        data={
            "name": "科普大篷车进基层",
            "activity_type": ActivityType.CARAVAN_VISIT,
            "audience": Audience.RURAL,
        },
    )
    kms = split(11000, LIAONING_CARAVAN_TRIPS, rng)
    people = split(73200, LIAONING_CARAVAN_TRIPS * LIAONING_STOPS_PER_TRIP, rng, 0.4)
    for trip_index in range(LIAONING_CARAVAN_TRIPS):
        start = date(2023, 3, 6) + timedelta(days=7 * trip_index)
        county = counties[(trip_index * 7) % len(counties)]
        stops = [
            StopInput(
                day=start + timedelta(days=s),
                name=f"{county.name}{['中心小学', '第二中学', '文化广场', '新农村社区'][s]}",
                place_kind=[
                    PlaceKind.SCHOOL,
                    PlaceKind.SCHOOL,
                    PlaceKind.SQUARE,
                    PlaceKind.VILLAGE,
                ][s],
                division=county,
                people_served=people[trip_index * LIAONING_STOPS_PER_TRIP + s],
            )
            for s in range(LIAONING_STOPS_PER_TRIP)
        ]
        trip = _trip(admin, liaoning, caravan, start, f"大篷车{county.name}行", kms[trip_index],
                     stops, end=start + timedelta(days=LIAONING_STOPS_PER_TRIP - 1))  # fmt: skip
        for stop in stops:
            session_create(
                actor=admin,
                activity=caravan_visit,
                data={
                    "starts_at": at(stop.day, 9),
                    "place_kind": stop.place_kind,
                    "place_name": stop.name,
                    "division": county,
                    "trip": trip,
                    "status": SessionStatus.HELD,
                    "participants": stop.people_served,
                },
            )

    competition_create(
        actor=admin,
        venue=liaoning,
        data={
            "name": "第38届辽宁省青少年科技创新大赛",
            "kind": Competition.Kind.COMPETITION,
            "level": Competition.Level.PROVINCIAL,
            "starts_on": date(2023, 7, 20),
            "ends_on": date(2023, 7, 23),
            "regions": 14,
            "participants": 500,
            "participants_approximate": True,
            "results": "全省14个市500余名参赛选手参加比赛。",
        },
    )
    competition_create(
        actor=admin,
        venue=liaoning,
        data={
            "name": "创新方法培训（创新方法、技术经纪人、前沿技术大讲堂）",
            "kind": Competition.Kind.TRAINING,
            "level": Competition.Level.PROVINCIAL,
            "starts_on": date(2023, 3, 1),
            "ends_on": date(2023, 12, 15),
            "organisations": 173,
            "sessions_held": 30,
            "participants": 3000,
            "participants_approximate": False,
            "results": "培训30余次，服务校企173家，培训3000人次。",
        },
    )
    competition_create(
        actor=admin,
        venue=liaoning,
        data={
            "name": "第九届全国青年科普创新实验暨作品大赛全国总决赛",
            "kind": Competition.Kind.COMPETITION,
            "level": Competition.Level.NATIONAL,
            "starts_on": date(2023, 11, 17),
            "ends_on": date(2023, 11, 19),
            "results": "承办全国总决赛。",
        },
    )


def build_campaigns(admin: User, venues: dict[str, Venue]) -> None:
    joint = campaign_create(
        actor=admin,
        data={
            "name": "2024年现代科技馆体系联合行动",
            "name_en": "2024 Modern Science and Technology Museum System Joint Action",
            "year": 2024,
            "organiser": "中国科学技术馆、中国自然科学博物馆学会科技馆专业委员会",
            "starts_on": date(2024, 3, 1),
            "ends_on": date(2024, 12, 31),
            "description": "以庆祝新中国成立75周年为主线，主题为“礼赞共和国”；3月至12月“一月一主题”。",
        },
        themes=JOINT_ACTION_2024,
    )
    september = joint.themes.get(month=9)
    campaign_report_create(
        actor=admin,
        campaign=joint,
        venue=venues["集安市科技馆"],
        data={
            "theme": september,
            "title": "“科普点亮生活，画笔描绘科技”",
            "starts_on": date(2024, 9, 18),
            "ends_on": date(2024, 9, 18),
            "on_site": 50,
        },
    )
    outreach = campaign_create(
        actor=admin,
        data={
            "name": "全国优秀科普产（展）品巡展暨流动科技馆进井冈山",
            "year": 2020,
            "organiser": "科学技术部；中国科学技术交流中心承办",
            "starts_on": date(2020, 11, 7),
            "ends_on": date(2020, 11, 9),
        },
    )
    campaign_report_create(
        actor=admin,
        campaign=outreach,
        venue=venues["北京天文馆"],
        data={
            "title": "流动科技馆进井冈山（13家成员单位，领队单位北京天文馆）",
            "starts_on": date(2020, 11, 7),
            "ends_on": date(2020, 11, 9),
            "sites": 7,
            "service_team": 60,
            "on_site": 10000,
            "on_site_approximate": True,
            "online_viewers": 2500000,
            "online_approximate": True,
            "note": "13家成员单位；随机调查509人，满意度99.8%。",
        },
    )


def build_programs(admin: User, venues: dict[str, Venue]) -> None:
    days = build_theme_days(admin)
    build_jian(admin, venues["集安市科技馆"], days)
    build_liaoning(admin, venues["辽宁省科学技术馆"], days)
    build_campaigns(admin, venues)
