//! The network picker, from the presets' descriptions.

use convscope::arch::{Preset, PresetKind};
use convscope::summary::megabytes;
use leptos::prelude::*;

use super::i18n::Text;
use super::{AppState, settings, use_state, weights_source};

pub(super) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn option_label(preset: &Preset) -> String {
    let [c, h, w] = preset.input;
    format!(
        "{} — {} ({c}×{h}×{w})",
        preset.name,
        preset.family.display_name()
    )
}

/// Why `preset` cannot run on the WebGPU device in use, in the page's language; `None` when
/// it fits (or the CPU runs it).
fn too_large_for_gpu(state: AppState, preset: &Preset) -> Option<String> {
    let max_buffer = state.backend.get_untracked()?.max_buffer_bytes?;
    let too_large = preset
        .architecture()
        .summary()
        .ok()?
        .fits_gpu_buffer(max_buffer)
        .err()?;
    Some(format!(
        "{} {} {} {} {} MB {} {} MB. {}",
        preset.name,
        state.text(Text::TooLargeForGpu),
        too_large.layer,
        state.text(Text::TooLargeForGpuNeeds),
        megabytes(too_large.needed),
        state.text(Text::TooLargeForGpuAllows),
        megabytes(too_large.allowed),
        state.text(Text::TooLargeForGpuHelp)
    ))
}

#[component]
pub fn NetworkPicker() -> impl IntoView {
    let state = use_state();
    let options = move |kind: PresetKind| {
        Preset::ALL
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| {
                view! {
                    <option value=p.name prop:selected=move || state.preset.get().name == p.name>
                        {option_label(p)}
                    </option>
                }
            })
            .collect_view()
    };
    let on_change = move |event: leptos::ev::Event| {
        let Ok(preset) = Preset::by_name(&event_target_value(&event)) else {
            return;
        };
        if let Some(problem) = too_large_for_gpu(state, preset) {
            // The engine keeps the network it has; the picker goes back to it.
            state.error.set(Some(problem));
            event_target::<web_sys::HtmlSelectElement>(&event)
                .set_value(state.preset.get_untracked().name);
            return;
        }
        settings::save_preset(preset);
        weights_source::select_preset(state, preset);
    };
    view! {
        <label class="field">
            <span>{move || state.text(Text::Network)}</span>
            <select data-testid="arch-select" on:change=on_change>
                <optgroup label=move || state.text(Text::BrowserPresets)>
                    {options(PresetKind::Browser)}
                </optgroup>
                <optgroup label=move || state.text(Text::SeedPresets)>
                    {options(PresetKind::Seed)}
                </optgroup>
            </select>
        </label>
        <Show when=move || state.preset.get().kind == PresetKind::Seed>
            <p class="note">{move || state.text(Text::SeedCost)}</p>
        </Show>
    }
}
