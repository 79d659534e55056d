//! User images to MNIST-style digits, on real files.

use crate::common;

use convscope::preprocess::{
    PreprocessError, digit_from_drawing, digit_from_file, digit_from_rgba, drawing_at_working_size,
};

/// Pearson correlation of two 28×28 images.
fn correlation(a: &[u8], b: &[u8]) -> f64 {
    let mean = |v: &[u8]| v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64;
    let (ma, mb) = (mean(a), mean(b));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (x as f64 - ma, y as f64 - mb);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa * bb).sqrt()
}

fn center_of_mass(image: &[u8]) -> (f64, f64) {
    let (mut mass, mut x, mut y) = (0.0, 0.0, 0.0);
    for (i, &v) in image.iter().enumerate() {
        mass += v as f64;
        x += v as f64 * (i % 28) as f64;
        y += v as f64 * (i / 28) as f64;
    }
    (x / mass, y / mass)
}

#[test]
fn photos_drawings_and_inverted_images_become_their_mnist_digit() {
    let test = common::mnist("t10k");
    // Each fixture was made from MNIST test digit `index` (tools/make_test_images.py).
    for (file, index) in [
        ("7_photo.jpg", 0),
        ("2_transparent.png", 1),
        ("1_dark.png", 2),
        ("0_white.bmp", 3),
    ] {
        let bytes = std::fs::read(common::fixture(&format!("images/{file}"))).unwrap();
        let steps = digit_from_file(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(steps.digit.dimensions(), (28, 28));
        let digit = steps.digit.as_raw();
        let similarity = correlation(digit, test.image(index));
        assert!(
            similarity > 0.9,
            "{file}: correlation {similarity:.3} with the source digit"
        );
        let (x, y) = center_of_mass(digit);
        assert!(
            (x - 14.0).abs() < 0.6 && (y - 14.0).abs() < 0.6,
            "{file}: center of mass ({x:.1}, {y:.1})"
        );
        let (width, height) = steps.cropped.dimensions();
        assert!(
            width.max(height) >= 20,
            "{file}: the crop keeps the source resolution"
        );
        // Ink is white from the ink map on, whatever the input's polarity.
        assert!(
            steps.ink.as_raw().iter().filter(|&&v| v > 128).count() * 4 < steps.ink.as_raw().len(),
            "{file}"
        );
    }
}

#[test]
fn the_digit_fills_a_20_pixel_box() {
    let bytes = std::fs::read(common::fixture("images/1_dark.png")).unwrap();
    let digit = digit_from_file(&bytes).unwrap().digit;
    let inked = |along_x: bool| {
        (0..28)
            .filter(|&i| {
                (0..28).any(|j| {
                    let (x, y) = if along_x { (i, j) } else { (j, i) };
                    digit.get_pixel(x, y).0[0] > 40
                })
            })
            .count()
    };
    assert!(
        (18..=21).contains(&inked(false)),
        "rows with ink: {}",
        inked(false)
    );
}

#[test]
fn canvas_pixels_are_preprocessed_like_files() {
    // A vertical black stroke on a transparent 100×100 canvas.
    let mut rgba = vec![0u8; 100 * 100 * 4];
    for y in 20..80 {
        for x in 45..55 {
            rgba[(y * 100 + x) * 4 + 3] = 255;
        }
    }
    let steps = digit_from_rgba(100, 100, rgba).unwrap();
    let (x, _) = center_of_mass(steps.digit.as_raw());
    assert!((x - 14.0).abs() < 0.6);
    assert!(matches!(
        digit_from_rgba(10, 10, vec![0; 7]),
        Err(PreprocessError::NotAnImage(_))
    ));
}

#[test]
fn bad_inputs_get_clear_errors() {
    let read = |name: &str| std::fs::read(common::fixture(&format!("images/{name}"))).unwrap();
    assert_eq!(
        digit_from_file(&read("blank.png")).unwrap_err(),
        PreprocessError::NoInk
    );
    assert!(matches!(
        digit_from_file(&read("not_an_image.png")),
        Err(PreprocessError::NotAnImage(_))
    ));
    assert!(matches!(
        digit_from_file(&[]),
        Err(PreprocessError::NotAnImage(_))
    ));
    let empty_canvas = digit_from_rgba(64, 64, vec![0; 64 * 64 * 4]).unwrap_err();
    assert_eq!(empty_canvas, PreprocessError::NoInk);
    // A 12000×12000 PNG is refused from its header, before anything is decoded.
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &[0u8; 4],
        2,
        2,
        image::ExtendedColorType::L8,
    )
    .unwrap();
    png[16..20].copy_from_slice(&12000u32.to_be_bytes());
    png[20..24].copy_from_slice(&12000u32.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&png[12..29]);
    png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    let error = digit_from_file(&png).unwrap_err();
    assert_eq!(
        error,
        PreprocessError::TooLarge {
            width: 12000,
            height: 12000
        }
    );
    assert!(error.to_string().contains("12000×12000"));
}

