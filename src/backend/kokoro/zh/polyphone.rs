//! Readings of polyphonic characters that stand alone as a word, from the words around them
//! and their jieba part-of-speech tags (`v` verb, `n` noun, `r` pronoun, `d` adverb, `a`
//! adjective, `uv` the particle 地, …). Inside a dictionary word the dictionary decides.

use super::syllable::Syllable;

/// A neighbouring word and its tag.
pub type Neighbour<'a> = Option<(&'a str, &'a str)>;

fn starts_with_any(word: &str, chars: &str) -> bool {
    word.chars().next().is_some_and(|c| chars.contains(c))
}

fn tagged(n: Neighbour, prefix: &str) -> bool {
    n.is_some_and(|(_, tag)| tag.starts_with(prefix))
}

/// Whether `c`, a piece of a longer word the dictionary does not know, is still read from its
/// neighbours: 长 的 了 着 干 anywhere (很长, 干啥), 得 after the first character (干得,
/// 跑得快). The others keep their usual, lexical reading (得失 dé shī).
pub fn ruled_inside_words(c: char, first_in_word: bool) -> bool {
    "长的了着干".contains(c) || (c == '得' && !first_in_word)
}

/// The reading of `c` standing alone between `prev` and `next`, where the usual reading may be
/// wrong; `None` keeps the usual one.
pub fn standalone(c: char, prev: Neighbour, next: Neighbour) -> Option<Syllable> {
    let s = Syllable::new;
    Some(match c {
        // 得: de after a verb or adjective (跑得快); děi "must" before a verb (我们得去).
        '得' => {
            if tagged(prev, "v") || tagged(prev, "a") {
                s("de", 5)
            } else if tagged(next, "v") || next.is_some_and(|(w, _)| starts_with_any(w, "去走来做买写说要")) {
                s("dei", 3)
            } else {
                s("de", 5)
            }
        }
        // 还: huán "give back" before what is returned (还钱, 还书, 还给); hái "still" otherwise,
        // by far the commoner.
        '还' => {
            if next.is_some_and(|(w, _)| starts_with_any(w, "钱债款书给清贷账")) {
                s("huan", 2)
            } else {
                s("hai", 2)
            }
        }
        // 长: zhǎng "grow" before 了/得/着/出/成/高/大/满; cháng "long" otherwise.
        '长' => {
            if next.is_some_and(|(w, _)| starts_with_any(w, "了得着出成高大满起")) {
                s("zhang", 3)
            } else {
                s("chang", 2)
            }
        }
        // 地: the particle de after an adjective, adverb or doubled word (慢慢地); dì "ground".
        '地' => {
            let particle = tagged(prev, "a")
                || tagged(prev, "d")
                || tagged(prev, "z")
                || prev.is_some_and(|(w, _)| {
                    let chars: Vec<char> = w.chars().collect();
                    chars.len() >= 2 && chars[chars.len() - 1] == chars[chars.len() - 2]
                });
            if particle && next.is_some() { s("de", 5) } else { s("di", 4) }
        }
        '的' => s("de", 5),
        '着' => s("zhe", 5),
        '了' => {
            // 了 at the end of 得了/不了 reads liǎo ("受不了" is a word); alone it is le.
            s("le", 5)
        }
        // 为: wèi "for" (为人民); wéi "be/act as" after 成/作/认/以/称/视.
        '为' => {
            if prev.is_some_and(|(w, _)| w.ends_with(|c| "成作认以称视变转分".contains(c))) {
                s("wei", 2)
            } else {
                s("wei", 4)
            }
        }
        '都' => s("dou", 1),
        // 行: háng as a measure word after a numeral (一行字); xíng otherwise.
        '行' => {
            if tagged(prev, "m") {
                s("hang", 2)
            } else {
                s("xing", 2)
            }
        }
        // 重: chóng "again" before a verb (重写); zhòng "heavy, important" otherwise.
        '重' => {
            if tagged(next, "v") && !tagged(prev, "d") {
                s("chong", 2)
            } else {
                s("zhong", 4)
            }
        }
        // 只: zhī as a measure word after a numeral (一只猫); zhǐ "only" otherwise.
        '只' => {
            if tagged(prev, "m") || prev.is_some_and(|(w, _)| w.ends_with(|c| "一两二三四五六七八九十几每".contains(c)))
            {
                s("zhi", 1)
            } else {
                s("zhi", 3)
            }
        }
        // 干 alone is the verb gàn (干活, 干得好); gān "dry" comes in words (干净, 饼干).
        '干' => s("gan", 4),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(c: char, prev: Neighbour, next: Neighbour) -> String {
        let s = standalone(c, prev, next).unwrap();
        format!("{}{}", s.base, s.tone)
    }

    #[test]
    fn readings_from_neighbours() {
        assert_eq!(read('得', Some(("我们", "r")), Some(("去", "v"))), "dei3");
        assert_eq!(read('得', Some(("跑", "v")), Some(("很", "d"))), "de5");
        assert_eq!(read('还', None, Some(("钱", "n"))), "huan2");
        assert_eq!(read('还', Some(("他", "r")), Some(("在", "p"))), "hai2");
        assert_eq!(read('还', Some(("他", "r")), Some(("没有", "v"))), "hai2");
        assert_eq!(read('还', None, Some(("需", "v"))), "hai2");
        assert_eq!(read('干', None, Some(("得", "ud"))), "gan4");
        assert_eq!(read('长', Some(("很", "d")), None), "chang2");
        assert_eq!(read('长', Some(("头发", "n")), Some(("了", "ul"))), "zhang3");
        assert_eq!(read('地', Some(("慢慢", "z")), Some(("走", "v"))), "de5");
        assert_eq!(read('地', Some(("这块", "m")), None), "di4");
        assert_eq!(read('为', Some(("成", "v")), None), "wei2");
        assert_eq!(read('为', None, Some(("人民", "n"))), "wei4");
        assert_eq!(read('只', Some(("一", "m")), Some(("猫", "n"))), "zhi1");
        assert_eq!(read('只', None, Some(("有", "v"))), "zhi3");
        assert!(standalone('好', None, None).is_none());
    }
}
