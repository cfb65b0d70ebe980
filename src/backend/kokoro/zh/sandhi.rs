//! Tone sandhi on the syllables of one stretch of Chinese between punctuation marks.
//!
//! - 不 bù: bú before a fourth tone (不要, 不对), neutral between a repeated word (好不好),
//!   bù otherwise.
//! - 一 yī: yī when counted or ordinal (第一, 十一, 一九八四, at the end) or in a date or weekday
//!   (一月五日, 一月份, 五月一日, 五月一号, 星期一, 礼拜一), neutral between a
//!   repeated verb (看一看), yí before a fourth tone (一个, 一样), yì before the other tones
//!   (一天, 一起, 一点).
//! - Third tones in a row within a prosodic group (a word, or short words run together, at most
//!   three syllables): all but the last become second tones (你好 ní hǎo, 展览馆 zhán lán guǎn,
//!   我很好 wó hén hǎo), except a single word before a two-syllable one keeps its third tone
//!   (小老虎 xiǎo láo hǔ).

use super::dict::PinyinDict;
use super::syllable::Syllable;

/// One word of the stretch: its characters and their syllables (one per character).
#[derive(Debug, Clone)]
pub struct Word {
    pub chars: Vec<char>,
    pub syllables: Vec<Syllable>,
}

const DIGITS: &str = "〇零一二三四五六七八九";
const NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两";

pub fn apply(words: &mut [Word]) {
    yi_and_bu(words);
    third_tones(words);
}

/// The tone a syllable has before any sandhi, for deciding its neighbour's: a neutral tone
/// given by a word (个 in 一个 as `ge5`) counts as the character's own tone.
fn underlying_tone(c: char, syllable: &Syllable) -> u8 {
    if syllable.tone == 5 { PinyinDict::reading(c).map_or(5, |s| s.tone) } else { syllable.tone }
}

fn yi_and_bu(words: &mut [Word]) {
    let flat: Vec<(char, Syllable)> = words
        .iter()
        .flat_map(|w| w.syllables.iter().enumerate().map(|(i, s)| (w.chars.get(i).copied().unwrap_or('\0'), s.clone())))
        .collect();
    let mut tones: Vec<Option<u8>> = vec![None; flat.len()];
    for (i, (c, syllable)) in flat.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| flat[j].0);
        let next = flat.get(i + 1);
        let next_tone = next.map(|(n, s)| underlying_tone(*n, s));
        let repeated = matches!((prev, next), (Some(p), Some((n, _))) if p == *n);
        if *c == '不' && syllable.base == "bu" {
            tones[i] = Some(match next_tone {
                _ if repeated => 5,
                Some(4) => 2,
                _ => 4,
            });
        } else if *c == '一' && syllable.base == "yi" {
            let next_char = next.map(|(n, _)| *n);
            let after_next = flat.get(i + 2).map(|(n, _)| *n);
            // Dates and weekdays: 一月五日 / 一月份 (January), 五月一日 / 一号, 星期一 / 礼拜一.
            let date = (next_char == Some('月') && after_next.is_some_and(|n| NUMERALS.contains(n) || n == '份'))
                || (prev == Some('月') && next_char.is_some_and(|n| n == '日' || n == '号'))
                || matches!(prev, Some('期' | '拜'));
            let counted = prev == Some('第')
                || date
                || prev.is_some_and(|p| NUMERALS.contains(p))
                || next_char.is_none_or(|n| DIGITS.contains(n));
            tones[i] = Some(match next_tone {
                _ if repeated && !counted => 5,
                _ if counted => 1,
                Some(4) | Some(5) => 2,
                Some(_) => 4,
                None => 1,
            });
        }
    }
    let mut i = 0;
    for word in words.iter_mut() {
        for syllable in word.syllables.iter_mut() {
            if let Some(tone) = tones[i] {
                syllable.tone = tone;
            }
            i += 1;
        }
    }
}

