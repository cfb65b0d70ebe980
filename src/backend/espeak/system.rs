//! The `espeak-ng` program: text on stdin, WAV on stdout, never through a shell; run under
//! [`crate::backend::process`] supervision, so a stuck or runaway run is stopped by the
//! utterance's deadline, the preset's `[network] timeout_s` and `max_response_mb`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::audio::AudioHint;
use crate::backend::process::Job;
use crate::backend::{Audio, Backend, BackendError, Request};

pub struct System {
    program: PathBuf,
    version: String,
    voice: String,
    wpm: u32,
    /// One run's longest time.
    timeout: Duration,
    /// The most audio one run may write.
    max_bytes: u64,
}

impl System {
    /// The program on `PATH`, or `None` when it is not installed or does not run.
    pub fn find(voice: &str, wpm: u32, timeout: Duration, max_bytes: u64) -> Option<System> {
        let program = crate::backend::program::find("espeak-ng")?;
        let output = Command::new(&program).arg("--version").stdin(Stdio::null()).output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit())).unwrap_or("?");
        Some(System { program, version: version.to_string(), voice: voice.to_string(), wpm, timeout, max_bytes })
    }
}

impl Backend for System {
    fn kind(&self) -> &'static str {
        "espeak"
    }

    fn engine(&self) -> String {
        format!("espeak-ng {} (system)", self.version)
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let mut command = Command::new(&self.program);
        command.args(["-v", &self.voice, "-s", &self.wpm.to_string(), "-b", "1", "--stdin", "--stdout"]);
        let limit = Instant::now() + self.timeout;
        let job = Job {
            name: "espeak-ng",
            command,
            input: Some(text.as_bytes()),
            max_stdout: Some(self.max_bytes),
            deadline: request.deadline.map_or(limit, |d| d.min(limit)),
            redact: &str::to_string,
        };
        let finished = job.run()?;
        Ok(Audio { bytes: finished.stdout, hint: AudioHint::Sniff })
    }
}
