"""The interface language: an explicit choice (cookie) first, then the user's saved language."""
from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and not chosen and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs a user out after IDLE_TIMEOUT_MINUTES without a request. The last activity lives in the session and
    is written at most once a minute (with «Mis sesiones»' last seen), so pages cost no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils import timezone
        from django.utils.http import urlencode

        from apps.identity.services.login_events import LAST_ACTIVITY_KEY
        from apps.identity.services.sessions import TOUCH_EVERY, session_touch

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            last = session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_MINUTES * 60:
                request.identity_logout_reason = "idle"
                logout(request)
                if not request.path.startswith("/api/"):
                    query = {"inactividad": "1"}
                    if request.method == "GET":
                        query["next"] = request.get_full_path()
                    return redirect(f"{reverse('identity:login')}?{urlencode(query)}")
            elif last is None or now - last >= TOUCH_EVERY.total_seconds():
                session[LAST_ACTIVITY_KEY] = now
                if last is not None and session.session_key:
                    session_touch(session_key=session.session_key, when=timezone.now())
        return self.get_response(request)


class MfaRequiredMiddleware:
    """A user whose role requires the second step and who signed in without it reaches only the enrolment page
    (and logout, language, static files) until it is done; the API answers 403."""

    ALLOWED_NAMES = ("identity:mfa", "identity:logout", "identity:login", "identity:login-otp", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apps.identity.services.login_events import mfa_pending

        session = getattr(request, "session", None)
        if session is not None and mfa_pending(session) and request.user.is_authenticated \
                and not self._allowed(request.path):
            from django.http import JsonResponse
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            message = _("Su rol exige la verificación en dos pasos: actívela antes de seguir.")
            if request.path.startswith("/api/"):
                return JsonResponse({"title": message, "status": 403, "code": "mfa_enrolment_required"}, status=403)
            return redirect("identity:mfa")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        from django.urls import NoReverseMatch, reverse

        if path.startswith((settings.STATIC_URL, "/i18n/", "/health/", "/metrics", "/favicon")):
            return True
        for name in self.ALLOWED_NAMES:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            if path == url or (name == "identity:mfa" and path.startswith(url)):
                return True
        return False
