//! `index.html`: a self-contained, accessible player page for one episode.
//!
//! The page works opened straight from disk (`file://`) with no network: the style and the
//! script are inline, and the timeline (chapter starts, cue times and texts) is embedded as
//! JSON in a `<script type="application/json">` block, since browsers refuse `fetch()` of
//! local files. The page still links the WebVTT file in a `<track>` element (players and
//! servers use it); when the browser will not load it from `file://`, the script adds the
//! same cues from the embedded data.
//!
//! Safety: every piece of article text is HTML-escaped ([`xml_escape`], quotes included, so
//! it is safe in attributes too); file names are percent-encoded; in the embedded JSON `<`,
//! `>` and `&` are written as `\u003c`… so `</script>` in a title cannot end the block. A
//! Content-Security-Policy then allows only the page's own style and script, by SHA-256 hash
//! (hashes work from `file://`, unlike nonces which need a server, and unlike
//! `'unsafe-inline'` they refuse any script that escaping might ever let through), and media
//! from the page's own place (`'self'`, plus `file:` because browsers give local files
//! opaque origins that `'self'` may not match). Nothing else may load.
//!
//! Accessibility: landmarks (`main`, `nav aria-label`, a labelled transcript region),
//! headings per chapter, real `<button>`s for every seek (keyboard operable by default),
//! free/paid said in text, sub-sections indented and nested, the current chapter and
//! utterance marked with `aria-current` plus a border and a marker (not colour alone),
//! relative units and wrapping for 200 % zoom, and transcript following that is opt-in (a
//! page that scrolls itself moves text away from readers and keyboard users) and never
//! animates under `prefers-reduced-motion`.

use serde::Serialize;

use super::label::Words;
use super::text::one_line;
use super::timecode::short;
use super::track::Track;
use crate::text::escape::xml_escape;

const STYLE: &str = include_str!("player.css");
const SCRIPT: &str = include_str!("player.js");

/// What the player page shows.
#[derive(Debug, Clone, Copy)]
pub struct PlayerPage<'a> {
    /// The article title (page title and heading).
    pub title: &'a str,
    /// The article's language as a BCP 47 tag (`zh-CN`, `en`): `<html lang>`, the captions'
    /// `srclang`, and the language of the page's own words.
    pub language: &'a str,
    /// The audio file, relative to the page (`episode-full.wav`).
    pub audio_file: &'a str,
    /// Its MIME type (`audio/wav`, `audio/mpeg`).
    pub audio_mime: &'a str,
    /// The WebVTT file of the same track, relative to the page.
    pub captions_file: &'a str,
    /// The episode the audio file holds.
    pub track: &'a Track,
}

#[derive(Serialize)]
struct Timeline<'a> {
    marks: Vec<MarkTime>,
    cues: Vec<CueData<'a>>,
}

#[derive(Serialize)]
struct MarkTime {
    start: f64,
}

#[derive(Serialize)]
struct CueData<'a> {
    id: &'a str,
    start: f64,
    end: f64,
    text: String,
}

/// The page as one HTML document.
pub fn player_page(p: &PlayerPage) -> String {
    let words = Words::for_language(p.language);
    let track = p.track;
    let title = xml_escape(&one_line(p.title));
    let lang = xml_escape(p.language.trim());
    let audio = xml_escape(&url_path(p.audio_file));
    let captions = xml_escape(&url_path(p.captions_file));

    let mut html = String::with_capacity(4096 + track.cues.iter().map(|c| c.text.len() * 2 + 200).sum::<usize>());
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
        csp = content_security_policy(),
    ));
    html.push_str(&format!(
        "<audio id=\"audio\" controls preload=\"metadata\">\n\
         <source src=\"{audio}\" type=\"{mime}\">\n\
         <track kind=\"captions\" src=\"{captions}\" srclang=\"{lang}\" label=\"{label}\" default>\n\
         <p>{no_audio}<a href=\"{audio}\">{audio_text}</a></p>\n</audio>\n\
         <p id=\"caption\" class=\"caption\"></p>\n\
         <p class=\"meta\">{duration_word} {duration} · <a href=\"{audio}\" download>{download}</a></p>\n",
        mime = xml_escape(p.audio_mime),
        label = xml_escape(words.captions),
        no_audio = xml_escape(words.no_audio),
        audio_text = xml_escape(p.audio_file),
        duration_word = words.duration,
        duration = short(track.duration),
        download = words.download,
    ));
    chapter_nav(&mut html, track, words);
    transcript(&mut html, track, words);
    html.push_str("</main>\n");
    html.push_str(&format!(
        "<script type=\"application/json\" id=\"seedaudio-data\">{}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        timeline_json(track)
    ));
    html
}

fn badge(words: &Words, paid: bool) -> String {
    let (class, text) = if paid { ("badge paid", words.paid) } else { ("badge", words.free) };
    format!("<span class=\"{class}\">{text}</span>")
}

