//! Opening the build's cache folder (none with `--no-cache`).

use crate::build::settings::{BuildError, BuildSettings};
use crate::synth::CacheUse;
use crate::synth::cache::Cache;

pub fn open(settings: &BuildSettings) -> Result<Option<(Cache, CacheUse)>, BuildError> {
    match &settings.cache {
        Some((dir, how)) => {
            let cache = Cache::open(dir).map_err(|source| BuildError::Cache { path: dir.clone(), source })?;
            Ok(Some((cache, *how)))
        }
        None => Ok(None),
    }
}
