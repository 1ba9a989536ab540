from django.urls import path, re_path

from . import views

app_name = "social"

urlpatterns = [
    path("comments/post/", views.post_comment, name="post-comment"),
    re_path(r"^comments/feed\.(?P<fmt>rss|atom|json)$", views.comments_feed_view, name="comments-feed"),
    path("webmention", views.receive_webmention, name="webmention"),
    path("webmention/<int:pk>", views.webmention_status, name="webmention-status"),
]
