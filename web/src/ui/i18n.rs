//! English and 简体中文: every text of the UI, side by side.

use convscope::lessons::Bilingual;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// A core text (a lesson's) in this language.
    pub fn pick(self, text: Bilingual) -> &'static str {
        match self {
            Lang::En => text.en,
            Lang::Zh => text.zh,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh-CN" | "zh" => Some(Lang::Zh),
            _ => None,
        }
    }
}

macro_rules! texts {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Text { $($name),* }

        impl Text {
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Text::$name, Lang::En) => $en, (Text::$name, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

/// A text with `{}` holes, filled in order: a Chinese sentence puts its numbers elsewhere than
/// the English one does.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut values = values.iter();
    let mut filled = String::new();
    for (index, part) in template.split("{}").enumerate() {
        if index > 0 {
            filled.push_str(values.next().copied().unwrap_or_default());
        }
        filled.push_str(part);
    }
    filled
}

texts! {
    Tagline => "A microscope for classic CNNs: draw a digit, watch every block respond.",
        "经典卷积网络的显微镜:写一个数字,看每一个模块的响应。";
    Language => "Language", "语言";
    Network => "Network", "网络";
    BrowserPresets => "Browser presets (fast, pretrained)", "浏览器预设(快速,已预训练)";
    SeedPresets => "Seed networks (the post's exact sizes)", "原文网络(原始尺寸)";
    SeedCost => "Seed networks are the post's full-size networks, randomly initialized unless you import weights; one inference costs up to several seconds and hundreds of MB.",
        "原文网络为原文的完整尺寸,除非导入权重,否则为随机初始化;一次推理可能需要数秒和数百 MB 内存。";
    Backend => "Backend", "后端";
    BackendAuto => "Auto (WebGPU if available)", "自动(优先 WebGPU)";
    BackendWebGpu => "WebGPU", "WebGPU";
    BackendCpu => "CPU", "CPU";
    CpuThreads => "threads", "个线程";
    Starting => "Starting the engine…", "正在启动引擎…";
    Draw => "Draw a digit", "写一个数字";
    DrawHelp => "Draw with mouse, finger or pen. The network runs while you draw.",
        "用鼠标、手指或手写笔书写,网络随笔画实时运行。";
    Brush => "Brush", "笔刷";
    Clear => "Clear", "清除";
    PadNowShowing => "Now showing", "当前显示";
    PadDrawYourOwn => "Draw here to try your own digit.", "在这里画，试试你自己的数字。";
    PadDrawingKept => "Your drawing is kept: Run shows it again.", "你的手写还在:按“运行”重新显示。";
    Run => "Run", "运行";
    Upload => "Upload an image", "上传图片";
    KindConv => "conv", "卷积";
    KindPool => "pool", "池化";
    KindBlock => "block", "块";
    KindInception => "inception", "Inception 块";
    KindBranch => "branch", "分支";
    KindResidual => "sum", "相加";
    KindMainPath => "main path", "主路径";
    KindShortcut => "shortcut", "捷径";
    KindHidden => "hidden", "全连接";
    ChooseImage => "Choose an image…", "选择图片…";
    UploadHelp => "or drop a file here, or paste an image", "或将文件拖放到这里,或粘贴图片";
    MnistDigit => "MNIST test digit", "MNIST 测试数字";
    RandomDigit => "Random", "随机";
    AnyClass => "any class", "任意类别";
    MnistLabel => "MNIST test #", "MNIST 测试样本 #";
    Label => "label", "标签";
    Preprocessing => "Preprocessing", "预处理";
    StepOriginal => "original", "原图";
    StepCropped => "cropped", "裁剪";
    StepDigit => "28×28", "28×28";
    StepInput => "network input", "网络输入";
    Prediction => "Prediction", "预测";
    NoPrediction => "Draw, upload or pick a digit.", "请书写、上传或选择一个数字。";
    Computing => "The network is working on this digit…", "网络正在计算这个数字…";
    Probabilities => "Probabilities", "各类概率";
    FeatureMaps => "Feature maps", "特征图";
    FeatureMapsHelp => "Each tile is one channel, normalized on its own (viridis: dark = its minimum, yellow = its maximum). Click a channel to enlarge it.",
        "每个小块是一个通道,各自归一化(viridis 色图:深色为最小值,黄色为最大值)。点击通道可放大。";
    Range => "range", "取值范围";
    Channel => "channel", "通道";
    Close => "Close", "关闭";
    Previous => "Previous channel", "上一个通道";
    Next => "Next channel", "下一个通道";
    HoverHelp => "Hover for values and the receptive field; click a pixel for its maths; ←/→ change channel, Esc closes.", "悬停查看数值与感受野;点击像素查看它的计算;←/→ 切换通道,Esc 关闭。";
    Kernels => "First-layer kernels", "第一层卷积核";
    CopyLink => "Copy link", "复制链接";
    LinkCopied => "Link copied ✓", "链接已复制 ✓";
    CopyLinkByHand => "The browser did not allow copying; copy this link:", "浏览器不允许复制,请手动复制此链接:";
    LinkRejected => "This link's settings could not all be used; the default is shown for:", "此链接中的部分设置无法使用,以下各项显示为默认:";
    OfflineReady => "✓ works offline", "✓ 可离线使用";
    OfflineReadyHelp => "This browser keeps the app, its weights and the MNIST test set: it opens and runs without a network.",
        "此浏览器已保存应用、权重和 MNIST 测试集:无网络时也能打开并运行。";
    PresentWalk => "Walk through the network", "逐块讲解网络";
    PresentPrevious => "← Previous", "← 上一块";
    PresentNext => "Next →", "下一块 →";
    LessonJump => "Why is {} built this way? Its lesson ↓", "{} 为什么这样设计？看它的讲解 ↓";
    LessonPostOrder => "The networks in the post's order", "按原文顺序的网络";
    LessonBefore => "← Before it in the post: {}", "← 原文中的上一个：{}";
    LessonAfter => "Next in the post: {} →", "原文中的下一个：{} →";
    LessonLastCompare => "The post ends here. See the four networks side by side on your digit →",
        "原文到此结束。在你的数字上并排看这四个网络 →";
    PresentOnTo => "On to {} →", "下一个网络：{} →";
    PresentOnToTogether => "On to all four →", "下一步：四个并排 →";
    PresentTogether => "side by side", "并排";
    PresentTogetherChip => "All four", "四个一起";
    PresentBackTo => "← Back to {}", "← 回到 {}";
    PresentNetworks => "The four networks, in the post's order", "四个网络,按原文的顺序";
    PresentBlocksAhead => "{} blocks ahead", "前面有 {} 块";
    PresentFacts => "{}: input {} · {} blocks · {} parameters · {} multiply-adds per image",
        "{}:输入 {} · {} 块 · {} 个参数 · 每张图 {} 次乘加";
    PresentTitleHint => "→ walks through its blocks in the order the data flows, each with what it does and the code that builds it; the overview below shows them all at once.",
        "按 → 顺着数据流动的方向逐块讲解,每一块都有它的作用和构建它的代码;下方的概览一次展示全部。";
    PresentControls => "Controls", "控制";
    ExportFigure => "Save figure", "保存图";
    ExportFailed => "The figure could not be saved.", "无法保存此图。";
    CaptionInput => "input", "输入";
    CaptionWeights => "weights", "权重";
    CaptionDrawing => "a drawing", "手写";
    CaptionUpload => "an uploaded image", "上传的图片";
    FigureChannels => "all channels", "全部通道";
    TabCompare => "Compare", "对比";
    CompareTitle => "Four networks, one input", "四个网络,同一个输入";
    CompareHelp => "The current input through the four browser networks: the one you picked with its current weights, the others with their shipped weights.",
        "当前输入分别送入四个浏览器网络:所选网络使用当前权重,其余使用随附的预训练权重。";
    CompareTime => "time", "耗时";
    CompareDepth => "Stages by scale", "按尺度排列的阶段";
    CompareDepthHelp => "Each row is a scale: ×4 means one pixel of the map stands for 4×4 input pixels. Which network shrinks its input fastest, and how many channels it has by then?",
        "每一行是一个尺度:×4 表示特征图的一个像素代表 4×4 个输入像素。哪个网络缩小输入最快?那时它有多少个通道?";
    PixelKeysHelp => "The channel's map: arrow keys choose a pixel and show its maths", "通道的特征图:用方向键选择像素并查看它的计算";
    PixelMathHint => "Click a pixel (or focus the map and use the arrow keys) to see the maths that made it.", "点击一个像素(或聚焦特征图后用方向键),查看它是怎样算出来的。";
    PixelMathWaiting => "Working out the maths of this pixel…", "正在计算这个像素的来历…";
    PixelMathFailed => "The maths of this pixel could not be worked out", "无法计算这个像素的来历";
    PixelMathTitle => "The maths of one pixel", "一个像素的计算";
    PixelMathShown => "The value shown:", "显示的值:";
    PixelMathWeighted => "Each input value in the patch is multiplied by the kernel weight at the same place; the products are added up over every input channel, then the bias is added.",
        "补丁中的每个输入值乘以同一位置的卷积核权重;所有输入通道的乘积相加,再加上偏置。";
    PixelMathLayer => "layer", "层";
    PixelMathPatchAt => "patch top-left at x, y =", "补丁左上角 x, y =";
    PixelMathInputChannels => "input channel(s), strongest first: patch · kernel", "个输入通道,贡献最大的在前:补丁 · 卷积核";
    PixelMathFeature => "feature", "特征";
    PixelMathOtherChannels => "other input channels", "个其他输入通道";
    PixelMathProducts => "Σ input × weight", "Σ 输入 × 权重";
    PixelMathBias => "+ bias", "+ 偏置";
    PixelMathBatchNorm => "BatchNorm", "批量归一化";
    PixelMathRelu => "ReLU", "ReLU";
    PixelMathMaxPool => "Max-pooling keeps the largest value of the window (marked); the others are dropped.",
        "最大池化保留窗口中最大的值(已标出),其余的被丢弃。";
    PixelMathWindow => "window top-left at x, y =", "窗口左上角 x, y =";
    PixelMathAverage => "Global average pooling: the mean of every value of this channel.", "全局平均池化:这个通道所有值的平均。";
    PixelMathConcat => "An Inception block stacks its four branches' channels; this channel is a copy of a branch's channel:",
        "Inception 块把四条分支的通道叠在一起;这个通道就是某条分支的一个通道:";
    PixelMathBranchStarts => "Branches 1–4 start at block channels", "分支 1–4 在块中的起始通道:";
    PixelMathSum => "A residual block adds its main path and its shortcut, then applies ReLU:", "残差块把主路径与捷径相加,再做 ReLU:";
    PixelMathIdentity => "This shortcut is the block's input itself, at the same place:", "这条捷径就是块的输入本身,位置相同:";
    KernelsHelp => "One tile per output channel, summed over input channels (they all see the same gray digit).",
        "每个输出通道一块,对输入通道求和(各输入通道看到的是同一张灰度图)。";
    LayerTable => "Layer table", "逐层表";
    Layer => "layer", "层";
    Type => "type", "类型";
    Tap => "feature map", "特征图";
    OutputShape => "output shape", "输出形状";
    Params => "params", "参数";
    Macs => "MACs", "乘加";
    ReceptiveField => "Receptive field", "感受野";
    ReceptiveFieldHelp => "The square of input pixels one output pixel of this layer can see (padding included): it grows with every window, and faster after every stride.",
        "该层一个输出像素能看到的输入像素方块(含填充):每经过一个窗口就变大,步幅之后增长得更快。";
    Jump => "Jump", "跳距";
    ReceptiveFieldOf => "Pixel", "像素";
    Sees => "sees input pixels", "能看到输入像素";
    OfInput => "of", "共";
    ReceptiveFieldHint => "Hover a pixel: the outline shows the input pixels that can change it (its receptive field).",
        "悬停在某个像素上:方框标出能改变它的输入像素(它的感受野)。";
    JumpHelp => "Input pixels between two neighbouring output pixels: the product of the strides so far.",
        "相邻两个输出像素在输入上相隔的像素数:此前所有步幅的乘积。";
    Total => "total", "合计";
    LayerTableHelp => "One row per module of the post's code, named as in its state_dict (net.0 loads net.0.weight and net.0.bias). Params: the numbers a layer learns. MACs: its multiply-adds for one image. Receptive field: the square of input pixels one output pixel sees. Jump: input pixels between two neighbouring output pixels.",
        "每行是原文代码中的一个模块,名字与 state_dict 的键一致(net.0 加载 net.0.weight 和 net.0.bias)。参数:该层要学习的数。乘加:处理一张图的乘加次数。感受野:一个输出像素能看到的输入像素方块。跳距:相邻两个输出像素在输入上相隔的像素数。";
    LinearShare => "The linear layers hold {} of the parameters and do {} of the multiply-adds; the convolutions have the rest.",
        "全连接层占全部参数的 {}、乘加的 {};其余都在卷积层。";
    SentenceGap => " ", "";
    LinearHoldsMost => "Most of what this network learns sits in its classifier, and a classifier that large overfits easily: that is why the post's AlexNet and VGG need dropout, and why GoogLeNet and ResNet replace it with global average pooling.",
        "这个网络学到的东西大多存放在分类器里,这么大的分类器容易过拟合:所以原文的 AlexNet 和 VGG 需要 Dropout,而 GoogLeNet 和 ResNet 改用全局平均池化。";
    LinearHoldsLittle => "Global average pooling leaves one small linear layer at the end, so nearly every weight is a convolution's.",
        "全局平均池化之后只剩一个很小的全连接层,几乎所有权重都属于卷积层。";
    WholeView => "From {} ({}) on, one pixel of a map sees the whole {}×{} input (a {}×{} field, padding included); earlier maps see a part of the digit: a stroke, a corner.",
        "从 {}({})起,特征图上的一个像素就能看到整张 {}×{} 输入(感受野 {}×{},含填充);更早的特征图只看到数字的一部分:一笔、一个拐角。";
    Weights => "Weights", "权重";
    WeightsPretrained => "pretrained on MNIST (shipped)", "MNIST 预训练(随附)";
    WeightsRandom => "random initialization", "随机初始化";
    WeightsImported => "imported from", "导入自";
    WeightsLoading => "Downloading weights…", "正在下载权重…";
    ImportWeights => "Import .safetensors", "导入 .safetensors";
    ResetWeights => "Reset to pretrained", "恢复预训练权重";
    ResetRandom => "Reset to random", "重置为随机权重";
    WeightsTrained => "trained here, steps:", "在此训练,步数:";
    WeightsRestored => "restored from this browser, trained steps:", "已从本浏览器恢复,训练步数:";
    ExportWeights => "Export .safetensors", "导出 .safetensors";
    WeightsHelp => "PyTorch state_dict with the post's key names (model.state_dict() saved with safetensors).",
        "PyTorch state_dict,键名与原文一致(用 safetensors 保存 model.state_dict())。";
    Dismiss => "Dismiss", "关闭提示";
    ErrorTitle => "Problem", "出现问题";
    EmptyCanvas => "The canvas is empty: draw a digit first.", "画布是空的:请先写一个数字。";
    GpuLost => "The GPU device was lost; switched to the CPU backend. Your input and weights are kept.",
        "GPU 设备丢失,已切换到 CPU 后端。输入和权重均已保留。";
    EngineCrashed => "The engine stopped unexpectedly and was restarted.", "引擎意外停止,已重新启动。";
    EngineGaveUp => "The engine keeps stopping; reload the page to try again.", "引擎反复停止;请刷新页面重试。";
    OpReadingMessage => "reading a message from the page", "读取页面消息";
    OpLoadingNetwork => "loading the network", "加载网络";
    OpImportingWeights => "importing weights", "导入权重";
    OpExportingWeights => "exporting weights", "导出权重";
    OpLosingGpuDevice => "losing the GPU device", "丢弃 GPU 设备";
    OpTraining => "training", "训练";
    ComputeTime => "computed in", "计算用时";
    Training => "Training on MNIST", "在 MNIST 上训练";
    TrainingHelp => "Trains the network in this browser, from its current weights. Trained weights are kept in this browser (every epoch, every 20 s, on pause and stop).",
        "在本浏览器中从当前权重开始训练。训练得到的权重保存在本浏览器中(每轮、每 20 秒、暂停和停止时)。";
    Epochs => "epochs", "轮数";
    BatchSize => "batch size", "批大小";
    LearningRate => "learning rate", "学习率";
    Optimizer => "optimizer", "优化器";
    SgdMomentum => "SGD, momentum 0.9", "SGD(动量 0.9)";
    Adam => "Adam", "Adam";
    TrainSize => "training images", "训练图片数";
    Schedule => "learning-rate schedule", "学习率调度";
    ScheduleConstant => "constant", "恒定";
    ScheduleCosine => "cosine, down to zero", "余弦衰减到零";
    ScheduleWarmupCosine => "warm-up, then cosine", "预热后余弦衰减";
    ScheduleHelp => "The learning rate is the step size. Warm-up climbs to it over the first tenth of the run, so networks without batch normalization (AlexNet, VGG, GoogLeNet) are not thrown off by their first large steps; the cosine then lowers it to zero, so the weights settle instead of jumping around a good spot. The progress line shows the rate of the current step.",
        "学习率就是每一步的步长。预热在前十分之一的训练里把它从零升到设定值,让没有批归一化的网络(AlexNet、VGG、GoogLeNet)不会被最初的大步长打乱;之后余弦曲线把它降到零,让权重稳定下来,而不是在一个好位置附近来回跳动。进度行显示当前这一步的学习率。";
    RecommendedFor => "Recommended from random weights for", "从随机权重训练的推荐设置,适用于";
    UseRecommended => "Use these settings", "使用推荐设置";
    RecommendedInUse => "✓ In use now", "✓ 正在使用";
    RecommendedAlexNet => "One pass reaches about 97 % test accuracy: five convolutions and dropout learn the digits quickly.",
        "训练一遍即可达到约 97% 的测试准确率:五个卷积层加上 Dropout,很快就能学会数字。";
    RecommendedVgg => "One pass reaches about 97 % test accuracy. Eight convolutions without batch normalization start slowly, so VGG needs half as many digits again as AlexNet.",
        "训练一遍即可达到约 97% 的测试准确率。八个卷积层又没有批量归一化,起步较慢,所以 VGG 比 AlexNet 多需要一半的图片。";
    RecommendedGoogLeNet => "One pass reaches about 97 % test accuracy. Its Inception blocks stack many thin layers without batch normalization: a smaller learning rate keeps the first steps from going astray, and it needs twice as many digits as AlexNet.",
        "训练一遍即可达到约 97% 的测试准确率。Inception 块叠了许多窄层,又没有批量归一化:较小的学习率让最初几步不走偏,图片也要比 AlexNet 多一倍。";
    RecommendedResNet => "One pass reaches about 97 % test accuracy: batch normalization and the shortcuts let this deep network learn as fast as a shallow one.",
        "训练一遍即可达到约 97% 的测试准确率:批量归一化和捷径连接让这个深层网络学得和浅层网络一样快。";
    Start => "Start", "开始";
    Pause => "Pause", "暂停";
    Resume => "Resume", "继续";
    StartsPretrained => "The network has its pretrained weights: it already reads digits, so a run goes on from there and its loss starts low. To watch it learn from nothing, start from random weights; “Reset to pretrained” brings these back.",
        "网络现在用的是预训练权重:它已经认得数字,训练会接着往下走,损失一开始就很低。想看它从零学起,就从随机权重开始;“恢复预训练权重”随时可以换回来。";
    StartFromRandom => "Start from random weights", "从随机权重开始训练";
    StartsRandom => "The network has random weights: its loss starts at 2.3 (ln 10, the cost of guessing one digit in ten: the dashed line on the chart) or a little above, and falls as it learns.",
        "网络现在是随机权重:损失从 2.3(ln 10,在十个数字里瞎猜的代价:图中的虚线)或略高处开始,随着学习下降。";
    StartsTrained => "The network has the weights of its earlier training: a run goes on from them. “Reset to random” (above) forgets them, to start over.",
        "网络现在用的是之前训练得到的权重:训练会从它们继续。上方的“重置为随机权重”会清除它们,从头开始。";
    StartsImported => "The network has imported weights: a run goes on from them (fine-tuning).",
        "网络现在用的是导入的权重:训练会从它们继续(微调)。";
    Stop => "Stop", "停止";
    StatusIdle => "idle", "空闲";
    StatusTraining => "training", "训练中";
    StatusPaused => "paused", "已暂停";
    StatusStopped => "stopped", "已停止";
    StatusError => "error", "出错";
    DownloadingMnist => "Downloading the MNIST training set…", "正在下载 MNIST 训练集…";
    Epoch => "epoch", "轮";
    ImagesPerSecond => "images/s", "图片/秒";
    Eta => "left", "剩余";
    Loss => "training loss", "训练损失";
    Accuracy => "test accuracy", "测试准确率";
    AccuracyHelp => "hollow: first 1,000 test digits, during an epoch; filled: all 10,000, at each epoch's end.",
        "空心点:训练中在前 1000 个测试样本上评估;实心点:每轮结束时在全部 10000 个样本上评估。";
    Step => "step", "步";
    GuessLoss => "ln 10: a guess", "ln 10:瞎猜";
    GuessAccuracy => "10 %: a guess", "10%:瞎猜";
    Confusion => "Confusion matrix (rows: true digit, columns: predicted)", "混淆矩阵(行:真实数字,列:预测)";
    Mistakes => "Misclassified test digits (click one to inspect it)", "被分错的测试数字(点击查看)";
    Diverged => "The loss blew up (NaN or huge) at step", "损失在此步发散(NaN 或过大):";
    DivergedHelp => "Training is paused and the weights are those of the last good step. Lower the learning rate, then resume.",
        "训练已暂停,权重为最后一个正常步的权重。请降低学习率后继续。";
    TrainingEngineLost => "The engine stopped during training (lost GPU device or out of memory). The last checkpoint's weights are kept; Start trains on from them on the CPU.",
        "训练中引擎停止(GPU 设备丢失或内存不足)。已保留最后一个检查点的权重;点击开始可在 CPU 上继续训练。";
    Input => "Input", "输入";
    Low => "low", "低";
    High => "high", "高";
    OverviewHelp => "Every tap of the network, in the order data flows; each picture is the mean of its channels (dark: low, yellow: high). Click a tap or press Enter to open its channels; hover a pixel or use the arrow keys to see which input pixels it sees.",
        "网络的每一个观测点,按数据流动的顺序排列;每张小图是该层各通道的平均值(深色:低,黄色:高)。点击或按回车打开它的全部通道;悬停在某个像素上或用方向键,可以看到它能看到哪些输入像素。";
    TabLesson => "Lesson", "讲解";
    TabChannels => "Channels", "通道";
    TabCode => "Code", "代码";
    CodeTitle => "The post's PyTorch code", "原文的 PyTorch 代码";
    CodeIsThePosts => "Exactly the post's code. The lines that build the opened tap are marked; click a line to open what it builds.",
        "与原文代码完全一致。构建当前打开的观测点的代码行会被标出;点击一行即可打开它构建的部分。";
    CodeDiffers => "The post's code with this preset's numbers (fewer channels, a smaller input); hover a marked line to see the post's. The lines that build the opened tap are highlighted; click a line to open what it builds. Lines that differ from the post:",
        "原文的代码,换成了这个预设的数字(通道更少、输入更小);悬停在带标记的行上可看原文写法。构建当前打开的观测点的代码行会高亮;点击一行即可打开它构建的部分。与原文不同的行数:";
    ThePostWrites => "the post writes", "原文为";
    TabTrain => "Train & weights", "训练与权重";
    TabLayers => "Layer table", "逐层表";
    LessonShows => "In the overview:", "对应:";
    ChannelsHint => "Open a tap in the overview (click it, or focus it and press Enter) to see all its channels here.",
        "在上方总览中打开一个观测点(点击,或选中后按回车),这里会显示它的全部通道。";
    PreviousTap => "← Previous tap", "← 上一个";
    NextTap => "Next tap →", "下一个 →";
    ExplainConv => "A convolution and its ReLU. Each tile is one channel: where its learned filter matched the layer below. Yellow is a strong match; the darkest tiles are zero, switched off by the ReLU.",
        "一个卷积层及其 ReLU。每个小块是一个通道:它学到的滤波器在下一层的哪些位置匹配上了。黄色表示匹配强;最暗的地方是 0,被 ReLU 关掉了。";
    ExplainPool => "Max-pooling: each pixel is the largest value of a small window of the layer below. The maps shrink, the strongest responses survive, and small shifts of the digit matter less.",
        "最大池化:每个像素是下一层一个小窗口里的最大值。特征图变小,最强的响应保留下来,数字稍微移动一点也影响不大。";
    ExplainBlock => "The output of a whole block: its convolutions, then the pooling that ends it. The next block starts from these maps.",
        "一个完整块的输出:块里的卷积,再加上结尾的池化。下一个块从这些特征图开始。";
    ExplainInception => "An Inception block's output: the channels of its four branches stacked together, branch 1 first and branch 4 last. Open the branches to see which part came from which kernel size.",
        "Inception 块的输出:四个分支的通道拼接在一起,分支 1 在前,分支 4 在后。打开各个分支,可以看到哪些通道来自哪种卷积核。";
    ExplainBranch => "One of the four parallel paths of an Inception block (1×1; 1×1 then 3×3; 1×1 then 5×5; pool then 1×1), before they are stacked together.",
        "Inception 块四条并行路径之一(1×1;1×1 后接 3×3;1×1 后接 5×5;池化后接 1×1),拼接之前的样子。";
    ExplainResidual => "A residual block's output: ReLU(main path + shortcut), added pixel by pixel. It looks like the shortcut with the main path's corrections drawn in.",
        "残差块的输出:ReLU(主路径 + 捷径),逐像素相加。它看起来像捷径,只是叠加了主路径的修改。";
    ExplainMainPath => "The main path of a residual block (convolution, batch norm, ReLU, convolution, batch norm), before the sum: the change the block adds to its input. Values can be negative here.",
        "残差块的主路径(卷积、批量归一化、ReLU、卷积、批量归一化),相加之前:这个块对输入做的修改。这里的值可以是负数。";
    ExplainShortcut => "The shortcut: the block's input as it is, or, where the shape changes, a strided 1×1 convolution of it.",
        "捷径:块的输入原样传过来;形状改变时,是对它做的带步幅的 1×1 卷积。";
    ExplainHidden => "A fully connected layer after its ReLU: each cell is one unit. The cells are laid out in a square only to fit; neighbours are not related.",
        "ReLU 之后的全连接层:每个格子是一个单元。排成方形只是为了放得下;相邻的格子之间没有关系。";
    BadTrainingSetting => "Check the training settings:", "请检查训练设置:";
    TabProbe => "Probe", "探查";
    ProbeIntro => "Three experiments on the network as it is now (shipped, imported or trained here): where it looked, what happens without a part, and what it withstands. None of them changes the weights.",
        "对当前网络(自带的、导入的或在这里训练的)做三个实验:它看了哪里、去掉一部分会怎样、它能承受多大的变化。这些实验都不会改变权重。";
    ExplainTitle => "Where did it look?", "它看了哪里?";
    ExplainHelp => "Saliency asks which input pixels would change the class score most if they changed a little. Grad-CAM asks which places of a layer's maps the score depends on, weighing each channel by how much the score grows with it. Both follow your drawing live.",
        "显著图问的是:哪些输入像素稍微变一点,类别得分变化最大。Grad-CAM 问的是:得分依赖某一层特征图的哪些位置,每个通道按得分随它增长的程度加权。两者都随你的笔画实时更新。";
    ExplainOn => "Show where it looked", "显示它看了哪里";
    ExplainOff => "Hide where it looked", "隐藏";
    ExplainClass => "Class", "类别";
    ExplainPredicted => "predicted", "预测的";
    ExplainChosen => "chosen", "所选的";
    ExplainingClass => "Explaining class", "解释的类别:";
    CamDefault => "last map of 3×3 or more", "最后一个不小于 3×3 的特征图";
    OverlayShows => "Overlay", "叠加显示";
    Saliency => "Saliency", "显著图";
    SaliencyHelp => "the gradient of the class score with respect to each input pixel (largest over colour channels). Fine-grained and noisy: it marks the strokes whose ink matters.",
        "类别得分对每个输入像素的梯度(取各颜色通道中最大的)。细致但有噪声:它标出墨迹最要紧的笔画。";
    CamHelp => "αₖ is the mean gradient of the score over channel k's map; the weighted sum of the maps, negatives cut off, stretched over the input. Coarse (as coarse as the layer), but it says which part of the digit decided.",
        "αₖ 是得分对第 k 个通道特征图的平均梯度;各特征图加权求和,去掉负值,再拉伸到输入大小。它和这一层一样粗糙,但能说明是数字的哪一部分起了决定作用。";
    KnockoutOn => "Switch it back on", "重新打开";
    KnockoutOff => "Switch it off", "关掉它";
    KnockoutThisChannel => "Switch this channel off", "关掉这个通道";
    KnockBranch => "branch", "分支";
    KnockMain => "main path", "主路径";
    KnockShortcut => "shortcut", "捷径";
    KnockBlockConvs => "its convolutions", "块内卷积";
    KnockoutTitle => "What if a part is missing?", "去掉一部分会怎样?";
    KnockoutHelp => "Switch parts off and watch the prediction and maps change; then measure the damage on the MNIST test set. A switched-off branch or path reads as zeros; a VGG block whose convolutions keep the channel count can skip them. A residual block without its main path still passes its input on: that is why deep ResNets train.",
        "关掉一些部分,观察预测和特征图如何变化;然后在 MNIST 测试集上测量损失。被关掉的分支或路径输出全为 0;通道数不变的 VGG 块可以跳过它的卷积。残差块没有主路径时仍会把输入传下去:这正是深层 ResNet 能训练的原因。";
    KnockoutNoParts => "AlexNet has no parallel paths to remove: switch single channels off instead.", "AlexNet 没有可以去掉的并行路径:请改为关掉单个通道。";
    KnockoutChannelsHint => "Single channels: open a tap in the Channels tab, enlarge a channel and press \"Switch this channel off\". Channels switched off:",
        "单个通道:在“通道”标签页打开一层,放大一个通道,按“关掉这个通道”。已关掉的通道:";
    KnockoutClear => "Switch everything back on", "全部重新打开";
    KnockoutDigits => "Test digits", "测试数字";
    TestDigits => "test digits", "个测试数字";
    KnockoutAccuracy => "Test accuracy with these knock-outs", "测试去掉这些部分后的准确率";
    Cancel => "Cancel", "取消";
    KnockoutSet => "Switched off", "关掉的部分";
    Intact => "intact", "完整网络";
    Change => "change (points)", "变化(百分点)";
    KnockoutNone => "nothing (intact)", "无(完整网络)";
    OpKnockoutAccuracy => "measuring accuracy", "测量准确率";
    OpTopExamples => "searching the test digits", "搜索测试数字";
    OpRace => "racing", "比赛";
    DetectTitle => "What does a channel detect?", "一个通道检测什么?";
    DetectHelp => "Two ways to ask a channel what it responds to: the nine MNIST test digits (of the first 1,000, or of all 10,000) whose map of it reaches the highest value (outlined: the receptive field of that strongest pixel), and an input made to excite it.",
        "两种方法问一个通道它对什么有反应:在 MNIST 测试数字(前 1,000 个或全部 10,000 个)中,它的特征图最大值最高的九个(框出的是最强像素的感受野);以及专门造出来让它兴奋的输入。";
    DetectTap => "Layer", "层";
    DetectThisChannel => "What does it detect?", "它检测什么?";
    TopExamplesRun => "Find the nine test digits it fires on most", "找出让它最兴奋的九个测试数字";
    ActivationMaxRun => "Make an input it responds to", "造一个让它兴奋的输入";
    ActivationMaxCaption => "Made by gradient ascent on the input, from faint noise: each step raises the mean of the channel's map, on a copy shifted at random by up to 1/12 of the side (jitter), and pulls every pixel 1% back towards the background (L2 decay). Steps:",
        "对输入做梯度上升得到,从微弱的噪声开始:每一步都提高该通道特征图的平均值,每次在随机平移最多边长 1/12 的副本上计算(抖动),并把每个像素向背景拉回 1%(L2 衰减)。步数:";
    GradientNorms => "Gradient norm per layer (log scale)", "每层梯度范数(对数坐标)";
    DeadRelus => "Share of ReLU outputs that are zero", "ReLU 输出为 0 的比例";
    LayersDarkToBright => "dark to bright:", "由暗到亮:";
    HealthHelp => "Measured on one training step every 2 seconds: the L2 norm of each convolution's and linear layer's weight gradient, and on 32 test digits the share of each ReLU's outputs that are zero. When a loss curve sits on a plateau (VGG and GoogLeNet have no batch normalization and can, for hundreds of steps from random weights), look here: do the first layers get any gradient? Do whole layers of ReLUs stay at zero? Then train ResNet-18 from random weights and compare.",
        "每 2 秒在一个训练步上测量一次:每个卷积层和全连接层权重梯度的 L2 范数;以及在 32 个测试数字上,每个 ReLU 输出为 0 的比例。当损失曲线停在平台上时(VGG 和 GoogLeNet 没有批量归一化,从随机权重开始可能停上几百步),看看这里:前几层得到梯度了吗?是否有整层的 ReLU 一直为 0?再从随机权重训练 ResNet-18 比较一下。";
    FilmstripTitle => "How training shaped it", "训练如何塑造它";
    FilmstripHelp => "At each checkpoint (every 20 s, at each epoch's end, on pause and stop): the first layer's kernels and the enlarged (or opened) channel's map for the input of that moment. Drag the slider back through the run.",
        "每个检查点(每 20 秒、每个 epoch 结束、暂停和停止时):第一层的卷积核,以及放大(或打开)的通道在当时输入上的特征图。拖动滑块回看整个训练过程。";
    Checkpoint => "Checkpoint", "检查点";
    StepWord => "step", "步";
    RobustnessTitle => "What does it withstand?", "它能承受什么?";
    RobustnessHelp => "Move, turn, resize, thicken or blur the digit; the prediction and the maps follow. Pooling and many layers make small shifts matter little; large ones, or turns, are another matter.",
        "移动、旋转、缩放、加粗或加噪声;预测和特征图随之变化。池化和多层结构让小的平移影响不大;大的平移或旋转就不一样了。";
    ShiftX => "Shift right", "右移";
    ShiftY => "Shift down", "下移";
    Rotate => "Turn", "旋转";
    Scale => "Scale", "缩放";
    Thickness => "Stroke", "笔画粗细";
    Noise => "Noise", "噪声";
    DistortionReset => "Undo the distortions", "撤销变换";
    ShiftCurveTitle => "Probability against shift", "概率随平移的变化";
    ShiftCurveOf => "Probability of", "类别概率:";
    ShiftCurveHelp => "Solid: shifted across (−8 left … +8 right); dashed: shifted down (−8 up … +8 down), the other distortions kept. Your network with its current weights and knock-outs; the others with their shipped weights.",
        "实线:横向平移(−8 向左 … +8 向右);虚线:纵向平移(−8 向上 … +8 向下),其他变换保持不变。你的网络用当前权重和已关掉的部分;其他网络用自带的权重。";
    TooLargeForGpu => "cannot run on this GPU: its layer", "无法在这块 GPU 上运行:它的层";
    TooLargeForGpuNeeds => "needs", "需要";
    TooLargeForGpuAllows => "in one buffer, and this GPU allows", "(单个缓冲区),而这块 GPU 最多允许";
    TooLargeForGpuHelp => "Choose the CPU backend for it (slower, but its memory is the computer's).",
        "请为它选择 CPU 后端(较慢,但可使用电脑的内存)。";
    RaceTitle => "Race: which network learns fastest?", "比赛:哪个网络学得最快?";
    RaceIntro => "Each network starts from random weights and sees the same training digits in the same order, with the same batch size, optimizer and budget. Loss and test accuracy (the first 1,000 test digits, measured each time a network has used another tenth of its budget) are drawn against images seen — how much each design learns from the same data — and against seconds of training — what that design costs on this device.",
        "每个网络都从随机权重出发,按相同顺序看相同的训练数字,批大小、优化器和预算也相同。损失与测试准确率(前 1000 个测试数字,每用完十分之一预算测一次)既按已见图像数绘制——同样的数据,每种结构学到多少;也按训练秒数绘制——这种结构在这台设备上要花多少时间。";
    RaceNetworks => "Networks (two to four)", "网络(二到四个)";
    RaceBudget => "Budget", "预算";
    RaceSecondsEach => "seconds per network", "秒 / 每个网络";
    RaceImagesEach => "images per network", "张图像 / 每个网络";
    RaceOrder => "Order", "顺序";
    RaceInterleaved => "take turns (curves grow together)", "轮流训练(曲线同时增长)";
    RaceOneAfterAnother => "one after the other", "一个接一个";
    RaceSharedSettings => "Set on the Train tab; every network gets the same.", "在“训练”标签页设置;所有网络相同。";
    RaceBadSetting => "Check the race's settings:", "请检查比赛设置:";
    RaceStart => "Start race", "开始比赛";
    RaceIdle => "No race yet.", "尚未比赛。";
    RaceStarting => "Starting…", "正在开始…";
    RaceRunning => "Racing…", "比赛中…";
    RacePaused => "Paused: resume goes on from the last checkpoint.", "已暂停:继续时从上一个检查点接着训练。";
    RaceFinished => "Finished: every network has used its budget.", "已结束:每个网络都用完了预算。";
    RaceEngineLost => "The engine restarted; the race can go on from its last checkpoint (with a fresh optimizer state).",
        "引擎已重启;比赛可以从上一个检查点继续(优化器状态重新开始)。";
    RaceDownloading => "downloading the training digits", "正在下载训练数字";
    RaceAxis => "Against", "横轴";
    RaceImagesSeen => "images seen", "已见图像";
    RaceSecondsTrained => "seconds of training", "训练秒数";
    RaceLossTitle => "Training loss (mean of each slice of steps)", "训练损失(每段步数的平均)";
    RaceAccuracyTitle => "Test accuracy (first 1,000 test digits)", "测试准确率(前 1000 个测试数字)";
    RaceBudgetUsed => "budget used", "已用预算";
    RaceLastLoss => "loss", "损失";
    RaceLastAccuracy => "test accuracy", "测试准确率";
    RaceReached => "reached", "达到";
    RaceNotReached => "not yet", "尚未";
    RaceNeverReached => "not reached", "未达到";
    RaceFirstTo => "First to", "最先达到";
    RaceByImages => "by images", "(按图像数)";
    RaceBySeconds => "by seconds", "(按秒数)";
    RaceNobodyYet => "nobody yet", "还没有";
    RaceNobody => "nobody", "没有网络达到";
    RaceDiverged => "diverged at step", "发散,步数";
    RaceWatch => "What to look for: ResNet puts batch normalization after every convolution and a shortcut around every pair; AlexNet, VGG and GoogLeNet, as in the post, have neither. Does a loss sit near 2.3 (ln 10: guessing among ten digits) before it falls? Then compare the two x axes: a network can learn the most per image and still lose per second.",
        "看点:ResNet 在每个卷积后都有批量归一化,每两层卷积旁有一条捷径;原文中的 AlexNet、VGG 和 GoogLeNet 两者都没有。损失会不会先停在 2.3 附近(ln 10:在十个数字中瞎猜)才开始下降?再比较两种横轴:一个网络可能每张图学得最多,按秒却输了。";
}
