"""What this app registers at ready(): each views module's MENU and each api module's ROUTES."""
from apps.core.areas import register_areas

register_areas("apps.hr")

from apps.hr import demo  # noqa: E402,F401  (registers the demo seeder)
