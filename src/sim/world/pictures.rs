//! The simulator's pictures: made once at start (photos of several sizes and aspect ratios, a
//! screenshot, a transparent sticker, an animated market sticker), filed as blobs under each
//! image segment's file token, and linked with media URLs on the simulator's HTTP server, the
//! way NapCat's segments link to QQ's servers.

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use image::codecs::gif::{GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::{Delay, Frame, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use crate::onebot::segment::ImageData;
use crate::onebot::{MessageChain, Segment};

use super::World;

/// The pictures, made on first use.
pub struct Gallery {
    /// JPEG photos: landscape, portrait, square, panorama, a small screenshot.
    pub photos: Vec<Arc<[u8]>>,
    /// A PNG sticker with a transparent background.
    pub sticker: Arc<[u8]>,
    /// An animated GIF (a market sticker).
    pub animated: Arc<[u8]>,
}

/// A sky-to-ground landscape with a sun, `w`×`h`, tinted by `hue`.
fn scene(w: u32, h: u32, hue: u8) -> RgbImage {
    let (sx, sy, sr) = (w as i64 * 2 / 3, h as i64 / 3, (w.min(h) / 7) as i64);
    RgbImage::from_fn(w, h, |x, y| {
        let horizon = h * 2 / 3;
        let (dx, dy) = (x as i64 - sx, y as i64 - sy);
        if dx * dx + dy * dy < sr * sr {
            return Rgb([255, 220, 90]);
        }
        if y < horizon {
            let t = (y * 255 / horizon.max(1)) as u8;
            Rgb([t / 2 + hue / 3, 90 + t / 3, 230 - t / 3])
        } else {
            let t = ((y - horizon) * 255 / (h - horizon).max(1)) as u8;
            let stripe = if (x / 24 + y / 12) % 2 == 0 { 12 } else { 0 };
            Rgb([40 + stripe, 120 - t / 3 + hue / 8, 50])
        }
    })
}

/// A window-like screenshot: a title bar and lines of "text".
fn screenshot(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        if y < 18 {
            Rgb([60, 60, 70])
        } else if y % 14 < 6 && x > 12 && x < 12 + (w - 24) * ((y / 14) % 5 + 3) / 8 {
            Rgb([90, 90, 100])
        } else {
            Rgb([245, 245, 240])
        }
    })
}

fn jpeg(img: &RgbImage) -> Arc<[u8]> {
    let mut out = Vec::new();
    // Encoding an RgbImage this size cannot fail; an empty blob would show as undecodable.
    let _ = JpegEncoder::new_with_quality(&mut out, 80).encode_image(img);
    out.into()
}

/// A round yellow face on a transparent background.
fn sticker(side: u32) -> RgbaImage {
    let c = side as i64 / 2;
    RgbaImage::from_fn(side, side, |x, y| {
        let (dx, dy) = (x as i64 - c, y as i64 - c);
        let d = dx * dx + dy * dy;
        let r = c * 9 / 10;
        let eye = |ex: i64| (x as i64 - ex).pow(2) + (y as i64 - c * 3 / 4).pow(2) < (r / 9).pow(2);
        if d >= r * r {
            Rgba([0, 0, 0, 0])
        } else if eye(c - r / 3) || eye(c + r / 3) {
            Rgba([50, 30, 10, 255])
        } else if dy > r / 4 && dy < r / 2 && dx.abs() < r / 2 {
            Rgba([200, 60, 40, 255])
        } else {
            Rgba([255, 205, 40, 255])
        }
    })
}

/// A ball bouncing in four frames.
fn animated(side: u32) -> Arc<[u8]> {
    let mut out = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut out);
        let _ = enc.set_repeat(Repeat::Infinite);
        for k in 0..4u32 {
            let by = side / 4 + k * side / 8;
            let img = RgbaImage::from_fn(side, side, |x, y| {
                let (dx, dy) = (x as i64 - side as i64 / 2, y as i64 - by as i64);
                if dx * dx + dy * dy < (side as i64 / 5).pow(2) {
                    Rgba([230, 70, 120, 255])
                } else {
                    Rgba([250, 240, 250, 255])
                }
            });
            let _ = enc.encode_frame(Frame::from_parts(
                img,
                0,
                0,
                Delay::from_numer_denom_ms(120, 1),
            ));
        }
    }
    out.into()
}

fn png(img: &RgbaImage) -> Arc<[u8]> {
    let mut out = Cursor::new(Vec::new());
    let _ = img.write_to(&mut out, ImageFormat::Png);
    out.into_inner().into()
}

/// The simulator's pictures (made once per process).
pub fn gallery() -> &'static Gallery {
    static G: OnceLock<Gallery> = OnceLock::new();
    G.get_or_init(|| Gallery {
        photos: vec![
            jpeg(&scene(960, 540, 40)),
            jpeg(&scene(540, 960, 160)),
            jpeg(&scene(600, 600, 220)),
            jpeg(&scene(1200, 300, 90)),
            jpeg(&screenshot(320, 200)),
        ],
        sticker: png(&sticker(160)),
        animated: animated(120),
    })
}

/// A stable pick among `n` by a token.
fn pick(token: &str, n: usize) -> usize {
    let h = token
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    (h % n.max(1) as u64) as usize
}

/// The bytes a segment shows: a market sticker animates, a sticker is the face, a photo one of
/// the photos.
pub fn bytes_for(img: &ImageData) -> Arc<[u8]> {
    let g = gallery();
    if img.emoji_id.is_some() {
        g.animated.clone()
    } else if img.sub_type == Some(1) {
        g.sticker.clone()
    } else {
        g.photos[pick(&img.file, g.photos.len())].clone()
    }
}

/// The appid a media URL carries (1406 private, 1407 group), 1407 when it has none.
fn appid_of(url: Option<&str>) -> u32 {
    url.and_then(|u| u.split("appid=").nth(1))
        .and_then(|rest| rest.split('&').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or(1407)
}

impl World {
    /// Files the bytes of `chain`'s pictures and links them on the simulator's HTTP server
    /// (nothing without one: the links stay QQ's).
    pub(super) fn serve_pictures(&mut self, chain: &mut MessageChain) {
        if !self.serves_http() {
            return;
        }
        for seg in chain.0.iter_mut() {
            let Segment::Image(img) = seg else { continue };
            if img.file.trim().is_empty() || img.file.contains("://") {
                continue;
            }
            // Bytes already filed (a picture sent) are kept; the rest get the gallery's.
            let bytes = match self.blob(&img.file) {
                Some(b) => b,
                None => {
                    let b = bytes_for(img);
                    self.put_blob(&img.file, b.clone());
                    b
                }
            };
            img.file_size = Some(bytes.len() as u64);
            let appid = appid_of(img.url.as_deref());
            img.url = Some(self.media_url(appid, &img.file));
        }
    }
}
