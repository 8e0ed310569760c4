"""Pages of the accounting area «taxes». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
