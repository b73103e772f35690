//! Sealed files: XChaCha20-Poly1305 in the STREAM construction (a 19-byte random nonce prefix
//! per file, a 32-bit chunk counter and a last-chunk flag in each chunk's nonce).
//!
//! Layout: `HOSOSF1\0` · nonce prefix (19 bytes) · chunks of 64 KiB of plaintext, each
//! followed by its 16-byte tag; the last chunk (possibly empty) is sealed as the last. The
//! plaintext length follows from the file's length, so a reader can seek to any byte and
//! decrypt only the chunk it needs. A chunk moved, dropped, repeated or edited, a file cut
//! short or extended: each fails authentication and is reported as [`Error::Tampered`].

use std::io::{self, Read, Seek, SeekFrom, Write};

use aead_stream::{NewStream, StreamBE32, StreamPrimitive};
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use zeroize::Zeroizing;

use crate::{Error, random};

const MAGIC: &[u8; 8] = b"HOSOSF1\0";
const PREFIX: usize = 19;
const HEADER: u64 = (MAGIC.len() + PREFIX) as u64;
/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const SEALED_CHUNK: u64 = (CHUNK + TAG) as u64;

/// The key that seals stored files (derived from the data key).
#[derive(Clone)]
pub struct FileKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(…)")
    }
}

type Stream = StreamBE32<XChaCha20Poly1305>;

fn associated_data(header: &[u8]) -> Vec<u8> {
    let mut aad = b"hoso sealed file v1\n".to_vec();
    aad.extend_from_slice(header);
    aad
}

impl FileKey {
    pub(crate) fn new(key: Zeroizing<[u8; 32]>) -> FileKey {
        FileKey(key)
    }

    fn stream(&self, prefix: &[u8]) -> Stream {
        let aead = XChaCha20Poly1305::new((&*self.0).into());
        Stream::from_aead(aead, prefix.try_into().expect("a 19-byte nonce prefix"))
    }

    /// Writes `plaintext` sealed to `out`, a chunk at a time.
    pub fn seal_into(&self, plaintext: &[u8], out: &mut impl Write) -> io::Result<()> {
        let prefix: [u8; PREFIX] = random();
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&prefix);
        out.write_all(&header)?;
        let stream = self.stream(&prefix);
        let aad = associated_data(&header);
        let chunks: Vec<&[u8]> = if plaintext.is_empty() {
            vec![&[]]
        } else {
            plaintext.chunks(CHUNK).collect()
        };
        let last = chunks.len() - 1;
        let mut buffer = Vec::with_capacity(CHUNK + TAG);
        for (i, chunk) in chunks.into_iter().enumerate() {
            buffer.clear();
            buffer.extend_from_slice(chunk);
            let position = u32::try_from(i)
                .map_err(|_| io::Error::new(io::ErrorKind::FileTooLarge, "file too large"))?;
            stream
                .encrypt_in_place(position, i == last, &aad, &mut buffer)
                .map_err(|_| io::Error::other("sealing failed"))?;
            out.write_all(&buffer)?;
        }
        Ok(())
    }

    /// `plaintext` sealed, in memory.
    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let chunks = plaintext.len().div_ceil(CHUNK).max(1);
        let mut out = Vec::with_capacity(HEADER as usize + plaintext.len() + chunks * TAG);
        self.seal_into(plaintext, &mut out)
            .expect("writing to memory does not fail");
        out
    }

    /// The whole plaintext of a sealed file.
    pub fn open(&self, sealed: impl Read + Seek) -> Result<Vec<u8>, Error> {
        let mut reader = SealedReader::new(self.clone(), sealed)?;
        let mut out = Vec::with_capacity(reader.len() as usize);
        reader.read_to_end(&mut out).map_err(unwrap_tampered)?;
        Ok(out)
    }
}

fn tampered() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Error::Tampered)
}

/// Turns the I/O error a [`SealedReader`] reports back into [`Error::Tampered`] when it is one.
pub fn unwrap_tampered(err: io::Error) -> Error {
    match err.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
        Some(Error::Tampered) => Error::Tampered,
        _ => Error::Io(err),
    }
}

/// Reads a sealed file's plaintext, decrypting chunk by chunk; seeks to any byte.
pub struct SealedReader<R> {
    inner: R,
    stream: Stream,
    aad: Vec<u8>,
    plain_len: u64,
    chunks: u64,
    position: u64,
    /// The decrypted chunk in hand and its index.
    current: Option<(u64, Zeroizing<Vec<u8>>)>,
}

impl<R: Read + Seek> SealedReader<R> {
    /// Reads the header; fails if `inner` is not a file sealed in this format.
    pub fn new(key: FileKey, mut inner: R) -> Result<SealedReader<R>, Error> {
        let total = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        if total < HEADER + TAG as u64 {
            return Err(Error::Tampered);
        }
        let mut header = [0u8; HEADER as usize];
        inner.read_exact(&mut header)?;
        if &header[..MAGIC.len()] != MAGIC {
            return Err(Error::Tampered);
        }
        let body = total - HEADER;
        let chunks = body.div_ceil(SEALED_CHUNK);
        let last_sealed = body - (chunks - 1) * SEALED_CHUNK;
        if last_sealed < TAG as u64 {
            return Err(Error::Tampered);
        }
        let stream = key.stream(&header[MAGIC.len()..]);
        Ok(SealedReader {
            inner,
            stream,
            aad: associated_data(&header),
            plain_len: body - chunks * TAG as u64,
            chunks,
            position: 0,
            current: None,
        })
    }