/// A white 300×200 page with a black bar of ink at x 60..160, y 40..140 (a 100×100 box).
fn page_with_square_ink() -> Vec<u8> {
    square_ink_at(60, 40, 300, 200, 100)
}

/// A white `width`×`height` page with a black `side`×`side` square at (`left`, `top`).
fn square_ink_at(left: usize, top: usize, width: usize, height: usize, side: usize) -> Vec<u8> {
    let mut rgba = vec![255u8; width * height * 4];
    for y in top..top + side {
        for x in left..left + side {
            let i = (y * width + x) * 4;
            rgba[i..i + 3].copy_from_slice(&[0, 0, 0]);
        }
    }
    rgba
}

#[test]
fn a_region_of_the_network_input_maps_back_onto_the_original_image() {
    let steps = digit_from_rgba(300, 200, page_with_square_ink()).unwrap();
    let placement = steps.placement;
    assert_eq!(placement.original, [300, 200]);
    assert_eq!(placement.crop, [60, 40, 100, 100]);
    assert_eq!(placement.scaled, [20, 20]);
    // A uniform square's centre of mass is its middle, 9.5: 14 − 9.5 rounds to an offset of 5.
    assert_eq!(placement.offset, [5, 5]);
    // On a 28×28 input, the pixels of the scaled box are exactly the ink's box.
    let [left, top, right, bottom] = placement.original_fraction([5, 5, 24, 24], [28, 28]);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        close(left * 300.0, 60.0) && close(right * 300.0, 160.0),
        "{left} {right}"
    );
    assert!(
        close(top * 200.0, 40.0) && close(bottom * 200.0, 140.0),
        "{top} {bottom}"
    );
    // On a 56×56 input (twice the field) the same box is twice the pixels; one input pixel
    // is 2.5 original pixels.
    let [left, _, right, _] = placement.original_fraction([10, 10, 10, 10], [56, 56]);
    assert!(
        close(left * 300.0, 60.0) && close(right * 300.0, 62.5),
        "{left} {right}"
    );
    // The whole field reaches past the ink on every side.
    let [left, top, right, bottom] = placement.original_fraction([0, 0, 27, 27], [28, 28]);
    assert!(
        close(left * 300.0, 35.0) && close(right * 300.0, 175.0),
        "{left} {right}"
    );
    assert!(
        close(top * 200.0, 15.0) && close(bottom * 200.0, 155.0),
        "{top} {bottom}"
    );
    assert_eq!(placement.field_on_original(), [left, top, right, bottom]);
    // Near the original's edge the field reaches past it: clipped as a region, not as a frame.
    let steps = digit_from_rgba(120, 120, square_ink_at(0, 0, 120, 120, 40)).unwrap();
    let [left, top, ..] = steps.placement.field_on_original();
    assert!(left < 0.0 && top < 0.0, "{left} {top}");
    assert_eq!(
        steps.placement.original_fraction([0, 0, 27, 27], [28, 28])[..2],
        [0.0, 0.0]
    );
}

#[test]
fn previews_shrink_by_the_mean_of_the_pixels_each_covers() {
    use convscope::preprocess::shrink_to_fit;
    use image::GrayImage;
    // 4×2 pixels, halved: each new pixel is the mean of a 2×2 block (rounded).
    let image = GrayImage::from_raw(4, 2, vec![0, 10, 100, 101, 20, 30, 200, 201]).unwrap();
    let half = shrink_to_fit(&image, 2);
    assert_eq!(half.dimensions(), (2, 1));
    assert_eq!(half.as_raw(), &vec![15, 151]);
    // The longer side lands on the limit, the shorter keeps the aspect; small images stay.
    let drawing = GrayImage::from_pixel(280, 140, image::Luma([77]));
    let preview = shrink_to_fit(&drawing, 112);
    assert_eq!(preview.dimensions(), (112, 56));
    assert!(preview.pixels().all(|p| p.0[0] == 77));
    assert_eq!(shrink_to_fit(&drawing, 300), drawing);
    // A one-pixel line survives a non-integer factor (280 → 112 is 2.5×).
    let mut line = GrayImage::new(280, 280);
    for y in 0..280 {
        line.put_pixel(141, y, image::Luma([255]));
    }
    let shrunk = shrink_to_fit(&line, 112);
    assert!((0..112).all(|y| shrunk.get_pixel(56, y).0[0] > 0));
    assert_eq!(shrunk.get_pixel(20, 20).0[0], 0);
}

