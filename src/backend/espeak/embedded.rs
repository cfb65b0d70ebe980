//! The eSpeak NG port compiled into seedaudio (crate `espeak-ng`), with its Mandarin and
//! English data bundled: speech with nothing installed.

use std::sync::Mutex;

use espeak_ng::{EspeakNg, Parameter};

use crate::audio::AudioHint;
use crate::backend::{Audio, Backend, BackendError, Request};

pub struct Embedded {
    /// The bundled data, unpacked ([`super::bundled`]).
    data: super::bundled::Bundled,
    voice: String,
    wpm: u32,
    /// Idle engines; each call takes one (or makes one), so threads never share an engine.
    pool: Mutex<Vec<EspeakNg>>,
}

impl Embedded {
    pub fn new(voice: &str, wpm: u32) -> Result<Self, String> {
        let data = super::bundled::unpacked()?;
        let embedded = Embedded { data, voice: voice.to_string(), wpm, pool: Mutex::new(Vec::new()) };
        let engine = embedded.make_engine().map_err(|e| e.to_string())?;
        embedded.put_back(engine);
        Ok(embedded)
    }

    fn make_engine(&self) -> Result<EspeakNg, BackendError> {
        let mut engine = EspeakNg::with_data_dir(&self.voice, self.data.path()).map_err(|e| {
            BackendError::Rejected(format!(
                "the built-in engine has no voice {:?} ({e}); it knows the cmn and en voices",
                self.voice
            ))
        })?;
        engine.set_parameter(Parameter::Rate, self.wpm as i32);
        Ok(engine)
    }

    fn put_back(&self, engine: EspeakNg) {
        self.pool.lock().unwrap_or_else(|p| p.into_inner()).push(engine);
    }
}

impl Backend for Embedded {
    fn kind(&self) -> &'static str {
        "espeak"
    }

    fn engine(&self) -> String {
        format!("espeak-ng (built-in, crate {})", EspeakNg::version())
    }

    /// The engine runs in this thread and cannot be stopped, so the deadline is not
    /// enforced here; an utterance takes it milliseconds.
    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let idle = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let engine = match idle {
            Some(engine) => engine,
            None => self.make_engine()?,
        };
        let result = engine.synth(text);
        self.put_back(engine);
        let (samples, rate) = result.map_err(|e| BackendError::Rejected(format!("built-in espeak-ng: {e}")))?;
        let bytes = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        Ok(Audio { bytes, hint: AudioHint::RawS16Le { rate, channels: 1 } })
    }
}
