from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from apps.identity.authentication import TENANT_CLAIM, token_revoked
from apps.identity.models import ApiKey, User
from django.utils.translation import gettext as _


class LoginLocked(APIException):
    status_code = 429
    default_code = "login_locked_out"


class TenantTokenObtainSerializer(TokenObtainPairSerializer):
    """E-mail and password, plus «otp» (the 6-digit code or a recovery code) for users with two-step
    verification: a password alone never gives a token to someone who must use MFA. API keys are for machines
    and are not affected. Failures count towards the same lockout (e-mail + IP) as the login page."""

    otp = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=20,
                                help_text="Código de verificación en dos pasos (obligatorio si el usuario la tiene "
                                          "activada o su rol la exige).")

    def validate(self, attrs):
        from axes.handlers.proxy import AxesProxyHandler
        from django.contrib.auth.signals import user_login_failed
        from rest_framework.exceptions import AuthenticationFailed

        from apps.identity.services.lockouts import lockout_until
        from apps.identity.services.login_events import api_login_succeeded
        from apps.identity.services.mfa import has_mfa, mfa_check, mfa_required_for
        from apps.identity.security import client_ip
        from apps.identity.views.login import lockout_message

        request = self.context["request"]
        django_request = getattr(request, "_request", request)
        email = str(attrs.get(self.username_field, "")).strip().lower()
        credentials = {"username": email}
        if AxesProxyHandler.is_locked(django_request, credentials):
            until = lockout_until(username=email, ip=client_ip(django_request))
            raise LoginLocked(detail=lockout_message(username=email, until=until or timezone.now()))
        otp = attrs.pop("otp", "")
        data = super().validate(attrs)
        user = self.user
        if has_mfa(user):
            check = mfa_check(user=user, code=otp)
            if not check.ok:
                user_login_failed.send(sender=__name__, credentials={"username": email, "reason": check.error},
                                       request=django_request)
                raise AuthenticationFailed(check.message, code=check.error)
            kind = check.kind
        elif mfa_required_for(user):
            raise AuthenticationFailed(_("Su rol exige la verificación en dos pasos: actívela en la web antes de pedir "
                                         "un token con su contraseña."), code="mfa_enrolment_required")
        else:
            kind = ""
        api_login_succeeded(user=user, ip=client_ip(django_request), mfa=kind)
        return data

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[TENANT_CLAIM] = connection.schema_name
        return token


class TenantTokenRefreshSerializer(TokenRefreshSerializer):
    def validate(self, attrs):
        refresh = RefreshToken(attrs["refresh"])
        if refresh.get(TENANT_CLAIM) != connection.schema_name:
            raise InvalidToken(_("El token pertenece a otra correduría."))
        user = User.objects.filter(pk=refresh.get(api_settings.USER_ID_CLAIM)).first()
        if user is not None and token_revoked(refresh, user):
            raise InvalidToken(_("Se cerró la sesión en todos los dispositivos; vuelva a identificarse."))
        return super().validate(attrs)


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(source="groups", slug_field="name", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "language", "is_active", "roles", "date_joined", "version"]
        read_only_fields = ["email", "date_joined", "version"]


class RoleSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="role.code", read_only=True)
    modules = serializers.JSONField(source="role.modules", read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "code", "modules"]


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "user", "scopes", "expires_at", "revoked_at", "last_used_at", "created_at"]
        read_only_fields = ["prefix", "revoked_at", "last_used_at", "created_at"]
