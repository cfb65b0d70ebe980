//! MPEG-1/2/2.5 Layer III frame headers: enough to walk LAME's output frame by frame (to
//! count the frames and check that every one is mono at the rate and bit rate asked for) and
//! to write the header of the Info frame.

/// Which MPEG audio version a sample rate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 32, 44.1 and 48 kHz.
    Mpeg1,
    /// 16, 22.05 and 24 kHz.
    Mpeg2,
    /// 8, 11.025 and 12 kHz.
    Mpeg25,
}

const RATES_1: [u32; 3] = [44_100, 48_000, 32_000];
const RATES_2: [u32; 3] = [22_050, 24_000, 16_000];
const RATES_25: [u32; 3] = [11_025, 12_000, 8_000];
/// Layer III bit rates by index (0 is "free format", never used here).
const KBPS_1: [u32; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const KBPS_2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

impl Version {
    /// The version that holds `rate`, with the rate's index in the header.
    fn of_rate(rate: u32) -> Option<(Version, u8)> {
        for (version, rates) in [(Version::Mpeg1, RATES_1), (Version::Mpeg2, RATES_2), (Version::Mpeg25, RATES_25)] {
            if let Some(i) = rates.iter().position(|&r| r == rate) {
                return Some((version, i as u8));
            }
        }
        None
    }

    fn bits(self) -> u8 {
        match self {
            Version::Mpeg1 => 0b11,
            Version::Mpeg2 => 0b10,
            Version::Mpeg25 => 0b00,
        }
    }

    fn rates(self) -> [u32; 3] {
        match self {
            Version::Mpeg1 => RATES_1,
            Version::Mpeg2 => RATES_2,
            Version::Mpeg25 => RATES_25,
        }
    }

    /// The bit rates (kbit/s) a Layer III frame of this version can have, by header index.
    pub fn bitrates(self) -> [u32; 15] {
        match self {
            Version::Mpeg1 => KBPS_1,
            Version::Mpeg2 | Version::Mpeg25 => KBPS_2,
        }
    }

    /// Samples per channel in one frame.
    pub fn samples_per_frame(self) -> u32 {
        match self {
            Version::Mpeg1 => 1152,
            Version::Mpeg2 | Version::Mpeg25 => 576,
        }
    }

    /// Bytes of side information after the header in a mono frame.
    pub fn mono_side_info(self) -> usize {
        match self {
            Version::Mpeg1 => 17,
            Version::Mpeg2 | Version::Mpeg25 => 9,
        }
    }
}

/// The fields of a Layer III frame header that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: Version,
    pub rate: u32,
    pub kbps: u32,
    pub padded: bool,
    pub mono: bool,
}

impl Header {
    /// A mono, unpadded header; `None` if the rate or bit rate is not one this version has.
    pub fn mono(rate: u32, kbps: u32) -> Option<Header> {
        let (version, _) = Version::of_rate(rate)?;
        version.bitrates()[1..].contains(&kbps).then_some(Header { version, rate, kbps, padded: false, mono: true })
    }

    /// Reads a Layer III header without CRC protection (as LAME writes by default).
    pub fn parse(b: [u8; 4]) -> Option<Header> {
        if b[0] != 0xFF || b[1] & 0xE0 != 0xE0 {
            return None;
        }
        let version = match (b[1] >> 3) & 0b11 {
            0b11 => Version::Mpeg1,
            0b10 => Version::Mpeg2,
            0b00 => Version::Mpeg25,
            _ => return None,
        };
        // Layer III is 0b01; an unprotected frame has the bit set.
        if (b[1] >> 1) & 0b11 != 0b01 || b[1] & 1 != 1 {
            return None;
        }
        let kbps = *version.bitrates().get(usize::from(b[2] >> 4)).filter(|&&k| k != 0)?;
        let rate = *version.rates().get(usize::from((b[2] >> 2) & 0b11))?;
        Some(Header { version, rate, kbps, padded: (b[2] >> 1) & 1 == 1, mono: b[3] >> 6 == 0b11 })
    }

    /// The four header bytes: no CRC, not private, original, no emphasis (as LAME writes).
    pub fn to_bytes(self) -> [u8; 4] {
        let (_, rate_index) = Version::of_rate(self.rate).expect("a header is made from a valid rate");
        let kbps_index = self.version.bitrates().iter().position(|&k| k == self.kbps).expect("a valid bit rate") as u8;
        let b1 = 0xE0 | (self.version.bits() << 3) | (0b01 << 1) | 1;
        let b2 = (kbps_index << 4) | (rate_index << 2) | (u8::from(self.padded) << 1);
        let b3 = if self.mono { 0b11 << 6 } else { 0 } | 0b100;
        [0xFF, b1, b2, b3]
    }

    /// Bytes in the whole frame, header included.
    pub fn frame_len(self) -> usize {
        let per_kbit = match self.version {
            Version::Mpeg1 => 144_000,
            Version::Mpeg2 | Version::Mpeg25 => 72_000,
        };
        (per_kbit * self.kbps / self.rate) as usize + usize::from(self.padded)
    }
}

