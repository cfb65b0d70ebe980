//! Voice presets: which backend speaks, with what parameters and limits.
//!
//! A preset is a TOML file. `--voice NAME` picks a preset compiled into the binary (the
//! files in the repository's `voices/` folder); `--voice PATH` (anything with a `/` or
//! ending in `.toml`) reads that file. Reading and checking one is `load.rs`'s.

mod load;

use serde::Deserialize;

use crate::plan::{Limits, Pauses};
use crate::text::language::Language;

/// The presets compiled in, by name.
#[rustfmt::skip]
pub const BUILT_IN: &[(&str, &str)] = &[
    ("zh-espeak", include_str!("../../../voices/zh-espeak.toml")),
    ("en-espeak", include_str!("../../../voices/en-espeak.toml")),
    ("zh-openai", include_str!("../../../voices/zh-openai.toml")),
    ("zh-kokoro", include_str!("../../../voices/zh-kokoro.toml")),
    ("en-kokoro", include_str!("../../../voices/en-kokoro.toml")),
    ("zh-kokoro-fastapi", include_str!("../../../voices/zh-kokoro-fastapi.toml")),
    ("zh-azure-xiaoxiao", include_str!("../../../voices/zh-azure-xiaoxiao.toml")),
    ("zh-google", include_str!("../../../voices/zh-google.toml")),
    ("zh-elevenlabs", include_str!("../../../voices/zh-elevenlabs.toml")),
    ("en-piper-http", include_str!("../../../voices/en-piper-http.toml")),
    ("zh-cosyvoice-http", include_str!("../../../voices/zh-cosyvoice-http.toml")),
    ("en-espeak-command", include_str!("../../../voices/en-espeak-command.toml")),
    ("en-piper-command", include_str!("../../../voices/en-piper-command.toml")),
];

/// The default voice.
pub const DEFAULT: &str = "zh-espeak";

/// The built-in voice for a text: English when it is not Chinese (`text::language::Language::of_text`), the
/// default when it has no letters to tell.
pub fn for_text(text: &str) -> &'static str {
    if Language::of_text(text) == Some(Language::Other) { "en-espeak" } else { DEFAULT }
}

/// The built-in voice for a text on this machine: the natural Kokoro voice of its language
/// (`zh-kokoro`, `en-kokoro`) once Kokoro is installed with that voice, else [`for_text`]'s
/// eSpeak voice and one line saying how to get the natural one.
pub fn natural_for(text: &str) -> (&'static str, Option<String>) {
    let espeak = for_text(text);
    let kokoro = if espeak == "en-espeak" { "en-kokoro" } else { "zh-kokoro" };
    match kokoro_installed_with(&Preset::find(kokoro).expect("built-in voices parse").voice) {
        Ok(()) => (kokoro, None),
        Err(why) => (espeak, Some(format!("speaking with eSpeak NG ({espeak}): {why}; then {kokoro} is the default"))),
    }
}

/// Whether the Kokoro install of this machine is usable and holds `voice`.
fn kokoro_installed_with(voice: &str) -> Result<(), String> {
    let install = crate::backend::kokoro::files::Install::dir(None);
    let receipt = install.check().map_err(|e| e.to_string())?;
    if receipt.voices.iter().any(|v| v == voice) {
        Ok(())
    } else {
        Err(format!(
            "the Kokoro install in {} has no voice {voice}; run `{}` again",
            install.path().display(),
            crate::backend::kokoro::files::INSTALL_COMMAND
        ))
    }
}

