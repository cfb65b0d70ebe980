//! Amazon S3 and S3-compatible servers (MinIO, moto, …): `s3://bucket/prefix`.
//!
//! GET, HEAD and PUT (with `If-None-Match: *` for a conditional create) over the program's
//! blocking reqwest client, signed with SigV4 ([`super::sigv4`]). Credentials and region come
//! from the standard variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, `AWS_REGION` (else `AWS_DEFAULT_REGION`, else `us-east-1`). With
//! `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` the requests go there, path-style
//! (`ENDPOINT/bucket/key`); without, to `https://BUCKET.s3.REGION.amazonaws.com/key`.
//! `AWS_CA_BUNDLE` adds a PEM file of trusted roots.

use std::time::{Duration, SystemTime};

use reqwest::blocking::{Client, Response};

use super::sigv4::{self, Credentials, Signing};
use super::{Put, PutMode, Store, StoreError};
use crate::backend::secret::Secret;

pub struct S3Store {
    client: Client,
    /// Where objects live: `…/bucket/prefix/` (path-style) or `https://bucket.s3…/prefix/`.
    base: url::Url,
    /// The bucket itself (`…/bucket/`), which answers listings.
    bucket: url::Url,
    /// The prefix with a trailing `/`, or empty.
    prefix: String,
    region: String,
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    /// `s3://bucket/prefix`, with ` at ENDPOINT` when one is given: never a secret.
    described: String,
}

const ATTEMPTS: u32 = 3;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl S3Store {
    pub fn from_env(url: &url::Url) -> Result<S3Store, StoreError> {
        let bucket = url.host_str().unwrap_or_default().to_string();
        let prefix = url.path().trim_matches('/').to_string();
        let endpoint = env("AWS_ENDPOINT_URL_S3").or_else(|| env("AWS_ENDPOINT_URL"));
        let mut described = format!("s3://{bucket}/{prefix}").trim_end_matches('/').to_string();
        if let Some(endpoint) = &endpoint {
            described.push_str(&format!(" at {}", endpoint.trim_end_matches('/')));
        }
        let fail = |message: String, advice: &str| StoreError {
            store: described.clone(),
            message,
            advice: advice.to_string(),
        };
        if bucket.is_empty() {
            return Err(fail("no bucket named".into(), "give s3://BUCKET/PREFIX"));
        }
        let region = env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")).unwrap_or_else(|| "us-east-1".into());
        // Path-style with an endpoint (S3-compatible servers rarely have per-bucket host
        // names); virtual-hosted on AWS.
        let mut base = match &endpoint {
            Some(endpoint) => format!("{}/{}", endpoint.trim_end_matches('/'), sigv4::uri_encode(&bucket, false)),
            None => format!("https://{bucket}.s3.{region}.amazonaws.com"),
        };
        let bucket_url = url::Url::parse(&format!("{base}/"))
            .map_err(|e| fail(format!("the endpoint is not a URL ({e})"), "fix AWS_ENDPOINT_URL"))?;
        if !prefix.is_empty() {
            base = format!("{base}/{}", sigv4::uri_encode(&prefix, true));
        }
        let base = url::Url::parse(&format!("{base}/"))
            .map_err(|e| fail(format!("the endpoint is not a URL ({e})"), "fix AWS_ENDPOINT_URL"))?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(fail(
                "AWS_ENDPOINT_URL carries credentials".into(),
                "remove them from the URL and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            ));
        }
        let (Some(access_key_id), Some(secret_access_key)) =
            (env("AWS_ACCESS_KEY_ID"), Secret::from_env("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(fail(
                "no credentials".into(),
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)",
            ));
        };
        crate::backend::transport::install_crypto_provider();
        let mut builder = Client::builder();
        // A private CA (an S3-compatible server inside a company), as the AWS tools take it.
        if let Some(bundle) = env("AWS_CA_BUNDLE") {
            let certs = std::fs::read(&bundle)
                .map_err(|e| e.to_string())
                .and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string()))
                .map_err(|e| fail(format!("cannot read AWS_CA_BUNDLE {bundle}: {e}"), "fix or unset AWS_CA_BUNDLE"))?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("seedaudio/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| fail(format!("cannot set up the HTTP client: {}", e.without_url()), "report this"))?;
        Ok(S3Store {
            client,
            base,
            bucket: bucket_url,
            prefix: if prefix.is_empty() { prefix } else { format!("{prefix}/") },
            region,
            access_key_id,
            secret_access_key,
            session_token: Secret::from_env("AWS_SESSION_TOKEN"),
            described,
        })
    }

    fn error(&self, message: String, advice: &str) -> StoreError {
        StoreError {
            store: self.described.clone(),
            message: crate::backend::secret::redact_known(&message),
            advice: advice.into(),
        }
    }

    fn unreachable(&self, message: String) -> StoreError {
        self.error(
            message,
            "check that the store is up and reachable from here, then run the same command again (what was \
             synthesized is kept in the local cache); or build without --shared-cache",
        )
    }

    /// Sends one signed request, trying again after a dropped connection or a 5xx.
    fn send(
        &self,
        method: reqwest::Method,
        name: &str,
        body: &[u8],
        extra: &[(&str, &str)],
    ) -> Result<Response, StoreError> {
        let url = self.base.join(&sigv4::uri_encode(name, true)).expect("object names are relative paths");
        self.send_to(method, url, name, body, extra)
    }

    /// [`S3Store::send`] to any URL of the bucket; its query, if any, in canonical form.
    fn send_to(
        &self,
        method: reqwest::Method,
        url: url::Url,
        name: &str,
        body: &[u8],
        extra: &[(&str, &str)],
    ) -> Result<Response, StoreError> {
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let payload_hash = sigv4::sha256_hex(body);
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 << attempt));
            }
            let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let amz_date = sigv4::amz_date(now);
            let mut headers = vec![
                ("host".to_string(), host.clone()),
                ("x-amz-content-sha256".to_string(), payload_hash.clone()),
                ("x-amz-date".to_string(), amz_date.clone()),
            ];
            if let Some(token) = &self.session_token {
                headers.push(("x-amz-security-token".into(), token.expose().to_string()));
            }
            let signing = Signing {
                method: method.as_str(),
                path: url.path(),
                query: url.query().unwrap_or_default(),
                headers,
                payload_hash: &payload_hash,
                amz_date: &amz_date,
                region: &self.region,
                service: "s3",
            };
            let credentials =
                Credentials { access_key_id: &self.access_key_id, secret_access_key: self.secret_access_key.expose() };
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .header("authorization", signing.authorization(&credentials));
            for (name, value) in signing.headers.iter().filter(|(n, _)| n != "host") {
                request = request.header(name, value);
            }
            for (name, value) in extra {
                request = request.header(*name, *value);
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

    /// The error for an answer that is neither success nor an expected refusal.
    fn refused(&self, what: &str, name: &str, response: Response) -> StoreError {
        let status = response.status();
        let body = response.text().unwrap_or_default();
        let code = between(&body, "<Code>", "</Code>").unwrap_or_default();
        let said = between(&body, "<Message>", "</Message>").unwrap_or_default();
        let advice = match status.as_u16() {
            401 | 403 => {
                "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION, and that these \
                 credentials may read and write the bucket"
            }
            301 | 307 | 400 if code.contains("Region") || code == "PermanentRedirect" => {
                "set AWS_REGION to the bucket's region"
            }
            404 => "create the bucket, or check its name",
            _ => "check the store, then run the same command again",
        };
        self.error(format!("{what} {name} was refused: {status} {code} {said}").trim_end().to_string(), advice)
    }
}

