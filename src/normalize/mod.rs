//! Text normalization: numbers, dates, times, currency, units and a few abbreviations
//! rewritten into the words a voice should say, before the text goes to a speech engine.
//!
//! [`normalize`] picks the language from a tag: Chinese by the one tag rule
//! ([`is_chinese_tag`]: `zh`, `zh-CN`, `cmn-CN`, `zh_TW`, `yue`…), English by `en`/`eng`
//! (`en-US`…); any other language comes back unchanged. The rules for each language, and the choices made
//! where the written form is ambiguous, are documented in [`zh`] and [`en`].
//!
//! Shared principles:
//! - Text without ASCII digits (or full-width digits in Chinese), the listed currency/unit
//!   symbols next to a number, or the listed abbreviations (English) is returned unchanged.
//!   Punctuation is kept: sentence ends matter to the voice.
//! - Latin letters are never rewritten; digits glued to lower-case letters or followed by a
//!   letter (`mp3`, `B2B`, `4K`) are identifiers and left as written.
//! - Pure functions, no allocation beyond the output, no panics on any input.
//!
//! Deliberately not handled: fractions (`1/2`), month/day/year orders (`11/28/2023`),
//! scientific notation, Roman numerals, signs other than a leading minus, phone numbers
//! written without separators in English, 幺 for 1 in Chinese codes, reading English text
//! inside Chinese (abbreviations are only expanded in English), and Cantonese readings (a `yue`
//! tag, like every Chinese variety, gets the same written Chinese; its voice says it).

pub mod en;
mod numbers;
pub mod zh;

use crate::text::language::is_chinese_tag;

