//! Chinese text normalization: Arabic numerals and symbols into Chinese words.
//!
//! Choices (see also the module [`super`] for what both languages share):
//! - Integers are read as amounts: `10` → 十, `105` → 一百零五, `2023` → 两千零二十三,
//!   `1,234` → 一千二百三十四, `100010` → 十万零一十. A leading 2 before 千/万/亿 is 两
//!   (两千, 两万, 两亿); before 百 and elsewhere it is 二. A lone `2` before a common measure
//!   word (个, 次, 天, 年, 倍, 公里…) is 两 (`2个` → 两个), except after 第 (`第2个` → 第二个).
//! - Decimals: 点 then each digit (`3.50` → 三点五零, digits kept as written).
//! - A four-digit number directly followed by 年 is a year, read digit by digit with 零
//!   (`2023年` → 二零二三年). Other numbers before 年 are counts (`3年` → 三年).
//! - Dates `2023-11-28`, `2023/11/28`, `2023.11.28` → 二零二三年十一月二十八日; `2023-11`
//!   (year 1900–2099, two-digit month) → 二零二三年十一月. Written dates `2023年11月28日` come
//!   out right from the rules above.
//! - Times `H:MM[:SS]` (also full-width `：`), hours 0–23 → 十点三十分, 八点零五分,
//!   `10:00` → 十点, seconds → 秒.
//! - Percentages `%`/`％` → 百分之…, `‰` → 千分之…. Ranges with `-`, `~`, `～`, `–`, `—`
//!   between two numbers → 到 (`3-5年` → 三到五年); a percent sign on the right only is given to
//!   both sides (`10-20%` → 百分之十到百分之二十); `2020-2023年` reads both as years.
//! - Currency before a number: `¥`/`￥` → 元, `$` → 美元, `€` → 欧元, `£` → 英镑, placed after
//!   the number and any 万/亿 multiplier (`$5亿` → 五亿美元). `2.4万亿元` → 二点四万亿元.
//! - Units after a number (one space allowed): km 公里, kg 公斤, m 米, cm, mm, m² 平方米,
//!   km² 平方公里, m³ 立方米, ℃/°C 摄氏度, °F 华氏度, ° 度, km/h 公里每小时, ml/mL 毫升, L 升,
//!   g 克, mg 毫克, t 吨, kW 千瓦, kWh 千瓦时, h 小时, min 分钟. Other letters are left for the
//!   voice (`5G` → 五G).
//! - Digit strings that are codes rather than amounts are read digit by digit: a leading zero
//!   (`007`), 11 digits starting with 1 (mobile numbers), 13 or more digits, and three or more
//!   groups joined by `-` (`400-800-1234` → 四零零-八零零-一二三四). 1 is 一, not 幺.
//! - Version-like `1.2.3` → 一点二点三.
//! - Latin letters are never changed. Digits right after upper-case letters are converted
//!   (`PM2.5` → PM二点五, `G20` → G二十, `COVID-19` → COVID-十九); digits inside a word with
//!   lower-case letters or followed by a letter stay as written (`mp3`, `B2B`, `iPhone15`).
//! - A `-` before a number is 负 only at the start, after a space, punctuation or 为/是/至/到/温/达
//!   (`气温-5℃` → 气温负五摄氏度); after other characters it stays a dash.
//! - Full-width digits `０`–`９` are treated as ASCII digits. Lone symbols (`%`, `$`, `:`) are kept.

use super::numbers::{
    Num, collect, digits_at, is_digit_at, is_letter_at, match_unit, parse_date, parse_hyphen_chain, parse_num,
    parse_time,
};

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

const UNITS: &[(&str, &str)] = &[
    ("km/h", "公里每小时"),
    ("km²", "平方公里"),
    ("km", "公里"),
    ("kg", "公斤"),
    ("kWh", "千瓦时"),
    ("kW", "千瓦"),
    ("cm²", "平方厘米"),
    ("cm", "厘米"),
    ("mm", "毫米"),
    ("mg", "毫克"),
    ("ml", "毫升"),
    ("mL", "毫升"),
    ("min", "分钟"),
    ("m²", "平方米"),
    ("m³", "立方米"),
    ("m", "米"),
    ("℃", "摄氏度"),
    ("°C", "摄氏度"),
    ("°F", "华氏度"),
    ("°", "度"),
    ("L", "升"),
    ("g", "克"),
    ("t", "吨"),
    ("h", "小时"),
];

/// Characters after which a lone 2 is read 两.
const MEASURE: &[char] = &[
    '个', '位', '名', '条', '本', '件', '次', '天', '年', '种', '家', '只', '张', '座', '项', '份', '倍', '岁', '小',
    '分', '公', '千', '万', '亿', '周', '辆', '架', '台', '层', '篇', '句', '号',
];

const RANGE_SEPS: &[char] = &['-', '~', '～', '–', '—'];

