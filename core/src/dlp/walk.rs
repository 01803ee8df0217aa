//! Anchored DFA walks by hand, for patterns tried at many positions (the scanner's word starts,
//! the phone metadata's number types): a table step per byte and none of the search setup of
//! `try_search_fwd`, which is what dominates when the walk is a few bytes long.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::Anchored;

/// Runs `dfa` over `bytes[from..end]` with the semantics of `try_search_fwd` on an anchored
/// input: match states are delayed by one byte, and the byte after the span (if any) resolves a
/// trailing look-ahead. `on_match` gets each match state and where its match ends. Returns
/// `false` when the DFA met a byte it cannot decide (a quit byte): a regex must decide then.
pub(crate) fn walk_anchored(
    dfa: &dense::DFA<Vec<u32>>,
    bytes: &[u8],
    from: usize,
    end: usize,
    on_match: impl FnMut(StateID, usize),
) -> bool {
    let config = start::Config::new()
        .anchored(Anchored::Yes)
        .look_behind(from.checked_sub(1).map(|p| bytes[p]));
    match dfa.start_state(&config) {
        Ok(state) => walk_from_state(dfa, state, bytes, from, end, on_match),
        Err(_) => false,
    }
}

/// `walk_anchored` from a start state the caller has already (the pattern looks at nothing
/// before its start).
pub(crate) fn walk_from_state(
    dfa: &dense::DFA<Vec<u32>>,
    mut state: StateID,
    bytes: &[u8],
    from: usize,
    end: usize,
    mut on_match: impl FnMut(StateID, usize),
) -> bool {
    for (at, &byte) in (from..).zip(&bytes[from..end]) {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_match_state(state) {
                on_match(state, at);
            } else if dfa.is_dead_state(state) {
                return true;
            } else if dfa.is_quit_state(state) {
                return false;
            }
        }
    }
    state = match bytes.get(end) {
        Some(&next) => dfa.next_state(state, next),
        None => dfa.next_eoi_state(state),
    };
    if dfa.is_match_state(state) {
        on_match(state, end);
    }
    !dfa.is_quit_state(state)
}
