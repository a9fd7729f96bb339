//! The few places where SQLite and PostgreSQL need different SQL, each with its reason.

use crate::Backend;

/// Case-insensitive substring match. PostgreSQL's `LIKE` is case-sensitive and SQLite's is not
/// (for ASCII); `LOWER()` on both sides gives the same answer on both. The pattern parameter is
/// expected already lower-cased and wrapped in `%…%` by [`like_pattern`].
pub fn contains_ci(column: &str, param: usize) -> String {
    format!("LOWER({column}) LIKE ${param} ESCAPE '\\'")
}

/// Escape `%`, `_` and `\` in user text and wrap it for a substring match.
pub fn like_pattern(text: &str) -> String {
    let mut s = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// SQLite's `BEGIN IMMEDIATE` takes the write lock at once; PostgreSQL has row locks and needs
/// no such statement (see `Store::begin`). Exposed for the benchmarks' reports.
pub fn write_begin(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern("100%_A"), "%100\\%\\_a%");
    }
}
