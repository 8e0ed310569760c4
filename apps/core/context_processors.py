from django.db import connection

from aitcore.registry import registry


def shell(request):
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or connection.schema_name == "public":
        return {"tenant": tenant}
    from apps.notifications.services.notifications import unread_count

    # Lazy: computed only by templates that show the bell (pages, not partials).
    return {"tenant": tenant, "menu": registry.menu_for(user), "unread_notifications": lambda: unread_count(user)}
