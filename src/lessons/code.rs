//! The seed's PyTorch code of a network, written from its tree: for a seed preset it is the
//! post's code character for character (a test holds it to `tests/fixtures/seed_models.py`);
//! for a browser preset it is the same code with that preset's numbers. Every line knows the
//! taps it builds, from the tree (the modules it constructs) or, for the code of a class that
//! every block shares, from a rule over the tap list.

use std::collections::HashMap;

use super::Focus;
use crate::arch::{Architecture, Family, Node, Op, Shape, ShapeError, TapInfo, TapKind};

/// One line of code and the taps it builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLine {
    pub text: String,
    pub taps: Vec<String>,
    /// The line builds one module of the network (not the code of a shared class).
    pub builds_one: bool,
}

/// Where each module sits: its input shape and its tap, by module path.
struct Modules {
    input: HashMap<String, Shape>,
    taps: Vec<TapInfo>,
}

impl Modules {
    fn of(architecture: &Architecture) -> Result<Self, ShapeError> {
        let mut input = HashMap::new();
        architecture.walk(&mut |visit| {
            input.insert(visit.path.clone(), visit.input);
        })?;
        Ok(Self {
            input,
            taps: architecture.taps()?,
        })
    }

    fn channels(&self, path: &str) -> usize {
        match self.input.get(path) {
            Some(Shape::Map { channels, .. }) => *channels,
            Some(Shape::Flat(features)) => *features,
            None => 0,
        }
    }

    /// The tap named `name` and every tap inside it (an Inception block's branches…).
    fn within(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.");
        self.taps
            .iter()
            .filter(|t| t.name == name || t.name.starts_with(&prefix))
            .map(|t| t.name.clone())
            .collect()
    }
}

/// A module as the seed writes its constructor.
fn constructor(op: &Op, in_channels: usize) -> String {
    match op {
        Op::Conv2d(spec) => {
            let mut text = format!(
                "nn.Conv2d({in_channels}, {}, kernel_size={}",
                spec.out_channels, spec.kernel
            );
            if spec.stride != 1 {
                text += &format!(", stride={}", spec.stride);
            }
            if spec.padding != 0 {
                text += &format!(", padding={}", spec.padding);
            }
            text + ")"
        }
        Op::BatchNorm2d => format!("nn.BatchNorm2d({in_channels})"),
        Op::Relu => "nn.ReLU()".into(),
        Op::MaxPool2d(pool) if pool.padding == 0 => {
            format!(
                "nn.MaxPool2d(kernel_size={}, stride={})",
                pool.kernel, pool.stride
            )
        }
        Op::MaxPool2d(pool) => format!(
            "nn.MaxPool2d(kernel_size={}, stride={}, padding={})",
            pool.kernel, pool.stride, pool.padding
        ),
        Op::GlobalAvgPool2d => "nn.AdaptiveAvgPool2d((1, 1))".into(),
        Op::Flatten => "nn.Flatten()".into(),
        Op::Dropout { prob } => format!("nn.Dropout(p={prob})"),
        Op::Linear { out_features } => format!("nn.Linear({in_channels}, {out_features})"),
        Op::Inception(spec) => format!(
            "Inception({in_channels}, {}, ({}, {}), ({}, {}), {})",
            spec.c1, spec.c2[0], spec.c2[1], spec.c3[0], spec.c3[1], spec.c4
        ),
        Op::Sequential(_) | Op::Residual(_) => String::new(),
    }
}

/// A line of a shared class: the taps a rule picks.
fn shared(text: &str, focus: Option<Focus>, modules: &Modules) -> CodeLine {
    CodeLine {
        text: text.to_string(),
        taps: focus.map(|f| f.select(&modules.taps)).unwrap_or_default(),
        builds_one: false,
    }
}

fn built(text: String, taps: Vec<String>) -> CodeLine {
    CodeLine {
        text,
        builds_one: !taps.is_empty(),
        taps,
    }
}

fn child_path(parent: &str, node: &Node) -> String {
    crate::arch::walk_join(parent, &node.key)
}

/// The tap a module's line builds: its own, the activation a convolution or a batch norm feeds
/// (the next tapped ReLU of its sequential), or else its sequential's (a block's closing pool).
fn line_taps(
    children: &[Node],
    index: usize,
    parent_tap: Option<&str>,
    scope: &str,
    modules: &Modules,
) -> Vec<String> {
    let node = &children[index];
    let scoped = |name: &str| crate::arch::walk_join(scope, name);
    match (&node.name, &node.op) {
        (Some(name), _) if node.tapped => modules.within(&scoped(name)),
        (_, Op::Conv2d(_) | Op::BatchNorm2d | Op::Linear { .. }) => children[index + 1..]
            .iter()
            .take_while(|next| matches!(next.op, Op::Relu | Op::BatchNorm2d))
            .find_map(|next| next.name.as_deref().filter(|_| next.tapped))
            .map(|name| modules.within(&scoped(name)))
            .unwrap_or_default(),
        _ => parent_tap
            .map(|tap| vec![tap.to_string()])
            .unwrap_or_default(),
    }
}

