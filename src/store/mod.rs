//! Object stores that hold a shared utterance cache (`--shared-cache URL`).
//!
//! A [`Store`] keeps whole objects under names such as `entries/ab/ab12….entry`. Its contract:
//!
//! - an object is published whole or not at all: [`Store::get`] never returns part of an
//!   object that is still being written (S3 PUT is atomic per object; the local store writes a
//!   temporary file and links it into place);
//! - [`PutMode::IfAbsent`] creates an object only if no object has that name (S3
//!   `If-None-Match: *`): of two writers racing on one name exactly one wins, the other is told
//!   [`Put::Exists`] and leaves the object alone;
//! - every error names the store by [`Store::describe`], which never holds a secret, and says
//!   what to do.
//!
//! Stores spoken: `s3://bucket/prefix` (AWS S3 and S3-compatible servers such as MinIO, and
//! GCS through its S3-compatible XML API), `az://container/prefix` (Azure Blob Storage) and
//! `file:///path`.

pub mod azure;
pub mod azure_listing;
pub mod azure_sign;
pub mod listing;
pub mod local;
pub mod s3;
pub mod sigv4;

/// How [`Store::put`] treats an object already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutMode {
    /// Create only; leave an existing object alone.
    IfAbsent,
    /// Replace whatever is there (a damaged object, `--refresh`).
    Overwrite,
}

/// What [`Store::put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Written,
    /// `IfAbsent` and another writer had already published this name.
    Exists,
}

/// A store that could not be read or written. Its text names the store and says what to do.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the shared cache {store}: {message}; {advice}")]
pub struct StoreError {
    /// The store's URL, without secrets.
    pub store: String,
    pub message: String,
    pub advice: String,
}

/// A place that holds whole named objects. See the module's documentation for the contract.
pub trait Store: Send + Sync {
    /// The store's URL, as shown in messages: never a secret.
    fn describe(&self) -> &str;
    /// The object's bytes, or `None` when there is no object by that name.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Whether an object by that name exists.
    fn head(&self, name: &str) -> Result<bool, StoreError>;
    /// Publishes `bytes` under `name`, whole, as `application/octet-stream`.
    fn put(&self, name: &str, bytes: &[u8], mode: PutMode) -> Result<Put, StoreError> {
        self.put_typed(name, bytes, mode, "application/octet-stream")
    }
    /// Publishes `bytes` under `name`, whole, served with `content_type` (S3 `Content-Type`;
    /// a local folder has no such thing and ignores it).
    fn put_typed(&self, name: &str, bytes: &[u8], mode: PutMode, content_type: &str) -> Result<Put, StoreError>;
    /// The names of every object under the folder `folder` (a name ending in `/`), in no
    /// particular order: what is listed was whole when listed.
    fn list(&self, folder: &str) -> Result<Vec<String>, StoreError>;
    /// Removes the object by that name; removing one that is not there is not an error.
    fn delete(&self, name: &str) -> Result<(), StoreError>;
}

/// Opens the store a URL names: `s3://bucket[/prefix]`, `az://container[/prefix]` or `file:///path`.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    let bad = |message: String| StoreError {
        // Whatever stood before an `@` could be a secret.
        store: match url.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", rest.rsplit('@').next().unwrap_or_default()),
            None => url.rsplit('@').next().unwrap_or_default().to_string(),
        },
        message,
        advice: "give s3://BUCKET/PREFIX, az://CONTAINER/PREFIX or file:///PATH".into(),
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(
            bad("credentials do not belong in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (S3) or AZURE_STORAGE_KEY (Azure)".into()),
        );
    }
    match parsed.scheme() {
        "s3" => Ok(Box::new(s3::S3Store::from_env(&parsed)?)),
        "az" | "azure" => Ok(Box::new(azure::AzureStore::from_env(&parsed)?)),
        "file" => {
            let path = parsed.to_file_path().map_err(|()| bad("not a local path".into()))?;
            Ok(Box::new(local::LocalStore::open(&path)?))
        }
        other => Err(bad(format!("the scheme {other}: is not supported"))),
    }
}
