//! The shared front of `plan` and `build`: an article read, parsed and planned for its voice.

use std::path::{Path, PathBuf};

use crate::article::epub::BookOptions;
use crate::article::input::ArticleInput;
use crate::article::source;
use crate::article::{self, Article};
use crate::backend::preset::Preset;
use crate::build::settings::BuildError;
use crate::plan::lexicon::Lexicon;
use crate::plan::{self, Plan, PlanSettings};

/// An article read, parsed and planned for its voice.
pub struct Loaded {
    pub source: source::SourceText,
    pub article: Article,
    pub preset: Preset,
    pub settings: PlanSettings,
    pub plan: Plan,
    /// Why the built-in voice chosen is not the natural one, when it is not (one line).
    pub voice_note: Option<String>,
}

/// Reads, parses and plans an article: the shared front of `plan` and `build`. Without a
/// voice, the built-in voice for the article's language is used: Kokoro's when it is
/// installed, else eSpeak's (see [`crate::backend::preset::natural_for`]).
pub fn load(
    input: &ArticleInput,
    encoding: Option<&str>,
    book: BookOptions,
    voice: Option<&Preset>,
    lexicon: Option<&Path>,
) -> Result<Loaded, BuildError> {
    let source = input.read(encoding, book)?;
    let mut article = article::parse(&source.text)
        .map_err(|source| BuildError::Parse { path: PathBuf::from(input.to_string()), source })?;
    article.author = source.meta.author.clone();
    article.language = source.meta.language.clone();
    let (preset, voice_note) = match voice {
        Some(preset) => (preset.clone(), None),
        None => {
            let (name, note) = crate::backend::preset::natural_for(&source.text);
            (Preset::find(name).expect("built-in voices parse"), note)
        }
    };
    let settings = plan_settings(&preset, lexicon)?;
    let plan = plan::plan(&article, &settings);
    Ok(Loaded { source, article, preset, settings, plan, voice_note })
}

pub fn plan_settings(preset: &Preset, lexicon_file: Option<&Path>) -> Result<PlanSettings, BuildError> {
    let rate = preset.chars_per_second;
    let mut entries = preset.lexicon.clone();
    if let Some(path) = lexicon_file {
        entries.extend(Lexicon::load(path).map_err(BuildError::Lexicon)?);
    }
    let lexicon = Lexicon::new(entries).map_err(|e| BuildError::Lexicon(format!("voice {}: {e}", preset.name)))?;
    Ok(PlanSettings {
        limits: preset.limits(),
        pauses: preset.pauses,
        lexicon,
        normalize: preset.normalize.then(|| preset.language.clone()),
        rate_cjk: rate.unwrap_or(3.8),
        rate_other: rate.unwrap_or(14.0),
    })
}
