//! The K-weighting filter of ITU-R BS.1770: a high-frequency shelf (+4 dB above ~1.7 kHz, the
//! head's effect) followed by a high-pass (the "revised low-frequency B" curve, -3 dB near
//! 38 Hz), so that the mean square of the output follows perceived loudness.
//!
//! BS.1770 gives the two biquads' coefficients at 48 kHz only. At other rates they are
//! redesigned: each 48 kHz biquad is a bilinear transform of an analog prototype, whose
//! centre frequency, Q and gains are recovered from the published coefficients and
//! transformed again at the wanted rate.

/// BS.1770-4, table 1: the shelf at 48 kHz (b0, b1, b2; a1, a2).
const SHELF_48K: ([f64; 3], [f64; 2]) = (
    [1.535_124_859_586_97, -2.691_696_189_406_38, 1.198_392_810_852_85],
    [-1.690_659_293_182_41, 0.732_480_774_215_85],
);
/// BS.1770-4, table 2: the high-pass at 48 kHz.
const HIGHPASS_48K: ([f64; 3], [f64; 2]) = ([1.0, -2.0, 1.0], [-1.990_047_454_833_98, 0.990_072_250_366_21]);

/// One biquad, transposed direct form II, in f64 (the high-pass's poles sit close to 1, where
/// f32 would lose the low end).
#[derive(Debug, Clone)]
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
    z1: f64,
    z2: f64,
}

impl Biquad {
    /// Zeroes a state that has decayed to nothing, before it becomes subnormal (slow).
    fn settle(&mut self) {
        if self.z1.abs() < 1e-25 && self.z2.abs() < 1e-25 {
            self.z1 = 0.0;
            self.z2 = 0.0;
        }
    }
}

/// The analog prototype behind a bilinear-transformed biquad: with K = tan(pi f0 / rate) and
/// D = 1 + K/Q + K^2, the denominator is (1, 2(K^2 - 1)/D, (1 - K/Q + K^2)/D); a shelf's
/// numerator is ((vh + vb K/Q + K^2)/D, 2(K^2 - vh)/D, (vh - vb K/Q + K^2)/D).
struct Prototype {
    f0: f64,
    q: f64,
    vh: f64,
    vb: f64,
}

impl Prototype {
    fn from_48k(b: [f64; 3], a: [f64; 2]) -> Prototype {
        let (a1, a2) = (a[0], a[1]);
        // 1 + a1 + a2 = 4K^2/D and 1 - a1 + a2 = 4/D.
        let k = ((1.0 + a1 + a2) / (1.0 - a1 + a2)).sqrt();
        let d = 4.0 / (1.0 - a1 + a2);
        // 1 - a2 = 2(K/Q)/D.
        let q = 2.0 * k / ((1.0 - a2) * d);
        let vh = k * k - b[1] * d / 2.0;
        let vb = (b[0] - b[2]) * d / 2.0 * q / k;
        Prototype { f0: k.atan() * 48_000.0 / std::f64::consts::PI, q, vh, vb }
    }

    fn denominator(&self, rate: f64) -> (f64, f64, [f64; 2]) {
        let k = (std::f64::consts::PI * self.f0 / rate).tan();
        let d = 1.0 + k / self.q + k * k;
        (k, d, [2.0 * (k * k - 1.0) / d, (1.0 - k / self.q + k * k) / d])
    }

    fn shelf(&self, rate: f64) -> Biquad {
        let (k, d, a) = self.denominator(rate);
        let kq = k / self.q;
        let b =
            [(self.vh + self.vb * kq + k * k) / d, 2.0 * (k * k - self.vh) / d, (self.vh - self.vb * kq + k * k) / d];
        Biquad { b, a, z1: 0.0, z2: 0.0 }
    }

    /// The high-pass keeps BS.1770's numerator (1, -2, 1) at every rate.
    fn highpass(&self, rate: f64) -> Biquad {
        Biquad { b: [1.0, -2.0, 1.0], a: self.denominator(rate).2, z1: 0.0, z2: 0.0 }
    }
}

/// The K-weighting filter at one sample rate, with its state.
#[derive(Debug, Clone)]
pub struct KWeighting {
    shelf: Biquad,
    highpass: Biquad,
}

impl KWeighting {
    pub fn new(rate: u32) -> KWeighting {
        let rate = f64::from(rate);
        KWeighting {
            shelf: Prototype::from_48k(SHELF_48K.0, SHELF_48K.1).shelf(rate),
            highpass: Prototype::from_48k(HIGHPASS_48K.0, HIGHPASS_48K.1).highpass(rate),
        }
    }

    /// Filters `x` and returns the sum of the squares of the output.
    pub fn square_sum(&mut self, x: &[f32]) -> f64 {
        // The state in locals, and each update ordered so that only one multiply and one add
        // wait for the previous output (the chain that sets the speed).
        let (s, h) = (&mut self.shelf, &mut self.highpass);
        let ([sb0, sb1, sb2], [sa1, sa2]) = (s.b, s.a);
        let ([hb0, hb1, hb2], [ha1, ha2]) = (h.b, h.a);
        let (mut s1, mut s2, mut h1, mut h2) = (s.z1, s.z2, h.z1, h.z2);
        let mut sum = 0.0;
        for &v in x {
            let v = f64::from(v);
            let a = sb0 * v + s1;
            s1 = (sb1 * v + s2) - sa1 * a;
            s2 = sb2 * v - sa2 * a;
            let y = hb0 * a + h1;
            h1 = (hb1 * a + h2) - ha1 * y;
            h2 = hb2 * a - ha2 * y;
            sum += y * y;
        }
        (s.z1, s.z2, h.z1, h.z2) = (s1, s2, h1, h2);
        self.shelf.settle();
        self.highpass.settle();
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_48_khz_the_published_coefficients_come_back() {
        let k = KWeighting::new(48_000);
        for (got, want) in k.shelf.b.iter().zip(SHELF_48K.0).chain(k.shelf.a.iter().zip(SHELF_48K.1)) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        for (got, want) in k.highpass.a.iter().zip(HIGHPASS_48K.1) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }

    #[test]
    fn the_prototype_is_the_known_one() {
        // The shelf: +4 dB above about 1.68 kHz; the high-pass near 38 Hz with Q 0.5.
        let shelf = Prototype::from_48k(SHELF_48K.0, SHELF_48K.1);
        assert!((20.0 * shelf.vh.log10() - 4.0).abs() < 0.001 && (shelf.f0 - 1682.0).abs() < 1.0);
        let hp = Prototype::from_48k(HIGHPASS_48K.0, HIGHPASS_48K.1);
        assert!((hp.f0 - 38.135).abs() < 0.01 && (hp.q - 0.5003).abs() < 0.001);
    }
}
