//! The race's controls: which networks, the budget, the order, start and pause; then its
//! curves and table.

use convscope::training::{RaceAxis, RaceOrder};
use leptos::prelude::*;

use super::super::engine_text::localized;
use super::super::i18n::Text;
use super::super::palette::network_color;
use super::super::use_state;
use super::chart::RaceChart;
use super::table::RaceTable;
use super::{RaceStatus, browser_preset_names, pause_or_resume, start};

#[component]
pub fn RacePanel() -> impl IntoView {
    let state = use_state();
    let race = state.race;
    let settings = race.settings;
    let busy = move || {
        matches!(
            race.status.get(),
            RaceStatus::Running | RaceStatus::Starting
        )
    };
    let can_resume = move || {
        matches!(race.status.get(), RaceStatus::Paused | RaceStatus::Error)
            && (race.in_engine.get() || race.saved.with_value(Option::is_some))
    };
    let checkboxes = browser_preset_names()
        .map(|name| {
            let checked = move || settings.with(|s| s.presets.contains(&name));
            let toggle = move |_| {
                settings.update(|s| {
                    let mut chosen: Vec<&'static str> = browser_preset_names()
                        .filter(|&other| s.presets.contains(&other) != (other == name))
                        .collect();
                    std::mem::swap(&mut s.presets, &mut chosen);
                });
            };
            view! {
                <label class="race-preset">
                    <input type="checkbox" value=name prop:checked=checked on:change=toggle disabled=busy />
                    <span class="swatch" style=format!("background:{}", network_color(name))></span>
                    {name}
                </label>
            }
        })
        .collect_view();
    let on_amount = move |event: leptos::ev::Event| {
        if let Ok(amount) = event_target_value(&event).parse::<f64>() {
            settings.update(|s| s.amount = amount);
        }
    };
    let on_unit = move |event: leptos::ev::Event| {
        let unit = if event_target_value(&event) == "images" {
            RaceAxis::Images
        } else {
            RaceAxis::Seconds
        };
        settings.update(|s| {
            if s.unit != unit {
                s.unit = unit;
                s.amount = match unit {
                    RaceAxis::Images => 12_800.0,
                    RaceAxis::Seconds => 60.0,
                };
            }
        });
        race.axis.set(unit);
    };
    let on_order = move |event: leptos::ev::Event| {
        let order = if event_target_value(&event) == "one-after-another" {
            RaceOrder::OneAfterAnother
        } else {
            RaceOrder::Interleaved
        };
        settings.update(|s| s.order = order);
    };
    let shared = move || {
        let training = state.training.settings.get();
        format!(
            "{} {}, {} {}, {} {}. {}",
            state.text(Text::BatchSize),
            training.batch_size,
            state.text(Text::Optimizer),
            training.optimizer.name(),
            state.text(Text::LearningRate),
            training.learning_rate,
            state.text(Text::RaceSharedSettings)
        )
    };
    let download = move || {
        let (loaded, total) = state.training.data.get()?;
        (race.status.get() == RaceStatus::Starting).then(|| {
            let megabytes = |bytes: u64| bytes as f64 / 1e6;
            match total {
                Some(total) => format!(
                    " {} {:.1}/{:.1} MB",
                    state.text(Text::RaceDownloading),
                    megabytes(loaded),
                    megabytes(total)
                ),
                None => format!(
                    " {} {:.1} MB",
                    state.text(Text::RaceDownloading),
                    megabytes(loaded)
                ),
            }
        })
    };
    view! {
        <section class="race" data-testid="race" aria-labelledby="race-title">
            <h2 id="race-title">{move || state.text(Text::RaceTitle)}</h2>
            <p class="help">{move || state.text(Text::RaceIntro)}</p>
            <fieldset class="race-presets" data-testid="race-presets">
                <legend>{move || state.text(Text::RaceNetworks)}</legend>
                {checkboxes}
            </fieldset>
            <div class="race-settings">
                <label>
                    {move || state.text(Text::RaceBudget)}" "
                    <input
                        type="number"
                        min="1"
                        step="any"
                        data-testid="race-budget"
                        prop:value=move || settings.with(|s| s.amount.to_string())
                        on:change=on_amount
                        disabled=busy
                    />
                </label>
                <select data-testid="race-budget-unit" aria-label=move || state.text(Text::RaceBudget) on:change=on_unit disabled=busy>
                    <option value="seconds" prop:selected=move || settings.with(|s| s.unit == RaceAxis::Seconds)>
                        {move || state.text(Text::RaceSecondsEach)}
                    </option>
                    <option value="images" prop:selected=move || settings.with(|s| s.unit == RaceAxis::Images)>
                        {move || state.text(Text::RaceImagesEach)}
                    </option>
                </select>
                <label>
                    {move || state.text(Text::RaceOrder)}" "
                    <select data-testid="race-order" on:change=on_order disabled=busy>
                        <option value="interleaved" prop:selected=move || settings.with(|s| s.order == RaceOrder::Interleaved)>
                            {move || state.text(Text::RaceInterleaved)}
                        </option>
                        <option value="one-after-another" prop:selected=move || settings.with(|s| s.order == RaceOrder::OneAfterAnother)>
                            {move || state.text(Text::RaceOneAfterAnother)}
                        </option>
                    </select>
                </label>
            </div>
            <p class="help">{shared}</p>
            <div class="race-buttons">
                <button data-testid="race-start" class="primary" on:click=move |_| start(state) disabled=busy>
                    {move || state.text(Text::RaceStart)}
                </button>
                <button data-testid="race-pause" on:click=move |_| pause_or_resume(state) disabled=move || !busy() && !can_resume()>
                    {move || state.text(if busy() { Text::Pause } else { Text::Resume })}
                </button>
            </div>
            <p class="race-status" data-testid="race-status" data-status=move || race.status.get().word() role="status">
                {move || state.text(race.status.get().text())}
                {download}
                {move || {
                    race.message
                        .get()
                        .map(|message| view! { <span class="race-message">" "{localized(state.lang.get(), &message)}</span> })
                }}
            </p>
            <RaceChart />
            <RaceTable />
            <p class="help">{move || state.text(Text::RaceWatch)}</p>
        </section>
    }
}
