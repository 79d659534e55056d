//! The training panel: settings, controls, progress and the run's curves and results.

use convscope::training::{OptimizerKind, Schedule, chance_accuracy, chance_loss};
use leptos::prelude::*;

use super::super::engine_text::localized;
use super::super::i18n::Text;
use super::super::network::thousands;
use super::super::{WeightsState, use_state};
use super::charts::{ChartPoint, LineChart};
use super::inside::{Filmstrip, HealthCharts};
use super::report::{ConfusionMatrix, MistakeGallery};
use super::{
    TrainSettings, TrainStatus, pause_or_resume, recommend, start, start_from_random, stop,
};
use convscope::arch::Family;
use convscope::data::MNIST_TRAIN_LEN;
use convscope::training::MAX_EPOCHS;

const BATCH_SIZES: [usize; 6] = [16, 32, 64, 128, 256, 512];

fn duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0).round() as u64;
    if seconds >= 3600 {
        format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        )
    } else {
        format!("{}:{:02}", seconds / 60, seconds % 60)
    }
}

/// A settings control with its label.
#[component]
fn Field(label: Text, children: Children) -> impl IntoView {
    let state = use_state();
    view! {
        <label class="field">
            <span>{move || state.text(label)}</span>
            {children()}
        </label>
    }
}

/// A number field bound to one setting; what does not parse is kept out of the settings.
#[component]
fn NumberField<T: std::str::FromStr + std::fmt::Display + Send + Sync + 'static>(
    label: Text,
    test_id: &'static str,
    read: fn(&TrainSettings) -> T,
    write: fn(&mut TrainSettings, T),
    #[prop(optional)] min: &'static str,
    #[prop(optional)] max: String,
    #[prop(optional)] step: &'static str,
) -> impl IntoView {
    let settings = use_state().training.settings;
    view! {
        <Field label=label>
            <input
                type="number"
                data-testid=test_id
                min=min
                max=max
                step=step
                prop:value=move || read(&settings.get()).to_string()
                on:change=move |event| {
                    if let Ok(value) = event_target_value(&event).trim().parse::<T>() {
                        settings.update(|s| write(s, value));
                    }
                }
            />
        </Field>
    }
}

