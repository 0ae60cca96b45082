//! The `records` file of a backup: every tree's keys and values, raw, in one stream.
//!
//! ```text
//! "MMBKREC1"                                  magic, format 1
//! 'T' name_len:u16 name                       a tree begins (UTF-8 name)
//! 'R' key_len:u32 key value_len:u32 value     one record of the current tree
//! ...
//! 'E'                                         the end: a file cut short has none
//! ```
//!
//! Lengths are big-endian. Values stay in the store's own versioned envelopes, so the
//! restored store reads them with the code that wrote them. The writer and the reader
//! both keep a CRC-32 of every byte, which the manifest records.

use std::io::{self, Read, Write};

const MAGIC: &[u8; 8] = b"MMBKREC1";
const TREE: u8 = b'T';
const RECORD: u8 = b'R';
const END: u8 = b'E';

/// Writes a records file.
pub(super) struct Writer<W: Write> {
    out: W,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl<W: Write> Writer<W> {
    pub(super) fn new(out: W) -> io::Result<Self> {
        let mut w = Self {
            out,
            crc: crc32fast::Hasher::new(),
            bytes: 0,
        };
        w.put(MAGIC)?;
        Ok(w)
    }

    /// Starts tree `name`: the records written next are its.
    pub(super) fn tree(&mut self, name: &str) -> io::Result<()> {
        let len = u16::try_from(name.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "tree name too long"))?;
        self.put(&[TREE])?;
        self.put(&len.to_be_bytes())?;
        self.put(name.as_bytes())
    }

    pub(super) fn record(&mut self, key: &[u8], value: &[u8]) -> io::Result<()> {
        self.put(&[RECORD])?;
        self.put_bytes(key)?;
        self.put_bytes(value)
    }

    /// Writes the end mark; returns the output, the bytes written and their CRC-32.
    pub(super) fn finish(mut self) -> io::Result<(W, u64, u32)> {
        self.put(&[END])?;
        Ok((self.out, self.bytes, self.crc.finalize()))
    }

    fn put_bytes(&mut self, b: &[u8]) -> io::Result<()> {
        let len = u32::try_from(b.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "record too long"))?;
        self.put(&len.to_be_bytes())?;
        self.put(b)
    }

    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.crc.update(b);
        self.bytes += b.len() as u64;
        Ok(())
    }
}

/// One item of a records file.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Item {
    Tree(String),
    Record(Vec<u8>, Vec<u8>),
}

/// Why a records file could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    Io(io::Error),
    /// The bytes are not a records file, or one cut short: what is wrong.
    Bad(String),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            Self::Bad("the records file ends early (a cut-off copy?)".into())
        } else {
            Self::Io(e)
        }
    }
}

/// Reads a records file of `size` bytes; no length in it may point past its end.
pub(super) struct Reader<R: Read> {
    input: R,
    crc: crc32fast::Hasher,
    bytes: u64,
    size: u64,
    ended: bool,
}

impl<R: Read> Reader<R> {
    pub(super) fn new(input: R, size: u64) -> Result<Self, ReadError> {
        let mut r = Self {
            input,
            crc: crc32fast::Hasher::new(),
            bytes: 0,
            size,
            ended: false,
        };
        let magic = r.take(MAGIC.len())?;
        if magic != MAGIC {
            return Err(ReadError::Bad(
                "the records file is not a meshmush backup's".into(),
            ));
        }
        Ok(r)
    }

    /// The next item; `None` after the end mark (and anything after it is an error).
    pub(super) fn next(&mut self) -> Result<Option<Item>, ReadError> {
        if self.ended {
            return Ok(None);
        }
        let [tag] = self.array::<1>()?;
        match tag {
            TREE => {
                let len = u16::from_be_bytes(self.array()?);
                let name = String::from_utf8(self.take(usize::from(len))?)
                    .map_err(|_| ReadError::Bad("a tree name is not UTF-8".into()))?;
                Ok(Some(Item::Tree(name)))
            }
            RECORD => {
                let key = self.sized()?;
                let value = self.sized()?;
                Ok(Some(Item::Record(key, value)))
            }
            END if self.bytes == self.size => {
                self.ended = true;
                Ok(None)
            }
            END => Err(ReadError::Bad("bytes after the records file's end".into())),
            other => Err(ReadError::Bad(format!(
                "unexpected byte {other:#04x} at offset {}",
                self.bytes - 1
            ))),
        }
    }

    /// The CRC-32 of the bytes read so far.
    pub(super) fn crc(&self) -> u32 {
        self.crc.clone().finalize()
    }

    fn sized(&mut self) -> Result<Vec<u8>, ReadError> {
        let len = u32::from_be_bytes(self.array()?);
        self.take(len as usize)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut buf = [0u8; N];
        self.fill(&mut buf)?;
        Ok(buf)
    }

    /// The next `n` bytes; a length past the file's end is refused before any
    /// allocation, so a damaged length cannot ask for gigabytes.
    fn take(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        if n as u64 > self.size.saturating_sub(self.bytes) {
            return Err(ReadError::Bad(
                "the records file ends early (a cut-off copy?)".into(),
            ));
        }
        let mut buf = vec![0u8; n];
        self.fill(&mut buf)?;
        Ok(buf)
    }

    fn fill(&mut self, buf: &mut [u8]) -> Result<(), ReadError> {
        self.input.read_exact(buf)?;
        self.crc.update(buf);
        self.bytes += buf.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written() -> (Vec<u8>, u64, u32) {
        let mut w = Writer::new(Vec::new()).unwrap();
        w.tree("players").unwrap();
        w.record(b"k1", b"v1").unwrap();
        w.record(b"k2", b"").unwrap();
        w.tree("empty").unwrap();
        w.finish().unwrap()
    }

    fn read_all(bytes: &[u8]) -> Result<Vec<Item>, ReadError> {
        let mut r = Reader::new(bytes, bytes.len() as u64)?;
        let mut items = Vec::new();
        while let Some(item) = r.next()? {
            items.push(item);
        }
        Ok(items)
    }

    #[test]
    fn what_is_written_reads_back_with_the_same_crc() {
        let (bytes, n, crc) = written();
        assert_eq!(n, bytes.len() as u64);
        let mut r = Reader::new(&bytes[..], n).unwrap();
        let mut items = Vec::new();
        while let Some(item) = r.next().unwrap() {
            items.push(item);
        }
        assert_eq!(
            items,
            vec![
                Item::Tree("players".into()),
                Item::Record(b"k1".to_vec(), b"v1".to_vec()),
                Item::Record(b"k2".to_vec(), Vec::new()),
                Item::Tree("empty".into()),
            ]
        );
        assert_eq!(r.crc(), crc);
    }

    #[test]
    fn a_cut_off_or_padded_file_is_refused() {
        let (bytes, ..) = written();
        for cut in [3, 12, bytes.len() - 1] {
            assert!(
                matches!(read_all(&bytes[..cut]), Err(ReadError::Bad(_))),
                "cut at {cut}"
            );
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(matches!(read_all(&padded), Err(ReadError::Bad(_))));
        // A length that points far past the end.
        let mut long = bytes;
        long[8 + 1 + 2 + 7 + 1] = 0xff;
        assert!(matches!(read_all(&long), Err(ReadError::Bad(_))));
    }
}
