"""The demo's touring: 辽宁's regional rotation (区域换展) and two caravans' visit requests.

* Seed 000: 辽宁省科学技术馆 brought in 6 sets carrying 20 themed touring exhibitions for the
  county mobile museums. Here they rotate among Liaoning's six mobile-museum stations and its
  county museums: 2025 and 2026 were planned the way coordinators do it today — by hand, each set
  to the nearest free venue that has not seen its themes (``spreadsheet_plan``) — and held, with
  the visitors of every stop recorded; the 2027 plan in force was made the same way. The rotation
  planner can be run against it.
* Caravan requests waiting for a date: a week of schools and villages around Shenyang for 辽宁省科技
  馆's caravan, and 集安市科技馆's ten township school visits (seed 002) for a week of 2027.

Where the reports are silent (hall areas, populations, exhibits, visitors per stop, the
requests' hours) the values are plausible and marked as demo data in the descriptions.
Everything is written through the services, like real work.
"""

from __future__ import annotations

import math
import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from kepu.core.models import User
from kepu.network.models import Alliance, Division, Venue, VenueKind, VenueLevel
from kepu.programs.models import Caravan, PlaceKind, School
from kepu.touring.models import ExhibitionSet, RotationPlan, RotationRegion, StopStatus, TourStop
from kepu.touring.planning.rotation import spreadsheet_plan
from kepu.touring.services import registry
from kepu.touring.services.caravans import request_create
from kepu.touring.services.plans import Placement, rotation_plan_adopt, rotation_plan_enter
from kepu.touring.services.rotation import RotationRequest, build_problem, default_periods
from kepu.touring.services.tours import stop_close, stop_record_visitors

DEMO_NOTE = "演示数据"

# 20 themes, with eight exhibits each (the sets add eight shared ones).
THEMES: list[tuple[str, str, list[str]]] = [
    ("航空航天", "Aerospace", ["火箭发射模拟", "空间站对接", "月球车驾驶", "失重体验", "卫星轨道", "航天服", "北斗导航", "风洞实验"]),
    ("海洋探秘", "Ocean Exploration", ["深海潜水器", "潮汐模拟", "海洋生物标本", "声呐探测", "洋流地球仪", "海底热泉", "珊瑚礁生态", "极地科考站"]),
    ("智能制造", "Smart Manufacturing", ["工业机器人", "3D打印工坊", "数控机床", "智能仓储", "视觉检测", "柔性生产线", "数字孪生屏", "协作机械臂"]),
    ("人工智能", "Artificial Intelligence", ["人脸识别", "语音对话", "机器下棋", "自动驾驶沙盘", "图像生成", "智能分拣", "神经网络墙", "机器人舞蹈"]),
    ("生命健康", "Life and Health", ["人体器官模型", "心跳测量", "DNA双螺旋", "细胞显微", "营养金字塔", "急救演练", "免疫系统游戏", "脑电波专注力"]),
    ("能源与环境", "Energy and Environment", ["风力发电", "光伏发电", "核聚变原理", "氢能汽车", "碳足迹计算", "水力发电", "储能电池", "智能电网"]),
    ("数学之美", "Beauty of Mathematics", ["莫比乌斯带", "勾股定理", "分形几何", "概率钉板", "最速降线", "七巧板", "黄金分割", "无穷镜"]),
    ("光影世界", "World of Light", ["光的折射", "万花筒", "全息投影", "激光竖琴", "彩虹制造", "偏振光", "小孔成像", "光纤通信"]),
    ("声音奥秘", "Secrets of Sound", ["声波可视", "传声筒", "共振音叉", "回音壁", "频率听辨", "声悬浮", "乐器原理", "噪声测量"]),
    ("力学乐园", "Mechanics Park", ["伯努利球", "杠杆原理", "滑轮组", "陀螺仪", "离心力", "摩擦力赛道", "斜面小车", "傅科摆"]),
    ("电磁探索", "Electromagnetism", ["特斯拉线圈", "电磁炮", "手摇发电", "磁悬浮列车", "静电球", "电动机原理", "楞次定律", "电流热效应"]),
    ("防灾减灾", "Disaster Prevention", ["地震模拟平台", "防汛应急", "火灾逃生", "台风体验", "泥石流模型", "应急包", "避难路线", "消防器材"]),
    ("交通科技", "Transport Technology", ["高铁驾驶", "桥梁结构", "智慧交通", "船闸原理", "飞机升力", "隧道掘进", "新能源汽车", "港口调度"]),
    ("农业科技", "Agricultural Technology", ["无土栽培", "杂交水稻", "智慧农场", "植物工厂", "种子博物", "节水灌溉", "农机驾驶", "土壤检测"]),
    ("地球科学", "Earth Science", ["板块运动", "火山喷发", "岩石矿物", "地层剖面", "冰川模拟", "大气环流", "化石挖掘", "地貌沙盘"]),
    ("天文观测", "Astronomy", ["太阳系仪", "星座识别", "日晷", "望远镜原理", "月相变化", "日食月食", "银河系模型", "陨石标本"]),
    ("信息通信", "Information and Communication", ["5G基站", "摩尔斯电码", "二进制", "光纤传输", "量子通信", "卫星电话", "网络安全", "编码解码"]),
    ("新材料", "New Materials", ["石墨烯", "形状记忆合金", "超导体", "气凝胶", "碳纤维", "液态金属", "纳米材料", "智能织物"]),
    ("低碳生活", "Low-carbon Living", ["垃圾分类", "节能家居", "绿色出行", "循环利用", "节水体验", "低碳餐桌", "森林碳汇", "能效标识"]),
    ("眼健康", "Eye Health", ["眼球结构", "视力检测", "近视成因", "色盲测试", "护眼灯光", "视错觉", "屈光矫正", "眼保健操"]),
]  # fmt: skip
SHARED_EXHIBITS = ["科普影院", "导览触摸屏", "科学家故事墙", "科普图书角", "互动答题机", "科学实验台", "展板组", "签到留言屏"]  # fmt: skip

