//! `azure`: Azure AI Speech REST text to speech,
//! `POST https://{region}.tts.speech.microsoft.com/cognitiveservices/v1`.
//!
//! The body is SSML: `<speak xml:lang=…><voice name=…>[<prosody rate=…>]TEXT[</prosody>]</voice></speak>`
//! with the text XML-escaped, so article text can never become markup. The key goes in
//! `Ocp-Apim-Subscription-Key`, or, with `auth = "bearer"`, the variable holds a token sent
//! as `Authorization: Bearer` (Azure tokens last 10 minutes). `X-Microsoft-OutputFormat` comes
//! from `format`: `raw-…-16bit-mono-pcm` (the default, 24 kHz), `riff-…-16bit-mono-pcm` or
//! `audio-…-mp3`. Opus, µ-law, A-law and the rest have no decoder here and are refused.
//! `base_url` replaces `https://{region}.tts.speech.microsoft.com` (tests, proxies).

use super::auth::Auth;
use super::transport::Transport;
use super::{Audio, Backend, BackendError, Body, Request, SetupError, api_key, base_url, settings};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

const DEFAULT_FORMAT: &str = "raw-24khz-16bit-mono-pcm";
/// Formats that decode here, for messages.
const WORKING: &str = "raw-{8khz,16khz,22050hz,24khz,44100hz,48khz}-16bit-mono-pcm, \
                       riff-{8khz,16khz,22050hz,24khz,44100hz,48khz}-16bit-mono-pcm, \
                       audio-{16khz,24khz,48khz}-{…}kbitrate-mono-mp3";
/// Azure names a throttled free tier this way when its monthly quota is used up (inferred
/// from the usual Cognitive Services answer; Azure documents no error body).
const QUOTA_WORDS: &[&str] = &["out of call volume quota", "quota will be replenished"];

/// The `azure` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Replaces `https://{region}.tts.speech.microsoft.com` (tests, proxies).
    pub base_url: Option<String>,
    /// The Speech resource's region, e.g. `eastasia`.
    pub region: Option<String>,
    /// `X-Microsoft-OutputFormat`, default `raw-24khz-16bit-mono-pcm`.
    pub format: Option<String>,
    /// `key` (the default) or `bearer`.
    pub auth: Option<String>,
    /// Refused: Azure takes its parameters from preset fields. Read only to say so.
    pub options: Option<toml::Table>,
}

pub struct Azure {
    transport: Transport,
    url: String,
    /// Where the key belongs, for messages: the region or the base URL.
    place: String,
    auth: Auth,
    voice: String,
    language: String,
    rate: Option<String>,
    format: String,
    hint: AudioHint,
}

/// The sample rate in an Azure format word: `24khz` → 24000, `22050hz` → 22050.
fn rate_of(word: &str) -> Option<u32> {
    if let Some(k) = word.strip_suffix("khz") {
        return k.parse::<u32>().ok().map(|k| k * 1000);
    }
    word.strip_suffix("hz").and_then(|h| h.parse().ok())
}

/// How to read an output format, or `None` when it cannot be decoded here.
pub fn format_hint(format: &str) -> Option<AudioHint> {
    let parts: Vec<&str> = format.split('-').collect();
    match parts.as_slice() {
        ["raw", rate, "16bit", "mono", "pcm"] => {
            rate_of(rate).filter(|r| *r > 0).map(|rate| AudioHint::RawS16Le { rate, channels: 1 })
        }
        ["riff", rate, "16bit", "mono", "pcm"] => rate_of(rate).map(|_| AudioHint::Sniff),
        ["audio", rate, bitrate, "mono", "mp3"] if bitrate.ends_with("kbitrate") => {
            rate_of(rate).map(|_| AudioHint::Sniff)
        }
        _ => None,
    }
}

/// `speed` as an SSML prosody rate: 1.2 → `+20%`, 0.9 → `-10%`, 1.0 → none.
pub fn prosody_rate(speed: f32) -> Option<String> {
    let percent = ((speed as f64 - 1.0) * 100.0).round() as i64;
    match percent {
        0 => None,
        p if p > 0 => Some(format!("+{p}%")),
        p => Some(format!("{p}%")),
    }
}

pub use crate::text::escape::xml_escape;

