//! English text normalization: numerals, symbols and a few abbreviations into words.
//!
//! Choices:
//! - Cardinals without "and", tens joined by a hyphen: `1,234.5` → one thousand two hundred
//!   thirty-four point five. Fraction digits are read one by one. Up to 18 integer digits;
//!   longer runs, and runs with a leading zero (`007`), are read digit by digit.
//! - Ordinals: `1st`, `2nd`, `3rd`, `21st`, `100th` → first, second, third, twenty-first,
//!   one hundredth (the suffix is not checked against the number). After a month name a day
//!   number is an ordinal too (`November 28` → November twenty-eighth).
//! - Years: a bare four-digit number 1000–2099 is a year only where it plausibly is one:
//!   after in/since/by/from/until/till/to/of/during/before/after/around/circa/year/early/late/
//!   mid/born/a season or a month name (also `November 28, 2023`), before AD/BC/BCE/CE, before
//!   sentence-ending `.`, `!`, `?`, or in a range of two such numbers (`1990-2000`).
//!   1999 → nineteen ninety-nine, 2023 → twenty twenty-three, 2000 → two thousand,
//!   2005 → two thousand five, 1905 → nineteen oh five, 1900 → nineteen hundred.
//!   Elsewhere `2023` is two thousand twenty-three. Decades: `1990s` → nineteen nineties, `80s`.
//! - ISO dates `2023-11-28` (also `/`, `.`) → November twenty-eighth, twenty twenty-three.
//!   Month/day/year orders such as `11/28/2023` are ambiguous and not handled.
//! - Times `H:MM[:SS]`, hours 0–23: `10:30` → ten thirty, `9:05` → nine oh five, `10:00` →
//!   ten o'clock (`13:00` → thirteen hundred), seconds → "and N seconds". `am`/`pm`/`a.m.`/`p.m.`
//!   after a time or after 1–12 → AM/PM (`5pm` → five PM; `10:00 am` → ten AM).
//! - Currency before a number: `$` dollars/cents, `£` pounds/pence, `€` euros/cents, `¥` yen.
//!   `$5.50` → five dollars and fifty cents, `$0.50` → fifty cents, `$1` → one dollar; more
//!   than two decimals → one point two three four dollars. A magnitude after it
//!   (`$5 million`, `$5m`, `$2bn`, `$3k`) → five million dollars. `$5-$10` → five dollars to ten dollars.
//! - `5%` → five percent; ranges `3-5`, `3–5`, `3~5` → three to five (`10%-20%` → ten percent
//!   to twenty percent, `10-20%` → ten to twenty percent).
//! - Version-like `1.2.3` → one point two point three.
//! - Three or more digit groups joined by `-` (`555-123-4567`) are read digit by digit, the
//!   dashes kept.
//! - Units after a number (one space allowed), singular after exactly 1: km, kg, g, mg, m, cm,
//!   mm, mi, ft, lb/lbs, oz, ml/mL, L, mph, km/h, kW, kWh, h/hr/hrs, min, sec, °C/℃, °F, °.
//!   `in` (inches) and `s` are not units here (too ambiguous).
//! - Abbreviations: Dr. Doctor, Mr. Mister, Mrs. Missus, Ms. Miz, Prof. Professor, Jr. Junior,
//!   Sr. Senior, e.g. for example, i.e. that is, etc. et cetera, vs. versus, approx.
//!   approximately, `No.` before a number → number. The period is kept when the abbreviation
//!   ends a sentence (end of text, line break, or a capital letter follows) — except for titles
//!   (Dr., Mr., …) and vs., which always precede a name or term.
//! - Digits touching Latin letters are identifiers and stay as written (`mp3`, `B2B`, `PM2.5`,
//!   `4K`, `5G`). Digits after `Letters-` are read as a number: `COVID-19` → COVID-nineteen,
//!   `F-16` → F-sixteen.
//! - `-5` at the start, after a space or an opening bracket → minus five.
//! - Lone symbols (`%`, `$`, `:`) are kept.

