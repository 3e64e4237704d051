from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from kepu.api import programs as program_views
from kepu.api import stats as stats_views
from kepu.api import touring as touring_views
from kepu.api import views
from kepu.api import visits as visit_views
from kepu.api import volunteers as volunteer_views

venue = "venues/<int:venue_id>/"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("divisions/", views.DivisionListView.as_view(), name="api-divisions"),
    path("venues/", views.VenueListView.as_view(), name="api-venues"),
    path(venue, views.VenueDetailView.as_view(), name="api-venue"),
    path(venue + "halls/", views.HallListView.as_view(), name="api-halls"),
    path(venue + "halls/<int:hall_id>/", views.HallDetailView.as_view(), name="api-hall"),
    path(venue + "calendar/", views.CalendarView.as_view(), name="api-calendar"),
    path(venue + "calendar/<str:day>/", views.CalendarDayView.as_view(), name="api-calendar-day"),
    path(venue + "opening-patterns/", views.PatternListView.as_view(), name="api-patterns"),
    path(
        venue + "opening-patterns/<int:pattern_id>/",
        views.PatternDetailView.as_view(),
        name="api-pattern",
    ),
    path(venue + "calendar-exceptions/", views.ExceptionListView.as_view(), name="api-exceptions"),
    path(
        venue + "calendar-exceptions/<int:exception_id>/",
        views.ExceptionDetailView.as_view(),
        name="api-exception",
    ),
    path("organisations/", views.OrganisationListView.as_view(), name="api-organisations"),
    path(
        "organisations/<int:organisation_id>/",
        views.OrganisationDetailView.as_view(),
        name="api-organisation",
    ),
    path(
        "organisations/<int:organisation_id>/years/",
        views.OrganisationYearListView.as_view(),
        name="api-organisation-years",
    ),
    path(
        "organisations/<int:organisation_id>/years/<int:year>/",
        views.OrganisationYearDetailView.as_view(),
        name="api-organisation-year",
    ),
    path("alliances/", views.AllianceListView.as_view(), name="api-alliances"),
    path("alliances/<int:alliance_id>/", views.AllianceDetailView.as_view(), name="api-alliance"),
    path(
        "alliances/<int:alliance_id>/members/",
        views.MemberListView.as_view(),
        name="api-members",
    ),
    path(
        "alliances/<int:alliance_id>/members/<int:membership_id>/",
        views.MemberDetailView.as_view(),
        name="api-member",
    ),
    path("audit/", views.AuditListView.as_view(), name="api-audit"),
    # Visits: the public's endpoints (anonymous, rate-limited) …
    path(
        "public/venues/<int:venue_id>/availability/",
        visit_views.PublicAvailabilityView.as_view(),
        name="api-public-availability",
    ),
    path(
        "public/venues/<int:venue_id>/bookings/",
        visit_views.PublicBookingView.as_view(),
        name="api-public-bookings",
    ),
    path(
        "public/venues/<int:venue_id>/group-bookings/",
        visit_views.PublicGroupView.as_view(),
        name="api-public-groups",
    ),
    path(
        "public/venues/<int:venue_id>/waitlist/",
        visit_views.PublicWaitlistView.as_view(),
        name="api-public-waitlist",
    ),
    path(
        "public/bookings/<str:reference>/",
        visit_views.PublicBookingLookupView.as_view(),
        name="api-public-booking",
    ),
    path(
        "public/bookings/<str:reference>/cancel/",
        visit_views.PublicBookingCancelView.as_view(),
        name="api-public-booking-cancel",
    ),
    # … and the venue's own.
    path(venue + "visit-rules/", visit_views.VisitRulesView.as_view(), name="api-visit-rules"),
    path(
        venue + "slot-templates/",
        visit_views.SlotTemplateListView.as_view(),
        name="api-slot-templates",
    ),
    path(
        venue + "slot-templates/<int:template_id>/",
        visit_views.SlotTemplateDetailView.as_view(),
        name="api-slot-template",
    ),
    path(venue + "slots/", visit_views.SlotListView.as_view(), name="api-slots"),
    path(venue + "slots/<int:slot_id>/", visit_views.SlotDetailView.as_view(), name="api-slot"),
    path(
        venue + "bookings/", visit_views.VenueBookingListView.as_view(), name="api-venue-bookings"
    ),
    path(
        venue + "bookings/<int:booking_id>/decision/",
        visit_views.GroupDecisionView.as_view(),
        name="api-group-decision",
    ),
    path(venue + "gate/", visit_views.GateView.as_view(), name="api-gate"),
    path(venue + "gate/lookup/", visit_views.GateLookupView.as_view(), name="api-gate-lookup"),
    path(venue + "check-ins/", visit_views.CheckInView.as_view(), name="api-check-ins"),
    path(venue + "gate-counts/", visit_views.GateCountView.as_view(), name="api-gate-counts"),
    path(venue + "attendance/", visit_views.AttendanceListView.as_view(), name="api-attendance"),
    path(
        venue + "attendance/<str:day>/",
        visit_views.AttendanceDayView.as_view(),
        name="api-attendance-day",
    ),
    # Programmes: activities, sessions and sign-ups, schools, caravan trips, joint actions.
    path(venue + "activities/", program_views.ActivityListView.as_view(), name="api-activities"),
    path(
        venue + "activities/<int:activity_id>/",
        program_views.ActivityDetailView.as_view(),
        name="api-activity",
    ),
    path(
        venue + "activities/<int:activity_id>/sessions/",
        program_views.ActivitySessionCreateView.as_view(),
        name="api-activity-sessions",
    ),
    path(venue + "sessions/", program_views.SessionListView.as_view(), name="api-sessions"),
    path(
        venue + "sessions/<int:session_id>/",
        program_views.SessionDetailView.as_view(),
        name="api-session",
    ),
    path(
        venue + "sessions/<int:session_id>/record/",
        program_views.SessionRecordView.as_view(),
        name="api-session-record",
    ),
    path(
        venue + "sessions/<int:session_id>/cancel/",
        program_views.SessionCancelView.as_view(),
        name="api-session-cancel",
    ),
    path(
        venue + "sessions/<int:session_id>/registrations/",
        program_views.SessionRegistrationListView.as_view(),
        name="api-session-registrations",
    ),
    path(
        venue + "registrations/<int:registration_id>/attend/",
        program_views.RegistrationAttendView.as_view(),
        name="api-registration-attend",
    ),
    path(
        "public/sessions/<int:session_id>/",
        program_views.PublicSessionView.as_view(),
        name="api-public-session",
    ),
    path(
        "public/sessions/<int:session_id>/registrations/",
        program_views.PublicRegistrationView.as_view(),
        name="api-public-registrations",
    ),
    path("schools/", program_views.SchoolListView.as_view(), name="api-schools"),
    path(
        venue + "partnerships/",
        program_views.PartnershipListView.as_view(),
        name="api-partnerships",
    ),
    path(
        venue + "caravan-trips/",
        program_views.CaravanTripListView.as_view(),
        name="api-caravan-trips",
    ),
    path("campaigns/", program_views.CampaignListView.as_view(), name="api-campaigns"),
    path(
        "campaigns/<int:campaign_id>/",
        program_views.CampaignDetailView.as_view(),
        name="api-campaign",
    ),
    path(
        "campaigns/<int:campaign_id>/reports/",
        program_views.CampaignReportCreateView.as_view(),
        name="api-campaign-reports",
    ),
    path("theme-days/", program_views.ThemeDayListView.as_view(), name="api-theme-days"),
    # Touring: rotation regions, the rotation planner, stops; caravan requests and week plans.
    path("touring/regions/", touring_views.RegionListView.as_view(), name="api-touring-regions"),
    path(
        "touring/regions/<int:region_id>/",
        touring_views.RegionDetailView.as_view(),
        name="api-touring-region",
    ),
    path(
        "touring/regions/<int:region_id>/sets/",
        touring_views.SetListView.as_view(),
        name="api-touring-sets",
    ),
    path(
        "touring/regions/<int:region_id>/hosts/",
        touring_views.HostListView.as_view(),
        name="api-touring-hosts",
    ),
    path(
        "touring/regions/<int:region_id>/plans/",
        touring_views.PlanListView.as_view(),
        name="api-touring-plans",
    ),
    path(
        "touring/regions/<int:region_id>/stops/",
        touring_views.StopListView.as_view(),
        name="api-touring-stops",
    ),
    path(
        "touring/plans/<int:plan_id>/",
        touring_views.PlanDetailView.as_view(),
        name="api-touring-plan",
    ),
    path(
        "touring/plans/<int:plan_id>/stops/",
        touring_views.PlanEditView.as_view(),
        name="api-touring-plan-edit",
    ),
    path(
        "touring/plans/<int:plan_id>/adopt/",
        touring_views.PlanAdoptView.as_view(),
        name="api-touring-plan-adopt",
    ),
    path(
        "touring/stops/<int:stop_id>/visitors/",
        touring_views.StopVisitorsView.as_view(),
        name="api-touring-stop-visitors",
    ),
    path(
        "touring/stops/<int:stop_id>/visitors/<int:record_id>/",
        touring_views.StopVisitorsDetailView.as_view(),
        name="api-touring-stop-visitors-record",
    ),
    path(
        venue + "touring-figures/",
        touring_views.TouringFiguresView.as_view(),
        name="api-touring-figures",
    ),
    path(
        venue + "caravan-requests/",
        touring_views.CaravanRequestListView.as_view(),
        name="api-caravan-requests",
    ),
    path(
        venue + "caravan-plans/",
        touring_views.CaravanPlanCreateView.as_view(),
        name="api-caravan-plans",
    ),
    path(
        "caravan-plans/<int:plan_id>/",
        touring_views.CaravanPlanDetailView.as_view(),
        name="api-caravan-plan",
    ),
    path(
        "caravan-plans/<int:plan_id>/adopt/",
        touring_views.CaravanPlanAdoptView.as_view(),
        name="api-caravan-plan-adopt",
    ),
    path(venue + "indicators/", stats_views.VenueIndicatorsView.as_view(), name="api-indicators"),
    path(
        "alliances/<int:alliance_id>/indicators/",
        stats_views.AllianceIndicatorsView.as_view(),
        name="api-alliance-indicators",
    ),
    path("indicators/", stats_views.NetworkIndicatorsView.as_view(), name="api-network-indicators"),
    path(
        venue + "manual-figures/",
        stats_views.ManualFigureListView.as_view(),
        name="api-manual-figures",
    ),
    path(venue + "honours/", stats_views.HonourListView.as_view(), name="api-honours"),
    path(venue + "exhibitions/", stats_views.ExhibitionListView.as_view(), name="api-exhibitions"),
    path(
        venue + "reports/<str:kind>/<int:year>/",
        stats_views.ReportView.as_view(),
        name="api-report",
    ),
    path(
        venue + "reports/<str:kind>/<int:year>/texts/",
        stats_views.ReportTextsView.as_view(),
        name="api-report-texts",
    ),
]