/// A `<select>` bound to one setting, one option per choice.
#[component]
fn SelectField<T: Copy + PartialEq + Send + Sync + 'static>(
    label: Text,
    test_id: &'static str,
    choices: &'static [T],
    /// The option's `value`, what tests select by.
    value: fn(T) -> String,
    /// What the option shows.
    caption: impl Fn(T) -> String + Copy + Send + Sync + 'static,
    read: fn(&TrainSettings) -> T,
    write: fn(&mut TrainSettings, T),
) -> impl IntoView {
    let settings = use_state().training.settings;
    view! {
        <Field label=label>
            <select
                data-testid=test_id
                on:change=move |event| {
                    let picked = event_target_value(&event);
                    if let Some(&choice) = choices.iter().find(|&&choice| value(choice) == picked) {
                        settings.update(|s| write(s, choice));
                    }
                }
            >
                {choices
                    .iter()
                    .map(|&choice| {
                        view! {
                            <option value=value(choice) prop:selected=move || read(&settings.get()) == choice>
                                {move || caption(choice)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </Field>
    }
}

fn optimizer_caption(optimizer: OptimizerKind) -> Text {
    match optimizer {
        OptimizerKind::Sgd => Text::SgdMomentum,
        OptimizerKind::Adam => Text::Adam,
    }
}

fn schedule_caption(schedule: Schedule) -> Text {
    match schedule {
        Schedule::Constant => Text::ScheduleConstant,
        Schedule::Cosine => Text::ScheduleCosine,
        Schedule::WarmupCosine => Text::ScheduleWarmupCosine,
    }
}

fn recommendation_reason(family: Family) -> Text {
    match family {
        Family::AlexNet => Text::RecommendedAlexNet,
        Family::Vgg => Text::RecommendedVgg,
        Family::GoogLeNet => Text::RecommendedGoogLeNet,
        Family::ResNet => Text::RecommendedResNet,
    }
}

/// The network's own run from scratch, why it differs from the others', and a way back to it.
#[component]
fn Recommendation() -> impl IntoView {
    let state = use_state();
    let settings = state.training.settings;
    let recommended = move || TrainSettings::recommended(state.preset.get().family);
    // Pressing the button removes it; focus moves to the label that replaces it, so a keyboard
    // or screen-reader user stays in place and hears the outcome.
    let in_use_label = NodeRef::<leptos::html::Span>::new();
    let focus_label = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(label) = in_use_label.get()
            && focus_label.get_untracked()
        {
            focus_label.set(false);
            let _ = label.focus();
        }
    });
    let summary = move || {
        let run = recommended();
        format!(
            "{} {}: {} {} · {} {} · {} · {} {} · {}. {}",
            state.text(Text::RecommendedFor),
            state.preset.get().name,
            thousands(run.train_size as u64),
            state.text(Text::TrainSize),
            state.text(Text::BatchSize),
            run.batch_size,
            state.text(optimizer_caption(run.optimizer)),
            state.text(Text::LearningRate),
            run.learning_rate,
            state.text(schedule_caption(run.schedule)),
            state.text(recommendation_reason(state.preset.get().family)),
        )
    };
    view! {
        <p class="help recommendation">
            <span data-testid="train-recommendation">{summary}</span>
            " "
            // A disabled button would leave a student guessing why; saying so needs no guess.
            <Show
                when=move || settings.get() != recommended()
                fallback=move || {
                    view! {
                        <span
                            class="in-use"
                            tabindex="-1"
                            node_ref=in_use_label
                            data-testid="train-recommended-in-use"
                        >
                            {move || state.text(Text::RecommendedInUse)}
                        </span>
                    }
                }
            >
                <button data-testid="train-recommended" on:click=move |_| {
                    focus_label.set(true);
                    recommend(state);
                }>
                    {move || state.text(Text::UseRecommended)}
                </button>
            </Show>
        </p>
    }
}

/// What a run would start from, and so how its loss curve will begin; over the shipped weights,
/// a way to start from nothing instead.
#[component]
fn StartingPoint() -> impl IntoView {
    let state = use_state();
    move || {
        if matches!(
            state.training.status.get(),
            TrainStatus::Training | TrainStatus::Paused
        ) {
            return None;
        }
        let (text, offer_random) = match state.weights.get() {
            WeightsState::Pretrained => (Text::StartsPretrained, true),
            WeightsState::Random => (Text::StartsRandom, false),
            WeightsState::Imported(_) => (Text::StartsImported, false),
            WeightsState::Trained { .. } | WeightsState::Restored { .. } => {
                (Text::StartsTrained, false)
            }
            WeightsState::Loading { .. } => return None,
        };
        let start_from_random_button = offer_random.then(|| {
            view! {
                " "
                <button data-testid="train-from-random" on:click=move |_| start_from_random(state)>
                    {state.text(Text::StartFromRandom)}
                </button>
            }
        });
        Some(view! {
            <p class="note starting-point" data-testid="train-starting-point">
                {state.text(text)}
                {start_from_random_button}
            </p>
        })
    }
}

#[component]
fn Controls() -> impl IntoView {
    let state = use_state();
    let training = state.training;
    let paused = move || matches!(training.status.get(), TrainStatus::Paused);
    let active = move || {
        matches!(
            training.status.get(),
            TrainStatus::Training | TrainStatus::Paused
        )
    };
    view! {
        <div class="train-settings">
            <NumberField
                label=Text::Epochs
                test_id="train-epochs"
                read=|s| s.epochs
                write=|s, v| s.epochs = v
                min="1"
                max=MAX_EPOCHS.to_string()
            />
            <SelectField
                label=Text::BatchSize
                test_id="train-batch"
                choices=&BATCH_SIZES
                value=|size| size.to_string()
                caption=|size| size.to_string()
                read=|s| s.batch_size
                write=|s, v| s.batch_size = v
            />
            <NumberField
                label=Text::LearningRate
                test_id="train-lr"
                read=|s| s.learning_rate
                write=|s, v| s.learning_rate = v
                min="0"
                step="any"
            />
            <SelectField
                label=Text::Optimizer
                test_id="train-optimizer"
                choices=&OptimizerKind::ALL
                value=|optimizer| optimizer.name().to_string()
                caption=move |optimizer| state.text(optimizer_caption(optimizer)).to_string()
                read=|s| s.optimizer
                write=|s, v| s.optimizer = v
            />
            <SelectField
                label=Text::Schedule
                test_id="train-schedule"
                choices=&Schedule::ALL
                value=|schedule| schedule.name().to_string()
                caption=move |schedule| state.text(schedule_caption(schedule)).to_string()
                read=|s| s.schedule
                write=|s, v| s.schedule = v
            />
            <NumberField
                label=Text::TrainSize
                test_id="train-size"
                read=|s| s.train_size
                write=|s, v| s.train_size = v
                min="1"
                max=MNIST_TRAIN_LEN.to_string()
                step="1"
            />
        </div>
        <Recommendation />
        <StartingPoint />
        <div class="row">
            <button data-testid="train-start" on:click=move |_| start(state) disabled=active>
                {move || state.text(Text::Start)}
            </button>
            <button
                data-testid="train-pause"
                on:click=move |_| pause_or_resume(state)
                disabled=move || !active()
            >
                {move || state.text(if paused() { Text::Resume } else { Text::Pause })}
            </button>
            <button data-testid="train-stop" on:click=move |_| stop(state) disabled=move || !active()>
                {move || state.text(Text::Stop)}
            </button>
        </div>
    }
}

#[component]
fn Progress() -> impl IntoView {
    let state = use_state();
    let training = state.training;
    let download = move || {
        training.data.get().map(|(loaded, total)| {
            view! {
                <p class="help">{move || state.text(Text::DownloadingMnist)}</p>
                <progress
                    data-testid="train-data-progress"
                    max=total.unwrap_or(0).max(1) as f64
                    value=total.map(|_| loaded as f64)
                ></progress>
            }
        })
    };
    let summary = move || {
        let progress = training.progress.get()?;
        let mut text = format!(
            "{} {}/{} · {:.0}%",
            state.text(Text::Epoch),
            (progress.epoch + 1).min(progress.epochs),
            progress.epochs,
            100.0 * progress.fraction()
        );
        text += &format!(
            " · {} {:.2e}",
            state.text(Text::LearningRate),
            progress.learning_rate
        );
        if let Some(speed) = training.images_per_second.get() {
            text += &format!(" · {speed:.0} {}", state.text(Text::ImagesPerSecond));
            if training.status.get() == TrainStatus::Training && speed > 0.0 {
                let left =
                    progress.total_images.saturating_sub(progress.images_seen) as f64 / speed;
                text += &format!(" · {} {}", duration(left), state.text(Text::Eta));
            }
        }
        Some(text)
    };
    let fraction = move || training.progress.get().map_or(0.0, |p| p.fraction());
    let accuracy = move || {
        training
            .accuracy
            .get()
            .last()
            .map_or("—".to_string(), |point| {
                format!("{:.2}%", 100.0 * point.accuracy)
            })
    };
    view! {
        {download}
        <progress data-testid="train-progress" max="1" value=fraction></progress>
        <p class="train-line">
            // The tests read the status word from `data-status`; people, seeing or not, read
            // it in their language.
            <span
                class="train-status"
                data-testid="train-status"
                data-status=move || training.status.get().word()
            >
                {move || state.text(training.status.get().text())}
            </span>
            // Before a run there is no progress to tell: no empty field between separators.
            {move || summary().map(|text| format!(" · {text}")).unwrap_or_default()}
            " · "
            {move || state.text(Text::Accuracy)}
            " "
            <span data-testid="test-accuracy">{accuracy}</span>
        </p>
        {move || {
            training
                .message
                .get()
                .map(|message| {
                    let message = localized(state.lang.get(), &message);
                    view! { <p class="train-message" role="alert" data-testid="train-message">{message}</p> }
                })
        }}
    }
}

#[component]
pub fn TrainingPanel() -> impl IntoView {
    let state = use_state();
    let training = state.training;
    let losses = Signal::derive(move || {
        training
            .losses
            .get()
            .iter()
            .map(|point| ChartPoint {
                x: point.step as f64,
                y: point.loss as f64,
                filled: true,
            })
            .collect()
    });
    let accuracy = Signal::derive(move || {
        training
            .accuracy
            .get()
            .iter()
            .map(|point| ChartPoint {
                x: point.step as f64,
                y: 100.0 * point.accuracy,
                filled: point.full,
            })
            .collect()
    });
    view! {
        <section class="panel training-panel" aria-labelledby="training-title">
            <h2 id="training-title">{move || state.text(Text::Training)}</h2>
            <p class="help">{move || state.text(Text::TrainingHelp)}</p>
            <Controls />
            <p class="help">{move || state.text(Text::ScheduleHelp)}</p>
            <Progress />
            <div class="charts">
                <LineChart
                    points=losses
                    title=Text::Loss
                    test_id="loss-chart"
                    guess=(chance_loss(), Text::GuessLoss)
                />
                <LineChart
                    points=accuracy
                    title=Text::Accuracy
                    test_id="accuracy-chart"
                    fixed_range=(0.0, 100.0)
                    unit="%"
                    guess=(100.0 * chance_accuracy(), Text::GuessAccuracy)
                />
            </div>
            <p class="help">{move || state.text(Text::AccuracyHelp)}</p>
            <HealthCharts />
            <Filmstrip />
            <div class="train-results">
                <ConfusionMatrix />
                <MistakeGallery />
            </div>
        </section>
    }
}
