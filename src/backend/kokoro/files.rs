//! Where an installed Kokoro lives and what it holds: the one agreement between the
//! installer (`seedaudio voices install kokoro`) and the engine that loads it.
//!
//! The folder (see [`Install::dir`]) holds:
//!
//! ```text
//! kokoro/
//!   kokoro-v1.0.int8.onnx        the model, joined from its parts and checked by sha256
//!   voices/NAME.bin              each voice: 510 × 256 little-endian f32 style vectors
//!   libonnxruntime.so.VERSION    the ONNX Runtime library the engine loads at run time
//!   pinyin/phrases_dict.json     pypinyin's phrase readings, for Mandarin polyphones
//!   installed.json               the receipt: what was installed, from which packages, hashes
//! ```
//!
//! The receipt is written last (atomically), so a folder without one is an install that did
//! not finish: it is refused, never half-used.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The model every install holds: Kokoro-82M v1.0, int8 ONNX.
pub const MODEL_FILE: &str = "kokoro-v1.0.int8.onnx";
pub const MODEL_SHA256: &str = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb";
pub const MODEL_BYTES: u64 = 92_361_271;
/// One voice table: 510 rows (one per token count) of 256 f32.
pub const VOICE_ROWS: usize = 510;
pub const STYLE_WIDTH: usize = 256;
pub const VOICE_BYTES: u64 = (VOICE_ROWS * STYLE_WIDTH * 4) as u64;
/// The receipt's name.
pub const RECEIPT: &str = "installed.json";
/// What to run when something is missing.
pub const INSTALL_COMMAND: &str = "seedaudio voices install kokoro";

/// The receipt of a finished install.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// sha256 of the model file (hex), as checked when it was installed.
    pub model_sha256: String,
    /// The runtime library's file name inside the folder (e.g. `libonnxruntime.so.1.32.0`).
    pub runtime: String,
    /// The phrase dictionary's path inside the folder, when one was installed.
    pub phrases: Option<String>,
    /// The voices installed, by name (`zf_xiaobei`, `af_heart`…).
    pub voices: Vec<String>,
    /// The packages the files came from, `name==version`.
    pub packages: Vec<String>,
    /// Bytes on disk, all files together.
    pub bytes: u64,
    /// The package files the install was made from, each with the sha256 it was checked
    /// against (absent from receipts written before the installer kept them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
}

/// One package file an install was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// `name==version`.
    pub package: String,
    /// The file the package client wrote.
    pub file: String,
    pub sha256: String,
}

/// A Kokoro install folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Install {
    dir: PathBuf,
}

/// Why an install cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum NotInstalled {
    #[error("Kokoro is not installed in {dir}; run `{INSTALL_COMMAND}` (once, about 150 MB)")]
    Missing { dir: PathBuf },
    #[error("the Kokoro install in {dir} is damaged ({what}); run `{INSTALL_COMMAND}` again")]
    Damaged { dir: PathBuf, what: String },
}

impl Install {
    /// The install folder: `flag` (`--data-dir`), else `$SEEDAUDIO_DATA/kokoro`, else
    /// `$XDG_DATA_HOME/seedaudio/kokoro`, else `~/.local/share/seedaudio/kokoro`.
    pub fn dir(flag: Option<&Path>) -> Install {
        Install { dir: crate::backend::data_dir::data_dir(flag).join("kokoro") }
    }

    /// An install at exactly `dir` (tests, or a folder given as it is).
    pub fn at(dir: impl Into<PathBuf>) -> Install {
        Install { dir: dir.into() }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    pub fn model(&self) -> PathBuf {
        self.dir.join(MODEL_FILE)
    }

    pub fn voices_dir(&self) -> PathBuf {
        self.dir.join("voices")
    }

    pub fn voice(&self, name: &str) -> PathBuf {
        self.voices_dir().join(format!("{name}.bin"))
    }

    pub fn receipt_path(&self) -> PathBuf {
        self.dir.join(RECEIPT)
    }

    /// The receipt of a finished install whose files are all there with the right sizes
    /// (a cheap check for every build; the model's hash was checked at install time).
    pub fn check(&self) -> Result<Receipt, NotInstalled> {
        let damaged = |what: String| NotInstalled::Damaged { dir: self.dir.clone(), what };
        let text = match std::fs::read_to_string(self.receipt_path()) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(NotInstalled::Missing { dir: self.dir.clone() });
            }
            Err(e) => return Err(damaged(format!("{RECEIPT}: {e}"))),
        };
        let receipt: Receipt = serde_json::from_str(&text).map_err(|e| damaged(format!("{RECEIPT}: {e}")))?;
        let size = |path: &Path| std::fs::metadata(path).map(|m| m.len()).ok();
        if receipt.model_sha256 != MODEL_SHA256 || size(&self.model()) != Some(MODEL_BYTES) {
            return Err(damaged(format!("{MODEL_FILE} is missing or not the expected model")));
        }
        if size(&self.dir.join(&receipt.runtime)).is_none_or(|n| n == 0) {
            return Err(damaged(format!("{} is missing", receipt.runtime)));
        }
        if let Some(phrases) = &receipt.phrases
            && size(&self.dir.join(phrases)).is_none()
        {
            return Err(damaged(format!("{phrases} is missing")));
        }
        for voice in &receipt.voices {
            if size(&self.voice(voice)) != Some(VOICE_BYTES) {
                return Err(damaged(format!("voice {voice} is missing or truncated")));
            }
        }
        Ok(receipt)
    }

    /// The runtime library of a checked install.
    pub fn runtime(&self, receipt: &Receipt) -> PathBuf {
        self.dir.join(&receipt.runtime)
    }

    /// The phrase dictionary of a checked install, if it has one.
    pub fn phrases(&self, receipt: &Receipt) -> Option<PathBuf> {
        receipt.phrases.as_ref().map(|p| self.dir.join(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_a_receipt_is_not_installed_and_says_how_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let err = Install::at(dir.path()).check().unwrap_err().to_string();
        assert!(err.contains("not installed") && err.contains(INSTALL_COMMAND), "{err}");
    }

    #[test]
    fn a_truncated_voice_or_model_is_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let install = Install::at(dir.path());
        std::fs::create_dir_all(install.voices_dir()).unwrap();
        std::fs::write(install.voice("zf_xiaobei"), vec![0u8; 100]).unwrap();
        std::fs::write(dir.path().join("libonnxruntime.so.1.32.0"), b"x").unwrap();
        let receipt = Receipt {
            model_sha256: MODEL_SHA256.into(),
            runtime: "libonnxruntime.so.1.32.0".into(),
            phrases: None,
            voices: vec!["zf_xiaobei".into()],
            packages: vec![],
            bytes: 0,
            sources: vec![],
        };
        std::fs::write(install.receipt_path(), serde_json::to_string(&receipt).unwrap()).unwrap();
        let err = install.check().unwrap_err().to_string();
        assert!(err.contains("damaged") && err.contains(MODEL_FILE), "{err}");
    }
}