impl Azure {
    pub fn new(preset: &Preset) -> Result<Self, SetupError> {
        let own: Settings = settings(preset)?;
        let format = own.format.clone().unwrap_or_else(|| DEFAULT_FORMAT.into());
        let hint = format_hint(&format).ok_or_else(|| {
            SetupError::invalid(
                preset,
                format!(
                    "format {format:?} cannot be decoded here (no Opus, µ-law or A-law decoder); use one of {WORKING}"
                ),
            )
        })?;
        if preset.sample_rate.is_some() {
            return Err(SetupError::invalid(
                preset,
                "azure takes its sample rate from format (e.g. raw-48khz-16bit-mono-pcm); remove sample_rate",
            ));
        }
        if own.options.as_ref().is_some_and(|o| !o.is_empty()) {
            return Err(SetupError::invalid(
                preset,
                "azure takes no [options]; voice, speed and format are preset fields",
            ));
        }
        let (base, place) = match (&own.base_url, &own.region) {
            (Some(_), _) => {
                let base = base_url(preset, own.base_url.as_deref(), "")?;
                (base.clone(), base)
            }
            (None, Some(region)) => {
                let region = region.trim().to_ascii_lowercase();
                if region.is_empty() || !region.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(SetupError::invalid(
                        preset,
                        format!("region {region:?} is not an Azure region name like eastasia or westeurope"),
                    ));
                }
                (format!("https://{region}.tts.speech.microsoft.com"), format!("region {region}"))
            }
            (None, None) => {
                return Err(SetupError::invalid(
                    preset,
                    "azure needs region = \"…\", the region of your Speech resource (e.g. eastasia)",
                ));
            }
        };
        let key = api_key(preset)?;
        if key.is_none() && own.base_url.is_none() {
            return Err(SetupError::invalid(
                preset,
                "azure needs a key: name its environment variable with api_key_env (e.g. AZURE_SPEECH_KEY)",
            ));
        }
        let auth = Auth::choose(preset, own.auth.as_deref(), key.clone())?;
        let transport =
            Transport::new("Azure Speech", &preset.network, key).map_err(|e| SetupError::invalid(preset, e))?;
        Ok(Azure {
            transport,
            url: format!("{base}/cognitiveservices/v1"),
            place,
            auth,
            voice: preset.voice.clone(),
            language: preset.language.clone(),
            rate: prosody_rate(preset.speed),
            format,
            hint,
        })
    }

    /// The SSML document for one utterance.
    pub fn ssml(&self, text: &str) -> String {
        self.document(&xml_escape(text))
    }

    /// The SSML document around `text`, which is already markup (escaped text and elements
    /// such as a lexicon's `<sub>` or `<phoneme>`).
    fn document(&self, text: &str) -> String {
        let text = text.to_string();
        let inner = match &self.rate {
            Some(rate) => format!("<prosody rate='{rate}'>{text}</prosody>"),
            None => text,
        };
        format!(
            "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='{}'><voice name='{}'>{inner}</voice></speak>",
            xml_escape(&self.language),
            xml_escape(&self.voice)
        )
    }

    fn error(&self, error: BackendError, status: u16) -> BackendError {
        match (&error, &self.auth) {
            (BackendError::Unauthenticated(_), Auth::Key(_, var)) => {
                error.with_note(&format!("check the key in {var} and that {} is where the Speech resource is", self.place))
            }
            (BackendError::Unauthenticated(_), Auth::Bearer(_, var)) => error.with_note(&format!(
                "check the token in {var}: Azure tokens expire after 10 minutes and work only in the region that issued them ({})",
                self.place
            )),
            (BackendError::Unauthenticated(_), Auth::None) => {
                error.with_note("this server wants a key: name its variable with api_key_env in the preset")
            }
            (BackendError::RateLimited { .. }, _) => error.with_note(
                "too many requests for this resource or this voice's region; the free tier (F0) allows 20 a minute: lower requests_per_minute",
            ),
            (BackendError::Rejected(_), _) if status == 400 => error.with_note(&format!(
                "check voice {:?}, language {:?} and format {:?}",
                self.voice, self.language, self.format
            )),
            _ => error,
        }
    }
}

impl Backend for Azure {
    fn kind(&self) -> &'static str {
        "azure"
    }

    fn engine(&self) -> String {
        format!("Azure Speech {} voice {}", self.place, self.voice)
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let document = match request.body {
            Body::Text(text) => self.ssml(text),
            Body::Ssml(fragment) => self.document(fragment),
        };
        self.send(document, request.deadline)
    }

    fn takes_ssml(&self) -> bool {
        true
    }
}

impl Azure {
    fn send(&self, document: String, deadline: Option<std::time::Instant>) -> Result<Audio, BackendError> {
        let mut request = self
            .transport
            .client()
            .post(&self.url)
            .header("content-type", "application/ssml+xml")
            .header("x-microsoft-outputformat", &self.format)
            .body(document);
        request = self.auth.sign(request, |r, key| r.header("ocp-apim-subscription-key", key));
        let response = self.transport.send(request, deadline)?;
        if !response.ok() {
            return Err(self.error(self.transport.status_error(&response, QUOTA_WORDS), response.status));
        }
        Ok(Audio { bytes: response.body, hint: self.hint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_hint("raw-24khz-16bit-mono-pcm"), Some(AudioHint::RawS16Le { rate: 24_000, channels: 1 }));
        assert_eq!(format_hint("raw-22050hz-16bit-mono-pcm"), Some(AudioHint::RawS16Le { rate: 22_050, channels: 1 }));
        assert_eq!(format_hint("riff-48khz-16bit-mono-pcm"), Some(AudioHint::Sniff));
        assert_eq!(format_hint("audio-24khz-48kbitrate-mono-mp3"), Some(AudioHint::Sniff));
        for refused in [
            "ogg-24khz-16bit-mono-opus",
            "webm-24khz-16bit-mono-opus",
            "raw-8khz-8bit-mono-mulaw",
            "riff-8khz-8bit-mono-alaw",
            "amr-wb-16000hz",
            "raw-xkhz-16bit-mono-pcm",
            "pcm",
        ] {
            assert_eq!(format_hint(refused), None, "{refused}");
        }
    }

    #[test]
    fn speed_as_prosody_rate() {
        assert_eq!(prosody_rate(1.0), None);
        assert_eq!(prosody_rate(1.2).as_deref(), Some("+20%"));
        assert_eq!(prosody_rate(0.9).as_deref(), Some("-10%"));
    }

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(xml_escape("<b>a&b</b> \"x\" 'y'\u{1}"), "&lt;b&gt;a&amp;b&lt;/b&gt; &quot;x&quot; &apos;y&apos; ");
    }
}
