//! The seed's code written from the tree: the post's text exactly for the seed presets, the
//! same lines with other numbers for the browser presets, every tap built by some line.

use convscope::arch::{Family, Preset, PresetKind};
use convscope::lessons::code::seed_code;

use crate::common;

/// The classes of `seed_models.py` (the post's code) that make `family`, as the file has them.
fn post_classes(family: Family) -> String {
    let source = std::fs::read_to_string(common::fixture("seed_models.py")).unwrap();
    let names: &[&str] = match family {
        Family::AlexNet => &["AlexNet"],
        Family::Vgg => &["VGGBlock", "VGGNet"],
        Family::GoogLeNet => &["Inception", "GoogLeNet"],
        Family::ResNet => &["Residual", "ResBlock", "ResNet"],
    };
    names
        .iter()
        .map(|name| {
            let start = source.find(&format!("class {name}(")).unwrap();
            let end = source[start..]
                .find("\n\n\n")
                .map_or(source.len(), |end| start + end);
            &source[start..end]
        })
        .collect::<Vec<_>>()
        .join("\n\n\n")
}

fn text(preset: &Preset) -> Vec<String> {
    seed_code(&preset.architecture())
        .unwrap()
        .into_iter()
        .map(|line| line.text)
        .collect()
}

#[test]
fn the_seed_presets_code_is_the_posts_code() {
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Seed) {
        let ours = text(preset).join("\n");
        let post = post_classes(preset.family);
        for (number, (a, b)) in ours.lines().zip(post.lines()).enumerate() {
            assert_eq!(a, b, "{}: line {}", preset.name, number + 1);
        }
        assert_eq!(
            ours.lines().count(),
            post.lines().count(),
            "{}",
            preset.name
        );
    }
}

#[test]
fn a_browser_preset_differs_from_the_post_in_numbers_only() {
    let strip = |line: &str| {
        line.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        let seed = Preset::ALL
            .iter()
            .find(|p| p.kind == PresetKind::Seed && p.family == preset.family)
            .unwrap();
        let (ours, post) = (text(preset), text(seed));
        assert_eq!(ours.len(), post.len(), "{}", preset.name);
        let differing = ours.iter().zip(&post).filter(|(a, b)| a != b).count();
        assert!(
            differing > 0,
            "{}: the same numbers as the post",
            preset.name
        );
        for (a, b) in ours.iter().zip(&post) {
            assert_eq!(strip(a), strip(b), "{}", preset.name);
        }
    }
}

#[test]
fn every_tap_is_built_by_a_line_and_lines_name_real_taps() {
    for preset in Preset::ALL {
        let taps = preset.architecture().taps().unwrap();
        let lines = seed_code(&preset.architecture()).unwrap();
        for tap in &taps {
            assert!(
                lines.iter().any(|line| line.taps.contains(&tap.name)),
                "{}: no line builds {}",
                preset.name,
                tap.name
            );
        }
        for line in &lines {
            for name in &line.taps {
                assert!(
                    taps.iter().any(|t| &t.name == name),
                    "{}: {name}",
                    preset.name
                );
            }
        }
    }
    // One module, one line: AlexNet's first convolution and its ReLU share a line.
    let lines = seed_code(&Preset::by_name("alexnet").unwrap().architecture()).unwrap();
    let conv1: Vec<_> = lines
        .iter()
        .filter(|l| l.builds_one && l.taps.contains(&"conv1".to_string()))
        .collect();
    assert_eq!(conv1.len(), 1);
    assert!(
        conv1[0]
            .text
            .contains("nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU()")
    );
}
