//! The two RSS 2.0 documents, with the `itunes` and Podcasting 2.0 `podcast` namespaces.
//!
//! The `rss` crate writes the markup and quick-xml inside it escapes text and attributes
//! (descriptions, which apps read as HTML, go in CDATA). What no escaping can carry —
//! the control characters XML 1.0 forbids — is removed here from every text first.

use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use rss::extension::itunes::{ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner};
use rss::extension::{Extension, ExtensionMap};
use url::Url;

use super::FeedError;
use super::channel::Resolved;
use super::item::{Edition, Enclosure, FeedItem};
use super::link::join;

pub const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

/// The feed of one edition: `items` (newest first) that have an episode of that edition.
pub fn render(channel: &Resolved, items: &[FeedItem], edition: Edition, base: &Url) -> Result<String, FeedError> {
    let listed: Vec<(&FeedItem, &Enclosure)> =
        items.iter().filter_map(|item| item.enclosure(edition).map(|e| (item, e))).collect();
    let paid = edition == Edition::Full;
    let title = clean(if paid { &channel.paid_title } else { &channel.title });
    let link = clean(&channel.link);

    let mut feed = rss::Channel {
        title: title.clone(),
        link: link.clone(),
        description: clean(&channel.description),
        language: channel.language.as_deref().map(clean),
        generator: Some(format!("seedaudio {}", env!("CARGO_PKG_VERSION"))),
        pub_date: listed.iter().map(|(item, _)| item.published).max().map(date),
        namespaces: BTreeMap::from([
            ("itunes".to_string(), ITUNES_NS.to_string()),
            ("podcast".to_string(), PODCAST_NS.to_string()),
        ]),
        ..Default::default()
    };
    if let Some(image) = &channel.image {
        feed.image = Some(rss::Image { url: clean(image), title: title.clone(), link, ..Default::default() });
    }
    let owner = (channel.owner_name.is_some() || channel.owner_email.is_some()).then(|| ITunesOwner {
        name: channel.owner_name.as_deref().map(clean),
        email: channel.owner_email.as_deref().map(clean),
    });
    feed.itunes_ext = Some(ITunesChannelExtension {
        author: channel.author.as_deref().map(clean),
        image: channel.image.as_deref().map(clean),
        explicit: Some(channel.explicit.to_string()),
        owner,
        categories: channel.category.as_deref().map(category).into_iter().collect(),
        r#type: Some("episodic".into()),
        // A subscribers' feed is private: Apple and Podcast Index are asked not to list it.
        block: paid.then(|| "Yes".to_string()),
        ..Default::default()
    });
    if paid {
        feed.extensions = podcast_extensions(vec![element("block", &[], Some("yes"))]);
    }
    feed.items = listed.iter().map(|&(item, enclosure)| rss_item(item, enclosure, edition, base)).collect();

    let bytes = feed.pretty_write_to(Vec::new(), b' ', 2).map_err(|e| FeedError::Xml(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| FeedError::Xml(e.to_string()))
}

fn rss_item(item: &FeedItem, enclosure: &Enclosure, edition: Edition, base: &Url) -> rss::Item {
    let mut podcast = Vec::new();
    if let Some(chapters) = &enclosure.chapters {
        podcast.push(element(
            "chapters",
            &[("url", &join(base, chapters)), ("type", "application/json+chapters")],
            None,
        ));
    }
    for t in &enclosure.transcripts {
        let url = join(base, &t.path);
        let mut attrs = vec![("url", url.as_str()), ("type", t.mime.as_str())];
        if let Some(lang) = &item.language {
            attrs.push(("language", lang));
        }
        // Timed cue files can be shown as captions while the episode plays.
        if matches!(t.mime.as_str(), "text/vtt" | "application/x-subrip") {
            attrs.push(("rel", "captions"));
        }
        podcast.push(element("transcript", &attrs, None));
    }
    rss::Item {
        title: Some(clean(&item.title)),
        description: Some(notes_html(&clean(&enclosure.description))),
        enclosure: Some(rss::Enclosure {
            url: join(base, &enclosure.path),
            length: enclosure.bytes.to_string(),
            mime_type: clean(&enclosure.mime),
        }),
        guid: Some(rss::Guid { value: item.guid(edition), permalink: false }),
        pub_date: Some(date(item.published)),
        itunes_ext: Some(ITunesItemExtension {
            author: item.author.as_deref().map(clean),
            duration: Some(duration(enclosure.duration_s)),
            episode_type: Some("full".into()),
            ..Default::default()
        }),
        extensions: podcast_extensions(podcast),
        ..Default::default()
    }
}

/// A `podcast:NAME` element; attribute values are escaped by the writer.
fn element(name: &str, attrs: &[(&str, &str)], value: Option<&str>) -> Extension {
    Extension {
        name: format!("podcast:{name}"),
        value: value.map(clean),
        attrs: attrs.iter().map(|(k, v)| (k.to_string(), clean(v))).collect(),
        children: BTreeMap::new(),
    }
}

/// Elements in the order given (the map is keyed by local name, which would sort them).
fn podcast_extensions(elements: Vec<Extension>) -> ExtensionMap {
    if elements.is_empty() {
        return ExtensionMap::new();
    }
    let mut by_name: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for e in elements {
        by_name.entry(e.name.trim_start_matches("podcast:").to_string()).or_default().push(e);
    }
    ExtensionMap::from([("podcast".to_string(), by_name)])
}

/// Plain-text show notes as the HTML that an item's `<description>` is read as by podcast
/// apps (and feedparser): escaped, a `<p>` per paragraph, `<br>` between lines. Without
/// this, a `<` in a title quoted in the notes would start a tag and swallow the text after it.
fn notes_html(text: &str) -> String {
    let escape = |line: &str| line.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.lines().map(escape).collect::<Vec<_>>().join("<br>")))
        .collect()
}

