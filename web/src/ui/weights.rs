//! Which weights the network has; import and export of PyTorch `.safetensors`.

use leptos::html::Input;
use leptos::prelude::*;

use super::i18n::Text;
use super::inputs::read_file;
use super::{WeightsState, use_state, weights_source};

#[component]
pub fn WeightsPanel() -> impl IntoView {
    let state = use_state();
    let input = NodeRef::<Input>::new();
    let description = move || match state.weights.get() {
        WeightsState::Loading { .. } => state.text(Text::WeightsLoading).to_string(),
        WeightsState::Pretrained => state.text(Text::WeightsPretrained).to_string(),
        WeightsState::Random => state.text(Text::WeightsRandom).to_string(),
        WeightsState::Imported(name) => format!("{} {name}", state.text(Text::WeightsImported)),
        WeightsState::Trained { steps } => format!("{} {steps}", state.text(Text::WeightsTrained)),
        WeightsState::Restored { steps } => {
            format!("{} {steps}", state.text(Text::WeightsRestored))
        }
    };
    let progress = move || match state.weights.get() {
        WeightsState::Loading { loaded, total } => Some((loaded, total)),
        _ => None,
    };
    let on_change = move |_| {
        let Some(input) = input.get_untracked() else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file(file, weights_source::import);
        }
        input.set_value("");
    };
    view! {
        <section class="panel weights-panel" aria-labelledby="weights-title">
            <h2 id="weights-title">{move || state.text(Text::Weights)}</h2>
            <p data-testid="weights-status">{description}</p>
            {move || {
                progress()
                    .map(|(loaded, total)| {
                        view! {
                            <progress
                                data-testid="weights-progress"
                                max=total.unwrap_or(0).max(1) as f64
                                value=total.map(|_| loaded as f64)
                            ></progress>
                        }
                    })
            }}
            <div class="row">
                <label class="button">
                    {move || state.text(Text::ImportWeights)}
                    <input
                        node_ref=input
                        type="file"
                        accept=".safetensors"
                        class="visually-hidden"
                        data-testid="weights-input"
                        on:change=on_change
                    />
                </label>
                <button data-testid="export-weights" on:click=move |_| weights_source::export()>
                    {move || state.text(Text::ExportWeights)}
                </button>
                <button data-testid="reset-pretrained" on:click=move |_| weights_source::reset(state, true)>
                    {move || state.text(Text::ResetWeights)}
                </button>
                <button data-testid="reset-random" on:click=move |_| weights_source::reset(state, false)>
                    {move || state.text(Text::ResetRandom)}
                </button>
            </div>
            <p class="help">{move || state.text(Text::WeightsHelp)}</p>
        </section>
    }
}
