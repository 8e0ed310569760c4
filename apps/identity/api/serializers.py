from django.contrib.auth.models import Group
from django.db import connection
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from apps.identity.authentication import TENANT_CLAIM
from apps.identity.models import ApiKey, User
from django.utils.translation import gettext as _


class TenantTokenObtainSerializer(TokenObtainPairSerializer):
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
