//! The domain of tongchou (统筹): roles, money, the project lifecycle with its guards, the
//! authorisation policy, application validation and the rules configuration.
//!
//! Everything here is pure: no database, no HTTP, no async runtime, no clock (callers pass the
//! instant in). The store and the web layer call into this crate; it never calls out. That keeps
//! the rules a clerk is judged by testable as plain functions and benchmarkable without I/O.
#![forbid(unsafe_code)]

pub mod actor;
pub mod application;
pub mod config;
pub mod directory;
pub mod i18n;
pub mod import;
pub mod inventory;
pub mod lifecycle;
pub mod money;
pub mod overlap;
pub mod policy;
pub mod review;
pub mod role;

pub use actor::Actor;
pub use i18n::Lang;
pub use lifecycle::{Action, Refusal, State};
pub use money::Fen;
pub use role::Role;
