"""The demo's volunteers, dated from the day the demo is loaded.

* 西安市科学技术馆 (seed 003): reached the youth league committees of 11 colleges and formed 6
  volunteer teams. This year's recruitment drive is open, with a few hundred applicants from the
  11 colleges, the public and S&T experts at every stage of selection; last year's cohort serves
  on (hours, stars, a certificate); a month of shifts has been served and the coming fortnight's
  shifts take sign-ups. The demo volunteer ``xian-volunteer`` is one of last year's cohort.
* 集安市科技馆 (seed 002): its science-popularization volunteer service team of 90 part-time
  volunteers (the 9 full-time staff are venue staff, not volunteers here), serving at weekends.

Applications, selection, acceptance, training, appointments, certificates and the coming shifts
go through the services, so they are validated and audited like real work. Only the service
already served (hundreds of past shifts) is written in bulk, with the same minutes rule and the
places taken kept consistent, and one audit entry that says so.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from kepu.core.audit import audit_record
from kepu.core.errors import ConflictError
from kepu.core.models import User
from kepu.network.models import Division, Venue
from kepu.programs.models import School
from kepu.programs.services.registry import school_get_or_create
from kepu.visits.identity import check_digit
from kepu.visits.services.booking import new_reference
from kepu.volunteers.models import (
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Category,
    Course,
    Drive,
    Post,
    Shift,
    ShiftPost,
    ShiftStatus,
    Team,
    Volunteer,
    VolunteerStatus,
)
from kepu.volunteers.selectors import served, settings_of
from kepu.volunteers.services.assessment import recognition_add
from kepu.volunteers.services.certificates import certificate_issue
from kepu.volunteers.services.common import PERSONAL_FIELDS, PersonInput, check_person
from kepu.volunteers.services.people import team_create, team_update, volunteer_appoint
from kepu.volunteers.services.recruitment import (
    ApplicantInput,
    application_accept,
    application_interview,
    application_reject,
    application_submit,
    drive_create,
    drive_set_status,
)
from kepu.volunteers.services.service import credited_minutes
from kepu.volunteers.services.shifts import (
    PatternInput,
    pattern_create,
    post_create,
    shift_assign,
    shift_sign_up,
    shifts_generate,
)
from kepu.volunteers.services.training import course_create, training_record

DEMO_VOLUNTEER = "xian-volunteer"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲芬燕彬鑫宇浩然子涵梓轩欣怡雨桐思远博文晨曦佳琪俊杰诗涵一鸣"

XIAN_COLLEGES = [
    ("西安交通大学", "610103"),
    ("西北工业大学", "610103"),
    ("西安电子科技大学", "610113"),
    ("陕西师范大学", "610113"),
    ("西北大学", "610103"),
    ("长安大学", "610113"),
    ("西安邮电大学", "610116"),
    ("西安理工大学", "610103"),
    ("西安建筑科技大学", "610103"),
    ("西安石油大学", "610113"),
    ("西安外国语大学", "610116"),
]
XIAN_TEAMS = [
    ("展厅讲解服务队", "Exhibit Explainers", 0, "常设展厅展品讲解与科学实验演示"),
    ("观众服务队", "Visitor Services", 3, "入馆引导、秩序维护与咨询"),
    ("“科普西安”融媒体队", "Science Xi'an Media Team", 6, "科普图文、短视频与直播内容制作"),
    ("“三探五进”公益行队", "Outreach Team", 1, "进校园、进社区等公益科普活动"),
    ("科学实验表演队", "Science Show Team", 2, "科学实验展演与科普剧"),
    ("科技专家服务队", "S&T Expert Team", None, "科技工作者科普讲座与咨询"),
]
XIAN_PLACES: dict[str, list[str]] = {
    Category.EXPERT: [
        "西北工业大学",
        "中国科学院西安光学精密机械研究所",
        "唐都医院",
        "陕西省动物研究所",
    ],
    Category.PUBLIC: ["退休教师", "碑林区南院门街道社区", "企业职员", "自由职业"],
    Category.LITTLE: ["西安市碑林区实验小学", "西安市第一实验小学"],
}
JIAN_PLACES: dict[str, list[str]] = {
    Category.EXPERT: ["集安市人民医院", "集安市农业技术推广中心", "集安市第一中学", "通化师范学院"],
    Category.PUBLIC: ["退休教师", "集安市通胜街道社区", "个体经营者", "企业职员"],
    Category.STUDENT: ["通化师范学院", "吉林师范大学", "集安市职业教育中心"],
}
AGREEMENT = (
    "一、本人自愿参加志愿服务，不计报酬。\n"
    "二、本人参加岗位所需培训，遵守场馆各项规章制度，服从队长安排。\n"
    "三、本人只报名能够参加的班次，按时到岗，按规定签到、签退；不能参加时及时取消。\n"
    "四、本人爱护展品，关注观众安全，对服务中知悉的观众信息予以保密。\n"
    "五、场馆记录本人的服务、培训、表彰和评价情况，并为其记录的服务出具志愿服务证明（民政部令第67号）。\n"
    "六、本人同意场馆在本人服务期间及离队后的保存期限内，加密保存本人的身份和联系信息。"
)
MOBILE_PREFIXES = [
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "189",
]
SKILLS = [
    "展品讲解",
    "摄影摄像",
    "短视频剪辑",
    "急救知识",
    "手语",
    "科学实验",
    "英语导览",
    "绘画设计",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _id_number(rng: random.Random, region: str, born: date, serial: int) -> str:
    first = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first + check_digit(first)


def _born(rng: random.Random, category: str, today: date) -> date:
    years = {
        Category.STUDENT: (18, 24),
        Category.PUBLIC: (22, 66),
        Category.EXPERT: (32, 68),
        Category.LITTLE: (8, 10),  # born a year earlier: 8 to 11 on the day
    }[Category(category)]
    age = rng.randint(*years)
    return date(today.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))


def _applicant(
    rng: random.Random,
    serial: int,
    category: str,
    region: str,
    today: date,
    college: School | None = None,
    places: dict[str, list[str]] | None = None,
) -> ApplicantInput:
    born = _born(rng, category, today)
    minor = (today - born).days < 18 * 365
    return ApplicantInput(
        category=category,
        person=PersonInput(
            name=_name(rng),
            id_type="resident_id",
            id_number=_id_number(rng, region, born, serial),
            phone=f"{rng.choice(MOBILE_PREFIXES)}{serial:08d}",
            gender=rng.choice(["female", "male"]),
            guardian_name=_name(rng) if minor else "",
            guardian_phone=f"139{serial + 50_000_000:08d}" if minor else "",
        ),
        college_id=college.pk if college else None,
        organisation=""
        if college is not None
        else rng.choice((places or XIAN_PLACES).get(str(category), [""])),
        professional_title=rng.choice(["研究员", "副教授", "高级工程师", "主任医师"])
        if category == Category.EXPERT
        else "",
        skills="、".join(rng.sample(SKILLS, rng.randint(1, 3))),
        languages=["zh", *(["en"] if rng.random() < 0.5 else [])],
        availability=rng.sample(
            ["weekday_am", "weekday_pm", "weekend_am", "weekend_pm", "holidays", "school_holidays"],
            rng.randint(2, 4),
        ),
        motivation="希望把科学的乐趣带给更多青少年。",
        guardian_consent=minor,
        agreed=True,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class VolunteerDemo:
    def __init__(
        self, admin: User, venue: Venue, rng: random.Random, places: dict[str, list[str]]
    ) -> None:
        self.admin = admin
        self.venue = venue
        self.rng = rng
        self.places = places
        self.today = timezone.localdate()
        self.serial = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def apply(
        self,
        drive: Drive,
        category: str,
        when: datetime,
        college: School | None = None,
        user: User | None = None,
    ) -> int:
        serial = self.next_serial()
        result = application_submit(
            drive_id=drive.pk,
            applicant=_applicant(
                self.rng,
                serial,
                category,
                str(self.venue.division_id),
                when.date(),
                college,
                self.places,
            ),
            user=user,
            now=when,
        )
        return result.application.pk

    def select(self, application_id: int, when: datetime, team: Team | None = None) -> Volunteer:
        application = Application.objects.select_related("venue").get(pk=application_id)
        application_interview(
            actor=self.admin,
            application=application,
            interviewed_at=when - timedelta(days=2),
            score=self.rng.randint(70, 98),
            note="沟通表达清楚，服务意愿强。",
        )
        return application_accept(actor=self.admin, application=application, team=team, now=when)

    def historical_team(
        self, drive: Drive, team: Team, categories: list[str], joined: date
    ) -> list[Volunteer]:
        """A team formed years ago, written in bulk as the services would have left it:
        applications accepted after interview, volunteers appointed after probation."""
        applications = []
        for index, category in enumerate(categories):
            applicant = _applicant(
                self.rng,
                self.next_serial(),
                category,
                str(self.venue.division_id),
                joined,
                None,
                self.places,
            )
            applied = _at(joined - timedelta(days=30 - index % 28), 10)
            personal = check_person(applicant.person, joined).fields
            applications.append(
                Application(
                    venue=self.venue,
                    drive=drive,
                    reference=new_reference(),
                    status=ApplicationStatus.ACCEPTED,
                    category=category,
                    organisation=applicant.organisation,
                    professional_title=applicant.professional_title,
                    skills=applicant.skills,
                    languages=applicant.languages,
                    availability=applicant.availability,
                    motivation=applicant.motivation,
                    agreement_text=drive.agreement,
                    agreed_at=applied,
                    created_at=applied,
                    interview_at=_at(joined - timedelta(days=2), 14),
                    interview_score=self.rng.randint(70, 98),
                    decided_at=_at(joined, 9),
                    **personal,
                )
            )
        Application.objects.bulk_create(applications)
        volunteers = [
            Volunteer(
                venue=self.venue,
                application=application,
                number=f"{joined.year}{index + 1:04d}",
                category=application.category,
                status=VolunteerStatus.ACTIVE,
                team=team,
                organisation=application.organisation,
                professional_title=application.professional_title,
                skills=application.skills,
                languages=application.languages,
                availability=application.availability,
                joined_on=joined,
                probation_until=joined + timedelta(days=90),
                appointed_on=joined + timedelta(days=90),
                **{name: getattr(application, name) for name in PERSONAL_FIELDS},
            )
            for index, application in enumerate(applications)
        ]
        Volunteer.objects.bulk_create(volunteers)
        audit_record(
            actor=self.admin,
            action="volunteer_history.import",
            target=drive,
            after={"applications": len(applications), "volunteers": len(volunteers)},
            venue=self.venue,
        )
        return volunteers

    def past_service(
        self,
        shifts: list[Shift],
        pool: dict[int, list[tuple[Volunteer, date]]],  # post → (volunteer, eligible from)
        fill: float,
        no_show: float,
    ) -> int:
        """Served shifts in bulk: places taken per post (never beyond), minutes by the same rule
        as check-out, tours on touring posts, a few no-shows."""
        entries = list(ShiftPost.objects.filter(shift__in=shifts).select_related("post", "shift"))
        made: list[Assignment] = []
        taken: Counter[int] = Counter()
        busy: set[tuple[int, int]] = set()  # (volunteer, shift): one post per shift
        for entry in entries:
            shift = entry.shift
            day = timezone.localtime(shift.starts_at).date()
            candidates = [
                v
                for v, since in pool.get(entry.post_id, [])
                if since < day and (v.pk, shift.pk) not in busy
            ]
            wanted = min(len(candidates), round(entry.places * fill * self.rng.uniform(0.7, 1.1)))
            for volunteer in self.rng.sample(candidates, min(wanted, entry.places)):
                busy.add((volunteer.pk, shift.pk))
                taken[entry.pk] += 1
                assignment = Assignment(
                    venue_id=entry.venue_id,
                    shift=shift,
                    shift_post=entry,
                    volunteer=volunteer,
                    starts_at=shift.starts_at,
                    ends_at=shift.ends_at,
                    source=Assignment.Source.SELF,
                )
                if self.rng.random() < no_show:
                    assignment.status = AssignmentStatus.NO_SHOW
                else:
                    checked_in = shift.starts_at + timedelta(minutes=self.rng.randint(-15, 10))
                    checked_out = shift.ends_at + timedelta(minutes=self.rng.randint(-20, 15))
                    assignment.status = AssignmentStatus.COMPLETED
                    assignment.checked_in_at, assignment.checked_out_at = checked_in, checked_out
                    assignment.minutes = credited_minutes(assignment, checked_in, checked_out)
                    if entry.post.counts_tours:
                        assignment.tours = self.rng.randint(2, 6)
                    if self.rng.random() < 0.15:
                        assignment.rating = self.rng.choice([4, 5, 5])
                made.append(assignment)
        Assignment.objects.bulk_create(made, batch_size=500)
        for entry in entries:
            if taken[entry.pk]:
                ShiftPost.objects.filter(pk=entry.pk).update(
                    places_left=F("places_left") - taken[entry.pk]
                )
        audit_record(
            actor=self.admin,
            action="volunteer_history.import",
            target=self.venue,
            after={"shifts": len(shifts), "assignments": len(made)},
            venue=self.venue,
        )
        return len(made)


def _posts(admin: User, venue: Venue, explainer_course: Course) -> dict[str, Post]:
    rows = [
        ("展品讲解员", "Exhibit explainer", Post.Kind.EXPLAINER, explainer_course, True),
        ("观众引导", "Visitor guidance", Post.Kind.GUIDANCE, None, False),
        ("活动助理", "Activity assistant", Post.Kind.ACTIVITY, None, False),
    ]
    return {
        kind: post_create(
            actor=admin,
            venue=venue,
            data={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "required_course": course,
                "counts_tours": tours,
            },
        )
        for name, name_en, kind, course, tours in rows
    }


def _courses(admin: User, venue: Venue) -> tuple[Course, Course]:
    general = course_create(
        actor=admin,
        venue=venue,
        data={
            "name": "志愿者通识培训",
            "name_en": "Volunteer induction",
            "hours": 3,
            "description": "馆情馆史、服务礼仪、安全与应急疏散、志愿服务记录与证明。",
        },
    )
    explainer = course_create(
        actor=admin,
        venue=venue,
        data={
            "name": "展品讲解员培训",
            "name_en": "Exhibit explainer course",
            "hours": 8,
            "valid_months": 24,
            "description": "展品原理、讲解技巧与试讲考核。",
        },
    )
    return general, explainer


def _train(admin: User, course: Course, volunteers: list[Volunteer], on: date) -> dict[int, date]:
    """Each volunteer takes the course a week after joining, or on the given day if later;
    returns when each one passed (those whose day is still to come are left out)."""
    passed: dict[int, date] = {}
    for day in sorted({max(v.joined_on + timedelta(days=7), on) for v in volunteers}):
        group = [v for v in volunteers if max(v.joined_on + timedelta(days=7), on) == day]
        if day <= timezone.localdate():
            training_record(actor=admin, course=course, volunteers=group, completed_on=day)
            passed.update({v.pk: day for v in group})
    return passed


def _since_joined(volunteers: list[Volunteer]) -> list[tuple[Volunteer, date]]:
    return [(v, v.joined_on) for v in volunteers]


def _since_trained(
    volunteers: list[Volunteer], passed: dict[int, date]
) -> list[tuple[Volunteer, date]]:
    return [(v, passed[v.pk]) for v in volunteers if v.pk in passed]


def build_xian(admin: User, venue: Venue) -> None:
    demo = VolunteerDemo(admin, venue, random.Random(2024), XIAN_PLACES)
    today = demo.today
    rng = demo.rng
    colleges = [
        school_get_or_create(
            actor=admin,
            name=name,
            division=Division.objects.get(pk=code),
            kind=School.Kind.UNIVERSITY,
        )
        for name, code in XIAN_COLLEGES
    ]
    general, explainer_course = _courses(admin, venue)
    posts = _posts(admin, venue, explainer_course)
    teams = [
        team_create(
            actor=admin,
            venue=venue,
            data={
                "name": name,
                "name_en": name_en,
                "college": colleges[index] if index is not None else None,
                "description": description,
            },
        )
        for name, name_en, index, description in XIAN_TEAMS
    ]

    # Last year's cohort, still serving: a year of weekend service behind them.
    last_year = today - timedelta(days=420)
    earlier = drive_create(
        actor=admin,
        venue=venue,
        data={
            "title": f"{last_year.year}年度科普志愿者招募",
            "categories": [Category.STUDENT, Category.PUBLIC, Category.EXPERT],
            "places": 40,
            "opens_on": last_year,
            "closes_on": last_year + timedelta(days=30),
            "description": "面向合作高校团委、社会公众与科技工作者招募科普志愿者。",
            "agreement": AGREEMENT,
        },
        colleges=colleges,
        publish=True,
    )
    veterans: list[Volunteer] = []
    # The demo volunteer signs in with the demo password: the admin's hash, not hashed again.
    demo_user = User.objects.create(
        username=DEMO_VOLUNTEER, display_name="西安市科技馆志愿者（演示）", password=admin.password
    )
    for index in range(20):
        category = (
            Category.EXPERT
            if index % 8 == 7
            else Category.PUBLIC
            if index % 5 == 4
            else Category.STUDENT
        )
        when = _at(last_year + timedelta(days=1 + index), 10)
        application_id = demo.apply(
            earlier,
            category,
            when,
            college=colleges[index % len(colleges)] if category == Category.STUDENT else None,
            user=demo_user if index == 0 else None,
        )
        team = teams[5] if category == Category.EXPERT else teams[index % 5]
        veterans.append(demo.select(application_id, when + timedelta(days=14), team))
    drive_set_status(actor=admin, drive=earlier, status=Drive.Status.CLOSED)
    _train(admin, general, veterans, last_year + timedelta(days=30))
    explainers = _train(admin, explainer_course, veterans[:14], last_year + timedelta(days=40))

    # This year's drive: open, with applicants at every stage.
    opens = today - timedelta(days=75)
    drive = drive_create(
        actor=admin,
        venue=venue,
        data={
            "title": f"{today.year}年度科普志愿者招募",
            "title_en": f"Science volunteers wanted, {today.year}",
            "categories": [Category.STUDENT, Category.PUBLIC, Category.EXPERT, Category.LITTLE],
            "places": 200,
            "opens_on": opens,
            "closes_on": today + timedelta(days=30),
            "description": "联合11所大中院校团委招募科普志愿者，服务展厅讲解、观众引导、"
            "“科普西安”融媒体矩阵与“三探五进”公益行。小小志愿者（8–11岁）须由监护人陪同报名。",
            "agreement": AGREEMENT,
        },
        colleges=colleges,
        publish=True,
    )
    applications: list[tuple[int, str, datetime]] = []
    for index in range(200):
        category = (
            Category.EXPERT
            if index % 20 == 19
            else Category.PUBLIC
            if index % 12 == 11
            else Category.LITTLE
            if index % 50 == 25
            else Category.STUDENT
        )
        when = _at(opens + timedelta(days=index * 70 // 200), 9 + index % 10, index % 60)
        college = colleges[index % len(colleges)] if category == Category.STUDENT else None
        applications.append((demo.apply(drive, category, when, college=college), category, when))
    newcomers: list[Volunteer] = []
    for index, (application_id, kind, when) in enumerate(applications):
        decided = when + timedelta(days=7)
        if decided.date() >= today - timedelta(days=3):
            continue  # the latest applications wait for their interview
        if index % 10 == 3:
            application_reject(
                actor=admin,
                application=Application.objects.select_related("venue").get(pk=application_id),
                reason="服务时间与岗位安排不匹配，已推荐参加下一期招募。",
                now=decided,
            )
        elif index % 10 == 6:
            application_interview(
                actor=admin,
                application=Application.objects.select_related("venue").get(pk=application_id),
                interviewed_at=decided,
                score=rng.randint(60, 90),
            )
        elif kind != Category.LITTLE and index % 10 not in (8, 9):
            team = teams[5] if kind == Category.EXPERT else teams[index % 5]
            newcomers.append(demo.select(application_id, decided, team))
    _train(admin, general, newcomers, opens + timedelta(days=20))
    explainers.update(_train(admin, explainer_course, newcomers[::3], opens + timedelta(days=30)))
    for team in teams:
        members = [v for v in veterans + newcomers if v.team_id == team.pk]
        if members:
            team_update(actor=admin, team=team, data={"leader": members[0]})

    # Shifts: a year of weekend days for the cohort, the past month for everybody, and the
    # coming fortnight open for sign-up.
    weekend = pattern_create(
        actor=admin,
        venue=venue,
        pattern=PatternInput(
            title="周末全天班",
            weekdays=[6, 7],
            starts_at=time(9, 0),
            ends_at=time(16, 30),
            valid_from=last_year + timedelta(days=45),
            valid_until=today - timedelta(days=32),
            places={posts[Post.Kind.EXPLAINER]: 4, posts[Post.Kind.GUIDANCE]: 3},
        ),
    )
    year_shifts: list[Shift] = []
    start = weekend.valid_from
    while start <= today - timedelta(days=32):
        year_shifts += shifts_generate(
            actor=admin, pattern=weekend, start=start, end=start + timedelta(days=90)
        )
        start += timedelta(days=91)
    demo.past_service(
        year_shifts,
        {
            posts[Post.Kind.EXPLAINER].pk: _since_trained(veterans, explainers),
            posts[Post.Kind.GUIDANCE].pk: _since_joined(veterans),
        },
        fill=0.8,
        no_show=0.04,
    )
    places = {
        posts[Post.Kind.EXPLAINER]: 4,
        posts[Post.Kind.GUIDANCE]: 3,
        posts[Post.Kind.ACTIVITY]: 2,
    }
    halves = [
        pattern_create(
            actor=admin,
            venue=venue,
            pattern=PatternInput(
                title=title,
                weekdays=[2, 3, 4, 5, 6, 7],
                starts_at=starts,
                ends_at=ends,
                valid_from=today - timedelta(days=31),
                valid_until=None,
                places=places,
            ),
        )
        for title, starts, ends in (
            ("上午班", time(9, 0), time(12, 30)),
            ("下午班", time(13, 30), time(16, 30)),
        )
    ]
    month: list[Shift] = []
    for pattern in halves:
        month += shifts_generate(
            actor=admin,
            pattern=pattern,
            start=today - timedelta(days=31),
            end=today + timedelta(days=14),
        )
    now = timezone.now()
    everybody = veterans + newcomers
    demo.past_service(
        [s for s in month if s.ends_at <= now],
        {
            posts[Post.Kind.EXPLAINER].pk: _since_trained(everybody, explainers),
            posts[Post.Kind.GUIDANCE].pk: _since_joined(everybody),
            posts[Post.Kind.ACTIVITY].pk: _since_joined(everybody),
        },
        fill=0.85,
        no_show=0.05,
    )

    # Appointments where probation was met; a commendation; the demo volunteer's certificate.
    for volunteer in veterans:
        volunteer_appoint(
            actor=admin,
            volunteer=volunteer,
            waiver_reason=""
            if _met(volunteer, volunteer.probation_until or today)
            else "首批骨干志愿者，经考核直接聘用。",
            today=volunteer.probation_until or today,
        )
    rules = settings_of(venue.pk)
    so_far = served([v.pk for v in newcomers])  # all of it since they joined this year
    for volunteer in newcomers:
        record = so_far.get(volunteer.pk)
        if (
            record is not None
            and record.minutes >= rules.probation_hours * 60
            and record.tours >= rules.probation_tours
        ):
            volunteer_appoint(actor=admin, volunteer=volunteer)
    for volunteer in veterans[:3]:
        recognition_add(
            actor=admin,
            volunteer=volunteer,
            kind="commendation",
            title="优秀志愿者",
            reason="全年服务时长位居前列，讲解深受观众好评。",
            awarded_on=today - timedelta(days=40),
        )
    demo_volunteer = veterans[0]
    certificate_issue(
        actor=admin,
        volunteer=demo_volunteer,
        start=demo_volunteer.joined_on,
        end=today - timedelta(days=1),
    )
    user = demo_user
    coming = ShiftPost.objects.filter(
        shift__in=[s for s in month if s.starts_at > now],
        shift__status=ShiftStatus.PLANNED,
        post=posts[Post.Kind.EXPLAINER],
    ).order_by("shift__starts_at")
    for entry in coming[:3:2]:
        shift_sign_up(actor=user, volunteer=demo_volunteer, shift_post_id=entry.pk)
    # The coordinator has staffed part of the coming week already.
    week = ShiftPost.objects.filter(
        shift__in=[s for s in month if now < s.starts_at < now + timedelta(days=7)],
        post__in=[posts[Post.Kind.GUIDANCE], posts[Post.Kind.ACTIVITY]],
    ).select_related("shift__venue", "post")
    for entry in week:
        for volunteer in rng.sample(everybody, 2):
            try:
                shift_assign(actor=admin, volunteer=volunteer, shift_post=entry)
            except ConflictError:  # on another post of that shift, or busy then
                continue


def _met(volunteer: Volunteer, until: date) -> bool:
    """Whether the volunteer met the probation targets by that day."""
    rules = settings_of(volunteer.venue_id)
    record = served([volunteer.pk], volunteer.joined_on, until).get(volunteer.pk)
    return bool(
        record
        and record.minutes >= rules.probation_hours * 60
        and record.tours >= rules.probation_tours
    )


def build_jian(admin: User, venue: Venue) -> None:
    """集安市科技馆's volunteer service team: 90 part-time volunteers, serving at weekends."""
    demo = VolunteerDemo(admin, venue, random.Random(2002), JIAN_PLACES)
    today = demo.today
    joined = date(today.year - 2, 3, 1)
    drive = drive_create(
        actor=admin,
        venue=venue,
        data={
            "title": "集安市科技馆科普志愿者服务队招募",
            "categories": [Category.PUBLIC, Category.STUDENT, Category.EXPERT],
            "places": 90,
            "opens_on": joined - timedelta(days=30),
            "closes_on": joined,
            "description": "组建科普志愿者服务队，参与科普大篷车进校园、科普讲堂与展厅服务。",
            "agreement": AGREEMENT,
        },
        publish=True,
    )
    team = team_create(
        actor=admin,
        venue=venue,
        data={"name": "集安市科技馆科普志愿者服务队", "name_en": "Ji'an Science Volunteer Team"},
    )
    general, explainer_course = _courses(admin, venue)
    posts = _posts(admin, venue, explainer_course)
    categories: list[str] = [
        Category.EXPERT if i % 9 == 0 else Category.STUDENT if i % 3 == 1 else Category.PUBLIC
        for i in range(90)
    ]
    volunteers = demo.historical_team(drive, team, categories, joined)
    drive_set_status(actor=admin, drive=drive, status=Drive.Status.CLOSED)
    _train(admin, general, volunteers, joined + timedelta(days=10))
    explainers = _train(admin, explainer_course, volunteers[:30], joined + timedelta(days=20))
    team_update(actor=admin, team=team, data={"leader": volunteers[1]})
    weekends = pattern_create(
        actor=admin,
        venue=venue,
        pattern=PatternInput(
            title="周末服务",
            weekdays=[6, 7],
            starts_at=time(9, 0),
            ends_at=time(15, 30),
            valid_from=today - timedelta(days=31),
            valid_until=None,
            places={
                posts[Post.Kind.EXPLAINER]: 3,
                posts[Post.Kind.GUIDANCE]: 2,
                posts[Post.Kind.ACTIVITY]: 2,
            },
        ),
    )
    shifts = shifts_generate(
        actor=admin,
        pattern=weekends,
        start=today - timedelta(days=31),
        end=today + timedelta(days=14),
    )
    demo.past_service(
        [s for s in shifts if s.ends_at <= timezone.now()],
        {
            posts[Post.Kind.EXPLAINER].pk: _since_trained(volunteers, explainers),
            posts[Post.Kind.GUIDANCE].pk: _since_joined(volunteers),
            posts[Post.Kind.ACTIVITY].pk: _since_joined(volunteers),
        },
        fill=0.9,
        no_show=0.03,
    )


def build_volunteers(admin: User, venues: dict[str, Venue]) -> None:
    build_xian(admin, venues["西安市科学技术馆"])
    build_jian(admin, venues["集安市科技馆"])
