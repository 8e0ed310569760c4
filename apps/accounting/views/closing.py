"""Pages of the accounting area «closing». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
