//! Step two of the arguments: validated settings that nothing below needs clap for.

use std::path::{Path, PathBuf};

use crate::app::cli::BuildArgs;
use crate::article::input::ArticleInput;
use crate::backend::preset::{Overrides, Preset, VoiceError};
use crate::build::BuildSettings;
use crate::build::progress;
use crate::loudness::Leveler;
use crate::publish::feed::Channel;
use crate::publish::settings::PublishSettings;
use crate::synth::CacheUse;
use crate::synth::cache::Cache;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Voice(#[from] VoiceError),
    #[error("--sample-rate {0} is outside 8000 to 192000 Hz")]
    SampleRate(u32),
    #[error("--jobs must be at least 1")]
    Jobs,
    #[error("--engine {0:?} is not one of auto, system, embedded")]
    Engine(String),
    #[error("{0}")]
    Publish(String),
    #[error(
        "--loudness {0} is outside -30 to -10 LUFS; use -16 (the podcast norm, the default) or, for quieter listening, down to about -23"
    )]
    Loudness(f64),
    #[error("{0}")]
    Bound(String),
    #[error(
        "--name {0:?} cannot name a folder: give one folder name, without / or \\ and not starting with a dot (for example --name my-article)"
    )]
    Name(String),
    #[error(
        "the article comes from standard input, so it has no file name to name its output folder: add --name NAME (writes output/NAME/) or --out DIR"
    )]
    NoName,
    #[error(
        "--speed {0} is outside 0.5 to 2.0; 1.0 is the voice's normal rate, 1.2 a fifth faster, 0.8 a fifth slower"
    )]
    Speed(f64),
}

/// `--speed`, checked: 0.5 to 2.0, what every speaking backend takes (Kokoro's range; eSpeak,
/// OpenAI and Google take more). Read as TOML reads a preset's `speed` (a double made single),
/// so `--speed 1.2` and `speed = 1.2` are the same voice and share cached audio.
pub fn speed(speed: Option<f64>) -> Result<Option<f32>, ConfigError> {
    match speed {
        Some(x) if !(0.5..=2.0).contains(&x) => Err(ConfigError::Speed(x)),
        other => Ok(other.map(|x| x as f32)),
    }
}

pub fn build_settings(args: BuildArgs) -> Result<BuildSettings, ConfigError> {
    let voice = args.input.voice.as_deref().map(Preset::find).transpose()?;
    let speed = speed(args.input.speed)?;
    if !(8_000..=192_000).contains(&args.sample_rate) {
        return Err(ConfigError::SampleRate(args.sample_rate));
    }
    if args.jobs == Some(0) {
        return Err(ConfigError::Jobs);
    }
    if let Some(engine) = &args.engine
        && !["auto", "system", "embedded"].contains(&engine.as_str())
    {
        return Err(ConfigError::Engine(engine.clone()));
    }
    if !crate::loudness::TARGET_RANGE.contains(&args.loudness) {
        return Err(ConfigError::Loudness(args.loudness));
    }
    if args.max_response_mb == Some(0) {
        return Err(ConfigError::Bound("--max-response-mb must be at least 1".into()));
    }
    let positive = |x: Option<f64>| x.is_none_or(|x| x > 0.0 && x.is_finite());
    if !positive(args.utterance_timeout) {
        return Err(ConfigError::Bound("--utterance-timeout must be a positive number of seconds, e.g. 120".into()));
    }
    if !positive(args.max_seconds_per_char) {
        return Err(ConfigError::Bound("--max-seconds-per-char must be a positive number, e.g. 1.5".into()));
    }
    let article = ArticleInput::from_arg(&args.input.articles[0]);
    let book = args.input.book_options();
    let (name, out_dir) = name_and_folder(&article, args.name, args.out)?;
    Ok(BuildSettings {
        article,
        name,
        encoding: args.input.encoding,
        book,
        lexicon: args.input.lexicon,
        max_cost: args.max_cost,
        out_dir,
        voice,
        engine: args.engine,
        overrides: Overrides {
            max_response_mb: args.max_response_mb,
            budget_s: args.utterance_timeout,
            max_seconds_per_char: args.max_seconds_per_char,
            speed,
        },
        jobs: args.jobs,
        sample_rate: args.sample_rate,
        progress: if args.quiet { progress::Mode::Quiet } else { progress::Mode::Auto },
        force: args.force,
        wait: args.wait,
        publish: publish_settings(args.publish, args.sample_rate)?,
        loudness: (!args.no_loudness).then(|| Leveler { target_lufs: args.loudness, ..Leveler::default() }),
        shared_cache: args.shared_cache.filter(|_| !args.no_cache),
        cache: (!args.no_cache).then(|| {
            let how = if args.refresh { CacheUse::Refresh } else { CacheUse::Normal };
            (Cache::default_dir(args.cache_dir.as_deref()), how)
        }),
    })
}

