//! `seedaudio build` with the offline voice: both engines, real audio, checked by measurement.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn embedded_engine_writes_the_chapters_of_the_chinese_example() {
    let (built, manifest, _) = build(&article("zh-example.txt"), &["--engine", "embedded", "--quiet"]);
    let out = built.out();
    assert!(manifest["voice"]["engine"].as_str().unwrap().contains("built-in"), "{}", manifest["voice"]);
    assert_eq!(manifest["voice"]["preset"], "zh-espeak");
    let titles: Vec<(&str, bool, &str)> = chapters(&manifest)
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["paid"].as_bool().unwrap(), c["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        titles,
        vec![
            ("把文章变成声音：写给播客作者的一封信", false, "00-opening.wav"),
            ("一、先把结构理清楚", false, "01-free.wav"),
            ("二、免费和付费的部分", false, "02-free.wav"),
            ("二、免费和付费的部分", true, "03-paid.wav"),
            ("三、发布之前检查一遍（续）", false, "04-free.wav"),
        ]
    );
    let paid = &chapters(&manifest)[3];
    let markers: Vec<&str> = paid["markers"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap()).collect();
    assert_eq!(markers, vec!["三、发布之前检查一遍"]);
    assert!(paid["markers"][0]["start"].as_f64().unwrap() > 5.0);
    let paid_texts: Vec<&str> =
        utterances(&manifest).iter().filter(|u| u["chapter"] == 3).map(|u| u["text"].as_str().unwrap()).collect();
    assert_eq!(paid_texts[0], "二、免费和付费的部分");
    assert!(paid_texts[1].starts_with("付费的部分才是真正的干货"));
    assert_eq!(
        *paid_texts.last().unwrap(),
        "检查每一章的声音是否完整，是否有漏读或者重复的句子。确认付费章节只出现在完整版里。"
    );
    check_chapters(&out, &manifest);
    // Nothing half-written is left behind (the folder's lock stays; it is no output).
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with('.') || n == ".seedaudio.lock"), "{names:?}");
}

#[test]
#[ignore = "needs espeak-ng: apt-get install espeak-ng"]
fn system_engine_is_used_when_installed_and_speaks_mandarin() {
    need("espeak-ng");
    let (built, manifest, _) = build(&article("zh-example.txt"), &["--quiet"]);
    assert!(manifest["voice"]["engine"].as_str().unwrap().contains("(system)"), "{}", manifest["voice"]);
    check_chapters(&built.out(), &manifest);

    // The preset's voice gives Mandarin phonemes for Chinese characters, not English ones
    // (espeak-ng 1.51's plain `cmn` voice switches to English for them).
    let voice = manifest["voice"]["voice"].as_str().unwrap();
    let phonemes = run(std::process::Command::new("espeak-ng").args(["-q", "-x", "-v", voice, "你好"])).stdout;
    assert!(!phonemes.contains("(en)"), "{voice}: {phonemes}");
    assert!(phonemes.contains("n'i") && phonemes.contains("214"), "{voice}: {phonemes}");
}

#[test]
fn without_espeak_ng_on_path_the_built_in_engine_speaks() {
    let empty = tempfile::tempdir().unwrap();
    let b = Build::new().article_file(article("zh-example.txt")).env("PATH", empty.path());
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("smoother offline audio").count(), 1, "says it once:\n{}", r.stderr);
    let manifest = b.manifest();
    assert!(manifest["voice"]["engine"].as_str().unwrap().contains("built-in"));
    assert_eq!(chapters(&manifest).len(), 5);
    check_chapters(&b.out(), &manifest);
    assert!(r.stderr.contains("wrote 5 chapters"), "{}", r.stderr);
}

#[test]
fn english_markdown_gets_the_english_voice() {
    let (built, manifest, _) = build(&article("en-example.md"), &["--engine", "embedded", "--quiet"]);
    assert_eq!(manifest["voice"]["preset"], "en-espeak");
    assert_eq!(manifest["article"]["title"], "Listening Is Reading Too");
    check_chapters(&built.out(), &manifest);
}