/// Walks an MP3 stream fed in pieces of any size, counting its frames and bytes and checking
/// that every frame has the expected rate, bit rate and channel mode.
#[derive(Debug)]
pub struct FrameScan {
    expected: Header,
    head: [u8; 4],
    have: usize,
    skip: usize,
    pub frames: u64,
    pub bytes: u64,
    /// CRC-16 of every byte fed, for the LAME tag's "music CRC".
    pub crc: u16,
}

impl FrameScan {
    pub fn new(expected: Header) -> FrameScan {
        FrameScan { expected, head: [0; 4], have: 0, skip: 0, frames: 0, bytes: 0, crc: 0 }
    }

    /// Takes the next bytes of the stream; an error says where the stream went wrong.
    pub fn feed(&mut self, mut data: &[u8]) -> Result<(), String> {
        self.crc = crc16(self.crc, data);
        let start = self.bytes;
        self.bytes += data.len() as u64;
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            let n = (4 - self.have).min(data.len());
            self.head[self.have..self.have + n].copy_from_slice(&data[..n]);
            self.have += n;
            data = &data[n..];
            if self.have == 4 {
                let at = start + (self.bytes - start) - data.len() as u64 - 4;
                let header = Header::parse(self.head)
                    .filter(|h| {
                        (h.version, h.rate, h.kbps, h.mono)
                            == (self.expected.version, self.expected.rate, self.expected.kbps, true)
                    })
                    .ok_or_else(|| {
                        format!(
                            "frame {} at byte {at} of the audio is not a mono {} Hz {} kbit/s frame (header {:02x?})",
                            self.frames, self.expected.rate, self.expected.kbps, self.head
                        )
                    })?;
                self.have = 0;
                self.skip = header.frame_len() - 4;
                self.frames += 1;
            }
        }
        Ok(())
    }

    /// Checks that the stream ended at the end of a frame.
    pub fn finish(&self) -> Result<(), String> {
        if self.have != 0 || self.skip != 0 {
            return Err(format!(
                "the audio ends in the middle of a frame ({} frame headers, {} bytes)",
                self.frames, self.bytes
            ));
        }
        Ok(())
    }
}

/// CRC-16 as the LAME tag uses it (polynomial 0x8005, reflected, i.e. CRC-16/ARC).
pub fn crc16(mut crc: u16, data: &[u8]) -> u16 {
    for &b in data {
        crc = (crc >> 8) ^ CRC_TABLE[usize::from((crc ^ u16::from(b)) as u8)];
    }
    crc
}

const CRC_TABLE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xA001 } else { crc >> 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_is_crc16_arc() {
        // The standard check value of CRC-16/ARC.
        assert_eq!(crc16(0, b"123456789"), 0xBB3D);
        assert_eq!(crc16(crc16(0, b"1234"), b"56789"), 0xBB3D);
    }

    #[test]
    fn headers_round_trip_and_have_the_right_sizes() {
        // LAME's first frame at 44.1 kHz mono 64 kbit/s.
        let h = Header::parse([0xFF, 0xFB, 0x50, 0xC4]).unwrap();
        assert_eq!((h.version, h.rate, h.kbps, h.padded, h.mono), (Version::Mpeg1, 44_100, 64, false, true));
        assert_eq!(h.frame_len(), 208);
        assert_eq!(h.to_bytes(), [0xFF, 0xFB, 0x50, 0xC4]);
        let h = Header { padded: true, ..Header::mono(22_050, 32).unwrap() };
        assert_eq!(h.frame_len(), 105);
        assert_eq!(Header::parse(h.to_bytes()), Some(h));
        assert_eq!(Header::mono(8_000, 64).unwrap().frame_len(), 576);
        assert!(Header::mono(44_100, 8).is_none());
        assert!(Header::mono(96_000, 64).is_none());
        assert!(Header::parse([0xFF, 0xFD, 0x50, 0xC4]).is_none(), "Layer II");
    }

    #[test]
    fn scan_counts_frames_fed_in_any_pieces() {
        let a = Header::mono(44_100, 64).unwrap();
        let b = Header { padded: true, ..a };
        let mut stream = Vec::new();
        for h in [a, b, a] {
            let mut frame = vec![0u8; h.frame_len()];
            frame[..4].copy_from_slice(&h.to_bytes());
            stream.extend(frame);
        }
        for piece in [1, 3, 4, 5, 207, 1000] {
            let mut scan = FrameScan::new(a);
            for chunk in stream.chunks(piece) {
                scan.feed(chunk).unwrap();
            }
            scan.finish().unwrap();
            assert_eq!((scan.frames, scan.bytes, scan.crc), (3, 625, crc16(0, &stream)), "pieces of {piece}");
        }
        let mut scan = FrameScan::new(a);
        scan.feed(&stream[..300]).unwrap();
        assert!(scan.finish().unwrap_err().contains("middle of a frame (2 frame headers, 300 bytes)"));
        let mut wrong = FrameScan::new(Header::mono(44_100, 96).unwrap());
        assert!(wrong.feed(&stream).unwrap_err().contains("frame 0 at byte 0"));
    }
}
