//! Running Kokoro-82M: the installed ONNX model under ONNX Runtime, in this process.
//!
//! The runtime library is the install's `libonnxruntime.so`, loaded at run time
//! ([`ort::init_from`], once per process): nothing is linked or downloaded at build time.
//! A [`Engine`] is a small pool of sessions of the one model; a call takes an idle session, or
//! loads one when fewer than the pool's size exist, or waits for one. So `--jobs` workers
//! each get a session of their own, and no session is loaded that no worker needs.
//!
//! One model call: `tokens` int64 `[1, n+2]` (the n phoneme ids with a 0 before and after),
//! `style` f32 `[1, 256]` (row `min(n, 510) − 1` of the voice's table), `speed` f32 `[1]`;
//! out comes `audio`, f32 mono at 24 kHz.
//!
//! ## Measured here
//!
//! - Opening the backend (receipt, `dlopen` of the runtime, voice, phrase dictionary, jieba):
//!   0.3–0.4 s. Loading one session of the model: 0.57–0.70 s, paid by the first utterance
//!   that needs it (none when every utterance is cached). A build whose audio is all cached
//!   peaks at 130 MB.
//! - Four paragraphs of the reference article (890 characters, 176.5 s of audio), release
//!   build, cold cache, `/usr/bin/time`, load average under 2 (2 cores):
//!
//!   | sessions × threads | arena | wall | CPU | peak RSS |
//!   | --- | --- | ---: | ---: | ---: |
//!   | 2 × 1 | kept | — | 133 s | 1.53–1.56 GB |
//!   | 2 × 1 | handed back after each call | 84 s | 123 s | 1.40 GB |
//!   | 1 × 2 | handed back after each call | 62.5 s | 120 s | 0.77 GB |
//!
//!   One session with both cores is as fast as two with one each and needs half the memory,
//!   so the presets' `concurrency` is 1 (a session gets cores ÷ sessions threads). Each call
//!   hands its memory back when it ends (`memory.enable_memory_arena_shrinkage`): a session
//!   otherwise keeps the peak of its longest call. Turning the arena and memory patterns off
//!   instead made it worse (2.9 GB with two sessions), and graph optimization levels 0–3,
//!   memory patterns off or `MALLOC_ARENA_MAX=2` changed nothing.
//! - Shorter calls (whole sentences up to 250 ids instead of up to 510) took no less memory
//!   once the arena is handed back, and the model reads a short call more slowly (189.6 s of
//!   audio instead of 176.5 s for the same paragraphs), so calls stay as long as fit.
//! - Each call starts with about 0.4 s of silence and ends with about 1.1 s, so two calls of
//!   one utterance joined as they come would leave 1.5 s between two sentences where the
//!   model, within one call, pauses 0.4–0.5 s: [`join`] cuts the join to a sentence's pause.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock, mpsc};
use std::time::Instant;

use ort::session::builder::GraphOptimizationLevel;
use ort::session::{RunOptions, Session};
use ort::value::Tensor;

use super::files::{STYLE_WIDTH, VOICE_BYTES, VOICE_ROWS};

/// The model's sample rate.
pub const SAMPLE_RATE: u32 = 24_000;

/// The runtime library this process loaded (the first one asked for), or why it could not.
static RUNTIME: OnceLock<Result<(PathBuf, ort::environment::Environment), String>> = OnceLock::new();

/// Loads the ONNX Runtime library at `path`, once per process. A later call with another
/// path keeps the first library (a process cannot hold two).
pub fn init_runtime(path: &Path) -> Result<(), String> {
    let loaded = RUNTIME.get_or_init(|| {
        let builder = ort::init_from(path).map_err(|e| format!("cannot load ONNX Runtime: {e}"))?;
        let environment =
            builder.with_name("seedaudio").build().map_err(|e| format!("cannot start ONNX Runtime: {e}"))?;
        Ok((path.to_path_buf(), environment))
    });
    loaded.as_ref().map(drop).map_err(Clone::clone)
}

