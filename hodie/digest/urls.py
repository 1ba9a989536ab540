from django.urls import path

from . import views

app_name = "digest"

urlpatterns = [
    path("digest/confirm/<str:token>/", views.confirm, name="confirm"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:collection>/digest/", views.subscribe, name="subscribe"),
]
