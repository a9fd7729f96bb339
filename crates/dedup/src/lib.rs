//! tongchou-dedup: the duplicate-construction detector (查重) of tongchou.
//!
//! Given the modules of a department's application, it finds the modules of existing systems
//! (系统台账), shared capabilities (共性服务能力) and other pending applications that do the same
//! thing, each with a score in [0, 1], a decision against a threshold and a reason a reviewer can
//! read in Chinese. It normalises text (traditional/simplified, full/half width, punctuation,
//! generic suffixes), segments it with jieba plus a domain dictionary, maps synonyms to shared
//! concepts, and scores pairs with IDF-weighted overlap and head/action penalties — deterministic
//! and explainable, offline, no model download. It also holds the batch mode behind
//! `tongchou dedup check|pairs`.
//!
//! This crate is pure: it must never depend on a database, an async runtime or a web framework
//! (no sqlx, tokio, axum); the store and web crates call it, not the other way round.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod analyze;
pub mod batch;
mod detector;
mod dictionary;
mod index;
mod normalize;
mod reason;
mod record;
mod score;

pub use batch::{check, pairs, BatchError, Stats};
pub use detector::{Detector, DetectorConfig, PairMatch, DEFAULT_THRESHOLD};
pub use dictionary::{ConceptClass, Dictionary, DictionaryError, SynonymGroup};
pub use index::{Candidate, Index, IndexBuilder, IndexStats, ModuleResult};
pub use normalize::normalize;
pub use record::{ApplicationRecord, CapabilityRecord, ModuleRecord, SourceKind, SystemRecord};
pub use score::ScoreParams;