    /// The plaintext's length.
    pub fn len(&self) -> u64 {
        self.plain_len
    }

    pub fn is_empty(&self) -> bool {
        self.plain_len == 0
    }

    fn load(&mut self, index: u64) -> io::Result<()> {
        if matches!(&self.current, Some((i, _)) if *i == index) {
            return Ok(());
        }
        let start = HEADER + index * SEALED_CHUNK;
        let end = (start + SEALED_CHUNK).min(HEADER + self.plain_len + self.chunks * TAG as u64);
        let mut buffer = Zeroizing::new(vec![0u8; (end - start) as usize]);
        self.inner.seek(SeekFrom::Start(start))?;
        self.inner.read_exact(&mut buffer)?;
        let position = u32::try_from(index).map_err(|_| tampered())?;
        self.stream
            .decrypt_in_place(position, index + 1 == self.chunks, &self.aad, &mut *buffer)
            .map_err(|_| tampered())?;
        self.current = Some((index, buffer));
        Ok(())
    }
}

impl<R: Read + Seek> Read for SealedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.position >= self.plain_len {
            // The end: still make sure the last chunk is authentic, so a file whose tail was
            // cut at a chunk boundary is not taken as complete.
            if self.position == self.plain_len {
                self.load(self.chunks - 1)?;
            }
            return Ok(0);
        }
        let index = self.position / CHUNK as u64;
        self.load(index)?;
        let (_, chunk) = self.current.as_ref().expect("just loaded");
        let offset = (self.position - index * CHUNK as u64) as usize;
        let n = buf.len().min(chunk.len() - offset);
        buf[..n].copy_from_slice(&chunk[offset..offset + n]);
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for SealedReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let target = match pos {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.plain_len.checked_add_signed(d),
            SeekFrom::Current(d) => self.position.checked_add_signed(d),
        };
        let target = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        self.position = target;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::DataKey;

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn sealed_files_read_back_whole_and_from_any_byte() {
        let key = DataKey::generate().file_key();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let plain = sample(len);
            let sealed = key.seal(&plain);
            assert_eq!(
                sealed.len(),
                HEADER as usize + len + len.div_ceil(CHUNK).max(1) * TAG
            );
            assert_eq!(key.open(Cursor::new(&sealed)).unwrap(), plain, "len {len}");
            let mut reader = SealedReader::new(key.clone(), Cursor::new(&sealed)).unwrap();
            assert_eq!(reader.len(), len as u64);
            for start in [0, len / 2, len.saturating_sub(1), CHUNK.min(len)] {
                reader.seek(SeekFrom::Start(start as u64)).unwrap();
                let mut rest = Vec::new();
                reader.read_to_end(&mut rest).unwrap();
                assert_eq!(rest, plain[start..], "len {len} from {start}");
            }
        }
    }

    #[test]
    fn the_same_bytes_seal_differently_and_show_nothing_of_the_plaintext() {
        let key = DataKey::generate().file_key();
        let plain =
            b"\xff\xd8\xff\xe0 JFIF Nguy\xe1\xbb\x85n V\xc4\x83n A 001099012345".repeat(100);
        let a = key.seal(&plain);
        let b = key.seal(&plain);
        assert_ne!(a, b);
        assert!(!a.windows(4).any(|w| w == b"JFIF"));
        assert!(!a.windows(12).any(|w| w == b"001099012345"));
    }

    #[test]
    fn any_change_to_a_sealed_file_is_refused() {
        let key = DataKey::generate().file_key();
        let plain = sample(2 * CHUNK + 100);
        let sealed = key.seal(&plain);
        let refused = |bytes: Vec<u8>| match key.open(Cursor::new(bytes)) {
            Err(Error::Tampered) => true,
            other => panic!("expected Tampered, got {:?}", other.map(|v| v.len())),
        };
        // A flipped bit in each chunk and in the header.
        for at in [
            3,
            HEADER as usize + 5,
            HEADER as usize + CHUNK + 40,
            sealed.len() - 1,
        ] {
            let mut edited = sealed.clone();
            edited[at] ^= 1;
            assert!(refused(edited), "flip at {at}");
        }
        // Cut at a chunk boundary: the new last chunk was not sealed as the last.
        assert!(refused(
            sealed[..HEADER as usize + 2 * SEALED_CHUNK as usize].to_vec()
        ));
        // Cut mid-chunk, extended, two chunks swapped.
        assert!(refused(sealed[..sealed.len() - 10].to_vec()));
        let mut longer = sealed.clone();
        longer.extend_from_slice(&[0; 40]);
        assert!(refused(longer));
        let mut swapped = sealed.clone();
        let (h, c) = (HEADER as usize, SEALED_CHUNK as usize);
        let first = sealed[h..h + c].to_vec();
        swapped[h..h + c].copy_from_slice(&sealed[h + c..h + 2 * c]);
        swapped[h + c..h + 2 * c].copy_from_slice(&first);
        assert!(refused(swapped));
        // Another desk's key, and plain bytes that were never sealed.
        assert!(matches!(
            DataKey::generate().file_key().open(Cursor::new(&sealed)),
            Err(Error::Tampered)
        ));
        assert!(refused(plain));
    }
}