fn seek_button(attr: &str, index: usize, start: f64, words: &Words, body: &str) -> String {
    format!(
        "<button type=\"button\" class=\"seek\" data-{attr}=\"{index}\"><span class=\"vh\">{play_from}</span>\
         <span class=\"time\">{time}</span> {body}</button>",
        play_from = words.play_from,
        time = short(start),
    )
}

fn chapter_nav(html: &mut String, track: &Track, words: &Words) {
    html.push_str(&format!(
        "<nav aria-labelledby=\"chapters-heading\">\n<h2 id=\"chapters-heading\">{}</h2>\n<ol class=\"chapters\">\n",
        words.chapters
    ));
    let mut open_sub = false;
    for (i, mark) in track.marks.iter().enumerate() {
        let body =
            format!("<span class=\"title\">{}</span> {}", xml_escape(&one_line(&mark.title)), badge(words, mark.paid));
        let button = seek_button("mark", i, mark.start, words, &body);
        if mark.level == 0 {
            if open_sub {
                html.push_str("</ol>\n");
                open_sub = false;
            }
            if i > 0 {
                html.push_str("</li>\n");
            }
            html.push_str(&format!("<li>{button}"));
        } else {
            if !open_sub {
                html.push_str("\n<ol>\n");
                open_sub = true;
            }
            html.push_str(&format!("<li>{button}</li>\n"));
        }
    }
    if open_sub {
        html.push_str("</ol>\n");
    }
    if !track.marks.is_empty() {
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</nav>\n");
}

fn transcript(html: &mut String, track: &Track, words: &Words) {
    html.push_str(&format!(
        "<section aria-labelledby=\"transcript-heading\">\n<h2 id=\"transcript-heading\">{}</h2>\n\
         <p id=\"follow-row\" hidden><label><input type=\"checkbox\" id=\"follow\"> {}</label></p>\n",
        words.transcript, words.follow
    ));
    let mut cues = track.cues.iter().enumerate().peekable();
    // Cues before the first chapter point (none in a well-formed track) get no heading.
    let starts = track.marks.iter().map(|m| m.start).chain(std::iter::once(f64::INFINITY));
    let bounds: Vec<f64> = starts.collect();
    let mut sections: Vec<(Option<usize>, f64)> = vec![(None, bounds[0])];
    sections.extend((0..track.marks.len()).map(|i| (Some(i), bounds[i + 1])));
    for (mark, end) in sections {
        let level = mark.map_or(0, |i| track.marks[i].level);
        if let Some(i) = mark {
            let m = &track.marks[i];
            let tag = if m.level == 0 { "h3" } else { "h4" };
            html.push_str(&format!("<{tag}>{} {}</{tag}>\n", xml_escape(&one_line(&m.title)), badge(words, m.paid)));
        }
        let mut list = String::new();
        while let Some((i, cue)) = cues.next_if(|(_, c)| c.start < end - 1e-6) {
            let text = format!("<span class=\"text\">{}</span>", xml_escape(&one_line(&cue.text)));
            list.push_str(&format!("<li>{}</li>\n", seek_button("cue", i, cue.start, words, &text)));
        }
        if !list.is_empty() {
            let class = if level == 0 { "cues" } else { "cues sub" };
            html.push_str(&format!("<ol class=\"{class}\">\n{list}</ol>\n"));
        }
    }
    html.push_str("</section>\n");
}

/// The timeline as JSON that is safe inside a `<script>` element.
fn timeline_json(track: &Track) -> String {
    let timeline = Timeline {
        marks: track.marks.iter().map(|m| MarkTime { start: m.start }).collect(),
        cues: track
            .cues
            .iter()
            .map(|c| CueData { id: &c.id, start: c.start, end: c.end, text: one_line(&c.text) })
            .collect(),
    };
    script_safe(&serde_json::to_string(&timeline).expect("the timeline is plain data"))
}

/// JSON text with the characters that could end or confuse an HTML `<script>` element
/// written as `\u` escapes; they can only occur inside JSON strings, where the escape means
/// the same character.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A relative file name as a URL path: unreserved characters and `/` kept, everything else
/// percent-encoded (spaces, `#`, `?`, `%`, and a `:` that would otherwise read as a scheme).
fn url_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The page's policy: its own style and script by hash, media from its own place, nothing else.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; media-src 'self' file:; base-uri 'none'; form-action 'none'",
        sha256_source(STYLE),
        sha256_source(SCRIPT)
    )
}

