//! The archive written straight with `pdf-writer` into its file: PDF/A-2b, each JPEG's bytes
//! copied once into the file and never looked at again (no decode, no hashing; a scan saved as
//! PDF gives its JPEG the same way), PNG pages, CMYK JPEGs and other pages of an imported PDF as
//! pixels deflated losslessly, and the recognised words laid over each page as invisible text.
//!
//! A day's stack of a few hundred 300-dpi pages is a few hundred megabytes: a general PDF
//! library's passes over them (hashing each image, copying it between buffers) cost more than
//! reading and writing them, so the images go from the kept bytes to the writer and nowhere
//! else.
//!
//! What makes it PDF/A-2b: the XMP metadata stream (part 2, conformance B) matching the
//! document information dictionary entry for entry; an sRGB output intent (so that DeviceGray
//! and DeviceRGB images are allowed); a file identifier; no encryption, no external content.
//! The text layer's font is used only in rendering mode 3 (invisible), which PDF/A-2 exempts
//! from embedding (ISO 19005-2, 6.2.11.4.1): a CID font with Identity-H codes that are the
//! characters' own code points, and a ToUnicode map so that every word can be searched and
//! copied.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::OnceLock;

use pdf_writer::types::{
    CidFontType, FontFlags, OutputIntentSubtype, SystemInfo, TextRenderingMode, UnicodeCmap,
};
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Content, Date, Filter, Name, Rect, Ref, Str, TextStr};
use sha2::Digest as _;

use super::sink::{ImageDict, Sink};
use super::{
    ArchiveInfo, ArchivePage, Content as PageContent, Rotation, Word, image_size, rotation_matrix,
};
use crate::decode::{self, jpeg_components};
use crate::pdf::read::{ArchivedPdfPage, pdf_page_for_archive};
use crate::source::ImageFormat;
use crate::{CaptureError, Result};

/// The text layer's font: the name every viewer is told, and its one advance width.
const FONT_NAME: Name<'static> = Name(b"HoSoInvisibleText");
const ADVANCE: f32 = 500.0;

