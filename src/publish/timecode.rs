//! Clock times for caption formats: `HH:MM:SS.mmm` (WebVTT) and `HH:MM:SS,mmm` (SRT).

/// `seconds` as hours, minutes, seconds and milliseconds, rounded to the nearest
/// millisecond, with `separator` before the milliseconds. Negative or non-finite input is
/// read as 0: a timeline never starts before the file does. Hours keep two digits at least
/// and grow past 99 instead of wrapping.
pub fn clock(seconds: f64, separator: char) -> String {
    let ms = if seconds.is_finite() && seconds > 0.0 { (seconds * 1000.0).round() as u64 } else { 0 };
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{h:02}:{m:02}:{s:02}{separator}{ms:03}")
}

/// A short `M:SS` or `H:MM:SS` for people to read (the player page), rounded down to the
/// second so a chapter never shows a time after it has begun.
pub fn short(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 { seconds.floor() as u64 } else { 0 };
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_the_millisecond() {
        assert_eq!(clock(3725.0456, '.'), "01:02:05.046");
        assert_eq!(clock(3725.0454, ','), "01:02:05,045");
        assert_eq!(clock(0.0, '.'), "00:00:00.000");
        assert_eq!(clock(59.9996, '.'), "00:01:00.000");
        assert_eq!(clock(1.5, ','), "00:00:01,500");
    }

    #[test]
    fn long_and_odd_input() {
        assert_eq!(clock(360_000.0, '.'), "100:00:00.000");
        assert_eq!(clock(-3.0, '.'), "00:00:00.000");
        assert_eq!(clock(f64::NAN, '.'), "00:00:00.000");
    }

    #[test]
    fn short_times() {
        assert_eq!(short(0.0), "0:00");
        assert_eq!(short(65.9), "1:05");
        assert_eq!(short(3725.0), "1:02:05");
    }
}