# Volunteers: the public's drives and certificates, the coordinator's records, the volunteer's own.
urlpatterns += [
    path(
        "public/volunteer-drives/",
        volunteer_views.PublicDriveListView.as_view(),
        name="api-public-volunteer-drives",
    ),
    path(
        "public/volunteer-drives/<int:drive_id>/applications/",
        volunteer_views.PublicApplyView.as_view(),
        name="api-public-volunteer-apply",
    ),
    path(
        "public/volunteer-certificates/<str:code>/",
        volunteer_views.PublicCertificateView.as_view(),
        name="api-public-volunteer-certificate",
    ),
    path(
        venue + "volunteer-drives/",
        volunteer_views.DriveListView.as_view(),
        name="api-volunteer-drives",
    ),
    path(
        venue + "volunteer-applications/",
        volunteer_views.ApplicationListView.as_view(),
        name="api-volunteer-applications",
    ),
    path(
        venue + "volunteer-applications/<int:application_id>/",
        volunteer_views.ApplicationDetailView.as_view(),
        name="api-volunteer-application",
    ),
    path(
        venue + "volunteer-applications/<int:application_id>/<str:decision>/",
        volunteer_views.ApplicationDecisionView.as_view(),
        name="api-volunteer-application-decision",
    ),
    path(venue + "volunteers/", volunteer_views.VolunteerListView.as_view(), name="api-volunteers"),
    path(
        venue + "volunteers/<int:volunteer_id>/",
        volunteer_views.VolunteerDetailView.as_view(),
        name="api-volunteer",
    ),
    path(
        venue + "volunteer-shifts/",
        volunteer_views.ShiftListView.as_view(),
        name="api-volunteer-shifts",
    ),
    path(
        venue + "volunteer-shifts/<int:shift_id>/assignments/",
        volunteer_views.ShiftAssignmentListView.as_view(),
        name="api-volunteer-shift-assignments",
    ),
    path(
        venue + "volunteer-assignments/<int:assignment_id>/<str:action>/",
        volunteer_views.AssignmentActionView.as_view(),
        name="api-volunteer-assignment-action",
    ),
    path(
        venue + "volunteer-figures/",
        volunteer_views.FiguresView.as_view(),
        name="api-volunteer-figures",
    ),
    path("volunteering/me/", volunteer_views.MyRecordsView.as_view(), name="api-my-volunteering"),
    path(
        "volunteering/me/<int:volunteer_id>/places/",
        volunteer_views.MyOpenPlacesView.as_view(),
        name="api-my-open-places",
    ),
    path(
        "volunteering/me/<int:volunteer_id>/places/<int:shift_post_id>/sign-up/",
        volunteer_views.MySignUpView.as_view(),
        name="api-my-sign-up",
    ),
    path(
        "volunteering/me/assignments/<int:assignment_id>/cancel/",
        volunteer_views.MyCancelView.as_view(),
        name="api-my-cancel",
    ),
    path(
        "volunteering/me/<int:volunteer_id>/certificates/",
        volunteer_views.MyCertificatesView.as_view(),
        name="api-my-certificates",
    ),
]
