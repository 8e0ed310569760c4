"""What this app registers at ready(): the menu entry «Motores de cálculo», the API routes, the demo seeder."""
from apps.core.areas import register_areas

register_areas("apps.engines")

from apps.engines import demo  # noqa: E402,F401  (registers the demo seeder)
