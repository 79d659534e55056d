//! The engine's and the core's messages (English, from Rust errors) in the page's language:
//! their fixed phrases are replaced, file names, numbers and tensor keys stay as they are.

use super::i18n::Lang;

/// English phrases of the engine's messages and their Chinese, longest first where one
/// contains another.
const CHINESE: &[(&str, &str)] = &[
    // The image decoder's own words, most often met.
    (
        "The image format could not be determined",
        "无法确定图片格式",
    ),
    ("unknown format", "未知格式"),
    ("Format error decoding ", "解码出错:"),
    // The safetensors reader's.
    (
        "incomplete metadata, file not fully covered",
        "元数据不完整,文件未被完整覆盖",
    ),
    ("invalid UTF-8 in header", "文件头中有无效的 UTF-8"),
    (
        "invalid start character in header, must be",
        "文件头的起始字符无效,应为",
    ),
    ("invalid JSON in header", "文件头中的 JSON 无效"),
    ("header too large", "文件头过大"),
    ("header too small", "文件头过小"),
    ("invalid header length", "文件头长度无效"),
    (
        "invalid shape, data type, or offset for tensor",
        "张量的形状、数据类型或偏移无效",
    ),
    ("invalid offset for tensor", "张量偏移无效"),
    (
        "this file is not an image we can read",
        "此文件不是可读取的图片",
    ),
    (
        "-megapixel limit; scale it down first",
        " 百万像素的上限;请先缩小图片",
    ),
    ("the image is ", "图片为 "),
    (", over the ", ",超过 "),
    (
        "no digit found: the image is blank or has no contrast",
        "未找到数字:图片是空白的或没有对比度",
    ),
    (
        "not a readable .safetensors file",
        "不是可读取的 .safetensors 文件",
    ),
    ("; is it truncated?", ";文件是否不完整?"),
    (
        "the weights do not fit this network",
        "这些权重与此网络不匹配",
    ),
    (" (they fit ", "(它们适用于 "),
    (" missing: ", " 个缺失:"),
    (" unexpected: ", " 个多余:"),
    (" misshaped: ", " 个形状不符:"),
    (" not float32: ", " 个不是 float32:"),
    (" is [", " 为 ["),
    (", expected ", ",应为 "),
    (
        "could not read the weights back from the device",
        "无法从设备读回权重",
    ),
    ("WebGPU is not available here", "此处无法使用 WebGPU"),
    ("the GPU device was destroyed", "GPU 设备已被销毁"),
    ("the engine runs on the CPU", "引擎正在 CPU 上运行"),
    ("the engine could not load", "引擎无法加载"),
    ("the engine has not started", "引擎尚未启动"),
    ("no network is loaded yet", "尚未加载网络"),
    ("the input has changed since", "输入已经改变"),
    (
        "there is no run to resume; start one",
        "没有可继续的训练;请开始新的训练",
    ),
    ("MNIST has no test digit #", "MNIST 测试集中没有样本 #"),
    (
        "the MNIST test set has no such digit",
        "MNIST 测试集中没有这个样本",
    ),
    ("the MNIST download is damaged", "MNIST 下载已损坏"),
    ("MNIST data is corrupt", "MNIST 数据已损坏"),
    ("could not download ", "无法下载 "),
    ("reading results from the device", "从设备读取结果"),
    ("reading the kernels back", "读回卷积核"),
    ("reading the loss back", "读回损失"),
    ("reading predictions back", "读回预测"),
    ("reading the operands back", "读回运算数"),
    ("saving a checkpoint", "保存检查点"),
    ("epochs must be 1 to ", "训练轮数须在 1 到 "),
    ("the batch size must be 1 to ", "批大小须在 1 到 "),
    ("training images must be 1 to ", "训练图片数须在 1 到 "),
    ("a race needs ", "比赛需要 "),
    (" networks, not ", " 个网络,而不是 "),
    (" is in the race twice", " 在比赛中出现了两次"),
    (
        "the budget must be above 0 and at most ",
        "预算须大于 0 且不超过 ",
    ),
    ("the budget must be 1 to ", "预算须在 1 到 "),
    ("test digits must be 1 to ", "测试数字数须在 1 到 "),
    (
        " is a seed network: only the browser presets race",
        " 是原文网络:只有浏览器预设可以参加比赛",
    ),
    ("there is no race to go on with", "没有可继续的比赛"),
    (
        "could not keep the race in this browser",
        "无法在此浏览器中保存比赛",
    ),
    (
        " cannot run on this GPU: its layer ",
        " 无法在这块 GPU 上运行:它的层 ",
    ),
    (
        " MB in one buffer, and this GPU allows ",
        " MB(单个缓冲区),而这块 GPU 最多允许 ",
    ),
    ("the network has no tap called ", "网络中没有名为此的抽头:"),
    (" has no pixel ", " 没有这个像素 "),
    ("unknown network ", "未知网络 "),
    ("; the presets are: ", ";可选预设:"),
    (" takes inputs of at least ", " 的输入至少为 "),
    (" input channel(s), got ", " 个输入通道,实际为 "),
    (" inputs, got ", " 的输入,实际为 "),
    (" takes ", " 需要 "),
];

/// `message` in `lang`.
pub fn localized(lang: Lang, message: &str) -> String {
    if lang != Lang::Zh {
        return message.to_string();
    }
    let mut text = CHINESE
        .iter()
        .fold(message.to_string(), |text, (english, chinese)| {
            text.replace(english, chinese)
        });
    // "and 12 more" (a long list cut short).
    while let Some(start) = text.find("and ") {
        let rest = &text[start + 4..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !rest[digits..].starts_with(" more") {
            break;
        }
        let count = rest[..digits].to_string();
        text.replace_range(start..start + 4 + digits + 5, &format!("另有 {count} 个"));
    }
    text
}
