"""Staff pages: policies. (Filled in by the policies work.)"""
MENU = []
urlpatterns = []
