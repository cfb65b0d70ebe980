//! A writer of ISO base media file format (MP4) boxes: a box is its size (32-bit, big-endian),
//! its four-character type and its body. A box holding other boxes learns its size when it is
//! closed, so the code that writes one reads like the tree it makes.

/// Bytes of boxes, some of them still open.
#[derive(Debug, Default)]
pub struct Boxes {
    buf: Vec<u8>,
    /// Where each open box starts.
    open: Vec<usize>,
}

impl Boxes {
    pub fn new() -> Self {
        Boxes::default()
    }

    /// Starts a box of type `kind`; everything written until [`Boxes::close`] is its body.
    pub fn open(&mut self, kind: &[u8; 4]) -> &mut Self {
        self.open.push(self.buf.len());
        self.u32(0).bytes(kind)
    }

    /// Starts a "full box": a box whose body begins with a version byte and 24 bits of flags.
    pub fn open_full(&mut self, kind: &[u8; 4], version: u8, flags: u32) -> &mut Self {
        self.open(kind).u8(version).bytes(&flags.to_be_bytes()[1..])
    }

    /// Ends the innermost open box, writing its size. Boxes inside `moov` stay far below
    /// 4 GiB (a 10-hour book's sample table is a few MB), so the 32-bit size always fits.
    pub fn close(&mut self) -> &mut Self {
        if let Some(start) = self.open.pop() {
            let size = u32::try_from(self.buf.len() - start).unwrap_or(u32::MAX);
            self.buf[start..start + 4].copy_from_slice(&size.to_be_bytes());
        }
        self
    }

    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    pub fn i16(&mut self, v: i16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    pub fn zeros(&mut self, n: usize) -> &mut Self {
        self.buf.resize(self.buf.len() + n, 0);
        self
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }

    /// A 32-bit value, or a 64-bit one when `wide` (the version-1 form of mvhd, tkhd, mdhd,
    /// elst).
    pub fn sized(&mut self, wide: bool, v: u64) -> &mut Self {
        if wide { self.u64(v) } else { self.u32(u32::try_from(v).unwrap_or(u32::MAX)) }
    }

    /// The unity matrix of mvhd and tkhd.
    pub fn unity_matrix(&mut self) -> &mut Self {
        for v in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
            self.u32(v);
        }
        self
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// The bytes written. Every box must be closed.
    pub fn into_bytes(mut self) -> Vec<u8> {
        debug_assert!(self.open.is_empty(), "a box was left open");
        while !self.open.is_empty() {
            self.close();
        }
        self.buf
    }
}

/// The header of an `mdat` box holding `payload` bytes: the 64-bit form ("largesize") when
/// the box passes 4 GiB.
pub fn mdat_header(payload: u64) -> Vec<u8> {
    if payload + 8 <= u64::from(u32::MAX) {
        let mut v = ((payload + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(b"mdat");
        v
    } else {
        let mut v = 1u32.to_be_bytes().to_vec();
        v.extend_from_slice(b"mdat");
        v.extend_from_slice(&(payload + 16).to_be_bytes());
        v
    }
}

/// An MPEG-4 descriptor (in `esds`): tag, length (one byte: every descriptor written here is
/// under 128 bytes, checked), body.
pub fn descriptor(tag: u8, body: &[u8]) -> Vec<u8> {
    debug_assert!(body.len() < 128);
    let mut v = vec![tag, body.len().min(127) as u8];
    v.extend_from_slice(body);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_know_their_sizes() {
        let mut b = Boxes::new();
        b.open(b"moov").open_full(b"mvhd", 0, 0).u32(7).close().open(b"udta").close().close();
        let bytes = b.into_bytes();
        assert_eq!(bytes.len(), 8 + 16 + 8);
        assert_eq!(&bytes[0..8], &[0, 0, 0, 32, b'm', b'o', b'o', b'v']);
        assert_eq!(&bytes[8..20], &[0, 0, 0, 16, b'm', b'v', b'h', b'd', 0, 0, 0, 0]);
        assert_eq!(&bytes[20..24], &[0, 0, 0, 7]);
        assert_eq!(&bytes[24..32], &[0, 0, 0, 8, b'u', b'd', b't', b'a']);
    }

    #[test]
    fn full_box_flags_are_24_bits() {
        let mut b = Boxes::new();
        b.open_full(b"url ", 0, 1).close();
        assert_eq!(b.into_bytes(), vec![0, 0, 0, 12, b'u', b'r', b'l', b' ', 0, 0, 0, 1]);
    }

    #[test]
    fn version_one_fields_are_64_bits() {
        let mut b = Boxes::new();
        b.sized(false, 5).sized(true, 5);
        assert_eq!(b.len(), 4 + 8);
    }

    #[test]
    fn mdat_switches_to_largesize_past_4_gib() {
        assert_eq!(mdat_header(100), vec![0, 0, 0, 108, b'm', b'd', b'a', b't']);
        let big = mdat_header(5 << 30);
        assert_eq!(big.len(), 16);
        assert_eq!(&big[0..8], &[0, 0, 0, 1, b'm', b'd', b'a', b't']);
        assert_eq!(u64::from_be_bytes(big[8..16].try_into().unwrap()), (5 << 30) + 16);
    }
}
