//! Every file name a build writes into the output folder (and the feed folder), in one place.
//!
//! Writers, the stale-file clean-up, the interrupt handler and the up-to-date check must all
//! agree on what a name means; keeping them here means a new kind of file, or a new rule for
//! an old one, is one edit, and [`parse_chapter`] recognises exactly what
//! [`chapter_stem`] makes.

/// The manifest of a build.
pub const MANIFEST: &str = "manifest.json";
/// The player page.
pub const PLAYER: &str = "index.html";
/// Stems of the two episodes.
pub const EPISODE_FREE: &str = "episode-free";
pub const EPISODE_FULL: &str = "episode-full";
/// The public feed and the subscribers' feed, in the feed folder.
pub const FEED_FREE: &str = "feed-free.xml";
pub const FEED_PAID: &str = "feed-paid.xml";
/// The output folder's lock, held by the build writing it (hidden: never listed, stamped
/// or cleaned).
pub const OUT_LOCK: &str = ".seedaudio.lock";
/// The feed folder's item store and its lock.
pub const FEED_ITEMS: &str = "feed-items.json";
pub const FEED_LOCK: &str = ".feed-items.lock";

/// The folder name of an article file: its stem made safe as a folder name
/// (`five-awareness` for `five-awareness.txt`; `article` when nothing is left).
pub fn article_folder(article: &std::path::Path) -> String {
    let stem = article.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let safe: String =
        stem.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() { "article".into() } else { safe.into() }
}

/// The audio file extensions a build can write (`--format`).
pub const AUDIO_EXTENSIONS: [&str; 4] = ["wav", "mp3", "m4b", "m4a"];

/// What a chapter file holds, as its name says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChapterRole {
    /// The title and the text before the first heading.
    Opening,
    /// Free text.
    Free,
    /// A paid block.
    Paid,
}

impl ChapterRole {
    fn word(self) -> &'static str {
        match self {
            ChapterRole::Opening => "opening",
            ChapterRole::Free => "free",
            ChapterRole::Paid => "paid",
        }
    }
}

/// `NN-role[-ascii-words]`: sortable, safe on every file system and in URLs. The number has
/// at least two digits (more past chapter 99); titles mostly not in ASCII get no slug.
pub fn chapter_stem(index: usize, role: ChapterRole, title: &str) -> String {
    let role = role.word();
    let ascii = title.chars().filter(char::is_ascii_alphanumeric).count();
    let visible = title.chars().filter(|c| !c.is_whitespace()).count();
    if ascii * 2 < visible {
        return format!("{index:02}-{role}");
    }
    let mut slug = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if slug.len() + word.len() + 1 > 40 {
            break;
        }
        slug.push('-');
        slug.push_str(&word.to_ascii_lowercase());
    }
    format!("{index:02}-{role}{slug}")
}

