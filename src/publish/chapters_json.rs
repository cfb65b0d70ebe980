//! Podcasting 2.0 JSON chapters (`podcast:chapters`, format version 1.2.0).
//!
//! Written with serde, so titles are escaped by construction. Each chapter point of the
//! track is one entry, sub-sections included (the format has no nesting; listeners see them
//! as chapters in time order). Each entry carries `endTime` (optional in the format) as the
//! next entry's start, or the end of the file for the last one, so apps can show lengths
//! without decoding the audio. Paid entries say so in their title, since the format has no
//! field for it: `【付费】…` or `[Paid] …`, in the article's language.

use serde::Serialize;

use super::label::Words;
use super::track::Track;

/// The format version written.
pub const VERSION: &str = "1.2.0";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Chapters<'a> {
    version: &'static str,
    title: &'a str,
    chapters: Vec<Chapter>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Chapter {
    start_time: f64,
    end_time: f64,
    title: String,
}

/// The track's chapter points as a JSON chapters file (pretty-printed, ending in a newline).
pub fn podcast_chapters(track: &Track) -> String {
    let words = Words::for_text(&track.title);
    let chapters = track
        .marks
        .iter()
        .enumerate()
        .map(|(i, mark)| Chapter {
            start_time: mark.start,
            end_time: track.marks.get(i + 1).map_or(track.duration, |next| next.start),
            title: words.title(&mark.title, mark.paid),
        })
        .collect();
    let doc = Chapters { version: VERSION, title: &track.title, chapters };
    let mut out = serde_json::to_string_pretty(&doc).expect("chapters are plain data");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fixtures;
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn times_titles_and_paid_labels() {
        let doc = parse(&podcast_chapters(&fixtures::plain()));
        assert_eq!(
            doc,
            json!({
                "version": "1.2.0",
                "title": "Plain",
                "chapters": [
                    { "startTime": 0.0, "endTime": 3725.0456, "title": "Intro" },
                    { "startTime": 3725.0456, "endTime": 3727.5, "title": "[Paid] 第二章" }
                ]
            })
        );
    }

    #[test]
    fn hostile_titles_survive_as_text() {
        let text = podcast_chapters(&fixtures::hostile());
        let doc = parse(&text);
        assert_eq!(doc["title"], fixtures::HOSTILE_TITLE);
        let titles: Vec<&str> =
            doc["chapters"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
        assert_eq!(
            titles,
            [fixtures::HOSTILE_TITLE, "[Paid] \"quoted\" & 'apos' </script><!--", "[Paid] ]]> --> {\\an8}"]
        );
        let ends: Vec<f64> =
            doc["chapters"].as_array().unwrap().iter().map(|c| c["endTime"].as_f64().unwrap()).collect();
        assert_eq!(ends, [5.0, 8.0, 20.0]);
    }

    #[test]
    fn episodes_label_paid_chapters_and_keep_them_out_of_the_free_one() {
        let (free, full) = fixtures::episodes();
        let free = parse(&podcast_chapters(&free));
        let titles = |doc: &Value| -> Vec<(f64, String)> {
            doc["chapters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["startTime"].as_f64().unwrap(), c["title"].as_str().unwrap().to_string()))
                .collect()
        };
        assert_eq!(titles(&free), [(0.0, "标题".into()), (2.0, "一、甲".into()), (5.0, "二、乙".into())]);
        let full = parse(&podcast_chapters(&full));
        assert_eq!(
            titles(&full),
            [
                (0.0, "标题".into()),
                (2.0, "一、甲".into()),
                (5.0, "【付费】二、乙".into()),
                (7.5, "【付费】三、丙".into()),
                (9.0, "二、乙".into())
            ]
        );
        assert_eq!(full["chapters"][4]["endTime"], 10.5);
    }
}
