//! The player page in a real browser: headless Chromium driven through chromedriver by
//! `tests/browser/player_page.py` (standard-library Python, plain WebDriver HTTP calls).
//!
//! The test builds the Chinese example article, its title changed to carry script, with the
//! binary, and opens the build's own `index.html` (full episode, WebVTT captions): the browser
//! script checks seeking, captions, the transcript highlight, the keyboard, reduced motion,
//! reflow and that no article text runs.
//!
//! Needs `chromium`, `chromedriver` and `python3`, so it is ignored by default; asked for
//! (`--include-ignored`), it fails without them.

mod common;

use std::path::Path;
use std::process::Command;

use seedaudio::publish::manifest::Manifest;
use seedaudio::publish::player::{PlayerPage, player_page};
use seedaudio::publish::text::one_line;
use seedaudio::publish::track::{Track, TrackKind, episode_chapters, episode_track};
use seedaudio::publish::vtt::webvtt;
use serde_json::json;

const HOSTILE: &str =
    "<script>alert(1)</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

/// The cue heard at `time`.
fn cue_at(track: &Track, time: f64) -> usize {
    track.cues.iter().position(|c| c.start <= time + 1e-6 && time < c.end).expect("a cue is heard there")
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver"]
fn player_page_works_in_headless_chromium() {
    for program in ["python3", "chromium", "chromedriver"] {
        common::need(program);
    }
    // The article's title carries script: it becomes the page title, the opening chapter
    // and the first caption of the build's own index.html.
    let source = std::fs::read_to_string(common::article("zh-example.txt")).unwrap();
    let (first, rest) = source.split_once('\n').unwrap();
    let title = format!("{first} {HOSTILE}");
    let src_dir = tempfile::tempdir().unwrap();
    let article = src_dir.path().join("hostile-title.txt");
    // Tags in an article are markup and dropped; entities are text, so this is how a title
    // that shows `<script>` is written.
    let encoded = HOSTILE.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    std::fs::write(&article, format!("{first} {encoded}\n{rest}")).unwrap();
    let (built, _, _) = common::build(&article, &[]);
    let out = built.out();
    let manifest = Manifest::from_json(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.article.title, title);
    let (_, all) = episode_chapters(&manifest);
    let track = episode_track(&manifest, TrackKind::EpisodeFull, &all, None);
    assert!(track.marks.iter().filter(|m| m.level == 0).count() >= 4, "the article needs four chapters");
    assert!(track.has_paid());
    assert_eq!(track.marks[0].title, title);
    assert!(track.cues[0].text.contains(HOSTILE));

    // The build's own full episode, captions and page.
    let episode = manifest.episodes.iter().find(|e| e.kind == "full").expect("a full episode");
    let audio_file = episode.file.clone();
    let reader = hound::WavReader::open(out.join(&audio_file)).expect("the episode is a WAV");
    let seconds = f64::from(reader.duration()) / f64::from(reader.spec().sample_rate);
    assert!((seconds - track.duration).abs() < 0.001, "episode {seconds} s, track {} s", track.duration);
    assert_eq!(std::fs::read_to_string(out.join("episode-full.vtt")).unwrap(), webvtt(&track));
    let page = PlayerPage {
        title: &title,
        language: &manifest.voice.language,
        audio_file: &audio_file,
        audio_mime: "audio/wav",
        captions_file: "episode-full.vtt",
        track: &track,
    };
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        player_page(&page),
        "the build wrote the page"
    );

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
        "lang": manifest.voice.language,
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
    let expect_path = built.dir().join("expect.json");
    std::fs::write(&expect_path, serde_json::to_string_pretty(&expect).unwrap()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/player_page.py");
    let run = Command::new("python3").arg(script).arg(&expect_path).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(run.status.success(), "browser checks failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"));
}
