//! The panic boundary: no Rust panic unwinds into C. Every export runs its body through [`guard`]
//! (accessors, which answer a neutral value on panic) or [`catch`] then [`report`] (calls that
//! return an `rg_result`, which answer `RG_INTERNAL` and fill the error object).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;
use std::sync::Once;

use routeguard::{Error, ErrorCode};

use crate::error::{rg_error, rg_result, ErrorRecord};
use crate::ffi::{rg_str, to_boxed_ptr};

/// What an export answers when its body panicked.
pub(crate) trait OnPanic {
    fn on_panic() -> Self;
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

impl OnPanic for usize {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for u32 {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for f64 {
    fn on_panic() -> Self {
        0.0
    }
}

impl OnPanic for bool {
    fn on_panic() -> Self {
        false
    }
}

impl OnPanic for rg_result {
    fn on_panic() -> Self {
        rg_result::RG_INTERNAL
    }
}

impl OnPanic for rg_str {
    fn on_panic() -> Self {
        rg_str::empty()
    }
}

impl<T> OnPanic for *const T {
    fn on_panic() -> Self {
        ptr::null()
    }
}

thread_local! {
    /// Where the last panic on this thread happened (file:line), for the `RG_INTERNAL` message.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default hook, which prints the panic message to stderr: a message can quote the
/// text being scanned (e.g. a string-slicing panic), and scanned text must never reach a log. The
/// hook records only the location, which the error object then reports.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_else(|| "an unknown location".to_owned());
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(location));
        }));
    });
}

/// Runs an export that cannot fail; a panic answers `R::on_panic()`.
pub(crate) fn guard<R: OnPanic>(body: impl FnOnce() -> R) -> R {
    install_hook();
    // The closure only touches its arguments and state the caller owns; after a panic that state
    // is never observed by Rust again except through `_free`, which only drops it.
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| R::on_panic())
}

/// Runs the body of a fallible export; a panic becomes an `internal` error naming the export and
/// the code location (never the panic's message, which could quote scanned text).
pub(crate) fn catch(
    function: &'static str,
    body: impl FnOnce() -> Result<(), Error>,
) -> Result<(), Error> {
    install_hook();
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        let location = LAST_PANIC
            .with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| "an unknown location".to_owned());
        Err(Error::new(
            ErrorCode::Internal,
            format!("{function} panicked at {location}; this is a bug in routeguard"),
        ))
    })
}

/// Ends a fallible export: `Ok` answers `RG_OK`; an error answers its code and, when `err` is not
/// NULL, stores a new `rg_error` there (the only out parameter written on failure).
///
/// # Safety
/// `err` is NULL or valid for one pointer-sized write.
pub(crate) unsafe fn report(outcome: Result<(), Error>, err: *mut *mut rg_error) -> rg_result {
    guard(|| match outcome {
        Ok(()) => rg_result::RG_OK,
        Err(error) => {
            let code = rg_result::from_code(error.code());
            if !err.is_null() {
                let handle = to_boxed_ptr::<rg_error>(ErrorRecord::new(&error));
                // SAFETY: the caller promises `err` is NULL (checked above) or writable.
                unsafe { err.write(handle) };
            }
            code
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{rg_error_code, rg_error_free, rg_error_message, rg_error_number};

    #[test]
    fn a_panic_becomes_internal_with_its_location_and_no_payload() {
        let mut err: *mut rg_error = ptr::null_mut();
        let outcome = catch("rg_test", || {
            let secret = String::from("sk-live-do-not-print");
            panic!("boom {secret}")
        });
        // SAFETY: `err` is a valid local.
        let code = unsafe { report(outcome, &mut err) };
        assert_eq!(code, rg_result::RG_INTERNAL);
        assert!(!err.is_null());
        // SAFETY: `err` was just created by `report` and is freed once below.
        unsafe {
            assert_eq!(rg_error_number(err), rg_result::RG_INTERNAL);
            let name = rg_error_code(err);
            let name = std::slice::from_raw_parts(name.data.cast::<u8>(), name.len);
            assert_eq!(name, b"internal");
            let message = rg_error_message(err);
            let message = std::slice::from_raw_parts(message.data.cast::<u8>(), message.len);
            let message = std::str::from_utf8(message).unwrap();
            assert!(message.starts_with("rg_test panicked at "), "{message}");
            assert!(message.contains("panic.rs:"), "{message}");
            assert!(!message.contains("sk-live"), "{message}");
            rg_error_free(err);
        }
    }

    #[test]
    fn accessors_answer_a_neutral_value() {
        assert_eq!(guard(|| -> usize { panic!("x") }), 0);
        assert_eq!(
            guard(|| -> rg_result { panic!("x") }),
            rg_result::RG_INTERNAL
        );
        assert!(guard(|| -> *const u8 { panic!("x") }).is_null());
    }

    #[test]
    fn errors_are_written_only_when_asked_for() {
        let outcome = catch("rg_test", || {
            Err(Error::new(ErrorCode::InvalidArgument, "nope"))
        });
        // SAFETY: a NULL `err` is allowed.
        let code = unsafe { report(outcome, ptr::null_mut()) };
        assert_eq!(code, rg_result::RG_INVALID_ARGUMENT);
        let mut err: *mut rg_error = ptr::null_mut();
        // SAFETY: `err` is a valid local.
        let code = unsafe { report(catch("rg_test", || Ok(())), &mut err) };
        assert_eq!(code, rg_result::RG_OK);
        assert!(err.is_null());
    }
}