fn third_tones(words: &mut [Word]) {
    // Prosodic groups: a word joins the group before it when a third tone meets a third tone
    // across the boundary and the group stays within three syllables.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut len = 0;
    for (i, word) in words.iter().enumerate() {
        let joins = groups.last().is_some_and(|_| {
            let prev = &words[i - 1];
            prev.syllables.last().is_some_and(|s| s.tone == 3)
                && word.syllables.first().is_some_and(|s| s.tone == 3)
                && len + word.syllables.len() <= 3
        });
        if joins {
            groups.last_mut().expect("checked").end = i + 1;
            len += word.syllables.len();
        } else {
            groups.push(i..i + 1);
            len = word.syllables.len();
        }
    }
    for group in groups {
        let group = &mut words[group];
        // (word index, syllable index) of each syllable in the group.
        let positions: Vec<(usize, usize)> =
            group.iter().enumerate().flat_map(|(w, word)| (0..word.syllables.len()).map(move |s| (w, s))).collect();
        let mut start = 0;
        while start < positions.len() {
            let tone = |k: usize| group[positions[k].0].syllables[positions[k].1].tone;
            if tone(start) != 3 {
                start += 1;
                continue;
            }
            let mut end = start;
            while end + 1 < positions.len() && tone(end + 1) == 3 {
                end += 1;
            }
            // A run start..=end of third tones.
            let one_plus_two = end - start == 2
                && positions[start].0 != positions[start + 1].0
                && positions[start + 1].0 == positions[end].0;
            let first = if one_plus_two { start + 1 } else { start };
            for &(w, s) in &positions[first..end] {
                group[w].syllables[s].tone = 2;
            }
            start = end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words as "字:pinyin1 字:pinyin2" groups separated by "/".
    fn words(spec: &str) -> Vec<Word> {
        spec.split('/')
            .map(|w| {
                let (chars, syllables) = w
                    .split(' ')
                    .map(|cs| {
                        let (c, p) = cs.split_once(':').unwrap();
                        (c.chars().next().unwrap(), Syllable::parse(p).unwrap())
                    })
                    .unzip();
                Word { chars, syllables }
            })
            .collect()
    }

    fn tones(spec: &str) -> String {
        let mut w = words(spec);
        apply(&mut w);
        w.iter()
            .map(|w| w.syllables.iter().map(|s| s.tone.to_string()).collect::<String>())
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn bu() {
        assert_eq!(tones("不:bu4 要:yao4"), "24");
        assert_eq!(tones("不:bu2 要:yao4"), "24");
        assert_eq!(tones("不:bu4/对:dui4"), "2/4");
        assert_eq!(tones("不:bu4 好:hao3"), "43");
        assert_eq!(tones("不:bu4 能:neng2"), "42");
        assert_eq!(tones("好:hao3/不:bu4/好:hao3"), "3/5/3");
        assert_eq!(tones("要:yao4/不:bu4"), "4/4");
    }

    #[test]
    fn yi() {
        assert_eq!(tones("一:yi1 个:ge4"), "24");
        assert_eq!(tones("一:yi1 个:ge5"), "25");
        assert_eq!(tones("一:yi1 样:yang4"), "24");
        assert_eq!(tones("一:yi1 天:tian1"), "41");
        assert_eq!(tones("一:yi1 起:qi3"), "43");
        assert_eq!(tones("第:di4 一:yi1"), "41");
        assert_eq!(tones("一:yi1"), "1");
        assert_eq!(tones("十:shi2 一:yi1/个:ge4"), "21/4");
        assert_eq!(tones("一:yi1 九:jiu3 八:ba1 四:si4"), "1314");
        assert_eq!(tones("看:kan4/一:yi1/看:kan4"), "4/5/4");
        assert_eq!(tones("一:yi1 模:mu2 一:yi1 样:yang4"), "4224");
    }

    #[test]
    fn third_tones_in_a_row() {
        assert_eq!(tones("你:ni3 好:hao3"), "23");
        assert_eq!(tones("展:zhan3 览:lan3 馆:guan3"), "223");
        assert_eq!(tones("我:wo3/很:hen3/好:hao3"), "2/2/3");
        assert_eq!(tones("小:xiao3/老:lao3 虎:hu3"), "3/23");
        assert_eq!(tones("五:wu3 种:zhong3"), "23");
        assert_eq!(tones("好:hao3 了:le5"), "35");
        // Groups stop at three syllables.
        assert_eq!(tones("我:wo3/展:zhan3 览:lan3 馆:guan3"), "3/223");
        assert_eq!(tones("我:wo3 们:men5/很:hen3 好:hao3"), "35/23");
    }
}
