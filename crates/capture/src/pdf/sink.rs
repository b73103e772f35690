//! The archive's file as it is written: a header, objects one after the other (each noted where
//! it begins), then the cross-reference table and the trailer. Images go from the page's bytes
//! straight to the file; everything else is written by `pdf-writer`, one object at a time.

use std::io::Write;

use pdf_writer::{Chunk, Ref};

/// The archive file being written, and where each of its objects begins.
pub(super) struct Sink<W: Write> {
    out: W,
    written: u64,
    /// Where each object begins, by object number (from 1).
    offsets: Vec<u64>,
}

impl<W: Write> Sink<W> {
    pub(super) fn new(out: W) -> std::io::Result<Sink<W>> {
        let mut sink = Sink {
            out,
            written: 0,
            offsets: Vec::new(),
        };
        // The comment's bytes above 127 tell a reader the file is binary (PDF/A 6.1.2).
        sink.put(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(sink)
    }

    /// A new object number.
    pub(super) fn reserve(&mut self) -> Ref {
        self.offsets.push(0);
        Ref::new(self.offsets.len() as i32)
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn begin(&mut self, id: Ref) {
        self.offsets[id.get() as usize - 1] = self.written;
    }

    /// One object, as `write` puts it into a chunk of its own.
    pub(super) fn object(
        &mut self,
        id: Ref,
        write: impl FnOnce(&mut Chunk),
    ) -> std::io::Result<()> {
        let mut chunk = Chunk::new();
        write(&mut chunk);
        self.begin(id);
        self.put(chunk.as_bytes())
    }

    /// An image XObject whose samples are `data` as they are, in `filter`'s encoding.
    pub(super) fn image(&mut self, id: Ref, image: &ImageDict, data: &[u8]) -> std::io::Result<()> {
        self.begin(id);
        let mut dict = format!(
            "{} 0 obj\n<<\n  /Type /XObject\n  /Subtype /Image\n  /Width {}\n  /Height {}\n  \
             /ColorSpace /{}\n  /BitsPerComponent {}\n  /Filter /{}\n  /Length {}\n",
            id.get(),
            image.width,
            image.height,
            if image.grey {
                "DeviceGray"
            } else {
                "DeviceRGB"
            },
            image.bits,
            image.filter,
            data.len()
        );
        if let Some(mask) = image.mask {
            dict.push_str(&format!("  /SMask {} 0 R\n", mask.get()));
        }
        dict.push_str(">>\nstream\n");
        self.put(dict.as_bytes())?;
        self.put(data)?;
        self.put(b"\nendstream\nendobj\n\n")
    }

    /// The cross-reference table and the trailer.
    pub(super) fn finish(mut self, root: Ref, info: Ref, id: &[u8]) -> std::io::Result<W> {
        let start = self.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len() + 1);
        for offset in &self.offsets {
            table.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        let id = hex::encode(id);
        table.push_str(&format!(
            "trailer\n<<\n  /Size {}\n  /Root {} 0 R\n  /Info {} 0 R\n  /ID [<{id}> <{id}>]\n>>\n\
             startxref\n{start}\n%%EOF\n",
            self.offsets.len() + 1,
            root.get(),
            info.get(),
        ));
        self.put(table.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// What an image's dictionary says.
pub(super) struct ImageDict {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) grey: bool,
    pub(super) bits: u8,
    pub(super) filter: &'static str,
    pub(super) mask: Option<Ref>,
}