/// A voice preset as written in TOML: the fields every backend kind shares, and the rest
/// ([`Preset::settings`]) for the kind's own backend to read as its typed, closed settings
/// (checked when the preset loads, so a mistyped field is still refused then).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Preset {
    /// Filled from the built-in name or the file stem.
    #[serde(skip)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The backend kind, e.g. `espeak`.
    pub kind: String,
    /// BCP 47-style language of the voice, e.g. `zh`, `en`.
    pub language: String,
    /// The backend's voice name.
    pub voice: String,
    /// Speaking-rate multiplier (1.0 = the backend's normal rate).
    #[serde(default = "one")]
    pub speed: f32,
    #[serde(default)]
    pub max_chars: Option<usize>,
    #[serde(default)]
    pub max_bytes: Option<usize>,
    /// Requests at once; 0 or absent = one per core.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// Speaking rate for estimates.
    #[serde(default)]
    pub chars_per_second: Option<f64>,
    /// Audio longer than `(5 s + characters × this) / speed` for its text is refused as not
    /// being that text (a looping or runaway server); see [`Preset::longest_plausible`].
    #[serde(default = "default_max_seconds_per_char")]
    pub max_seconds_per_char: f64,
    #[serde(default)]
    pub pauses: Pauses,

    /// The environment variable holding the API key, for the kinds that take one. The key
    /// itself never goes in a preset.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// The sample rate asked for, where the service takes one; audio in a WAV header that
    /// contradicts it is refused.
    #[serde(default)]
    pub sample_rate: Option<u32>,
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
    #[serde(default)]
    pub network: Network,
    /// A voice (name or path) that reads any utterance this one fails on for good.
    #[serde(default)]
    pub fallback: Option<String>,
    /// Read numbers, dates, percentages and symbols as words before sending (default on).
    #[serde(default = "yes")]
    pub normalize: bool,
    /// Pronunciations: `[[lexicon]]` tables with `text`, `say` and optionally `ssml`.
    #[serde(default)]
    pub lexicon: Vec<crate::plan::lexicon::Entry>,
    /// The service's price per million characters, for cost estimates.
    #[serde(default)]
    pub price_per_million_chars: Option<f64>,
    /// The currency of that price (default USD).
    #[serde(default)]
    pub currency: Option<String>,
    /// Every other field: the backend kind's own settings, in TOML as written.
    #[serde(flatten)]
    pub rest: toml::Table,
}

fn yes() -> bool {
    true
}

/// Normal speech is about 0.26 s per Chinese character and 0.07 s per Latin letter; 1.5 is
/// five times the slowest of them.
pub const DEFAULT_MAX_SECONDS_PER_CHAR: f64 = 1.5;

fn default_max_seconds_per_char() -> f64 {
    DEFAULT_MAX_SECONDS_PER_CHAR
}

/// Timeouts, retries and size bounds of every request to a service.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Network {
    pub connect_timeout_s: f64,
    /// Longest wait for a response to complete (time to first byte and body together).
    pub timeout_s: f64,
    /// Tries of one utterance, the first included.
    pub max_attempts: u32,
    /// Longest time spent on one utterance across its tries.
    pub budget_s: f64,
    /// First backoff delay; doubled each retry (with jitter), capped at 30 s.
    pub backoff_ms: u64,
    /// Larger responses are refused (`--max-response-mb` overrides it).
    pub max_response_mb: u64,
}

/// Bounds given on the command line, overriding the preset's (and its fallback's).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    /// `--max-response-mb`: `[network] max_response_mb`.
    pub max_response_mb: Option<u64>,
    /// `--utterance-timeout`: `[network] budget_s`, the time one utterance may take in all.
    pub budget_s: Option<f64>,
    /// `--max-seconds-per-char`: `max_seconds_per_char`.
    pub max_seconds_per_char: Option<f64>,
    /// `--speed`: `speed`, exactly as if the preset said it (so in the cache key too).
    pub speed: Option<f32>,
}

impl Overrides {
    pub fn apply(&self, mut preset: Preset) -> Preset {
        if let Some(mb) = self.max_response_mb {
            preset.network.max_response_mb = mb;
        }
        if let Some(s) = self.budget_s {
            preset.network.budget_s = s;
            // One try may not take longer than the whole budget either.
            preset.network.timeout_s = preset.network.timeout_s.min(s);
        }
        if let Some(x) = self.max_seconds_per_char {
            preset.max_seconds_per_char = x;
        }
        if let Some(speed) = self.speed {
            preset.speed = speed;
        }
        preset
    }
}

impl Default for Network {
    fn default() -> Self {
        Network {
            connect_timeout_s: 10.0,
            timeout_s: 60.0,
            max_attempts: 5,
            budget_s: 300.0,
            backoff_ms: 500,
            max_response_mb: 50,
        }
    }
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("no voice named {name:?}{}; built-in voices: {}", suggestion(.suggestions), names())]
    Unknown { name: String, suggestions: Vec<String> },
    #[error("{path}: cannot read the voice preset: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("voice preset {name}: {message}")]
    Invalid { name: String, message: String },
}

fn suggestion(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean {one:?}?)"),
        many => format!(" (did you mean one of {}?)", many.join(", ")),
    }
}

