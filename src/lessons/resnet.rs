use super::{Bilingual, Focus, Lesson, LessonPoint};
use crate::arch::TapKind;

pub(super) const LESSON: Lesson = Lesson {
    title: Bilingual {
        en: "ResNet: add the input back",
        zh: "ResNet：把输入加回来",
    },
    intro: Bilingual {
        en: "Adding layers should never make a network worse: the new layers could simply pass \
             their input on. Yet plain deep networks did get worse, because passing the input on \
             is hard to learn. ResNet (2015) makes it easy, and with it networks of a hundred \
             layers train.",
        zh: "给网络加层，按理说不会变差：新加的层只要把输入原样传下去就行。可是普通的深层网络\
             确实变差了，因为“原样传下去”很难学会。ResNet（2015）让这件事变得容易，\
             于是上百层的网络也能训练了。",
    },
    points: &[
        LessonPoint {
            text: Bilingual {
                en: "The main path: 3×3 convolution, batch normalization, ReLU, 3×3 convolution, \
                     batch normalization. It only has to learn the change to its input, f(x) − x.",
                zh: "主路径：3×3 卷积、批量归一化、ReLU、3×3 卷积、批量归一化。它只需要学习对输入\
                     的修改量 f(x) − x。",
            },
            focus: Focus::Every(TapKind::MainPath),
        },
        LessonPoint {
            text: Bilingual {
                en: "The shortcut carries the input around the main path unchanged.",
                zh: "捷径（shortcut）把输入绕过主路径，原样送过去。",
            },
            focus: Focus::IdentityShortcuts,
        },
        LessonPoint {
            text: Bilingual {
                en: "The block outputs ReLU(main path + shortcut), added pixel by pixel. If the main \
                     path outputs zeros the block passes its input on, and during training the \
                     gradient flows straight back through the sum.",
                zh: "块的输出是 ReLU(主路径 + 捷径)，逐像素相加。如果主路径输出全为 0，块就把输入\
                     原样传下去；训练时梯度也能沿着这个加法直接传回去。",
            },
            focus: Focus::Every(TapKind::Residual),
        },
        LessonPoint {
            text: Bilingual {
                en: "Where a stage starts, the main path halves the size (stride 2) and doubles the \
                     channels, so the input no longer fits: a strided 1×1 convolution on the \
                     shortcut reshapes it.",
                zh: "每个阶段开始时，主路径把尺寸减半（步幅 2）、通道加倍，输入的形状就对不上了：\
                     这时捷径上用一个带步幅的 1×1 卷积来改变它的形状。",
            },
            focus: Focus::ProjectedShortcuts,
        },
        LessonPoint {
            text: Bilingual {
                en: "What to look for: open the main path, the shortcut and the sum of one block. \
                     The sum looks like the shortcut with corrections drawn in by the main path. \
                     Four stages of two blocks and global average pooling make ResNet-18.",
                zh: "看什么：打开同一个块的主路径、捷径和相加结果。相加结果看起来像捷径，\
                     只是被主路径补画了一些修改。四个阶段、每阶段两个块，再加全局平均池化，\
                     就是 ResNet-18。",
            },
            focus: Focus::FirstResidualBlock,
        },
    ],
};
