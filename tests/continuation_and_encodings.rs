//! Issue 14, items 7 and 8, through the binary: a section's free text after a paid block is
//! titled as a continuation everywhere a chapter title shows (while its audio still starts with
//! the heading); articles in legacy encodings (Windows-1252, Latin-1, UTF-16 with a BOM) are
//! read with a note, GBK Chinese still reads as Chinese, and what cannot be told is refused
//! with the `--encoding` to pass.

mod common;

use common::*;
use id3::TagLike;
use serde_json::Value;

const ZH: &str = "标题\n引言。\n一、方法\n方法的免费部分。\n##paidbegin##\n付费的内容。\n##paidend##\n方法的后续内容，人人可听。\n二、结论\n结论的内容。\n";

const EN: &str = "# Listening Notes\n\nAn introduction.\n\n## Methods\n\nThe free part of the methods.\n\n##paidbegin##\nThe paid part of the methods.\n##paidend##\n\nMore of the methods, free again.\n\n## Results\n\nThe results.\n";

fn titles(chapters: &Value) -> Vec<String> {
    chapters.as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_string()).collect()
}

fn episode<'a>(manifest: &'a Value, kind: &str) -> &'a Value {
    manifest["episodes"].as_array().unwrap().iter().find(|e| e["kind"] == kind).expect("the episode is in the manifest")
}

/// The first utterance of chapter `index`: what its audio starts with.
fn first_utterance(manifest: &Value, index: u64) -> &Value {
    utterances(manifest).iter().find(|u| u["chapter"] == index).unwrap()
}

