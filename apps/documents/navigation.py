"""What this app registers at ready(): each views module's MENU and each api module's ROUTES, and the demo
seeder (apps.documents.search is found by apps.search itself)."""
from apps.core.areas import register_areas

register_areas("apps.documents")

from apps.documents import demo  # noqa: E402,F401  (registers the demo seeder)
