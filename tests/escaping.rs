//! Article text that looks like markup stays text in every file a build writes.
//!
//! The article's title and body carry `<script>alert(1)</script>`, `]]>`, a literal `&amp;`,
//! both quote characters and SSML tags. In an article file, tags are markup and dropped (see
//! README, "The article format"), so the text spells them with entities (`&lt;script&gt;`),
//! which is how a page or export that *shows* such text is written. Each output is then read
//! back with a reader for its format and must give the exact text, never markup: the manifest
//! and chapter lists (JSON), WebVTT and SRT captions, the player page (HTML), both feeds
//! (XML, parsed strictly by Python's expat), the MP3's ID3 tags (ffprobe) and the WAV's `labl`
//! chapter titles. The SSML a service is sent is covered by
//! `tests/backend_azure.rs::article_text_is_escaped_never_markup`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{read_json, run, seedaudio};
use serde_json::Value;

/// What the listener's text holds, after the article's entities are read.
const NASTY: &str = r#"<script>alert(1)</script> ]]> &amp; "q" 'a' <speak><break time="9s"/></speak>"#;

fn entity_encoded(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn write_article(dir: &Path) -> std::path::PathBuf {
    // Markdown, so the long headings are headings for sure.
    let path = dir.join("nasty.md");
    let text = format!(
        "# 标题 {nasty}\n\n开头一段 {nasty}。\n\n## 第一节 {nasty}\n\n免费的段落 {nasty}。\n\n##paidbegin##\n\n付费的段落 {nasty}。\n\n##paidend##\n",
        nasty = entity_encoded(NASTY)
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn no_raw_markup(name: &str, text: &str) {
    for bad in ["<script>", "<speak>", "<break"] {
        assert!(!text.contains(bad), "{name} holds a raw {bad}:\n{text}");
    }
}

#[test]
fn markup_in_the_article_is_text_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path());
    let root = dir.path().join("site");
    let out = root.join("nasty");
    let r = run(seedaudio().arg("build").arg(&article).arg("--out").arg(&out).args([
        "--base-url",
        "https://example.com/p/",
        "--feed-title",
        NASTY,
    ]));
    assert_eq!(r.status, 0, "{}", r.stderr);

    // JSON: the manifest gives the text back exactly.
    let manifest = read_json(&out.join("manifest.json"));
    let title = format!("标题 {NASTY}");
    assert_eq!(manifest["article"]["title"], title.as_str());
    let texts: Vec<&str> = common::utterances(&manifest).iter().map(|u| u["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&format!("付费的段落 {NASTY}。").as_str()), "{texts:?}");
    let chapters = read_json(&out.join("episode-full.chapters.json"));
    assert_eq!(chapters["chapters"][0]["title"], title.as_str());

    // WebVTT: entities for & < >, so no cue text is read as a tag.
    let vtt = std::fs::read_to_string(out.join("episode-full.vtt")).unwrap();
    no_raw_markup("episode-full.vtt", &vtt);
    assert!(vtt.contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;amp;"), "{vtt}");
    // SRT has no escapes: look-alike brackets keep players from reading tags.
    let srt = std::fs::read_to_string(out.join("episode-full.srt")).unwrap();
    no_raw_markup("episode-full.srt", &srt);
    assert!(srt.contains("alert(1)") && !srt.contains('<'), "{srt}");

    // HTML: escaped in the page, and in the embedded timeline as \u003c.
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<script>alert"), "the page holds a raw script tag");
    assert!(!html.contains("<speak>") && !html.contains("<break"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&amp;amp;"));

    // XML: both feeds parse strictly and give the title back.
    for feed in ["feed-free.xml", "feed-paid.xml"] {
        let path = root.join(feed);
        let xml = std::fs::read_to_string(&path).unwrap();
        assert!(!xml.contains("<script>") && !xml.contains("<speak>"), "{feed}");
        let script = "import sys, xml.etree.ElementTree as ET\n\
                      r = ET.parse(sys.argv[1]).getroot().find('channel')\n\
                      print(r.findtext('title')); print(r.find('item').findtext('title'))";
        let parsed = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .expect("python3 runs (the tests need it: apt-get install python3)");
        assert!(parsed.status.success(), "{feed} is not well formed: {}", String::from_utf8_lossy(&parsed.stderr));
        let printed = String::from_utf8(parsed.stdout).unwrap();
        let mut lines = printed.lines();
        assert!(lines.next().unwrap().starts_with(NASTY), "{feed} channel title");
        assert_eq!(lines.next().unwrap(), title, "{feed} item title");
    }
    // The free feed never shows the paid paragraph.
    assert!(!std::fs::read_to_string(root.join("feed-free.xml")).unwrap().contains("付费的段落"));

    // RIFF labl titles are bytes, not markup: given back exactly.
    let cues = seedaudio::publish::episode_wav::read_cues(&out.join("episode-full.wav")).unwrap();
    assert_eq!(cues[0].label, title);
}

#[test]
#[ignore = "needs ffprobe: apt-get install ffmpeg"]
fn id3_tags_and_chapters_give_the_text_back() {
    common::need("ffprobe");
    let dir = tempfile::tempdir().unwrap();
    let article = write_article(dir.path());
    let out = dir.path().join("mp3");
    let r = run(seedaudio().arg("build").arg(&article).arg("--out").arg(&out).args(["--format", "mp3"]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-show_chapters", "-show_format", "-of", "json"])
        .arg(out.join("episode-full.mp3"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&probe.stdout).unwrap();
    let title = format!("标题 {NASTY}");
    assert_eq!(v["format"]["tags"]["title"], title.as_str());
    assert_eq!(v["chapters"][0]["tags"]["title"], title.as_str());
    assert_eq!(v["chapters"][1]["tags"]["title"], format!("第一节 {NASTY}").as_str());
}