use super::numbers::{
    Num, collect, is_digit_at, is_letter_at, match_unit, parse_date, parse_hyphen_chain, parse_num, parse_time,
    starts_with, starts_with_ci, word_ends_at,
};

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: [&str; 6] = ["", " thousand", " million", " billion", " trillion", " quadrillion"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const YEAR_WORDS: &[&str] = &[
    "in", "since", "born", "by", "from", "until", "till", "to", "of", "during", "before", "after", "around", "circa",
    "year", "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter",
];

/// (written, singular, plural), longest first where one is a prefix of another.
const UNITS: &[(&str, (&str, &str))] = &[
    ("km/h", ("kilometer per hour", "kilometers per hour")),
    ("kWh", ("kilowatt hour", "kilowatt hours")),
    ("kW", ("kilowatt", "kilowatts")),
    ("km", ("kilometer", "kilometers")),
    ("kg", ("kilogram", "kilograms")),
    ("mg", ("milligram", "milligrams")),
    ("mph", ("mile per hour", "miles per hour")),
    ("mi", ("mile", "miles")),
    ("min", ("minute", "minutes")),
    ("ml", ("milliliter", "milliliters")),
    ("mL", ("milliliter", "milliliters")),
    ("mm", ("millimeter", "millimeters")),
    ("cm", ("centimeter", "centimeters")),
    ("m", ("meter", "meters")),
    ("g", ("gram", "grams")),
    ("ft", ("foot", "feet")),
    ("lbs", ("pound", "pounds")),
    ("lb", ("pound", "pounds")),
    ("oz", ("ounce", "ounces")),
    ("L", ("liter", "liters")),
    ("hrs", ("hour", "hours")),
    ("hr", ("hour", "hours")),
    ("h", ("hour", "hours")),
    ("sec", ("second", "seconds")),
    ("°C", ("degree Celsius", "degrees Celsius")),
    ("℃", ("degree Celsius", "degrees Celsius")),
    ("°F", ("degree Fahrenheit", "degrees Fahrenheit")),
    ("°", ("degree", "degrees")),
];

/// (written, spoken, always followed by a name or term, so its period never ends a sentence).
const ABBREVIATIONS: &[(&str, &str, bool)] = &[
    ("Dr.", "Doctor", true),
    ("Mrs.", "Missus", true),
    ("Mr.", "Mister", true),
    ("Ms.", "Miz", true),
    ("Prof.", "Professor", true),
    ("Jr.", "Junior", false),
    ("Sr.", "Senior", false),
    ("e.g.", "for example", false),
    ("E.g.", "For example", false),
    ("i.e.", "that is", false),
    ("I.e.", "That is", false),
    ("etc.", "et cetera", false),
    ("vs.", "versus", true),
    ("approx.", "approximately", false),
];

/// Normalizes English text; see the module documentation for the rules.
pub fn normalize(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let prev = i.checked_sub(1).map(|k| s[k]);
        let at_word_start = prev.is_none_or(|p| !p.is_alphanumeric());
        if c.is_ascii_alphabetic()
            && at_word_start
            && let Some(end) = abbreviation(&s, i, &mut out)
        {
            i = end;
            continue;
        }
        if c.is_ascii_digit() {
            if prev.is_some_and(|p| p.is_ascii_alphabetic() || p == '_') {
                let end = identifier_end(&s, i);
                out.push_str(&collect(&s, i, end));
                i = end;
            } else {
                i = number(&s, i, &mut out);
            }
            continue;
        }
        if matches!(c, '$' | '£' | '€' | '¥') && is_digit_at(&s, i + 1) {
            i = currency(&s, i, &mut out);
            continue;
        }
        if matches!(c, '-' | '−')
            && is_digit_at(&s, i + 1)
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '['))
        {
            out.push_str("minus ");
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The end of a Latin identifier with digits (`mp3`, `B2B`, `PM2.5`), starting inside it.
fn identifier_end(s: &[char], i: usize) -> usize {
    let mut e = i;
    while let Some(c) = s.get(e) {
        if c.is_ascii_alphanumeric() || (*c == '.' && is_digit_at(s, e + 1) && e > 0 && s[e - 1].is_ascii_digit()) {
            e += 1;
        } else {
            break;
        }
    }
    e
}

fn sentence_end_at(s: &[char], j: usize) -> bool {
    match s.get(j) {
        None => true,
        Some('\n' | '\r') => true,
        Some(c) if c.is_whitespace() => {
            s[j..].iter().find(|c| !c.is_whitespace()).is_none_or(|c| c.is_uppercase() || *c == '\n')
        }
        _ => false,
    }
}

fn abbreviation(s: &[char], i: usize, out: &mut String) -> Option<usize> {
    for (written, spoken, leads) in ABBREVIATIONS {
        if starts_with(s, i, written) {
            let end = i + written.chars().count();
            if is_letter_at(s, end) {
                continue;
            }
            out.push_str(spoken);
            if !leads && sentence_end_at(s, end) {
                out.push('.');
            }
            return Some(end);
        }
    }
    // `No. 5` → number five.
    if starts_with(s, i, "No. ") && is_digit_at(s, i + 4) {
        out.push_str("number ");
        return Some(i + 4);
    }
    None
}

/// Reads an integer digit string (`1234` → one thousand two hundred thirty-four).
pub fn int_words(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return if digits.is_empty() { String::new() } else { ONES[0].to_string() };
    }
    if trimmed.len() > 18 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return digit_words(digits);
    }
    let value: u64 = trimmed.parse().unwrap_or(0);
    let mut groups = Vec::new();
    let mut v = value;
    while v > 0 {
        groups.push((v % 1000) as usize);
        v /= 1000;
    }
    let mut parts = Vec::new();
    for (k, g) in groups.iter().enumerate().rev() {
        if *g > 0 {
            parts.push(format!("{}{}", three(*g), SCALES[k]));
        }
    }
    parts.join(" ")
}

