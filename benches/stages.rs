//! The pure stages on their own, so a regression in one is visible by itself:
//! `cargo bench --bench stages`. The end-to-end ratios are `scripts/bench`.
use std::path::Path;

use seedaudio::audio::chapter_file::ChapterWriter;
use seedaudio::audio::{AudioHint, decode::decode, resample::resample};
use seedaudio::backend::preset::Preset;
use seedaudio::build;
use seedaudio::loudness::{FileMeter, Leveler};
use seedaudio::{article, plan};

fn main() {
    divan::main();
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// About 20 s of real speech at 24 kHz, as f32.
fn speech() -> Vec<f32> {
    let pcm = fixture("speech-24k.pcm");
    let one: Vec<f32> = pcm.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).collect();
    one.iter().copied().cycle().take(24_000 * 20).collect()
}

#[divan::bench]
fn parse_and_plan(bencher: divan::Bencher) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/articles/five-awareness.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| std::fs::read_to_string("tests/articles/zh-example.txt").unwrap());
    let preset = Preset::find("zh-espeak").unwrap();
    let settings = build::plan_settings(&preset, None).unwrap();
    bencher.counter(divan::counter::BytesCount::of_str(&text)).bench(|| {
        let parsed = article::parse(divan::black_box(&text)).unwrap();
        plan::plan(&parsed, &settings)
    });
}

#[divan::bench(args = [22_050, 24_000])]
fn resample_to_44k(bencher: divan::Bencher, from: u32) {
    let input = speech();
    bencher
        .counter(divan::counter::ItemsCount::new(input.len()))
        .bench(|| resample(divan::black_box(&input), from, 44_100).unwrap());
}

#[divan::bench]
fn decode_wav(bencher: divan::Bencher) {
    let bytes = fixture("speech-24k.wav");
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| decode(divan::black_box(&bytes), AudioHint::Sniff).unwrap());
}

#[divan::bench]
fn write_chapter_wav(bencher: divan::Bencher) {
    let input = speech();
    let dir = tempfile::tempdir().unwrap();
    bencher.counter(divan::counter::ItemsCount::new(input.len())).bench(|| {
        let mut writer = ChapterWriter::create(dir.path(), "bench.wav", 24_000).unwrap();
        writer.push(divan::black_box(&input), 300).unwrap();
        writer.finish().unwrap()
    });
}

/// The 20 s of speech at the output rate, quiet as a voice may deliver it (peaks near -12 dBFS),
/// so leveling lifts it into the limiter as it does espeak's voices.
fn speech_44k() -> Vec<f32> {
    let mut x = resample(&speech(), 24_000, 44_100).unwrap();
    let peak = x.iter().fold(0f32, |m, s| m.max(s.abs()));
    x.iter_mut().for_each(|s| *s *= 0.25 / peak);
    x
}

#[divan::bench]
fn level_utterance(bencher: divan::Bencher) {
    let input = speech_44k();
    let leveler = Leveler::default();
    bencher
        .counter(divan::counter::ItemsCount::new(input.len()))
        .with_inputs(|| input.clone())
        .bench_local_refs(|x| leveler.level(x, 44_100));
}

#[divan::bench]
fn meter_chapter(bencher: divan::Bencher) {
    let input = speech_44k();
    bencher.counter(divan::counter::ItemsCount::new(input.len())).bench(|| {
        let mut meter = FileMeter::new(44_100);
        meter.add(divan::black_box(&input));
        meter.finish()
    });
}
