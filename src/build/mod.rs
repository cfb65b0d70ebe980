//! The build driver: the only place that knows the order of the stages.
//!
//! [`build`] reads as the list of stages; each stage is a function in its own file here
//! (or, for the output folder and publishing, a step the lower layers offer).

pub mod cache;
pub mod call_to_action;
pub mod chapters;
pub mod estimate;
pub mod failures;
pub mod interrupt;
pub mod level;
pub mod load;
pub mod lock;
pub mod manifest;
pub mod next;
pub mod progress;
pub mod publishing;
pub mod settings;
pub mod synthesize;
pub mod uptodate;
pub mod voices;
pub mod window;

use std::sync::Arc;
use std::time::Instant;

use crate::outdir::{self, names};
use crate::synth::{CacheUse, Speaker, Synthesizer};

pub use load::{Loaded, load, plan_settings};
pub use settings::{BuildError, BuildSettings, BuildSummary};

/// Builds the chapters, everything published around them and the manifest of one article.
pub fn build(settings: &BuildSettings) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let out = &settings.out_dir;

    // Read, parse and plan the article.
    let Loaded { source, article, preset, plan, settings: plan_settings, voice_note } = load(
        &settings.article,
        settings.encoding.as_deref(),
        settings.book,
        settings.voice.as_ref(),
        settings.lexicon.as_deref(),
    )?;
    let notes = [source.note(&settings.article), source.left_out_note(&settings.article)];
    for note in notes.into_iter().flatten().chain(voice_note) {
        eprintln!("note: {note}");
    }
    for w in &article.warnings {
        eprintln!("warning: {}:{}: {}", settings.article, w.line, w.message);
    }

    // The voices, the cache and the output folder.
    let preset = settings.overrides.apply(preset);
    let (backend, fallback) = voices::set_up(&preset, settings)?;
    let cache = cache::open(settings)?;
    outdir::create(out).map_err(|source| BuildError::Output { path: out.clone(), source })?;
    let _lock = lock::take(out, settings)?;
    let jobs = synthesize::jobs(settings, preset.concurrency);
    let synth = Synthesizer::new(Speaker::new(preset, backend), fallback, cache, settings.sample_rate);

    // Refuse what costs too much; skip what is already there.
    let estimate = estimate::estimate(&plan, &synth.primary.preset, Some(&synth));
    estimate::within_budget(&estimate, settings.max_cost, &synth.primary.preset.name)?;
    let fingerprint = uptodate::fingerprint(&plan, &synth, &settings.output_shaping());
    let refresh = matches!(settings.cache, Some((_, CacheUse::Refresh)));
    if !settings.force && !refresh && uptodate::is_up_to_date(out, &fingerprint) {
        return Ok(BuildSummary {
            up_to_date: true,
            out_dir: out.clone(),
            chapters_written: plan.chapters.len(),
            audio_seconds: 0.0,
            wall: started.elapsed(),
            engine: synth.primary.backend.engine(),
            voice: synth.primary.preset.name.clone(),
            utterances: plan.utterance_count(),
            counts: crate::publish::manifest::Counts::default(),
            next: next::from_manifest(out),
        });
    }

    // Synthesize and write the chapters (Ctrl-C from here on keeps what is cached).
    let synth = Arc::new(synth);
    interrupt::on_ctrl_c(synth.clone(), out, settings.cache.as_ref().map(|(dir, _)| dir.as_path()));
    let written = synthesize::synthesize_and_write(&plan, &synth, settings, jobs)?;
    let record = manifest::record(&manifest::Facts {
        article_file: &settings.article.file_name(),
        source: &source,
        article: &article,
        plan: &plan,
        synth: &synth,
        written: &written,
        rate: settings.sample_rate,
        loudness: settings.loudness.as_ref(),
    });

    // With every chapter written: the call to action, publishing, the stale files, the stamp.
    let manifest = if written.failures.is_empty() {
        let call_to_action = match &settings.publish.call_to_action {
            Some(text) => Some(
                call_to_action::make(text, &synth, &plan_settings, settings.loudness.as_ref(), settings.sample_rate)
                    .map_err(BuildError::CallToAction)?,
            ),
            None => None,
        };
        let publication = publishing::Publication {
            out,
            rate: settings.sample_rate,
            settings: &settings.publish,
            call_to_action: call_to_action.as_ref(),
            chapter_loudness: written.chapters.iter().map(|c| c.loudness.as_ref()).collect(),
            article_name: &settings.name,
        };
        let (published, notes) = publishing::publish(&record, &publication).map_err(BuildError::Publish)?;
        if settings.progress != progress::Mode::Quiet {
            for note in notes {
                eprintln!("note: {note}");
            }
        }
        let manifest = manifest::complete(record, published);
        outdir::stale::remove_stale(out, &manifest.files(), &crate::publish::transcript::extensions());
        let stamp =
            uptodate::stamp(out, fingerprint).map_err(|source| BuildError::Output { path: out.clone(), source })?;
        manifest.stamp(Some(stamp))
    } else {
        manifest::complete(record, manifest::Published::default()).stamp(None)
    };

    // The manifest, then the failures if any.
    let manifest_path = out.join(names::MANIFEST);
    outdir::atomic::write_atomic(&manifest_path, manifest.to_json().as_bytes())
        .map_err(|source| BuildError::Output { path: manifest_path, source })?;
    if let Some(error) = failures::failed(&plan, &written) {
        return Err(error);
    }
    Ok(BuildSummary {
        up_to_date: false,
        out_dir: out.clone(),
        chapters_written: written.chapters.len(),
        audio_seconds: written.chapters.iter().map(|c| c.samples as f64).sum::<f64>() / f64::from(settings.sample_rate),
        wall: started.elapsed(),
        engine: synth.primary.backend.engine(),
        voice: synth.primary.preset.name.clone(),
        utterances: plan.utterance_count(),
        counts: manifest.counts,
        next: next::files(out, &manifest.episodes),
    })
}