/// `Parent/Sub` as a nested iTunes category.
fn category(text: &str) -> ITunesCategory {
    let (parent, sub) = match text.split_once('/') {
        Some((p, s)) => (p.trim(), Some(s.trim())),
        None => (text.trim(), None),
    };
    ITunesCategory {
        text: clean(parent),
        subcategory: sub.map(|s| Box::new(ITunesCategory { text: clean(s), subcategory: None })),
    }
}

/// RFC 2822 date (`Tue, 14 Nov 2023 22:13:20 GMT`).
fn date(unix_seconds: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix_seconds))
}

/// `itunes:duration` in whole seconds, the form Apple recommends.
fn duration(seconds: f64) -> String {
    (seconds.max(0.0).round() as u64).to_string()
}

/// `text` without the characters XML 1.0 cannot hold in any form: control characters other
/// than tab and line breaks, and the non-characters U+FFFE and U+FFFF.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !(c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::feed::item::Transcript;

    const NASTY: &str = "a < b & \"c\" 'd' ]]> <script>x</script>\u{0}\u{1b}\u{FFFF}!";
    const NASTY_CLEAN: &str = "a < b & \"c\" 'd' ]]> <script>x</script>!";

    fn resolved() -> Resolved {
        Resolved {
            title: format!("T {NASTY}"),
            paid_title: "T paid".into(),
            author: Some("A & B".into()),
            language: Some("zh".into()),
            description: "D".into(),
            image: Some("https://x.org/c.png".into()),
            link: "https://x.org/pod/".into(),
            explicit: false,
            owner_name: None,
            owner_email: Some("o@x.org".into()),
            category: Some("Society & Culture/Philosophy".into()),
        }
    }

    fn enclosure(path: &str, bytes: u64) -> Enclosure {
        Enclosure {
            path: path.into(),
            bytes,
            mime: "audio/mpeg".into(),
            duration_s: 61.6,
            description: format!("notes {NASTY}"),
            chapters: Some(path.replace(".mp3", ".chapters.json")),
            transcripts: vec![Transcript { path: path.replace(".mp3", ".vtt"), mime: "text/vtt".into() }],
        }
    }

    fn items() -> Vec<FeedItem> {
        vec![
            FeedItem {
                id: "1".repeat(32),
                title: NASTY.into(),
                language: Some("zh".into()),
                author: Some(NASTY.into()),
                published: 1_700_000_000,
                free: Some(enclosure("五种/episode-free.mp3", 1234)),
                full: enclosure("五种/episode-full.mp3", 5678),
            },
            FeedItem {
                id: "2".repeat(32),
                title: "all paid".into(),
                language: Some("zh".into()),
                author: None,
                published: 1_600_000_000,
                free: None,
                full: enclosure("b/episode-full.mp3", 99),
            },
        ]
    }

    fn base() -> Url {
        Url::parse("https://example.com/pod/").unwrap()
    }

    #[test]
    fn namespaces_are_declared() {
        let xml = render(&resolved(), &items(), Edition::Free, &base()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{xml}");
        assert!(xml.contains(r#"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#), "{xml}");
        assert!(xml.contains(r#"xmlns:podcast="https://podcastindex.org/namespace/1.0""#), "{xml}");
        assert!(xml.contains(r#"<rss version="2.0""#), "{xml}");
    }

    #[test]
    fn nasty_text_is_escaped_and_reads_back() {
        let xml = render(&resolved(), &items(), Edition::Free, &base()).unwrap();
        assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}') && !xml.contains('\u{FFFF}'), "{xml}");
        assert!(xml.contains("<title>a &lt; b &amp; &quot;c&quot; &apos;d&apos; ]]&gt; &lt;script&gt;"), "{xml}");
        // The notes are HTML, escaped once as HTML and then carried in CDATA.
        let notes = "<![CDATA[<p>notes a &lt; b &amp; \"c\" 'd' ]]&gt; &lt;script&gt;x&lt;/script&gt;!</p>]]>";
        assert!(xml.contains(notes), "{xml}");
        let feed = rss::Channel::read_from(xml.as_bytes()).unwrap();
        assert_eq!(feed.title, format!("T {NASTY_CLEAN}"));
        assert_eq!(feed.items[0].title.as_deref(), Some(NASTY_CLEAN));
        assert_eq!(
            feed.items[0].description.as_deref(),
            Some("<p>notes a &lt; b &amp; \"c\" 'd' ]]&gt; &lt;script&gt;x&lt;/script&gt;!</p>")
        );
        assert_eq!(feed.itunes_ext.as_ref().unwrap().author.as_deref(), Some("A & B"));
        assert_eq!(feed.items[0].itunes_ext.as_ref().unwrap().author.as_deref(), Some(NASTY_CLEAN));
    }

    #[test]
    fn free_feed_items() {
        let xml = render(&resolved(), &items(), Edition::Free, &base()).unwrap();
        let feed = rss::Channel::read_from(xml.as_bytes()).unwrap();
        assert_eq!(feed.items.len(), 1, "the all-paid article has no free episode");
        let item = &feed.items[0];
        let enc = item.enclosure.as_ref().unwrap();
        assert_eq!(enc.url, "https://example.com/pod/%E4%BA%94%E7%A7%8D/episode-free.mp3");
        assert_eq!((enc.length.as_str(), enc.mime_type.as_str()), ("1234", "audio/mpeg"));
        let guid = item.guid.as_ref().unwrap();
        assert_eq!((guid.value.clone(), guid.permalink), (format!("urn:seedaudio:{}:free", "1".repeat(32)), false));
        assert_eq!(item.pub_date.as_deref(), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
        assert_eq!(item.itunes_ext.as_ref().unwrap().duration.as_deref(), Some("62"));
        let podcast = &item.extensions["podcast"];
        let chapters = &podcast["chapters"][0];
        assert_eq!(chapters.attrs["url"], "https://example.com/pod/%E4%BA%94%E7%A7%8D/episode-free.chapters.json");
        assert_eq!(chapters.attrs["type"], "application/json+chapters");
        let transcript = &podcast["transcript"][0];
        assert_eq!(transcript.attrs["url"], "https://example.com/pod/%E4%BA%94%E7%A7%8D/episode-free.vtt");
        assert_eq!((transcript.attrs["type"].as_str(), transcript.attrs["language"].as_str()), ("text/vtt", "zh"));
        assert_eq!(transcript.attrs["rel"], "captions");

        let itunes = feed.itunes_ext.as_ref().unwrap();
        assert_eq!(itunes.block, None);
        assert_eq!(itunes.explicit.as_deref(), Some("false"));
        assert_eq!(itunes.categories[0].text, "Society & Culture");
        assert_eq!(itunes.categories[0].subcategory.as_ref().unwrap().text, "Philosophy");
        assert_eq!(itunes.owner.as_ref().unwrap().email.as_deref(), Some("o@x.org"));
        assert_eq!(feed.language.as_deref(), Some("zh"));
        assert_eq!(feed.image.as_ref().unwrap().url, "https://x.org/c.png");
        assert!(!feed.extensions.contains_key("podcast"), "the public feed is not blocked");
    }

    #[test]
    fn paid_feed_items() {
        let xml = render(&resolved(), &items(), Edition::Full, &base()).unwrap();
        let feed = rss::Channel::read_from(xml.as_bytes()).unwrap();
        assert_eq!(feed.title, "T paid");
        let urls: Vec<_> = feed.items.iter().map(|i| i.enclosure.as_ref().unwrap().url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://example.com/pod/%E4%BA%94%E7%A7%8D/episode-full.mp3",
                "https://example.com/pod/b/episode-full.mp3"
            ]
        );
        assert_eq!(feed.items[0].guid.as_ref().unwrap().value, format!("urn:seedaudio:{}:full", "1".repeat(32)));
        assert_eq!(feed.items[0].enclosure.as_ref().unwrap().length, "5678");
        assert_eq!(feed.itunes_ext.as_ref().unwrap().block.as_deref(), Some("Yes"));
        assert_eq!(feed.extensions["podcast"]["block"][0].value.as_deref(), Some("yes"));
        assert_eq!(feed.pub_date.as_deref(), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
    }

    #[test]
    fn an_empty_feed_is_still_a_feed() {
        let xml = render(&resolved(), &[], Edition::Free, &base()).unwrap();
        let feed = rss::Channel::read_from(xml.as_bytes()).unwrap();
        assert!(feed.items.is_empty() && feed.pub_date.is_none());
    }

    #[test]
    fn notes_become_paragraphs() {
        assert_eq!(
            notes_html("One <b>.\n\nChapters:\n0:00 A & B\n1:00 C\n"),
            "<p>One &lt;b&gt;.</p><p>Chapters:<br>0:00 A &amp; B<br>1:00 C</p>"
        );
    }

    #[test]
    fn clean_keeps_line_breaks_and_drops_controls() {
        assert_eq!(clean("a\tb\nc\r\u{7}d\u{FFFE}\u{1F600}"), "a\tb\nc\rd\u{1F600}");
    }
}
