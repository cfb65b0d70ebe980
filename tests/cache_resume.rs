//! Never lose work: the utterance cache, resuming after `kill -9` and Ctrl-C, incremental
//! rebuilds, partial failure and the fallback voice.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::conformance::{asked_texts, audio_for_text, walk};
use common::server::{Reply, Server};
use common::*;
use serde_json::Value;

struct Setup {
    dir: tempfile::TempDir,
    preset: PathBuf,
}

impl Setup {
    fn new(server: &Server, extra: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let preset = dir.path().join("slow.toml");
        std::fs::write(
            &preset,
            format!("kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\n{extra}\n[network]\ntimeout_s=5\nbackoff_ms=20\nmax_attempts=2\n", server.url),
        )
        .unwrap();
        Setup { dir, preset }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn command(&self, article: &Path, out: &str) -> std::process::Command {
        let mut cmd = seedaudio();
        cmd.arg("build")
            .arg(article)
            .arg("--voice")
            .arg(&self.preset)
            .arg("--out")
            .arg(self.dir.path().join(out))
            .arg("--cache-dir")
            .arg(self.cache())
            .args(["--jobs", "2"]);
        cmd
    }

    fn entries(&self) -> usize {
        walk(&self.cache()).iter().filter(|p| p.extension().is_some_and(|e| e == "entry")).count()
    }
}

fn distinct_spoken(manifest: &Value) -> BTreeSet<String> {
    utterances(manifest)
        .iter()
        .filter(|u| u["spoken"] == true)
        .map(|u| u["text"].as_str().unwrap().to_string())
        .collect()
}

fn samples(path: &Path) -> Vec<i16> {
    hound::WavReader::open(path).unwrap().samples::<i16>().map(Result::unwrap).collect()
}

/// Every WAV under its final name is complete: its header agrees with its size.
fn assert_no_half_written_file(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".wav") {
            let reader = hound::WavReader::open(&path).unwrap();
            let expected = 44 + u64::from(reader.duration()) * 2;
            let len = std::fs::metadata(&path).unwrap().len();
            if name.starts_with("episode-") {
                // Cue points and their titles follow the samples.
                assert!(len > expected, "{name} is half-written");
            } else {
                assert_eq!(len, expected, "{name} is half-written");
            }
        } else if name.ends_with(".json") {
            serde_json::from_str::<Value>(&std::fs::read_to_string(&path).unwrap()).unwrap();
        } else if [".vtt", ".srt", ".html"].iter().any(|e| name.ends_with(e)) {
            assert!(std::fs::metadata(&path).unwrap().len() > 0, "{name} is empty");
        } else if name != ".seedaudio.lock" {
            // The output folder's lock stays; it is no output.
            assert!(name.starts_with('.') && name.ends_with(".partial"), "unexpected file {name}");
        }
    }
}

/// The long reference article when it sits beside this checkout (`../shared`, not part of this
/// repository), else the Chinese example.
fn reference_or_example() -> PathBuf {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/articles/five-awareness.txt");
    if reference.exists() { reference } else { article("zh-example.txt") }
}