# Six sets carrying the twenty themes: (code, name, English name, theme indices, floor area).
SETS = [
    ("LN-01", "飞天揽月", "Reaching for the Sky", [0, 15, 16, 12], 620),
    ("LN-02", "智造未来", "Making the Future", [2, 3, 17, 10], 580),
    ("LN-03", "生命与健康", "Life and Health", [4, 19, 13], 450),
    ("LN-04", "蓝色星球", "The Blue Planet", [1, 14, 11], 520),
    ("LN-05", "奇妙物理", "Wonderful Physics", [7, 8, 9], 480),
    ("LN-06", "绿色家园", "Our Green Home", [5, 18, 6], 430),
]

# Hall areas and populations (10,000 people) of the host venues, by division code.
HOSTS = {
    "210123": (600, "29.0"),  # 康平县
    "210124": (720, "33.5"),  # 法库县
    "210181": (900, "58.5"),  # 新民市
    "210321": (650, "30.3"),  # 台安县
    "210323": (520, "37.5"),  # 岫岩满族自治县
    "210624": (460, "36.4"),  # 宽甸满族自治县: too small for the larger sets
}
COUNTY_MUSEUM_AREA = 700


def build_touring(admin: User, venues: dict[str, Venue]) -> None:
    liaoning = venues["辽宁省科学技术馆"]
    region = _region(admin, liaoning)
    _hosts(admin, region)
    _sets(admin, region, liaoning)
    rng = random.Random(2025)  # the same demo every time
    today = timezone.localdate()
    for year in (2025, 2026, 2027):
        plan = _spreadsheet_plan(admin, region, year)
        rotation_plan_adopt(actor=admin, plan=plan)
        _record_visitors(admin, region, year, today, rng)
    _liaoning_requests(admin, venues)
    _jian_requests(admin, venues)


def _region(admin: User, liaoning: Venue) -> RotationRegion:
    return registry.region_create(
        actor=admin,
        data={
            "name": "辽宁省流动科技馆区域换展",
            "name_en": "Liaoning Mobile Science Museum Rotation",
            "coordinator": liaoning,
            "alliance": Alliance.objects.filter(short_name="东北联盟").first(),
            "division": Division.objects.get(pk="210000"),
            "repeat_years": 3,
            "periods_per_year": 4,
            "period_weeks": 10,
            "first_month": 3,
            "gap_days": 7,
            "description": "2023年辽宁省科技馆引进6套、20个主题巡展项目，在县域流动科技馆站之间"
            "区域换展，每站展出约十周。（场地面积、人口为演示数据）",
        },
    )


def _hosts(admin: User, region: RotationRegion) -> None:
    stations = Venue.objects.filter(
        division__code__startswith="21", kind=VenueKind.MOBILE_STATION
    ).order_by("division_id")
    museums = Venue.objects.filter(
        division__code__startswith="21", kind=VenueKind.MUSEUM, level=VenueLevel.COUNTY
    ).order_by("division_id")
    for venue in [*stations, *museums]:
        area, population = HOSTS.get(venue.division_id, (COUNTY_MUSEUM_AREA, None))
        host = registry.host_create(
            actor=admin,
            region=region,
            venue=venue,
            data={
                "hall_area_m2": Decimal(area),
                "population_10k": Decimal(population) if population else None,
                "priority": 2 if venue.kind == VenueKind.MOBILE_STATION else 1,
                "note": DEMO_NOTE,
            },
        )
        windows = [(date(2025, 1, 1), date(2027, 12, 31))]
        if venue.division_id == "210321":  # 台安县: the hall is refitted in summer 2027
            windows = [
                (date(2025, 1, 1), date(2027, 5, 31)),
                (date(2027, 9, 1), date(2027, 12, 31)),
            ]
        for start, end in windows:
            registry.availability_add(
                actor=admin, host=host, data={"starts_on": start, "ends_on": end}
            )


