from django.urls import path

from apps.tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("", views.home, name="home"),
    path("alta/", views.signup, name="signup"),
]
