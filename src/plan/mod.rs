//! The plan: chapters of utterances, each with the pause that follows it. Pure: no I/O.

pub mod lexicon;

pub mod chapters;
pub mod pauses;
pub mod split;
pub mod spoken;
pub mod title;

use serde::Serialize;

pub use chapters::ChapterKind;
pub use pauses::Pauses;
pub use split::{Cut, Limits};

use crate::article::{Article, BlockKind};

/// What planning needs to know about the voice.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSettings {
    pub limits: Limits,
    pub pauses: Pauses,
    pub lexicon: crate::plan::lexicon::Lexicon,
    /// The language to normalize numbers and symbols for; `None` when the voice turns it off.
    pub normalize: Option<String>,
    /// Speaking rate for estimates, in characters per second, for CJK text and for other text.
    pub rate_cjk: f64,
    pub rate_other: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub title: String,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// 0-based position in reading order.
    pub index: usize,
    /// The heading that names it; a continuation's is labelled as one ([`title`]).
    pub title: String,
    pub kind: ChapterKind,
    pub paid: bool,
    /// Stable, filesystem-safe file stem, e.g. `02-paid`.
    pub stem: String,
    pub utterances: Vec<Utterance>,
    /// Sections that begin inside this (paid) chapter.
    pub markers: Vec<Marker>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub title: String,
    /// Index into the chapter's `utterances` of the heading that starts the section.
    pub utterance: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Utterance {
    /// `u0001`… in reading order across the whole article.
    pub id: String,
    pub text: String,
    pub kind: BlockKind,
    /// The block's position in the article: 0 is the title, then 1, 2… for each heading
    /// and paragraph.
    pub paragraph: usize,
    /// 1-based line in the article file.
    pub line: usize,
    /// Read again for context (a section heading at the start of a paid chapter or after one).
    pub reread: bool,
    /// False for text with nothing to pronounce (only punctuation or symbols): it is kept
    /// in the manifest but only its pause is heard.
    pub spoken: bool,
    pub pause_after_ms: u32,
    /// What the backend is sent: the text after the lexicon and normalization.
    pub say: String,
    /// The SSML form, when a lexicon entry gave markup (for SSML backends).
    pub ssml: Option<String>,
}

impl Plan {
    pub fn utterances(&self) -> impl Iterator<Item = (&Chapter, &Utterance)> {
        self.chapters.iter().flat_map(|c| c.utterances.iter().map(move |u| (c, u)))
    }

    pub fn utterance_count(&self) -> usize {
        self.chapters.iter().map(|c| c.utterances.len()).sum()
    }
}

impl Chapter {
    pub fn chars(&self) -> usize {
        self.utterances.iter().filter(|u| u.spoken).map(|u| u.text.chars().count()).sum()
    }

    /// Estimated seconds of audio: speech at the given rates plus the planned pauses.
    pub fn estimated_seconds(&self, settings: &PlanSettings) -> f64 {
        self.utterances
            .iter()
            .map(|u| {
                let (cjk, other) = count_cjk(&u.text);
                let speech =
                    if u.spoken { cjk as f64 / settings.rate_cjk + other as f64 / settings.rate_other } else { 0.0 };
                speech + f64::from(u.pause_after_ms) / 1000.0
            })
            .sum()
    }
}

fn count_cjk(text: &str) -> (usize, usize) {
    text.chars().filter(|c| !c.is_whitespace()).fold((0, 0), |(cjk, other), c| {
        if matches!(c as u32, 0x3000..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF) {
            (cjk + 1, other)
        } else {
            (cjk, other + 1)
        }
    })
}

