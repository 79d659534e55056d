//! The seed's code written from the tree: the post's text exactly for the seed presets, the
//! same lines with other numbers for the browser presets, every tap built by some line.

use convscope::arch::{Family, Preset, PresetKind};
use convscope::lessons::code::seed_code;
use convscope::lessons::excerpt::{CONTINUATION_INDENT, ExcerptLine, code_excerpt};

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

fn excerpt(preset: &str, tap: &str) -> Vec<ExcerptLine> {
    let code = seed_code(&Preset::by_name(preset).unwrap().architecture()).unwrap();
    code_excerpt(&code, tap)
}

#[test]
fn a_taps_excerpt_is_its_lines_with_their_structure() {
    // A statement and the line that continues it inside its brackets.
    let stem = excerpt("resnet18-lite", "b1.conv");
    let shape: Vec<_> = stem
        .iter()
        .map(|l| (l.text.as_str(), l.indent, l.continues, l.after_gap))
        .collect();
    assert_eq!(
        shape,
        [
            (
                "b1 = nn.Sequential(nn.Conv2d(1, 8, kernel_size=7, stride=2, padding=3),",
                0,
                false,
                false
            ),
            (
                "nn.BatchNorm2d(8), nn.ReLU(),",
                CONTINUATION_INDENT,
                true,
                false
            ),
        ]
    );
    // An Inception block: its class (the lines about other taps left out between) and the
    // line that builds it in the network, nested as in the post.
    let block = excerpt("googlenet-lite", "b3.inception1");
    let line = |start: &str| {
        block
            .iter()
            .find(|l| l.text.starts_with(start))
            .unwrap_or_else(|| panic!("no line starts with {start}"))
    };
    assert_eq!(block[0].text, "class Inception(nn.Module):");
    assert_eq!((block[0].indent, block[0].after_gap), (0, false));
    let first_branch = line("self.p1_1 = nn.Conv2d(");
    assert_eq!((first_branch.indent, first_branch.after_gap), (8, true));
    assert!(!line("self.p2_1 =").after_gap);
    assert!(line("p1 = F.relu(").after_gap);
    let built = line("b3 = nn.Sequential(Inception(48,");
    assert_eq!((built.indent, built.after_gap), (8, true));
    assert!(!block.iter().any(|l| l.text.contains("Inception(64,")));
}

#[test]
fn every_taps_excerpt_keeps_its_lines_and_their_nesting() {
    let indent = |text: &str| text.len() - text.trim_start().len();
    for preset in Preset::ALL {
        let code = seed_code(&preset.architecture()).unwrap();
        for tap in preset.architecture().taps().unwrap() {
            let excerpt = code_excerpt(&code, &tap.name);
            let part_prefix = format!("{}.", tap.name);
            let wanted: Vec<_> = code
                .iter()
                .filter(|l| {
                    l.taps
                        .iter()
                        .any(|t| *t == tap.name || t.starts_with(&part_prefix))
                })
                .collect();
            let texts: Vec<_> = excerpt.iter().map(|l| l.text.as_str()).collect();
            let wanted_texts: Vec<_> = wanted.iter().map(|l| l.text.trim()).collect();
            assert_eq!(texts, wanted_texts, "{} {}", preset.name, tap.name);
            let statements = || excerpt.iter().zip(&wanted).filter(|(l, _)| !l.continues);
            assert_eq!(
                statements().map(|(l, _)| l.indent).min(),
                Some(0),
                "{} {}: the excerpt is not flush left",
                preset.name,
                tap.name
            );
            // A statement keeps its indent relative to the others; a continuation sits under its
            // statement.
            let least = statements().map(|(_, l)| indent(&l.text)).min().unwrap();
            let mut statement_indent = 0;
            for (line, original) in excerpt.iter().zip(&wanted) {
                if line.continues {
                    assert_eq!(line.indent, statement_indent + CONTINUATION_INDENT);
                } else {
                    assert_eq!(line.indent, indent(&original.text) - least);
                    statement_indent = line.indent;
                }
            }
        }
    }
}
