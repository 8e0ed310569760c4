from django.db import connection

from aitcore.registry import registry


def shell(request):
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or connection.schema_name == "public":
        return {"tenant": tenant}
    return {"tenant": tenant, "menu": registry.menu_for(user)}
