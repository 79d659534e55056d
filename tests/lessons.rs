//! The lessons: length in both languages, and every point names taps of every preset.

use convscope::arch::{Family, Preset};
use convscope::lessons::{Focus, in_stop, lesson};

use crate::common::summary;

fn names(preset: &str, focus: Focus) -> Vec<String> {
    let taps = Preset::by_name(preset)
        .unwrap()
        .architecture()
        .taps()
        .unwrap();
    focus.select(&taps)
}

#[test]
fn every_lesson_is_150_to_300_words_in_both_languages() {
    for family in [
        Family::AlexNet,
        Family::Vgg,
        Family::GoogLeNet,
        Family::ResNet,
    ] {
        let lesson = lesson(family);
        let texts = std::iter::once(lesson.intro).chain(lesson.points.iter().map(|p| p.text));
        let (mut english_words, mut chinese_chars) = (0, 0);
        for text in texts {
            english_words += text.en.split_whitespace().count();
            chinese_chars += text
                .zh
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            for english in [" the ", " and ", " of "] {
                assert!(
                    !text.zh.contains(english),
                    "{family:?}: English in {}",
                    text.zh
                );
            }
        }
        assert!(
            (150..=300).contains(&english_words),
            "{family:?}: {english_words} English words"
        );
        // About 1.5 Chinese characters per English word.
        assert!(
            (225..=600).contains(&chinese_chars),
            "{family:?}: {chinese_chars} Chinese characters"
        );
    }
}

#[test]
fn every_point_names_taps_of_every_preset_of_its_family() {
    for preset in Preset::ALL {
        let taps = preset.architecture().taps().unwrap();
        for point in lesson(preset.family).points {
            let picked = point.focus.select(&taps);
            assert!(
                !picked.is_empty(),
                "{}: {:?} picks nothing",
                preset.name,
                point.focus
            );
            for name in &picked {
                assert!(
                    taps.iter().any(|t| &t.name == name),
                    "{}: {name} is no tap",
                    preset.name
                );
            }
        }
    }
}

#[test]
fn focus_rules_pick_the_blocks_a_reader_would_name() {
    assert_eq!(
        names("alexnet-lite", Focus::FirstAndLastConv),
        ["conv1", "conv5"]
    );
    assert_eq!(
        names("vgg", Focus::StackedConvs),
        [
            "block3.conv1",
            "block3.conv2",
            "block4.conv1",
            "block4.conv2",
            "block5.conv1",
            "block5.conv2"
        ]
    );
    assert_eq!(
        names("googlenet-lite", Focus::FirstInceptionBranches),
        [
            "b3.inception1.branch1",
            "b3.inception1.branch2",
            "b3.inception1.branch3",
            "b3.inception1.branch4"
        ]
    );
    // The first block of stages 3, 4 and 5 halves the size and doubles the channels.
    assert_eq!(
        names("resnet18", Focus::ProjectedShortcuts),
        [
            "b3.residual1.shortcut",
            "b4.residual1.shortcut",
            "b5.residual1.shortcut"
        ]
    );
    assert_eq!(names("resnet18-lite", Focus::IdentityShortcuts).len(), 5);
    assert_eq!(
        names("resnet18-lite", Focus::FirstResidualBlock),
        ["b2.residual1.main", "b2.residual1.shortcut", "b2.residual1"]
    );
}

#[test]
fn a_class_walks_every_network_block_by_block_and_each_lesson_point_has_a_stop() {
    use convscope::lessons::{points_about, walk_stops};
    for preset in Preset::ALL {
        let taps = preset.architecture().taps().unwrap();
        let stops = walk_stops(&taps);
        // Forward order, no block parts; every part belongs to a stop.
        let order: Vec<&String> = taps
            .iter()
            .map(|t| &t.name)
            .filter(|n| stops.contains(n))
            .collect();
        assert_eq!(order, stops.iter().collect::<Vec<_>>(), "{preset}");
        for tap in &taps {
            let covered = stops
                .iter()
                .any(|s| *s == tap.name || tap.name.starts_with(&format!("{s}.")));
            assert!(covered, "{preset}: {} is at no stop", tap.name);
        }
        assert!(
            !stops
                .iter()
                .any(|s| s.ends_with(".main") || s.contains(".branch")),
            "{preset}: {stops:?}"
        );
        let lesson = lesson(preset.family);
        for point in lesson.points {
            let at = stops.iter().filter(|stop| {
                points_about(lesson, &taps, stop)
                    .iter()
                    .any(|p| std::ptr::eq(*p, point))
            });
            assert!(
                at.count() > 0,
                "{preset}: no stop tells {:?}",
                point.text.en
            );
        }
    }
    // ResNet: the first residual block's stop tells the points about its shortcut.
    let resnet = Preset::by_name("resnet18-lite").unwrap();
    let taps = resnet.architecture().taps().unwrap();
    let about = points_about(lesson(Family::ResNet), &taps, "b2.residual1");
    assert!(
        about.iter().any(|p| matches!(
            p.focus,
            Focus::IdentityShortcuts | Focus::FirstResidualBlock
        )),
        "{about:?}"
    );
}

