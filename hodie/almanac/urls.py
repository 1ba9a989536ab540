from django.urls import path, re_path

from . import views

app_name = "almanac"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(
        r"^api/rest_v1/feed/onthisday/(?P<feed_type>[a-z]+)/(?P<mm>\d{1,2})/(?P<dd>\d{1,2})/?$",
        views.onthisday_api,
        name="onthisday",
    ),
    re_path(
        r"^feed/v1/wikipedia/(?P<lang>[a-z-]+)/onthisday/(?P<feed_type>[a-z]+)/(?P<mm>\d{1,2})/(?P<dd>\d{1,2})/?$",
        views.onthisday_api,
        name="onthisday-wikipedia",
    ),
    path("entries/<slug:slug>/", views.entry, name="entry"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("places/<slug:slug>/", views.place, name="place"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("<slug:collection>/", views.collection_view, name="collection"),
    path("<slug:collection>/today/", views.today_redirect, name="today"),
    path("<slug:collection>/<str:day_slug>/", views.day, name="day"),
]
