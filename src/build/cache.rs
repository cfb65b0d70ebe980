//! Opening the build's cache folder (none with `--no-cache`) and the shared store behind it
//! (`--shared-cache`).

use crate::build::settings::{BuildError, BuildSettings};
use crate::synth::CacheUse;
use crate::synth::cache::Cache;

pub fn open(settings: &BuildSettings) -> Result<Option<(Cache, CacheUse)>, BuildError> {
    match &settings.cache {
        Some((dir, how)) => {
            let mut cache = Cache::open(dir).map_err(|source| BuildError::Cache { path: dir.clone(), source })?;
            if let Some(url) = &settings.shared_cache {
                let store = crate::store::open(url).map_err(BuildError::SharedCache)?;
                // One read before anything is synthesized: a store that is down, a missing
                // bucket or refused credentials stop the build at once, not at its first miss.
                store.get("seedaudio-probe").map_err(BuildError::SharedCache)?;
                cache = cache.with_shared(store);
            }
            Ok(Some((cache, *how)))
        }
        None => Ok(None),
    }
}
