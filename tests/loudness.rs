//! Loudness: episodes (chapter files played in order) measure at the target with true peaks
//! under -1 dBTP as an independent meter (ffmpeg's ebur128 filter) reads them, a loud and a
//! quiet paragraph come out alike, and the manifest records what was measured.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

/// The chapter files of a build in reading order, as written.
fn chapter_files(out: &Path, manifest: &Value) -> Vec<PathBuf> {
    chapters(manifest).iter().map(|c| out.join(c["file"].as_str().expect("every chapter written"))).collect()
}

fn read_wav(path: &Path) -> (u32, Vec<i16>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let rate = reader.spec().sample_rate;
    (rate, reader.samples::<i16>().map(Result::unwrap).collect())
}

/// The chapter files joined end to end into one WAV: an episode, as a listener hears them in order.
fn concatenate(files: &[PathBuf], into: &Path) -> (u32, Vec<i16>) {
    let mut all = Vec::new();
    let mut rate = 0;
    for f in files {
        let (r, samples) = read_wav(f);
        rate = r;
        all.extend(samples);
    }
    let spec =
        hound::WavSpec { channels: 1, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(into, spec).unwrap();
    for &s in &all {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    (rate, all)
}

/// Integrated loudness of 16-bit samples with the ebur128 crate.
fn lufs(samples: &[i16], rate: u32) -> f64 {
    let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::I).unwrap();
    m.add_frames_i16(samples).unwrap();
    m.loudness_global().unwrap()
}

/// The samples of one utterance, cut from its chapter file at the manifest's times.
fn utterance_audio(out: &Path, manifest: &Value, utterance: &Value) -> (u32, Vec<i16>) {
    let chapter = chapters(manifest).iter().find(|c| c["index"] == utterance["chapter"]).unwrap();
    let (rate, samples) = read_wav(&out.join(chapter["file"].as_str().unwrap()));
    let at = |key: &str| (utterance[key].as_f64().unwrap() * f64::from(rate)).round() as usize;
    (rate, samples[at("start")..at("end").min(samples.len())].to_vec())
}

#[test]
fn the_zh_example_as_one_episode_is_at_minus_16_lufs_under_minus_1_dbtp() {
    let (b, manifest, _) = build(&article("zh-example.txt"), &["--quiet"]);
    let out = b.out();

    assert_eq!(manifest["loudness"]["target_lufs"], -16.0);
    assert_eq!(manifest["loudness"]["ceiling_dbtp"], -1.5);
    assert!(manifest["loudness"]["policy"].as_str().unwrap().contains("true-peak limiter"));
    for c in chapters(&manifest) {
        let l = c["loudness_lufs"].as_f64().unwrap_or_else(|| panic!("no loudness: {c}"));
        let peak = c["true_peak_dbtp"].as_f64().unwrap_or_else(|| panic!("no true peak: {c}"));
        assert!((l - -16.0).abs() <= 0.5, "chapter {}: {l} LUFS", c["index"]);
        assert!(peak <= -1.5 && peak > -6.0, "chapter {}: {peak} dBTP", c["index"]);
        // The recorded loudness is the file's, as another meter reads it.
        let (rate, samples) = read_wav(&out.join(c["file"].as_str().unwrap()));
        let measured = lufs(&samples, rate);
        assert!((measured - l).abs() < 0.05, "chapter {}: manifest {l}, file {measured}", c["index"]);
    }
    for u in utterances(&manifest).iter().filter(|u| u["spoken"].as_bool().unwrap()) {
        let gain = u["gain_db"].as_f64().unwrap_or_else(|| panic!("no gain: {u}"));
        assert!((-24.0..=30.0).contains(&gain), "{u}");
    }

    let episode = b.dir().join("episode.wav");
    let (rate, samples) = concatenate(&chapter_files(&out, &manifest), &episode);
    let ours = lufs(&samples, rate);
    assert!((ours - -16.0).abs() <= 0.5, "the episode measures {ours} LUFS with ebur128");
    if cross_check("ffmpeg") {
        let (i, peak) = ffmpeg_ebur128(&episode);
        eprintln!("zh-example episode, ffmpeg ebur128: I = {i} LUFS, true peak = {peak} dBTP");
        assert!((i - -16.0).abs() <= 1.0, "ffmpeg reads {i} LUFS");
        assert!(peak <= -1.0, "ffmpeg reads a true peak of {peak} dBTP");
    }
}

/// A speech program standing in for a voice whose level depends on the text, 60 ms a
/// character, under a 4 Hz tremolo like syllables: "LOUD" is shouted noise peaking near full
/// scale (about -17 LUFS, its peaks 17 dB above its loudness: at -16 LUFS they would pass
/// 0 dBTP, so the limiter has work); "quiet" is a vowel-like chord peaking at -35 dBFS (about
/// -44 LUFS); anything else the chord at -12 dBFS.
const LEVELED_VOICE: &str = r#"text=$(cat)
seconds=$(( (${#text} * 6 + 99) / 100 ))
case "$text" in
  *LOUD*) exec sox -R -n -r 22050 -b 16 -c 1 -t wav - synth "$seconds" pinknoise tremolo 4 90 gain -n vol 0.95 ;;
  *quiet*) vol=0.0178 ;;
  *) vol=0.25 ;;
esac
exec sox -R -n -r 22050 -b 16 -c 1 -t wav - synth "$seconds" sine 180 sine 360 sine 900 remix - tremolo 4 90 gain -n vol "$vol"
"#;

fn leveled_voice(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let program = dir.join("levels-tts");
    std::fs::write(&program, format!("#!/bin/sh\n{LEVELED_VOICE}")).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let preset = dir.join("levels.toml");
    std::fs::write(
        &preset,
        format!(
            "kind = 'command'\nlanguage = 'en'\nvoice = 'en'\nmax_chars = 400\n\n[command]\nprogram = '{}'\ntimeout_s = 30\n",
            program.display()
        ),
    )
    .unwrap();
    preset
}

const LOUD_AND_QUIET: &str = "Loud and quiet\n\n\
LOUD: this paragraph is shouted by the voice, as close to full scale as it can get, for a good while.\n\n\
quiet: this paragraph is whispered by the same voice, thirty five decibels further down, for as long.\n";

/// Builds [`LOUD_AND_QUIET`] with the [`leveled_voice`]; the build must succeed.
fn build_loud_and_quiet(extra: &[&str]) -> (Build, Value) {
    let b = Build::new();
    let voice = leveled_voice(b.dir());
    let b =
        b.article_as("loud-and-quiet.txt", LOUD_AND_QUIET).voice(voice).args(["--quiet", "--jobs", "2"]).args(extra);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = b.manifest();
    (b, manifest)
}

fn paragraph<'a>(manifest: &'a Value, word: &str) -> &'a Value {
    utterances(manifest).iter().find(|u| u["text"].as_str().unwrap().starts_with(word)).unwrap()
}

