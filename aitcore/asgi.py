"""HTTP through Django; websockets under /ws/ through our tenant + auth middleware."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.base")
django_http = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.core.asgi_tenancy import TenantAuthMiddleware  # noqa: E402
from apps.core.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_http,
    "websocket": AllowedHostsOriginValidator(TenantAuthMiddleware(URLRouter(websocket_urlpatterns))),
})
