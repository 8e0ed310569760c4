"""Pages of the accounting area «invoices». MENU entries are registered by apps.accounting.navigation."""
MENU = []
urlpatterns = []
