//! The web page's inference scheduler: newest input wins, one request in flight, stale answers
//! told apart. It is plain Rust in the web crate (which builds for wasm32 only), so the test
//! takes its source file as a module.

#[path = "../web/src/ui/scheduler.rs"]
mod scheduler;

use scheduler::{InferenceScheduler, Verdict};

fn ready() -> InferenceScheduler {
    let mut scheduler = InferenceScheduler::default();
    scheduler.network_loaded();
    scheduler
}

#[test]
fn nothing_is_sent_before_a_network_or_without_an_input() {
    let mut scheduler = InferenceScheduler::default();
    scheduler.input_changed();
    assert_eq!(scheduler.next_request(0.0, || Some("digit")), None);
    scheduler.network_loaded();
    assert_eq!(scheduler.next_request(0.0, || None::<&str>), None);
    assert_eq!(
        scheduler.next_request(5.0, || Some("digit")),
        Some((0, "digit"))
    );
}

#[test]
fn inputs_during_a_request_fold_into_one_rerun_of_the_newest() {
    let mut scheduler = ready();
    let first = scheduler.input_changed();
    let (id, _) = scheduler.next_request(1.0, || Some(first)).unwrap();
    for _ in 0..3 {
        scheduler.input_changed();
        assert_eq!(
            scheduler.next_request(2.0, || Some(0)),
            None,
            "one request at a time"
        );
    }
    let verdict = scheduler.on_answer(id);
    assert_eq!(
        verdict,
        Verdict {
            current_network: true,
            newest_input: false,
            sent_at_ms: Some(1.0),
            rerun: true,
        }
    );
    let newest = scheduler.input_version();
    let (id, version) = scheduler.next_request(3.0, || Some(newest)).unwrap();
    assert_eq!(version, 4);
    let verdict = scheduler.on_answer(id);
    assert!(verdict.newest_input && !verdict.rerun);
}

#[test]
fn answers_from_before_a_new_network_are_not_current() {
    let mut scheduler = ready();
    scheduler.input_changed();
    let (old, _) = scheduler.next_request(0.0, || Some(())).unwrap();
    scheduler.network_replaced();
    assert_eq!(scheduler.next_request(0.0, || Some(())), None);
    scheduler.network_loaded();
    let verdict = scheduler.on_answer(old);
    assert!(!verdict.current_network, "computed by the old network");
    assert!(verdict.rerun, "the new network must run the input");
    let (new, _) = scheduler.next_request(1.0, || Some(())).unwrap();
    assert!(new > old);
    assert!(scheduler.on_answer(new).current_network);
}

#[test]
fn an_answer_between_a_switch_and_the_new_network_is_the_old_networks() {
    let mut scheduler = ready();
    scheduler.input_changed();
    let (old, _) = scheduler.next_request(0.0, || Some(())).unwrap();
    scheduler.network_replaced();
    let verdict = scheduler.on_answer(old);
    assert!(!verdict.current_network, "computed by the old network");
    scheduler.network_loaded();
    let (new, _) = scheduler.next_request(1.0, || Some(())).unwrap();
    assert!(scheduler.on_answer(new).current_network);
}

#[test]
fn a_restarted_engine_forgets_the_request_in_flight() {
    let mut scheduler = ready();
    scheduler.input_changed();
    let (lost, _) = scheduler.next_request(0.0, || Some(())).unwrap();
    scheduler.engine_restarted();
    assert_eq!(
        scheduler.next_request(0.0, || Some(())),
        None,
        "no network yet"
    );
    scheduler.network_loaded();
    let (id, _) = scheduler.next_request(1.0, || Some(())).unwrap();
    // The dead worker's answer never comes; if one did, it would not be taken as the new one's.
    let late = scheduler.on_answer(lost);
    assert_eq!(late.sent_at_ms, None);
    assert!(!late.newest_input);
    assert!(scheduler.on_answer(id).newest_input);
}