/// An error with its causes, which hold what actually went wrong (refused, timed out, …).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

impl Store for S3Store {
    fn describe(&self) -> &str {
        &self.described
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let response = self.send(reqwest::Method::GET, name, b"", &[])?;
        match response.status().as_u16() {
            200 => response
                .bytes()
                .map(|b| Some(b.to_vec()))
                .map_err(|e| self.unreachable(format!("reading {name} failed: {}", chain(&e)))),
            // A missing bucket is a 404 too, but says so.
            404 if !response.headers().get("content-type").is_some_and(|t| t.as_bytes().ends_with(b"xml")) => Ok(None),
            _ => match self.refused("reading", name, response) {
                e if e.message.contains("NoSuchKey") => Ok(None),
                e => Err(e),
            },
        }
    }

    fn head(&self, name: &str) -> Result<bool, StoreError> {
        let response = self.send(reqwest::Method::HEAD, name, b"", &[])?;
        match response.status().as_u16() {
            200 => Ok(true),
            404 => Ok(false),
            _ => Err(self.refused("looking up", name, response)),
        }
    }

    fn put_typed(&self, name: &str, bytes: &[u8], mode: PutMode, content_type: &str) -> Result<Put, StoreError> {
        // Content-Type may go unsigned (SigV4 signs only `host` and `x-amz-*` of necessity).
        let mut headers = vec![("content-type", content_type)];
        if mode == PutMode::IfAbsent {
            headers.push(("if-none-match", "*"));
        }
        let response = self.send(reqwest::Method::PUT, name, bytes, &headers)?;
        match response.status().as_u16() {
            200 => Ok(Put::Written),
            // 412: the object exists. 409: another conditional write of it is in progress;
            // either way someone else publishes this name.
            412 | 409 if mode == PutMode::IfAbsent => Ok(Put::Exists),
            _ => Err(self.refused("writing", name, response)),
        }
    }

    fn list(&self, folder: &str) -> Result<Vec<String>, StoreError> {
        let full = format!("{}{folder}", self.prefix);
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        loop {
            // The canonical query: keys sorted, values encoded as SigV4 wants.
            let mut query = String::new();
            if let Some(token) = &token {
                query.push_str(&format!("continuation-token={}&", sigv4::uri_encode(token, false)));
            }
            query.push_str(&format!("list-type=2&prefix={}", sigv4::uri_encode(&full, false)));
            let mut url = self.bucket.clone();
            url.set_query(Some(&query));
            let response = self.send_to(reqwest::Method::GET, url, folder, b"", &[])?;
            if response.status().as_u16() != 200 {
                return Err(self.refused("listing", folder, response));
            }
            let text =
                response.text().map_err(|e| self.unreachable(format!("listing {folder} failed: {}", chain(&e))))?;
            let page = super::listing::parse(&text)
                .map_err(|e| self.error(format!("listing {folder}: {e}"), "check the store, then run again"))?;
            names.extend(page.keys.iter().filter_map(|k| k.strip_prefix(&self.prefix)).map(str::to_string));
            match page.next {
                Some(next) => token = Some(next),
                None => return Ok(names),
            }
        }
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        let response = self.send(reqwest::Method::DELETE, name, b"", &[])?;
        match response.status().as_u16() {
            200 | 204 | 404 => Ok(()),
            _ => Err(self.refused("removing", name, response)),
        }
    }
}
