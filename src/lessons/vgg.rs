use super::{Bilingual, Focus, Lesson, LessonPoint};
use crate::arch::TapKind;

pub(super) const LESSON: Lesson = Lesson {
    title: Bilingual {
        en: "VGG: one block, repeated",
        zh: "VGG：同一个块，重复使用",
    },
    intro: Bilingual {
        en: "VGG (2014) asked: what if the whole network is made of one kind of block? Its answer \
             became the template of later networks. The code builds it from a list, conv_arch: for \
             each block, how many convolutions and how many channels.",
        zh: "VGG（2014）提出的问题是：如果整个网络只用一种块来搭，会怎样？它的答案成了后来网络的\
             模板。代码用一个列表 conv_arch 来构造它：每个块有几个卷积层、多少个通道。",
    },
    points: &[
        LessonPoint {
            text: Bilingual {
                en: "Only 3×3 convolutions with padding 1, which keep height and width. Two stacked \
                     3×3 layers see a 5×5 region and three see 7×7, with fewer weights and more \
                     ReLUs than one large kernel.",
                zh: "只用 3×3 卷积，填充 1，不改变高和宽。两个叠起来的 3×3 卷积能看到 5×5 的区域，\
                     三个能看到 7×7，而参数比一个大卷积核少，非线性（ReLU）却更多。",
            },
            focus: Focus::Every(TapKind::Conv),
        },
        LessonPoint {
            text: Bilingual {
                en: "Every block ends with a 2×2 max-pool of stride 2: height and width halve, while \
                     the channels grow from block to block (64 up to 512 in the post). Watch the \
                     maps get smaller and more numerous.",
                zh: "每个块最后是一个 2×2、步幅 2 的最大池化：高和宽减半，而通道数一块比一块多\
                     （原文从 64 到 512）。注意特征图越来越小，数量越来越多。",
            },
            focus: Focus::Every(TapKind::Block),
        },
        LessonPoint {
            text: Bilingual {
                en: "Change conv_arch and you get VGG-11, -16 or -19: the design is a rule, not a \
                     drawing. Here the first two blocks have one convolution, the last three have two.",
                zh: "改一改 conv_arch，就能得到 VGG-11、VGG-16 或 VGG-19：这种设计是一条规则，\
                     而不是一张图。这里前两个块各有一个卷积层，后三个块各有两个。",
            },
            focus: Focus::StackedConvs,
        },
        LessonPoint {
            text: Bilingual {
                en: "Like AlexNet it ends with two fully connected layers and dropout. In the post's \
                     VGG-11 most parameters are there: its first linear layer alone, 25,088 × 4,096, \
                     holds 103 of its 129 million. The browser version keeps them small (128 units), \
                     so most of its weights are in the convolutions; the layer table gives both shares.",
                zh: "和 AlexNet 一样，它最后是两个带 Dropout 的全连接层。原文的 VGG-11 大部分参数都在\
                     那里：光是第一个全连接层（25,088 × 4,096）就占了 1.29 亿参数中的 1.03 亿。浏览器版\
                     把它们缩小到 128 个单元，所以大部分权重在卷积层里；逐层表给出两者的占比。",
            },
            focus: Focus::Every(TapKind::Hidden),
        },
        LessonPoint {
            text: Bilingual {
                en: "What to look for: the first block's maps still look like your digit, edge by \
                     edge; by the last block each channel is a few pixels that light up only for \
                     some parts of some digits.",
                zh: "看什么：第一个块的特征图还能看出你写的数字，一条条边缘都在；到最后一个块，\
                     每个通道只剩几个像素，只对某些数字的某些部分亮起来。",
            },
            focus: Focus::FirstAndLastConv,
        },
    ],
};
