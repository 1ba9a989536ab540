"""WordPress's ``[gallery]`` shortcode becomes the images WordPress shows: the post's attached images
(in menu order) or those ``ids`` lists (in that order), with the captions and alternative texts the
WXR file gives them. The attachments are read in a first pass, so one placed after its post counts."""

from __future__ import annotations

from pathlib import Path

from hodie.importers import wxr
from hodie.importers.html import clean_html
from hodie.importers.records import ArticleRecord, MediaRecord

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Galleries</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gallery.example</wp:base_site_url>
"""


def attachment(number: int, parent: int, name: str, order: int = 0, caption: str = "", alt: str = "") -> str:
    meta = (
        f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
        if alt
        else ""
    )
    return f"""<item><title>{name} title</title><guid isPermaLink="false">https://gallery.example/{name}</guid>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://gallery.example/wp-content/uploads/{name}</wp:attachment_url>{meta}</item>
"""


def post(number: int, title: str, content: str) -> str:
    return f"""<item><title>{title}</title><link>https://gallery.example/?p={number}</link>
<guid isPermaLink="false">https://gallery.example/?p={number}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date>2012-02-20 10:00:00</wp:post_date>
<wp:post_date_gmt>2012-02-20 10:00:00</wp:post_date_gmt><wp:post_name>post-{number}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
"""


def export(tmp_path: Path) -> Path:
    items = (
        attachment(11, 1, "first.jpg", order=2, caption="The <em>first</em> one", alt="A bridge")
        + post(1, "Attached", 'Before.\n\n[gallery columns="2"]\n\nAfter.')
        + attachment(12, 1, "second.png", order=1)
        + attachment(13, 1, "notes.pdf")  # not an image: a gallery leaves it out
        + attachment(14, 5, "elsewhere.gif", caption="Elsewhere")
        + post(2, "Listed", '[gallery ids="14, 11,99" exclude="11"]')
        + post(3, "Reversed", '[gallery id="1" order="DESC"]')
        + post(4, "Empty", "Text.\n\n[gallery]")
    )
    path = tmp_path / "galleries.wxr"
    path.write_text(HEAD + items + "</channel></rss>")
    return path


def bodies(path: Path) -> dict[str, str]:
    return {item.title: item.body for item in wxr.read(path) if isinstance(item, ArticleRecord)}


U = "https://gallery.example/wp-content/uploads/"


def test_a_gallery_shows_the_posts_attached_images_in_menu_order_with_captions(tmp_path):
    body = bodies(export(tmp_path))["Attached"]
    assert body == (
        "<p>Before.</p>\n"
        '<div class="gallery">\n'
        f'<figure><img src="{U}second.png" alt="second.png title"></figure>\n'
        f'<figure><img src="{U}first.jpg" alt="A bridge"><figcaption>The <em>first</em> one</figcaption></figure>\n'
        "</div>\n"
        "<p>After.</p>"
    )
    # what is stored keeps the gallery's class and every image
    assert clean_html(body) == (
        "<p>Before.</p>\n"
        '<div class="gallery">\n'
        f'<figure><img src="{U}second.png" alt="second.png title"></figure>\n'
        f'<figure><img src="{U}first.jpg" alt="A bridge"><figcaption>The <em>first</em> one</figcaption></figure>\n'
        "</div>\n"
        "<p>After.</p>"
    )


def test_ids_choose_and_order_the_images_and_exclude_and_order_are_followed(tmp_path):
    found = bodies(export(tmp_path))
    assert found["Listed"] == (
        f'<div class="gallery">\n<figure><img src="{U}elsewhere.gif" alt="elsewhere.gif title">'
        "<figcaption>Elsewhere</figcaption></figure>\n</div>"
    )  # 11 excluded, 99 is in no attachment
    reversed_ = found["Reversed"]
    assert reversed_.index("first.jpg") < reversed_.index("second.png")
    assert "notes.pdf" not in reversed_


def test_a_gallery_without_images_is_removed_and_attachments_are_still_media(tmp_path):
    path = export(tmp_path)
    assert bodies(path)["Empty"] == "<p>Text.</p>"
    media = sorted(item.url for item in wxr.read(path) if isinstance(item, MediaRecord))
    assert media == [U + "elsewhere.gif", U + "first.jpg", U + "notes.pdf", U + "second.png"]


def test_only_the_gallery_class_is_kept():
    assert clean_html('<div class="gallery other">x</div><p class="gallery">y</p>') == (
        '<div class="gallery">x</div><p>y</p>'
    )