fn publish_settings(args: crate::app::cli::PublishArgs, rate: u32) -> Result<PublishSettings, ConfigError> {
    use crate::publish::settings::Format;
    let kbps = args.bitrate.unwrap_or(match args.format {
        Format::M4b => crate::publish::m4b::M4bSettings::default().kbps,
        Format::Mp3 | Format::Wav => crate::publish::mp3::Mp3Settings::default().kbps,
    });
    let mp3 = crate::publish::mp3::Mp3Settings { kbps };
    match args.format {
        Format::Mp3 => mp3.validate_for_rate(rate).map_err(|e| ConfigError::Publish(format!("--format mp3: {e}")))?,
        Format::M4b => crate::publish::m4b::M4bSettings { kbps }
            .validate_for_rate(rate)
            .map_err(|e| ConfigError::Publish(format!("--format m4b: {e}")))?,
        Format::Wav => mp3.validate().map_err(|e| ConfigError::Publish(format!("--bitrate: {e}")))?,
    }
    let from_file = match &args.feed_config {
        Some(path) => Channel::load(path).map_err(ConfigError::Publish)?,
        None => Channel::default(),
    };
    let flags = Channel {
        title: args.feed_title,
        author: args.feed_author,
        description: args.feed_description,
        image: args.feed_image,
        language: args.feed_language,
        base_url: args.base_url,
        ..Channel::default()
    };
    let channel = from_file.overlay(&flags);
    channel.check().map_err(ConfigError::Publish)?;
    let call_to_action = args.call_to_action.map(|t| t.trim().to_string());
    if call_to_action.as_deref() == Some("") {
        return Err(ConfigError::Publish(
            "--call-to-action is empty; give the text to read, or leave the flag out".into(),
        ));
    }
    Ok(PublishSettings { format: args.format, kbps, call_to_action, feed_dir: args.feed_dir, channel })
}

/// The article's name (`--name`, else its file's stem, else the `--out` folder's name) and
/// its output folder (`--out`, else `output/<--name>`, else `output/<file stem>`). An article
/// from standard input needs `--name` or `--out`: a default such as `output/stdin` would
/// make every piped article overwrite the last one.
fn name_and_folder(
    article: &ArticleInput,
    name: Option<String>,
    out: Option<PathBuf>,
) -> Result<(String, PathBuf), ConfigError> {
    if let Some(name) = &name {
        let unsafe_char = |c: char| matches!(c, '/' | '\\') || c.is_control();
        if name.trim().is_empty() || name.starts_with('.') || name.chars().any(unsafe_char) {
            return Err(ConfigError::Name(name.clone()));
        }
    }
    let folder = match (&out, &name, article) {
        (Some(out), _, _) => out.clone(),
        (None, Some(name), _) => PathBuf::from("output").join(name),
        (None, None, ArticleInput::File(path)) => default_out_dir(path),
        (None, None, ArticleInput::Stdin) => return Err(ConfigError::NoName),
    };
    let name = name
        .or_else(|| article.stem())
        .or_else(|| folder.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "article".into());
    Ok((name, folder))
}

/// `output/<article stem>`, the stem made safe as a folder name.
pub fn default_out_dir(article: &Path) -> PathBuf {
    PathBuf::from("output").join(crate::outdir::names::article_folder(article))
}