fn three(v: usize) -> String {
    let (h, rest) = (v / 100, v % 100);
    let mut out = String::new();
    if h > 0 {
        out.push_str(ONES[h]);
        out.push_str(" hundred");
    }
    if rest > 0 {
        if h > 0 {
            out.push(' ');
        }
        out.push_str(&two(rest));
    }
    out
}

fn two(v: usize) -> String {
    if v < 20 {
        ONES[v].to_string()
    } else if v.is_multiple_of(10) {
        TENS[v / 10].to_string()
    } else {
        format!("{}-{}", TENS[v / 10], ONES[v % 10])
    }
}

/// Reads each digit (`007` → zero zero seven).
pub fn digit_words(digits: &str) -> String {
    let words: Vec<&str> = digits.chars().filter_map(|c| c.to_digit(10)).map(|d| ONES[d as usize]).collect();
    words.join(" ")
}

/// Turns the last word of a cardinal into its ordinal (`twenty-one` → twenty-first).
fn ordinal_of(cardinal: &str) -> String {
    let cut = cardinal.rfind([' ', '-']).map_or(0, |k| k + 1);
    let (head, last) = cardinal.split_at(cut);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// Pluralizes the last word (`nineteen ninety` → nineteen nineties).
fn plural_of(words: &str) -> String {
    match words.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{words}s"),
    }
}

/// Reads a year 1000–2099 the way it is said.
pub fn year_words(y: u32) -> String {
    let (hi, lo) = (y / 100, y % 100);
    if y.is_multiple_of(1000) || (2001..=2009).contains(&y) {
        int_words(&y.to_string())
    } else if lo == 0 {
        format!("{} hundred", two(hi as usize))
    } else if lo < 10 {
        format!("{} oh {}", two(hi as usize), ONES[lo as usize])
    } else {
        format!("{} {}", two(hi as usize), two(lo as usize))
    }
}

