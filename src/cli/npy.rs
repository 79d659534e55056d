//! Reading `.npy` float arrays (NumPy's format, C order), as `numpy.save` writes them.

use anyhow::{Context, Result, bail, ensure};

pub struct NpyArray {
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

fn header_value<'a>(header: &'a str, key: &str) -> Result<&'a str> {
    let start = header
        .find(&format!("'{key}'"))
        .with_context(|| format!("the .npy header has no '{key}'"))?;
    let rest = &header[start + key.len() + 2..];
    let colon = rest.find(':').context("malformed .npy header")?;
    Ok(rest[colon + 1..].trim_start())
}

pub fn parse_npy(bytes: &[u8]) -> Result<NpyArray> {
    ensure!(
        bytes.starts_with(b"\x93NUMPY"),
        "not a .npy file (no NumPy magic)"
    );
    let major = *bytes.get(6).context("truncated .npy file")?;
    let (header_len, header_start) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 => {
            let len = bytes.get(8..12).context("truncated .npy file")?;
            (
                u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize,
                12,
            )
        }
        other => bail!("unsupported .npy version {other}"),
    };
    let header = bytes
        .get(header_start..header_start + header_len)
        .context("truncated .npy header")?;
    let header = std::str::from_utf8(header).context(".npy header is not text")?;
    let descr = header_value(header, "descr")?;
    let element_size = if descr.starts_with("'<f4'") {
        4
    } else if descr.starts_with("'<f8'") {
        8
    } else {
        bail!(
            "the .npy array must be float32 (or float64), got {}",
            descr.split(',').next().unwrap_or(descr)
        );
    };
    ensure!(
        header_value(header, "fortran_order")?.starts_with("False"),
        "the .npy array is in Fortran order; save it C-contiguous"
    );
    let shape_text = header_value(header, "shape")?;
    let shape_text = shape_text
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .context("malformed .npy shape")?;
    let shape = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().context("malformed .npy shape"))
        .collect::<Result<Vec<_>>>()?;
    let count: usize = shape.iter().product();
    let data = &bytes[header_start + header_len..];
    ensure!(
        data.len() >= count * element_size,
        "the .npy file is truncated: {count} values announced, {} bytes present",
        data.len()
    );
    let values = if element_size == 4 {
        data.chunks_exact(4)
            .take(count)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    } else {
        data.chunks_exact(8)
            .take(count)
            .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")) as f32)
            .collect()
    };
    Ok(NpyArray { shape, values })
}
