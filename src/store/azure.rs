//! Azure Blob Storage: `az://CONTAINER/PREFIX` (also `azure://…`), as object_store, DuckDB
//! and adlfs write it; the account comes from the environment.
//!
//! Get Blob, Get Blob Properties, Put Blob (a block blob, `If-None-Match: *` for a
//! conditional create), Delete Blob and List Blobs over the program's blocking reqwest client.
//! Variables: `AZURE_STORAGE_ACCOUNT` (required), and either `AZURE_STORAGE_KEY` (the account
//! key in base64, requests signed with Shared Key, [`super::azure_sign`]) or
//! `AZURE_STORAGE_SAS_TOKEN` (a SAS token, appended to every request). `AZURE_STORAGE_ENDPOINT`
//! replaces `https://ACCOUNT.blob.core.windows.net` (Azurite: `http://127.0.0.1:10000/devstoreaccount1`).

use std::time::{Duration, SystemTime};

use base64::Engine;
use reqwest::blocking::{Client, Response};

use super::azure_sign::Request;
use super::sigv4::uri_encode;
use super::{Put, PutMode, Store, StoreError};
use crate::backend::secret::{Secret, redact_known};

/// The service version asked for: one Azurite 3.35 and Azure both speak.
pub const VERSION: &str = "2025-01-05";
const ATTEMPTS: u32 = 3;

enum Auth {
    /// The account key, decoded.
    SharedKey(Vec<u8>),
    /// A SAS token's query string, without a leading `?`.
    Sas(Secret),
}