/// A sequential's modules, one per line (`first` leads the first line, `rest` the others),
/// `together` keeping a module on its predecessor's line; the last line closes the call.
fn item_lines(
    node: &Node,
    parent: &str,
    modules: &Modules,
    [first, rest]: [&str; 2],
    together: fn(&Op, &Op) -> bool,
) -> Vec<CodeLine> {
    let children = sequential_children(node);
    let path = child_path(parent, node);
    let scope = node.name.clone().unwrap_or_default();
    let parent_tap = node.tapped.then_some(scope.as_str());
    let mut lines: Vec<CodeLine> = Vec::new();
    for (index, child) in children.iter().enumerate() {
        let text = constructor(&child.op, modules.channels(&child_path(&path, child)));
        let taps = line_taps(children, index, parent_tap, &scope, modules);
        let joins = index > 0 && together(&children[index - 1].op, &child.op);
        match lines.last_mut() {
            Some(line) if joins => {
                line.text += &format!(" {text},");
                for tap in taps {
                    if !line.taps.contains(&tap) {
                        line.taps.push(tap);
                    }
                }
                line.builds_one = !line.taps.is_empty();
            }
            _ => {
                let lead = if index == 0 { first } else { rest };
                lines.push(built(format!("{lead}{text},"), taps));
            }
        }
    }
    close(&mut lines, ")");
    lines
}

/// `name = nn.Sequential(item,` then one item per line aligned under the first, as the seed's
/// GoogLeNet and ResNet write their stages.
fn stage_lines(
    head: &str,
    node: &Node,
    modules: &Modules,
    together: fn(&Op, &Op) -> bool,
) -> Vec<CodeLine> {
    let opening = format!("        {head} = nn.Sequential(");
    let indent = " ".repeat(opening.len());
    item_lines(node, "net", modules, [&opening, &indent], together)
}

/// Ends the last line's item list with `closing` instead of a comma.
fn close(lines: &mut [CodeLine], closing: &str) {
    if let Some(last) = lines.last_mut()
        && last.text.ends_with(',')
    {
        last.text.pop();
        last.text += closing;
    }
}

fn forward(body: &str) -> [CodeLine; 3] {
    [
        built(String::new(), vec![]),
        built("    def forward(self, x):".into(), vec![]),
        built(format!("        {body}"), vec![]),
    ]
}

fn plain(texts: &[&str]) -> Vec<CodeLine> {
    texts
        .iter()
        .map(|text| built(text.to_string(), vec![]))
        .collect()
}

fn sequential_children(node: &Node) -> &[Node] {
    match &node.op {
        Op::Sequential(children) => children,
        _ => &[],
    }
}