/// Kills the build with SIGKILL once the server has been asked `requests` times.
fn kill_once_asked(mut child: std::process::Child, server: &Server, requests: usize) {
    let started = Instant::now();
    while server.requests().len() < requests {
        assert!(started.elapsed() < Duration::from_secs(60), "the build never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

#[test]
fn a_build_killed_with_sigkill_resumes_where_it_stopped() {
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(200)));
    let setup = Setup::new(&server, "");
    let article = reference_or_example();
    let child = setup.command(&article, "out").arg("--quiet").spawn().unwrap();
    kill_once_asked(child, &server, 6);
    let out = setup.dir.path().join("out");
    assert_no_half_written_file(&out);
    let cached = setup.entries();
    assert!(cached >= 3, "{cached} entries cached before the kill");
    let before = server.requests().len();

    let r = run(setup.command(&article, "out").arg("--quiet"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = read_json(&out.join("manifest.json"));
    let distinct = distinct_spoken(&manifest);
    assert_eq!(server.requests().len() - before, distinct.len() - cached, "the rerun asks only for what is missing");
    assert_eq!(
        manifest["counts"]["cached"].as_u64().unwrap() as usize,
        utterances(&manifest).iter().filter(|u| u["source"] == "cached").count()
    );
    assert!(manifest["counts"]["cached"].as_u64().unwrap() as usize >= cached);

    // The same chapters, sample for sample, as a build that was never interrupted.
    let fresh = Setup::new(&server, "");
    let r = run(fresh.command(&article, "clean").arg("--quiet"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    for chapter in chapters(&manifest) {
        let file = chapter["file"].as_str().unwrap();
        assert!(samples(&out.join(file)) == samples(&fresh.dir.path().join("clean").join(file)), "{file} differs");
    }
}

#[test]
fn ctrl_c_stops_saves_and_says_how_to_resume() {
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(300)));
    let setup = Setup::new(&server, "");
    let child = setup.command(&article("zh-example.txt"), "out").stderr(std::process::Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while server.requests().len() < 3 {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
    }
    let interrupted = Instant::now();
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(interrupted.elapsed() < Duration::from_secs(2), "stops promptly");
    assert_eq!(output.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("utterances are saved in the cache") && stderr.contains("run the same command again"),
        "{stderr}"
    );
    assert_no_half_written_file(&setup.dir.path().join("out"));
    let partials =
        walk(&setup.dir.path().join("out")).into_iter().filter(|p| p.to_string_lossy().ends_with(".partial")).count();
    assert_eq!(partials, 0, "partial chapters are cleaned up");
}

#[test]
fn changing_one_paragraph_resynthesizes_only_that_paragraph() {
    let server = Server::start(|req, _| audio_for_text(req));
    let setup = Setup::new(&server, "");
    let original = article("zh-example.txt");
    let r = run(setup.command(&original, "out").arg("--quiet"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let first = server.requests().len();

    let edited = setup.dir.path().join("zh-example.txt");
    let text = std::fs::read_to_string(&original).unwrap();
    let old = "检查每一章的声音是否完整，是否有漏读或者重复的句子。确认付费章节只出现在完整版里。";
    let new = "检查每一章的声音是否完整。确认付费章节只出现在完整版里，免费版里没有。";
    assert!(text.contains(old));
    std::fs::write(&edited, text.replace(old, new)).unwrap();
    let r = run(&mut setup.command(&edited, "out"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(asked_texts(&server)[first..], [new.to_string()]);
    assert!(r.stderr.contains("1 synthesized, 17 cached"), "{}", r.stderr);
    let manifest = read_json(&setup.dir.path().join("out/manifest.json"));
    assert_eq!(manifest["counts"]["synthesized"], 1);
    assert_eq!(manifest["counts"]["cached"], 17);
}

#[test]
fn two_builds_sharing_a_paragraph_and_a_cache_run_at_once() {
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(100)));
    let setup = Setup::new(&server, "");
    let shared = "两篇文章共有的一段话，只需要合成一次。";
    let a = setup.dir.path().join("a.txt");
    let b = setup.dir.path().join("b.txt");
    std::fs::write(&a, format!("甲文\n{shared}\n甲文独有的段落。\n")).unwrap();
    std::fs::write(&b, format!("乙文\n乙文独有的段落。\n{shared}\n")).unwrap();
    let mut one = setup.command(&a, "a").arg("--quiet").spawn().unwrap();
    let mut two = setup.command(&b, "b").arg("--quiet").spawn().unwrap();
    assert!(one.wait().unwrap().success());
    assert!(two.wait().unwrap().success());
    let asked = asked_texts(&server).iter().filter(|t| *t == shared).count();
    assert!((1..=2).contains(&asked), "{asked}");
    assert_eq!(setup.entries(), 5, "one entry per distinct text");
    for out in ["a", "b"] {
        assert_no_half_written_file(&setup.dir.path().join(out));
    }
}

#[test]
fn a_permanent_failure_leaves_a_listed_gap_and_no_holey_chapter() {
    let bad = "付费的部分才是真正的干货：具体的方法、完整的案例和作者的经验。";
    let server = Server::start(move |req, _| {
        if req.json()["input"] == bad {
            Reply::json(400, serde_json::json!({"error": {"message": "This text is not allowed."}}))
        } else {
            audio_for_text(req)
        }
    });
    let setup = Setup::new(&server, "");
    let r = run(setup.command(&article("zh-example.txt"), "out").arg("--quiet"));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("1 of 18 utterances failed, so 1 chapter(s) were not written"), "{}", r.stderr);
    assert!(r.stderr.contains("chapter 3 \"二、免费和付费的部分\", paragraph 8"), "{}", r.stderr);
    assert!(r.stderr.contains("This text is not allowed."), "{}", r.stderr);
    let out = setup.dir.path().join("out");
    let manifest = read_json(&out.join("manifest.json"));
    let files: Vec<&Value> = chapters(&manifest).iter().map(|c| &c["file"]).collect();
    assert_eq!(files[3], &Value::Null);
    assert!(!out.join("03-paid.wav").exists());
    for f in ["00-opening.wav", "01-free.wav", "02-free.wav", "04-free.wav"] {
        assert!(out.join(f).exists(), "{f}");
    }
    assert_eq!(manifest["failures"][0]["chapter"], 3);
    assert_no_half_written_file(&out);

    // A rerun asks only for the failed utterance.
    let before = server.requests().len();
    let r = run(setup.command(&article("zh-example.txt"), "out").arg("--quiet"));
    assert_eq!(r.status, 1);
    assert_eq!(asked_texts(&server)[before..], [bad.to_string()]);

    // With a fallback voice the build succeeds and says what was substituted.
    let with_fallback = Setup::new(&server, "fallback = 'zh-espeak'");
    let r = run(with_fallback.command(&article("zh-example.txt"), "out").args(["--engine", "embedded"]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 read by the fallback voice"), "{}", r.stderr);
    let manifest = read_json(&with_fallback.dir.path().join("out/manifest.json"));
    let substituted: Vec<&Value> = utterances(&manifest).iter().filter(|u| u["source"] == "fallback").collect();
    assert_eq!(substituted.len(), 1);
    assert_eq!(substituted[0]["text"], bad);
    assert_eq!(substituted[0]["backend"], "espeak");
    assert!(substituted[0]["substituted_because"].as_str().unwrap().contains("not allowed"));
    assert_eq!(manifest["counts"]["substituted"], 1);
    check_chapters(&with_fallback.dir.path().join("out"), &manifest);
}

#[test]
fn a_truncated_cache_entry_is_discarded_and_synthesized_again() {
    let server = Server::start(|req, _| audio_for_text(req));
    let setup = Setup::new(&server, "");
    let a = article("zh-two-paid.txt");
    assert_eq!(run(setup.command(&a, "out").arg("--quiet")).status, 0);
    let first = server.requests().len();
    let entry = walk(&setup.cache()).into_iter().find(|p| p.extension().is_some_and(|e| e == "entry")).unwrap();
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
    // The output folder is up to date; --force reads the cache again.
    let r = run(setup.command(&a, "out").arg("--force"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("was damaged") && r.stderr.contains("synthesizing again"), "{}", r.stderr);
    assert_eq!(server.requests().len(), first + 1);
    assert_eq!(std::fs::read(&entry).unwrap().len(), bytes.len(), "the entry is whole again");
}

#[test]
fn no_cache_and_refresh() {
    let server = Server::start(|req, _| audio_for_text(req));
    let setup = Setup::new(&server, "");
    let a = article("zh-two-paid.txt");
    assert_eq!(run(setup.command(&a, "out").arg("--quiet")).status, 0);
    let n = server.requests().len();
    assert_eq!(run(setup.command(&a, "out").arg("--quiet")).status, 0);
    assert_eq!(server.requests().len(), n, "all cached");
    assert_eq!(run(setup.command(&a, "out").args(["--quiet", "--refresh"])).status, 0);
    assert!(server.requests().len() >= 2 * n, "refresh asks again");
    let entries = setup.entries();
    assert_eq!(run(setup.command(&a, "fresh").args(["--quiet", "--no-cache"])).status, 0);
    assert!(server.requests().len() >= 3 * n);
    assert_eq!(setup.entries(), entries);
}

#[test]
fn cache_stats_and_prune() {
    let server = Server::start(|req, _| audio_for_text(req));
    let setup = Setup::new(&server, "");
    assert_eq!(run(setup.command(&article("zh-two-paid.txt"), "out").arg("--quiet")).status, 0);
    let stats = run(seedaudio().args(["cache", "stats", "--cache-dir"]).arg(setup.cache()));
    assert_eq!(stats.status, 0, "{}", stats.stderr);
    assert!(stats.stdout.contains(": 10 entries"), "{}", stats.stdout);
    assert!(stats.stdout.contains("openai") && stats.stdout.contains("      10 entries"), "{}", stats.stdout);
    let kept = run(seedaudio().args(["cache", "prune", "--older-than", "30d", "--cache-dir"]).arg(setup.cache()));
    assert!(kept.stdout.contains("removed 0 entries"), "{}", kept.stdout);
    let pruned = run(seedaudio().args(["cache", "prune", "--max-size", "0", "--cache-dir"]).arg(setup.cache()));
    assert!(pruned.stdout.contains("removed 10 entries"), "{}", pruned.stdout);
    assert_eq!(setup.entries(), 0);
    let bad = run(seedaudio().args(["cache", "prune", "--older-than", "soon"]));
    assert_eq!(bad.status, 1);
    assert!(bad.stderr.contains("--older-than \"soon\""), "{}", bad.stderr);
}

/// A small EPUB 3 book: three chapters of distinct paragraphs, the last paid, written with
/// the zip crate (the `mimetype` entry first and stored).
fn book(dir: &Path) -> PathBuf {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let chapter = |n: &str, paid: bool| {
        let paras: String =
            (1..=4).map(|p| format!("<p>第{n}章第{p}段，这一段的内容和别的段落都不一样。</p>")).collect();
        let (begin, end) = if paid { ("<p>##paidbegin##</p>", "<p>##paidend##</p>") } else { ("", "") };
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body><h1>第{n}章</h1>{begin}{paras}{end}</body></html>"#
        )
    };
    let nav = r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title/></head><body><nav epub:type="toc"><ol><li><a href="c1.xhtml">第一章</a></li><li><a href="c2.xhtml">第二章</a></li><li><a href="c3.xhtml">第三章</a></li></ol></nav></body></html>"#;
    let opf = r#"<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:resume</dc:identifier><dc:title>续读之书</dc:title><dc:language>zh</dc:language></metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/><item id="c3" href="c3.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/></spine></package>"#;
    let container = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("mimetype", SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored))
        .unwrap();
    zip.write_all(b"application/epub+zip").unwrap();
    let docs = [
        ("META-INF/container.xml", container.to_string()),
        ("content.opf", opf.to_string()),
        ("nav.xhtml", nav.to_string()),
        ("c1.xhtml", chapter("一", false)),
        ("c2.xhtml", chapter("二", false)),
        ("c3.xhtml", chapter("三", true)),
    ];
    for (name, text) in docs {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let path = dir.join("book.epub");
    std::fs::write(&path, zip.finish().unwrap().into_inner()).unwrap();
    path
}

#[test]
fn a_book_killed_with_sigkill_resumes_into_its_audiobook() {
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(200)));
    let setup = Setup::new(&server, "");
    let book = book(setup.dir.path());
    let child = setup.command(&book, "out").args(["--format", "m4b", "--quiet"]).spawn().unwrap();
    kill_once_asked(child, &server, 6);
    let out = setup.dir.path().join("out");
    assert_no_half_written_file(&out);
    let cached = setup.entries();
    assert!(cached >= 3, "{cached} entries cached before the kill");
    let asked_before: BTreeSet<String> = asked_texts(&server).into_iter().collect();
    let before = server.requests().len();

    let r = run(setup.command(&book, "out").args(["--format", "m4b", "--quiet"]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = read_json(&out.join("manifest.json"));
    let distinct = distinct_spoken(&manifest);
    let asked_after = &asked_texts(&server)[before..];
    assert_eq!(asked_after.len(), distinct.len() - cached, "the rerun asks only for what is missing");
    let again: Vec<&String> = asked_after.iter().filter(|t| asked_before.contains(*t)).collect();
    assert!(again.len() <= 2, "asked again for more than the two in flight at the kill: {again:?}");
    assert_eq!(manifest["article"]["title"], "续读之书");
    let titles: Vec<&str> = chapters(&manifest).iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["第一章", "第二章", "第三章"]);
    for name in ["episode-full.m4b", "episode-free.m4b"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(&bytes[4..12], b"ftypM4B ", "{name} is an M4B");
    }
}
