//! AWS Signature Version 4 for one request, with `ring`'s HMAC-SHA256 and SHA-256.
//!
//! Only what the S3 store sends is covered: a method, a path, an optional query already in
//! canonical form, and the headers to sign. The caller chooses the headers; `host` and
//! `x-amz-date` must be among them.

use ring::{digest, hmac};

/// What signs: the access key id and the secret, never printed (see [`crate::backend::secret`]).
pub struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
}

/// One request as SigV4 sees it.
pub struct Signing<'a> {
    pub method: &'a str,
    /// The URI path, already percent-encoded once (S3 signs it as sent).
    pub path: &'a str,
    /// The query string in canonical form (sorted, encoded), or empty.
    pub query: &'a str,
    /// Header names in lower case with trimmed values; sorted here.
    pub headers: Vec<(String, String)>,
    /// Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
    pub payload_hash: &'a str,
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data).as_ref().to_vec()
}

impl Signing<'_> {
    fn sorted_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        headers.sort();
        headers
    }

    pub fn signed_headers(&self) -> String {
        self.sorted_headers().iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";")
    }

    pub fn canonical_request(&self) -> String {
        let headers: String = self.sorted_headers().iter().map(|(n, v)| format!("{n}:{}\n", v.trim())).collect();
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.path,
            self.query,
            headers,
            self.signed_headers(),
            self.payload_hash
        )
    }

    fn scope(&self) -> String {
        format!("{}/{}/{}/aws4_request", &self.amz_date[..8], self.region, self.service)
    }

    pub fn string_to_sign(&self) -> String {
        format!(
            "AWS4-HMAC-SHA256\n{}\n{}\n{}",
            self.amz_date,
            self.scope(),
            sha256_hex(self.canonical_request().as_bytes())
        )
    }

    pub fn signature(&self, secret_access_key: &str) -> String {
        let date = hmac(format!("AWS4{secret_access_key}").as_bytes(), &self.amz_date.as_bytes()[..8]);
        let region = hmac(&date, self.region.as_bytes());
        let service = hmac(&region, self.service.as_bytes());
        let key = hmac(&service, b"aws4_request");
        hex(&hmac(&key, self.string_to_sign().as_bytes()))
    }

    /// The `Authorization` header's value.
    pub fn authorization(&self, credentials: &Credentials<'_>) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={}, Signature={}",
            credentials.access_key_id,
            self.scope(),
            self.signed_headers(),
            self.signature(credentials.secret_access_key)
        )
    }
}

/// `s` percent-encoded as SigV4 wants a path segment or query part: everything but
/// `A-Z a-z 0-9 - _ . ~` (and `/` when `keep_slash`).
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `YYYYMMDDTHHMMSSZ` for a time in seconds since the Unix epoch (UTC).
pub fn amz_date(unix: u64) -> String {
    let (days, secs) = (unix / 86_400, unix % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// AWS's SigV4 test suite, `get-vanilla`.
    #[test]
    fn the_get_vanilla_test_vector() {
        let signing = Signing {
            method: "GET",
            path: "/",
            query: "",
            headers: vec![
                ("host".into(), "example.amazonaws.com".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
            ],
            payload_hash: EMPTY,
            amz_date: "20150830T123600Z",
            region: "us-east-1",
            service: "service",
        };
        let credentials = Credentials { access_key_id: "AKIDEXAMPLE", secret_access_key: SECRET };
        assert_eq!(
            signing.authorization(&credentials),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    /// The S3 documentation's example: GET Object with a Range header.
    #[test]
    fn the_s3_get_object_example() {
        let signing = Signing {
            method: "GET",
            path: "/test.txt",
            query: "",
            headers: vec![
                ("x-amz-date".into(), "20130524T000000Z".into()),
                ("host".into(), "examplebucket.s3.amazonaws.com".into()),
                ("range".into(), "bytes=0-9".into()),
                ("x-amz-content-sha256".into(), EMPTY.into()),
            ],
            payload_hash: EMPTY,
            amz_date: "20130524T000000Z",
            region: "us-east-1",
            service: "s3",
        };
        assert_eq!(signing.signed_headers(), "host;range;x-amz-content-sha256;x-amz-date");
        // The S3 documentation's secret differs from the test suite's in one character.
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(signing.signature(secret), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    #[test]
    fn dates_and_encoding() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(amz_date(951_782_400), "20000229T000000Z");
        assert_eq!(uri_encode("a b/c~d+é", true), "a%20b/c~d%2B%C3%A9");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(sha256_hex(b""), EMPTY);
    }
}