fn num_words(num: &Num) -> String {
    let code = num.is_plain_int() && num.int.len() >= 2 && num.int.starts_with('0');
    let mut out = if code { digit_words(&num.int) } else { int_words(&num.int) };
    if let Some(frac) = &num.frac {
        out.push_str(" point ");
        out.push_str(&digit_words(frac));
    }
    out
}

fn plausible_year(num: &Num) -> Option<u32> {
    if !num.is_plain_int() || num.int.len() != 4 {
        return None;
    }
    num.int.parse().ok().filter(|y| (1000..=2099).contains(y))
}

/// The word just before index `i`, skipping spaces.
fn word_before(s: &[char], i: usize) -> String {
    let mut k = i;
    while k > 0 && s[k - 1] == ' ' {
        k -= 1;
    }
    let end = k;
    while k > 0 && s[k - 1].is_alphabetic() {
        k -= 1;
    }
    collect(s, k, end)
}

fn is_month(word: &str) -> bool {
    MONTHS.iter().any(|m| m.eq_ignore_ascii_case(word) || (word.len() == 3 && m[..3].eq_ignore_ascii_case(word)))
}

/// Year context before `i`: a preposition-like word, a month, or `Month 28, `.
fn year_context_before(s: &[char], i: usize) -> bool {
    let w = word_before(s, i);
    if YEAR_WORDS.iter().any(|y| y.eq_ignore_ascii_case(&w)) || is_month(&w) {
        return true;
    }
    // November 28, 2023
    let mut k = i;
    while k > 0 && s[k - 1] == ' ' {
        k -= 1;
    }
    if k > 0 && s[k - 1] == ',' {
        k -= 1;
    }
    let mut d = k;
    while d > 0 && s[d - 1].is_ascii_digit() {
        d -= 1;
    }
    (1..=2).contains(&(k - d)) && is_month(&word_before(s, d))
}

fn year_context_after(s: &[char], j: usize) -> bool {
    let mut k = j;
    while s.get(k) == Some(&' ') {
        k += 1;
    }
    for era in ["AD", "BC", "BCE", "CE", "A.D.", "B.C."] {
        if k > j && starts_with(s, k, era) && !is_letter_at(s, k + era.chars().count()) {
            return true;
        }
    }
    matches!(s.get(j), Some('.' | '!' | '?')) && !is_digit_at(s, j + 1) && sentence_end_at(s, j + 1)
}

/// `am`, `pm`, `a.m.`, `p.m.` at `j` (one space allowed): (spoken, end, dotted).
fn am_pm(s: &[char], j: usize) -> Option<(&'static str, usize, bool)> {
    let start = if s.get(j) == Some(&' ') { j + 1 } else { j };
    for (pat, spoken, dotted) in [("a.m.", "AM", true), ("p.m.", "PM", true), ("am", "AM", false), ("pm", "PM", false)]
    {
        if starts_with_ci(s, start, pat) && !is_letter_at(s, start + pat.len()) {
            return Some((spoken, start + pat.len(), dotted));
        }
    }
    None
}

fn push_am_pm(s: &[char], out: &mut String, spoken: &str, end: usize, dotted: bool) {
    out.push(' ');
    out.push_str(spoken);
    if dotted && sentence_end_at(s, end) {
        out.push('.');
    }
}

struct Qty {
    num: Num,
    percent: bool,
    end: usize,
}

fn qty(s: &[char], i: usize) -> Qty {
    let num = parse_num(s, i);
    let percent = s.get(num.end) == Some(&'%');
    let end = num.end + usize::from(percent);
    Qty { num, percent, end }
}

fn qty_words(q: &Qty, year: bool) -> String {
    let mut out = match plausible_year(&q.num).filter(|_| year && !q.percent) {
        Some(y) => year_words(y),
        None => num_words(&q.num),
    };
    if q.percent {
        out.push_str(" percent");
    }
    out
}

