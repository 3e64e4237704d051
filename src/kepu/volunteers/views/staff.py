"""The coordinator's pages for recruitment, selection and the roll: the overview (pipeline by
stage, fill rates, hours by team and month), drives, applications, volunteers and their record,
the XLSX export and the venue's settings. Views stay thin: selectors read, services write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.forms import form_page, initial_from
from kepu.core.params import year_param
from kepu.core.scopes import Capability, scope_for
from kepu.network.selectors import venue_get
from kepu.volunteers import selectors
from kepu.volunteers.forms import (
    AcceptForm,
    ApplicationFilterForm,
    AppointForm,
    AssessmentForm,
    CertificateForm,
    DriveForm,
    ExitForm,
    ExtendForm,
    InterviewForm,
    ReasonForm,
    RecognitionForm,
    RevealForm,
    SettingsForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from kepu.volunteers.models import (
    ApplicationStatus,
    Certificate,
    Drive,
    VolunteerSettings,
    VolunteerStatus,
)
from kepu.volunteers.services import assessment, certificates, people, recruitment, spreadsheet
from kepu.volunteers.views.common import month_bounds, perform, post_form

MANAGE = Capability.MANAGE_VOLUNTEERS
PAGE_SIZE = 100


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def overview(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    today = timezone.localdate()
    year = year_param(request)
    month_start, month_end = month_bounds(today)
    can_manage = scope_for(request.user).can(MANAGE, venue.pk)
    figures = selectors.volunteer_figures([venue.pk], month_start, month_end)
    year_figures = selectors.volunteer_figures([venue.pk], date(year, 1, 1), date(year, 12, 31))
    teams = selectors.hours_by_team_month(venue.pk, year, no_team=_("No team"))
    return render(
        request,
        "volunteers/overview.html",
        {
            "venue": venue,
            "can_manage": can_manage,
            "pipeline": [
                (ApplicationStatus(stage).label, stage, count)
                for stage, count in selectors.pipeline(venue.pk).items()
            ],
            "roll": [
                (VolunteerStatus(status).label, status, count)
                for status, count in selectors.roll_counts(venue.pk).items()
            ],
            "figures": figures,
            "year_figures": year_figures,
            "year": year,
            "month_start": month_start,
            "fill": selectors.fill_rates(venue.pk, month_start, month_end),
            "teams": teams,
            "months": range(1, 13),
            "team_totals": [sum((row.hours[i] for row in teams), Decimal(0)) for i in range(12)],
            "drives": selectors.drive_list(user=request.user, venue_id=venue.pk)
            if can_manage
            else [],
        },
    )


# Drives ------------------------------------------------------------------------------------------


def drive_edit(request: HttpRequest, venue_id: int, drive_id: int | None = None) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    drive = (
        selectors.drive_get(user=request.user, venue_id=venue.pk, drive_id=drive_id)
        if drive_id
        else None
    )
    # Not bound to the drive: the service compares the drive before and after the change.
    form = DriveForm(request.POST or None, venue=venue)
    if request.method != "POST":
        form.initial = (
            {
                **initial_from(drive, DriveForm.Meta.fields),
                "colleges": [college.pk for college in drive.colleges.all()],
            }
            if drive is not None
            else {
                "agreement": str(recruitment.DEFAULT_AGREEMENT),
                "opens_on": timezone.localdate(),
                "categories": ["student", "public"],
            }
        )

    def save() -> Drive:
        data, colleges = form.service_data()
        if drive is not None:
            return recruitment.drive_update(
                actor=request.user, drive=drive, data=data, colleges=colleges
            )
        return recruitment.drive_create(
            actor=request.user, venue=venue, data=data, colleges=colleges
        )

    return form_page(
        request,
        form=form,
        action=save,
        title=_("Recruitment drive"),
        cancel_url=reverse("volunteers-home", args=[venue.pk]),
        success_url=lambda made: (
            reverse("volunteers-applications", args=[venue.pk]) + f"?drive={made.pk}"
        ),
        success_message=_("Saved."),
    )


@require_POST
def drive_status(request: HttpRequest, venue_id: int, drive_id: int) -> HttpResponse:
    drive = selectors.drive_get(user=request.user, venue_id=venue_id, drive_id=drive_id)
    status = request.POST.get("status", "")
    perform(
        request,
        lambda: recruitment.drive_set_status(actor=request.user, drive=drive, status=status),
        _("The drive is open for applications.")
        if status == Drive.Status.OPEN
        else _("The drive is closed."),
    )
    return redirect("volunteers-home", venue_id)


# Applications ------------------------------------------------------------------------------------


def applications(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    form = ApplicationFilterForm(request.GET or None, venue=venue)
    filters = form.cleaned_data if form.is_valid() else {}
    drive = filters.get("drive")
    rows = selectors.application_list(
        user=request.user,
        venue_id=venue.pk,
        drive_id=drive.pk if drive else None,
        status=filters.get("status", ""),
        category=filters.get("category", ""),
        search=filters.get("q", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/applications.html",
        {
            "venue": venue,
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "applications": page.object_list,
            "count": page.paginator.count,
            "pipeline": [
                (ApplicationStatus(stage).label, stage, count)
                for stage, count in selectors.pipeline(
                    venue.pk, drive.pk if drive else None
                ).items()
            ],
            "drive": drive,
        },
    )


def application_detail(request: HttpRequest, venue_id: int, application_id: int) -> HttpResponse:
    application = selectors.application_get(
        user=request.user, venue_id=venue_id, application_id=application_id
    )
    venue = application.venue
    revealed = None
    reveal_form = RevealForm(request.POST if "reveal" in request.POST else None)
    if request.method == "POST" and "reveal" in request.POST:
        revealed = post_form(
            request,
            reveal_form,
            lambda: people.person_reveal(
                actor=request.user, person=application, reason=reveal_form.cleaned_data["reason"]
            ),
            _("Shown for this page only; the access is in the audit log."),
        )
    return render(
        request,
        "volunteers/application.html",
        {
            "venue": venue,
            "application": application,
            "interview_form": InterviewForm(),
            "accept_form": AcceptForm(venue=venue),
            "reject_form": ReasonForm(),
            "reveal_form": reveal_form,
            "revealed": revealed,
        },
    )


@require_POST
def application_decide(
    request: HttpRequest, venue_id: int, application_id: int, decision: str
) -> HttpResponse:
    application = selectors.application_get(
        user=request.user, venue_id=venue_id, application_id=application_id
    )
    venue = application.venue
    if decision == "interview":
        form: InterviewForm | AcceptForm | ReasonForm = InterviewForm(request.POST)
        post_form(
            request,
            form,
            lambda: recruitment.application_interview(
                actor=request.user,
                application=application,
                interviewed_at=form.cleaned_data["interviewed_at"],
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            ),
            _("The interview is recorded."),
        )
    elif decision == "accept":
        form = AcceptForm(request.POST, venue=venue)
        volunteer = post_form(
            request,
            form,
            lambda: recruitment.application_accept(
                actor=request.user,
                application=application,
                team=form.cleaned_data["team"],
                reason=form.cleaned_data["reason"],
            ),
            _("Accepted: the applicant is now a volunteer on probation."),
        )
        if volunteer is not None:
            return redirect("volunteers-volunteer", venue_id, volunteer.pk)
    elif decision == "reject":
        form = ReasonForm(request.POST)
        post_form(
            request,
            form,
            lambda: recruitment.application_reject(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            ),
            _("The application is declined."),
        )
    return redirect("volunteers-application", venue_id, application_id)


# The roll ----------------------------------------------------------------------------------------


def roll(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    form = VolunteerFilterForm(request.GET or {"status": "on_roll"}, venue=venue)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {"status": "on_roll"}
    team = filters.get("team")
    volunteers = selectors.volunteer_list(
        user=request.user,
        venue_id=venue.pk,
        status=filters.get("status", ""),
        team_id=team.pk if team else None,
        category=filters.get("category", ""),
        search=filters.get("q", ""),
    )
    rules = selectors.settings_of(venue.pk)
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (volunteer, rules.stars_for(getattr(volunteer, "minutes_total", 0)))
        for volunteer in page.object_list
    ]
    return render(
        request,
        "volunteers/roll.html",
        {
            "venue": venue,
            "form": form,
            "rows": rows,
            "page": page,
            "query": _query_without_page(request),
            "count": page.paginator.count,
        },
    )


def roll_export(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    year = year_param(request)
    content = spreadsheet.volunteers_export(
        user=request.user, venue=venue, year=year, language=get_language() or "zh-hans"
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="volunteers-{venue.pk}-{year}.xlsx"'
    return response


def volunteer_detail(request: HttpRequest, venue_id: int, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(
        user=request.user, venue_id=venue_id, volunteer_id=volunteer_id
    )
    revealed = None
    reveal_form = RevealForm(request.POST if "reveal" in request.POST else None)
    if request.method == "POST" and "reveal" in request.POST:
        revealed = post_form(
            request,
            reveal_form,
            lambda: people.person_reveal(
                actor=request.user, person=volunteer, reason=reveal_form.cleaned_data["reason"]
            ),
            _("Shown for this page only; the access is in the audit log."),
        )
    venue = volunteer.venue
    return render(
        request,
        "volunteers/volunteer.html",
        {
            "venue": venue,
            "volunteer": volunteer,
            "summary": selectors.volunteer_summary(volunteer),
            "assignments": selectors.volunteer_assignments(volunteer)[:100],
            "trainings": volunteer.trainings.select_related("course").order_by("-completed_on"),
            "recognitions": volunteer.recognitions.order_by("-awarded_on"),
            "assessments": volunteer.assessments.order_by("-year"),
            "certificates": selectors.certificate_list(volunteer),
            "edit_form": VolunteerForm(
                instance=volunteer, venue=venue, initial={"team": volunteer.team_id}
            ),
            "appoint_form": AppointForm(),
            "extend_form": ExtendForm(),
            "exit_form": ExitForm(),
            "suspend_form": ReasonForm(),
            "assessment_form": AssessmentForm(),
            "recognition_form": RecognitionForm(initial={"awarded_on": timezone.localdate()}),
            "certificate_form": CertificateForm(),
            "reveal_form": reveal_form,
            "revealed": revealed,
        },
    )


@require_POST
def volunteer_action(
    request: HttpRequest, venue_id: int, volunteer_id: int, action: str
) -> HttpResponse:
    """One of the coordinator's actions on a volunteer's record, from its page."""
    volunteer = selectors.volunteer_get(
        user=request.user, venue_id=venue_id, volunteer_id=volunteer_id
    )
    actor, post = request.user, request.POST
    if action == "edit":
        edit = VolunteerForm(post, instance=volunteer, venue=volunteer.venue)
        if edit.is_valid():
            data = {name: edit.cleaned_data[name] for name in edit.changed_data}
            volunteer.refresh_from_db()
            perform(
                request,
                lambda: people.volunteer_update(actor=actor, volunteer=volunteer, data=data),
                _("Saved."),
            )
        else:
            post_form(request, edit, lambda: None, "")
    elif action == "appoint":
        form = AppointForm(post)
        post_form(
            request,
            form,
            lambda: people.volunteer_appoint(
                actor=actor, volunteer=volunteer, waiver_reason=form.cleaned_data["waiver_reason"]
            ),
            _("Probation completed: the volunteer is appointed."),
        )
    elif action == "extend":
        extend = ExtendForm(post)
        post_form(
            request,
            extend,
            lambda: people.volunteer_extend_probation(
                actor=actor, volunteer=volunteer, until=extend.cleaned_data["until"]
            ),
            _("The probation is extended."),
        )
    elif action == "suspend":
        reason = ReasonForm(post)
        post_form(
            request,
            reason,
            lambda: people.volunteer_suspend(
                actor=actor, volunteer=volunteer, reason=reason.cleaned_data["reason"]
            ),
            _("Suspended; their coming shifts were given back."),
        )
    elif action == "reinstate":
        perform(
            request,
            lambda: people.volunteer_reinstate(actor=actor, volunteer=volunteer),
            _("Reinstated."),
        )
    elif action == "exit":
        leave = ExitForm(post)
        post_form(
            request,
            leave,
            lambda: people.volunteer_exit(
                actor=actor,
                volunteer=volunteer,
                kind=leave.cleaned_data["kind"],
                reason=leave.cleaned_data["reason"],
            ),
            _("The volunteer's service has ended; the record stays."),
        )
    elif action == "assess":
        assess = AssessmentForm(post)
        post_form(
            request,
            assess,
            lambda: assessment.assessment_record(
                actor=actor, volunteer=volunteer, **assess.cleaned_data
            ),
            _("The assessment is recorded."),
        )
    elif action == "recognise":
        recognise = RecognitionForm(post)
        post_form(
            request,
            recognise,
            lambda: assessment.recognition_add(
                actor=actor, volunteer=volunteer, **recognise.cleaned_data
            ),
            _("Recorded."),
        )
    elif action == "certificate":
        period = CertificateForm(post)
        post_form(
            request,
            period,
            lambda: certificates.certificate_issue(
                actor=actor,
                volunteer=volunteer,
                start=period.cleaned_data["start"],
                end=period.cleaned_data["end"],
            ),
            _("The certificate is issued."),
        )
    return redirect("volunteers-volunteer", venue_id, volunteer_id)


def certificate_download(request: HttpRequest, venue_id: int, certificate_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    certificate = (
        Certificate.objects.filter(venue=venue, pk=certificate_id)
        .select_related("volunteer__venue", "venue")
        .first()
    )
    from kepu.volunteers.views.public import certificate_response

    return certificate_response(request, certificate)


@require_POST
def certificate_revoke(request: HttpRequest, venue_id: int, certificate_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    certificate = (
        Certificate.objects.filter(venue=venue, pk=certificate_id)
        .select_related("volunteer__venue")
        .first()
    )
    if certificate is None:
        from kepu.core.errors import NotFoundError

        raise NotFoundError()
    form = ReasonForm(request.POST)
    post_form(
        request,
        form,
        lambda: certificates.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        ),
        _("The certificate is revoked."),
    )
    return redirect("volunteers-volunteer", venue_id, certificate.volunteer_id)


def settings_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    current = selectors.settings_of(venue.pk)
    # A scratch instance for the form's checks; the service changes the stored one.
    form = SettingsForm(request.POST or None, instance=VolunteerSettings(venue=venue))
    if request.method != "POST":
        form.initial = initial_from(current, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: people.settings_update(
            actor=request.user,
            venue=venue,
            data={name: form.cleaned_data[name] for name in form.fields},
        ),
        title=_("Volunteer settings"),
        cancel_url=reverse("volunteers-home", args=[venue.pk]),
        success_url=reverse("volunteers-home", args=[venue.pk]),
        success_message=_("Saved."),
    )
