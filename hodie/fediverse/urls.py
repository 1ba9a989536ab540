from django.urls import path

from . import views

app_name = "fediverse"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("inbox", views.shared_inbox, name="shared-inbox"),
    path("@<slug:collection>", views.actor_view, name="actor"),
    path("@<slug:collection>/inbox", views.actor_inbox, name="inbox"),
    path("@<slug:collection>/outbox", views.outbox, name="outbox"),
    path("@<slug:collection>/followers", views.followers, name="followers"),
    path("@<slug:collection>/posts/<int:pk>", views.note_view, name="note"),
    path("@<slug:collection>/posts/<int:pk>/activity", views.note_view, {"activity": True}, name="note-activity"),
    path("@<slug:collection>/icon.png", views.icon_view, name="icon"),
]