pub struct AzureStore {
    client: Client,
    account: String,
    /// `ENDPOINT/container/`.
    container: url::Url,
    /// The prefix with a trailing `/`, or empty.
    prefix: String,
    auth: Auth,
    /// `az://container/prefix at ENDPOINT`: never a secret.
    described: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

impl AzureStore {
    pub fn from_env(url: &url::Url) -> Result<AzureStore, StoreError> {
        let container = url.host_str().unwrap_or_default().to_string();
        let prefix = url.path().trim_matches('/').to_string();
        let account = env("AZURE_STORAGE_ACCOUNT").unwrap_or_default();
        let endpoint = env("AZURE_STORAGE_ENDPOINT")
            .unwrap_or_else(|| format!("https://{account}.blob.core.windows.net"))
            .trim_end_matches('/')
            .to_string();
        let described = format!("{} at {endpoint}", format!("az://{container}/{prefix}").trim_end_matches('/'));
        let fail = |message: &str, advice: &str| StoreError {
            store: described.clone(),
            message: message.to_string(),
            advice: advice.to_string(),
        };
        if container.is_empty() {
            return Err(fail("no container named", "give az://CONTAINER/PREFIX"));
        }
        if account.is_empty() {
            return Err(fail("no storage account", "set AZURE_STORAGE_ACCOUNT to the storage account's name"));
        }
        let container_url = url::Url::parse(&format!("{endpoint}/{}/", uri_encode(&container, false)))
            .map_err(|e| fail(&format!("the endpoint is not a URL ({e})"), "fix AZURE_STORAGE_ENDPOINT"))?;
        if !container_url.username().is_empty() || container_url.password().is_some() || container_url.query().is_some()
        {
            return Err(fail(
                "AZURE_STORAGE_ENDPOINT carries credentials or a query",
                "give the bare endpoint and set AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN",
            ));
        }
        let auth = if let Some(key) = Secret::from_env("AZURE_STORAGE_KEY") {
            let decoded = base64::engine::general_purpose::STANDARD.decode(key.expose()).map_err(|_| {
                fail("AZURE_STORAGE_KEY is not base64", "copy the account's access key as the portal shows it")
            })?;
            Auth::SharedKey(decoded)
        } else if let Some(sas) = env("AZURE_STORAGE_SAS_TOKEN") {
            Auth::Sas(Secret::new(sas.trim_start_matches('?').to_string()))
        } else {
            return Err(fail(
                "no credentials",
                "set AZURE_STORAGE_KEY (the account key) or AZURE_STORAGE_SAS_TOKEN (a SAS token with read, \
                 write, delete and list rights on the container)",
            ));
        };
        crate::backend::transport::install_crypto_provider();
        let client = Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("seedaudio/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| fail(&format!("cannot set up the HTTP client: {}", e.without_url()), "report this"))?;
        Ok(AzureStore {
            client,
            account,
            container: container_url,
            prefix: if prefix.is_empty() { prefix } else { format!("{prefix}/") },
            auth,
            described,
        })
    }

    fn error(&self, message: String, advice: &str) -> StoreError {
        StoreError { store: self.described.clone(), message: redact_known(&message), advice: advice.into() }
    }

    fn unreachable(&self, message: String) -> StoreError {
        self.error(
            message,
            "check that the store is up and reachable from here, then run the same command again (what was \
             synthesized is kept in the local cache); or build without --shared-cache",
        )
    }

    fn blob(&self, name: &str) -> url::Url {
        self.container.join(&uri_encode(&format!("{}{name}", self.prefix), true)).expect("blob names are relative")
    }

    /// Sends one authorized request, trying again after a dropped connection or a 5xx.
    /// `url`'s query holds the operation's parameters only: the SAS token is added here.
    fn send(
        &self,
        method: reqwest::Method,
        url: url::Url,
        name: &str,
        body: &[u8],
        extra: &[(&str, &str)],
    ) -> Result<Response, StoreError> {
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 << attempt));
            }
            let now = SystemTime::now();
            let mut headers: Vec<(String, String)> =
                vec![("x-ms-date".into(), httpdate::fmt_http_date(now)), ("x-ms-version".into(), VERSION.into())];
            headers.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
            if method == reqwest::Method::PUT {
                headers.push(("content-length".into(), body.len().to_string()));
            }
            let mut target = url.clone();
            match &self.auth {
                Auth::SharedKey(key) => {
                    let request = Request {
                        method: method.as_str(),
                        path: url.path(),
                        query: url.query_pairs().map(|(n, v)| (n.into_owned(), v.into_owned())).collect(),
                        headers: headers.clone(),
                    };
                    headers.push(("authorization".into(), request.authorization(&self.account, key)));
                }
                Auth::Sas(sas) => {
                    let query = match url.query() {
                        Some(q) => format!("{q}&{}", sas.expose()),
                        None => sas.expose().to_string(),
                    };
                    target.set_query(Some(&query));
                }
            }
            let mut request = self.client.request(method.clone(), target);
            for (name, value) in headers.iter().filter(|(n, _)| n != "content-length") {
                request = request.header(name, value);
            }
            if method == reqwest::Method::PUT {
                request = request.body(body.to_vec());
            }
            match request.send() {
                Ok(response) if response.status().is_server_error() => {
                    last = Some(format!("{name}: the server answered {}", response.status()));
                }
                Ok(response) => return Ok(response),
                Err(e) => last = Some(format!("cannot reach it: {}", chain(&e.without_url()))),
            }
        }
        Err(self.unreachable(format!("{} (tried {ATTEMPTS} times)", last.unwrap_or_default())))
    }

    /// Azure's error code (`x-ms-error-code`), which HEAD answers carry too.
    fn code(response: &Response) -> String {
        response.headers().get("x-ms-error-code").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }

    /// The error for an answer that is neither success nor an expected refusal.
    fn refused(&self, what: &str, name: &str, response: Response) -> StoreError {
        let status = response.status();
        let code = Self::code(&response);
        let body = response.text().unwrap_or_default();
        let said = body
            .split_once("<Message>")
            .and_then(|(_, rest)| rest.split_once("</Message>"))
            .map(|(m, _)| m.lines().next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let advice = match (status.as_u16(), code.as_str()) {
            (401 | 403, _) => match self.auth {
                Auth::SharedKey(_) => {
                    "check AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY (the account's access key), and the clock"
                }
                Auth::Sas(_) => {
                    "check AZURE_STORAGE_SAS_TOKEN: not expired, for this account and container, with read, write, \
                     delete and list rights"
                }
            },
            (404, "ContainerNotFound") => "create the container (az storage container create), or check its name",
            (404, _) => "check AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_ENDPOINT and the container's name",
            _ => "check the store, then run the same command again",
        };
        self.error(format!("{what} {name} was refused: {status} {code} {said}").trim_end().to_string(), advice)
    }
}

