//! The `kokoro` backend kind: Kokoro-82M speaking in this process, from the install
//! (`seedaudio voices install kokoro`).
//!
//! Opening checks the install (receipt, file sizes), loads the runtime library, the voice's
//! table and the text front end; the model itself is loaded by the first utterance that needs
//! it, one session per worker (so a build whose audio is all cached never loads it).
//!
//! A missing or damaged install fails at open with the install command, unless the preset
//! names a `fallback` voice: then the backend opens, says so once, and refuses each utterance
//! (not retried), so the fallback voice reads them all.

use std::path::PathBuf;

use std::time::Instant;

use super::engine::{self, Engine, Stopped, Threads, Voice};
use super::files::{Install, NotInstalled, Receipt};
use super::{Lang, Phonemizer, zh};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;
use crate::backend::{Audio, Backend, BackendError, Notices, Request, SetupError, settings};
use crate::text::language::is_chinese_tag;

/// The `kokoro` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The data folder holding `kokoro/` (default: `$SEEDAUDIO_DATA`, else the XDG data dir).
    pub data_dir: Option<PathBuf>,
    /// ONNX Runtime threads per session (default: the cores shared out among the sessions).
    pub threads: Option<usize>,
}

/// What names the model and front end in the engine line and the cache identity.
const MODEL: &str = "kokoro-82m v1.0 int8";

pub struct Kokoro {
    inner: Result<Ready, String>,
}

struct Ready {
    engine: Engine,
    voice: Voice,
    lang: Lang,
    speed: f32,
    phonemizer: Phonemizer,
    runtime: String,
    model_sha256: String,
}

/// The language of a preset's `language` tag, for the front end.
pub fn lang(tag: &str) -> Option<Lang> {
    if is_chinese_tag(tag) {
        Some(Lang::Zh)
    } else if tag == "en" || tag.to_ascii_lowercase().starts_with("en-") {
        Some(Lang::EnUs)
    } else {
        None
    }
}

/// Sessions and threads for a preset: one session per request at once (`concurrency`, else
/// one per core), the cores shared out among them unless `threads` says otherwise.
pub fn threads(concurrency: Option<usize>, threads: Option<usize>, cores: usize) -> Threads {
    let sessions = concurrency.filter(|&c| c > 0).unwrap_or(cores).max(1);
    let per_session = threads.filter(|&t| t > 0).unwrap_or((cores / sessions).max(1));
    Threads { sessions, per_session }
}

/// The voice `name` among the installed ones, or an error listing them (nearest first).
fn check_voice(name: &str, receipt: &Receipt) -> Result<(), String> {
    if receipt.voices.iter().any(|v| v == name) {
        return Ok(());
    }
    let nearest = receipt
        .voices
        .iter()
        .map(|v| (strsim::jaro_winkler(name, v), v))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| format!(" (did you mean {v:?}?)"))
        .unwrap_or_default();
    Err(format!("Kokoro has no voice {name:?}{nearest}; installed voices: {}", receipt.voices.join(", ")))
}

impl Kokoro {
    pub fn new(preset: &Preset, notices: &mut Notices) -> Result<Self, SetupError> {
        let own: Settings = settings(preset)?;
        let invalid = |message: String| SetupError::invalid(preset, message);
        let lang = lang(&preset.language).ok_or_else(|| {
            invalid(format!("Kokoro speaks Mandarin (zh) and English (en), not language {:?}", preset.language))
        })?;
        if !(0.5..=2.0).contains(&preset.speed) {
            return Err(invalid(format!("speed {} is outside Kokoro's 0.5–2.0", preset.speed)));
        }
        let install = Install::dir(own.data_dir.as_deref());
        let receipt = match install.check() {
            Ok(receipt) => receipt,
            Err(e @ (NotInstalled::Missing { .. } | NotInstalled::Damaged { .. })) => {
                return match &preset.fallback {
                    Some(fallback) => {
                        notices
                            .push(format!("{}: {e}; the fallback voice {fallback} reads every utterance", preset.name));
                        Ok(Kokoro { inner: Err(e.to_string()) })
                    }
                    None => Err(invalid(e.to_string())),
                };
            }
        };
        check_voice(&preset.voice, &receipt).map_err(invalid)?;
        let voice = Voice::load(&install.voice(&preset.voice)).map_err(invalid)?;
        let runtime_path = install.runtime(&receipt);
        engine::init_runtime(&runtime_path)
            .map_err(|e| invalid(format!("{e}; run `{}` again", super::files::INSTALL_COMMAND)))?;
        let phonemizer = match install.phrases(&receipt) {
            Some(phrases) => Phonemizer::with_phrases(&phrases, zh::Options::default()),
            None => Phonemizer::new(zh::Options::default()),
        }
        .map_err(invalid)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let engine = Engine::new(&install.model(), threads(preset.concurrency, own.threads, cores));
        Ok(Kokoro {
            inner: Ok(Ready {
                engine,
                voice,
                lang,
                speed: preset.speed,
                phonemizer,
                runtime: engine::runtime_version(&receipt.runtime).to_string(),
                model_sha256: receipt.model_sha256,
            }),
        })
    }

