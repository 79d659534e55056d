use super::{Bilingual, Focus, Lesson, LessonPoint};
use crate::arch::TapKind;

pub(super) const LESSON: Lesson = Lesson {
    title: Bilingual {
        en: "AlexNet: deeper, with ReLU, dropout and GPUs",
        zh: "AlexNet：更深，用 ReLU、Dropout 和 GPU",
    },
    intro: Bilingual {
        en: "In 2012 AlexNet won the ImageNet contest by a wide margin and started the deep-learning \
             era. Its plan is the one of LeNet, made much bigger: stacked convolutions, then fully \
             connected layers. What made it work was a few new tricks and training on GPUs.",
        zh: "2012 年，AlexNet 以很大的优势赢得 ImageNet 比赛，开启了深度学习时代。它的结构沿用 \
             LeNet 的思路——先是一串卷积层，再接全连接层——只是规模大得多。让它成功的是几个新技巧，\
             以及用 GPU 训练。",
    },
    points: &[
        LessonPoint {
            text: Bilingual {
                en: "A large first kernel with a large stride: in the post conv1 reads 11×11 patches \
                     and moves 4 pixels at a time, so the map shrinks at once. Each of its channels \
                     is a simple detector, for an edge or a stroke at one angle.",
                zh: "第一层用大卷积核、大步幅：原文中 conv1 一次看 11×11 的区域，每次移动 4 个像素，\
                     所以特征图一下子就变小了。它的每个通道都是一个简单的检测器，对某个方向的边缘\
                     或笔画有反应。",
            },
            focus: Focus::First(TapKind::Conv),
        },
        LessonPoint {
            text: Bilingual {
                en: "Five convolutional layers, each followed by ReLU, max(0, x), instead of the \
                     sigmoid. It is cheap and its gradient does not fade for positive inputs, so a \
                     deep stack still learns. In the maps, the darkest areas are exactly zero: ReLU \
                     switched them off.",
                zh: "五个卷积层，每层后面都接 ReLU，即 max(0, x)，而不是 sigmoid。ReLU 计算简单，\
                     对正输入梯度不会衰减，所以很深的网络也能学得动。特征图里最暗的地方正好是 0：\
                     它们被 ReLU 关掉了。",
            },
            focus: Focus::Every(TapKind::Conv),
        },
        LessonPoint {
            text: Bilingual {
                en: "Overlapping max-pooling (3×3 windows, stride 2) keeps the strongest response of \
                     each window: the maps get smaller and a small shift of the digit matters less.",
                zh: "重叠的最大池化（3×3 窗口，步幅 2）保留每个窗口里最强的响应：特征图变小，\
                     数字稍微移动一点也影响不大。",
            },
            focus: Focus::Every(TapKind::Pool),
        },
        LessonPoint {
            text: Bilingual {
                en: "Two large fully connected layers with dropout: while training, half of their \
                     units are zeroed at random, so no unit can lean on another. This fights \
                     overfitting; at test time nothing is dropped. Most parameters live here (see \
                     the layer table).",
                zh: "两个很大的全连接层，带 Dropout：训练时随机把一半的单元置零，让每个单元都不能\
                     依赖别的单元，以此对抗过拟合；测试时不丢弃任何单元。大部分参数都在这里\
                     （见层表）。",
            },
            focus: Focus::Every(TapKind::Hidden),
        },
        LessonPoint {
            text: Bilingual {
                en: "What to look for: compare the first and the last convolution while you draw. \
                     conv1 follows your strokes; the last one is small and abstract, its channels \
                     fire for parts of a digit, not for lines.",
                zh: "看什么：一边画一边比较第一个和最后一个卷积层。conv1 跟着你的笔画走；最后一层\
                     很小、很抽象，它的通道对数字的某个部分有反应，而不是对线条。",
            },
            focus: Focus::FirstAndLastConv,
        },
    ],
};
