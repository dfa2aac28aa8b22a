//! Errors of the tool itself, as opposed to problems in the content.
//!
//! Content problems are [`Diagnostic`](crate::Diagnostic)s: many per run,
//! each pointing into a file. An *operational* error stops a command: the
//! port is taken, the output folder is not ours, a translation cannot be
//! confirmed. Each is a type with named fields that implements
//! [`std::error::Error`] (its `Display` says what went wrong) and
//! [`Advice`] (what to do about it). The command line renders them all the
//! same way, in `cmd::report`:
//!
//! ```text
//! error: cannot listen on 127.0.0.1:1111: address in use
//!   = hint: another program (perhaps another `polku serve`) uses the port; …
//! ```

/// What the person running polku can do about an error.
pub trait Advice: std::error::Error {
    /// One sentence: the next step, in the imperative.
    fn hint(&self) -> String;
}
