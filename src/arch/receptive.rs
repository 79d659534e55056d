//! Receptive fields: which pixels of the network's input can change one pixel of a tap. Every
//! window here is square with one stride, so along each axis a tap's pixel `i` sees a run of
//! input pixels that starts at `i * jump + offset`: exact integers from the tree, through
//! Inception branches (the union of the four) and residual blocks (main path and shortcut).

use serde::Serialize;

use super::walk::{BRANCH_NAMES, MAIN_PATH_NAME, SHORTCUT_NAME, join};
use super::{Architecture, InceptionSpec, Node, Op, PoolSpec, Shape, ShapeError};

/// Along one axis: pixel `i` of a tap sees input pixels `i * jump + offset` to
/// `i * jump + offset + size - 1`, before clipping to the input (padding lies outside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub size: usize,
    /// Input pixels between neighbouring pixels of the tap: the product of the strides.
    pub jump: usize,
    pub offset: isize,
}

impl Span {
    /// A pixel of the input itself.
    const PIXEL: Span = Span {
        size: 1,
        jump: 1,
        offset: 0,
    };

    /// After a window of `kernel` pixels moving by `stride` over a map padded by `padding`.
    fn window(self, kernel: usize, stride: usize, padding: usize) -> Span {
        Span {
            size: self.size + (kernel - 1) * self.jump,
            jump: self.jump * stride,
            offset: self.offset - (padding * self.jump) as isize,
        }
    }

    /// Seen by a sum or concatenation of two paths over the same pixels (equal jumps: every
    /// parallel path of these networks has the same stride).
    fn union(self, other: Span) -> Span {
        let start = self.offset.min(other.offset);
        let end = (self.offset + self.size as isize).max(other.offset + other.size as isize);
        Span {
            size: (end - start) as usize,
            jump: self.jump.max(other.jump),
            offset: start,
        }
    }

    /// The input pixels pixel `index` sees, inclusive, clipped to an input of `len` pixels.
    pub fn seen_by(self, index: usize, len: usize) -> (usize, usize) {
        if len == 0 {
            return (0, 0);
        }
        let first = (index * self.jump) as isize + self.offset;
        let last = first + self.size as isize - 1;
        let clip = |at: isize| at.clamp(0, len as isize - 1) as usize;
        (clip(first), clip(last))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ReceptiveField {
    pub rows: Span,
    pub cols: Span,
}

impl ReceptiveField {
    const PIXEL: ReceptiveField = ReceptiveField {
        rows: Span::PIXEL,
        cols: Span::PIXEL,
    };

    fn window(self, kernel: usize, stride: usize, padding: usize) -> Self {
        Self {
            rows: self.rows.window(kernel, stride, padding),
            cols: self.cols.window(kernel, stride, padding),
        }
    }

    fn pool(self, spec: PoolSpec) -> Self {
        self.window(spec.kernel, spec.stride, spec.padding)
    }

    fn union(self, other: Self) -> Self {
        Self {
            rows: self.rows.union(other.rows),
            cols: self.cols.union(other.cols),
        }
    }

    /// Over a whole `height × width` map at once (global pooling, or a flatten and a linear
    /// layer after it).
    fn whole_map(self, shape: Shape) -> Self {
        match shape {
            Shape::Map { height, width, .. } => Self {
                rows: self.rows.window(height, 1, 0),
                cols: self.cols.window(width, 1, 0),
            },
            Shape::Flat(_) => self,
        }
    }

    /// The region `[x0, y0, x1, y1]` (inclusive, network-input pixels) that pixel `(x, y)` of
    /// the tap sees, in an input of `height × width`.
    pub fn region(&self, x: usize, y: usize, [height, width]: [usize; 2]) -> [usize; 4] {
        let (x0, x1) = self.cols.seen_by(x, width);
        let (y0, y1) = self.rows.seen_by(y, height);
        [x0, y0, x1, y1]
    }
}

/// A tap and the receptive field of its pixels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TapField {
    pub name: String,
    pub field: ReceptiveField,
}

impl Architecture {
    /// Every tap's receptive field, in the order of [`Architecture::taps`].
    pub fn receptive_fields(&self) -> Result<Vec<TapField>, ShapeError> {
        let mut taps = Vec::new();
        fields_through(
            &self.root,
            "",
            "",
            (ReceptiveField::PIXEL, self.input_shape()),
            &mut taps,
        )?;
        Ok(taps)
    }

