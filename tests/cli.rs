//! The `convscope` command line, as acceptance checks run it.

use crate::common;

use std::process::{Command, Output};

fn convscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convscope"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout_json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

fn fixture(path: &str) -> String {
    common::fixture(path).display().to_string()
}

/// Non-zero exit and a single readable line, no panic or backtrace.
fn assert_clean_error(output: &Output, expected: &str) {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked")
            && !stderr.contains("internal error")
            && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
}

#[test]
fn list_names_every_preset() {
    let output = convscope(&["list"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for name in [
        "alexnet",
        "vgg",
        "googlenet",
        "resnet18",
        "alexnet-lite",
        "vgg-lite",
        "googlenet-lite",
        "resnet18-lite",
    ] {
        assert!(
            text.lines()
                .any(|line| line.split_whitespace().next() == Some(name)),
            "{name} in {text}"
        );
    }
}

#[test]
fn summary_json_has_pytorchs_totals() {
    let seeds = common::read_json("seed_models.json");
    for name in ["alexnet", "vgg", "googlenet", "resnet18"] {
        let summary = stdout_json(&convscope(&["summary", "--arch", name, "--json"]));
        assert_eq!(
            summary["total_params"], seeds[name]["total_params"],
            "{name}"
        );
        let layers = summary["layers"].as_array().unwrap();
        assert_eq!(
            layers.len(),
            seeds[name]["layers"].as_array().unwrap().len()
        );
        for layer in layers {
            assert!(layer["name"].is_string() && layer["output_shape"].is_array());
            assert!(layer["params"].is_u64() && layer["macs"].is_u64());
        }
    }
    let resized = stdout_json(&convscope(&[
        "summary",
        "--arch",
        "resnet18",
        "--input-size",
        "1x64x64",
        "--json",
    ]));
    assert_eq!(resized["total_params"], seeds["resnet18"]["total_params"]);
    assert_eq!(
        resized["layers"][0]["output_shape"],
        serde_json::json!([1, 64, 32, 32])
    );
}

#[test]
fn the_summary_says_where_the_weights_and_the_work_are() {
    let printed = |name: &str| {
        let output = convscope(&["summary", "--arch", name]);
        assert!(output.status.success(), "{name}");
        String::from_utf8(output.stdout).unwrap()
    };
    let alexnet = printed("alexnet");
    assert!(
        alexnet.contains("linear layers: 92% of the parameters, 4.6% of the MACs"),
        "{alexnet}"
    );
    let lite = printed("alexnet-lite");
    assert!(
        lite.contains("one pixel of conv3 (net.7) and later maps sees the whole input: 99 px"),
        "{lite}"
    );
}

#[test]
fn infer_on_a_npy_tensor_matches_pytorch() {
    for variant in [
        "alexnet-lite",
        "vgg-lite",
        "googlenet-lite",
        "resnet18-lite",
    ] {
        let weights = fixture(&format!("parity/{variant}/weights.safetensors"));
        let input = fixture(&format!("parity/{variant}/input.npy"));
        let result = stdout_json(&convscope(&[
            "infer",
            "--arch",
            variant,
            "--weights",
            &weights,
            "--input",
            &input,
            "--json",
        ]));
        let expected = common::read_json(&format!("parity/{variant}/expected.json"));
        let logits: Vec<f64> = serde_json::from_value(result["logits"].clone()).unwrap();
        let expected: Vec<f64> = serde_json::from_value(expected["logits"].clone()).unwrap();
        for (ours, theirs) in logits.iter().zip(&expected) {
            assert!(
                (ours - theirs).abs() < 1e-3 * theirs.abs().max(1.0),
                "{variant}: {logits:?} vs {expected:?}"
            );
        }
        let probabilities: Vec<f64> =
            serde_json::from_value(result["probabilities"].clone()).unwrap();
        assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-5);
        let argmax = expected
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        assert_eq!(result["class"], argmax);
    }
}

#[test]
fn infer_reads_images_with_the_shipped_weights() {
    for preset in [
        "alexnet-lite",
        "vgg-lite",
        "googlenet-lite",
        "resnet18-lite",
    ] {
        for (file, digit) in [
            ("7_photo.jpg", 7),
            ("2_transparent.png", 2),
            ("1_dark.png", 1),
            ("0_white.bmp", 0),
        ] {
            let result = stdout_json(&convscope(&[
                "infer",
                "--arch",
                preset,
                "--input",
                &fixture(&format!("images/{file}")),
                "--json",
            ]));
            assert_eq!(result["class"], digit, "{preset} on {file}: {result}");
        }
    }
}

#[test]
fn infer_classifies_an_mnist_test_digit_by_index() {
    // Test digit 0 is a 7.
    let result = stdout_json(&convscope(&[
        "infer",
        "--arch",
        "resnet18-lite",
        "--mnist-test",
        "0",
        "--json",
    ]));
    assert_eq!(result["class"], 7, "{result}");
    assert_clean_error(
        &convscope(&["infer", "--arch", "resnet18-lite", "--mnist-test", "10000"]),
        "0 to 9999",
    );
}

#[test]
fn the_tree_lists_each_composite_blocks_convolutions() {
    let tree = stdout_json(&convscope(&["summary", "--arch", "googlenet", "--tree"]));
    let text = tree.to_string();
    // The seed's first Inception block: Inception(192, 64, (96, 128), (16, 32), 32).
    let first = find_op(&tree, "Inception").expect("an Inception block");
    let convs: Vec<(String, u64, u64, u64, u64)> = first["convs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|conv| {
            (
                conv["key"].as_str().unwrap().to_string(),
                conv["path"].as_u64().unwrap(),
                conv["in_channels"].as_u64().unwrap(),
                conv["spec"]["out_channels"].as_u64().unwrap(),
                conv["spec"]["kernel"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("p1_1", 0, 192, 64, 1),
        ("p2_1", 1, 192, 96, 1),
        ("p2_2", 1, 96, 128, 3),
        ("p3_1", 2, 192, 16, 1),
        ("p3_2", 2, 16, 32, 5),
        ("p4_2", 3, 192, 32, 1),
    ]
    .map(|(key, path, input, output, kernel)| (key.to_string(), path, input, output, kernel));
    assert_eq!(convs, expected, "{text:.400}");
    assert_eq!(first["branch4_pool"]["kernel"], 3);
    let tree = stdout_json(&convscope(&["summary", "--arch", "resnet18", "--tree"]));
    let mut residuals = Vec::new();
    collect_ops(&tree, "Residual", &mut residuals);
    assert_eq!(residuals.len(), 8);
    for residual in residuals {
        let spec = &residual["op"]["Residual"];
        let convs = residual["convs"].as_array().unwrap();
        let with_shortcut = spec["use_1x1conv"].as_bool().unwrap();
        assert_eq!(convs.len(), if with_shortcut { 3 } else { 2 });
        assert_eq!(convs[0]["spec"]["stride"], spec["stride"]);
        if with_shortcut {
            assert_eq!(convs[2]["key"], "conv3");
            assert_eq!(convs[2]["path"], 1);
            assert_eq!(convs[2]["spec"]["kernel"], 1);
            assert_eq!(convs[2]["spec"]["stride"], spec["stride"]);
        }
    }
}

/// Every node of the tree whose op is `kind`, in order.
fn collect_ops<'a>(
    value: &'a serde_json::Value,
    kind: &str,
    found: &mut Vec<&'a serde_json::Value>,
) {
    match value {
        serde_json::Value::Object(fields) => {
            if fields.get("op").is_some_and(|op| op.get(kind).is_some()) {
                found.push(value);
            }
            fields
                .values()
                .for_each(|child| collect_ops(child, kind, found));
        }
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|child| collect_ops(child, kind, found)),
        _ => {}
    }
}

fn find_op<'a>(value: &'a serde_json::Value, kind: &str) -> Option<&'a serde_json::Value> {
    let mut found = Vec::new();
    collect_ops(value, kind, &mut found);
    found.first().copied()
}

