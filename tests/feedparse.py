#!/usr/bin/env python3
"""Reads a podcast feed the way podcast software does and prints what it found as JSON.

Used by tests/feeds.rs. `feedparser` (pip package) is the widely used feed reader; its
`bozo` flag is set when the XML is not well formed. It keeps only the last of repeated
unknown elements (several podcast:transcript), so those are also listed from a strict
parse with the standard library's expat-based ElementTree.
"""

import json
import sys
import xml.etree.ElementTree as ET

import feedparser

PODCAST = "{https://podcastindex.org/namespace/1.0}"


def main(path):
    parsed = feedparser.parse(path)
    try:
        items = ET.parse(path).getroot().find("channel").findall("item")
        strict_error = ""
    except ET.ParseError as e:
        items, strict_error = [], str(e)
    entries = []
    for entry, item in zip(parsed.entries, items or [None] * len(parsed.entries)):
        entries.append(
            {
                "id": entry.get("id"),
                "guidislink": entry.get("guidislink"),
                "title": entry.get("title"),
                "summary": entry.get("summary"),
                "published": entry.get("published"),
                "itunes_duration": entry.get("itunes_duration"),
                "enclosures": [
                    {"href": e.get("href"), "length": e.get("length"), "type": e.get("type")}
                    for e in entry.get("enclosures", [])
                ],
                "podcast_chapters": entry.get("podcast_chapters"),
                "podcast_transcript": entry.get("podcast_transcript"),
                "transcripts": [] if item is None else [dict(t.attrib) for t in item.findall(PODCAST + "transcript")],
            }
        )
    feed = parsed.feed
    print(
        json.dumps(
            {
                "bozo": bool(parsed.bozo) or bool(strict_error),
                "bozo_exception": str(parsed.get("bozo_exception", "")) or strict_error,
                "version": parsed.get("version"),
                "namespaces": parsed.get("namespaces", {}),
                "title": feed.get("title"),
                "language": feed.get("language"),
                "link": feed.get("link"),
                "itunes_block": feed.get("itunes_block"),
                "items_in_xml": len(items),
                "entries": entries,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