fn alexnet(architecture: &Architecture, modules: &Modules) -> Vec<CodeLine> {
    let mut lines = plain(&[
        "class AlexNet(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        "        self.net = nn.Sequential(",
    ]);
    // A convolution or a linear layer shares its line with its ReLU.
    let body = item_lines(
        &architecture.root[0],
        "",
        modules,
        ["            "; 2],
        |_, op| matches!(op, Op::Relu),
    );
    lines.extend(body);
    lines.extend(forward("return self.net(x)"));
    lines
}

fn vgg(architecture: &Architecture, modules: &Modules) -> Vec<CodeLine> {
    let convs = Some(Focus::Every(TapKind::Conv));
    let blocks = Some(Focus::Every(TapKind::Block));
    let mut lines: Vec<CodeLine> = [
        ("class VGGBlock(nn.Module):", blocks),
        ("    def __init__(self, num_convs, in_channels, out_channels):", None),
        ("        super().__init__()", None),
        ("        layers = []", None),
        ("        for _ in range(num_convs):", convs),
        (
            "            layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))",
            convs,
        ),
        ("            layers.append(nn.ReLU())", convs),
        ("            in_channels = out_channels", None),
        ("        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))", blocks),
        ("        self.net = nn.Sequential(*layers)", None),
    ]
    .into_iter()
    .map(|(text, focus)| shared(text, focus, modules))
    .collect();
    lines.extend(forward("return self.net(x)"));
    let net1 = sequential_children(&architecture.root[0]);
    let conv_arch: Vec<String> = net1
        .iter()
        .map(|block| {
            let body = sequential_children(block)
                .first()
                .map(sequential_children)
                .unwrap_or_default();
            let count = body
                .iter()
                .filter(|n| matches!(n.op, Op::Conv2d(_)))
                .count();
            let channels = body
                .iter()
                .find_map(|n| match n.op {
                    Op::Conv2d(spec) => Some(spec.out_channels),
                    _ => None,
                })
                .unwrap_or_default();
            format!("({count}, {channels})")
        })
        .collect();
    let classifier = sequential_children(&architecture.root[1]);
    let hidden = classifier
        .iter()
        .find_map(|n| match n.op {
            Op::Linear { out_features } => Some(out_features),
            _ => None,
        })
        .unwrap_or_default();
    let side = match modules.input.get("net2") {
        Some(Shape::Map { height, width, .. }) => format!("{height} * {width}"),
        _ => String::new(),
    };
    let fc = |name: &str| modules.within(name);
    lines.extend(plain(&["", ""]));
    lines.extend(plain(&[
        "class VGGNet(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        "        self.net1 = nn.Sequential()",
    ]));
    lines.push(shared(
        &format!("        conv_arch = ({})", conv_arch.join(", ")),
        blocks,
        modules,
    ));
    lines.push(built(
        format!("        in_channels = {}", architecture.input[0]),
        vec![],
    ));
    lines.push(shared(
        "        for num_convs, out_channels in conv_arch:",
        blocks,
        modules,
    ));
    lines.push(shared(
        "            self.net1.append(VGGBlock(num_convs, in_channels, out_channels))",
        blocks,
        modules,
    ));
    lines.push(built(
        "            in_channels = out_channels".into(),
        vec![],
    ));
    lines.push(built(
        format!(
            "        self.net2 = nn.Sequential(nn.Flatten(), nn.Linear(in_channels * {side}, {hidden}), nn.ReLU(), nn.Dropout(0.5),"
        ),
        fc("fc1"),
    ));
    lines.push(built(
        format!(
            "                                  nn.Linear({hidden}, {hidden}), nn.ReLU(), nn.Dropout(0.5), nn.Linear({hidden}, {}))",
            crate::arch::CLASSES
        ),
        fc("fc2"),
    ));
    lines.extend(forward("return self.net2(self.net1(x))"));
    lines
}

fn googlenet(architecture: &Architecture, modules: &Modules) -> Vec<CodeLine> {
    let branch = |n: usize| Some(Focus::Branch(n));
    let inceptions = Some(Focus::Every(TapKind::Inception));
    let mut lines: Vec<CodeLine> = [
        ("class Inception(nn.Module):", inceptions),
        ("    def __init__(self, in_channels, c1, c2, c3, c4):", None),
        ("        super().__init__()", None),
        (
            "        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)",
            branch(1),
        ),
        (
            "        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)",
            branch(2),
        ),
        (
            "        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)",
            branch(2),
        ),
        (
            "        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)",
            branch(3),
        ),
        (
            "        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)",
            branch(3),
        ),
        (
            "        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)",
            branch(4),
        ),
        (
            "        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)",
            branch(4),
        ),
        ("", None),
        ("    def forward(self, x):", None),
        ("        p1 = F.relu(self.p1_1(x))", branch(1)),
        (
            "        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))",
            branch(2),
        ),
        (
            "        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))",
            branch(3),
        ),
        ("        p4 = F.relu(self.p4_2(self.p4_1(x)))", branch(4)),
        (
            "        return torch.cat((p1, p2, p3, p4), dim=1)",
            inceptions,
        ),
        ("", None),
        ("", None),
        ("class GoogLeNet(nn.Module):", None),
        ("    def __init__(self):", None),
        ("        super().__init__()", None),
    ]
    .into_iter()
    .map(|(text, focus)| shared(text, focus, modules))
    .collect();
    let net = sequential_children(&architecture.root[0]);
    let stages: Vec<&Node> = net
        .iter()
        .filter(|n| matches!(n.op, Op::Sequential(_)))
        .collect();
    for stage in &stages {
        let head = stage.name.clone().unwrap_or_default();
        lines.extend(stage_lines(&head, stage, modules, |_, _| false));
    }
    lines.push(net_line(net, &stages, modules));
    lines.extend(forward("return self.net(x)"));
    lines
}

/// `self.net = nn.Sequential(b1, …, b5, <the modules after the stages>)`.
fn net_line(net: &[Node], stages: &[&Node], modules: &Modules) -> CodeLine {
    let mut items: Vec<String> = stages
        .iter()
        .map(|s| s.name.clone().unwrap_or_default())
        .collect();
    let mut taps = Vec::new();
    for node in net.iter().skip(stages.len()) {
        items.push(constructor(
            &node.op,
            modules.channels(&child_path("net", node)),
        ));
        if let Some(name) = node.name.as_deref().filter(|_| node.tapped) {
            taps.extend(modules.within(name));
        }
    }
    built(
        format!("        self.net = nn.Sequential({})", items.join(", ")),
        taps,
    )
}

fn resnet(architecture: &Architecture, modules: &Modules) -> Vec<CodeLine> {
    let main = Some(Focus::Every(TapKind::MainPath));
    let projected = Some(Focus::ProjectedShortcuts);
    let identity = Some(Focus::IdentityShortcuts);
    let sums = Some(Focus::Every(TapKind::Residual));
    let mut lines: Vec<CodeLine> = [
        ("class Residual(nn.Module):", sums),
        (
            "    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):",
            None,
        ),
        ("        super().__init__()", None),
        (
            "        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)",
            main,
        ),
        (
            "        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)",
            main,
        ),
        ("        if use_1x1conv:", projected),
        (
            "            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)",
            projected,
        ),
        ("        else:", identity),
        ("            self.conv3 = None", identity),
        ("        self.bn1 = nn.BatchNorm2d(num_channels)", main),
        ("        self.bn2 = nn.BatchNorm2d(num_channels)", main),
        ("", None),
        ("    def forward(self, x):", None),
        ("        y = F.relu(self.bn1(self.conv1(x)))", main),
        ("        y = self.bn2(self.conv2(y))", main),
        ("        if self.conv3:", projected),
        ("            x = self.conv3(x)", projected),
        ("        y += x", sums),
        ("        return F.relu(y)", sums),
        ("", None),
        ("", None),
        ("class ResBlock(nn.Module):", None),
        (
            "    def __init__(self, in_channels, num_channels, num_residuals, first_block=False):",
            None,
        ),
        ("        super().__init__()", None),
        ("        self.blk = nn.Sequential()", None),
        ("        for i in range(num_residuals):", None),
        (
            "            # the first residual of blocks 2, 3 and 4 downsamples with stride 2",
            None,
        ),
        ("            if i == 0 and not first_block:", Some(Focus::ProjectedResiduals)),
        (
            "                self.blk.append(Residual(in_channels, num_channels, use_1x1conv=True, strides=2))",
            Some(Focus::ProjectedResiduals),
        ),
        ("            else:", Some(Focus::IdentityResiduals)),
        (
            "                self.blk.append(Residual(num_channels, num_channels))",
            Some(Focus::IdentityResiduals),
        ),
        ("", None),
        ("    def forward(self, x):", None),
        ("        return self.blk(x)", None),
        ("", None),
        ("", None),
        ("class ResNet(nn.Module):", None),
        ("    def __init__(self):", None),
        ("        super().__init__()", None),
    ]
    .into_iter()
    .map(|(text, focus)| shared(text, focus, modules))
    .collect();
    let net = sequential_children(&architecture.root[0]);
    let stem = &net[0];
    lines.extend(stage_lines("b1", stem, modules, |_, op| {
        matches!(op, Op::Relu)
    }));
    let stages: Vec<&Node> = net
        .iter()
        .take_while(|n| matches!(n.op, Op::Sequential(_)))
        .collect();
    for (index, stage) in stages.iter().enumerate().skip(1) {
        let name = stage.name.clone().unwrap_or_default();
        let residuals = sequential_children(stage)
            .first()
            .map(sequential_children)
            .unwrap_or_default();
        let channels = residuals
            .iter()
            .find_map(|n| match n.op {
                Op::Residual(spec) => Some(spec.channels),
                _ => None,
            })
            .unwrap_or_default();
        let path = child_path("net", stage);
        let first = if index == 1 { ", first_block=True" } else { "" };
        lines.push(built(
            format!(
                "        {name} = ResBlock({}, {channels}, {}{first})",
                modules.channels(&path),
                residuals.len()
            ),
            modules.within(&name),
        ));
    }
    lines.push(net_line(net, &stages, modules));
    lines.extend(forward("return self.net(x)"));
    lines
}

/// The network's code as the post writes it, with this architecture's numbers.
pub fn seed_code(architecture: &Architecture) -> Result<Vec<CodeLine>, ShapeError> {
    let modules = Modules::of(architecture)?;
    Ok(match architecture.family {
        Family::AlexNet => alexnet(architecture, &modules),
        Family::Vgg => vgg(architecture, &modules),
        Family::GoogLeNet => googlenet(architecture, &modules),
        Family::ResNet => resnet(architecture, &modules),
    })
}
