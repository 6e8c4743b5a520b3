app_name = "discussion"
urlpatterns = []
