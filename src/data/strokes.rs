//! A drawing as the strokes that made it, written compactly enough for a URL: each stroke is
//! its brush width then its points, every number two base-36 digits (0 to 1295), strokes
//! joined by `.`. Only `0-9a-z.` appear, so the text needs no escaping in a query string.

/// One stroke of the pen: a brush width and the points it passed through, in canvas pixels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stroke {
    pub width: u16,
    pub points: Vec<[u16; 2]>,
}

/// The largest number a stroke can hold (two base-36 digits).
pub const STROKE_MAX: u16 = 36 * 36 - 1;

const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StrokesError {
    #[error("a stroke is not pairs of base-36 digits: {0:?}")]
    Malformed(String),
    #[error("a stroke has no points: {0:?}")]
    Empty(String),
}

fn push_number(text: &mut String, number: u16) {
    let number = number.min(STROKE_MAX) as usize;
    text.push(DIGITS[number / 36] as char);
    text.push(DIGITS[number % 36] as char);
}

fn digit(byte: u8) -> Option<u16> {
    DIGITS.iter().position(|&d| d == byte).map(|d| d as u16)
}

/// The strokes as text; numbers above [`STROKE_MAX`] are clamped to it.
pub fn encode_strokes(strokes: &[Stroke]) -> String {
    let mut text = String::with_capacity(strokes.iter().map(|s| 3 + 4 * s.points.len()).sum());
    for (index, stroke) in strokes.iter().enumerate() {
        if index > 0 {
            text.push('.');
        }
        push_number(&mut text, stroke.width);
        for [x, y] in &stroke.points {
            push_number(&mut text, *x);
            push_number(&mut text, *y);
        }
    }
    text
}

/// Reads [`encode_strokes`]'s text back; the empty text is no strokes.
pub fn decode_strokes(text: &str) -> Result<Vec<Stroke>, StrokesError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split('.')
        .map(|part| {
            let malformed = || StrokesError::Malformed(part.to_string());
            let numbers = part
                .as_bytes()
                .chunks(2)
                .map(|pair| match pair {
                    [high, low] => Some(digit(*high)? * 36 + digit(*low)?),
                    _ => None,
                })
                .collect::<Option<Vec<u16>>>()
                .ok_or_else(malformed)?;
            let (width, coordinates) = numbers.split_first().ok_or_else(malformed)?;
            if coordinates.len() % 2 != 0 {
                return Err(malformed());
            }
            if coordinates.is_empty() {
                return Err(StrokesError::Empty(part.to_string()));
            }
            Ok(Stroke {
                width: *width,
                points: coordinates.chunks(2).map(|xy| [xy[0], xy[1]]).collect(),
            })
        })
        .collect()
}
