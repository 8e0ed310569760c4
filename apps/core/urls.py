from django.urls import path

from apps.core.views import pages

app_name = "core"
urlpatterns = [path("", pages.dashboard, name="dashboard")]
