//! Bytes to pixels, with limits, and pixels to half-block cells. Run off the loop thread.
//!
//! A picture from the server is untrusted: more than [`MAX_INPUT`] bytes is refused before
//! decoding; the decoder is told the largest picture it may make ([`MAX_SIDE`] a side,
//! [`MAX_PIXELS`] in all), so a small file that would decode into gigabytes (a decompression
//! bomb) fails instead of filling memory; truncated or foreign bytes fail. Each failure is a
//! reason the placeholder names. An animated GIF or WebP gives its first frame.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits, RgbaImage};

use crate::app::pictures::{CellBox, Cells, Half, PicFailure, fitted};

/// The most bytes a picture may have (NapCat's pictures are a few MB; QQ's own limit is 30).
pub const MAX_INPUT: usize = 20 * 1024 * 1024;
/// The widest and tallest a decoded picture may be.
pub const MAX_SIDE: u32 = 10_000;
/// The most pixels a decoded picture may have.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Decodes `bytes` (PNG, JPEG, GIF, WebP, BMP; the first frame of an animation) within the
/// limits.
pub fn decode(bytes: &[u8]) -> Result<RgbaImage, PicFailure> {
    if bytes.len() > MAX_INPUT {
        return Err(PicFailure::TooLarge);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PicFailure::Undecodable)?;
    if reader.format().is_none() {
        return Err(PicFailure::Undecodable);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // RGBA8 of the largest picture allowed, plus the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    let mut decoder = reader.into_decoder().map_err(failure)?;
    decoder.set_limits(limits).map_err(failure)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(PicFailure::Undecodable);
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PicFailure::TooLarge);
    }
    let img = DynamicImage::from_decoder(decoder).map_err(failure)?;
    Ok(img.into_rgba8())
}

fn failure(e: ImageError) -> PicFailure {
    match e {
        ImageError::Limits(_) => PicFailure::TooLarge,
        _ => PicFailure::Undecodable,
    }
}

/// A pixel as a half cell's colour: mostly transparent pixels show the terminal's background,
/// partly transparent ones are blended onto black (stickers' soft edges).
fn half(p: &image::Rgba<u8>) -> Half {
    let [r, g, b, a] = p.0;
    if a < 64 {
        return None;
    }
    let k = |c: u8| ((u16::from(c) * u16::from(a)) / 255) as u8;
    Some((k(r), k(g), k(b)))
}

/// The picture as half blocks fitted into `fit` (aspect kept): each cell shows two pixels
/// stacked, the upper as its foreground `▀`, the lower as its background.
pub fn halfblocks(img: &RgbaImage, fit: CellBox) -> Cells {
    let (cols, rows) = fitted((img.width(), img.height()), fit);
    let small = image::imageops::resize(
        img,
        u32::from(cols),
        u32::from(rows) * 2,
        image::imageops::FilterType::Triangle,
    );
    let mut cells = Vec::with_capacity(usize::from(cols) * usize::from(rows));
    for y in 0..u32::from(rows) {
        for x in 0..u32::from(cols) {
            let up = half(small.get_pixel(x, 2 * y));
            let down = half(small.get_pixel(x, 2 * y + 1));
            cells.push((up, down));
        }
    }
    Cells { cols, rows, cells }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 0, 200, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .expect("encode");
        out.into_inner()
    }

    #[test]
    fn a_picture_decodes_and_fits() {
        let img = decode(&png(40, 20)).expect("decodes");
        assert_eq!((img.width(), img.height()), (40, 20));
        let cells = halfblocks(&img, (20, 10));
        assert_eq!((cells.cols, cells.rows), (20, 5));
        assert_eq!(cells.cells.len(), 100);
    }

    /// A PNG whose header says `w`x`h` (its pixel data is a 1x1 picture's): what a
    /// decompression bomb looks like before it is decoded.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut c = 0xffff_ffffu32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let mut p = png(1, 1);
        // Signature (8), length (4), "IHDR" (4), then width and height.
        p[16..20].copy_from_slice(&w.to_be_bytes());
        p[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&p[12..29]);
        p[29..33].copy_from_slice(&crc.to_be_bytes());
        p
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        assert_eq!(
            decode(&png_claiming(10_001, 1)).unwrap_err(),
            PicFailure::TooLarge
        );
        assert_eq!(
            decode(&png_claiming(1, 10_001)).unwrap_err(),
            PicFailure::TooLarge
        );
        // 8000 x 8000 is 64 Mpx, over the 50 Mpx limit, though each side is allowed.
        assert_eq!(
            decode(&png_claiming(8000, 8000)).unwrap_err(),
            PicFailure::TooLarge
        );
        // Within the limits, the same lie is only a truncated picture.
        assert_eq!(
            decode(&png_claiming(100, 100)).unwrap_err(),
            PicFailure::Undecodable
        );
    }

    #[test]
    fn an_animated_gif_gives_its_first_frame() {
        use image::codecs::gif::GifEncoder;
        use image::{Delay, Frame};
        let mut out = Vec::new();
        {
            let mut enc = GifEncoder::new(&mut out);
            for c in [255u8, 0] {
                let img = RgbaImage::from_pixel(8, 8, image::Rgba([c, 0, 0, 255]));
                enc.encode_frame(Frame::from_parts(
                    img,
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                ))
                .expect("frame");
            }
        }
        let img = decode(&out).expect("decodes");
        assert_eq!(
            img.get_pixel(3, 3).0[0],
            255,
            "the first frame is the red one"
        );
    }

    #[test]
    fn transparent_pixels_show_the_background() {
        let img = RgbaImage::from_fn(2, 2, |_, y| {
            image::Rgba(if y == 0 {
                [0, 0, 0, 0]
            } else {
                [10, 20, 30, 255]
            })
        });
        let cells = halfblocks(&img, (2, 1));
        assert_eq!(cells.cells[0], (None, Some((10, 20, 30))));
    }

    #[test]
    fn bad_input_names_its_reason() {
        assert_eq!(decode(b"").unwrap_err(), PicFailure::Undecodable);
        assert_eq!(
            decode(b"hello, not a picture").unwrap_err(),
            PicFailure::Undecodable
        );
        let mut cut = png(64, 64);
        cut.truncate(cut.len() / 2);
        assert_eq!(decode(&cut).unwrap_err(), PicFailure::Undecodable);
        assert_eq!(
            decode(&vec![0u8; MAX_INPUT + 1]).unwrap_err(),
            PicFailure::TooLarge
        );
    }
}
