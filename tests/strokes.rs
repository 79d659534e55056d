//! A drawing's strokes as URL text, and back.

use convscope::data::{STROKE_MAX, Stroke, decode_strokes, encode_strokes};

#[test]
fn strokes_survive_their_text_and_bad_text_is_refused() {
    let strokes = vec![
        Stroke {
            width: 22,
            points: vec![[0, 0], [279, 140], [35, 36]],
        },
        Stroke {
            width: 8,
            points: vec![[STROKE_MAX, 1]],
        },
    ];
    let text = encode_strokes(&strokes);
    // Width, then x and y per point, two base-36 digits each.
    assert_eq!(text, "0m00007r3w0z10.08zz01");
    assert_eq!(decode_strokes(&text).unwrap(), strokes);
    assert_eq!(decode_strokes("").unwrap(), vec![]);
    for bad in ["0m0", "0m00a", "0m", "0M0000", "0m0000..0m0000", "0m00-0"] {
        assert!(decode_strokes(bad).is_err(), "{bad:?} was read");
    }
}