    /// Loads one session now (a benchmark's or the doctor's warm-up).
    pub fn warm(&self) -> Result<(), String> {
        self.inner.as_ref().map_err(Clone::clone)?.engine.warm()
    }
}

impl Backend for Kokoro {
    fn kind(&self) -> &'static str {
        "kokoro"
    }

    fn engine(&self) -> String {
        match &self.inner {
            Ok(ready) => {
                let Threads { sessions, per_session } = ready.engine.threads();
                format!("{MODEL} (onnxruntime {}, {sessions} session(s) × {per_session} thread(s))", ready.runtime)
            }
            Err(_) => format!("{MODEL} (not installed)"),
        }
    }

    /// The model's hash and the front end's version: a reinstalled model or a changed G2P
    /// makes new audio (the voice and speed are in the preset's part of the identity).
    fn cache_identity(&self) -> String {
        match &self.inner {
            Ok(ready) => format!("{MODEL} sha256:{} frontend:{}", ready.model_sha256, super::FRONTEND_VERSION),
            Err(_) => format!("{MODEL} (not installed)"),
        }
    }

    /// Runs in this thread; the request's deadline stops a model call midway.
    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let ready = self.inner.as_ref().map_err(|e| BackendError::Rejected(e.clone()))?;
        let text = request.text_only(self.kind())?;
        let batches = ready.phonemizer.token_batches(text, ready.lang).map_err(BackendError::Rejected)?;
        let started = Instant::now();
        let mut samples = Vec::new();
        for ids in batches.iter().filter(|ids| !ids.is_empty()) {
            let audio =
                ready.engine.run(ids, &ready.voice, ready.speed, request.deadline).map_err(|stop| match stop {
                    Stopped::Deadline => BackendError::Unavailable(format!(
                        "Kokoro did not finish within {:.1} s and was stopped",
                        request.deadline.map_or(0.0, |d| d.saturating_duration_since(started).as_secs_f64())
                    )),
                    Stopped::Failed(message) => BackendError::Unavailable(message),
                })?;
            engine::join(&mut samples, &audio);
        }
        if samples.is_empty() {
            return Err(BackendError::Rejected(format!("nothing in {text:?} can be read aloud by Kokoro")));
        }
        Ok(Audio { bytes: engine::wav(&samples), hint: AudioHint::Sniff })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(extra: &str) -> Preset {
        Preset::from_toml("k", &format!("kind='kokoro'\nlanguage='zh'\nvoice='zf_xiaobei'\n{extra}")).unwrap()
    }

    fn receipt(voices: &[&str]) -> Receipt {
        Receipt {
            model_sha256: super::super::files::MODEL_SHA256.into(),
            runtime: "libonnxruntime.so.1.32.0".into(),
            phrases: None,
            voices: voices.iter().map(|v| v.to_string()).collect(),
            packages: vec![],
            sources: vec![],
            bytes: 0,
        }
    }

    #[test]
    fn languages_map_to_front_ends() {
        assert_eq!(lang("zh"), Some(Lang::Zh));
        assert_eq!(lang("zh-CN"), Some(Lang::Zh));
        assert_eq!(lang("en"), Some(Lang::EnUs));
        assert_eq!(lang("en-US"), Some(Lang::EnUs));
        assert_eq!(lang("ja"), None);
    }

    #[test]
    fn sessions_follow_concurrency_and_share_the_cores() {
        assert_eq!(threads(Some(2), None, 2), Threads { sessions: 2, per_session: 1 });
        assert_eq!(threads(Some(1), None, 2), Threads { sessions: 1, per_session: 2 });
        assert_eq!(threads(None, None, 4), Threads { sessions: 4, per_session: 1 });
        assert_eq!(threads(Some(0), Some(3), 2), Threads { sessions: 2, per_session: 3 });
    }

    #[test]
    fn an_unknown_voice_lists_the_installed_ones_and_the_nearest() {
        let err = check_voice("zf_xiaobie", &receipt(&["af_heart", "zf_xiaobei"])).unwrap_err();
        assert!(err.contains("did you mean \"zf_xiaobei\"") && err.contains("af_heart, zf_xiaobei"), "{err}");
        assert!(check_voice("zf_xiaobei", &receipt(&["zf_xiaobei"])).is_ok());
    }

    #[test]
    fn settings_are_closed_and_checked() {
        let p = preset("data_dir='/x'\nthreads=1");
        let s: Settings = p.settings().unwrap();
        assert_eq!((s.data_dir, s.threads), (Some(PathBuf::from("/x")), Some(1)));
        assert!(Preset::from_toml("k", "kind='kokoro'\nlanguage='zh'\nvoice='v'\nmodel_dir='/x'").is_err());
        let mut notices = Vec::new();
        let err = Kokoro::new(&preset("speed=3.0"), &mut notices).err().unwrap().to_string();
        assert!(err.contains("speed"), "{err}");
        let err =
            Kokoro::new(&Preset::from_toml("k", "kind='kokoro'\nlanguage='fr'\nvoice='v'").unwrap(), &mut notices)
                .err()
                .unwrap()
                .to_string();
        assert!(err.contains("not language \"fr\""), "{err}");
    }

    /// With this machine's install (ignored by default; fails without one when asked for): the
    /// cache identity names the model's hash and the front end's version, not the sessions; the
    /// model speaks.
    #[test]
    #[ignore = "needs Kokoro: seedaudio voices install kokoro"]
    fn the_installed_model_speaks_and_is_identified_by_its_hash() {
        if let Err(e) = Install::dir(None).check() {
            panic!("{e}");
        }
        let started = std::time::Instant::now();
        let kokoro = Kokoro::new(&preset("concurrency=1"), &mut Vec::new()).unwrap();
        let open = started.elapsed();
        let identity = kokoro.cache_identity();
        assert!(identity.contains(super::super::files::MODEL_SHA256), "{identity}");
        assert!(identity.contains(&format!("frontend:{}", super::super::FRONTEND_VERSION)), "{identity}");
        assert!(!identity.contains("session"), "{identity}");
        let started = std::time::Instant::now();
        kokoro.warm().unwrap();
        let load = started.elapsed();
        let started = std::time::Instant::now();
        let audio = kokoro.synthesize(&Request::text("很多人没有时间读完一篇长文章。")).unwrap();
        let decoded = crate::audio::decode(&audio.bytes, audio.hint).unwrap();
        let seconds = decoded.samples.len() as f64 / f64::from(decoded.rate);
        eprintln!("open {open:.2?}, model load {load:.2?}; {seconds:.2} s of audio in {:.2?}", started.elapsed());
        assert_eq!(decoded.rate, engine::SAMPLE_RATE);
        assert!((1.5..6.0).contains(&seconds), "{seconds} s for 13 characters");
    }

    /// With this machine's install (ignored by default; fails without one when asked for): a
    /// deadline stops a model call midway, as a timeout worth another try, well before the call
    /// would have ended.
    #[test]
    #[ignore = "needs Kokoro: seedaudio voices install kokoro"]
    fn a_deadline_stops_the_model_midway() {
        if let Err(e) = Install::dir(None).check() {
            panic!("{e}");
        }
        let kokoro = Kokoro::new(&preset("concurrency=1"), &mut Vec::new()).unwrap();
        kokoro.warm().unwrap();
        let text = "机关干部要着力强化服务意识，工作方向不能偏，要把人民群众的利益放在第一位。".repeat(4);
        let started = std::time::Instant::now();
        let request = Request::text(&text).due_by(started + std::time::Duration::from_millis(300));
        let err = kokoro.synthesize(&request).unwrap_err();
        let took = started.elapsed();
        assert!(matches!(&err, BackendError::Unavailable(m) if m.contains("stopped")), "{err}");
        assert!(err.retryable(), "{err}");
        assert!(took < std::time::Duration::from_secs(3), "stopped after {took:?}");
        let audio = kokoro.synthesize(&Request::text("时间够了。")).unwrap();
        assert!(!audio.bytes.is_empty(), "the session still works after a stop");
    }

    #[test]
    fn a_missing_install_fails_at_open_naming_the_install_command_or_defers_to_the_fallback() {
        let empty = tempfile::tempdir().unwrap();
        let dir = format!("data_dir={:?}", empty.path().display().to_string());
        let mut notices = Vec::new();
        let err = Kokoro::new(&preset(&dir), &mut notices).err().unwrap().to_string();
        assert!(err.contains(super::super::files::INSTALL_COMMAND), "{err}");
        let kokoro = Kokoro::new(&preset(&format!("{dir}\nfallback='zh-espeak'")), &mut notices).unwrap();
        assert!(notices[0].contains("zh-espeak") && notices[0].contains("voices install kokoro"), "{notices:?}");
        let err = kokoro.synthesize(&Request::text("你好")).unwrap_err();
        assert!(matches!(&err, BackendError::Rejected(m) if m.contains("voices install kokoro")), "{err}");
        assert!(!err.retryable() && !err.is_fatal());
    }
}