#[test]
#[ignore = "needs sox: apt-get install sox"]
fn a_loud_and_a_quiet_paragraph_come_out_alike_and_at_the_target() {
    need("sox");
    let (b, manifest) = build_loud_and_quiet(&[]);
    let out = b.out();

    let (loud, quiet) = (paragraph(&manifest, "LOUD"), paragraph(&manifest, "quiet"));
    let (loud_gain, quiet_gain) = (loud["gain_db"].as_f64().unwrap(), quiet["gain_db"].as_f64().unwrap());
    assert!(quiet_gain - loud_gain > 20.0 && quiet_gain <= 30.0, "gains {loud_gain} and {quiet_gain} dB");

    let (rate, loud_audio) = utterance_audio(&out, &manifest, loud);
    let (_, quiet_audio) = utterance_audio(&out, &manifest, quiet);
    let (l, q) = (lufs(&loud_audio, rate), lufs(&quiet_audio, rate));
    assert!((l - q).abs() <= 2.0, "the loud paragraph measures {l} LUFS, the quiet one {q}");
    assert!((l - -16.0).abs() <= 1.0 && (q - -16.0).abs() <= 1.0, "{l} and {q} LUFS");

    let episode = b.dir().join("episode.wav");
    let (rate, samples) = concatenate(&chapter_files(&out, &manifest), &episode);
    let ours = lufs(&samples, rate);
    assert!((ours - -16.0).abs() <= 0.5, "{ours} LUFS");
    if cross_check("ffmpeg") {
        let (i, peak) = ffmpeg_ebur128(&episode);
        eprintln!("loud and quiet article, ffmpeg ebur128: I = {i} LUFS, true peak = {peak} dBTP");
        assert!((i - -16.0).abs() <= 1.0, "ffmpeg reads {i} LUFS");
        assert!(peak <= -1.0, "ffmpeg reads a true peak of {peak} dBTP");
        // Each paragraph's stretch of the file, cut by ffmpeg itself.
        let chapter = chapters(&manifest).iter().find(|c| c["index"] == loud["chapter"]).unwrap();
        let file = out.join(chapter["file"].as_str().unwrap());
        let mut spans = Vec::new();
        for u in [loud, quiet] {
            let span = b.dir().join(format!("{}.wav", u["id"].as_str().unwrap()));
            let status = Command::new("ffmpeg")
                .args(["-v", "error", "-y", "-i"])
                .arg(&file)
                .args(["-af", &format!("atrim={}:{}", u["start"], u["end"])])
                .arg(&span)
                .status()
                .unwrap();
            assert!(status.success());
            spans.push(ffmpeg_ebur128(&span).0);
        }
        eprintln!("loud paragraph {} LUFS, quiet paragraph {} LUFS (ffmpeg)", spans[0], spans[1]);
        assert!((spans[0] - spans[1]).abs() <= 2.0, "ffmpeg reads {spans:?} LUFS");
    }
}

