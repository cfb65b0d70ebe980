//! seedaudio's data folder: where installed voices and unpacked voice data live.
//!
//! `$SEEDAUDIO_DATA`, else `$XDG_DATA_HOME/seedaudio`, else `~/.local/share/seedaudio`, else
//! a folder under the system's temporary folder (no home at all).

use std::path::{Path, PathBuf};

/// The data folder: `flag` when given (a `--data-dir` or a preset's `data_dir`), else the
/// environment's.
pub fn data_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    match (env("SEEDAUDIO_DATA"), env("XDG_DATA_HOME"), env("HOME")) {
        (Some(dir), _, _) => dir,
        (None, Some(xdg), _) => xdg.join("seedaudio"),
        (None, None, Some(home)) => home.join(".local").join("share").join("seedaudio"),
        (None, None, None) => std::env::temp_dir().join("seedaudio-data"),
    }
}