/// Writes the archive into `out`.
pub(super) fn write<W: Write>(pages: &[ArchivePage<'_>], info: &ArchiveInfo, out: W) -> Result<W> {
    let mut sink = Sink::new(out)?;
    let catalog_id = sink.reserve();
    let tree_id = sink.reserve();
    let font_id = sink.reserve();

    let mut page_ids = Vec::with_capacity(pages.len());
    let mut characters = BTreeSet::new();
    for page in pages {
        let page_id = sink.reserve();
        page_ids.push(page_id);
        write_page(&mut sink, page, page_id, tree_id, font_id)?;
        characters.extend(page.words.iter().flat_map(|w| w.text.trim().chars()));
    }
    sink.object(tree_id, |c| {
        c.pages(tree_id)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
    })?;
    write_font(&mut sink, font_id, &characters)?;

    let intent_profile = sink.reserve();
    sink.object(intent_profile, |c| {
        c.icc_profile(intent_profile, srgb_profile())
            .n(3)
            .range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
    })?;
    let metadata_id = sink.reserve();
    let id = file_id(pages, info);
    let xmp = xmp(info, pages.len(), &hex::encode(id));
    sink.object(metadata_id, |c| {
        c.metadata(metadata_id, xmp.as_bytes());
    })?;
    sink.object(catalog_id, |c| {
        let mut catalog = c.indirect(catalog_id).start::<Catalog>();
        catalog
            .pages(tree_id)
            .metadata(metadata_id)
            .lang(TextStr("vi"));
        catalog
            .output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
            .info(TextStr("sRGB IEC61966-2.1"))
            .dest_output_profile(intent_profile);
    })?;
    let info_id = sink.reserve();
    sink.object(info_id, |c| {
        let created = pdf_date(info.created);
        let mut document = c.indirect(info_id).start::<DocumentInfo>();
        document
            .title(TextStr(&info.title))
            .creator(TextStr(super::PRODUCER))
            .producer(TextStr(super::PRODUCER))
            .creation_date(created)
            .modified_date(created);
        if let Some(author) = &info.author {
            document.author(TextStr(author));
        }
        if let Some(subject) = &info.subject {
            document.subject(TextStr(subject));
        }
        if !info.keywords.is_empty() {
            document.keywords(TextStr(&info.keywords.join(", ")));
        }
    })?;
    Ok(sink.finish(catalog_id, info_id, &id)?)
}

/// One page: its image, what is drawn, and the page object.
fn write_page<W: Write>(
    sink: &mut Sink<W>,
    page: &ArchivePage<'_>,
    page_id: Ref,
    tree_id: Ref,
    font_id: Ref,
) -> Result<()> {
    let image_id = sink.reserve();
    // The page's size in points, and the image's width in pixels, which the words' positions
    // are counted in.
    let ((width, height), px_w) = match page.content {
        PageContent::Image {
            bytes,
            format: ImageFormat::Jpeg,
            width: px_w,
            height: px_h,
            dpi,
        } if matches!(jpeg_components(bytes), Some(1 | 3)) => {
            write_jpeg(sink, image_id, bytes, px_w, px_h)?;
            (image_size(px_w, px_h, dpi), px_w)
        }
        PageContent::Image {
            bytes,
            format,
            width,
            height,
            dpi,
        } => {
            // A PNG, or a CMYK JPEG (DeviceCMYK needs a CMYK output intent): its pixels.
            let decoded = decode::decode(bytes, format)?;
            let px_w = write_pixels(sink, image_id, &decoded)?;
            (image_size(width, height, dpi), px_w)
        }
        PageContent::PdfPage { file, index } => {
            // Parsed once. A scan saved as PDF keeps its JPEG as it is; any other page is drawn.
            // Either way its words were read on the page drawn at 300 dpi, in its pixels.
            let (size, image) = pdf_page_for_archive(file, index, super::PDF_PAGE_DPI)?;
            match image {
                ArchivedPdfPage::Jpeg(jpeg) => {
                    let (w, h) = decode::dimensions(&jpeg, ImageFormat::Jpeg)?;
                    write_jpeg(sink, image_id, &jpeg, w, h)?;
                }
                ArchivedPdfPage::Drawn(drawn) => {
                    write_pixels(sink, image_id, &grey_if_grey(drawn))?;
                }
            }
            (size, (size.0 / 72.0 * super::PDF_PAGE_DPI).round() as u32)
        }
    };
    let (page_w, page_h) = match page.rotation {
        Rotation::Quarter | Rotation::ThreeQuarters => (height, width),
        _ => (width, height),
    };
    if !(width > 0.0 && height > 0.0) {
        return Err(CaptureError::Corrupt("a page of no size".into()));
    }

    let mut content = Content::new();
    // Everything is placed as the officer sees the page: y downwards from the top-left corner,
    // turned a quarter at a time, then the measured skew taken out about the centre.
    content.save_state();
    content.transform([1.0, 0.0, 0.0, -1.0, 0.0, page_h]);
    content.transform(rotation_matrix(page.rotation, width, height));
    content.transform(rotate_about(
        -page.deskew_degrees,
        width / 2.0,
        height / 2.0,
    ));
    content.transform([width, 0.0, 0.0, -height, 0.0, height]);
    content.x_object(Name(b"Im0"));
    content.restore_state();
    // The words were read on the page as shown (turned, not deskewed).
    let scale = width / px_w.max(1) as f32;
    let has_words = text_layer(&mut content, page, page_w, page_h, scale);
    let drawn = deflate(&content.finish())?;
    let content_id = sink.reserve();
    sink.object(content_id, |c| {
        c.stream(content_id, &drawn).filter(Filter::FlateDecode);
    })?;
    sink.object(page_id, |c| {
        let mut pdf_page = c.page(page_id);
        pdf_page
            .parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, page_w, page_h))
            .contents(content_id);
        let mut resources = pdf_page.resources();
        resources.x_objects().pair(Name(b"Im0"), image_id);
        if has_words {
            resources.fonts().pair(Name(b"F0"), font_id);
        }
    })
    .map_err(CaptureError::from)
}

/// A grey or colour JPEG, its bytes as they are.
fn write_jpeg<W: Write>(
    sink: &mut Sink<W>,
    image_id: Ref,
    jpeg: &[u8],
    width: u32,
    height: u32,
) -> Result<()> {
    let image = ImageDict {
        width,
        height,
        grey: jpeg_components(jpeg) == Some(1),
        bits: 8,
        filter: "DCTDecode",
        mask: None,
    };
    Ok(sink.image(image_id, &image, jpeg)?)
}