/// Normalizes Chinese text; see the module documentation for the rules.
pub fn normalize(text: &str) -> String {
    let s: Vec<char> = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let prev = i.checked_sub(1).map(|k| s[k]);
        if c.is_ascii_digit() {
            if prev.is_some_and(|p| p.is_ascii_alphabetic()) {
                let mut k = i;
                while k > 0 && s[k - 1].is_ascii_alphabetic() {
                    k -= 1;
                }
                let has_lower = s[k..i].iter().any(|c| c.is_ascii_lowercase());
                let end = parse_num(&s, i).end;
                if has_lower || is_letter_at(&s, end) {
                    let mut e = i;
                    while s.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
                        e += 1;
                    }
                    out.push_str(&collect(&s, i, e));
                    i = e;
                    continue;
                }
            }
            i = number(&s, i, &mut out);
            continue;
        }
        if matches!(c, '¥' | '￥' | '$' | '€' | '£') && is_digit_at(&s, i + 1) {
            i = currency(&s, i, &mut out);
            continue;
        }
        if matches!(c, '-' | '−') && is_digit_at(&s, i + 1) && negative_allowed(prev) {
            out.push('负');
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn negative_allowed(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || "(（[【:：,，、;；=《“\"'".contains(p)
                || matches!(p, '为' | '是' | '至' | '到' | '温' | '达')
        }
    }
}

/// Reads an integer digit string as an amount (`2023` → 两千零二十三). Up to 16 digits;
/// longer strings are read digit by digit.
pub fn int_words(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return if digits.is_empty() { String::new() } else { DIGITS[0].to_string() };
    }
    if trimmed.len() > 16 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return digit_words(digits);
    }
    read_int(trimmed, true)
}

/// `trimmed`: ASCII digits without leading zeros, 1–16 of them. `first`: at the very start of
/// the number (where 一十 is said 十).
fn read_int(trimmed: &str, first: bool) -> String {
    let len = trimmed.len();
    if len <= 4 {
        return read_four(trimmed.parse().unwrap_or(0), first);
    }
    let (split, unit) = if len <= 8 { (len - 4, "万") } else { (len - 8, "亿") };
    let (high, low) = trimmed.split_at(split);
    let mut out = if high == "2" { "两".to_string() } else { read_int(high, first) };
    out.push_str(unit);
    let low_trimmed = low.trim_start_matches('0');
    if !low_trimmed.is_empty() {
        if low_trimmed.len() < low.len() {
            out.push_str(DIGITS[0]);
        }
        out.push_str(&read_int(low_trimmed, false));
    }
    out
}

fn read_four(v: u32, first: bool) -> String {
    let places = [(v / 1000 % 10, "千"), (v / 100 % 10, "百"), (v / 10 % 10, "十"), (v % 10, "")];
    let mut out = String::new();
    let mut started = false;
    let mut zero = false;
    for (pos, (d, unit)) in places.into_iter().enumerate() {
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push_str(DIGITS[0]);
            zero = false;
        }
        if d == 2 && pos == 0 {
            out.push('两');
        } else if !(d == 1 && pos == 2 && first && !started) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(unit);
        started = true;
    }
    if out.is_empty() {
        out.push_str(DIGITS[0]);
    }
    out
}

/// Reads each digit (`2023` → 二零二三).
pub fn digit_words(digits: &str) -> String {
    digits.chars().filter_map(|c| c.to_digit(10)).map(|d| DIGITS[d as usize]).collect()
}

fn is_code(num: &Num) -> bool {
    if !num.is_plain_int() {
        return false;
    }
    let n = num.int.len();
    (n >= 2 && num.int.starts_with('0')) || (n == 11 && num.int.starts_with('1')) || n >= 13
}

fn num_words(num: &Num) -> String {
    let mut out = if is_code(num) { digit_words(&num.int) } else { int_words(&num.int) };
    if let Some(frac) = &num.frac {
        out.push('点');
        out.push_str(&digit_words(frac));
    }
    out
}

/// A number with its percent sign, if any.
struct Qty {
    num: Num,
    percent: Option<&'static str>,
    end: usize,
}

fn qty(s: &[char], i: usize) -> Qty {
    let num = parse_num(s, i);
    let (percent, end) = match s.get(num.end) {
        Some('%' | '％') => (Some("百分之"), num.end + 1),
        Some('‰') => (Some("千分之"), num.end + 1),
        _ => (None, num.end),
    };
    Qty { num, percent, end }
}

fn is_year(q: &Qty) -> bool {
    q.percent.is_none() && q.num.is_plain_int() && q.num.int.len() == 4
}

fn qty_words(q: &Qty, percent: Option<&str>, year: bool) -> String {
    let mut out = String::from(percent.unwrap_or(""));
    if year {
        out.push_str(&digit_words(&q.num.int))
    } else {
        out.push_str(&num_words(&q.num))
    }
    out
}

