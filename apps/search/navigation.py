"""What this app registers at ready(): the api module's ROUTES (the search page has no menu entry: its box
is in the top bar of every page) and the demo seeder that indexes the demo brokerage."""
from aitcore.registry import registry
from apps.core.areas import register_areas
from apps.search.demo import search_demo_seed

register_areas("apps.search")
registry.register_demo_seeder(search_demo_seed)
