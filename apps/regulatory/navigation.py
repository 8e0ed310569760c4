"""What this app registers at ready(): each views module's MENU and each api module's ROUTES, the
policy page's LDS panel (views.evidence) and the demo seeder."""
from apps.core.areas import register_areas

register_areas("apps.regulatory")

from apps.regulatory import demo  # noqa: E402,F401  (registers the demo seeder)
