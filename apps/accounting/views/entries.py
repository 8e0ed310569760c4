"""Pages of the accounting area «entries». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