    /// The receptive field of every layer's output, by PyTorch module path (the layer table's
    /// rows), in forward order.
    pub fn layer_fields(&self) -> Result<Vec<(String, ReceptiveField)>, ShapeError> {
        let mut layers = Vec::new();
        layer_fields_through(
            &self.root,
            "",
            (ReceptiveField::PIXEL, self.input_shape()),
            &mut layers,
        )?;
        Ok(layers)
    }
}

type Flow = (ReceptiveField, Shape);

/// The field after one non-sequential op; `inner` hears of the named parallel paths of a
/// composite block (branch or main path / shortcut, with their fields), in tap order.
fn through_op(
    op: &Op,
    (field, shape): Flow,
    path: &str,
    inner: &mut dyn FnMut(&str, ReceptiveField),
) -> Result<Flow, ShapeError> {
    let output = op.output_shape(shape, path)?;
    let field = match op {
        Op::Conv2d(spec) => field.window(spec.kernel, spec.stride, spec.padding),
        Op::MaxPool2d(spec) => field.pool(*spec),
        Op::GlobalAvgPool2d | Op::Flatten => field.whole_map(shape),
        Op::BatchNorm2d | Op::Relu | Op::Dropout { .. } | Op::Linear { .. } => field,
        Op::Inception(spec) => {
            let mut branches = [field, field, field, field.pool(InceptionSpec::BRANCH4_POOL)];
            for conv in spec.convs(shape.channels()) {
                let spec = conv.spec;
                branches[conv.path] =
                    branches[conv.path].window(spec.kernel, spec.stride, spec.padding);
            }
            for (name, branch) in BRANCH_NAMES.iter().zip(branches) {
                inner(name, branch);
            }
            branches
                .into_iter()
                .reduce(ReceptiveField::union)
                .unwrap_or(field)
        }
        Op::Residual(spec) => {
            let mut paths = [field, field];
            for conv in spec.convs(shape.channels()) {
                let spec = conv.spec;
                paths[conv.path] = paths[conv.path].window(spec.kernel, spec.stride, spec.padding);
            }
            inner(MAIN_PATH_NAME, paths[0]);
            inner(SHORTCUT_NAME, paths[1]);
            paths[0].union(paths[1])
        }
        Op::Sequential(_) => unreachable!("sequentials are walked node by node"),
    };
    Ok((field, output))
}

/// Mirrors the tap naming of [`Architecture::taps`]: a named node scopes its children, a
/// composite block's paths are tapped before the block, a sequential's own tap after its
/// children's.
fn fields_through(
    nodes: &[Node],
    path_prefix: &str,
    scope: &str,
    flow: Flow,
    taps: &mut Vec<TapField>,
) -> Result<Flow, ShapeError> {
    nodes.iter().try_fold(flow, |flow, node| {
        let path = join(path_prefix, &node.key);
        let name = node.name.as_deref().map(|name| join(scope, name));
        let tap_name = name.clone().filter(|_| node.tapped);
        let flow = match &node.op {
            Op::Sequential(children) => {
                let child_scope = name.as_deref().unwrap_or(scope);
                fields_through(children, &path, child_scope, flow, taps)?
            }
            op => through_op(op, flow, &path, &mut |part, field| {
                if let Some(block) = &tap_name {
                    taps.push(TapField {
                        name: join(block, part),
                        field,
                    });
                }
            })?,
        };
        if let Some(name) = tap_name {
            taps.push(TapField {
                name,
                field: flow.0,
            });
        }
        Ok(flow)
    })
}

fn layer_fields_through(
    nodes: &[Node],
    path_prefix: &str,
    flow: Flow,
    layers: &mut Vec<(String, ReceptiveField)>,
) -> Result<Flow, ShapeError> {
    nodes.iter().try_fold(flow, |flow, node| {
        let path = join(path_prefix, &node.key);
        let flow = match &node.op {
            Op::Sequential(children) => layer_fields_through(children, &path, flow, layers)?,
            op => {
                let flow = through_op(op, flow, &path, &mut |_, _| {})?;
                layers.push((path, flow.0));
                flow
            }
        };
        Ok(flow)
    })
}
