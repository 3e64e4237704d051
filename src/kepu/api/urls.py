from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from kepu.api import views

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
]