/// The chapter number and role of a stem [`chapter_stem`] could have made; `None` for any
/// other name.
pub fn parse_chapter(stem: &str) -> Option<(usize, ChapterRole)> {
    let (number, rest) = stem.split_once('-')?;
    if number.len() < 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index = number.parse().ok()?;
    [ChapterRole::Opening, ChapterRole::Free, ChapterRole::Paid].into_iter().find_map(|role| {
        let after = rest.strip_prefix(role.word())?;
        let slug_ok = after.is_empty()
            || after.strip_prefix('-').is_some_and(|s| {
                !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        slug_ok.then_some((index, role))
    })
}

/// Whether `stem` names one of the two episodes.
pub fn is_episode(stem: &str) -> bool {
    stem == EPISODE_FREE || stem == EPISODE_FULL
}

/// `stem.ext`.
pub fn audio(stem: &str, extension: &str) -> String {
    format!("{stem}.{extension}")
}

/// A file that goes with a chapter or episode, named by its extension (a transcript:
/// `01-free.vtt`).
pub fn companion(stem: &str, extension: &str) -> String {
    format!("{stem}.{extension}")
}

/// The podcast chapter list of an episode.
pub fn chapter_list(stem: &str) -> String {
    format!("{stem}.chapters.json")
}

/// The stem of a file a build wrote (`02-paid.mp3` → `02-paid`,
/// `episode-free.chapters.json` → `episode-free`).
pub fn stem_of(file: &str) -> &str {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    stem.strip_suffix(".chapters").unwrap_or(stem)
}

const PARTIAL: &str = ".partial";

/// The hidden name a file is written under before it is renamed into place: `.NAME.partial`.
pub fn partial(name: &str) -> String {
    format!(".{name}{PARTIAL}")
}

/// The prefix and suffix of a hidden temporary name with a random middle
/// (`.NAME.XXXXXX.partial`), for writers that may run side by side.
pub fn partial_affixes(name: &str) -> (String, &'static str) {
    (format!(".{name}."), PARTIAL)
}

/// Whether `name` is a hidden temporary file of a writer (left behind by an interrupt).
pub fn is_partial(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(PARTIAL)
}

/// The hidden WAV of the call to action, joined after the free chapters into an MP3 episode.
pub fn call_to_action_wav(episode_stem: &str) -> String {
    partial(&format!("{episode_stem}.call-to-action.wav"))
}

/// Whether `name` is a file of a build that only builds write: a chapter's or episode's
/// audio, companions (the `companion_extensions` given, the transcripts) or chapter list.
/// Only such files are ever removed as stale.
pub fn is_build_file(name: &str, companion_extensions: &[&str]) -> bool {
    let Some((_, ext)) = name.rsplit_once('.') else { return false };
    let stem = stem_of(name);
    let ours = match ext {
        "json" => name.ends_with(".chapters.json"),
        ext => AUDIO_EXTENSIONS.contains(&ext) || companion_extensions.contains(&ext),
    };
    ours && (parse_chapter(stem).is_some() || is_episode(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_parse_back_at_any_number_of_digits() {
        for (index, role, title) in [
            (0, ChapterRole::Opening, "An English title"),
            (7, ChapterRole::Free, "第一部分"),
            (100, ChapterRole::Paid, "Part 100: the end"),
            (1234, ChapterRole::Free, ""),
        ] {
            let stem = chapter_stem(index, role, title);
            assert_eq!(parse_chapter(&stem), Some((index, role)), "{stem}");
        }
        assert_eq!(chapter_stem(3, ChapterRole::Paid, "Hello, World"), "03-paid-hello-world");
        assert_eq!(chapter_stem(100, ChapterRole::Free, "第一部分"), "100-free");
    }

    #[test]
    fn other_names_are_not_chapters() {
        for stem in ["1-free", "ab-free", "01-freedom", "01-free-", "01-free-Notes", "notes", "01-other", "-free"] {
            assert_eq!(parse_chapter(stem), None, "{stem}");
        }
    }

    #[test]
    fn build_files_are_recognised_by_name() {
        for name in ["100-free.wav", "100-free.vtt", "02-paid-x.srt", "00-opening.mp3", "episode-full.chapters.json"] {
            assert!(is_build_file(name, &["vtt", "srt"]), "{name}");
        }
        for name in ["notes.txt", "01-free.txt", "manifest.json", "index.html", "01-free.json", "cover.mp3", "x.wav"] {
            assert!(!is_build_file(name, &["vtt", "srt"]), "{name}");
        }
    }

    #[test]
    fn temporary_names_are_hidden_and_recognised() {
        assert_eq!(partial("01-x.wav"), ".01-x.wav.partial");
        assert!(is_partial(&partial("01-x.wav")));
        assert!(is_partial(&call_to_action_wav(EPISODE_FREE)));
        let (prefix, suffix) = partial_affixes("index.html");
        assert!(is_partial(&format!("{prefix}a1B2c3{suffix}")));
        assert!(!is_partial("01-x.wav"));
    }
}
