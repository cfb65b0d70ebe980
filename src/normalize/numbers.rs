//! Scanning helpers shared by the Chinese and English normalizers.
//!
//! Everything works on a `&[char]` and an index; nothing here allocates more than the
//! digits it returns, and every index is checked, so no input can make these panic.

/// A number as written: integer digits (thousands separators removed), optional fraction digits.
#[derive(Debug, Clone)]
pub(crate) struct Num {
    /// Integer digits, never empty.
    pub int: String,
    /// Digits after the decimal point, when there are any.
    pub frac: Option<String>,
    /// Written with thousands separators (`1,234`).
    pub grouped: bool,
    /// Index just past the number.
    pub end: usize,
}

impl Num {
    /// A bare integer: no fraction, no separators.
    pub fn is_plain_int(&self) -> bool {
        self.frac.is_none() && !self.grouped
    }

    /// The integer value when it is plain and small enough.
    pub fn small_value(&self) -> Option<u32> {
        if self.frac.is_some() || self.int.len() > 9 { None } else { self.int.parse().ok() }
    }
}

pub(crate) fn is_digit_at(s: &[char], i: usize) -> bool {
    s.get(i).is_some_and(|c| c.is_ascii_digit())
}

pub(crate) fn is_letter_at(s: &[char], i: usize) -> bool {
    s.get(i).is_some_and(|c| c.is_ascii_alphabetic())
}

/// How many ASCII digits start at `i`.
pub(crate) fn digits_at(s: &[char], i: usize) -> usize {
    s.get(i..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count())
}

pub(crate) fn collect(s: &[char], from: usize, to: usize) -> String {
    s.get(from..to.min(s.len())).map_or_else(String::new, |r| r.iter().collect())
}

/// Whether `pat` occurs at `i` (exact characters).
pub(crate) fn starts_with(s: &[char], i: usize, pat: &str) -> bool {
    (i..).zip(pat.chars()).all(|(k, p)| s.get(k) == Some(&p))
}

/// Whether `pat` occurs at `i`, ignoring ASCII case.
pub(crate) fn starts_with_ci(s: &[char], i: usize, pat: &str) -> bool {
    (i..).zip(pat.chars()).all(|(k, p)| s.get(k).is_some_and(|c| c.eq_ignore_ascii_case(&p)))
}

/// True when index `j` does not continue a Latin word (end of text or not an ASCII letter/digit).
pub(crate) fn word_ends_at(s: &[char], j: usize) -> bool {
    s.get(j).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// Parses a number at `i` (which must be a digit): `1234`, `1,234,567`, `3.5`, `1,234.5`.
/// Thousands separators count only in groups of exactly three digits after a 1–3 digit head.
pub(crate) fn parse_num(s: &[char], i: usize) -> Num {
    let n = digits_at(s, i);
    let mut int = collect(s, i, i + n);
    let mut j = i + n;
    let mut grouped = false;
    if (1..=3).contains(&n) && !(n > 1 && s[i] == '0') {
        let mut k = j;
        while s.get(k) == Some(&',') && digits_at(s, k + 1) == 3 {
            int.push_str(&collect(s, k + 1, k + 4));
            k += 4;
            grouped = true;
        }
        j = k;
    }
    let mut frac = None;
    if s.get(j) == Some(&'.') {
        let m = digits_at(s, j + 1);
        if m > 0 {
            frac = Some(collect(s, j + 1, j + 1 + m));
            j += 1 + m;
        }
    }
    Num { int, frac, grouped, end: j }
}

/// A calendar date `YYYY-MM-DD` (also `/` or `.` as separator, the same one twice).
pub(crate) struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub end: usize,
}

pub(crate) fn parse_date(s: &[char], i: usize) -> Option<Date> {
    if digits_at(s, i) != 4 {
        return None;
    }
    let sep = *s.get(i + 4)?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let m_len = digits_at(s, i + 5);
    if !(1..=2).contains(&m_len) || s.get(i + 5 + m_len) != Some(&sep) {
        return None;
    }
    let d_start = i + 6 + m_len;
    let d_len = digits_at(s, d_start);
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let end = d_start + d_len;
    // `2023.11.28.5` or `2023-11-28-1` is something else.
    if s.get(end) == Some(&sep) && is_digit_at(s, end + 1) {
        return None;
    }
    let year = collect(s, i, i + 4).parse().ok()?;
    let month = collect(s, i + 5, i + 5 + m_len).parse().ok()?;
    let day = collect(s, d_start, end).parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day, end })
}

/// A clock time `H:MM` or `HH:MM[:SS]`, hours 0–23; `colons` lists the accepted separators.
pub(crate) struct Time {
    pub hour: u32,
    pub minute: u32,
    pub second: Option<u32>,
    pub end: usize,
}

pub(crate) fn parse_time(s: &[char], i: usize, colons: &[char]) -> Option<Time> {
    let h_len = digits_at(s, i);
    if !(1..=2).contains(&h_len) {
        return None;
    }
    let colon = *s.get(i + h_len)?;
    if !colons.contains(&colon) || digits_at(s, i + h_len + 1) != 2 {
        return None;
    }
    let hour: u32 = collect(s, i, i + h_len).parse().ok()?;
    let minute: u32 = collect(s, i + h_len + 1, i + h_len + 3).parse().ok()?;
    let mut end = i + h_len + 3;
    let mut second = None;
    if s.get(end) == Some(&colon) && digits_at(s, end + 1) == 2 {
        let sec: u32 = collect(s, end + 1, end + 3).parse().ok()?;
        if sec <= 59 {
            second = Some(sec);
            end += 3;
        }
    }
    if s.get(end).is_some_and(|c| colons.contains(c)) && is_digit_at(s, end + 1) {
        return None;
    }
    (hour <= 23 && minute <= 59).then_some(Time { hour, minute, second, end })
}

/// Three or more digit groups joined by `-` (`400-800-1234`): phone numbers, codes.
/// Returns the groups and the index past them.
pub(crate) fn parse_hyphen_chain(s: &[char], i: usize) -> Option<(Vec<String>, usize)> {
    let mut groups = Vec::new();
    let mut j = i;
    loop {
        let n = digits_at(s, j);
        if n == 0 {
            break;
        }
        groups.push(collect(s, j, j + n));
        j += n;
        if s.get(j) == Some(&'-') && is_digit_at(s, j + 1) {
            j += 1;
        } else {
            break;
        }
    }
    // A trailing decimal point or letter means this is not a plain chain.
    if groups.len() >= 3 && !(s.get(j) == Some(&'.') && is_digit_at(s, j + 1)) { Some((groups, j)) } else { None }
}

/// The first unit in `units` (longest listed first) found at `j`, optionally after one space,
/// and not followed by more Latin letters or digits. Returns the table row index and the end.
pub(crate) fn match_unit<T>(s: &[char], j: usize, units: &[(&str, T)]) -> Option<(usize, usize)> {
    for start in [j, j + 1] {
        if start == j + 1 && s.get(j) != Some(&' ') {
            break;
        }
        for (k, (pat, _)) in units.iter().enumerate() {
            let len = pat.chars().count();
            if starts_with(s, start, pat) {
                let end = start + len;
                let last_is_letter = pat.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
                if !last_is_letter || word_ends_at(s, end) {
                    return Some((k, end));
                }
            }
        }
    }
    None
}