#[test]
#[ignore = "needs sox: apt-get install sox"]
fn without_leveling_the_voice_keeps_its_levels() {
    need("sox");
    let (b, manifest) = build_loud_and_quiet(&["--no-loudness"]);
    let out = b.out();
    assert_eq!(manifest["loudness"]["target_lufs"], Value::Null);
    assert!(manifest["loudness"]["policy"].as_str().unwrap().starts_with("none"));
    let (loud, quiet) = (paragraph(&manifest, "LOUD"), paragraph(&manifest, "quiet"));
    assert!(loud.get("gain_db").is_none(), "{loud}");
    let (rate, loud_audio) = utterance_audio(&out, &manifest, loud);
    let (_, quiet_audio) = utterance_audio(&out, &manifest, quiet);
    let (l, q) = (lufs(&loud_audio, rate), lufs(&quiet_audio, rate));
    assert!(l - q > 20.0, "{l} and {q} LUFS");
    // Still measured and recorded.
    let c = &chapters(&manifest)[0];
    assert!(c["loudness_lufs"].as_f64().is_some() && c["true_peak_dbtp"].as_f64().unwrap() > -1.5, "{c}");
}

#[test]
#[ignore = "needs sox: apt-get install sox"]
fn another_target_is_met_and_a_target_out_of_range_is_refused() {
    need("sox");
    let (b, manifest) = build_loud_and_quiet(&["--loudness", "-23"]);
    assert_eq!(manifest["loudness"]["target_lufs"], -23.0);
    for c in chapters(&manifest) {
        let l = c["loudness_lufs"].as_f64().unwrap();
        assert!((l - -23.0).abs() <= 0.5, "chapter {}: {l} LUFS", c["index"]);
    }

    // Out of range: refused with the range, before any work.
    for bad in ["-40", "-5", "-9.9"] {
        let r = run(seedaudio()
            .arg("build")
            .arg(article("en-no-end.txt"))
            .arg("--out")
            .arg(b.dir().join("x"))
            .args(["--loudness", bad]));
        assert_eq!(r.status, 1, "--loudness {bad}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("--loudness {bad} is outside -30 to -10 LUFS")), "{}", r.stderr);
        assert!(!b.dir().join("x").exists());
    }
    // Not a number.
    let r = run(seedaudio().arg("build").arg(article("en-no-end.txt")).args(["--loudness", "loud"]));
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--loudness"), "{}", r.stderr);
    let r = run(seedaudio().arg("build").arg(article("en-no-end.txt")).args(["--loudness=-20", "--no-loudness"]));
    assert_eq!(r.status, 2, "{}", r.stderr);
}
