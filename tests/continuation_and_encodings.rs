//! Issue 14, item 7, through the binary: a section's free text after a paid block is titled as
//! a continuation everywhere a chapter title shows, while its audio still starts with the
//! heading.

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
    let b = Build::new().article_as("en.md", EN).args(["--engine", "embedded", "--quiet", "--format", "mp3"]);
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
}