/// Converts the number starting at `i`; returns the index after everything consumed.
fn number(s: &[char], i: usize, out: &mut String) -> usize {
    if let Some(d) = parse_date(s, i) {
        out.push_str(&digit_words(&d.year.to_string()));
        out.push('年');
        out.push_str(&int_words(&d.month.to_string()));
        out.push('月');
        out.push_str(&int_words(&d.day.to_string()));
        out.push('日');
        // `2023-11-28日` or `…号`: the day marker is already said.
        return if matches!(s.get(d.end), Some('日' | '号')) { d.end + 1 } else { d.end };
    }
    if let Some(t) = parse_time(s, i, &[':', '：']) {
        out.push_str(&int_words(&t.hour.to_string()));
        out.push('点');
        if t.minute != 0 || t.second.is_some() {
            if t.minute < 10 {
                out.push_str(DIGITS[0]);
            }
            out.push_str(&int_words(&t.minute.to_string()));
            out.push('分');
        }
        if let Some(sec) = t.second {
            out.push_str(&int_words(&sec.to_string()));
            out.push('秒');
        }
        return t.end;
    }
    if let Some((groups, end)) = parse_hyphen_chain(s, i) {
        let words: Vec<String> = groups.iter().map(|g| digit_words(g)).collect();
        out.push_str(&words.join("-"));
        return end;
    }
    // Year and month: 2023-11 → 二零二三年十一月.
    if digits_at(s, i) == 4 && s.get(i + 4) == Some(&'-') && digits_at(s, i + 5) == 2 {
        let year: u32 = collect(s, i, i + 4).parse().unwrap_or(0);
        let month: u32 = collect(s, i + 5, i + 7).parse().unwrap_or(0);
        if (1900..=2099).contains(&year) && (1..=12).contains(&month) && !matches!(s.get(i + 7), Some('.' | '%')) {
            out.push_str(&digit_words(&collect(s, i, i + 4)));
            out.push('年');
            out.push_str(&int_words(&month.to_string()));
            out.push('月');
            return if s.get(i + 7) == Some(&'月') { i + 8 } else { i + 7 };
        }
    }
    let left = qty(s, i);
    // Version numbers: 1.2.3.
    if left.percent.is_none()
        && left.num.frac.is_some()
        && s.get(left.num.end) == Some(&'.')
        && is_digit_at(s, left.num.end + 1)
    {
        let mut parts = vec![int_words(&left.num.int), int_words(left.num.frac.as_deref().unwrap_or(""))];
        let mut j = left.num.end;
        while s.get(j) == Some(&'.') && is_digit_at(s, j + 1) {
            let n = digits_at(s, j + 1);
            parts.push(int_words(&collect(s, j + 1, j + 1 + n)));
            j += 1 + n;
        }
        out.push_str(&parts.join("点"));
        return j;
    }
    let mut j = left.end;
    let mut right = None;
    if s.get(j).is_some_and(|c| RANGE_SEPS.contains(c)) && is_digit_at(s, j + 1) {
        let r = qty(s, j + 1);
        j = r.end;
        right = Some(r);
    }
    let unit = match_unit(s, j, UNITS);
    let unit_word = unit.map(|(k, _)| UNITS[k].1);
    let after = unit.map_or(j, |(_, e)| e);
    let followed_by_year = s.get(after) == Some(&'年') && unit.is_none();
    match &right {
        Some(r) => {
            let percent = left.percent.or(r.percent);
            let years = followed_by_year && is_year(&left) && is_year(r);
            out.push_str(&qty_words(&left, percent, years));
            out.push('到');
            out.push_str(&qty_words(r, r.percent.or(left.percent), years));
        }
        None => {
            let year = followed_by_year && is_year(&left);
            let next = unit_word.and_then(|w| w.chars().next()).or(s.get(after).copied());
            let liang = left.num.int == "2"
                && left.num.frac.is_none()
                && left.percent.is_none()
                && i.checked_sub(1).map(|k| s[k]) != Some('第')
                && next.is_some_and(|c| MEASURE.contains(&c));
            if liang {
                out.push('两');
            } else {
                out.push_str(&qty_words(&left, left.percent, year));
            }
        }
    }
    if let Some(w) = unit_word {
        out.push_str(w);
    }
    after
}

/// `¥5`, `$5`, `$5亿` → 五元, 五美元, 五亿美元.
fn currency(s: &[char], i: usize, out: &mut String) -> usize {
    let word = match s[i] {
        '$' => "美元",
        '€' => "欧元",
        '£' => "英镑",
        _ => "元",
    };
    let num = parse_num(s, i + 1);
    out.push_str(&num_words(&num));
    let mut j = num.end;
    while let Some(&c) = s.get(j).filter(|c| matches!(c, '十' | '百' | '千' | '万' | '亿')) {
        out.push(c);
        j += 1;
    }
    out.push_str(word);
    // `¥5元` would say 元 twice.
    if matches!(word, "元") && s.get(j) == Some(&'元') {
        j += 1;
    }
    j
}
