//! How a service that takes either form is sent its key: in the service's own header or
//! parameter (`auth = "key"`, the default), or as an `Authorization: Bearer` token
//! (`auth = "bearer"`). Where the key goes in the first form is the service's to say.

use reqwest::blocking::RequestBuilder;

use super::SetupError;
use super::preset::Preset;
use super::secret::Secret;

/// The key (or token) and the variable it came from, for messages.
pub enum Auth {
    /// No key: a local or test server.
    None,
    Key(Secret, String),
    Bearer(Secret, String),
}

impl Auth {
    /// The form the preset's `auth` names for `key`; anything but `key` or `bearer` is refused.
    pub fn choose(preset: &Preset, auth: Option<&str>, key: Option<Secret>) -> Result<Auth, SetupError> {
        let var = preset.api_key_env.clone().unwrap_or_default();
        match (auth, key) {
            (_, None) => Ok(Auth::None),
            (None | Some("key"), Some(k)) => Ok(Auth::Key(k, var)),
            (Some("bearer"), Some(k)) => Ok(Auth::Bearer(k, var)),
            (Some(other), _) => Err(SetupError::invalid(
                preset,
                format!("auth = {other:?}: {} takes \"key\" or \"bearer\"", preset.kind),
            )),
        }
    }

    /// `request` carrying the key: `own_place` puts it where the service wants a plain key.
    pub fn sign(
        &self,
        request: RequestBuilder,
        own_place: impl FnOnce(RequestBuilder, &str) -> RequestBuilder,
    ) -> RequestBuilder {
        match self {
            Auth::None => request,
            Auth::Key(key, _) => own_place(request, key.expose()),
            Auth::Bearer(token, _) => request.bearer_auth(token.expose()),
        }
    }
}
