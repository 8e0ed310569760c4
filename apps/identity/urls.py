from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.identity.forms import NewPasswordForm, ResetForm
from apps.identity.views import access_admin, mfa, sessions
from apps.identity.views.login import StaffLoginView, login_otp_view

app_name = "identity"

urlpatterns = [
    path("entrar/", StaffLoginView.as_view(), name="login"),
    path("entrar/codigo/", login_otp_view, name="login-otp"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("clave/recuperar/", auth_views.PasswordResetView.as_view(
        template_name="identity/password_form.html", form_class=ResetForm,
        extra_context={"heading": _("Recuperar la contraseña"),
                       "intro": _("Le enviaremos un enlace para elegir una contraseña nueva.")},
        email_template_name="identity/password_reset_email.txt", subject_template_name="identity/password_reset_subject.txt",
        success_url=reverse_lazy("identity:password_reset_done")), name="password_reset"),
    path("clave/recuperar/enviado/", auth_views.PasswordResetDoneView.as_view(
        template_name="identity/password_reset_done.html"), name="password_reset_done"),
    path("clave/nueva/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="identity/password_form.html", form_class=NewPasswordForm,
        extra_context={"heading": _("Elegir una contraseña nueva"), "intro": _("Escriba dos veces su nueva contraseña.")},
        success_url=reverse_lazy("identity:password_reset_complete")), name="password_reset_confirm"),
    path("clave/nueva/hecho/", auth_views.PasswordResetCompleteView.as_view(
        template_name="identity/password_reset_complete.html"), name="password_reset_complete"),
] + mfa.urlpatterns + sessions.urlpatterns + access_admin.urlpatterns
