//! The demo city (示范城市): a realistic fictional city loaded by `tongchou serve --demo` into an
//! empty database.