def _sets(admin: User, region: RotationRegion, liaoning: Venue) -> None:
    themes = [
        registry.theme_create(actor=admin, name=name, name_en=name_en)
        for name, name_en, _e in THEMES
    ]
    for code, name, name_en, indices, area in SETS:
        item = registry.set_create(
            actor=admin,
            region=region,
            data={
                "code": code,
                "name": name,
                "name_en": name_en,
                "owner": liaoning.organisation,
                "base": liaoning,
                "floor_area_m2": Decimal(area),
                "description": "辽宁省科技馆引进的主题巡展套件（展品清单为演示数据）。",
            },
            themes=[themes[i] for i in indices],
        )
        names = [exhibit for i in indices for exhibit in THEMES[i][2]] + SHARED_EXHIBITS
        # Floor areas that add up to what the set needs, to the tenth of a square metre.
        share = (Decimal(area) / len(names)).quantize(Decimal("0.1"))
        areas = [share] * (len(names) - 1) + [Decimal(area) - share * (len(names) - 1)]
        registry.exhibits_add(
            actor=admin,
            item=item,
            exhibits=[
                registry.ExhibitInput(
                    name=exhibit,
                    crates=1 + index % 3,
                    weight_kg=Decimal(80 + (index * 37) % 260),
                    floor_area_m2=areas[index],
                )
                for index, exhibit in enumerate(names)
            ],
        )
    # Maintenance in the workshop: LN-05 in spring 2025, LN-03 in summer 2027.
    for code, start, end in (
        ("LN-05", date(2025, 5, 12), date(2025, 7, 20)),
        ("LN-03", date(2027, 8, 2), date(2027, 10, 10)),
    ):
        registry.maintenance_add(
            actor=admin,
            item=ExhibitionSet.objects.get(region=region, code=code),
            data={"starts_on": start, "ends_on": end, "reason": "展品维护保养与更新"},
        )


def _spreadsheet_plan(admin: User, region: RotationRegion, year: int) -> RotationPlan:
    """The plan a coordinator would make by hand for the year, entered as it was kept."""
    periods = default_periods(region, year)
    problem, context = build_problem(RotationRequest(region=region, year=year, periods=periods))
    placements = [
        Placement(context.sets[stop.set_index], stop.period, context.hosts[stop.host_index].venue)
        for stop in spreadsheet_plan(problem)
    ]
    return rotation_plan_enter(
        actor=admin,
        region=region,
        year=year,
        periods=periods,
        placements=placements,
        name=f"{year}年区域换展计划（手工排期）",
    )


def _record_visitors(
    admin: User, region: RotationRegion, year: int, today: date, rng: random.Random
) -> None:
    """Visitors of the stops held so far, in four-week records (30,000–50,000 a stop)."""
    stops = TourStop.objects.filter(
        region=region, starts_on__year=year, starts_on__lte=today
    ).exclude(status=StopStatus.CANCELLED)
    for stop in stops.order_by("starts_on", "set_id"):
        total = rng.randint(30_000, 50_000)
        days = (stop.ends_on - stop.starts_on).days + 1
        start = stop.starts_on
        while start <= min(stop.ends_on, today - timedelta(days=1)):
            end = min(start + timedelta(days=27), stop.ends_on, today - timedelta(days=1))
            visitors = round(total * ((end - start).days + 1) / days)
            stop_record_visitors(
                actor=admin,
                stop=stop,
                data={
                    "starts_on": start,
                    "ends_on": end,
                    "visitors": visitors,
                    "approximate": end - start >= timedelta(days=20) and rng.random() < 0.5,
                },
            )
            start = end + timedelta(days=1)
        stop.refresh_from_db()
        if stop.ends_on < today and stop.status == StopStatus.OPEN:
            stop_close(actor=admin, stop=stop)


# Caravan requests -------------------------------------------------------------------------------