/// The chapter list of an episode as the manifest, its chapters JSON and the player page give it.
fn check_lists(b: &Build, manifest: &Value, free: &[&str], full_titles: &[&str]) {
    let marks: Vec<String> = episode(manifest, "free")["marks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["level"] == 0)
        .map(|m| m["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(marks, free, "the free episode's chapter marks in the manifest");
    let json = read_json(&b.out().join("episode-free.chapters.json"));
    assert_eq!(titles(&json["chapters"]), free, "episode-free.chapters.json");
    let page = std::fs::read_to_string(b.out().join("index.html")).unwrap();
    let shown: Vec<&str> =
        page.split("<span class=\"title\">").skip(1).map(|rest| rest.split("</span>").next().unwrap()).collect();
    assert_eq!(shown, full_titles, "the player page's chapter list");
}

#[test]
fn chinese_continuation_is_titled_with_xu_and_still_reads_the_heading() {
    let b = Build::new().article_as("zh.txt", ZH).args(["--engine", "embedded", "--quiet"]);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = b.manifest();
    assert_eq!(titles(&manifest["chapters"]), ["标题", "一、方法", "一、方法", "一、方法（续）", "二、结论"]);
    let continuation = &manifest["chapters"][3];
    assert_eq!(continuation["kind"], "continuation");
    assert_eq!(continuation["file"], "03-free.wav");
    // Only the title changed: the continuation is heard starting with the heading as written.
    let first = first_utterance(&manifest, 3);
    assert_eq!((first["text"].as_str(), first["reread"].as_bool()), (Some("一、方法"), Some(true)));
    assert_eq!(first_utterance(&manifest, 1)["text"], "一、方法");

    check_lists(
        &b,
        &manifest,
        &["标题", "一、方法", "一、方法（续）", "二、结论"],
        &["标题", "一、方法", "一、方法", "一、方法（续）", "二、结论"],
    );
    // The transcript of the free episode still has the heading spoken twice.
    let vtt = std::fs::read_to_string(b.out().join("episode-free.vtt")).unwrap();
    assert_eq!(vtt.lines().filter(|l| *l == "一、方法").count(), 2, "{vtt}");

    // `seedaudio plan` lists the same titles.
    let plan = run(seedaudio().arg("plan").arg(b.article_path()));
    assert_eq!(plan.status, 0, "{}", plan.stderr);
    let rows: Vec<&str> = plan.stdout.lines().filter(|l| l.contains("一、方法")).collect();
    assert_eq!(rows.len(), 3, "{}", plan.stdout);
    assert!(rows[0].ends_with("  一、方法") && rows[1].starts_with("  2  PAID"), "{}", plan.stdout);
    assert!(rows[2].ends_with("  一、方法（续）"), "{}", plan.stdout);
}

#[test]
fn english_continuation_is_titled_continued_in_the_mp3_chapters_too() {
    let b = Build::new().article_as("en.md", EN).args([
        "--engine",
        "embedded",
        "--quiet",
        "--format",
        "mp3",
        "--base-url",
        "https://example.com/pod/",
    ]);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = b.manifest();
    assert_eq!(
        titles(&manifest["chapters"]),
        ["Listening Notes", "Methods", "Methods", "Methods (continued)", "Results"]
    );
    assert_eq!(manifest["chapters"][3]["kind"], "continuation");
    // The file is named after the heading, like the section's first chapter.
    assert_eq!(manifest["chapters"][1]["file"], "01-free-methods.mp3");
    assert_eq!(manifest["chapters"][3]["file"], "03-free-methods.mp3");
    let first = first_utterance(&manifest, 3);
    assert_eq!((first["text"].as_str(), first["reread"].as_bool()), (Some("Methods"), Some(true)));

    check_lists(
        &b,
        &manifest,
        &["Listening Notes", "Methods", "Methods (continued)", "Results"],
        &["Listening Notes", "Methods", "Methods", "Methods (continued)", "Results"],
    );
    // ID3 chapter frames of the free episode, and the continuation chapter's own title tag.
    let tag = id3::Tag::read_from_path(b.out().join("episode-free.mp3")).unwrap();
    let chap: Vec<String> = tag
        .chapters()
        .map(|c| c.frames.iter().find_map(|f| f.content().text()).unwrap_or_default().to_string())
        .collect();
    assert_eq!(chap, ["Listening Notes", "Methods", "Methods (continued)", "Results"]);
    let own = id3::Tag::read_from_path(b.out().join("03-free-methods.mp3")).unwrap();
    assert_eq!(own.title(), Some("Listening Notes — Methods (continued)"));
    // The public feed's show notes list the chapters by the same titles, and do not quote the
    // re-read heading as if it were text.
    let feed = std::fs::read_to_string(b.dir().join("feed-free.xml")).unwrap();
    assert!(feed.contains(" Methods<br>") && feed.contains(" Methods (continued)<br>"), "{feed}");
    assert!(feed.contains("An introduction. The free part of the methods. More of the methods, free again."), "{feed}");
}

// ---- encodings ----

const CP1252: &str =
    "Café Stories\n“Hello,” she said — it’s late, and the café is closing.\nThe naïve crème brûlée was sold out.\n";

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn encode(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text:?} fits {}", encoding.name());
    bytes.into_owned()
}

fn plan_spoken(path: &std::path::Path) -> Run {
    run(seedaudio().arg("plan").arg("--show-spoken").arg(path))
}

#[test]
fn windows_1252_english_reads_with_accents_and_curly_quotes_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "article.txt", &encode(encoding_rs::WINDOWS_1252, CP1252));
    let r = plan_spoken(&path);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("“Hello,” she said — it’s late, and the café is closing."), "{}", r.stdout);
    assert!(r.stdout.contains("The naïve crème brûlée was sold out."), "{}", r.stdout);
    assert!(r.stdout.starts_with("Café Stories\n"), "{}", r.stdout);
    let notes: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [format!(
            "note: {} is not UTF-8; read as windows-1252 (detected) — pass --encoding NAME to choose another",
            path.display()
        )]
    );

    // A build says so too, and the manifest names the encoding and holds the text as written.
    let b = Build::new().article_file(&path).args(["--engine", "embedded", "--quiet"]);
    let built = b.run();
    assert_eq!(built.status, 0, "{}", built.stderr);
    assert!(built.stderr.contains("read as windows-1252 (detected)"), "{}", built.stderr);
    let manifest = b.manifest();
    assert_eq!(manifest["article"]["encoding"], "windows-1252");
    assert_eq!(manifest["article"]["title"], "Café Stories");
    let texts: Vec<&str> = utterances(&manifest).iter().map(|u| u["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"“Hello,” she said — it’s late, and the café is closing."), "{texts:?}");

    // --encoding still decides when given: no note then.
    let named = run(seedaudio().arg("plan").arg(&path).args(["--encoding", "windows-1252"]));
    assert_eq!(named.status, 0, "{}", named.stderr);
    assert!(!named.stderr.contains("note:"), "{}", named.stderr);
}

#[test]
fn english_whose_only_accents_are_apostrophes_is_not_read_as_chinese() {
    // Every ’ (0x92) is followed by a letter, so the bytes are valid GB18030 too.
    let text = "Notes on Listening\nIt’s a lovely day. Don’t worry, we’re here and they’re coming.\n";
    let bytes = encode(encoding_rs::WINDOWS_1252, text);
    assert!(encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes).is_some());
    let dir = tempfile::tempdir().unwrap();
    let r = plan_spoken(&write(&dir, "apostrophes.txt", &bytes));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("It’s a lovely day. Don’t worry, we’re here and they’re coming."), "{}", r.stdout);
    assert!(r.stderr.contains("read as windows-1252 (detected)"), "{}", r.stderr);
}

