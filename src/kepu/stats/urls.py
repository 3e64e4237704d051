from django.urls import path

from kepu.stats import views

urlpatterns = [
    path("venues/<int:venue_id>/statistics/", views.venue_statistics, name="stats-venue"),
    path("venues/<int:venue_id>/dashboard/", views.venue_dashboard, name="stats-dashboard"),
    path("venues/<int:venue_id>/reports/", views.venue_reports, name="stats-reports"),
    path(
        "venues/<int:venue_id>/reports/<str:kind>/<int:year>/",
        views.report_preview,
        name="stats-report",
    ),
    path(
        "venues/<int:venue_id>/reports/<str:kind>/<int:year>/download/",
        views.report_download,
        name="stats-report-download",
    ),
    path(
        "venues/<int:venue_id>/reports/<str:kind>/<int:year>/edit/",
        views.report_edit,
        name="stats-report-edit",
    ),
    path("venues/<int:venue_id>/figures/", views.manual_figures, name="stats-manual"),
    path(
        "venues/<int:venue_id>/figures/<int:figure_id>/delete/",
        views.manual_figure_delete,
        name="stats-manual-delete",
    ),
    path("venues/<int:venue_id>/records/", views.records, name="stats-records"),
    path("venues/<int:venue_id>/honours/new/", views.honour_new, name="stats-honour-new"),
    path(
        "venues/<int:venue_id>/honours/<int:honour_id>/delete/",
        views.honour_delete,
        name="stats-honour-delete",
    ),
    path(
        "venues/<int:venue_id>/exhibitions/new/", views.exhibition_new, name="stats-exhibition-new"
    ),
    path(
        "alliances/<int:alliance_id>/statistics/", views.alliance_statistics, name="stats-alliance"
    ),
    path("statistics/", views.network_statistics, name="stats-network"),
]
