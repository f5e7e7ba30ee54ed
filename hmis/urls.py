app_name = "hmis"

urlpatterns: list = []
