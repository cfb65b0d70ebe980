//! Getting the audio of one utterance: from the cache, else from the voice's backend (cached
//! the moment it arrives), else — when the preset names a `fallback` voice — from that.

pub mod cache;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::audio;
pub use crate::backend::Request;
use crate::backend::preset::Preset;
use crate::backend::secret::redact_known;
use crate::backend::{Audio, Backend, Body};
use crate::loudness::Leveled;
use crate::plan::Utterance;
use cache::{Cache, CacheKey, Lookup, Next, PutError};

/// A voice ready to speak (a preset with its backend): its preset, its backend and what identifies its audio.
pub struct Speaker {
    pub preset: Preset,
    pub backend: Box<dyn Backend>,
    identity: String,
}

impl Speaker {
    pub fn new(preset: Preset, backend: Box<dyn Backend>) -> Speaker {
        let identity = cache::key::identity(&preset, &backend.cache_identity());
        Speaker { preset, backend, identity }
    }

    /// What this voice is sent for `utterance`: the SSML form when it speaks SSML and the
    /// lexicon gave markup, else the plain spoken form.
    pub fn request<'a>(&self, utterance: &'a Utterance) -> Request<'a> {
        match &utterance.ssml {
            Some(ssml) if self.backend.takes_ssml() => Request::ssml(ssml),
            _ => Request::text(&utterance.say),
        }
    }

    /// The cache key of a request: the identity and the exact words sent (its deadline is
    /// no part of it).
    pub fn key(&self, request: Request<'_>) -> CacheKey {
        match request.body {
            Body::Text(text) => CacheKey::new(&self.identity, text),
            Body::Ssml(ssml) => CacheKey::new(&self.identity, &format!("<ssml>{ssml}")),
        }
    }
}

/// How the cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Read and write.
    Normal,
    /// Synthesize everything again and overwrite.
    Refresh,
}

/// Where an utterance's audio came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Synthesized,
    /// Found in the cache, put there by an earlier build.
    Cached,
    /// Found in the cache where this build put it moments before: the same request earlier
    /// in this build (a heading re-read at a paid or continued chapter, a repeated line).
    Repeated,
    /// Read by the fallback voice after the primary failed with `reason`.
    Fallback {
        reason: String,
    },
}

pub struct Spoken {
    pub samples: Vec<f32>,
    pub source: Source,
    /// The cache key (hex) of the audio used.
    pub key: String,
    /// What loudness leveling did to `samples`, once the build has leveled them (the cache
    /// keeps the backend's audio as it came).
    pub leveled: Option<Leveled>,
}

/// Why an utterance has no audio.
#[derive(Debug, Clone)]
pub struct SpeakError {
    pub message: String,
    /// No other utterance can succeed either (a bad key, an exhausted quota): stop the build.
    pub fatal: bool,
}

pub struct Synthesizer {
    pub primary: Speaker,
    pub fallback: Option<Speaker>,
    cache: Option<(Cache, CacheUse)>,
    rate: u32,
    /// Utterances whose audio is in the cache, found there or stored this run.
    saved: AtomicUsize,
    warnings: Mutex<Vec<String>>,
    /// Keys being synthesized now: the same text twice in one build (a re-read heading, a
    /// repeated line) is asked for once, the second waits and finds it in the cache.
    in_flight: Mutex<HashSet<CacheKey>>,
    done: Condvar,
    /// Keys synthesized and cached by this build: a later hit on one is a repeat, not audio
    /// an earlier build left.
    made: Mutex<HashSet<CacheKey>>,
}

/// Holds a key in `in_flight` until dropped.
struct Claim<'a> {
    synth: &'a Synthesizer,
    key: CacheKey,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.synth.in_flight.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.key);
        self.synth.done.notify_all();
    }
}

impl Synthesizer {
    pub fn new(primary: Speaker, fallback: Option<Speaker>, cache: Option<(Cache, CacheUse)>, rate: u32) -> Self {
        Synthesizer {
            primary,
            fallback,
            cache,
            rate,
            saved: AtomicUsize::new(0),
            warnings: Mutex::new(Vec::new()),
            in_flight: Mutex::new(HashSet::new()),
            done: Condvar::new(),
            made: Mutex::new(HashSet::new()),
        }
    }

    pub fn saved(&self) -> usize {
        self.saved.load(Ordering::SeqCst)
    }

    /// Warnings gathered since the last call (a corrupt cache entry, a cache that cannot be written).
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn warn(&self, message: String) {
        let message = redact_known(&message);
        self.warnings.lock().unwrap_or_else(|p| p.into_inner()).push(message);
    }

    pub fn speak(&self, utterance: &Utterance) -> Result<Spoken, SpeakError> {
        match self.speak_with(&self.primary, utterance) {
            Ok(spoken) => Ok(spoken),
            Err(error) => match &self.fallback {
                Some(fallback) => {
                    let mut spoken = self.speak_with(fallback, utterance).map_err(|e| SpeakError {
                        message: redact_known(&format!(
                            "{}; the fallback voice {} failed too: {}",
                            error.message, fallback.preset.name, e.message
                        )),
                        fatal: false,
                    })?;
                    spoken.source = Source::Fallback { reason: error.message };
                    Ok(spoken)
                }
                None => Err(error),
            },
        }
    }

