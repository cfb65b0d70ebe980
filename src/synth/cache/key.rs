//! Cache keys: a BLAKE3 hash of what changes the audio — the voice's identity (backend,
//! endpoint, model, voice, speed, format and other audio parameters, engine) and the exact
//! text sent — under a format version. Never the API key, the utterance's position or the
//! article's name.

use serde_json::json;

use crate::backend::preset::Preset;

/// Bumped when the meaning of an entry changes; old entries then simply stop matching.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey([u8; 32]);

impl CacheKey {
    pub fn new(identity: &str, text: &str) -> CacheKey {
        let mut hasher = blake3::Hasher::new();
        hasher.update(format!("seedaudio-cache-v{VERSION}\0").as_bytes());
        hasher.update(&(identity.len() as u64).to_le_bytes());
        hasher.update(identity.as_bytes());
        hasher.update(text.as_bytes());
        CacheKey(*hasher.finalize().as_bytes())
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The part of a voice that decides its audio, as canonical JSON. `engine` is what the
/// backend says actually speaks (for `espeak`, the program or the built-in engine).
/// Left out on purpose: the key's variable and the key, timeouts and retries, limits that
/// only decide how text is cut (the text itself is in the key), pauses (added afterwards),
/// descriptions and the preset's name.
pub fn identity(preset: &Preset, engine: &str) -> String {
    // The kinds' own fields, read from the preset as written: this string must stay the
    // same for the same preset, or every cached utterance is lost.
    let own = |name: &str| preset.rest.get(name);
    let mut identity = json!({
        "kind": preset.kind,
        "engine": engine,
        "base_url": own("base_url"),
        "region": own("region"),
        "model": own("model"),
        "voice": preset.voice,
        "language": preset.language,
        "speed": preset.speed,
        "format": own("format"),
        "sample_rate": preset.sample_rate,
        "instructions": own("instructions"),
        "options": own("options"),
        "http": own("http"),
        "command": own("command"),
    });
    // Any other field of a kind's own (a backend added later) is part of its voice too;
    // written only when there is one, so the keys of the kinds above stay as they were.
    let extra: serde_json::Map<String, serde_json::Value> = preset
        .rest
        .iter()
        .filter(|(name, _)| !NAMED.contains(&name.as_str()) && !NOT_AUDIO.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), serde_json::to_value(value).expect("TOML values are JSON values")))
        .collect();
    if !extra.is_empty() {
        identity["extra"] = serde_json::Value::Object(extra);
    }
    identity.to_string()
}

/// The kinds' own fields named in every identity.
const NAMED: &[&str] = &["base_url", "region", "model", "format", "instructions", "options", "http", "command"];
/// Kinds' own fields that do not change the audio: how the key is sent, `engine` (the engine
/// that actually speaks is in the identity as `engine`), where a model is installed and how
/// many threads run it (the model's hash is in the engine's cache identity).
const NOT_AUDIO: &[&str] = &["auth", "engine", "data_dir", "threads"];

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(extra: &str) -> Preset {
        Preset::from_toml("p", &format!("kind='openai'\nlanguage='zh'\nvoice='coral'\n{extra}")).unwrap()
    }

    #[test]
    fn the_key_depends_on_audio_parameters_and_text_only() {
        let base = CacheKey::new(&identity(&preset(""), "e"), "你好");
        assert_eq!(base, CacheKey::new(&identity(&preset("api_key_env='K'\nmax_chars=5\nconcurrency=3"), "e"), "你好"));
        assert_ne!(base, CacheKey::new(&identity(&preset("speed=1.5"), "e"), "你好"));
        assert_ne!(base, CacheKey::new(&identity(&preset("format='mp3'"), "e"), "你好"));
        assert_ne!(base, CacheKey::new(&identity(&preset(""), "other engine"), "你好"));
        assert_ne!(base, CacheKey::new(&identity(&preset(""), "e"), "你好。"));
        assert_eq!(base.hex().len(), 64);
    }

    #[test]
    fn a_later_kinds_own_fields_are_in_the_identity_and_the_named_ones_are_not_repeated() {
        let mut p = preset("model='m'");
        let before = identity(&p, "e");
        assert!(!before.contains("extra"), "{before}");
        p.rest.insert("style".into(), toml::Value::String("calm".into()));
        let after = identity(&p, "e");
        assert!(after.contains(r#""extra":{"style":"calm"}"#), "{after}");
        assert_ne!(CacheKey::new(&before, "你好"), CacheKey::new(&after, "你好"));
    }

    /// A Kokoro voice's identity: its backend's cache identity (the model's hash and the front
    /// end's version), the voice and the speed.
    #[test]
    fn a_kokoro_key_follows_the_model_the_front_end_the_voice_and_the_speed() {
        let kokoro = |extra: &str| {
            Preset::from_toml("k", &format!("kind='kokoro'\nlanguage='zh'\nvoice='zf_xiaobei'\n{extra}")).unwrap()
        };
        let key = |p: &Preset, engine: &str| CacheKey::new(&identity(p, engine), "你好");
        let engine = "kokoro-82m v1.0 int8 sha256:6e74 frontend:1";
        let base = key(&kokoro(""), engine);
        assert_eq!(base, key(&kokoro("concurrency=1\nthreads=2"), engine));
        assert_ne!(base, key(&kokoro(""), "kokoro-82m v1.0 int8 sha256:0000 frontend:1"));
        assert_ne!(base, key(&kokoro(""), "kokoro-82m v1.0 int8 sha256:6e74 frontend:2"));
        assert_ne!(base, key(&kokoro("speed=1.2"), engine));
        assert_ne!(
            base,
            key(&Preset::from_toml("k", "kind='kokoro'\nlanguage='zh'\nvoice='zf_xiaoni'").unwrap(), engine)
        );
    }
}

/// The keys of built-in presets as they were before the backend renovation: users' caches
/// stay valid only while these stay the same.
#[cfg(test)]
mod pinned {
    use super::*;

    fn key(name: &str) -> String {
        let preset = Preset::find(name).unwrap();
        CacheKey::new(&identity(&preset, "engine"), "你好，世界。").hex()
    }

    #[test]
    fn built_in_presets_keep_their_keys() {
        let pins = [
            ("zh-espeak", "652c4c2347f48579cd5c73a041e5db9931f682f65664891ebecadfa423a19f20"),
            ("zh-openai", "f69033ba85a8c18ac1ee54230983ebe3b869d5fa25478fea6733b62e1d86139b"),
            ("en-piper-http", "a660b686ff299dfd0699efd385e842373fb672109b93fe9a851add027df2f04b"),
            ("en-espeak-command", "82bc9887a9712ff4037e21d01a9c6180f253ad20be1738ca093dc5513a656998"),
            ("zh-google", "17cc399cdac09bb9fcf49bfdb31e242a5b9d5d37acbfdea5ff3637a3ba02cef7"),
            ("zh-elevenlabs", "646be488fd0c0dfec3d248c1beb08bf8ae8a91ead318a4db66576bed364a53bb"),
        ];
        for (name, hex) in pins {
            assert_eq!(key(name), hex, "{name}");
        }
    }
}
