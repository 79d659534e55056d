//! The last full test: confusion matrix and a gallery of misclassified digits.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::super::figure::{ExportFigure, Figure};
use super::super::heatmap::{draw, gray_to_rgba};
use super::super::i18n::Text;
use super::super::inference::{self, InputSource};
use super::super::use_state;
use crate::protocol::DigitInput;
use convscope::arch::CLASSES;
use convscope::data::{MNIST_PIXELS, MNIST_SIDE};
use convscope::training::Mistake;

#[component]
pub fn ConfusionMatrix() -> impl IntoView {
    let state = use_state();
    let rows = move || {
        let report = state.training.report.get()?;
        let confusion = report.evaluation.confusion;
        let rows = (0..CLASSES)
            .map(|truth| {
                let row_total: u32 = confusion[truth].iter().sum();
                let cells = (0..CLASSES)
                    .map(|predicted| {
                        let count = confusion[truth][predicted];
                        let share = count as f64 / row_total.max(1) as f64;
                        let class = if truth == predicted { "hit" } else { "miss" };
                        view! {
                            <td class=class style=format!("--share: {share:.3}")>{count}</td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{truth}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <figure class="confusion">
                <figcaption>{move || state.text(Text::Confusion)}</figcaption>
                <table data-testid="confusion-matrix">
                    <thead>
                        <tr>
                            <th></th>
                            {(0..CLASSES).map(|digit| view! { <th scope="col">{digit}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <ExportFigure
                    figure=Figure::Confusion
                    title=Signal::derive(move || state.text(Text::Confusion).to_string())
                />
            </figure>
        })
    };
    view! { {rows} }
}

#[component]
fn MistakeTile(mistake: Mistake, pixels: Vec<u8>) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            draw(&canvas, MNIST_SIDE, MNIST_SIDE, &gray_to_rgba(&pixels));
        }
    });
    let inspect = move |_| {
        inference::set_input(
            state,
            Some(InputSource::Fixed(DigitInput::MnistTest {
                index: Some(mistake.index),
                class: None,
            })),
        );
    };
    let caption = format!("{} → {}", mistake.truth, mistake.predicted);
    view! {
        <button class="mistake" on:click=inspect title=format!("MNIST #{}", mistake.index)>
            <canvas node_ref=canvas width="1" height="1"></canvas>
            <span>{caption}</span>
        </button>
    }
}

#[component]
pub fn MistakeGallery() -> impl IntoView {
    let state = use_state();
    let tiles = move || {
        let report = state.training.report.get()?;
        let tiles = report
            .evaluation
            .mistakes
            .iter()
            .zip(report.mistake_pixels.chunks_exact(MNIST_PIXELS))
            .map(|(&mistake, pixels)| view! { <MistakeTile mistake pixels=pixels.to_vec() /> })
            .collect_view();
        Some(view! {
            <figure class="mistakes">
                <figcaption>{move || state.text(Text::Mistakes)}</figcaption>
                <div class="mistake-grid" data-testid="mistakes">{tiles}</div>
            </figure>
        })
    };
    view! { {tiles} }
}