/// The page's canvas as it sends a drawing: 280×280, white paper, a round pen of `width`
/// drawing a 7 (a bar, then a slanted stroke down), ink #111.
fn drawn_seven(width: f64) -> Vec<u8> {
    const SIDE: usize = 280;
    let mut rgba = vec![255u8; SIDE * SIDE * 4];
    let segments = [
        ((80.0, 60.0), (200.0, 60.0)),
        ((200.0, 60.0), (120.0, 230.0)),
    ];
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
            let near = segments.iter().any(|&((ax, ay), (bx, by))| {
                let (dx, dy) = (bx - ax, by - ay);
                let t = (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
                (px - ax - t * dx).hypot(py - ay - t * dy) <= width / 2.0
            });
            if near {
                rgba[(y * SIDE + x) * 4..][..3].copy_from_slice(&[17, 17, 17]);
            }
        }
    }
    rgba
}

#[test]
fn a_drawing_shrunk_on_the_page_gives_the_digit_of_the_whole_canvas() {
    for pen in [8.0, 22.0] {
        let whole = digit_from_drawing(280, 280, drawn_seven(pen)).unwrap();
        let shrunk = drawing_at_working_size(280, 280, drawn_seven(pen)).unwrap();
        assert_eq!(shrunk.dimensions(), (140, 140));
        let (width, height) = shrunk.dimensions();
        let sent = digit_from_drawing(width, height, shrunk.into_raw()).unwrap();
        assert_eq!(sent.original, whole.original, "pen {pen}");
        assert_eq!(sent.digit, whole.digit, "pen {pen}");
        assert_eq!(sent.placement, whole.placement, "pen {pen}");
    }
}

#[test]
fn a_drawing_worked_on_at_half_size_gives_the_digit_of_its_full_size() {
    for pen in [8.0, 22.0] {
        let full = digit_from_rgba(280, 280, drawn_seven(pen)).unwrap();
        let halved = digit_from_drawing(280, 280, drawn_seven(pen)).unwrap();
        assert_eq!(halved.original.dimensions(), (140, 140), "pen {pen}");
        let similarity = correlation(full.digit.as_raw(), halved.digit.as_raw());
        assert!(similarity > 0.97, "pen {pen}: correlation {similarity}");
        let (full_x, full_y) = center_of_mass(full.digit.as_raw());
        let (x, y) = center_of_mass(halved.digit.as_raw());
        assert!(
            (x - full_x).abs() < 0.5 && (y - full_y).abs() < 0.5,
            "pen {pen}"
        );
        // The network input maps back onto the same part of the canvas, to a canvas pixel or two.
        let full_field = full.placement.field_on_original();
        for (a, b) in full_field.iter().zip(halved.placement.field_on_original()) {
            assert!((a - b).abs() * 280.0 < 2.5, "pen {pen}: {full_field:?}");
        }
    }
    // A transparent pixel's colour counts for nothing: on a layer of transparent white, every
    // other column of a square inked opaque black halves to black at half opacity (grey 128
    // over white paper), not to a mean of black and white at half opacity (191).
    let mut layer = [255, 255, 255, 0].repeat(280 * 280);
    for y in 100..200 {
        for x in (100..200).step_by(2) {
            layer[(y * 280 + x) * 4..][..4].copy_from_slice(&[0, 0, 0, 255]);
        }
    }
    let steps = digit_from_drawing(280, 280, layer).unwrap();
    assert!((127..=128).contains(&steps.original.get_pixel(75, 75).0[0]));
    // An odd side loses its last row or column.
    let odd = digit_from_drawing(281, 279, square_ink_at(100, 100, 281, 279, 60)).unwrap();
    assert_eq!(odd.original.dimensions(), (140, 139));
    let small = digit_from_drawing(100, 100, square_ink_at(30, 30, 100, 100, 40)).unwrap();
    assert_eq!(
        small.original.dimensions(),
        (100, 100),
        "a small drawing keeps its size"
    );
    assert!(matches!(
        digit_from_drawing(4, 4, vec![0; 7]),
        Err(PreprocessError::NotAnImage(_))
    ));
}