fn names() -> String {
    BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

impl Preset {
    /// The kind's own settings as its backend's closed type `S` (which refuses unknown
    /// fields); the error names the field.
    pub fn settings<S: serde::de::DeserializeOwned>(&self) -> Result<S, String> {
        let read = |table: toml::Table| S::deserialize(toml::Value::Table(table));
        read(self.rest.clone()).map_err(|e| {
            let message = e.message().trim().to_string();
            // A wrong value's message does not say whose: find the field alone.
            let culprit = self
                .rest
                .iter()
                .find(|(name, value)| read(toml::Table::from_iter([((*name).clone(), (*value).clone())])).is_err());
            match culprit {
                Some((name, _)) if !message.contains(&format!("`{name}`")) => format!("{name}: {message}"),
                _ => message,
            }
        })
    }

    pub fn limits(&self) -> Limits {
        Limits { max_chars: self.max_chars, max_bytes: self.max_bytes }
    }

    /// The longest audio, in seconds, this voice may plausibly need for `chars` characters.
    pub fn longest_plausible(&self, chars: usize) -> f64 {
        (5.0 + chars as f64 * self.max_seconds_per_char) / f64::from(self.speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_presets_parse() {
        for (name, _) in BUILT_IN {
            let p = Preset::find(name).unwrap();
            assert_eq!(p.name, *name);
            assert!(crate::backend::registry::find(&p.kind).is_some(), "{name}: kind {}", p.kind);
        }
        assert_eq!(Preset::find(DEFAULT).unwrap().voice, "cmn-latn-pinyin");
    }

    #[test]
    fn voice_follows_the_language_of_the_text() {
        assert_eq!(for_text("标题\n正文，有一个 English word。"), "zh-espeak");
        assert_eq!(for_text("An English article about 中文 words, mostly English."), "en-espeak");
        assert_eq!(for_text("…"), DEFAULT);
    }

    #[test]
    fn every_file_in_voices_is_built_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let built_in =
                BUILT_IN.iter().find(|(n, _)| *n == stem).unwrap_or_else(|| panic!("{stem} is not in BUILT_IN"));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), built_in.1);
            Preset::find(path.to_str().unwrap()).unwrap();
        }
    }

    #[test]
    fn mistyped_name_gets_a_suggestion() {
        let err = Preset::find("zh-espek").unwrap_err().to_string();
        assert!(err.contains("did you mean \"zh-espeak\""), "{err}");
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let err = Preset::from_toml("x", "kind='espeak'\nlanguage='zh'\nvoice='cmn'\nmax_char=3").unwrap_err();
        assert!(err.to_string().contains("max_char"), "{err}");
        let err = Preset::from_toml("x", "kind='espeak'\nlanguage='zh'\nvoice='cmn'\nspeed=9").unwrap_err();
        assert!(err.to_string().contains("speed"), "{err}");
    }

    #[test]
    fn unknown_kinds_are_refused_with_a_suggestion_and_files_are_named() {
        let err = Preset::from_toml("x", "kind='opneai'\nlanguage='zh'\nvoice='v'").unwrap_err().to_string();
        assert!(err.contains("unknown backend kind \"opneai\" (did you mean \"openai\"?)"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.toml");
        std::fs::write(&path, "kind = 'espeak'\nlanguage = 'zh\nvoice = 'cmn'\n").unwrap();
        let err = Preset::find(path.to_str().unwrap()).unwrap_err().to_string();
        assert!(err.contains("broken.toml") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn each_kind_takes_only_its_own_fields() {
        let err = Preset::from_toml("x", "kind='espeak'\nlanguage='zh'\nvoice='cmn'\nregion='eastasia'").unwrap_err();
        assert!(err.to_string().contains("unknown field `region`"), "{err}");
        let err = Preset::from_toml("x", "kind='openai'\nlanguage='zh'\nvoice='v'\nformat=3").unwrap_err();
        assert!(err.to_string().contains("format: invalid type"), "{err}");
        let p = Preset::from_toml("x", "kind='azure'\nlanguage='zh'\nvoice='v'\nregion='eastasia'").unwrap();
        assert_eq!(p.rest.get("region").and_then(|r| r.as_str()), Some("eastasia"));
    }

    #[test]
    fn overrides_replace_the_bounds() {
        let p = Preset::find(DEFAULT).unwrap();
        let o = Overrides {
            max_response_mb: Some(2),
            budget_s: Some(7.5),
            max_seconds_per_char: Some(0.5),
            speed: Some(1.25),
        };
        let q = o.apply(p.clone());
        assert_eq!((q.network.max_response_mb, q.network.budget_s, q.network.timeout_s), (2, 7.5, 7.5));
        assert_eq!((q.max_seconds_per_char, q.speed), (0.5, 1.25));
        assert_eq!(Overrides::default().apply(p.clone()), p);
        assert_eq!(p.longest_plausible(10), 20.0);
    }

    #[test]
    fn pauses_default_when_absent() {
        let p = Preset::from_toml("x", "kind='espeak'\nlanguage='zh'\nvoice='cmn'\n[pauses]\nheading_ms=1\n").unwrap();
        assert_eq!(p.pauses.heading_ms, 1);
        assert_eq!(p.pauses.chapter_ms, Pauses::default().chapter_ms);
    }
}
