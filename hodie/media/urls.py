from django.urls import path

from . import views

app_name = "media"
urlpatterns = [path("media/<path:name>", views.serve, name="file")]