# (place, kind, county, km north, km east, weekdays, from, until, minutes, people)
LIAONING_REQUESTS = [
    ("新民市大民屯镇中心小学", PlaceKind.SCHOOL, "210181", -8, -14, 0b11111, 8, 30, 11, 30, 120, 420),
    ("新民市兴隆镇中学", PlaceKind.SCHOOL, "210181", 12, 10, 0b11111, 13, 0, 16, 30, 120, 380),
    ("新民市罗家房乡罗家房村", PlaceKind.VILLAGE, "210181", -20, 6, 0b00110, 9, 0, 15, 0, 150, 260),
    ("辽中区茨榆坨街道中心小学", PlaceKind.SCHOOL, "210115", 6, 8, 0b11111, 8, 30, 11, 30, 90, 350),
    ("辽中区养士堡镇中学", PlaceKind.SCHOOL, "210115", -10, -6, 0b01010, 13, 30, 16, 0, 120, 300),
    ("康平县方家屯镇中心小学", PlaceKind.SCHOOL, "210123", 8, -10, 0b11111, 9, 0, 15, 30, 120, 410),
    ("康平县北四家子乡北四家子村", PlaceKind.VILLAGE, "210123", -12, 14, 0b10001, 9, 0, 16, 0, 150, 240),
    ("法库县秀水河子镇中心小学", PlaceKind.SCHOOL, "210124", 10, -14, 0b11111, 8, 30, 11, 30, 90, 360),
    ("法库县叶茂台镇中学", PlaceKind.SCHOOL, "210124", 4, 12, 0b11111, 13, 30, 16, 30, 120, 330),
    ("铁岭县腰堡镇中心小学", PlaceKind.SCHOOL, "211221", 2, -6, 0b11111, 9, 0, 11, 0, 90, 300),
    ("沈北新区兴隆台街道社区广场", PlaceKind.SQUARE, "210113", 3, 2, 0b01000, 14, 0, 17, 0, 120, 600),
    ("抚顺县救兵镇中学", PlaceKind.SCHOOL, "210421", 6, 18, 0b11111, 14, 0, 15, 0, 90, 280),
    ("宽甸满族自治县青山沟镇中心小学", PlaceKind.SCHOOL, "210624", 20, 10, 0b11111, 9, 0, 15, 0, 120, 200),
    ("康平县张强镇中心小学", PlaceKind.SCHOOL, "210123", 16, 8, 0b100000, 9, 0, 15, 0, 120, 310),
]  # fmt: skip
LIAONING_WEEK = date(2027, 3, 8)
JIAN_WEEK = date(2027, 4, 12)


def _offset(division: Division, north_km: float, east_km: float) -> tuple[Decimal, Decimal]:
    """A point some kilometres from the division's centre (the demo places its schools)."""
    latitude = float(division.latitude or 0) + north_km / 111.0
    longitude = float(division.longitude or 0) + east_km / (
        111.0 * math.cos(math.radians(latitude))
    )
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def _liaoning_requests(admin: User, venues: dict[str, Venue]) -> None:
    liaoning = venues["辽宁省科学技术馆"]
    caravan = Caravan.objects.get(venue=liaoning)
    for (
        name,
        kind,
        code,
        north,
        east,
        weekdays,
        h1,
        m1,
        h2,
        m2,
        minutes,
        people,
    ) in LIAONING_REQUESTS:
        division = Division.objects.get(pk=code)
        latitude, longitude = _offset(division, north, east)
        request_create(
            actor=admin,
            venue=liaoning,
            data={
                "caravan": caravan,
                "name": name,
                "place_kind": kind,
                "division": division,
                "latitude": latitude,
                "longitude": longitude,
                "earliest_on": LIAONING_WEEK,
                "latest_on": LIAONING_WEEK + timedelta(days=6),
                "weekdays": weekdays,
                "receive_from": time(h1, m1),
                "receive_until": time(h2, m2),
                "visit_minutes": minutes,
                "expected_people": people,
                "note": DEMO_NOTE,
            },
        )


def _jian_requests(admin: User, venues: dict[str, Venue]) -> None:
    """集安市科技馆's caravan: its ten township school visits (seed 002), asked for one week."""
    jian = venues["集安市科技馆"]
    caravan = Caravan.objects.get(venue=jian)
    schools = list(School.objects.filter(division_id="220582", is_rural=True).order_by("pk")[:10])
    rng = random.Random(2024)
    for index, school in enumerate(schools):
        latitude, longitude = _offset(school.division, rng.uniform(-30, 30), rng.uniform(-35, 35))
        morning = index % 2 == 0
        request_create(
            actor=admin,
            venue=jian,
            data={
                "caravan": caravan,
                "school": school,
                "name": school.name,
                "place_kind": PlaceKind.SCHOOL,
                "division": school.division,
                "latitude": latitude,
                "longitude": longitude,
                "earliest_on": JIAN_WEEK,
                "latest_on": JIAN_WEEK + timedelta(days=4),
                "weekdays": 0b11111,
                "receive_from": time(8, 30) if morning else time(13, 0),
                "receive_until": time(11, 30) if morning else time(16, 30),
                "visit_minutes": 150,
                "expected_people": 200,
                "note": "科普大篷车进校园（演示数据：日期与时段）",
            },
        )
