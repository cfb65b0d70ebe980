//! The few words seedaudio itself puts beside article text: "paid", "chapters"…, in the
//! article's language (Chinese or English; other languages get English).

use crate::text::language::{Language, is_chinese_tag};

/// Words of the published outputs in one language.
#[derive(Debug)]
pub struct Words {
    /// The BCP 47 tag these words are in (for `lang` attributes).
    pub lang: &'static str,
    pub free: &'static str,
    pub paid: &'static str,
    /// Put before a paid chapter's title where no other field can say it is paid.
    pub paid_prefix: &'static str,
    pub chapters: &'static str,
    pub transcript: &'static str,
    pub captions: &'static str,
    pub follow: &'static str,
    pub no_audio: &'static str,
    pub download: &'static str,
    pub play_from: &'static str,
    pub duration: &'static str,
}

const ZH: Words = Words {
    lang: "zh",
    free: "免费",
    paid: "付费",
    paid_prefix: "【付费】",
    chapters: "章节",
    transcript: "文字稿",
    captions: "字幕",
    follow: "播放时文字稿随之滚动",
    no_audio: "这个浏览器无法播放音频，可以下载音频文件：",
    download: "下载音频",
    play_from: "从此处播放：",
    duration: "时长",
};

const EN: Words = Words {
    lang: "en",
    free: "Free",
    paid: "Paid",
    paid_prefix: "[Paid] ",
    chapters: "Chapters",
    transcript: "Transcript",
    captions: "Captions",
    follow: "Scroll the transcript along with the audio",
    no_audio: "This browser cannot play the audio. Download the file: ",
    download: "Download the audio",
    play_from: "Play from ",
    duration: "Duration",
};

impl Words {
    /// The words for a language tag (`zh`, `zh-CN`, `cmn`, `en-GB`…).
    pub fn for_language(tag: &str) -> &'static Words {
        if is_chinese_tag(tag) { &ZH } else { &EN }
    }

    /// The words for text whose language is not recorded: Chinese when the text is
    /// (`text::language::Language::of_text`), else English (also for text without letters).
    pub fn for_text(text: &str) -> &'static Words {
        if Language::of_text(text) == Some(Language::Chinese) { &ZH } else { &EN }
    }

    /// `title` marked as paid when `paid`.
    pub fn title(&self, title: &str, paid: bool) -> String {
        if paid { format!("{}{title}", self.paid_prefix) } else { title.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    #[test]
    fn picks_by_tag_and_by_text() {
        assert_eq!(Words::for_language("zh-CN").lang, "zh");
        assert_eq!(Words::for_language("cmn").lang, "zh");
        assert_eq!(Words::for_language("en-GB").lang, "en");
        assert_eq!(Words::for_language("fr").lang, "en");
        assert_eq!(Words::for_text("一、先把结构理清楚").lang, "zh");
        assert_eq!(Words::for_text("Structure First").lang, "en");
    }

    #[test]
    fn marks_paid_titles() {
        assert_eq!(Words::for_language("zh").title("二、方法", true), "【付费】二、方法");
        assert_eq!(Words::for_language("en").title("Publishing", true), "[Paid] Publishing");
        assert_eq!(Words::for_language("en").title("Publishing", false), "Publishing");
    }
}