/// An image's pixels deflated: the same samples (8 or 16 bits, grey or colour), an alpha
/// channel as a soft mask. Gives the image's width.
fn write_pixels<W: Write>(
    sink: &mut Sink<W>,
    image_id: Ref,
    decoded: &image::DynamicImage,
) -> Result<u32> {
    use image::DynamicImage;
    let (width, height) = (decoded.width(), decoded.height());
    let sixteen = matches!(
        decoded,
        DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
            | DynamicImage::ImageRgb16(_)
            | DynamicImage::ImageRgba16(_)
    );
    let grey = matches!(
        decoded,
        DynamicImage::ImageLuma8(_)
            | DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
    );
    let alpha = decoded.color().has_alpha();
    let channels = if grey { 1 } else { 3 };
    let (samples, mask) = if sixteen {
        let all: Vec<u16> = if grey {
            decoded.to_luma_alpha16().into_raw()
        } else {
            decoded.to_rgba16().into_raw()
        };
        split_alpha(&all, channels, |v| v.to_be_bytes())
    } else {
        let all: Vec<u8> = if grey {
            decoded.to_luma_alpha8().into_raw()
        } else {
            decoded.to_rgba8().into_raw()
        };
        split_alpha(&all, channels, |v| [v])
    };
    let bits = if sixteen { 16 } else { 8 };
    let mask_id = if alpha {
        let id = sink.reserve();
        let dict = ImageDict {
            width,
            height,
            grey: true,
            bits,
            filter: "FlateDecode",
            mask: None,
        };
        sink.image(id, &dict, &deflate(&mask)?)?;
        Some(id)
    } else {
        None
    };
    let dict = ImageDict {
        width,
        height,
        grey,
        bits,
        filter: "FlateDecode",
        mask: mask_id,
    };
    sink.image(image_id, &dict, &deflate(&samples)?)?;
    Ok(width)
}

/// A drawn page whose every pixel is grey, as a grey image (a third of the samples).
fn grey_if_grey(drawn: image::DynamicImage) -> image::DynamicImage {
    let rgb = drawn.to_rgb8();
    if rgb.pixels().all(|p| p[0] == p[1] && p[1] == p[2]) {
        image::DynamicImage::ImageLuma8(image::DynamicImage::ImageRgb8(rgb).to_luma8())
    } else {
        image::DynamicImage::ImageRgb8(rgb)
    }
}

/// Colour samples and alpha samples apart, each as big-endian bytes.
fn split_alpha<T: Copy, const N: usize>(
    all: &[T],
    channels: usize,
    bytes: impl Fn(T) -> [u8; N],
) -> (Vec<u8>, Vec<u8>) {
    let pixels = all.len() / (channels + 1);
    let mut colour = Vec::with_capacity(pixels * channels * N);
    let mut alpha = Vec::with_capacity(pixels * N);
    for pixel in all.chunks_exact(channels + 1) {
        for &sample in &pixel[..channels] {
            colour.extend_from_slice(&bytes(sample));
        }
        alpha.extend_from_slice(&bytes(pixel[channels]));
    }
    (colour, alpha)
}

/// Each word in rendering mode 3 (invisible), in the page's y-down space deskewed about the
/// page's centre like the image, stretched to its box. Whether any word was laid.
fn text_layer(
    content: &mut Content,
    page: &ArchivePage<'_>,
    page_w: f32,
    page_h: f32,
    scale: f32,
) -> bool {
    let words: Vec<&Word> = page
        .words
        .iter()
        .filter(|w| !w.text.trim().is_empty() && w.width > 0.0 && w.height > 0.0)
        .collect();
    if words.is_empty() {
        return false;
    }
    content.save_state();
    content.transform([1.0, 0.0, 0.0, -1.0, 0.0, page_h]);
    content.transform(rotate_about(
        -page.deskew_degrees,
        page_w / 2.0,
        page_h / 2.0,
    ));
    content.begin_text();
    content.set_text_rendering_mode(TextRenderingMode::Invisible);
    for word in words {
        let text = word.text.trim();
        let codes: Vec<u8> = text
            .chars()
            .filter_map(|c| u16::try_from(u32::from(c)).ok())
            .flat_map(u16::to_be_bytes)
            .collect();
        if codes.is_empty() {
            continue;
        }
        let size = word.height * scale;
        let natural = (codes.len() / 2) as f32 * ADVANCE / 1000.0 * size;
        let stretch = word.width * scale / natural;
        let baseline = word.top * scale + word.height * scale * 0.8;
        content.set_font(Name(b"F0"), size);
        // y is flipped back for the glyphs, so that they stand upright.
        content.set_text_matrix([stretch, 0.0, 0.0, -1.0, word.left * scale, baseline]);
        content.show(Str(&codes));
    }
    content.end_text();
    content.restore_state();
    true
}

