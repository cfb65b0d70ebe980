//! The commands: arguments in, output and an exit status out.

pub mod build_report;
pub mod cli;
pub mod config;
pub mod crash;
pub mod doctor;
pub mod many;
pub mod many_report;
pub mod out_store;
pub mod plan_report;
pub mod share_report;
pub mod voices;

use std::process::ExitCode;

use crate::app::cli::{CacheAction, Cli, Command};
use crate::app::plan_report::PlanReport;
use crate::article::input::ArticleInput;
use crate::backend::preset::Preset;
use crate::build::{self, estimate::Estimate};
use crate::synth::cache::{Cache, maintain};
use crate::synth::{CacheUse, Speaker, Synthesizer};

pub fn run(cli: Cli) -> ExitCode {
    crate::app::crash::install_hook();
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // The last line of defence: no key read this run is printed, whatever quoted it.
            eprintln!("error: {}", crate::backend::secret::redact_known(&message));
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Build(args) if args.out.as_deref().is_some_and(crate::outstore::is_url) => out_store::build(*args),
        Command::Build(args) if many::is_many(&args.input) => many::build(*args),
        Command::Plan(args) if many::is_many(&args.input) => many::plan(args),
        Command::Build(args) => {
            let settings = config::build_settings(*args).map_err(|e| e.to_string())?;
            let quiet = settings.progress == crate::build::progress::Mode::Quiet;
            let summary = build::build(&settings).map_err(|e| e.to_string())?;
            if !quiet {
                for line in crate::app::build_report::lines(&summary) {
                    eprintln!("{line}");
                }
            }
            Ok(())
        }
        Command::Plan(args) => {
            let voice = args.input.voice.as_deref().map(Preset::find).transpose().map_err(|e| e.to_string())?;
            let speed = config::speed(args.input.speed).map_err(|e| e.to_string())?;
            let input = ArticleInput::from_arg(&args.input.articles[0]);
            let build::Loaded { source, article, plan, preset, settings, .. } = build::load(
                &input,
                args.input.encoding.as_deref(),
                args.input.book_options(),
                voice.as_ref(),
                args.input.lexicon.as_deref(),
            )
            .map_err(|e| e.to_string())?;
            if let Some(note) = source.note(&input) {
                eprintln!("note: {note}");
            }
            if let Some(note) = source.left_out_note(&input) {
                eprintln!("note: {note}");
            }
            for w in &article.warnings {
                eprintln!("warning: {input}:{}: {}", w.line, w.message);
            }
            let preset = crate::backend::preset::Overrides { speed, ..Default::default() }.apply(preset);
            let estimate = estimate_for_plan(&plan, &preset, args.cache_dir.as_deref());
            let report = PlanReport::new(&article, &plan, &preset, &settings, estimate);
            print!("{}", if args.json { report.to_json() } else { report.to_text(args.show_spoken) });
            Ok(())
        }
        Command::Voices(args) => crate::app::voices::run(args),
        Command::Feed(args) => out_store::feed(args),
        Command::Cache(args) => {
            let dir = Cache::default_dir(args.cache_dir.as_deref());
            match args.action {
                CacheAction::Stats => {
                    let stats = maintain::stats(&dir);
                    println!("{}: {} entries, {}", dir.display(), stats.entries, megabytes(stats.bytes));
                    for (kind, (entries, bytes)) in &stats.by_backend {
                        println!("  {kind:<12} {entries:>8} entries  {}", megabytes(*bytes));
                    }
                }
                CacheAction::Prune { older_than, max_size } => {
                    if older_than.is_none() && max_size.is_none() {
                        return Err(
                            "cache prune needs --older-than AGE (e.g. 30d) and/or --max-size SIZE (e.g. 500M)".into()
                        );
                    }
                    let age = older_than
                        .map(|a| {
                            maintain::parse_age(&a)
                                .ok_or(format!("--older-than {a:?}: use a number and s, m, h, d or w, e.g. 30d"))
                        })
                        .transpose()?;
                    let size = max_size
                        .map(|s| {
                            maintain::parse_size(&s)
                                .ok_or(format!("--max-size {s:?}: use a number and K, M or G, e.g. 500M"))
                        })
                        .transpose()?;
                    let (entries, bytes) = maintain::prune(&dir, age, size);
                    println!("removed {entries} entries ({}) from {}", megabytes(bytes), dir.display());
                }
            }
            Ok(())
        }
        Command::Doctor(args) => {
            let preset = Preset::find(&args.voice).map_err(|e| e.to_string())?;
            for line in crate::app::doctor::check(&preset, args.engine.as_deref())? {
                println!("{line}");
            }
            Ok(())
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

/// The estimate for `plan`, asking the cache when the voice can be set up without a request
/// (it cannot when its key is not set: then the cached count is left out).
fn estimate_for_plan(plan: &crate::plan::Plan, preset: &Preset, cache_dir: Option<&std::path::Path>) -> Estimate {
    let dir = Cache::default_dir(cache_dir);
    let cache = dir.is_dir().then(|| Cache::open(&dir).ok()).flatten().map(|c| (c, CacheUse::Normal));
    let mut notices = Vec::new();
    let synth = match (crate::backend::open(preset, None, &mut notices), cache) {
        (Ok(backend), Some(cache)) => {
            Some(Synthesizer::new(Speaker::new(preset.clone(), backend), None, Some(cache), 44_100))
        }
        _ => None,
    };
    crate::build::estimate::estimate(plan, preset, synth.as_ref())
}
