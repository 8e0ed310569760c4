from django.utils.translation import gettext_lazy as _

from aitcore.registry import registry
from apps.core.resources import Resource
from apps.identity.api.views import ApiKeyViewSet, RoleViewSet, UserViewSet
from apps.identity.models import ApiKey, User
from apps.identity.services.invitations import user_invite
from apps.identity.views import access_admin as access_admin_views
from apps.identity.views import mfa as mfa_views
from apps.identity.views import sessions as session_views

SYSTEM = _("Sistemas")

users = Resource(
    model=User, section=SYSTEM, icon="bi-people",
    list_fields=["email", "first_name", "last_name", "is_active", "last_login"],
    search_fields=["email", "first_name", "last_name"],
    filter_fields=["is_active", "groups", "language"],
    form_fields=["email", "first_name", "last_name", "phone", "language", "is_active", "groups"],
    detail_fields=["email", "first_name", "last_name", "phone", "language", "is_active", "groups", "date_joined", "last_login"],
    prefetch_related=("groups",), default_ordering=("first_name", "last_name"), can_delete=False, menu_order=10,
    create=user_invite,
)
api_keys = Resource(
    model=ApiKey, section=SYSTEM, icon="bi-key",
    list_fields=["name", "prefix", "user", "scopes", "last_used_at", "revoked_at"],
    search_fields=["name", "prefix"], filter_fields=["user"],
    select_related=("user",), can_create=False, can_edit=False, can_delete=False, menu_order=30,
)
registry.register_resource(users)
registry.register_resource(api_keys)
registry.register_api("users", UserViewSet, "user")
registry.register_api("roles", RoleViewSet, "role")
registry.register_api("api-keys", ApiKeyViewSet, "api-key")
for _module in (mfa_views, session_views, access_admin_views):
    for _entry in _module.MENU:
        registry.register_menu(_entry)

from apps.identity import demo  # noqa: E402,F401  (registers the demo seeder)