/// Rewrites `text` into the words a voice should say, for a language tag like "zh", "zh-CN", "cmn-CN", "en", "en-US".
/// Languages other than Chinese/English: returned unchanged.
pub fn normalize(text: &str, language: &str) -> String {
    if is_chinese_tag(language) {
        return zh::normalize(text);
    }
    let primary = language.split(['-', '_']).next().unwrap_or("").trim().to_ascii_lowercase();
    match primary.as_str() {
        "en" | "eng" => en::normalize(text),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    const ZH_CASES: &[(&str, &str)] = &[
        ("2.4万亿元", "二点四万亿元"),
        ("5.2%", "百分之五点二"),
        ("3.5%", "百分之三点五"),
        ("2023年", "二零二三年"),
        ("2023年11月28日", "二零二三年十一月二十八日"),
        ("2023-11-28", "二零二三年十一月二十八日"),
        ("2023/1/5", "二零二三年一月五日"),
        ("3-5年", "三到五年"),
        ("第3章", "第三章"),
        ("第2个", "第二个"),
        ("PM2.5", "PM二点五"),
        ("PM2.5浓度下降", "PM二点五浓度下降"),
        ("GDP增长了5.2%", "GDP增长了百分之五点二"),
        ("RCEP于2022年生效", "RCEP于二零二二年生效"),
        ("共有2023人", "共有两千零二十三人"),
        ("10", "十"),
        ("15", "十五"),
        ("105", "一百零五"),
        ("1,234", "一千二百三十四"),
        ("1015", "一千零一十五"),
        ("100010", "十万零一十"),
        ("20000", "两万"),
        ("100000001", "一亿零一"),
        ("0", "零"),
        ("3.5", "三点五"),
        ("0.05", "零点零五"),
        ("10:30", "十点三十分"),
        ("08:05", "八点零五分"),
        ("会议10:00开始", "会议十点开始"),
        ("¥5", "五元"),
        ("￥5", "五元"),
        ("$5", "五美元"),
        ("$5亿", "五亿美元"),
        ("10%-20%", "百分之十到百分之二十"),
        ("10-20%", "百分之十到百分之二十"),
        ("2020-2023年", "二零二零到二零二三年"),
        ("5km", "五公里"),
        ("30kg", "三十公斤"),
        ("25℃", "二十五摄氏度"),
        ("25°C", "二十五摄氏度"),
        ("100m²", "一百平方米"),
        ("气温-5℃", "气温负五摄氏度"),
        ("2个苹果", "两个苹果"),
        ("2月", "二月"),
        ("电话13812345678", "电话一三八一二三四五六七八"),
        ("400-800-1234", "四零零-八零零-一二三四"),
        ("007", "零零七"),
        ("mp3格式", "mp3格式"),
        ("B2B平台", "B2B平台"),
        ("COVID-19疫情", "COVID-十九疫情"),
        ("G20峰会", "G二十峰会"),
        ("5G网络", "五G网络"),
        ("版本1.2.3", "版本一点二点三"),
        ("２０２３年", "二零二三年"),
        ("2023-11", "二零二三年十一月"),
        ("增长3.5%。", "增长百分之三点五。"),
        ("90年代", "九十年代"),
    ];

    const EN_CASES: &[(&str, &str)] = &[
        ("1,234.5", "one thousand two hundred thirty-four point five"),
        ("3rd", "third"),
        ("21st", "twenty-first"),
        ("the 100th day", "the one hundredth day"),
        ("10:30", "ten thirty"),
        ("9:05", "nine oh five"),
        ("10:00", "ten o'clock"),
        ("at 10:30 am", "at ten thirty AM"),
        ("at 5pm.", "at five PM."),
        ("at 7 p.m. Then", "at seven PM. Then"),
        ("$5", "five dollars"),
        ("$1", "one dollar"),
        ("$5.50", "five dollars and fifty cents"),
        ("$0.99", "ninety-nine cents"),
        ("$5 million", "five million dollars"),
        ("£3", "three pounds"),
        ("€2", "two euros"),
        ("Dr. Smith", "Doctor Smith"),
        ("Mr. and Mrs. Jones", "Mister and Missus Jones"),
        ("in 2023", "in twenty twenty-three"),
        ("It ended in 1999.", "It ended in nineteen ninety-nine."),
        ("since 2000", "since two thousand"),
        ("by 2005", "by two thousand five"),
        ("2023 people", "two thousand twenty-three people"),
        ("5%", "five percent"),
        ("3-5", "three to five"),
        ("10%-20%", "ten percent to twenty percent"),
        ("1990-2000", "nineteen ninety to two thousand"),
        ("e.g.", "for example."),
        ("fruit, e.g. apples", "fruit, for example apples"),
        ("i.e. this", "that is this"),
        ("apples, pears, etc. Then", "apples, pears, et cetera. Then"),
        ("Ali vs. Frazier", "Ali versus Frazier"),
        ("5 km", "five kilometers"),
        ("1 km", "one kilometer"),
        ("10kg", "ten kilograms"),
        ("3 ft", "three feet"),
        ("2023-11-28", "November twenty-eighth, twenty twenty-three"),
        ("November 28, 2023", "November twenty-eighth, twenty twenty-three"),
        ("the 1990s", "the nineteen nineties"),
        ("mp3 files", "mp3 files"),
        ("B2B sales", "B2B sales"),
        ("COVID-19", "COVID-nineteen"),
        ("a 4K screen", "a 4K screen"),
        ("-5 degrees", "minus five degrees"),
        ("007", "zero zero seven"),
        ("555-123-4567", "five five five-one two three-four five six seven"),
        ("It costs 12.", "It costs twelve."),
        ("No. 5", "number five"),
        ("0", "zero"),
        ("1,000,000", "one million"),
        ("20°C", "twenty degrees Celsius"),
        ("version 1.2.3", "version one point two point three"),
        ("born 1905", "born nineteen oh five"),
    ];

    fn check(cases: &[(&str, &str)], lang: &str) {
        let mut failures = Vec::new();
        for (input, expected) in cases {
            let got = normalize(input, lang);
            if got != *expected {
                failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} {lang} cases failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn chinese_table() {
        check(ZH_CASES, "zh-CN");
    }

    #[test]
    fn english_table() {
        check(EN_CASES, "en-US");
    }

    #[test]
    fn enough_cases() {
        assert!(ZH_CASES.len() + EN_CASES.len() >= 60);
    }

    #[test]
    fn language_tags() {
        assert_eq!(normalize("第3章", "zh"), "第三章");
        assert_eq!(normalize("第3章", "cmn-CN"), "第三章");
        assert_eq!(normalize("第3章", "zh_TW"), "第三章");
        assert_eq!(normalize("5%", "EN"), "five percent");
        assert_eq!(normalize("5% und 3 km", "de-DE"), "5% und 3 km");
        assert_eq!(normalize("5%", ""), "5%");
    }

    #[test]
    fn text_without_digits_is_unchanged() {
        let zh = "经济学家认为，今年的增长主要来自消费。GDP和RCEP都被提到了！“真的吗？”他问道……";
        assert_eq!(normalize(zh, "zh"), zh);
        let en = "The quick brown fox -- jumps over the lazy dog. Isn't it? Yes: \"quite\" (mostly)... #tag @user";
        assert_eq!(normalize(en, "en"), en);
        let mixed = "Hello 世界, emoji 🎉 and symbols % $ : ¥ € £ ℃ °";
        assert_eq!(normalize(mixed, "en"), mixed);
        assert_eq!(normalize(mixed, "zh"), mixed);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let long_digits = "9".repeat(5000);
        let long_commas = "1,000".repeat(300);
        let odd: Vec<String> = [
            "",
            "%",
            "$",
            ":",
            "..",
            ".",
            "-",
            "--5",
            "5-",
            "5.",
            ".5",
            "5..5",
            "5:",
            ":5",
            "5:5",
            "99:99",
            "23:59:59",
            "1,",
            ",1",
            "1,2",
            "1,23",
            "1,2345",
            "$.",
            "$-5",
            "¥",
            "￥.",
            "2023-",
            "2023-13-45",
            "2023-11-28-1",
            "0000-00-00",
            "1.2.3.4.5",
            "3rd.",
            "1st1st",
            "e.g",
            "Dr.",
            "No.",
            "No. ",
            "第",
            "第3",
            "5%%",
            "%5",
            "‰",
            "🎉5🎉",
            "5🎉km",
            "Ω1",
            "٣",
            "２",
            "5 ",
            " 5",
            "5 km/",
            "$5-$",
            "$5-",
            "10-",
            "-",
            "−7",
            "5\u{0}6",
            "a.m.",
            "5 a.",
            "12:00 pm",
            "0:00",
            "00:00am",
            "1e10",
            "0x1F",
            "5°",
            "°5",
            "18446744073709551616",
            "99999999999999999999999999",
            "1,000,000,000,000,000,000,000",
            "$99999999999999999999.999",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([long_digits, long_commas, "5".repeat(17), "2".repeat(16), "1".repeat(19)])
        .collect();
        for input in &odd {
            for lang in ["zh", "en", "fr"] {
                let _ = normalize(input, lang);
            }
        }
        assert_eq!(normalize("%", "zh"), "%");
        assert_eq!(normalize("$", "en"), "$");
        assert_eq!(normalize(":", "en"), ":");
        assert_eq!(normalize("..", "zh"), "..");
    }
}