/// The invisible text's font: not embedded (never drawn), one width for every character, and
/// a ToUnicode map for the characters the document uses.
fn write_font<W: Write>(
    sink: &mut Sink<W>,
    font_id: Ref,
    characters: &BTreeSet<char>,
) -> std::io::Result<()> {
    let cid_id = sink.reserve();
    let descriptor_id = sink.reserve();
    let cmap_id = sink.reserve();
    let system = || SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    sink.object(font_id, |c| {
        c.type0_font(font_id)
            .base_font(FONT_NAME)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);
    })?;
    sink.object(cid_id, |c| {
        c.cid_font(cid_id)
            .subtype(CidFontType::Type2)
            .base_font(FONT_NAME)
            .system_info(system())
            .font_descriptor(descriptor_id)
            .default_width(ADVANCE)
            .cid_to_gid_map_predefined(Name(b"Identity"));
    })?;
    sink.object(descriptor_id, |c| {
        c.font_descriptor(descriptor_id)
            .name(FONT_NAME)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(0.0, 0.0, ADVANCE, 1000.0))
            .italic_angle(0.0)
            .ascent(1000.0)
            .descent(0.0)
            .cap_height(1000.0)
            .stem_v(80.0);
    })?;
    let mut cmap = UnicodeCmap::new(Name(b"HoSo-UCS2"), system());
    for &c in characters {
        if let Ok(code) = u16::try_from(u32::from(c)) {
            cmap.pair(code, c);
        }
    }
    let cmap = cmap.finish();
    sink.object(cmap_id, |c| {
        c.cmap(cmap_id, cmap.as_slice());
    })
}

/// An sRGB profile (ICC v4), made once.
fn srgb_profile() -> &'static [u8] {
    static PROFILE: OnceLock<Vec<u8>> = OnceLock::new();
    PROFILE.get_or_init(|| {
        let mut profile = moxcms::ColorProfile::new_srgb();
        // Coding-independent code points are an ICC 4.4 tag; PDF 1.7 reads ICC 4.2 at most.
        profile.cicp = None;
        profile.encode().unwrap_or_default()
    })
}

/// The file identifier: a hash of what the archive is (its title, date and each page's size and
/// first bytes), so that two different archives never share one.
fn file_id(pages: &[ArchivePage<'_>], info: &ArchiveInfo) -> [u8; 16] {
    let mut hash = sha2::Sha256::new();
    hash.update(info.title.as_bytes());
    hash.update(info.created.as_millisecond().to_be_bytes());
    for page in pages {
        if let PageContent::Image { bytes, .. } = page.content {
            hash.update((bytes.len() as u64).to_be_bytes());
            hash.update(&bytes[..bytes.len().min(4096)]);
            hash.update(&bytes[bytes.len().saturating_sub(4096)..]);
        }
        hash.update(page.rotation.degrees().to_be_bytes());
        hash.update(page.deskew_degrees.to_be_bytes());
    }
    let mut id = [0; 16];
    id.copy_from_slice(&hash.finalize()[..16]);
    id
}

/// The XMP packet, saying what the document information dictionary says.
fn xmp(info: &ArchiveInfo, pages: usize, id: &str) -> String {
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.title([(None, info.title.as_str())]);
    if let Some(author) = &info.author {
        xmp.creator([author.as_str()]);
    }
    if let Some(subject) = &info.subject {
        xmp.description([(None, subject.as_str())]);
    }
    if !info.keywords.is_empty() {
        xmp.pdf_keywords(&info.keywords.join(", "));
    }
    xmp.language([xmp_writer::LangId("vi")]);
    xmp.creator_tool(super::PRODUCER);
    xmp.producer(super::PRODUCER);
    let created = xmp_date(info.created);
    xmp.create_date(created);
    xmp.modify_date(created);
    xmp.format("application/pdf");
    xmp.document_id(id);
    xmp.instance_id(id);
    xmp.num_pages(pages as u32);
    xmp.pdfa_part(2);
    xmp.pdfa_conformance("B");
    xmp.finish(None)
}

/// A moment in Vietnamese time (UTC+7), as the PDF writes it.
fn local(at: jiff::Timestamp) -> jiff::civil::DateTime {
    jiff::tz::Offset::constant(7).to_datetime(at)
}

fn pdf_date(at: jiff::Timestamp) -> Date {
    let t = local(at);
    Date::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(7)
        .utc_offset_minute(0)
}

fn xmp_date(at: jiff::Timestamp) -> xmp_writer::DateTime {
    let t = local(at);
    xmp_writer::DateTime {
        year: t.year().clamp(0, 9999) as u16,
        month: Some(t.month() as u8),
        day: Some(t.day() as u8),
        hour: Some(t.hour() as u8),
        minute: Some(t.minute() as u8),
        second: Some(t.second() as u8),
        timezone: Some(xmp_writer::Timezone::Local { hour: 7, minute: 0 }),
    }
}

/// A turn by `degrees` (clockwise as seen, y downwards) about `(cx, cy)`.
fn rotate_about(degrees: f32, cx: f32, cy: f32) -> [f32; 6] {
    let (sin, cos) = degrees.to_radians().sin_cos();
    [
        cos,
        sin,
        -sin,
        cos,
        cx - cos * cx + sin * cy,
        cy - sin * cx - cos * cy,
    ]
}

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::default(),
    );
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .map_err(|e| CaptureError::Corrupt(format!("deflate: {e}")))
}
