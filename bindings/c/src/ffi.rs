//! How Rust values cross the C boundary: opaque handles (owned or borrowed), `(ptr, len)` inputs
//! and `rg_str` outputs. Every raw-pointer operation of the crate goes through these helpers, and
//! each one states the contract its caller must keep.

use std::ffi::{c_char, CStr};

use routeguard::{Error, ErrorCode};

/// A C handle that owns a boxed Rust value: made by `to_boxed_ptr`, released by `free_boxed`.
pub(crate) trait Boxed {
    /// The Rust value behind the handle.
    type Rust;
}

/// A C handle that borrows a Rust value owned by another handle; it is never freed on its own.
pub(crate) trait Borrowed {
    /// The Rust value behind the handle.
    type Rust;
}

/// Moves `value` to the heap and returns the opaque handle C holds.
pub(crate) fn to_boxed_ptr<T: Boxed>(value: T::Rust) -> *mut T {
    Box::into_raw(Box::new(value)).cast()
}

/// Borrows a boxed handle.
///
/// # Safety
/// `ptr` is NULL or was returned by `to_boxed_ptr::<T>` and not freed yet, and no `&mut` to the
/// same value is alive for `'a`.
pub(crate) unsafe fn try_ref<'a, T: Boxed>(ptr: *const T) -> Option<&'a T::Rust> {
    // SAFETY: the caller promises `ptr` is NULL or a live `Box<T::Rust>` made by `to_boxed_ptr`.
    unsafe { ptr.cast::<T::Rust>().as_ref() }
}

/// Borrows a boxed handle mutably.
///
/// # Safety
/// As `try_ref`, and no other reference to the same value is alive for `'a` (the header documents
/// these handles as usable from one thread at a time).
pub(crate) unsafe fn try_mut<'a, T: Boxed>(ptr: *mut T) -> Option<&'a mut T::Rust> {
    // SAFETY: the caller promises `ptr` is NULL or a live, unaliased `Box<T::Rust>`.
    unsafe { ptr.cast::<T::Rust>().as_mut() }
}

/// Drops the value behind a boxed handle; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or was returned by `to_boxed_ptr::<T>` and is not used again.
pub(crate) unsafe fn free_boxed<T: Boxed>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the caller hands back a pointer made by `Box::into_raw` in `to_boxed_ptr`.
        drop(unsafe { Box::from_raw(ptr.cast::<T::Rust>()) });
    }
}

/// The borrowed handle of a value owned elsewhere.
pub(crate) fn to_borrowed_ptr<T: Borrowed>(value: &T::Rust) -> *const T {
    (value as *const T::Rust).cast()
}

/// Reads a borrowed handle.
///
/// # Safety
/// `ptr` is NULL or was returned by `to_borrowed_ptr::<T>` from a value that is still alive for `'a`.
pub(crate) unsafe fn try_borrowed<'a, T: Borrowed>(ptr: *const T) -> Option<&'a T::Rust> {
    // SAFETY: the caller promises `ptr` points into a live owner.
    unsafe { ptr.cast::<T::Rust>().as_ref() }
}

/// Bytes given as `(ptr, len)`. NULL is accepted only with `len == 0` (the empty input).
///
/// # Safety
/// Unless NULL, `ptr` is valid for reads of `len` bytes that are not written during `'a`.
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(invalid_argument(format!(
                "{what} is NULL but its length is {len}"
            )))
        };
    }
    if len > isize::MAX as usize {
        return Err(invalid_argument(format!(
            "{what} length {len} is too large"
        )));
    }
    // SAFETY: non-NULL, length within isize::MAX, and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// UTF-8 text given as `(ptr, len)`; anything else is `invalid_utf8`, never a crash.
///
/// # Safety
/// As `bytes_arg`.
pub(crate) unsafe fn text_arg<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { bytes_arg(ptr, len, what) }?;
    std::str::from_utf8(bytes).map_err(|e| not_utf8(what, e.valid_up_to()))
}

/// The `invalid_utf8` error; names the position, never the bytes.
pub(crate) fn not_utf8(what: &str, valid_up_to: usize) -> Error {
    Error::new(
        ErrorCode::InvalidUtf8,
        format!("{what} is not valid UTF-8 (first bad byte at offset {valid_up_to})"),
    )
}

/// The `invalid_argument` error.
pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

/// Fails early when the caller gave no place for the result, before any work is done.
pub(crate) fn check_out<T>(out: *mut *mut T) -> Result<(), Error> {
    if out.is_null() {
        Err(invalid_argument("the out parameter is NULL"))
    } else {
        Ok(())
    }
}

/// Writes a result into an out parameter; called only once everything succeeded.
///
/// # Safety
/// `out` passed `check_out` and is valid for one pointer-sized write.
pub(crate) unsafe fn write_out<T>(out: *mut *mut T, value: *mut T) {
    // SAFETY: the caller promises `out` is a valid, non-NULL place for a pointer.
    unsafe { out.write(value) }
}

/// A borrowed UTF-8 string handed to C: `data` is never NULL and is followed by a NUL byte (not
/// counted in `len`), so it can also be used as a C string when it holds no NUL itself. It stays
/// valid until the object it came from is freed (or forever, for static strings).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rg_str {
    /// The first byte; never NULL.
    pub data: *const c_char,
    /// Length in bytes, without the terminating NUL.
    pub len: usize,
}

impl rg_str {
    /// The view of a static C string.
    pub(crate) fn from_static(text: &'static CStr) -> rg_str {
        rg_str {
            data: text.as_ptr(),
            len: text.to_bytes().len(),
        }
    }

    /// The empty string, returned for NULL handles and out-of-range indexes.
    pub(crate) fn empty() -> rg_str {
        rg_str::from_static(c"")
    }
}

/// An owned string that keeps a NUL after its text, so that C can read it either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CText(String);

impl CText {
    pub(crate) fn new(text: &str) -> CText {
        let mut owned = String::with_capacity(text.len() + 1);
        owned.push_str(text);
        CText::from_string(owned)
    }

    pub(crate) fn from_string(mut text: String) -> CText {
        text.push('\0');
        CText(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }

    pub(crate) fn as_rg_str(&self) -> rg_str {
        rg_str {
            data: self.0.as_ptr().cast(),
            len: self.0.len() - 1,
        }
    }
}
