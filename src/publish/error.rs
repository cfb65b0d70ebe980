//! How a publishing step fails.

use std::path::{Path, PathBuf};

use super::feed;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Feed(#[from] feed::FeedError),
    #[error("{0}")]
    Other(String),
}

/// Turns an I/O error on `path` into a [`PublishError`].
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + use<> {
    let path = path.to_path_buf();
    move |source| PublishError::Io { path, source }
}