/// Converts the number starting at `i`; returns the index after everything consumed.
fn number(s: &[char], i: usize, out: &mut String) -> usize {
    if let Some(d) = parse_date(s, i) {
        let day = ordinal_of(&int_words(&d.day.to_string()));
        let year = if (1000..=2099).contains(&d.year) { year_words(d.year) } else { int_words(&d.year.to_string()) };
        out.push_str(&format!("{} {day}, {year}", MONTHS[d.month as usize - 1]));
        return d.end;
    }
    if let Some(t) = parse_time(s, i, &[':']) {
        let ampm = am_pm(s, t.end);
        let hour = if ampm.is_some() && t.hour == 0 { 12 } else { t.hour };
        out.push_str(&int_words(&hour.to_string()));
        match t.minute {
            0 if ampm.is_some() || t.second.is_some() => {}
            0 if (1..=12).contains(&hour) => out.push_str(" o'clock"),
            0 => out.push_str(" hundred"),
            m if m < 10 => {
                out.push_str(" oh ");
                out.push_str(ONES[m as usize]);
            }
            m => {
                out.push(' ');
                out.push_str(&two(m as usize));
            }
        }
        if let Some(sec) = t.second {
            out.push_str(&format!(" and {} second{}", int_words(&sec.to_string()), if sec == 1 { "" } else { "s" }));
        }
        if let Some((spoken, end, dotted)) = ampm {
            push_am_pm(s, out, spoken, end, dotted);
            return end;
        }
        return t.end;
    }
    if let Some((groups, end)) = parse_hyphen_chain(s, i) {
        let words: Vec<String> = groups.iter().map(|g| digit_words(g)).collect();
        out.push_str(&words.join("-"));
        return end;
    }
    let left = qty(s, i);
    // Version numbers: 1.2.3 → one point two point three.
    if !left.percent && left.num.frac.is_some() && s.get(left.num.end) == Some(&'.') && is_digit_at(s, left.num.end + 1)
    {
        let mut parts = vec![int_words(&left.num.int), int_words(left.num.frac.as_deref().unwrap_or(""))];
        let mut j = left.num.end;
        while s.get(j) == Some(&'.') && is_digit_at(s, j + 1) {
            let n = s[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            parts.push(int_words(&collect(s, j + 1, j + 1 + n)));
            j += 1 + n;
        }
        out.push_str(&parts.join(" point "));
        return j;
    }
    let j = left.end;
    if !left.percent && left.num.is_plain_int() {
        // Ordinals: 3rd, 21st.
        for suffix in ["st", "nd", "rd", "th"] {
            if starts_with_ci(s, j, suffix) && word_ends_at(s, j + 2) {
                out.push_str(&ordinal_of(&int_words(&left.num.int)));
                return j + 2;
            }
        }
        // Decades: 1990s, 80s.
        let n = left.num.int.len();
        if s.get(j) == Some(&'s') && word_ends_at(s, j + 1) && left.num.int.ends_with('0') && (n == 2 || n == 4) {
            let words = match plausible_year(&left.num) {
                Some(y) => year_words(y),
                None => int_words(&left.num.int),
            };
            out.push_str(&plural_of(&words));
            return j + 1;
        }
        // 5pm, 11 a.m.
        if let Some((spoken, end, dotted)) =
            am_pm(s, j).filter(|_| (1..=12).contains(&left.num.small_value().unwrap_or(0)))
        {
            out.push_str(&int_words(&left.num.int));
            push_am_pm(s, out, spoken, end, dotted);
            return end;
        }
        // Day after a month name: November 28.
        if is_month(&word_before(s, i)) && (1..=31).contains(&left.num.small_value().unwrap_or(0)) && !is_digit_at(s, j)
        {
            let v = left.num.small_value().unwrap_or(0);
            if !(n == 4 || v == 0) {
                out.push_str(&ordinal_of(&int_words(&left.num.int)));
                return j;
            }
        }
    }
    let mut end = j;
    let mut right = None;
    if s.get(j).is_some_and(|c| matches!(c, '-' | '–' | '~')) && is_digit_at(s, j + 1) {
        let r = qty(s, j + 1);
        end = r.end;
        right = Some(r);
    }
    let unit = match_unit(s, end, UNITS);
    if unit.is_none() && is_letter_at(s, end) {
        // 4K, 5G, 3D, 100x: an identifier, left as written.
        let e = identifier_end(s, end);
        out.push_str(&collect(s, i, e));
        return e;
    }
    match &right {
        Some(r) => {
            let years = plausible_year(&left.num).is_some() && plausible_year(&r.num).is_some();
            out.push_str(&qty_words(&left, years));
            out.push_str(" to ");
            out.push_str(&qty_words(r, years));
        }
        None => {
            let year = !left.percent
                && plausible_year(&left.num).is_some()
                && (year_context_before(s, i) || year_context_after(s, j));
            out.push_str(&qty_words(&left, year));
        }
    }
    match unit {
        Some((k, unit_end)) => {
            let (one, many) = UNITS[k].1;
            let singular = right.is_none() && !left.percent && left.num.int == "1" && left.num.frac.is_none();
            out.push(' ');
            out.push_str(if singular { one } else { many });
            unit_end
        }
        None => end,
    }
}

/// `$5.50` → five dollars and fifty cents; `$5 million` → five million dollars.
fn currency(s: &[char], i: usize, out: &mut String) -> usize {
    let (major, majors, minor, minors) = match s[i] {
        '$' => ("dollar", "dollars", Some("cent"), "cents"),
        '£' => ("pound", "pounds", Some("penny"), "pence"),
        '€' => ("euro", "euros", Some("cent"), "cents"),
        _ => ("yen", "yen", None, ""),
    };
    let num = parse_num(s, i + 1);
    let mut j = num.end;
    // Magnitude: $5 million, $5m, $2bn, $3k.
    let mut magnitude = None;
    for (pat, word) in [
        (" thousand", "thousand"),
        (" million", "million"),
        (" billion", "billion"),
        (" trillion", "trillion"),
        ("bn", "billion"),
        ("k", "thousand"),
        ("K", "thousand"),
        ("m", "million"),
        ("M", "million"),
        ("B", "billion"),
    ] {
        if starts_with(s, j, pat) && word_ends_at(s, j + pat.len()) {
            magnitude = Some(word);
            j += pat.len();
            break;
        }
    }
    let amount = num_words(&num);
    if let Some(m) = magnitude {
        out.push_str(&format!("{amount} {m} {majors}"));
    } else {
        let cents = match (&num.frac, minor) {
            (Some(f), Some(_)) if f.len() <= 2 => Some(format!("{f:0<2}").parse::<u32>().unwrap_or(0)),
            _ => None,
        };
        match cents {
            Some(c) => {
                let whole = int_words(&num.int);
                let whole_zero = num.int.bytes().all(|b| b == b'0');
                let minor_word = if c == 1 { minor.unwrap_or("") } else { minors };
                let major_word = if num.int.trim_start_matches('0') == "1" { major } else { majors };
                if whole_zero && c > 0 {
                    out.push_str(&format!("{} {minor_word}", int_words(&c.to_string())));
                } else if c == 0 {
                    out.push_str(&format!("{whole} {major_word}"));
                } else {
                    out.push_str(&format!("{whole} {major_word} and {} {minor_word}", int_words(&c.to_string())));
                }
            }
            None => {
                let singular = num.frac.is_none() && num.int.trim_start_matches('0') == "1";
                out.push_str(&format!("{amount} {}", if singular { major } else { majors }));
            }
        }
    }
    // $5-$10 → five dollars to ten dollars.
    if matches!(s.get(j), Some('-' | '–')) && s.get(j + 1) == Some(&s[i]) && is_digit_at(s, j + 2) {
        out.push_str(" to ");
        return j + 1;
    }
    j
}
