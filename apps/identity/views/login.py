"""Sign-in in two steps: e-mail and password (LoginForm), then, for users with an authenticator, the code
(TOTP or a recovery code). Failures of either step count towards the django-axes lockout (e-mail + IP)."""
import time

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.identity.forms import LoginForm
from apps.identity.models import User
from apps.identity.security import axes_username, client_ip
from apps.identity.services.lockouts import lockout_until
from apps.identity.services.mfa import has_mfa, mfa_check

PENDING_KEY = "identity_mfa_pending"
PENDING_SECONDS = 300


class OtpForm(forms.Form):
    code = forms.CharField(label=_l("Código de verificación"), max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True, "class": "form-control form-control-lg"}))


def lockout_message(*, username: str, until) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    when = formats.time_format(timezone.localtime(until), "H:i")
    return _("Demasiados intentos fallidos (%(limit)s). Por seguridad, el acceso de %(email)s desde esta dirección "
             "queda bloqueado %(minutes)s minutos: podrá volver a intentarlo a partir de las %(time)s. Si necesita "
             "entrar antes, pida a Sistemas que lo desbloquee.") % {
        "limit": settings.AXES_FAILURE_LIMIT, "email": username or _("este usuario"), "minutes": minutes, "time": when}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page (or a problem+json for the API) saying until when it is locked."""
    username = axes_username(request, credentials)
    if not username and hasattr(request, "session"):
        username = (request.session.get(PENDING_KEY) or {}).get("email", "")
    until = lockout_until(username=username, ip=client_ip(request)) or timezone.now() + settings.AXES_COOLOFF_TIME
    message = lockout_message(username=username, until=until)
    if hasattr(request, "session"):
        request.session.pop(PENDING_KEY, None)
    if request.path.startswith("/api/"):
        return JsonResponse({"type": "about:blank", "title": _("Acceso bloqueado"), "status": 429, "detail": message,
                             "code": "login_locked_out", "retry_at": until.isoformat()}, status=429,
                            content_type="application/problem+json")
    form = LoginForm(request)
    return render(request, "identity/login.html", {"form": form, "locked_message": message, "next": ""}, status=429)


class StaffLoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["idle_minutes"] = settings.IDLE_TIMEOUT_MINUTES if self.request.GET.get("inactividad") else None
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not has_mfa(user):
            return super().form_valid(form)
        # Password right: the session only remembers who is half-way; nobody is signed in until the code.
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {"user": user.pk, "email": user.email, "backend": user.backend,
                                             "next": self.get_success_url(), "at": int(time.time())}
        return redirect("identity:login-otp")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, pending
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_otp_view(request):
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        if pending:
            messages.info(request, _("Pasaron más de 5 minutos desde la contraseña: vuelva a entrar."))
        return redirect("identity:login")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        credentials = {"username": user.email}
        if AxesProxyHandler.is_locked(request, credentials):
            return lockout_response(request, None, credentials)
        check = mfa_check(user=user, code=request.POST.get("code", ""))
        if check.ok:
            request.session.pop(PENDING_KEY, None)
            user.otp_device = check.device  # django-otp stores it in the session at login: verified
            auth_login(request, user, backend=pending.get("backend") or request.session.get(BACKEND_SESSION_KEY))
            if check.kind == "recovery":
                messages.warning(request, _("Ha entrado con un código de recuperación; le quedan %(n)s. Genere otros "
                                            "nuevos en «Verificación en dos pasos» si le quedan pocos.")
                                 % {"n": check.recovery_left})
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(target)
        user_login_failed.send(sender=__name__, credentials={"username": user.email, "reason": check.error},
                               request=request)
        form.add_error("code", check.message)
        status = 400
    return render(request, "identity/login_otp.html", {"form": form, "email": user.email}, status=status)
