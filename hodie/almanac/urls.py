from django.urls import path, re_path

from . import api, cards, editors, feeds, ics, onthisday, openapi, sitemaps, views

FMT = r"(?P<fmt>rss|atom|json)"

app_name = "almanac"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(
        # Any segment reaches the view, so a wrong type or day gets its problem+json answer, not HTML.
        r"^api/rest_v1/feed/onthisday/(?P<feed_type>[^/]+)/(?P<mm>[^/]+)/(?P<dd>[^/]+)/?$",
        onthisday.onthisday_api,
        name="onthisday",
    ),
    re_path(
        r"^feed/v1/wikipedia/(?P<lang>[a-z-]+)/onthisday/(?P<feed_type>[a-z]+)/(?P<mm>\d{1,2})/(?P<dd>\d{1,2})/?$",
        onthisday.onthisday_api,
        name="onthisday-wikipedia",
    ),
    path("api/openapi.json", openapi.openapi, name="openapi"),
    path("api/v1/entries", api.entries, name="api-entries"),
    path("api/v1/entries/<str:slug>", api.entry, name="api-entry"),
    path("api/v1/articles", api.articles, name="api-articles"),
    path("api/v1/articles/<str:slug>", api.article, name="api-article"),
    path("api/v1/collections", api.collections, name="api-collections"),
    re_path(rf"^feed\.{FMT}$", feeds.site_feed_view, name="site-feed"),
    path("cards/entries/<slug:slug>.png", cards.entry_card, name="entry-card"),
    path("cards/articles/<slug:slug>.png", cards.article_card, name="article-card"),
    path("cards/<slug:collection>/<str:day_slug>.png", cards.day_card, name="day-card"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemaps/<slug:section>-<int:page>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots, name="robots"),
    re_path(rf"^tags/(?P<slug>[-\w]+)/feed\.{FMT}$", feeds.tag_feed_view, name="tag-feed"),
    re_path(r"^tags/(?P<slug>[-\w]+)\.ics$", ics.tag_ics, name="tag-ics"),
    re_path(rf"^people/(?P<slug>[-\w]+)/feed\.{FMT}$", feeds.person_feed_view, name="person-feed"),
    re_path(rf"^(?P<collection>[-\w]+)/feed\.{FMT}$", feeds.collection_feed_view, name="collection-feed"),
    re_path(rf"^(?P<collection>[-\w]+)/today\.{FMT}$", feeds.today_feed_view, name="today-feed"),
    re_path(r"^(?P<collection>[-\w]+)\.ics$", ics.collection_ics, name="collection-ics"),
    path("search/", views.search_view, name="search"),
    path("go/", views.go_to_day, name="go"),
    path("about/dates/", views.about_dates, name="about-dates"),
    path("about/dates/order/", views.date_order, name="date-order"),
    path("widget/<slug:collection>/", views.widget, name="widget"),
    path("editors/", editors.editors_index, name="editors-index"),
    path("editors/<slug:collection>/", editors.editors, name="editors"),
    path("entries/<slug:slug>/", views.entry, name="entry"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("places/<slug:slug>/", views.place, name="place"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("<slug:collection>/", views.collection_view, name="collection"),
    path("<slug:collection>/today/", views.today_redirect, name="today"),
    path("<slug:collection>/random/", views.random_day, name="random-day"),
    path("<slug:collection>/random-entry/", views.random_entry, name="random-entry"),
    path("<slug:collection>/<str:day_slug>/", views.day, name="day"),
]