/// Builds the plan for `article` read by a voice with `settings`.
pub fn plan(article: &Article, settings: &PlanSettings) -> Plan {
    let drafts = chapters::group(article);
    let titles = title::titles(article, &drafts);
    let mut next_id = 1usize;
    let mut out = Vec::with_capacity(drafts.len());
    for (index, (draft, title)) in drafts.iter().zip(titles).enumerate() {
        let mut utterances = Vec::new();
        let mut markers = Vec::new();
        for (item_index, item) in draft.items.iter().enumerate() {
            let block = &article.blocks[item.block];
            if draft.markers.contains(&item_index) {
                markers.push(Marker { title: block.text.clone(), utterance: utterances.len() });
            }
            for (text, cut, form) in pieces_that_fit(&block.text, settings) {
                utterances.push(Utterance {
                    say: form.text,
                    ssml: form.ssml,
                    id: format!("u{next_id:04}"),
                    spoken: text.chars().any(char::is_alphanumeric),
                    text,
                    kind: block.kind,
                    paragraph: item.block,
                    line: block.line,
                    reread: item.reread,
                    pause_after_ms: settings.pauses.after(block.kind, cut),
                });
                next_id += 1;
            }
        }
        if let Some(last) = utterances.last_mut() {
            last.pause_after_ms = last.pause_after_ms.max(settings.pauses.chapter_ms);
        }
        out.push(Chapter {
            index,
            // From the heading, not the title: a continuation's file is named like its section's.
            stem: file_stem(index, draft.kind, &article.blocks[draft.named_by].text),
            title,
            kind: draft.kind,
            paid: draft.paid(),
            utterances,
            markers,
        });
    }
    Plan { title: article.title.clone(), chapters: out }
}

/// Splits `text` so that what is SENT fits the voice's limits: the spoken form (numbers as
/// words, lexicon respellings) can be longer than the written text, so a piece whose spoken
/// form is too long is split again with a proportionally smaller limit.
fn pieces_that_fit(text: &str, settings: &PlanSettings) -> Vec<(String, Cut, spoken::Spoken)> {
    let speak = |piece: &str| spoken::spoken_form(piece, &settings.lexicon, settings.normalize.as_deref());
    // Both forms must fit: which one is sent depends on the backend.
    let fits =
        |f: &spoken::Spoken| settings.limits.fits(&f.text) && f.ssml.as_ref().is_none_or(|x| settings.limits.fits(x));
    let mut out = Vec::new();
    for (piece, cut) in split::split(text, settings.limits) {
        let form = speak(&piece);
        let sent = form.ssml.clone().unwrap_or_else(|| form.text.clone());
        if fits(&form) {
            out.push((piece, cut, form));
            continue;
        }
        // Shrink the limits by how much longer the spoken form is, and try again (a few
        // rounds at most; a piece of one character is kept whatever it says).
        let mut limits = settings.limits;
        let mut pieces = vec![(piece.clone(), cut)];
        for _ in 0..4 {
            let ratio = |written: usize, sent: usize| written as f64 / sent.max(1) as f64 * 0.9;
            limits.max_chars = limits
                .max_chars
                .map(|m| ((m as f64 * ratio(piece.chars().count(), sent.chars().count())) as usize).max(1));
            limits.max_bytes = limits.max_bytes.map(|m| ((m as f64 * ratio(piece.len(), sent.len())) as usize).max(4));
            pieces = split::split(&piece, limits);
            let all_fit = pieces.iter().all(|(p, _)| fits(&speak(p)));
            if all_fit {
                break;
            }
        }
        let last = pieces.len().saturating_sub(1);
        for (i, (p, c)) in pieces.into_iter().enumerate() {
            let form = speak(&p);
            out.push((p, if i == last { cut } else { c }, form));
        }
    }
    out
}

/// The file stem of a chapter; the output folder's names module owns the rule.
fn file_stem(index: usize, kind: ChapterKind, title: &str) -> String {
    use crate::outdir::names::{ChapterRole, chapter_stem};
    let role = match kind {
        ChapterKind::Opening => ChapterRole::Opening,
        ChapterKind::Section | ChapterKind::Continuation => ChapterRole::Free,
        ChapterKind::Paid => ChapterRole::Paid,
    };
    chapter_stem(index, role, title)
}

#[cfg(test)]
mod tests;
