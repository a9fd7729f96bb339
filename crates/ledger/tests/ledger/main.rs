//! Integration tests of tongchou-ledger, one test binary (one link on 2 cores).

mod bundles;
mod fixtures;
mod golden;
mod props;
mod reference;
mod trees;
mod vectors;
