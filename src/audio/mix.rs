//! Folding interleaved channels down to mono.

use super::AudioBuf;

/// Average the channels of each frame. A trailing partial frame is dropped.
pub fn to_mono(buf: &AudioBuf) -> Vec<f32> {
    let channels = usize::from(buf.channels);
    if channels <= 1 {
        return buf.samples.clone();
    }
    let scale = 1.0 / channels as f32;
    buf.samples.chunks_exact(channels).map(|frame| frame.iter().sum::<f32>() * scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_channels() {
        let buf = AudioBuf { rate: 8000, channels: 2, samples: vec![1.0, 0.0, 0.5, -0.5, -1.0, -0.5] };
        assert_eq!(to_mono(&buf), vec![0.5, 0.0, -0.75]);
        let buf = AudioBuf { rate: 8000, channels: 3, samples: vec![0.3, 0.3, 0.6] };
        assert!((to_mono(&buf)[0] - 0.4).abs() < 1e-6);
        let mono = AudioBuf { rate: 8000, channels: 1, samples: vec![0.1, 0.2] };
        assert_eq!(to_mono(&mono), vec![0.1, 0.2]);
    }
}