/// The runtime's environment, once [`init_runtime`] succeeded.
fn environment() -> Result<&'static ort::environment::Environment, String> {
    match RUNTIME.get() {
        Some(Ok((_, environment))) => Ok(environment),
        Some(Err(e)) => Err(e.clone()),
        None => Err("ONNX Runtime is not loaded".into()),
    }
}

/// The version in a runtime library's file name (`libonnxruntime.so.1.32.0` → `1.32.0`).
pub fn runtime_version(file_name: &str) -> &str {
    let version = file_name.trim_start_matches("libonnxruntime").trim_start_matches(".so").trim_start_matches('.');
    if version.is_empty() { "?" } else { version }
}

/// A voice: its 510 style vectors, one per token count.
#[derive(Debug, Clone, PartialEq)]
pub struct Voice {
    table: Vec<f32>,
}

impl Voice {
    pub fn load(path: &Path) -> Result<Voice, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Voice::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// From the raw table: 510 × 256 little-endian f32.
    pub fn from_bytes(bytes: &[u8]) -> Result<Voice, String> {
        if bytes.len() as u64 != VOICE_BYTES {
            return Err(format!("a voice is {VOICE_BYTES} bytes (510 × 256 f32), this one {}", bytes.len()));
        }
        let table = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        Ok(Voice { table })
    }

    /// The style vector for a call of `n` phoneme ids (without the padding).
    pub fn style(&self, n: usize) -> &[f32] {
        let row = style_row(n);
        &self.table[row * STYLE_WIDTH..(row + 1) * STYLE_WIDTH]
    }
}

/// The table row for `n` phoneme ids: `min(n, 510) − 1` (row 0 for an empty call).
pub fn style_row(n: usize) -> usize {
    n.clamp(1, VOICE_ROWS) - 1
}

/// The model's `tokens`: the ids with a 0 before and after.
pub fn padded(ids: &[i64]) -> Vec<i64> {
    let mut tokens = Vec::with_capacity(ids.len() + 2);
    tokens.push(0);
    tokens.extend_from_slice(ids);
    tokens.push(0);
    tokens
}

/// How the pool's sessions are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threads {
    /// Sessions at most (one per worker that runs at once).
    pub sessions: usize,
    /// ONNX Runtime's intra-op threads per session.
    pub per_session: usize,
}

struct Pool {
    idle: Vec<Session>,
    made: usize,
}

/// The model, loaded up to `threads.sessions` times.
pub struct Engine {
    model: PathBuf,
    threads: Threads,
    pool: Mutex<Pool>,
    returned: Condvar,
}

impl Engine {
    /// An engine of the model at `model`; the runtime must be loaded ([`init_runtime`]).
    /// No session is loaded yet ([`Engine::warm`] loads one).
    pub fn new(model: &Path, threads: Threads) -> Engine {
        let threads = Threads { sessions: threads.sessions.max(1), per_session: threads.per_session.max(1) };
        Engine {
            model: model.to_path_buf(),
            threads,
            pool: Mutex::new(Pool { idle: Vec::new(), made: 0 }),
            returned: Condvar::new(),
        }
    }

    pub fn threads(&self) -> Threads {
        self.threads
    }

    /// Loads one session now (so a broken model or runtime shows at once) and keeps it.
    pub fn warm(&self) -> Result<(), String> {
        let session = self.take()?;
        self.put_back(session);
        Ok(())
    }