#[test]
fn latin1_and_utf16_with_a_bom_read_right() {
    let dir = tempfile::tempdir().unwrap();
    let latin = "Résumé of the Café\nA « très bien » evening at 20 °C, naïve and déjà vu, for 5 £.\n";
    let bytes: Vec<u8> = latin.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    let r = plan_spoken(&write(&dir, "latin1.txt", &bytes));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("A « très bien » evening at 20 °C, naïve and déjà vu, for 5 £."), "{}", r.stdout);
    assert!(r.stderr.contains("read as windows-1252 (detected)"), "{}", r.stderr);

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(CP1252.encode_utf16().flat_map(u16::to_le_bytes));
    let r = plan_spoken(&write(&dir, "utf16.txt", &utf16));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("“Hello,” she said — it’s late, and the café is closing."), "{}", r.stdout);
    assert!(!r.stderr.contains("note:"), "a BOM says what it is: {}", r.stderr);
}

#[test]
fn gbk_chinese_still_reads_as_chinese() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in
        [("gbk.txt", ZH), ("short.txt", "中文\n"), ("mixed.txt", "Notes 笔记\nEnglish words and 中文 words.\n")]
    {
        let r = plan_spoken(&write(&dir, name, &encode(encoding_rs::GBK, text)));
        assert_eq!(r.status, 0, "{name}: {}", r.stderr);
        let first = text.lines().next().unwrap();
        assert!(r.stdout.starts_with(&format!("{first}\n")), "{name}: {}", r.stdout);
        assert!(!r.stderr.contains("note:"), "{name}: {}", r.stderr);
    }
    let r = plan_spoken(&dir.path().join("gbk.txt"));
    assert!(r.stdout.contains("方法的后续内容，人人可听。"), "{}", r.stdout);
}

#[test]
fn what_cannot_be_told_is_refused_with_the_encoding_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    // Too short: any Western or Central European encoding would do.
    let short = write(&dir, "short.txt", b"Caf\xE9 cr\xE8me\n");
    let r = plan_spoken(&short);
    assert_eq!(r.status, 1, "{}", r.stdout);
    assert!(r.stderr.contains("short.txt: the text is neither UTF-8 nor GB18030/GBK"), "{}", r.stderr);
    assert!(r.stderr.contains("too short to tell its encoding"), "{}", r.stderr);
    assert!(r.stderr.contains("--encoding windows-1252"), "{}", r.stderr);
    // … and reads when named.
    let named = run(seedaudio().args(["plan", "--show-spoken", "--encoding", "windows-1252"]).arg(&short));
    assert_eq!(named.status, 0, "{}", named.stderr);
    assert!(named.stdout.starts_with("Café crème\n"), "{}", named.stdout);

    // GBK with a damaged byte is never read as some Latin encoding.
    let mut damaged = encode(encoding_rs::GBK, &ZH.repeat(2));
    damaged.push(0xFF);
    let r = plan_spoken(&write(&dir, "damaged.txt", &damaged));
    assert_eq!(r.status, 1, "{}", r.stdout);
    assert!(r.stderr.contains("looks like Chinese in GB18030/GBK"), "{}", r.stderr);
    assert!(r.stderr.contains("--encoding NAME"), "{}", r.stderr);
}
