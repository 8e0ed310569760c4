"""What this app registers at ready(): each views module's MENU and each api module's ROUTES
(panels, retention checks and search indexes register themselves inside their views module)."""
from apps.core.areas import register_areas

register_areas("apps.claims")
from apps.claims import demo  # noqa: E402,F401  (registers the demo seeder)
