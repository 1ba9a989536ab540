"""The demo is a file like any other, stored by the one import writer."""

import pytest


@pytest.mark.django_db
def test_the_demo_file_carries_its_collections_partner_article_and_comments():
    from hodie.almanac.models import Article, Collection, Person
    from hodie.demo import load_demo
    from hodie.social.models import Announced, Comment

    message = load_demo()
    assert message.startswith("Loaded the demo: ") and message.endswith(", 1 article.")
    russia, space = Collection.objects.get(slug="russia"), Collection.objects.get(slug="space")
    assert (russia.region, space.region) == ("ru", "world")
    assert space.entries.count() == 12  # the entries tagged "space" are filed in both
    article = Article.objects.get(source_id="demo-article-kosenko")
    assert article.partner.name == "ExecutedToday.com" and article.cowritten
    assert sorted((a.name, a.partner.name if a.partner else "") for a in article.authors.all()) == [
        ("Headsman", "ExecutedToday.com"),
        ("Hodie demo editor", ""),
    ]
    assert [e.source_id for e in article.entries.all()] == ["demo-ru-kosenko"]
    assert Announced.objects.filter(article=article).exists()  # history: never sent as a Webmention
    reply = Comment.objects.get(source_id="demo-comment-3")
    assert (reply.parent.author_name, reply.badge) == ("Marina", "author")
    assert Comment.objects.get(source_id="demo-comment-4").status == "spam"
    assert set(Person.objects.get(name="Joseph Stalin").aliases.values_list("name", flat=True)) == {
        "Ioseb Jughashvili",
        "Koba",
    }


@pytest.mark.django_db
def test_importing_the_demo_file_again_changes_nothing():
    from hodie.demo import DATA, load_demo
    from hodie.importers import jsonl
    from hodie.writer import import_records

    load_demo()
    assert "already loaded" in load_demo()
    again = import_records(jsonl.read(DATA), None)
    assert again.created == {} and again.updated == {}, again.as_dict()
