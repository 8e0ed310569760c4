"""Staff pages: quotes. (Filled in by the quotes work.)"""
MENU = []
urlpatterns = []
