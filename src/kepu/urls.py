from django.contrib import admin
from django.urls import include, path

from kepu.programs import urls as programs
from kepu.visits.urls import public_urls, staff_urls
from kepu.volunteers import urls as volunteers

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("kepu.api.urls")),
    path("", include("kepu.core.urls")),
    path("", include("kepu.network.urls")),
    path("visit/", include(public_urls)),
    path("visit/", include(programs.public_urls)),
    path("", include(staff_urls)),
    path("", include(programs.staff_urls)),
    path("", include("kepu.touring.urls")),
    path("volunteer/", include(volunteers.public_urls)),
    path("", include(volunteers.staff_urls)),
    path("", include("kepu.stats.urls")),
]