#[test]
fn manifest_text_is_the_article_text_for_every_sample() {
    for path in all_articles() {
        let (_dir, manifest, _) = build(&path, &["--engine", "embedded", "--quiet"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(utterances_squashed(&manifest), article_text_squashed(&text), "{}", path.display());
        for u in utterances(&manifest) {
            assert!(!u["text"].as_str().unwrap().contains("##"), "{}: {}", path.display(), u["text"]);
        }
    }
}

#[test]
fn plan_lists_the_chapters_build_writes() {
    for name in ["zh-example.txt", "zh-two-paid.txt"] {
        let plan = run(seedaudio().args(["plan", "--json", article(name).to_str().unwrap()]));
        assert_eq!(plan.status, 0, "{}", plan.stderr);
        let plan: Value = serde_json::from_str(&plan.stdout).unwrap();
        let (_dir, manifest, _) = build(&article(name), &["--engine", "embedded", "--quiet"]);
        let from_plan: Vec<(Value, Value, Value)> = plan["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["title"].clone(), c["paid"].clone(), c["file"].clone()))
            .collect();
        let from_build: Vec<(Value, Value, Value)> =
            chapters(&manifest).iter().map(|c| (c["title"].clone(), c["paid"].clone(), c["file"].clone())).collect();
        assert_eq!(from_plan, from_build, "{name}");
    }
}

#[test]
fn a_second_build_replaces_files_atomically_and_drops_stale_chapters() {
    let b = Build::new().article_file(article("zh-two-paid.txt")).args(["--quiet", "--engine", "embedded"]);
    let out = b.out();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("09-paid-old.wav"), b"stale").unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!out.join("09-paid-old.wav").exists());
    assert!(out.join("notes.txt").exists(), "files that are not ours stay");
    assert_eq!(chapters(&b.manifest()).len(), 7);
}

#[test]
fn stale_chapters_numbered_past_99_are_removed_too() {
    // An earlier build of a longer article left chapter 100 and beyond.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let stale = ["100-free.wav", "100-free.vtt", "100-free.srt", "1234-paid-last-words.mp3"];
    let mine = ["100-notes.txt", "notes.wav", "100-free.txt"];
    for name in stale.iter().chain(&mine) {
        std::fs::write(out.join(name), b"old").unwrap();
    }
    let r = run(seedaudio()
        .args(["build", "--quiet", "--engine", "embedded", "--out"])
        .arg(&out)
        .arg(article("zh-two-paid.txt")));
    assert_eq!(r.status, 0, "{}", r.stderr);
    for name in stale {
        assert!(!out.join(name).exists(), "{name} is left from an earlier build");
    }
    for name in mine {
        assert!(out.join(name).exists(), "{name} is not a build file and stays");
    }
}

#[test]
fn sample_rate_flag_changes_the_output_rate() {
    let (built, manifest, _) =
        build(&article("zh-two-paid.txt"), &["--engine", "embedded", "--quiet", "--sample-rate", "24000"]);
    let first = built.out().join(chapters(&manifest)[0]["file"].as_str().unwrap());
    assert_eq!(hound::WavReader::open(first).unwrap().spec().sample_rate, 24_000);
    assert_eq!(manifest["audio"]["sample_rate"], 24_000);
}

#[test]
#[ignore = "needs sox: apt-get install sox"]
fn sox_reads_the_chapters() {
    need("sox");
    let (built, manifest, _) = build(&article("zh-two-paid.txt"), &["--engine", "embedded", "--quiet"]);
    for chapter in chapters(&manifest) {
        let file = built.out().join(chapter["file"].as_str().unwrap());
        let info = |flag: &str| {
            run(std::process::Command::new("sox").args(["--i", flag]).arg(&file)).stdout.trim().to_string()
        };
        assert_eq!(info("-r"), "44100");
        assert_eq!(info("-c"), "1");
        assert_eq!(info("-b"), "16");
        let seconds: f64 = info("-D").parse().unwrap();
        assert!((seconds - chapter["duration"].as_f64().unwrap()).abs() < 0.010);
    }
}
