//! What `seedaudio build` says when it is done: one summary line, then the files to open
//! next (the player page and the episodes) with their paths. Nothing with `--quiet`.

use crate::app::plan_report::clock;
use crate::build::BuildSummary;
use crate::build::next::Next;

/// The lines to print after a successful build.
pub fn lines(summary: &BuildSummary) -> Vec<String> {
    let mut lines = vec![if summary.up_to_date {
        format!(
            "{} is up to date ({} chapters, {} utterances; voice {}); nothing written. --force writes it again.",
            summary.out_dir.display(),
            summary.chapters_written,
            summary.utterances,
            summary.voice
        )
    } else {
        format!(
            "wrote {} chapters ({} of audio) to {} in {:.1} s; {} utterances: {}; voice {} ({})",
            summary.chapters_written,
            clock(summary.audio_seconds),
            summary.out_dir.display(),
            summary.wall.as_secs_f64(),
            summary.utterances,
            sources(&summary.counts),
            summary.voice,
            summary.engine
        )
    }];
    lines.extend(open_next(&summary.next));
    lines
}

/// Where the spoken utterances came from. A repeat (the same text earlier in this build, as
/// a heading re-read at a paid chapter) is neither synthesized again nor cached from before,
/// so a first build never claims cached audio.
fn sources(c: &crate::publish::manifest::Counts) -> String {
    let mut out = format!("{} synthesized, {} cached", c.synthesized, c.cached);
    if c.repeated > 0 {
        out.push_str(&format!(", {} repeated within this build", c.repeated));
    }
    if c.substituted > 0 {
        out.push_str(&format!(", {} read by the fallback voice", c.substituted));
    }
    out
}

/// `open next:` and one line per file, paths aligned.
fn open_next(next: &[Next]) -> Vec<String> {
    if next.is_empty() {
        return Vec::new();
    }
    let width = next.iter().map(|n| n.path.display().to_string().chars().count()).max().unwrap_or(0);
    let mut lines = vec!["open next:".to_string()];
    for n in next {
        let path = n.path.display().to_string();
        let pad = " ".repeat(width - path.chars().count());
        let length = n.seconds.map(|s| format!(" ({})", clock(s))).unwrap_or_default();
        lines.push(format!("  {path}{pad}  {}{length}", n.what));
    }
    lines
}
