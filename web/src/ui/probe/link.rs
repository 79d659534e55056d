//! The probes' part of a link: knock-outs, the explanation (its class and Grad-CAM tap) and
//! the distortion, so a teacher can send "ResNet without this shortcut, on this digit".

use convscope::probe::{Distortion, Knockouts, grad_cam_taps};
use leptos::prelude::*;
use web_sys::UrlSearchParams;

use super::super::AppState;
use super::super::share::link_rejected;

const KNOCKOUTS: &str = "knockouts";
/// `predicted`, or the class explained.
const EXPLAIN: &str = "explain";
const CAM: &str = "cam";
/// `shift_x,shift_y,rotate,scale,thickness,noise`
const DISTORT: &str = "distort";
const PREDICTED: &str = "predicted";

pub const NAMES: [&str; 4] = [KNOCKOUTS, EXPLAIN, CAM, DISTORT];

#[derive(Clone, Debug, Default)]
pub struct ProbeLink {
    knockouts: Vec<String>,
    /// On, for the predicted class (`Some(None)`) or a chosen one.
    explain: Option<Option<usize>>,
    cam: Option<String>,
    distortion: Option<Distortion>,
}

fn distortion_from(text: &str) -> Option<Distortion> {
    let values: Vec<f32> = text
        .split(',')
        .map(|v| v.parse::<f32>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()?;
    let [shift_x, shift_y, rotate, scale, thickness, noise] = values[..] else {
        return None;
    };
    Some(Distortion {
        shift_x,
        shift_y,
        rotate,
        scale,
        thickness: thickness.round() as i32,
        noise,
    })
}

fn distortion_text(d: &Distortion) -> String {
    format!(
        "{},{},{},{},{},{}",
        d.shift_x, d.shift_y, d.rotate, d.scale, d.thickness, d.noise
    )
}

/// Reads what it can; the rest goes to `rejected`. Knock-outs and the tap are checked against
/// the network in [`restore`].
pub fn read(params: &UrlSearchParams, rejected: &mut Vec<String>) -> ProbeLink {
    let read = |name: &str| params.get(name).filter(|value| !value.is_empty());
    let mut link = ProbeLink::default();
    if let Some(value) = read(KNOCKOUTS) {
        link.knockouts = value.split(',').map(str::to_string).collect();
    }
    if let Some(value) = read(EXPLAIN) {
        link.explain = match value.as_str() {
            PREDICTED => Some(None),
            class => class.parse().ok().filter(|&c| c < 10).map(Some),
        };
        if link.explain.is_none() {
            rejected.push(link_rejected(EXPLAIN, &value));
        }
    }
    link.cam = read(CAM);
    if let Some(value) = read(DISTORT) {
        link.distortion = distortion_from(&value);
        if link.distortion.is_none() {
            rejected.push(link_rejected(DISTORT, &value));
        }
    }
    link
}

/// Puts the link's probes in place for the page's network.
pub fn restore(state: AppState, link: ProbeLink, rejected: &mut Vec<String>) {
    let architecture = state.preset.get_untracked().architecture();
    let mut knockouts = Vec::new();
    for target in link.knockouts {
        match Knockouts::parse(&[&target], &architecture) {
            Ok(_) => knockouts.push(target),
            Err(_) => rejected.push(link_rejected(KNOCKOUTS, &target)),
        }
    }
    knockouts.sort();
    knockouts.dedup();
    let probes = state.probes;
    probes.knockouts.set(knockouts);
    if let Some(class) = link.explain {
        probes.explain.set(true);
        probes.class.set(class);
    }
    if let Some(tap) = link.cam {
        if grad_cam_taps(&architecture).contains(&tap) {
            probes.cam_tap.set(Some(tap));
        } else {
            rejected.push(link_rejected(CAM, &tap));
        }
    }
    if let Some(distortion) = link.distortion {
        probes.distortion.set(distortion);
    }
}

/// Writes the probes into `params` (tracked: the URL follows them).
pub fn write(params: &UrlSearchParams, state: AppState) {
    let probes = state.probes;
    let knockouts = probes.knockouts.get();
    if !knockouts.is_empty() {
        params.set(KNOCKOUTS, &knockouts.join(","));
    }
    if probes.explain.get() {
        let class = probes.class.get();
        params.set(
            EXPLAIN,
            &class.map_or(PREDICTED.to_string(), |c| c.to_string()),
        );
        if let Some(tap) = probes.cam_tap.get() {
            params.set(CAM, &tap);
        }
    }
    let distortion = probes.distortion.get();
    if !distortion.is_identity() {
        params.set(DISTORT, &distortion_text(&distortion));
    }
}
