"""plain_text: Markdown to one line of text, every HTML entity undone once."""

from hodie.almanac.markup import plain_text


def test_entities_are_undone_once():
    assert plain_text("&nbsp;AT&amp;T") == "AT&T"
    assert plain_text("a &lt;b&gt; &quot;q&quot; &#39;s&#39; **bold**") == "a <b> \"q\" 's' bold"
    assert plain_text("&amp;amp;") == "&amp;"
