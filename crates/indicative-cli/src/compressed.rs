//! Compressed inputs: gzip (`.gz`, several members included, as `cat a.gz
//! b.gz` and pigz make them) and Zstandard (`.zst`, several frames
//! included), told by the file's last extension or, on standard input and
//! whatever the name, by their magic bytes; decompressed as they stream.

use std::io::{self, Read};
use std::path::Path;

/// How an input is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// The compression a file's last extension names, and the name without
    /// it (`events.ndjson.gz` is gzip, and then `events.ndjson`).
    pub fn of_path(path: &Path) -> (Option<Self>, &Path) {
        let compression = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("gz" | "gzip") => Some(Self::Gzip),
            Some("zst" | "zstd") => Some(Self::Zstd),
            _ => None,
        };
        match (compression, path.file_stem()) {
            (Some(c), Some(stem)) => (Some(c), Path::new(stem)),
            _ => (None, path),
        }
    }

    /// The compression the first bytes of an input show, if any.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Self::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Self::Zstd)
        } else {
            None
        }
    }

    /// `source`, decompressed as it is read. A truncated or corrupt archive
    /// is an error of the read that meets it (gzip checks every member's
    /// CRC; a zstd frame is checked when it carries a checksum, as the
    /// `zstd` tool writes by default).
    pub fn decoder<'a>(self, source: impl Read + Send + 'a) -> io::Result<Box<dyn Read + Send + 'a>> {
        Ok(match self {
            Self::Gzip => Box::new(GzipMembers {
                current: Some(flate2::bufread::GzDecoder::new(io::BufReader::with_capacity(1 << 16, source))),
            }),
            Self::Zstd => Box::new(zstd::stream::read::Decoder::new(source)?),
        })
    }
}

/// The members of a gzip file, one after another, as `gzip -d` reads them:
/// zeros after the last member are padding (tape and block devices write
/// them), anything else there is an error.
struct GzipMembers<R: io::BufRead> {
    current: Option<flate2::bufread::GzDecoder<R>>,
}

impl<R: io::BufRead> Read for GzipMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(member) = self.current.as_mut() else { return Ok(0) };
            let read = member.read(buf)?;
            if read > 0 || buf.is_empty() {
                return Ok(read);
            }
            // The member is read whole: another, padding, or the end.
            let Some(done) = self.current.take() else { return Ok(0) };
            let mut rest = done.into_inner();
            let head = rest.fill_buf()?;
            if head.is_empty() {
                return Ok(0);
            }
            if head[0] != 0 {
                // Another member (a header that is not one is the
                // decoder's error to report).
                self.current = Some(flate2::bufread::GzDecoder::new(rest));
                continue;
            }
            loop {
                let head = rest.fill_buf()?;
                if head.is_empty() {
                    return Ok(0);
                }
                if head.iter().any(|&b| b != 0) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "after the last gzip member, bytes that are neither a member nor zero padding",
                    ));
                }
                let len = head.len();
                rest.consume(len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn read_all(compression: Compression, bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        compression.decoder(bytes)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn names_and_magic_bytes() {
        assert_eq!(
            Compression::of_path(Path::new("a/events.ndjson.gz")),
            (Some(Compression::Gzip), Path::new("events.ndjson"))
        );
        assert_eq!(
            Compression::of_path(Path::new("capture.har.ZST")),
            (Some(Compression::Zstd), Path::new("capture.har"))
        );
        assert_eq!(Compression::of_path(Path::new("events.ndjson")), (None, Path::new("events.ndjson")));
        assert_eq!(Compression::sniff(&gzip(b"x")), Some(Compression::Gzip));
        assert_eq!(Compression::sniff(&zstd::encode_all(&b"x"[..], 1).unwrap()), Some(Compression::Zstd));
        assert_eq!(Compression::sniff(b"{\"a\":1}"), None);
    }

    #[test]
    fn members_and_frames_follow_one_another() {
        let two = [gzip(b"a\n"), gzip(b"b\n")].concat();
        assert_eq!(read_all(Compression::Gzip, &two).unwrap(), b"a\nb\n");
        let frames = [zstd::encode_all(&b"a\n"[..], 1).unwrap(), zstd::encode_all(&b"b\n"[..], 1).unwrap()].concat();
        assert_eq!(read_all(Compression::Zstd, &frames).unwrap(), b"a\nb\n");
        // Zeros after the last member are padding, as gzip reads them;
        // other bytes there are an error.
        let padded = [gzip(b"a\n"), vec![0; 100_000]].concat();
        assert_eq!(read_all(Compression::Gzip, &padded).unwrap(), b"a\n");
        let padded_then_junk = [gzip(b"a\n"), vec![0; 10], b"junk".to_vec()].concat();
        assert!(read_all(Compression::Gzip, &padded_then_junk).is_err());
        assert!(read_all(Compression::Gzip, &[gzip(b"a\n"), b"junk".to_vec()].concat()).is_err());
    }

    #[test]
    fn truncated_or_corrupt_archives_are_errors_not_short_reads() {
        let text = "{\"apiKey\":\"k\"}\n".repeat(10_000);
        let gz = gzip(text.as_bytes());
        // With the content checksum the `zstd` tool writes by default (a
        // frame without one cannot tell a flipped bit in its data).
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        encoder.include_checksum(true).unwrap();
        encoder.write_all(text.as_bytes()).unwrap();
        let zst = encoder.finish().unwrap();
        for (compression, bytes) in [(Compression::Gzip, gz), (Compression::Zstd, zst)] {
            assert!(read_all(compression, &bytes[..bytes.len() / 2]).is_err(), "{compression:?} cut in half");
            assert!(read_all(compression, &bytes[..bytes.len() - 1]).is_err(), "{compression:?} without its last byte");
            let mut corrupt = bytes.clone();
            let middle = corrupt.len() / 2;
            corrupt[middle] ^= 0xff;
            assert!(read_all(compression, &corrupt).is_err(), "{compression:?} corrupt");
        }
    }
}