impl Store for AzureStore {
    fn describe(&self) -> &str {
        &self.described
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let response = self.send(reqwest::Method::GET, self.blob(name), name, b"", &[])?;
        match response.status().as_u16() {
            200 => response
                .bytes()
                .map(|b| Some(b.to_vec()))
                .map_err(|e| self.unreachable(format!("reading {name} failed: {}", chain(&e)))),
            404 if Self::code(&response) == "BlobNotFound" => Ok(None),
            _ => Err(self.refused("reading", name, response)),
        }
    }

    fn head(&self, name: &str) -> Result<bool, StoreError> {
        let response = self.send(reqwest::Method::HEAD, self.blob(name), name, b"", &[])?;
        match response.status().as_u16() {
            200 => Ok(true),
            404 if Self::code(&response) != "ContainerNotFound" => Ok(false),
            _ => Err(self.refused("looking up", name, response)),
        }
    }

    fn put_typed(&self, name: &str, bytes: &[u8], mode: PutMode, content_type: &str) -> Result<Put, StoreError> {
        let mut headers = vec![
            ("x-ms-blob-type", "BlockBlob"),
            ("content-type", content_type),
            ("x-ms-blob-content-type", content_type),
        ];
        if mode == PutMode::IfAbsent {
            headers.push(("if-none-match", "*"));
        }
        let response = self.send(reqwest::Method::PUT, self.blob(name), name, bytes, &headers)?;
        match (response.status().as_u16(), Self::code(&response).as_str()) {
            (201, _) => Ok(Put::Written),
            // 409 BlobAlreadyExists or 412 ConditionNotMet: another writer published this name.
            (409, "BlobAlreadyExists") | (412, _) if mode == PutMode::IfAbsent => Ok(Put::Exists),
            _ => Err(self.refused("writing", name, response)),
        }
    }

    fn list(&self, folder: &str) -> Result<Vec<String>, StoreError> {
        let full = format!("{}{folder}", self.prefix);
        let mut names = Vec::new();
        let mut marker: Option<String> = None;
        let mut root = self.container.clone();
        root.set_path(self.container.path().trim_end_matches('/'));
        loop {
            let mut url = root.clone();
            {
                let mut query = url.query_pairs_mut();
                query.append_pair("restype", "container").append_pair("comp", "list").append_pair("prefix", &full);
                if let Some(marker) = &marker {
                    query.append_pair("marker", marker);
                }
            }
            let response = self.send(reqwest::Method::GET, url, folder, b"", &[])?;
            if response.status().as_u16() != 200 {
                return Err(self.refused("listing", folder, response));
            }
            let text =
                response.text().map_err(|e| self.unreachable(format!("listing {folder} failed: {}", chain(&e))))?;
            let page = super::azure_listing::parse(&text)
                .map_err(|e| self.error(format!("listing {folder}: {e}"), "check the store, then run again"))?;
            names.extend(page.names.iter().filter_map(|k| k.strip_prefix(&self.prefix)).map(str::to_string));
            match page.next {
                Some(next) => marker = Some(next),
                None => return Ok(names),
            }
        }
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        let response = self.send(reqwest::Method::DELETE, self.blob(name), name, b"", &[])?;
        match response.status().as_u16() {
            200 | 202 | 204 => Ok(()),
            404 if Self::code(&response) != "ContainerNotFound" => Ok(()),
            _ => Err(self.refused("removing", name, response)),
        }
    }
}
