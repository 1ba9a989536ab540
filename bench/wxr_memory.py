"""Peak memory of the WXR reader over a generated WordPress export.

Usage: python bench/wxr_memory.py ITEMS. Writes a WXR file of ITEMS posts (each ~4 KB of content
and two comments) to a temporary folder, then reads it with `hodie.importers.wxr.read` in a fresh
process, counting records. Prints one JSON line: the file's size, records read, seconds, and the
reading process's peak RSS (ru_maxrss) beside the same process's RSS before reading.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://example.org</wp:base_site_url>
"""
ITEM = """<item><title>Post {n}</title><link>https://example.org/p/{n}/</link>
<dc:creator>admin</dc:creator><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2020-01-02 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>{c1}</wp:comment_id><wp:comment_author>A</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 10:00:00</wp:comment_date_gmt><wp:comment_content>Nice {n}</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>{c2}</wp:comment_id><wp:comment_author>B</wp:comment_author>
<wp:comment_date_gmt>2020-01-04 10:00:00</wp:comment_date_gmt><wp:comment_content>Yes {n}</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{c1}</wp:comment_parent></wp:comment>
</item>
"""
READ = """
import json, resource, sys, time
from pathlib import Path
from hodie.importers import wxr
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
count = sum(1 for _ in wxr.read(Path(sys.argv[1])))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"records": count, "seconds": round(time.perf_counter() - started, 1),
                  "rss_before_mib": round(before / 1024), "peak_rss_mib": round(peak / 1024)}))
"""


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    path = Path(tempfile.mkdtemp(prefix="hodie-wxr-")) / "big.xml"
    body = "<p>" + "A paragraph of the post, long enough to weigh. " * 80 + "</p>"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, items + 1):
            out.write(ITEM.format(n=n, body=body, c1=2 * n, c2=2 * n + 1))
        out.write("</channel></rss>\n")
    done = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True)
    result = {"items": items, "file_mib": round(path.stat().st_size / 2**20), **json.loads(done.stdout)}
    path.unlink()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
