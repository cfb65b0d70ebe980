//! What `seedaudio build` says after several articles: one line per article (chapters,
//! length, where its utterances came from, or its error), and the exit status.

use std::path::{Path, PathBuf};

use crate::app::plan_report::clock;
use crate::build::BuildSummary;

/// One article's build.
pub struct Outcome {
    pub article: PathBuf,
    pub out_dir: PathBuf,
    /// The summary, or the error's message.
    pub result: Result<BuildSummary, String>,
}

/// The summary after the last article.
pub fn lines(outcomes: &[Outcome]) -> Vec<String> {
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    let mut lines = vec![match failed {
        0 => format!("built {} articles:", outcomes.len()),
        _ => format!("built {} of {} articles; {failed} failed:", outcomes.len() - failed, outcomes.len()),
    }];
    let width = outcomes.iter().map(|o| o.out_dir.display().to_string().chars().count()).max().unwrap_or(0);
    for o in outcomes {
        let folder = o.out_dir.display().to_string();
        let pad = " ".repeat(width - folder.chars().count());
        lines.push(match &o.result {
            Ok(s) if s.up_to_date => {
                format!(
                    "  ok      {folder}{pad}  up to date: {} chapters, {} utterances",
                    s.chapters_written, s.utterances
                )
            }
            Ok(s) => format!(
                "  ok      {folder}{pad}  {} chapters, {}, {} utterances: {} synthesized, {} cached, {} failed",
                s.chapters_written,
                clock(s.audio_seconds),
                s.utterances,
                s.counts.synthesized,
                s.counts.cached + s.counts.repeated,
                s.counts.failed
            ),
            Err(message) => {
                format!("  FAILED  {folder}{pad}  {}", naming(&o.article, message.lines().next().unwrap_or_default()))
            }
        });
    }
    lines
}

/// `Ok` when every article was built; else the error naming the failed ones (exit status 1).
pub fn verdict(outcomes: &[Outcome]) -> Result<(), String> {
    let failed: Vec<String> =
        outcomes.iter().filter(|o| o.result.is_err()).map(|o| o.article.display().to_string()).collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} of {} articles failed ({}); the others are built. Fix them and run the same command again: what is built is up to date and skipped",
        failed.len(),
        outcomes.len(),
        failed.join(", ")
    ))
}

/// The message, led by the article's path unless it names it already.
pub fn naming(article: &Path, message: &str) -> String {
    let path = article.display().to_string();
    if message.contains(&path) { message.to_string() } else { format!("{path}: {message}") }
}