#[test]
fn a_stop_holds_its_own_tap_and_its_parts_only() {
    assert!(in_stop("b3.inception1", "b3.inception1"));
    assert!(in_stop("b3.inception1.branch2", "b3.inception1"));
    assert!(!in_stop("b3.inception10", "b3.inception1"));
    assert!(!in_stop("b3", "b3.inception1"));
    assert!(!in_stop("b4.inception1", "b3.inception1"));
}

#[test]
fn the_vgg_lessons_figures_are_the_networks() {
    let point = lesson(Family::Vgg).points[3].text;
    let seed = summary("vgg");
    let first_linear = seed.layers.iter().find(|row| row.kind == "Linear").unwrap();
    let millions = |count: u64| (count as f64 / 1e6).round() as u64;
    assert_eq!(
        (millions(first_linear.params), millions(seed.total_params)),
        (103, 129)
    );
    assert!(
        point.en.contains("holds 103 of its 129 million"),
        "{}",
        point.en
    );
    assert!(point.zh.contains("1.29 亿参数中的 1.03 亿"), "{}", point.zh);
    // The browser version's classifier: 128 units, under half of its weights.
    let lite = summary("vgg-lite");
    let hidden = lite.layers.iter().find(|row| row.kind == "Linear").unwrap();
    assert_eq!(hidden.output_shape, [1, 128]);
    assert!(lite.linear_share().params < 0.5);
    assert!(point.en.contains("(128 units)") && point.zh.contains("128 个单元"));
}

/// The whole class in one walk: → from AlexNet's title card visits each browser network's title
/// and then every one of its stops, in the post's order, then the four together; ← retraces it
/// exactly. The seeds walk the seeds and end at ResNet-18's last block.
#[test]
fn a_class_walks_on_through_the_four_networks_in_the_posts_order_and_back() {
    use convscope::arch::PresetKind;
    use convscope::lessons::{Place, walk_networks, walk_stops};
    let names = |kind| -> Vec<&str> { walk_networks(kind).iter().map(|p| p.name).collect() };
    assert_eq!(
        names(PresetKind::Browser),
        [
            "alexnet-lite",
            "vgg-lite",
            "googlenet-lite",
            "resnet18-lite"
        ]
    );
    assert_eq!(
        names(PresetKind::Seed),
        ["alexnet", "vgg", "googlenet", "resnet18"]
    );

    for kind in [PresetKind::Browser, PresetKind::Seed] {
        let networks = walk_networks(kind);
        let mut expected = Vec::new();
        for preset in &networks {
            expected.push(Some((preset.name, None)));
            let taps = preset.architecture().taps().unwrap();
            expected.extend(
                walk_stops(&taps)
                    .into_iter()
                    .map(|s| Some((preset.name, Some(s)))),
            );
        }
        if kind == PresetKind::Browser {
            expected.push(None);
        }
        let start = Place::at(networks[0], None);
        assert_eq!(start, Place::Title(networks[0]));
        assert_eq!(
            start.previous(),
            None,
            "the walk has nothing before AlexNet's title"
        );
        let mut forward = vec![start];
        while let Some(next) = forward.last().unwrap().next() {
            forward.push(next);
        }
        let visited: Vec<Option<(&str, Option<String>)>> = forward
            .iter()
            .map(|p| p.preset().map(|preset| (preset.name, p.tap())))
            .collect();
        assert_eq!(visited, expected, "{kind:?}");

        let mut backward = vec![forward.last().unwrap().clone()];
        while let Some(previous) = backward.last().unwrap().previous() {
            backward.push(previous);
        }
        backward.reverse();
        assert_eq!(backward, forward, "{kind:?}");
    }

    // A block's part stands at its block; a tap the network lacks, at its title card.
    let googlenet = Preset::by_name("googlenet-lite").unwrap();
    let at_branch = Place::at(googlenet, Some("b3.inception1.branch2"));
    assert_eq!(at_branch.tap().as_deref(), Some("b3.inception1"));
    assert_eq!(Place::at(googlenet, Some("conv5")), Place::Title(googlenet));
}
