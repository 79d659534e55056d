//! English and 简体中文: every text of the UI, side by side.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
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
    Starting => "Starting the engine…", "正在启动引擎…";
    Draw => "Draw a digit", "写一个数字";
    DrawHelp => "Draw with mouse, finger or pen. The network runs while you draw.",
        "用鼠标、手指或手写笔书写,网络随笔画实时运行。";
    Brush => "Brush", "笔刷";
    Clear => "Clear", "清除";
    Run => "Run", "运行";
    Upload => "Upload an image", "上传图片";
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
    Probabilities => "Probabilities", "各类概率";
    FeatureMaps => "Feature maps", "特征图";
    FeatureMapsHelp => "Each tile is one channel, normalized on its own (viridis: dark = its minimum, yellow = its maximum). Click a channel to enlarge it.",
        "每个小块是一个通道,各自归一化(viridis 色图:深色为最小值,黄色为最大值)。点击通道可放大。";
    Range => "range", "取值范围";
    Channel => "channel", "通道";
    Close => "Close", "关闭";
    Previous => "Previous channel", "上一个通道";
    Next => "Next channel", "下一个通道";
    HoverHelp => "Hover for values; ←/→ change channel, Esc closes.", "悬停查看数值;←/→ 切换通道,Esc 关闭。";
    Kernels => "First-layer kernels", "第一层卷积核";
    KernelsHelp => "One tile per output channel, summed over input channels (they all see the same gray digit).",
        "每个输出通道一块,对输入通道求和(各输入通道看到的是同一张灰度图)。";
    Blocks => "Blocks", "模块结构";
    LayerTable => "Layer table", "逐层表";
    Layer => "layer", "层";
    Type => "type", "类型";
    Tap => "feature map", "特征图";
    OutputShape => "output shape", "输出形状";
    Params => "params", "参数";
    Macs => "MACs", "乘加";
    Total => "total", "合计";
    Weights => "Weights", "权重";
    WeightsPretrained => "pretrained on MNIST (shipped)", "MNIST 预训练(随附)";
    WeightsRandom => "random initialization", "随机初始化";
    WeightsImported => "imported from", "导入自";
    WeightsLoading => "Downloading weights…", "正在下载权重…";
    ImportWeights => "Import .safetensors", "导入 .safetensors";
    ResetWeights => "Reset to default weights", "恢复默认权重";
    ExportWeights => "Export .safetensors", "导出 .safetensors";
    WeightsHelp => "PyTorch state_dict with the post's key names (model.state_dict() saved with safetensors).",
        "PyTorch state_dict,键名与原文一致(用 safetensors 保存 model.state_dict())。";
    Dismiss => "Dismiss", "关闭提示";
    ErrorTitle => "Problem", "出现问题";
    EmptyCanvas => "The canvas is empty: draw a digit first.", "画布是空的:请先写一个数字。";
    GpuLost => "The GPU device was lost; switched to the CPU backend. Your input and weights are kept.",
        "GPU 设备丢失,已切换到 CPU 后端。输入和权重均已保留。";
    EngineCrashed => "The engine stopped unexpectedly and was restarted.", "引擎意外停止,已重新启动。";
    ComputeTime => "computed in", "计算用时";
}
