"""Pages of the accounting area «books». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
