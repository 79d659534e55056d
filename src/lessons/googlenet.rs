use super::{Bilingual, Focus, Lesson, LessonPoint};
use crate::arch::TapKind;

pub(super) const LESSON: Lesson = Lesson {
    title: Bilingual {
        en: "GoogLeNet: every kernel size at once",
        zh: "GoogLeNet：各种卷积核同时用",
    },
    intro: Bilingual {
        en: "Which kernel size is right, 1×1, 3×3 or 5×5? GoogLeNet (2014) answers: all of them, \
             side by side, and lets training decide how much each one counts. Its building block is \
             the Inception block; the network stacks nine of them in five stages.",
        zh: "卷积核该用多大，1×1、3×3 还是 5×5？GoogLeNet（2014）的回答是：都用，并排放着，\
             让训练来决定各自有多重要。它的基本单元是 Inception 块；整个网络分五个阶段，\
             一共叠了九个 Inception 块。",
    },
    points: &[
        LessonPoint {
            text: Bilingual {
                en: "Four paths read the same input: a 1×1 convolution; 1×1 then 3×3; 1×1 then 5×5; \
                     a 3×3 max-pool then 1×1. Each path looks at a neighbourhood of another size.",
                zh: "四条路径读同一个输入：1×1 卷积；先 1×1 再 3×3；先 1×1 再 5×5；先 3×3 最大池化\
                     再 1×1。每条路径看的邻域大小都不一样。",
            },
            focus: Focus::FirstInceptionBranches,
        },
        LessonPoint {
            text: Bilingual {
                en: "Padding keeps every path's height and width, so the four outputs are stacked \
                     along channels (concatenated): the block's channels are the sum of its \
                     branches' channels.",
                zh: "填充让每条路径的输出高宽不变，所以四个输出可以沿通道方向拼接起来：\
                     块的通道数就是四个分支通道数之和。",
            },
            focus: Focus::Every(TapKind::Inception),
        },
        LessonPoint {
            text: Bilingual {
                en: "The 1×1 convolutions before the 3×3 and 5×5 ones first cut the number of \
                     channels. That is what keeps the block cheap: compare the MACs of the branches \
                     in the layer table.",
                zh: "3×3 和 5×5 卷积前面的 1×1 卷积先减少通道数，这正是 Inception 块计算量不大的\
                     原因：可以在层表里比较各分支的乘加次数。",
            },
            focus: Focus::Every(TapKind::Branch),
        },
        LessonPoint {
            text: Bilingual {
                en: "Between stages a 3×3 max-pool of stride 2 halves the maps. At the end, global \
                     average pooling replaces the huge fully connected layers of AlexNet and VGG.",
                zh: "阶段之间用步幅为 2 的 3×3 最大池化把特征图减半。最后用全局平均池化，\
                     取代了 AlexNet 和 VGG 那些巨大的全连接层。",
            },
            focus: Focus::Every(TapKind::Block),
        },
        LessonPoint {
            text: Bilingual {
                en: "What to look for: open the four branches of one block side by side. The 1×1 \
                     path follows the stroke itself, the 5×5 and pooling paths respond to its \
                     surroundings.",
                zh: "看什么：把同一个块的四个分支并排打开。1×1 路径紧贴笔画本身，5×5 路径和池化\
                     路径则对笔画周围的区域有反应。",
            },
            focus: Focus::FirstInceptionBranches,
        },
    ],
};
