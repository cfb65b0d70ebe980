use super::*;
use crate::article::parse;

fn settings() -> PlanSettings {
    PlanSettings {
        limits: Limits { max_chars: Some(200), max_bytes: None },
        pauses: Pauses::default(),
        lexicon: Default::default(),
        normalize: None,
        rate_cjk: 4.0,
        rate_other: 15.0,
    }
}

fn plan_of(text: &str) -> Plan {
    plan(&parse(text).unwrap(), &settings())
}

/// One line per chapter: `kind paid? title | utterance texts (reread ones marked ^) | markers`.
fn outline(p: &Plan) -> Vec<String> {
    p.chapters
        .iter()
        .map(|c| {
            let texts: Vec<String> =
                c.utterances.iter().map(|u| if u.reread { format!("^{}", u.text) } else { u.text.clone() }).collect();
            let marks: Vec<&str> = c.markers.iter().map(|m| m.title.as_str()).collect();
            format!(
                "{:?}{} {} | {} | {}",
                c.kind,
                if c.paid { "$" } else { "" },
                c.title,
                texts.join(" / "),
                marks.join(",")
            )
        })
        .collect()
}

#[test]
fn reference_shape_paid_inside_section_two() {
    let text = "标题\n引言。\n一、甲\n甲文一。\n甲文二。\n二、乙\n##paidbegin##乙文。\n三、丙\n丙文。\n四、丁\n丁文。\n##paidend##\n";
    assert_eq!(
        outline(&plan_of(text)),
        vec![
            "Opening 标题 | 标题 / 引言。 | ",
            "Section 一、甲 | 一、甲 / 甲文一。 / 甲文二。 | ",
            "Paid$ 二、乙 | 二、乙 / 乙文。 / 三、丙 / 丙文。 / 四、丁 / 丁文。 | 三、丙,四、丁",
        ]
    );
}

#[test]
fn paid_block_after_free_body_rereads_the_heading() {
    let text = "T\n一、甲\n免费。\n##paidbegin##\n付费。\n##paidend##\n二、乙\n文。";
    assert_eq!(
        outline(&plan_of(text)),
        vec![
            "Section 一、甲 | T / 一、甲 / 免费。 | ",
            "Paid$ 一、甲 | ^一、甲 / 付费。 | ",
            "Section 二、乙 | 二、乙 / 文。 | ",
        ]
    );
}

#[test]
fn paid_block_ending_inside_a_section_continues_with_the_heading() {
    let text = "T\nintro.\nI. One\na.\n##paidbegin##b.##paidend## c.\nII. Two\nd.";
    assert_eq!(
        outline(&plan_of(text)),
        vec![
            "Opening T | T / intro. | ",
            "Section I. One | I. One / a. | ",
            "Paid$ I. One | ^I. One / b. | ",
            "Continuation I. One (continued) | ^I. One / c. | ",
            "Section II. Two | II. Two / d. | ",
        ]
    );
}

#[test]
fn continuations_are_labelled_in_the_article_language_and_numbered() {
    let text = "标题\n一、甲\n甲文。\n##paidbegin##付一。##paidend##续一。\n##paidbegin##付二。##paidend##续二。\n二、乙\n乙文。";
    let p = plan_of(text);
    assert_eq!(
        outline(&p),
        vec![
            "Section 一、甲 | 标题 / 一、甲 / 甲文。 | ",
            "Paid$ 一、甲 | ^一、甲 / 付一。 | ",
            "Continuation 一、甲（续） | ^一、甲 / 续一。 | ",
            "Paid$ 一、甲 | ^一、甲 / 付二。 | ",
            "Continuation 一、甲（续2） | ^一、甲 / 续二。 | ",
            "Section 二、乙 | 二、乙 / 乙文。 | ",
        ]
    );
    // File names come from the heading: a continuation is named like its section.
    let en = plan_of("T\nintro.\n## First Part\na.\n##paidbegin##b.##paidend##\nc.");
    let stems: Vec<&str> = en.chapters.iter().map(|c| c.stem.as_str()).collect();
    assert_eq!(stems, vec!["00-opening-t", "01-free-first-part", "02-paid-first-part", "03-free-first-part"]);
    assert_eq!(en.chapters[3].title, "First Part (continued)");
}

