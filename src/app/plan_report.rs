//! `seedaudio plan`: the plan as a table for people or JSON for programs.

use serde::Serialize;

use crate::article::Article;
use crate::backend::preset::Preset;
use crate::plan::{ChapterKind, Plan, PlanSettings};

#[derive(Debug, Serialize)]
pub struct PlanReport {
    pub title: String,
    pub voice: String,
    /// The voice's speaking rate (the preset's `speed`, or `--speed`).
    pub speed: f32,
    pub chapters: Vec<ChapterRow>,
    pub totals: Totals,
    pub estimate: crate::build::estimate::Estimate,
    pub warnings: Vec<crate::publish::manifest::WarningEntry>,
}

#[derive(Debug, Serialize)]
pub struct ChapterRow {
    pub index: usize,
    pub title: String,
    pub kind: ChapterKind,
    pub paid: bool,
    pub file: String,
    pub utterances: usize,
    pub characters: usize,
    pub estimated_seconds: f64,
    pub markers: Vec<MarkerRow>,
    /// Only in JSON: every utterance with its text.
    pub utterance_list: Vec<UtteranceRow>,
}

#[derive(Debug, Serialize)]
pub struct UtteranceRow {
    pub id: String,
    pub kind: crate::article::BlockKind,
    pub line: usize,
    pub reread: bool,
    pub characters: usize,
    pub text: String,
    /// What the backend is sent (after the lexicon and normalization).
    pub say: String,
    /// The SSML form, for SSML backends, when the lexicon gave markup.
    pub ssml: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MarkerRow {
    pub title: String,
    pub utterance: String,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub chapters: usize,
    pub utterances: usize,
    pub characters: usize,
    pub estimated_seconds: f64,
}

impl PlanReport {
    pub fn new(
        article: &Article,
        plan: &Plan,
        preset: &Preset,
        settings: &PlanSettings,
        estimate: crate::build::estimate::Estimate,
    ) -> PlanReport {
        let chapters: Vec<ChapterRow> = plan
            .chapters
            .iter()
            .map(|c| ChapterRow {
                index: c.index,
                title: c.title.clone(),
                kind: c.kind,
                paid: c.paid,
                file: crate::outdir::names::audio(&c.stem, "wav"),
                utterances: c.utterances.len(),
                characters: c.chars(),
                estimated_seconds: (c.estimated_seconds(settings) * 10.0).round() / 10.0,
                markers: c
                    .markers
                    .iter()
                    .map(|m| MarkerRow { title: m.title.clone(), utterance: c.utterances[m.utterance].id.clone() })
                    .collect(),
                utterance_list: c
                    .utterances
                    .iter()
                    .map(|u| UtteranceRow {
                        id: u.id.clone(),
                        kind: u.kind,
                        line: u.line,
                        reread: u.reread,
                        characters: u.text.chars().count(),
                        text: u.text.clone(),
                        say: u.say.clone(),
                        ssml: u.ssml.clone(),
                    })
                    .collect(),
            })
            .collect();
        let totals = Totals {
            chapters: chapters.len(),
            utterances: chapters.iter().map(|c| c.utterances).sum(),
            characters: chapters.iter().map(|c| c.characters).sum(),
            estimated_seconds: chapters.iter().map(|c| c.estimated_seconds).sum(),
        };
        PlanReport {
            title: plan.title.clone(),
            voice: preset.name.clone(),
            speed: preset.speed,
            chapters,
            totals,
            estimate,
            warnings: article.warnings.iter().map(Into::into).collect(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data") + "\n"
    }

    pub fn to_text(&self, show_spoken: bool) -> String {
        let mut out = format!("{}\nvoice: {}, speed {}\n\n", self.title, self.voice, self.speed);
        out.push_str("  #  part  utterances  characters  estimate  chapter\n");
        for c in &self.chapters {
            out.push_str(&format!(
                "{:>3}  {:<4}  {:>10}  {:>10}  {:>8}  {}\n",
                c.index,
                if c.paid { "PAID" } else { "free" },
                c.utterances,
                c.characters,
                clock(c.estimated_seconds),
                c.title
            ));
            for m in &c.markers {
                out.push_str(&format!("{:>47}+ {} (at {})\n", "", m.title, m.utterance));
            }
            if show_spoken {
                for u in &c.utterance_list {
                    out.push_str(&format!("       {}  {}\n", u.id, u.text));
                    if u.say != u.text {
                        out.push_str(&format!("         says  {}\n", u.say));
                    }
                    if let Some(ssml) = &u.ssml {
                        out.push_str(&format!("         ssml  {ssml}\n"));
                    }
                }
            }
        }
        let t = &self.totals;
        out.push_str(&format!(
            "\n{} chapters, {} utterances, {} characters, about {} of audio\n",
            t.chapters,
            t.utterances,
            t.characters,
            clock(t.estimated_seconds)
        ));
        out.push_str(&self.estimate.describe());
        out.push('\n');
        out
    }
}

/// `m:ss` or `h:mm:ss`.
pub fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
