//! The player page in a real browser: headless Chromium driven through chromedriver by
//! `tests/browser/player_page.py` (standard-library Python, plain WebDriver HTTP calls).
//!
//! The test builds the Chinese example article with the binary, takes its full episode (or
//! joins its chapter WAVs into one when the build wrote none), writes the episode's WebVTT and `index.html` with the library, gives the
//! page an article title (and opening chapter and first cue) that carries script, and lets
//! the browser script check seeking, captions, the transcript highlight, the keyboard,
//! reduced motion, reflow and that no article text runs.
//!
//! Needs `chromium`, `chromedriver` and `python3`; skips with a note without them unless CI
//! is set.

mod common;

use std::path::Path;
use std::process::Command;

use seedaudio::manifest::Manifest;
use seedaudio::publish::player::{PlayerPage, player_page};
use seedaudio::publish::text::one_line;
use seedaudio::publish::track::{Track, TrackKind, episode_chapters, episode_track};
use seedaudio::publish::vtt::webvtt;
use serde_json::json;

const HOSTILE: &str =
    "<script>alert(1)</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

/// Joins the chapter files (16-bit mono, one rate) into one WAV.
fn join_wavs(dir: &Path, files: &[String], to: &Path) {
    let mut writer: Option<hound::WavWriter<_>> = None;
    for file in files {
        let mut reader = hound::WavReader::open(dir.join(file)).expect("a chapter WAV");
        let spec = reader.spec();
        let w = writer.get_or_insert_with(|| hound::WavWriter::create(to, spec).unwrap());
        for s in reader.samples::<i16>() {
            w.write_sample(s.unwrap()).unwrap();
        }
    }
    writer.expect("at least one chapter").finalize().unwrap();
}

/// The cue heard at `time`.
fn cue_at(track: &Track, time: f64) -> usize {
    track.cues.iter().position(|c| c.start <= time + 1e-6 && time < c.end).expect("a cue is heard there")
}

#[test]
fn player_page_works_in_headless_chromium() {
    if !(common::have("python3") && common::have("chromium") && common::have("chromedriver")) {
        return;
    }
    let (dir, _, _) = common::build(&common::article("zh-example.txt"), &[]);
    let out = common::out_dir(&dir);
    let manifest = Manifest::from_json(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let (_, all) = episode_chapters(&manifest);
    let mut track = episode_track(&manifest, TrackKind::EpisodeFull, &all, None);
    assert!(track.marks.iter().filter(|m| m.level == 0).count() >= 4, "the article needs four chapters");
    assert!(track.has_paid());

    // The full episode: the build's own when it wrote one, else the chapters joined here.
    let audio_file = match manifest.episodes.iter().find(|e| e.kind == "full") {
        Some(episode) => episode.file.clone(),
        None => {
            let files: Vec<String> = all.iter().map(|&i| manifest.chapters[i].file.clone().unwrap()).collect();
            join_wavs(&out, &files, &out.join("episode-full.wav"));
            "episode-full.wav".to_string()
        }
    };
    let reader = hound::WavReader::open(out.join(&audio_file)).expect("the episode is a WAV");
    let seconds = f64::from(reader.duration()) / f64::from(reader.spec().sample_rate);
    assert!((seconds - track.duration).abs() < 0.001, "episode {seconds} s, track {} s", track.duration);

    // The article's title carries script: as the page title, the opening chapter and the
    // first caption.
    let title = format!("{} {HOSTILE}", manifest.article.title);
    track.title = title.clone();
    track.marks[0].title = title.clone();
    track.cues[0].text = title.clone();

    std::fs::write(out.join("episode-full.vtt"), webvtt(&track)).unwrap();
    let page = PlayerPage {
        title: &title,
        language: "zh-CN",
        audio_file: &audio_file,
        audio_mime: "audio/wav",
        captions_file: "episode-full.vtt",
        track: &track,
    };
    std::fs::write(out.join("index.html"), player_page(&page)).unwrap();

    // The third chapter in the list (top level), the utterance heard at its start, and an
    // utterance near the end for the keyboard.
    let top: Vec<usize> = (0..track.marks.len()).filter(|&i| track.marks[i].level == 0).collect();
    let third = top[2];
    let third_start = track.marks[third].start;
    let third_cue = cue_at(&track, third_start);
    let key_cue = track.cues.len() - 2;
    let expect = json!({
        "dir": out,
        "title": title,
        "lang": "zh-CN",
        "duration": track.duration,
        "marks": track.marks.len(),
        "cues": track.cues.iter().map(|c| one_line(&c.text)).collect::<Vec<_>>(),
        "cue_starts": track.cues.iter().map(|c| c.start).collect::<Vec<_>>(),
        "cue_data": track.cues.iter().map(|c| json!({"id": c.id, "start": c.start, "end": c.end, "text": one_line(&c.text)})).collect::<Vec<_>>(),
        "third": {
            "mark": third,
            "title": track.marks[third].title,
            "start": third_start,
            "cue": third_cue,
            "cue_text": one_line(&track.cues[third_cue].text),
        },
        "keyboard": { "cue": key_cue, "start": track.cues[key_cue].start },
    });
    let expect_path = dir.path().join("expect.json");
    std::fs::write(&expect_path, serde_json::to_string_pretty(&expect).unwrap()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/player_page.py");
    let run = Command::new("python3").arg(script).arg(&expect_path).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(run.status.success(), "browser checks failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"));
}