#[test]
fn eval_reports_accuracy_as_json() {
    let result = stdout_json(&convscope(&[
        "eval",
        "--arch",
        "resnet18-lite",
        "--limit",
        "500",
        "--json",
    ]));
    let accuracy = result["accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.97, "{result}");
    assert_eq!(result["total"], 500);
}

#[test]
fn eval_with_knockouts_names_them_and_costs_accuracy() {
    let eval = |knockouts: &[&str]| {
        let mut args = vec![
            "eval",
            "--arch",
            "googlenet-lite",
            "--limit",
            "300",
            "--json",
        ];
        for target in knockouts {
            args.extend(["--knockout", target]);
        }
        stdout_json(&convscope(&args))
    };
    let intact = eval(&[]);
    let knocked = eval(&[
        "b3.inception1.branch1",
        "b3.inception1.branch2",
        "b1.conv:3",
    ]);
    assert_eq!(
        knocked["knockouts"],
        serde_json::json!([
            "b1.conv:3",
            "b3.inception1.branch1",
            "b3.inception1.branch2"
        ])
    );
    assert!(
        knocked["accuracy"].as_f64() < intact["accuracy"].as_f64(),
        "{knocked} vs {intact}"
    );
}

/// The CLI's defaults are the app's: each network's recommended run from scratch.
#[test]
fn train_defaults_to_the_networks_recommended_run() {
    let dir = std::env::temp_dir().join(format!("convscope-cli-defaults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("w.safetensors").display().to_string();
    let first_line = |args: &[&str]| {
        let output = convscope(args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        text.lines().next().unwrap_or_default().to_string()
    };
    let googlenet = first_line(&[
        "train",
        "--arch",
        "googlenet-lite",
        "--train-size",
        "64",
        "--out",
        &out,
    ]);
    assert!(
        googlenet
            .contains("on 64 MNIST images, 1 epoch(s), batch 32, adam lr 0.001 (warmup-cosine"),
        "{googlenet}"
    );
    let vgg = first_line(&[
        "train",
        "--arch",
        "vgg-lite",
        "--train-size",
        "64",
        "--out",
        &out,
    ]);
    assert!(vgg.contains("batch 32, adam lr 0.002 "), "{vgg}");
    let vgg_sgd = first_line(&[
        "train",
        "--arch",
        "vgg-lite",
        "--train-size",
        "64",
        "--optimizer",
        "sgd",
        "--out",
        &out,
    ]);
    assert!(vgg_sgd.contains("batch 32, sgd lr 0.05 "), "{vgg_sgd}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn train_saves_weights_that_eval_and_infer_accept() {
    let dir = std::env::temp_dir().join(format!("convscope-cli-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("trained.safetensors").display().to_string();
    let output = convscope(&[
        "train",
        "--arch",
        "resnet18-lite",
        "--epochs",
        "1",
        "--train-size",
        "1024",
        "--batch",
        "32",
        "--optimizer",
        "adam",
        "--lr",
        "0.002",
        "--schedule",
        "warmup-cosine",
        "--out",
        &out,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("(warmup-cosine schedule)")
            && text.contains("epoch 1/1")
            && text.contains("test accuracy"),
        "{text}"
    );
    let result = stdout_json(&convscope(&[
        "eval",
        "--arch",
        "resnet18-lite",
        "--weights",
        &out,
        "--limit",
        "200",
        "--json",
    ]));
    assert!(result["accuracy"].as_f64().unwrap() > 0.3, "{result}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_error_is_one_clean_line() {
    let weights = |v: &str| fixture(&format!("parity/{v}/weights.safetensors"));
    let input = |v: &str| fixture(&format!("parity/{v}/input.npy"));
    let dir = std::env::temp_dir().join(format!("convscope-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let truncated = dir.join("truncated.safetensors");
    let bytes = std::fs::read(weights("resnet18-lite")).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let truncated = truncated.display().to_string();

    assert_clean_error(
        &convscope(&["summary", "--arch", "lenet"]),
        "unknown network `lenet`",
    );
    assert_clean_error(&convscope(&["summary"]), "--arch");
    assert_clean_error(&convscope(&["frobnicate"]), "frobnicate");
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "resnet18-lite",
            "--input",
            "/nonexistent.png",
        ]),
        "cannot read /nonexistent.png",
    );
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "resnet18-lite",
            "--weights",
            &weights("alexnet-lite"),
            "--input",
            &input("resnet18-lite"),
        ]),
        "they fit `alexnet-lite`",
    );
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "resnet18-lite",
            "--weights",
            &truncated,
            "--input",
            &input("resnet18-lite"),
        ]),
        "truncated",
    );
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "alexnet-lite",
            "--weights",
            &weights("alexnet-lite"),
            "--input",
            &input("resnet18-lite"),
        ]),
        "96×96",
    );
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "resnet18-lite",
            "--input",
            &fixture("images/not_an_image.png"),
        ]),
        "not an image",
    );
    assert_clean_error(
        &convscope(&[
            "infer",
            "--arch",
            "resnet18-lite",
            "--input",
            &fixture("images/blank.png"),
        ]),
        "no digit",
    );
    assert_clean_error(&convscope(&["eval", "--arch", "resnet18"]), "--weights");
    assert_clean_error(
        &convscope(&["eval", "--arch", "alexnet-lite", "--knockout", "conv3"]),
        "cannot be switched off whole",
    );
    assert_clean_error(
        &convscope(&[
            "train",
            "--arch",
            "vgg-lite",
            "--epochs",
            "1",
            "--train-size",
            "256",
            "--batch",
            "32",
            "--lr",
            "1e12",
            "--optimizer",
            "sgd",
            "--out",
            &dir.join("x.safetensors").display().to_string(),
        ]),
        "diverged",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn race_trains_each_network_on_its_budget_and_reports_the_standing() {
    let standing = stdout_json(&convscope(&[
        "race",
        "--archs",
        "vgg-lite,resnet18-lite",
        "--images",
        "256",
        "--test-digits",
        "100",
        "--json",
    ]));
    let lanes = standing["lanes"].as_array().unwrap();
    assert_eq!(lanes.len(), 2);
    for (lane, preset) in lanes.iter().zip(["vgg-lite", "resnet18-lite"]) {
        assert_eq!(lane["preset"], preset);
        assert_eq!(lane["images"], 256);
        assert_eq!(lane["steps"], 4);
        assert_eq!(lane["accuracies"].as_array().unwrap().len(), 4, "{lane}");
        assert!(lane["seconds"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(standing["config"]["order"], "interleaved");
    assert_clean_error(
        &convscope(&["race", "--archs", "vgg-lite", "--images", "64"]),
        "2 to 4 networks",
    );
    assert_clean_error(
        &convscope(&["race", "--archs", "vgg-lite,resnet18-lite"]),
        "--images",
    );
}
