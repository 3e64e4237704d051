from django.urls import path

from kepu.volunteers.views import me, public, shifts, staff

public_urls = [
    path("", public.index, name="volunteer-index"),
    path("drives/<int:drive_id>/", public.apply, name="volunteer-apply"),
    path("applied/<str:token>/", public.applied, name="volunteer-applied"),
    path("verify/", public.verify, name="volunteer-verify"),
    path("verify/<str:code>/", public.verify_code, name="volunteer-verify-code"),
    # A signed-in volunteer's own pages.
    path("me/", me.my_records, name="volunteer-me"),
    path("me/<int:volunteer_id>/", me.record, name="volunteer-me-record"),
    path("me/<int:volunteer_id>/shifts/", me.open_shifts, name="volunteer-me-shifts"),
    path(
        "me/<int:volunteer_id>/shifts/<int:shift_post_id>/sign-up/",
        me.sign_up,
        name="volunteer-me-sign-up",
    ),
    path("me/<int:volunteer_id>/update/", me.update, name="volunteer-me-update"),
    path("me/<int:volunteer_id>/leave/", me.leave, name="volunteer-me-leave"),
    path(
        "me/<int:volunteer_id>/certificates/new/",
        me.certificate_new,
        name="volunteer-me-certificate-new",
    ),
    path(
        "me/certificates/<int:certificate_id>/pdf/",
        me.certificate_download,
        name="volunteer-me-certificate",
    ),
    path(
        "me/shifts/<int:assignment_id>/cancel/",
        me.assignment_cancel,
        name="volunteer-me-cancel",
    ),
    path(
        "me/shifts/<int:assignment_id>/comment/",
        me.assignment_comment,
        name="volunteer-me-comment",
    ),
    path(
        "me/applications/<int:application_id>/withdraw/",
        me.application_withdraw,
        name="volunteer-me-withdraw",
    ),
]

venue = "venues/<int:venue_id>/volunteers/"
staff_urls = [
    path("volunteers/", me.entry, name="volunteers-entry"),
    path(venue, staff.overview, name="volunteers-home"),
    path(venue + "settings/", staff.settings_edit, name="volunteers-settings"),
    path(venue + "drives/new/", staff.drive_edit, name="volunteers-drive-new"),
    path(venue + "drives/<int:drive_id>/edit/", staff.drive_edit, name="volunteers-drive-edit"),
    path(
        venue + "drives/<int:drive_id>/status/",
        staff.drive_status,
        name="volunteers-drive-status",
    ),
    path(venue + "applications/", staff.applications, name="volunteers-applications"),
    path(
        venue + "applications/<int:application_id>/",
        staff.application_detail,
        name="volunteers-application",
    ),
    path(
        venue + "applications/<int:application_id>/<str:decision>/",
        staff.application_decide,
        name="volunteers-application-decide",
    ),
    path(venue + "roll/", staff.roll, name="volunteers-roll"),
    path(venue + "roll/export/", staff.roll_export, name="volunteers-export"),
    path(venue + "roll/<int:volunteer_id>/", staff.volunteer_detail, name="volunteers-volunteer"),
    path(
        venue + "roll/<int:volunteer_id>/<str:action>/",
        staff.volunteer_action,
        name="volunteers-volunteer-action",
    ),
    path(
        venue + "certificates/<int:certificate_id>/pdf/",
        staff.certificate_download,
        name="volunteers-certificate",
    ),
    path(
        venue + "certificates/<int:certificate_id>/revoke/",
        staff.certificate_revoke,
        name="volunteers-certificate-revoke",
    ),
    path(venue + "shifts/", shifts.shift_list, name="volunteers-shifts"),
    path(venue + "shifts/new/", shifts.shift_new, name="volunteers-shift-new"),
    path(venue + "shifts/recurring/new/", shifts.pattern_new, name="volunteers-pattern-new"),
    path(venue + "shifts/<int:shift_id>/", shifts.shift_detail, name="volunteers-shift"),
    path(
        venue + "shifts/<int:shift_id>/cancel/",
        shifts.shift_cancel,
        name="volunteers-shift-cancel",
    ),
    path(
        venue + "shifts/<int:shift_id>/places/",
        shifts.shift_places,
        name="volunteers-shift-places",
    ),
    path(
        venue + "shifts/<int:shift_id>/assign/",
        shifts.shift_assign,
        name="volunteers-shift-assign",
    ),
    path(
        venue + "assignments/<int:assignment_id>/<str:action>/",
        shifts.assignment_action,
        name="volunteers-assignment",
    ),
    path(venue + "desk/", shifts.desk, name="volunteers-desk"),
    path(venue + "teams/", shifts.teams, name="volunteers-teams"),
    path(venue + "teams/new/", shifts.team_edit, name="volunteers-team-new"),
    path(venue + "teams/<int:team_id>/edit/", shifts.team_edit, name="volunteers-team-edit"),
    path(venue + "training/", shifts.training_page, name="volunteers-training"),
    path(venue + "posts/new/", shifts.post_edit, name="volunteers-post-new"),
    path(venue + "posts/<int:post_id>/edit/", shifts.post_edit, name="volunteers-post-edit"),
    path(venue + "courses/new/", shifts.course_new, name="volunteers-course-new"),
    path(venue + "courses/<int:course_id>/", shifts.course_detail, name="volunteers-course"),
]
