//! Test signals for the loudness unit tests.

/// `n` samples of a sine at `freq` Hz, amplitude `amp`, sampled at `rate`, starting at `phase`
/// radians; faded in and out over 10 ms, since a sine that starts or stops abruptly has real
/// overshoots (Gibbs) at its edges that would blur what a test looks at.
pub fn sine_at(freq: f64, rate: u32, n: usize, amp: f64, phase: f64) -> Vec<f32> {
    let fade = (f64::from(rate) * 0.01) as usize;
    (0..n)
        .map(|i| {
            let edge = i.min(n - 1 - i);
            let envelope =
                if edge < fade { 0.5 - 0.5 * (std::f64::consts::PI * edge as f64 / fade as f64).cos() } else { 1.0 };
            (envelope * amp * (std::f64::consts::TAU * freq * i as f64 / f64::from(rate) + phase).sin()) as f32
        })
        .collect()
}

pub fn sine(freq: f64, rate: u32, n: usize, amp: f64) -> Vec<f32> {
    sine_at(freq, rate, n, amp, 0.0)
}

/// True peak of `samples` in dBTP as an independent meter (ebur128's own 4x FIR) reads it.
pub fn ebur128_true_peak(samples: &[f32], rate: u32) -> f64 {
    let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::TRUE_PEAK).unwrap();
    m.add_frames_f32(samples).unwrap();
    20.0 * m.true_peak(0).unwrap().log10()
}

/// Integrated loudness as ebur128 reads it.
pub fn ebur128_lufs(samples: &[f32], rate: u32) -> f64 {
    let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::I).unwrap();
    m.add_frames_f32(samples).unwrap();
    m.loudness_global().unwrap()
}

/// Speech-like test audio: a buzz of 150 to 230 Hz with harmonics, shaped into 250 ms syllables with
/// short gaps; `n` samples, peak amplitude about `amp`. Deterministic.
pub fn babble(rate: u32, n: usize, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    (0..n)
        .map(|i| {
            let t = i as f64 / r;
            let syllable = (t / 0.3).fract();
            let envelope = if syllable < 0.83 { (std::f64::consts::PI * syllable / 0.83).sin() } else { 0.0 };
            // A pitch of its own for each syllable; changes fall in the gaps.
            let f0 = 150.0 + 20.0 * ((t / 0.3) as u64 % 5) as f64;
            let tone: f64 =
                (1..=8).map(|h| (std::f64::consts::TAU * f0 * h as f64 * t).sin() / h as f64).sum::<f64>() / 2.0;
            (amp * envelope * tone) as f32
        })
        .collect()
}