    fn load(&self) -> Result<Session, String> {
        let fail = |e: ort::Error| format!("cannot load the Kokoro model {}: {e}", self.model.display());
        let builder = Session::builder(environment()?)
            .map_err(fail)?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| fail(e.into()))?;
        let session = builder
            .with_intra_threads(self.threads.per_session)
            .map_err(|e| fail(e.into()))?
            .commit_from_file(&self.model)
            .map_err(fail)?;
        let inputs: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        let outputs: Vec<&str> = session.outputs().iter().map(|o| o.name()).collect();
        if inputs != ["tokens", "style", "speed"] || outputs.first() != Some(&"audio") {
            return Err(format!(
                "{} is not the Kokoro v1.0 model: inputs {inputs:?}, outputs {outputs:?}",
                self.model.display()
            ));
        }
        Ok(session)
    }

    fn take(&self) -> Result<Session, String> {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(session) = pool.idle.pop() {
                return Ok(session);
            }
            if pool.made < self.threads.sessions {
                pool.made += 1;
                drop(pool);
                let loaded = self.load();
                if loaded.is_err() {
                    self.pool.lock().unwrap_or_else(|p| p.into_inner()).made -= 1;
                    self.returned.notify_one();
                }
                return loaded;
            }
            pool = self.returned.wait(pool).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn put_back(&self, session: Session) {
        self.pool.lock().unwrap_or_else(|p| p.into_inner()).idle.push(session);
        self.returned.notify_one();
    }

    /// One model call: the audio (24 kHz mono f32) of `ids` (at most 510, without padding)
    /// read in `voice`'s style at `speed`, stopped at `deadline` (ONNX Runtime's terminate
    /// flag, raised by a watcher thread; the call then ends within one operator).
    pub fn run(&self, ids: &[i64], voice: &Voice, speed: f32, deadline: Option<Instant>) -> Result<Vec<f32>, Stopped> {
        let tokens = padded(ids);
        let length = tokens.len() as i64;
        let failed = |e: ort::Error| Stopped::Failed(e.to_string());
        let tokens = Tensor::from_array(([1i64, length], tokens)).map_err(failed)?;
        let style =
            Tensor::from_array(([1i64, STYLE_WIDTH as i64], voice.style(ids.len()).to_vec())).map_err(failed)?;
        let speed = Tensor::from_array(([1i64], vec![speed])).map_err(failed)?;
        let mut options = RunOptions::new().map_err(failed)?;
        // The memory a call took is handed back when it ends: a session otherwise keeps the
        // peak of its longest call for good (see the measurements above).
        options.set("memory.enable_memory_arena_shrinkage", "cpu:0").map_err(failed)?;
        if deadline.is_some_and(|d| d <= Instant::now()) {
            return Err(Stopped::Deadline);
        }
        let mut session = self.take().map_err(Stopped::Failed)?;
        let (done, finished) = mpsc::channel::<()>();
        let result = std::thread::scope(|scope| {
            if let Some(deadline) = deadline {
                let options = &options;
                scope.spawn(move || {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(left) {
                        let _ = options.terminate();
                    }
                });
            }
            let result = session
                .run_with_options(ort::inputs!["tokens" => tokens, "style" => style, "speed" => speed], &options)
                .map_err(|e| e.to_string())
                .and_then(|outputs| {
                    let (_, samples) = outputs["audio"].try_extract_tensor::<f32>().map_err(|e| e.to_string())?;
                    Ok(samples.to_vec())
                });
            let _ = done.send(());
            result
        });
        self.put_back(session);
        match result {
            Ok(samples) => Ok(samples),
            Err(_) if deadline.is_some_and(|d| d <= Instant::now()) => Err(Stopped::Deadline),
            Err(e) => Err(Stopped::Failed(format!("the Kokoro model failed: {e}"))),
        }
    }
}

/// Why a model call gave no audio.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// It was stopped at its deadline.
    Deadline,
    /// The runtime failed (the message says how).
    Failed(String),
}

/// Below this a sample is silence (−40 dBFS), for trimming the joins between model calls.
const QUIET: f32 = 0.01;
/// What of a call's trailing silence is kept where another call follows, and of the next
/// call's leading silence: together about the pause the model makes between two sentences
/// within one call (0.4–0.5 s measured), where each call alone would give about 1.5 s (0.4 s
/// before its speech, 1.1 s after).
const KEEP_AFTER: f32 = 0.30;
const KEEP_BEFORE: f32 = 0.12;