fn sha256_source(text: &str) -> String {
    use base64::Engine as _;
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::*;

    fn page(track: &Track, title: &str, language: &str) -> String {
        player_page(&PlayerPage {
            title,
            language,
            audio_file: "episode full#1.wav",
            audio_mime: "audio/wav",
            captions_file: "episode-full.vtt",
            track,
        })
    }

    /// The text between `open` and the next `close` after it.
    fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
        let start = html.find(open).unwrap_or_else(|| panic!("{open} in page")) + open.len();
        &html[start..start + html[start..].find(close).unwrap()]
    }

    #[test]
    fn article_text_is_escaped_everywhere() {
        let html = page(&fixtures::hostile(), fixtures::HOSTILE_TITLE, "en\" onload=\"x");
        // Only the page's own two script elements exist.
        assert_eq!(html.matches("<script").count(), 2);
        assert_eq!(html.matches("</script").count(), 2);
        assert!(!html.contains("<b>") && !html.contains("<speak") && !html.contains("<!--"));
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &apos;a&apos; ]]&gt;";
        assert_eq!(between(&html, "<title>", "</title>"), escaped);
        assert_eq!(between(&html, "<h1>", "</h1>"), escaped);
        assert!(html.contains("<html lang=\"en&quot; onload=&quot;x\">"));
        assert!(html.contains("&quot;quoted&quot; &amp; &apos;apos&apos; &lt;/script&gt;&lt;!--"));
        assert!(html.contains("&lt;speak&gt;&lt;break time=&quot;1s&quot;/&gt;&lt;/speak&gt; {\\an8}"));
        assert!(html.contains("<source src=\"episode%20full%231.wav\" type=\"audio/wav\">"));
    }

    #[test]
    fn embedded_timeline_parses_back_to_the_cues() {
        let track = fixtures::hostile();
        let html = page(&track, "t", "en");
        let json = between(&html, "<script type=\"application/json\" id=\"seedaudio-data\">", "</script>");
        assert!(!json.contains(['<', '>', '&']));
        let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        let texts: Vec<&str> = data["cues"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect();
        let expected: Vec<String> = track.cues.iter().map(|c| one_line(&c.text)).collect();
        assert_eq!(texts, expected);
        let starts: Vec<f64> = data["marks"].as_array().unwrap().iter().map(|m| m["start"].as_f64().unwrap()).collect();
        assert_eq!(starts, [0.0, 5.0, 8.0]);
        assert_eq!(data["cues"][3]["end"], 12.0);
    }

    #[test]
    fn policy_hashes_match_the_inline_style_and_script() {
        let html = page(&fixtures::plain(), "t", "en");
        let policy = between(&html, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
        let script = between(&html, "</script>\n<script>", "</script>");
        let style = between(&html, "<style>", "</style>");
        assert!(policy.contains(&format!("script-src '{}'", sha256_source(script))));
        assert!(policy.contains(&format!("style-src '{}'", sha256_source(style))));
        assert!(policy.starts_with("default-src 'none';"));
        assert!(!policy.contains("unsafe"));
        // A known SHA-256, so the hashing itself is checked.
        assert_eq!(sha256_source("abc"), "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    }

    #[test]
    fn chapters_are_labelled_nested_and_seekable() {
        let (_, full) = fixtures::episodes();
        let html = page(&full, "标题", "zh-CN");
        let nav = between(&html, "<nav aria-labelledby=\"chapters-heading\">", "</nav>");
        assert_eq!(nav.matches("<button type=\"button\" class=\"seek\" data-mark=").count(), 5);
        assert_eq!(nav.matches("<span class=\"badge\">免费</span>").count(), 3);
        assert_eq!(nav.matches("<span class=\"badge paid\">付费</span>").count(), 2);
        // The section inside the paid chapter is a nested list item of it.
        let paid = between(nav, "data-mark=\"2\"", "</li>\n<li>");
        assert!(paid.contains("\n<ol>\n<li><button type=\"button\" class=\"seek\" data-mark=\"3\""), "{paid}");
        assert!(paid.contains("<span class=\"time\">0:07</span> <span class=\"title\">三、丙</span> "));
        let transcript = between(&html, "<section aria-labelledby=\"transcript-heading\">", "</section>");
        assert_eq!(transcript.matches("data-cue=").count(), full.cues.len());
        assert!(transcript.contains("<h3>二、乙 <span class=\"badge paid\">付费</span></h3>"));
        assert!(transcript.contains("<h4>三、丙 <span class=\"badge paid\">付费</span></h4>\n<ol class=\"cues sub\">"));
        assert!(html.contains("<h2 id=\"chapters-heading\">章节</h2>"));
        assert!(
            html.contains(
                "<track kind=\"captions\" src=\"episode-full.vtt\" srclang=\"zh-CN\" label=\"字幕\" default>"
            )
        );
    }

    #[test]
    fn free_page_has_no_paid_text() {
        let (free, _) = fixtures::episodes();
        let html = page(&free, "标题", "zh");
        assert!(html.contains(fixtures::FREE_SENTENCE));
        assert!(!html.contains(fixtures::PAID_SENTENCE));
        assert!(!html.contains("付费</span>"));
    }

    #[test]
    fn file_names_become_url_paths() {
        assert_eq!(url_path("a b/c#d?e%f:g.wav"), "a%20b/c%23d%3Fe%25f%3Ag.wav");
        assert_eq!(url_path("章.wav"), "%E7%AB%A0.wav");
        assert_eq!(url_path("episode-full.wav"), "episode-full.wav");
    }
}
