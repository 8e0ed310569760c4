"""Pages of the accounting area «chart». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
