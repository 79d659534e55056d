//! Viridis, the perceptually uniform colormap, as a 256-entry lookup table.

use std::sync::OnceLock;

/// Matt Zucker's degree-6 polynomial fit of matplotlib's viridis (CC0), per channel.
const COEFFICIENTS: [[f64; 3]; 7] = [
    [
        0.277_727_327_223_417_7,
        0.005_407_344_544_966_578,
        0.334_099_805_335_306_1,
    ],
    [
        0.105_093_043_108_577_4,
        1.404_613_529_898_575,
        1.384_590_162_594_685,
    ],
    [
        -0.330_861_828_725_556_3,
        0.214_847_559_468_213,
        0.095_095_163_028_236_59,
    ],
    [
        -4.634_230_498_983_486,
        -5.799_100_973_351_585,
        -19.332_440_956_279_87,
    ],
    [
        6.228_269_936_347_081,
        14.179_933_366_805_09,
        56.690_552_600_681_05,
    ],
    [
        4.776_384_997_670_288,
        -13.745_145_377_746_01,
        -65.353_032_633_372_34,
    ],
    [
        -5.435_455_855_934_631,
        4.645_852_612_178_535,
        26.312_435_249_583_2,
    ],
];

fn viridis(t: f64) -> [u8; 3] {
    let mut rgb = [0u8; 3];
    for (channel, value) in rgb.iter_mut().enumerate() {
        let v = COEFFICIENTS
            .iter()
            .rev()
            .fold(0.0, |acc, c| acc * t + c[channel]);
        *value = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    }
    rgb
}

/// Colors of the levels 0..=255.
pub fn lut() -> &'static [[u8; 3]; 256] {
    static LUT: OnceLock<[[u8; 3]; 256]> = OnceLock::new();
    LUT.get_or_init(|| std::array::from_fn(|level| viridis(level as f64 / 255.0)))
}

/// A CSS gradient of the colormap, for legends.
pub fn css_gradient() -> String {
    let stops: Vec<String> = (0..=8)
        .map(|i| {
            let [r, g, b] = lut()[i * 255 / 8];
            format!("rgb({r},{g},{b}) {}%", i * 100 / 8)
        })
        .collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}
