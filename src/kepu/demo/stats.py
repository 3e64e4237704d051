"""The figures no module records yet, honours, special exhibitions and report narratives, as the
seed reports give them (集安市科技馆 2024, 辽宁省科学技术馆 2023, 西安市科学技术馆 2024).

Everything goes through the services, like a venue manager typing it in. The special exhibitions
of 辽宁 are counted in its review ("专题展览全年共计5个") but not named there: their titles here are
illustrative, marked as such in their description.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kepu.core.models import User
from kepu.network.models import Venue
from kepu.programs.services.registry import exhibition_save
from kepu.stats.models import HonourLevel, ManualKey, ReportKind
from kepu.stats.services import honour_save, manual_figure_set, report_texts_save

MANUAL: dict[tuple[str, int], list[tuple[str, int, bool, str]]] = {
    ("集安市科技馆", 2024): [
        (ManualKey.FUNDING_CNY, 250_000, False, "2024年度科普工作经费投入:25万"),
        (ManualKey.STAFF_FULLTIME, 9, False, "专职人员9人"),
        (ManualKey.STAFF_PARTTIME, 90, False, "兼职人员90人"),
        (ManualKey.MEDIA_POSTS, 15, False, "公众号 集安市科学技术馆"),
        (ManualKey.MEDIA_READS, 23_000, False, "总阅读量"),
    ],
    ("辽宁省科学技术馆", 2023): [
        (ManualKey.MEDIA_POSTS, 2_700, True, "年发布科普信息2700余条"),
        (ManualKey.MEDIA_READS, 50_000_000, False, "线上年阅读量5000万次"),
    ],
    ("西安市科学技术馆", 2024): [
        (ManualKey.STAFF_FULLTIME, 31, False, "从业人数31"),
        (ManualKey.MEDIA_POSTS, 5_884, False, "科普图文5528篇,科普短视频356条"),
        (ManualKey.MEDIA_READS, 5_000_000, True, "总访问量超500万次"),
    ],
}

HONOURS: dict[str, list[tuple[date, str, str, str, str, int]]] = {
    "辽宁省科学技术馆": [
        (
            date(2023, 12, 1),
            "《薪火——致敬科学家精神》获评“中国正能量网络精品”",
            "中央网信办",
            HonourLevel.NATIONAL,
            "work",
            1,
        ),
        (
            date(2023, 12, 1),
            "《薪火——致敬科学家精神》获辽宁省优秀广播剧大赛优秀广播剧奖",
            "",
            HonourLevel.PROVINCIAL,
            "work",
            1,
        ),
        (
            date(2023, 12, 1),
            "《“球”真科技馆》获评学习强国-科普中国优秀短视频",
            "学习强国、科普中国",
            HonourLevel.NATIONAL,
            "work",
            1,
        ),
    ],
    "西安市科学技术馆": [
        (
            date(2024, 4, 30),
            "省第三十二届“科技之春”宣传活动先进单位",
            "陕西省科学技术协会",
            HonourLevel.PROVINCIAL,
            "venue",
            1,
        ),
        (
            date(2024, 10, 15),
            "西安市全国科普日活动优秀组织单位",
            "西安市科学技术协会",
            HonourLevel.CITY,
            "venue",
            1,
        ),
        (
            date(2024, 11, 20),
            "第三届西安市科普讲解大赛优秀组织奖",
            "西安市科学技术协会",
            HonourLevel.CITY,
            "venue",
            1,
        ),
        (date(2024, 9, 1), "全国密码科普竞赛一等奖", "", HonourLevel.NATIONAL, "staff", 1),
        (date(2024, 9, 2), "全国科学实验展演二等奖", "", HonourLevel.NATIONAL, "staff", 1),
        (
            date(2024, 9, 3),
            "全国科技馆辅导员大赛全国总决赛三等奖",
            "",
            HonourLevel.NATIONAL,
            "staff",
            2,
        ),
        (date(2024, 6, 1), "陕西省科技馆辅导员大赛一等奖", "", HonourLevel.PROVINCIAL, "staff", 2),
        (date(2024, 6, 2), "陕西省科技馆辅导员大赛二等奖", "", HonourLevel.PROVINCIAL, "staff", 2),
    ],
}

EXHIBITIONS = [  # 辽宁 2023: five special exhibitions (titles illustrative)
    ("致敬航天精神主题展", date(2023, 1, 10), date(2023, 3, 31)),
    ("眼健康科普专题展", date(2023, 4, 8), date(2023, 6, 4)),
    ("科学家精神专题展", date(2023, 6, 10), date(2023, 8, 31)),
    ("种子的奇遇:农业科技专题展", date(2023, 9, 5), date(2023, 10, 31)),
    ("冰雪运动中的科学专题展", date(2023, 11, 10), date(2024, 2, 25)),
]

TEXTS: dict[tuple[str, int, str], dict[str, str]] = {
    ("集安市科技馆", 2024, ReportKind.SELF_EVALUATION): {
        "intro": "集安市科技馆作为全国科普教育基地,在工作中充分利用馆内展教资源开展科普教育活动,面对社会公众特别是青少年普及科学知识,宣传科学方法,传播科学思想,弘扬科学精神。现将2024年科普工作绩效自评报告如下:",
        "organisation": "集安市科技馆高度重视科普工作,每年都将科普工作列入年度工作计划并由馆长主抓此项工作,由展教部组织实施。制定了《集安市科技馆科普工作制度》、《集安市科技馆研学实践管理制度》、《集安市科技馆免费开放工作制度》等科普相关的工作制度,为科普工作的顺利开展提供制度保障。",
        "media": "集安市科技馆公众号:集安市科学技术馆。",
        "st_workers": "科技馆2024年组织开展了各种科普活动,每次活动都会邀请科普志愿者参加。",
        "featured": "集安市科技馆与市教育局、博物馆、集旅集团等单位合作在全市中小学中开展具有地方特色的研学实践教育活动,活动中科技馆结合馆内沉浸式展教资源开展“洞穴课堂”科普实践活动,让青少年在沉浸式体验科技魅力的同时动手实践,对提高青少年科学创新精神具有重要意义。",
        "problems": "一是科技馆在馆内建设和科技展品、展教育资源方面与发达地区相比仍然存在差距。二是科普活动创新程度仍有不足。",
        "suggestions": "一是加强科普教育基地展教育资源的更新,定期更换具有前沿和热点特色的展品,展品突出互动性和体验性。\n二是加强宣传推广,通过新媒体等平台加强宣传,发布有趣的科普知识,吸引公众关注。加强与各单位合作,扩大影响力。\n三是优化管理,全面落实优质服务,便民利民理念,将安全工作贯穿于始终,打造群众满意工程。",
    },
    ("西安市科学技术馆", 2024, ReportKind.INSTITUTION_ANNUAL): {
        "compliance": "2024年,能遵守国家有关法律法规和《事业单位登记管理暂行条例》及其《实施细则》的规定,按照宗旨和业务范围开展相关活动,没有涉及变更登记的事项,没有违法违规等情况。",
        "activities": "2024年,西安市科技馆在科协党组的正确领导和关心支持下,持续拓展主业边界,积极推动展教研融合发展,较好地完成了全年既定工作目标。构建了以“科普西安”融媒体矩阵为线上,以“三探五进”公益行为线下的两个特色科普品牌;以科技馆职工兼任中小学科学副校长为抓手,硕士学位职工27人全员均受聘至少一所中小学科学副校长,覆盖率达到100%;联系11所大中院校团委,招募了近3000人规模的志愿者后备人选,先期重点打造了6支科普志愿者队伍。",
        "licences": "无",
        "donations": "无",
    },
    ("辽宁省科学技术馆", 2023, ReportKind.ANNUAL_REVIEW): {
        "intro": "2023年,辽宁省科学技术馆致力打造“有温度的科技馆”,高质量创建“全民的科学中心”。协同社会优质科教力量,推进“社会化大科普”格局形成。",
        "service": "探索流动科技馆“区域换展”工作,采取自主采购与争取国家配套支持的方式,引进6套、20个主题巡展项目,有力推动了县域流动科技馆建设。",
        "cooperation": "推动东北三省一区(辽、吉、黑、内蒙古)科普场馆联盟成立,辽宁省科技馆成为首席执行主席单位,全面联合辽吉黑蒙四省区129家科普场馆。",
        "brand": "打造原创科普品牌栏目77集,全年利用抖音流量平台直播200次。《薪火—致敬科学家精神》《声音科技馆》等系列品牌栏目被学习强国全国平台选用并在首页推荐。",
    },
}


def build_stats(admin: User, venues: dict[str, Venue]) -> None:
    for (name, year), figures in MANUAL.items():
        for key, value, approximate, note in figures:
            manual_figure_set(
                actor=admin,
                venue=venues[name],
                data={
                    "key": key,
                    "starts_on": date(year, 1, 1),
                    "ends_on": date(year, 12, 31),
                    "value": Decimal(value),
                    "approximate": approximate,
                    "note": note,
                },
            )
    for name, honours in HONOURS.items():
        for awarded_on, title, by, level, recipient, count in honours:
            honour_save(
                actor=admin,
                venue=venues[name],
                data={
                    "awarded_on": awarded_on,
                    "title": title,
                    "awarded_by": by,
                    "level": level,
                    "recipient": recipient,
                    "count": count,
                },
            )
    liaoning = venues["辽宁省科学技术馆"]
    hall = liaoning.halls.filter(name="临时展厅").first()
    for title, starts_on, ends_on in EXHIBITIONS:
        exhibition_save(
            actor=admin,
            venue=liaoning,
            data={
                "title": title,
                "hall": hall,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "description": "演示数据:名称为示意。",
            },
        )
    for (name, year, report), texts in TEXTS.items():
        report_texts_save(
            actor=admin,
            venue=venues[name],
            year=year,
            report=report,
            texts={key: (text, "") for key, text in texts.items()},
        )
