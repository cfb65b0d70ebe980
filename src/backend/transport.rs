//! One HTTP client for every service: timeouts, a bound on response size, and the mapping of
//! HTTP failures to [`BackendError`] kinds. Retries live in [`super::retry`].

use std::io::Read;
use std::time::{Duration, Instant, SystemTime};

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::HeaderMap;

use super::BackendError;
use super::secret::Secret;
use crate::backend::preset::Network;

/// A response read in full (up to the size bound).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Transport {
    client: Client,
    /// The preset's `timeout_s`: one try, from connecting to the end of the body.
    timeout: Duration,
    max_body: u64,
    /// The service's name for messages, e.g. `OpenAI`.
    service: &'static str,
    /// Redacted from every message this transport produces.
    secret: Option<Secret>,
}

pub(crate) fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if another provider was installed first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Transport {
    pub fn new(service: &'static str, network: &Network, secret: Option<Secret>) -> Result<Transport, String> {
        install_crypto_provider();
        let client = Client::builder()
            .connect_timeout(Duration::from_secs_f64(network.connect_timeout_s))
            .timeout(Duration::from_secs_f64(network.timeout_s))
            .user_agent(concat!("seedaudio/", env!("CARGO_PKG_VERSION")))
            // A redirect to another host could carry the key away; services do not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", e.without_url()))?;
        Ok(Transport {
            client,
            timeout: Duration::from_secs_f64(network.timeout_s),
            max_body: network.max_response_mb.saturating_mul(1024 * 1024),
            service,
            secret,
        })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn service(&self) -> &'static str {
        self.service
    }

    /// Redacts the key from `text`.
    pub fn redact(&self, text: &str) -> String {
        match &self.secret {
            Some(s) => s.redact(text),
            None => text.to_string(),
        }
    }

    /// Sends one request and reads the whole response, by `deadline` (the utterance's, from
    /// [`super::Request`]) and within the size bound. Transport failures (refused or dropped
    /// connections, timeouts) are [`BackendError::Unavailable`].
    pub fn send(&self, request: RequestBuilder, deadline: Option<Instant>) -> Result<Response, BackendError> {
        let mut request = request;
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(BackendError::Unavailable(format!(
                    "{}: the utterance's time budget is used up",
                    self.service
                )));
            }
            request = request.timeout(left.min(self.timeout));
        }
        let response = request.send().map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(len) = response.content_length()
            && len > self.max_body
        {
            return Err(self.too_large());
        }
        let mut body = Vec::new();
        let mut limited = response.take(self.max_body + 1);
        limited.read_to_end(&mut body).map_err(|e| {
            let what = if is_timeout(&e) { "the response did not finish in time" } else { "the response broke off" };
            BackendError::Unavailable(self.redact(&format!("{}: {what}: {e}", self.service)))
        })?;
        if body.len() as u64 > self.max_body {
            return Err(self.too_large());
        }
        Ok(Response { status, headers, body })
    }

    fn too_large(&self) -> BackendError {
        BackendError::Rejected(format!(
            "{}: the response is larger than {} MB, so it was cut off; raise [network] max_response_mb (or pass \
             --max-response-mb) if that is expected",
            self.service,
            self.max_body / 1024 / 1024
        ))
    }

    fn transport_error(&self, e: reqwest::Error) -> BackendError {
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "cannot connect"
        } else {
            "request failed"
        };
        let detail = source_chain(&e.without_url());
        BackendError::Unavailable(self.redact(&format!("{}: {what}: {detail}", self.service)))
    }

    /// The error for a response that is not a success, from its status and the service's
    /// own message. `quota_words` are words in the body that mean the quota is used up.
    pub fn status_error(&self, response: &Response, quota_words: &[&str]) -> BackendError {
        if (300..400).contains(&response.status) {
            return self.redirect_error(response);
        }
        let message =
            self.redact(&format!("{} said {}: {}", self.service, response.status, service_message(&response.body)));
        let body = String::from_utf8_lossy(&response.body).to_ascii_lowercase();
        let quota = quota_words.iter().any(|w| body.contains(w));
        match response.status {
            401 | 403 if !quota => BackendError::Unauthenticated(message),
            402 => BackendError::QuotaExhausted(message),
            _ if quota => BackendError::QuotaExhausted(message),
            429 => BackendError::RateLimited { retry_after_s: retry_after(&response.headers), message },
            408 | 500..=599 => BackendError::Unavailable(message),
            _ => BackendError::Rejected(message),
        }
    }
}

impl Transport {
    /// Redirects are never followed: the request carries the key, and a service does not
    /// move. Only the origin of the new address is shown (its path or query could hold anything).
    fn redirect_error(&self, response: &Response) -> BackendError {
        let target = response
            .header("location")
            .and_then(|l| url::Url::parse(l).ok())
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null")
            .unwrap_or_else(|| "another address".into());
        BackendError::Rejected(self.redact(&format!(
            "{} answered {} redirecting to {target}; seedaudio does not follow redirects (the API key would go \
             along): set base_url to the address that answers directly",
            self.service, response.status
        )))
    }
}

/// Whether an I/O error from reading a body is reqwest's timeout.
fn is_timeout(e: &std::io::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|inner| inner as _);
    while let Some(inner) = source {
        if inner.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout) {
            return true;
        }
        source = inner.source();
    }
    e.kind() == std::io::ErrorKind::TimedOut
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

/// `Retry-After` as seconds, from either of its forms (delta-seconds or an HTTP date).
pub fn retry_after(headers: &HeaderMap) -> Option<f64> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds >= 0.0 && seconds.is_finite()).then_some(seconds);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).map_or(0.0, |d| d.as_secs_f64()))
}

/// The human part of an error body: the usual JSON shapes (`error.message`, `detail.message`,
/// `detail`, `message`, `error`), else the start of the text.
pub fn service_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        let paths: [&[&str]; 6] = [
            &["error", "message"],
            &["detail", "message"],
            &["detail"],
            &["message"],
            &["error"],
            &["error_description"],
        ];
        for path in paths {
            let mut v = &json;
            for key in path {
                v = &v[*key];
            }
            match v {
                serde_json::Value::String(s) => return short(s),
                serde_json::Value::Null => {}
                other if path.len() == 1 && !other.is_object() => return short(&other.to_string()),
                _ => {}
            }
        }
        return short(&json.to_string());
    }
    if text.trim().is_empty() { "(no message)".into() } else { short(&strip_tags(&text)) }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 { format!("{}…", s.chars().take(300).collect::<String>()) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_from_common_error_shapes() {
        assert_eq!(service_message(br#"{"error":{"message":"Bad voice","type":"x"}}"#), "Bad voice");
        assert_eq!(service_message(br#"{"detail":{"status":"quota_exceeded","message":"No credits"}}"#), "No credits");
        assert_eq!(service_message(br#"{"detail":"Not found"}"#), "Not found");
        assert_eq!(service_message(br#"{"message":"too long"}"#), "too long");
        assert_eq!(service_message(b"<html><body><h1>502 Bad Gateway</h1></body></html>"), "502 Bad Gateway");
        assert_eq!(service_message(b""), "(no message)");
    }

    #[test]
    fn retry_after_both_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(2.0));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        h.insert("retry-after", later.parse().unwrap());
        let s = retry_after(&h).unwrap();
        assert!((28.0..=30.0).contains(&s), "{s}");
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