    /// Waits while another thread synthesizes the same key, then claims it.
    fn claim(&self, key: &CacheKey) -> Claim<'_> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        while in_flight.contains(key) {
            in_flight = self.done.wait(in_flight).unwrap_or_else(|p| p.into_inner());
        }
        in_flight.insert(key.clone());
        Claim { synth: self, key: key.clone() }
    }

    pub fn has_cache(&self) -> bool {
        matches!(self.cache, Some((_, CacheUse::Normal)))
    }

    /// Whether the cache holds `utterance` for the primary voice.
    pub fn is_cached(&self, utterance: &Utterance) -> bool {
        match &self.cache {
            Some((cache, CacheUse::Normal)) => cache.contains(&self.primary.key(self.primary.request(utterance))),
            _ => false,
        }
    }

    fn speak_with(&self, voice: &Speaker, utterance: &Utterance) -> Result<Spoken, SpeakError> {
        let request = voice.request(utterance);
        let key = voice.key(request);
        let _claim = self.cache.is_some().then(|| self.claim(&key));
        if let Some((cache, CacheUse::Normal)) = &self.cache {
            match cache.get(&key) {
                Lookup::Hit(audio) => match self.prepare(voice, &audio, request.chars()) {
                    Ok(samples) => {
                        self.saved.fetch_add(1, Ordering::SeqCst);
                        let made = self.made.lock().unwrap_or_else(|p| p.into_inner()).contains(&key);
                        let source = if made { Source::Repeated } else { Source::Cached };
                        return Ok(Spoken { samples, source, key: key.hex(), leveled: None });
                    }
                    Err(e) => self.warn(format!(
                        "cache entry {} no longer decodes ({}); synthesizing again",
                        key.hex(),
                        e.message
                    )),
                },
                Lookup::Corrupt(why) => {
                    self.warn(format!("cache entry {} was damaged ({why}); discarded, synthesizing again", key.hex()))
                }
                Lookup::Miss => {}
                Lookup::Unavailable(e) => {
                    return Err(SpeakError { message: redact_known(&e.to_string()), fatal: true });
                }
            }
        }
        // Workers sharing a store take turns: one synthesizes, the others take its entry.
        let mut _turn = None;
        if let Some((cache, CacheUse::Normal)) = &self.cache {
            let lease = Duration::from_secs_f64(voice.preset.network.budget_s) + cache::turn::LEASE_MARGIN;
            match cache.turn(&key, lease) {
                Err(e) => return Err(SpeakError { message: redact_known(&e.to_string()), fatal: true }),
                Ok(Next::Synthesize(claim)) => _turn = claim,
                Ok(Next::Take(audio)) => {
                    if let Ok(samples) = self.prepare(voice, &audio, request.chars()) {
                        self.saved.fetch_add(1, Ordering::SeqCst);
                        return Ok(Spoken { samples, source: Source::Cached, key: key.hex(), leveled: None });
                    }
                }
            }
        }
        let audio = voice.backend.synthesize(&request).map_err(|e| SpeakError {
            fatal: e.is_fatal(),
            message: redact_known(&format!("{} ({}): {e}", voice.preset.name, voice.backend.kind())),
        })?;
        // Only audio that decodes is kept, so a bad response is asked for again next time.
        let samples = self.prepare(voice, &audio, request.chars())?;
        if let Some((cache, how)) = &self.cache {
            match cache.put(&key, voice.backend.kind(), &audio, *how == CacheUse::Refresh) {
                Ok(()) => {
                    self.saved.fetch_add(1, Ordering::SeqCst);
                    self.made.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone());
                }
                Err(PutError::Local(e)) => {
                    self.warn(format!("cannot write to the cache at {}: {e}", cache.dir().display()))
                }
                // The audio is in the local cache, so the next run takes it from there.
                Err(PutError::Shared(e)) => {
                    return Err(SpeakError { message: redact_known(&e.to_string()), fatal: true });
                }
            }
        }
        Ok(Spoken { samples, source: Source::Synthesized, key: key.hex(), leveled: None })
    }

    /// Decoded, checked samples for a request of `chars` characters: a WAV header that
    /// contradicts the preset's `sample_rate`, noise, silence, or audio far longer than the
    /// text could need are errors, never part of a chapter.
    fn prepare(&self, voice: &Speaker, audio: &Audio, chars: usize) -> Result<Vec<f32>, SpeakError> {
        // The audio checks quote what the server sent (an error page's first words, say).
        let error = |message: String| SpeakError {
            message: redact_known(&format!("{} ({}) audio: {message}", voice.preset.name, voice.backend.kind())),
            fatal: false,
        };
        if let (Some(preset_rate), audio::AudioHint::Sniff) = (voice.preset.sample_rate, audio.hint)
            && let Some((header_rate, header_channels)) = audio::riff::wav_format(&audio.bytes)
            && (header_rate != preset_rate || header_channels != 1)
        {
            let e = audio::AudioError::HeaderMismatch { header_rate, header_channels, preset_rate };
            return Err(error(e.to_string()));
        }
        let samples = audio::prepare(&audio.bytes, audio.hint, self.rate).map_err(|e| error(e.to_string()))?;
        let seconds = samples.len() as f64 / f64::from(self.rate);
        let longest = voice.preset.longest_plausible(chars);
        if seconds > longest {
            return Err(error(format!(
                "audio far longer than the text: {seconds:.1} s for {chars} characters, where at most {longest:.1} s \
                 is plausible; the server may be looping or reading something else. If this voice really is that \
                 slow, raise max_seconds_per_char in the preset (now {}) or pass --max-seconds-per-char",
                voice.preset.max_seconds_per_char
            )));
        }
        Ok(samples)
    }
}
