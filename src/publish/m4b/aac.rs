//! AAC-LC frames from a stream of mono samples, with memory that does not grow with the
//! length of the book.
//!
//! rusty_aac's encoder keeps everything pushed until `finish`, then encodes every frame at
//! once (its frames are independent: frame `g` is the MDCT of input blocks `g − 1` and `g`,
//! with window sequences decided from transients near it). So the stream is encoded in
//! segments of [`SEGMENT`] frames, each by a fresh encoder given [`CONTEXT`] blocks on
//! either side: the frames kept are those whose blocks and window decisions lie inside what
//! that encoder saw. Frame `g` of the book is frame `g − first` of the segment that starts
//! at block `first`, so the frames join as one stream: the first frame is primed with one
//! block of silence (1024 samples of delay, [`PRIMING`]) and the last one flushes the MDCT
//! overlap, as a single encode would.
//!
//! The window sequence must run on across a join (a long frame may not be followed by a
//! short one without a "start" frame between). The encoders on both sides of a join see the
//! same blocks there, so they decide alike; [`Encoder::finish`] counts the joins where they
//! did not, which would be heard as a click (none in any test).

use rusty_aac::{AacEncoder, AacEncoderConfig};

/// Samples per AAC frame.
pub const FRAME: usize = 1024;
/// Samples of silence before the audio in the decoded stream.
pub const PRIMING: u32 = FRAME as u32;
/// Frames kept from each encoder run (about 24 s at 44.1 kHz).
pub const SEGMENT: usize = 1024;
/// Blocks of context an encoder run sees on each side of the frames it keeps.
pub const CONTEXT: usize = 8;

/// An AAC-LC mono encoder fed in pieces.
pub struct Encoder {
    rate: u32,
    bitrate: u32,
    /// Samples from block `first` on.
    pending: Vec<f32>,
    first: usize,
    /// The next frame to hand out.
    next: usize,
    /// The window sequence of the last frame handed out.
    last_sequence: Option<u8>,
    seams: usize,
}

impl Encoder {
    pub fn new(rate: u32, bitrate: u32) -> Self {
        Encoder {
            rate,
            bitrate,
            pending: Vec::with_capacity((SEGMENT + 2 * CONTEXT + 1) * FRAME),
            first: 0,
            next: 0,
            last_sequence: None,
            seams: 0,
        }
    }

    /// The AudioSpecificConfig of the stream (AAC-LC, mono, the rate).
    pub fn config(&self) -> Vec<u8> {
        rusty_aac::audio_specific_config_bytes(self.rate, 1)
    }

    /// Adds samples (in [-1, 1]); hands each frame that is ready to `sink`, in order.
    pub fn push<E>(&mut self, samples: &[f32], sink: &mut impl FnMut(&[u8]) -> Result<(), E>) -> Result<(), E>
    where
        E: From<String>,
    {
        self.pending.extend_from_slice(samples);
        loop {
            let keep_from = self.next - self.first;
            let wanted = (keep_from + SEGMENT + CONTEXT) * FRAME;
            if self.pending.len() < wanted {
                return Ok(());
            }
            let frames = self.encode(&self.pending[..wanted])?;
            for frame in &frames[keep_from..keep_from + SEGMENT] {
                self.hand_out(frame, sink)?;
            }
            self.next += SEGMENT;
            let first = self.next.saturating_sub(CONTEXT);
            self.pending.drain(..(first - self.first) * FRAME);
            self.first = first;
        }
    }

    /// Encodes what is left and hands out the last frames (the final one flushes the overlap).
    pub fn finish<E>(mut self, sink: &mut impl FnMut(&[u8]) -> Result<(), E>) -> Result<usize, E>
    where
        E: From<String>,
    {
        if self.pending.is_empty() && self.next == 0 {
            return Ok(0);
        }
        let keep_from = self.next - self.first;
        let frames = self.encode(&self.pending)?;
        for frame in frames.get(keep_from..).unwrap_or(&[]) {
            self.hand_out(frame, sink)?;
        }
        Ok(self.seams)
    }

    fn hand_out<E>(&mut self, frame: &[u8], sink: &mut impl FnMut(&[u8]) -> Result<(), E>) -> Result<(), E> {
        let sequence = window_sequence(frame);
        if let (Some(before), Some(now)) = (self.last_sequence, sequence)
            && !runs_on(before, now)
        {
            self.seams += 1;
        }
        self.last_sequence = sequence;
        sink(frame)
    }

