"""The demo network: the institutions of the seed reports, two regional alliances inside a
national system, mobile-museum stations, caravans, and one user per role.

Facts from the seed reports are used as written (集安市科技馆: 4 permanent halls and 1 temporary
hall, 1,340 m², open Wednesday to Sunday, 265 open days in 2024; 西安市科学技术馆's 2024
registration record; 辽宁省科学技术馆: 8 permanent halls, executive chair of the northeast alliance
of 129 venues). Where the reports are silent the demo fills in plausible values, and venues that
only make up the alliances' numbers say "演示数据" (demo data) in their description.
Everything is written through the same services the pages use, so it is audited like real work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from kepu.core.models import Role, User
from kepu.core.services import national_admin_bootstrap, role_grant, user_create
from kepu.demo.programs import build_programs
from kepu.demo.stats import build_stats
from kepu.demo.touring import build_touring
from kepu.demo.visits import build_visits
from kepu.demo.volunteers import build_volunteers
from kepu.network import services
from kepu.network.models import (
    Alliance,
    ClosureCategory,
    Division,
    DivisionLevel,
    ExceptionKind,
    FundingSource,
    HallKind,
    HolidayPolicy,
    MembershipRole,
    OpeningPattern,
    Venue,
    VenueKind,
    VenueLevel,
)

DEMO_PASSWORD = "kepu-demo-2024"
GENERATED = "演示数据：为体现联盟规模而生成的成员单位。"

WED_TO_SUN = [3, 4, 5, 6, 7]
TUE_TO_SUN = [2, 3, 4, 5, 6, 7]


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    scope: str  # the venue or alliance name, "" for national
    is_staff: bool = False


DEMO_USERS = [
    DemoUser("admin", "全国管理员", Role.NATIONAL_ADMIN, "", is_staff=True),
    DemoUser("dongbei", "东北联盟协调员", Role.ALLIANCE_COORDINATOR, "东北三省一区科普场馆联盟"),
    DemoUser("huanghe", "黄河联盟协调员", Role.ALLIANCE_COORDINATOR, "黄河流域科技馆联盟"),
    DemoUser("jian", "集安市科技馆馆长", Role.VENUE_MANAGER, "集安市科技馆", is_staff=True),
    DemoUser("jian-staff", "集安市科技馆展教部", Role.VENUE_STAFF, "集安市科技馆"),
    DemoUser("liaoning", "辽宁省科技馆馆长", Role.VENUE_MANAGER, "辽宁省科学技术馆", is_staff=True),
    DemoUser("xian", "西安市科技馆馆长", Role.VENUE_MANAGER, "西安市科学技术馆", is_staff=True),
    DemoUser(
        "xian-volunteers",
        "西安市科技馆志愿者协调员",
        Role.VOLUNTEER_COORDINATOR,
        "西安市科学技术馆",
    ),
    DemoUser("planetarium", "北京天文馆管理员", Role.VENUE_MANAGER, "北京天文馆", is_staff=True),
]


class DemoBuilder:
    def __init__(self, admin: User) -> None:
        self.admin = admin
        self.venues: dict[str, Venue] = {}
        self.alliances: dict[str, Alliance] = {}

    # helpers ----------------------------------------------------------------------------------

    def venue(
        self,
        name: str,
        division: str,
        kind: str = VenueKind.MUSEUM,
        level: str = "",
        *,
        weekdays: list[int] | None = None,
        opens: time = time(9, 0),
        closes: time = time(16, 30),
        **fields: Any,
    ) -> Venue:
        venue = services.venue_create(
            actor=self.admin,
            data={
                "name": name,
                "division": Division.objects.get(pk=division),
                "kind": kind,
                "level": level,
                **fields,
            },
        )
        if kind != VenueKind.ONLINE:
            services.opening_pattern_create(
                actor=self.admin,
                venue=venue,
                data={
                    "valid_from": date(2015, 1, 1),
                    "open_weekdays": OpeningPattern.mask_from_weekdays(weekdays or TUE_TO_SUN),
                    "opens_at": opens,
                    "closes_at": closes,
                    "last_entry_at": time(closes.hour - 1, closes.minute),
                    "holiday_policy": HolidayPolicy.OPEN,
                },
            )
        self.venues[name] = venue
        return venue

    def halls(self, venue: Venue, halls: list[tuple[str, str, str, int, date | None]]) -> None:
        for name, name_en, kind, area, opened_on in halls:
            services.hall_create(
                actor=self.admin,
                venue=venue,
                data={
                    "name": name,
                    "name_en": name_en,
                    "kind": kind,
                    "area_m2": Decimal(area),
                    "opened_on": opened_on,
                },
            )

    def closure(
        self, venue: Venue, start: date, end: date, reason: str, reason_en: str, category: str
    ) -> None:
        services.calendar_exception_create(
            actor=self.admin,
            venue=venue,
            data={
                "kind": ExceptionKind.CLOSURE,
                "category": category,
                "starts_on": start,
                "ends_on": end,
                "reason": reason,
                "reason_en": reason_en,
            },
        )

    def member(
        self, alliance: str, venue: Venue, since: date, role: str = MembershipRole.MEMBER
    ) -> None:
        services.membership_add(
            actor=self.admin, alliance=self.alliances[alliance], venue=venue, role=role, since=since
        )

    # the network ------------------------------------------------------------------------------

    def build(self) -> None:
        self.organisations_and_museums()
        self.outreach_venues()
        self.alliances_and_members()

    def organisations_and_museums(self) -> None:
        liaoning_org = services.organisation_create(
            actor=self.admin,
            data={
                "name": "辽宁省科学技术馆",
                "name_en": "Liaoning Science and Technology Museum",
                "address": "辽宁省沈阳市浑南区智慧三街159号",
                "purpose_and_scope": "开展科普展览教育，普及科学技术知识；"
                "科普大篷车与流动科技馆巡展；馆校合作与青少年科技教育；科技交流与创新方法培训。",
                "funding_source": FundingSource.FULL_ALLOCATION,
                "sponsor": "辽宁省科学技术协会",
            },
        )
        liaoning = self.venue(
            "辽宁省科学技术馆",
            "210112",
            level=VenueLevel.PROVINCIAL,
            name_en="Liaoning Science and Technology Museum",
            short_name="辽宁省科技馆",
            organisation=liaoning_org,
            address="沈阳市浑南区智慧三街159号",
            website="https://www.lnkjg.cn/",
        )
        self.halls(
            liaoning,
            [
                (
                    "探索与发现A厅",
                    "Exploration and Discovery Hall A",
                    HallKind.PERMANENT,
                    4200,
                    None,
                ),
                (
                    "探索与发现B厅",
                    "Exploration and Discovery Hall B",
                    HallKind.PERMANENT,
                    4100,
                    None,
                ),
                ("创新与创造厅", "Innovation and Creation Hall", HallKind.PERMANENT, 3800, None),
                ("工业摇篮厅", "Cradle of Industry Hall", HallKind.PERMANENT, 3600, None),
                ("宇宙与航天厅", "Universe and Spaceflight Hall", HallKind.PERMANENT, 3000, None),
                ("生命与健康厅", "Life and Health Hall", HallKind.PERMANENT, 2800, None),
                ("儿童科学乐园", "Children's Science Park", HallKind.PERMANENT, 2500, None),
                ("眼健康科普馆", "Eye Health Hall", HallKind.PERMANENT, 600, date(2023, 6, 6)),
                ("临时展厅", "Temporary Exhibition Hall", HallKind.TEMPORARY, 1500, None),
            ],
        )
        self.closure(
            liaoning,
            date(2023, 1, 21),
            date(2023, 1, 21),
            "除夕闭馆",
            "Closed on New Year's Eve",
            ClosureCategory.HOLIDAY,
        )

        jian_org = services.organisation_create(
            actor=self.admin,
            data={
                "name": "集安市科技馆",
                "name_en": "Ji'an Science and Technology Museum",
                "purpose_and_scope": "全国科普教育基地。利用馆内展教资源开展科普教育活动，"
                "面向社会公众特别是青少年普及科学知识，宣传科学方法，传播科学思想，弘扬科学精神。",
                "funding_source": FundingSource.FULL_ALLOCATION,
                "sponsor": "集安市科学技术协会",
                "online_name": "集安市科学技术馆（公众号、小程序）",
            },
        )
        jian = self.venue(
            "集安市科技馆",
            "220582",
            level=VenueLevel.COUNTY,
            weekdays=WED_TO_SUN,
            name_en="Ji'an Science and Technology Museum",
            organisation=jian_org,
            description="每周开放五天，周三至周日开放，周一周二对展品进行维护保养。",
        )
        self.halls(
            jian,
            [
                ("科学探索厅", "Science Exploration Hall", HallKind.PERMANENT, 320, None),
                ("生活科技厅", "Technology in Daily Life Hall", HallKind.PERMANENT, 300, None),
                ("洞穴课堂", "Cave Classroom", HallKind.PERMANENT, 280, None),
                ("少儿科学乐园", "Children's Science Corner", HallKind.PERMANENT, 260, None),
                ("临时展厅", "Temporary Exhibition Hall", HallKind.TEMPORARY, 180, None),
            ],
        )
        # With the weekly pattern and the holidays open, these three days make 2024's 265 open days.
        self.closure(
            jian,
            date(2024, 2, 9),
            date(2024, 2, 10),
            "春节闭馆（除夕、初一）",
            "Closed for Spring Festival's Eve and first day",
            ClosureCategory.HOLIDAY,
        )
        self.closure(
            jian,
            date(2024, 7, 28),
            date(2024, 7, 28),
            "暴雨红色预警，防汛闭馆",
            "Closed under a red rainstorm warning (flood safety)",
            ClosureCategory.EMERGENCY,
        )

        xian_org = services.organisation_create(
            actor=self.admin,
            data={
                "name": "西安市科学技术馆",
                "name_en": "Xi'an Science and Technology Museum",
                "purpose_and_scope": "开展科普展览，普及科技知识。科技馆运行管理·科技展览布展规划、"
                "展品研发与更新·科技后备人才培养、科技辅导人员培训·科普知识宣传·馆际交流合作·"
                "科技竞赛活动承办。",
                "address": "西安市碑林区南大街粉巷22号",
                "division": Division.objects.get(pk="610103"),
                "legal_representative": "徐鹏",
                "startup_capital_cny": Decimal(50_000),
                "funding_source": FundingSource.FULL_ALLOCATION,
                "sponsor": "西安市科学技术协会",
                "online_name": "",
            },
        )
        services.organisation_year_save(
            actor=self.admin,
            organisation=xian_org,
            year=2024,
            data={
                "assets_start_cny": Decimal(631_000),
                "assets_end_cny": Decimal(592_700),
                "headcount": 31,
            },
        )
        self.venue(
            "西安市科学技术馆",
            "610103",
            level=VenueLevel.PREFECTURE,
            name_en="Xi'an Science and Technology Museum",
            short_name="西安市科技馆",
            organisation=xian_org,
            address="西安市碑林区南大街粉巷22号",
        )
        planetarium_org = services.organisation_create(
            actor=self.admin,
            data={
                "name": "北京天文馆",
                "name_en": "Beijing Planetarium",
                "address": "北京市西城区西直门外大街138号",
                "funding_source": FundingSource.FULL_ALLOCATION,
            },
        )
        planetarium = self.venue(
            "北京天文馆",
            "110102",
            level=VenueLevel.PROVINCIAL,
            weekdays=WED_TO_SUN,
            name_en="Beijing Planetarium",
            organisation=planetarium_org,
            address="北京市西城区西直门外大街138号",
            phone="(010)51583311",
        )
        self.halls(
            planetarium,
            [
                ("宇宙剧场", "Universe Theater", HallKind.PERMANENT, 1200, None),
                ("天象厅", "Planetarium Dome", HallKind.PERMANENT, 900, None),
                ("太阳系展厅", "Solar System Hall", HallKind.PERMANENT, 1400, None),
            ],
        )
        self.venue(
            "中国科学技术馆",
            "110105",
            level=VenueLevel.NATIONAL,
            name_en="China Science and Technology Museum",
        )
        for name, name_en, division in [
            ("吉林省科技馆", "Jilin Science and Technology Museum", "220100"),
            ("黑龙江省科学技术馆", "Heilongjiang Science and Technology Museum", "230100"),
            ("内蒙古科学技术馆", "Inner Mongolia Science and Technology Museum", "150100"),
            ("青海省科学技术馆", "Qinghai Science and Technology Museum", "630100"),
            ("四川科技馆", "Sichuan Science and Technology Museum", "510100"),
            ("甘肃科技馆", "Gansu Science and Technology Museum", "620100"),
            ("宁夏科技馆", "Ningxia Science and Technology Museum", "640100"),
            ("山西省科学技术馆", "Shanxi Science and Technology Museum", "140100"),
            ("陕西科学技术馆", "Shaanxi Science and Technology Museum", "610100"),
            ("河南省科学技术馆", "Henan Science and Technology Museum", "410100"),
            ("山东省科技馆", "Shandong Science and Technology Museum", "370100"),
        ]:
            self.venue(name, division, level=VenueLevel.PROVINCIAL, name_en=name_en)

    def outreach_venues(self) -> None:
        liaoning = self.venues["辽宁省科学技术馆"].organisation
        self.venue(
            "辽宁省科技馆科普大篷车基地",
            "210112",
            VenueKind.CARAVAN_BASE,
            name_en="Liaoning Science Caravan Base",
            organisation=liaoning,
        )
        self.venue(
            "辽宁数字科技馆",
            "210112",
            VenueKind.ONLINE,
            name_en="Liaoning Digital Science Museum",
            organisation=liaoning,
            website="https://www.lnkjg.cn/",
        )
        self.venue(
            "北京天文馆科普大篷车基地",
            "110102",
            VenueKind.CARAVAN_BASE,
            name_en="Beijing Planetarium Science Caravan Base",
            organisation=self.venues["北京天文馆"].organisation,
        )
        for code in ["210181", "210123", "210124", "210321", "210323", "210624"]:
            county = Division.objects.get(pk=code)
            self.venue(
                f"{county.name}流动科技馆站",
                code,
                VenueKind.MOBILE_STATION,
                VenueLevel.COUNTY,
                weekdays=WED_TO_SUN,
                name_en=f"{county.name_en} Mobile Science Museum Station",
                description="县域流动科技馆“区域换展”站点，巡展套件每2—3个月轮换。",
            )
        self.venue(
            "集安市清河镇中学农村中学科技馆",
            "220582",
            VenueKind.SCHOOL_MUSEUM,
            VenueLevel.COUNTY,
            weekdays=[1, 2, 3, 4, 5],
            opens=time(8, 0),
            closes=time(17, 0),
            name_en="Qinghe Town Middle School Science Museum, Ji'an",
        )

    def alliances_and_members(self) -> None:
        national = services.alliance_create(
            actor=self.admin,
            data={
                "name": "全国现代科技馆体系",
                "name_en": "National Modern S&T Museum System",
                "short_name": "现代科技馆体系",
                "region": "全国",
                "description": "由中国科技馆牵头，各区域科普场馆联盟组成的全国协作网络。",
            },
        )
        northeast = services.alliance_create(
            actor=self.admin,
            data={
                "name": "东北三省一区科普场馆联盟",
                "name_en": "Northeast China Science Venue Alliance (Liaoning, Jilin, Heilongjiang, "
                "Inner Mongolia)",
                "short_name": "东北联盟",
                "parent": national,
                "founded_on": date(2023, 7, 1),
                "region": "辽宁、吉林、黑龙江、内蒙古",
                "description": "辽宁省科技馆为首席执行主席单位，联合辽吉黑蒙四省区129家科普场馆。",
            },
        )
        yellow_river = services.alliance_create(
            actor=self.admin,
            data={
                "name": "黄河流域科技馆联盟",
                "name_en": "Yellow River Basin Science Museum Alliance",
                "short_name": "黄河联盟",
                "parent": national,
                "founded_on": date(2021, 9, 1),
                "region": "青海、四川、甘肃、宁夏、内蒙古、山西、陕西、河南、山东",
            },
        )
        self.alliances = {a.name: a for a in (national, northeast, yellow_river)}
        self.member(
            "全国现代科技馆体系",
            self.venues["中国科学技术馆"],
            date(2021, 1, 1),
            MembershipRole.SECRETARIAT,
        )
        self.member("全国现代科技馆体系", self.venues["北京天文馆"], date(2021, 1, 1))

        ne = "东北三省一区科普场馆联盟"
        founded = date(2023, 7, 1)
        self.member(ne, self.venues["辽宁省科学技术馆"], founded, MembershipRole.EXECUTIVE_CHAIR)
        for name in ["吉林省科技馆", "黑龙江省科学技术馆", "内蒙古科学技术馆"]:
            self.member(ne, self.venues[name], founded, MembershipRole.VICE_CHAIR)
        self.member(ne, self.venues["集安市科技馆"], founded)
        for venue in list(self.venues.values()):
            if venue.kind == VenueKind.MOBILE_STATION:
                self.member(ne, venue, founded)
        self.fill_northeast(ne, founded, total=129)

        yr = "黄河流域科技馆联盟"
        for name in [
            "青海省科学技术馆",
            "四川科技馆",
            "甘肃科技馆",
            "宁夏科技馆",
            "内蒙古科学技术馆",
            "山西省科学技术馆",
            "陕西科学技术馆",
            "河南省科学技术馆",
            "山东省科技馆",
        ]:
            role = MembershipRole.CHAIR if name == "陕西科学技术馆" else MembershipRole.COUNCIL
            self.member(yr, self.venues[name], date(2021, 9, 1), role)
        self.member(yr, self.venues["西安市科学技术馆"], date(2024, 6, 1))

    def fill_northeast(self, alliance: str, since: date, *, total: int) -> None:
        """City and county museums of the four provinces, until the alliance has ``total``."""
        have = self.alliances[alliance].memberships.count()
        taken = {venue.division_id for venue in self.venues.values()}
        prefixes = ("21", "22", "23", "15")
        cities = Division.objects.filter(
            level=DivisionLevel.CITY, code__regex=r"^(21|22|23|15)"
        ).order_by("code")
        counties = [
            d
            for d in Division.objects.filter(level=DivisionLevel.COUNTY).order_by("code")
            if d.code[:2] in prefixes and not d.name.endswith("区") and d.code not in taken
        ]
        picker = random.Random(2023)  # the same demo every time
        candidates = [(city, VenueLevel.PREFECTURE) for city in cities]
        candidates += [
            (county, VenueLevel.COUNTY) for county in picker.sample(counties, len(counties))
        ]
        for division, level in candidates:
            if have >= total:
                break
            name = f"{division.name}科技馆"
            if Venue.objects.filter(name=name).exists():
                continue
            venue = self.venue(
                name,
                division.code,
                level=level,
                weekdays=WED_TO_SUN,
                name_en=f"{division.name_en} Science and Technology Museum",
                description=GENERATED,
            )
            self.member(alliance, venue, since)
            have += 1


def build_demo() -> list[DemoUser]:
    admin = national_admin_bootstrap(
        username="admin", password=DEMO_PASSWORD, display_name="全国管理员"
    )
    builder = DemoBuilder(admin)
    builder.build()
    build_visits(admin, builder.venues)
    build_programs(admin, builder.venues)
    build_touring(admin, builder.venues)
    build_volunteers(admin, builder.venues)
    build_stats(admin, builder.venues)
    for demo_user in DEMO_USERS[1:]:
        user = user_create(
            actor=admin,
            username=demo_user.username,
            password=DEMO_PASSWORD,
            display_name=demo_user.display_name,
            is_staff=demo_user.is_staff,
        )
        if demo_user.role == Role.ALLIANCE_COORDINATOR:
            role_grant(
                actor=admin,
                user=user,
                role=demo_user.role,
                alliance=Alliance.objects.get(name=demo_user.scope),
            )
        else:
            role_grant(
                actor=admin,
                user=user,
                role=demo_user.role,
                venue=Venue.objects.get(name=demo_user.scope),
            )
    return DEMO_USERS