/// Appends the audio of the next model call of one utterance to `samples`, with the silence
/// at the join cut to a sentence pause.
pub fn join(samples: &mut Vec<f32>, next: &[f32]) {
    let rate = SAMPLE_RATE as f32;
    if samples.is_empty() {
        samples.extend_from_slice(next);
        return;
    }
    if let Some(last) = samples.iter().rposition(|s| s.abs() >= QUIET) {
        samples.truncate((last + 1 + (KEEP_AFTER * rate) as usize).min(samples.len()));
    }
    let first = next.iter().position(|s| s.abs() >= QUIET).unwrap_or(next.len());
    samples.extend_from_slice(&next[first.saturating_sub((KEEP_BEFORE * rate) as usize)..]);
}

/// 24 kHz mono samples as a 16-bit PCM WAV file.
pub fn wav(samples: &[f32]) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for &s in samples {
        let s = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_row_is_the_token_count_less_one_capped_at_510() {
        assert_eq!(style_row(1), 0);
        assert_eq!(style_row(37), 36);
        assert_eq!(style_row(510), 509);
        assert_eq!(style_row(600), 509);
        assert_eq!(style_row(0), 0);
    }

    #[test]
    fn a_voice_is_510_rows_of_256_and_gives_the_row_of_its_length() {
        let bytes: Vec<u8> = (0..VOICE_ROWS * STYLE_WIDTH).flat_map(|i| (i as f32).to_le_bytes()).collect();
        let voice = Voice::from_bytes(&bytes).unwrap();
        assert_eq!(voice.style(3)[0], (2 * STYLE_WIDTH) as f32);
        assert_eq!(voice.style(3).len(), STYLE_WIDTH);
        assert_eq!(voice.style(9999)[255], (VOICE_ROWS * STYLE_WIDTH - 1) as f32);
        assert!(Voice::from_bytes(&bytes[..100]).unwrap_err().contains("522240"));
    }

    #[test]
    fn tokens_are_padded_with_a_zero_on_each_side() {
        assert_eq!(padded(&[50, 83, 54]), vec![0, 50, 83, 54, 0]);
        assert_eq!(padded(&[]), vec![0, 0]);
    }

    #[test]
    fn audio_is_packed_as_a_24k_mono_16_bit_wav() {
        let bytes = wav(&[0.0, 0.5, -1.0, 2.0]);
        let decoded = crate::audio::decode(&bytes, crate::audio::AudioHint::Sniff).unwrap();
        assert_eq!((decoded.rate, decoded.channels), (SAMPLE_RATE, 1));
        assert_eq!(decoded.samples.len(), 4);
        assert!((decoded.samples[1] - 0.5).abs() < 1e-3 && decoded.samples[3] > 0.99, "{:?}", decoded.samples);
    }

    #[test]
    fn calls_are_joined_with_a_sentence_pause_not_two_calls_of_silence() {
        let second = |s: f32| (s * SAMPLE_RATE as f32) as usize;
        let call = |before: f32, speech: f32, after: f32| {
            let mut v = vec![0.0; second(before)];
            v.extend(std::iter::repeat_n(0.5, second(speech)));
            v.extend(std::iter::repeat_n(0.001, second(after)));
            v
        };
        let mut samples = Vec::new();
        join(&mut samples, &call(0.4, 1.0, 1.1));
        assert_eq!(samples.len(), second(2.5), "the first call is kept whole");
        join(&mut samples, &call(0.4, 1.0, 1.1));
        let expected = second(0.4) + second(1.0) + second(KEEP_AFTER) + second(KEEP_BEFORE) + second(1.0) + second(1.1);
        assert_eq!(samples.len(), expected, "the join keeps {KEEP_AFTER} s + {KEEP_BEFORE} s, the end its tail");
        let mut silent = vec![0.5; 10];
        join(&mut silent, &vec![0.0; second(1.0)]);
        assert_eq!(silent.len(), 10 + second(KEEP_BEFORE), "a silent call adds one kept pause");
    }

    #[test]
    fn the_runtime_version_comes_from_the_file_name() {
        assert_eq!(runtime_version("libonnxruntime.so.1.32.0"), "1.32.0");
        assert_eq!(runtime_version("libonnxruntime.so"), "?");
    }
}