    fn encode<E: From<String>>(&self, pcm: &[f32]) -> Result<Vec<Vec<u8>>, E> {
        let mut encoder =
            AacEncoder::new(AacEncoderConfig { bitrate_bps: self.bitrate, ..AacEncoderConfig::default() });
        encoder.push_pcm(pcm, 1, self.rate).map_err(|e| E::from(format!("the AAC encoder refused the audio: {e}")))?;
        encoder.finish();
        let mut frames = Vec::with_capacity(pcm.len() / FRAME + 2);
        while let Ok(packet) = encoder.next_packet() {
            frames.push(packet.data);
        }
        Ok(frames)
    }
}

/// The window sequence of a mono frame (a single channel element first): 0 only long,
/// 1 long start, 2 eight short, 3 long stop. `None` if the frame starts otherwise.
pub fn window_sequence(frame: &[u8]) -> Option<u8> {
    // id_syn_ele (3 bits) · element_instance_tag (4) · global_gain (8) · ics_reserved_bit (1)
    // · window_sequence (2).
    let bits = u32::from_be_bytes([0, *frame.first()?, *frame.get(1)?, *frame.get(2)?]);
    (bits >> 21 == 0).then_some(((bits >> 6) & 3) as u8)
}

/// Whether a frame with window sequence `now` may follow one with `before`.
fn runs_on(before: u8, now: u8) -> bool {
    let long_right = matches!(before, 0 | 3);
    let long_left = matches!(now, 0 | 1);
    long_right == long_left
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speechlike(n: usize) -> Vec<f32> {
        let mut state = 0x1234_5678_u32;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                // Bursts of a third of a second with gaps between them, some of them sharp.
                let on = (i / 15_000) % 2 == 0;
                if on { 0.3 * (i as f32 * 0.05).sin() + 0.2 * noise } else { 0.0 }
            })
            .collect()
    }

    fn encode_in_pieces(pcm: &[f32], piece: usize) -> (Vec<Vec<u8>>, usize) {
        let mut enc = Encoder::new(44_100, 64_000);
        let mut frames = Vec::new();
        let mut sink = |f: &[u8]| -> Result<(), String> {
            frames.push(f.to_vec());
            Ok(())
        };
        for chunk in pcm.chunks(piece) {
            enc.push(chunk, &mut sink).unwrap();
        }
        let seams = enc.finish(&mut sink).unwrap();
        (frames, seams)
    }

    #[test]
    fn segments_give_as_many_frames_as_one_encode() {
        for n in [0, 1, 1024, 5000, SEGMENT * FRAME, (SEGMENT + CONTEXT) * FRAME, 2 * SEGMENT * FRAME + 777] {
            let pcm = speechlike(n);
            let (frames, seams) = encode_in_pieces(&pcm, 4096);
            let expected = if n == 0 { 0 } else { n.div_ceil(FRAME) + 1 };
            assert_eq!(frames.len(), expected, "{n} samples");
            assert_eq!(seams, 0, "{n} samples");
        }
    }

    #[test]
    fn frames_inside_a_segment_match_a_single_encode() {
        let pcm = speechlike(SEGMENT * FRAME * 2 + 5000);
        let (pieces, _) = encode_in_pieces(&pcm, 10_000);
        let whole = Encoder::new(44_100, 64_000).encode::<String>(&pcm).unwrap();
        assert_eq!(pieces.len(), whole.len());
        // Away from the joins the frames are the same bytes (the transient detector's level
        // floor is per encode, so a join's neighbourhood may differ slightly).
        let same = pieces.iter().zip(&whole).filter(|(a, b)| a == b).count();
        assert!(same * 10 >= whole.len() * 9, "{same} of {} frames equal", whole.len());
    }

    #[test]
    fn reads_the_window_sequence() {
        assert_eq!(window_sequence(&[0b0000_0000, 0b1000_0000, 0b0100_0000]), Some(1));
        assert_eq!(window_sequence(&[0b0000_0000, 0b1000_0000, 0b1000_0000]), Some(2));
        assert_eq!(window_sequence(&[0b0010_0000, 0, 0]), None);
        assert!(runs_on(0, 1) && runs_on(1, 2) && runs_on(2, 3) && runs_on(3, 0));
        assert!(!runs_on(0, 2) && !runs_on(2, 0));
    }
}
