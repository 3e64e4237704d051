from django.urls import path

from kepu.programs.views import public, staff

public_urls = [
    path("<int:venue_id>/activities/", public.venue_sessions, name="programs-public-sessions"),
    path("session/<int:session_id>/", public.session_signup, name="programs-signup"),
    path("signup/<str:token>/", public.signup_page, name="programs-signup-page"),
    path("signup/<str:token>/cancel/", public.signup_cancel, name="programs-signup-cancel"),
]

venue = "venues/<int:venue_id>/"
staff_urls = [
    path(venue + "programme/", staff.programme, name="programs-list"),
    path(venue + "programme/calendar/", staff.calendar_page, name="programs-calendar"),
    path(venue + "programme/new/", staff.activity_edit, name="programs-activity-new"),
    path(venue + "programme/export/", staff.programme_export, name="programs-export"),
    path(venue + "programme/import/", staff.programme_import, name="programs-import"),
    path(venue + "programme/<int:activity_id>/", staff.activity_detail, name="programs-activity"),
    path(
        venue + "programme/<int:activity_id>/edit/",
        staff.activity_edit,
        name="programs-activity-edit",
    ),
    path(
        venue + "programme/<int:activity_id>/delete/",
        staff.activity_delete,
        name="programs-activity-delete",
    ),
    path(
        venue + "programme/<int:activity_id>/sessions/new/",
        staff.session_edit,
        name="programs-session-new",
    ),
    path(venue + "sessions/<int:session_id>/", staff.session_detail, name="programs-session"),
    path(
        venue + "sessions/<int:session_id>/edit/", staff.session_edit, name="programs-session-edit"
    ),
    path(
        venue + "sessions/<int:session_id>/workers/",
        staff.session_workers,
        name="programs-session-workers",
    ),
    path(
        venue + "sessions/<int:session_id>/cancel/",
        staff.session_cancel,
        name="programs-session-cancel",
    ),
    path(
        venue + "sign-ups/<int:registration_id>/attend/",
        staff.registration_attend,
        name="programs-attend",
    ),
    path(venue + "caravan-trips/", staff.trips_page, name="programs-trips"),
    path(venue + "caravan-trips/new/", staff.trip_new, name="programs-trip-new"),
    path(venue + "caravans/new/", staff.caravan_new, name="programs-caravan-new"),
    path(venue + "schools/", staff.schools_page, name="programs-schools"),
    path(
        venue + "schools/partnerships/new/", staff.partnership_new, name="programs-partnership-new"
    ),
    path(venue + "experts/new/", staff.expert_new, name="programs-expert-new"),
    path(venue + "competitions/new/", staff.competition_new, name="programs-competition-new"),
    path("campaigns/", staff.campaigns_page, name="programs-campaigns"),
    path("campaigns/new/", staff.campaign_new, name="programs-campaign-new"),
    path("theme-days/new/", staff.theme_day_new, name="programs-theme-day-new"),
    path("campaigns/<int:campaign_id>/", staff.campaign_detail, name="programs-campaign"),
    path(
        "campaigns/<int:campaign_id>/report/<int:venue_id>/",
        staff.campaign_report_new,
        name="programs-campaign-report",
    ),
]
