"""Staff pages of this app: each views module declares its own urlpatterns (added here)."""
app_name = "collections"
urlpatterns = []