#[test]
fn missing_end_runs_to_the_end() {
    let text = "T\nintro.\n1. A\na.\n##paidbegin##\nb.\n2. B\nc.";
    let p = plan_of(text);
    assert_eq!(
        outline(&p),
        vec!["Opening T | T / intro. | ", "Section 1. A | 1. A / a. | ", "Paid$ 1. A | ^1. A / b. / 2. B / c. | 2. B",]
    );
}

#[test]
fn two_paid_blocks_are_two_chapters() {
    let text = "T\nintro.\n## A\n##paidbegin##\na.\n##paidend##\n## B\nb.\n##paidbegin##b2.\n##paidend##";
    assert_eq!(
        outline(&plan_of(text)),
        vec!["Opening T | T / intro. | ", "Paid$ A | A / a. | ", "Section B | B / b. | ", "Paid$ B | ^B / b2. | ",]
    );
}

#[test]
fn title_without_opening_text_starts_the_first_chapter() {
    assert_eq!(
        outline(&plan_of("T\n一、甲\n文。\n二、乙\n文。")),
        vec!["Section 一、甲 | T / 一、甲 / 文。 | ", "Section 二、乙 | 二、乙 / 文。 | "]
    );
}

#[test]
fn paid_from_the_start() {
    assert_eq!(outline(&plan_of("T\n##paidbegin##secret.\nmore.")), vec!["Paid$ T | T / secret. / more. | "]);
    assert_eq!(outline(&plan_of("##paidbegin##T\nsecret.")), vec!["Paid$ T | T / secret. | "]);
}

#[test]
fn only_a_title() {
    assert_eq!(outline(&plan_of("Just a title")), vec!["Opening Just a title | Just a title | "]);
}

#[test]
fn empty_section_stays_a_chapter() {
    assert_eq!(
        outline(&plan_of("T\nintro.\n一、空\n二、乙\n文。")),
        vec!["Opening T | T / intro. | ", "Section 一、空 | 一、空 | ", "Section 二、乙 | 二、乙 / 文。 | "]
    );
}

#[test]
fn pauses_follow_what_ends() {
    let p = plan_of("T\nintro.\n一、甲\n（一）子\n文。");
    let pauses: Vec<u32> = p.utterances().map(|(_, u)| u.pause_after_ms).collect();
    let d = Pauses::default();
    assert_eq!(pauses, vec![d.heading_ms, d.chapter_ms, d.heading_ms, d.subheading_ms, d.chapter_ms]);
}

#[test]
fn ids_are_sequential_and_stems_sortable() {
    let p = plan_of("An English Title\nintro.\n## First Part\ntext.\n##paidbegin##more.");
    let ids: Vec<&str> = p.utterances().map(|(_, u)| u.id.as_str()).collect();
    assert_eq!(ids, vec!["u0001", "u0002", "u0003", "u0004", "u0005", "u0006"]);
    let stems: Vec<&str> = p.chapters.iter().map(|c| c.stem.as_str()).collect();
    assert_eq!(stems, vec!["00-opening-an-english-title", "01-free-first-part", "02-paid-first-part"]);
    let zh = plan_of("标题\n引言。");
    assert_eq!(zh.chapters[0].stem, "00-opening");
}

#[test]
fn punctuation_only_text_is_not_spoken() {
    // (`* * *` would be a Markdown rule, dropped before planning: see `article::markup`.)
    let p = plan_of("T\n※ ※ ※\ntext.");
    let spoken: Vec<bool> = p.utterances().map(|(_, u)| u.spoken).collect();
    assert_eq!(spoken, vec![true, false, true]);
}

#[test]
fn what_is_sent_fits_the_limit_even_when_numbers_become_longer_words() {
    let mut s = settings();
    s.limits = Limits { max_chars: None, max_bytes: Some(60) };
    s.normalize = Some("zh".into());
    // 12345 (5 bytes) is said as 一万二千三百四十五 (27 bytes).
    let text = "T\n编号12345和67890，编号12345和67890，编号12345和67890。";
    let p = plan(&parse(text).unwrap(), &s);
    let pieces: Vec<&Utterance> = p.utterances().map(|(_, u)| u).filter(|u| u.kind == BlockKind::Paragraph).collect();
    assert!(pieces.len() >= 3, "{pieces:?}");
    for u in &pieces {
        assert!(u.say.len() <= 60, "{} bytes sent: {}", u.say.len(), u.say);
        assert!(u.say.contains('万'), "normalized: {}", u.say);
    }
    let joined: String = pieces.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(joined, "编号12345和67890，编号12345和67890，编号12345和67890。");
}
