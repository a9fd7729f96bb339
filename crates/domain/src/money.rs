//! Money (金额): integer 分 (fen) inside, 万元 with two decimals on pages, exact decimal parsing
//! from forms. No floats ever touch an amount.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in 分. 1 元 = 100 分; 1 万元 = 1,000,000 分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

pub const FEN_PER_WAN: i64 = 1_000_000;
/// No single amount in a municipal IT application reaches 1,000 亿元; a larger figure is a typo.
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000 * 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a number")]
    NotANumber,
    #[error("too many decimals")]
    TooPrecise,
    #[error("negative")]
    Negative,
    #[error("too large")]
    TooLarge,
}

impl MoneyError {
    pub fn message(&self, lang: crate::Lang) -> &'static str {
        match self {
            MoneyError::NotANumber => lang.pick("请输入数字金额(万元),如 120.5", "Enter an amount in 10k yuan, e.g. 120.5"),
            MoneyError::TooPrecise => {
                lang.pick("金额最多精确到分(万元后六位小数)", "Amounts are exact to the fen (at most 6 decimals in 10k yuan)")
            }
            MoneyError::Negative => lang.pick("金额不能为负数", "The amount cannot be negative"),
            MoneyError::TooLarge => {
                lang.pick("金额超出合理范围(不超过1000亿元)", "The amount is beyond any plausible figure (max 100 billion yuan)")
            }
        }
    }
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parse a 万元 figure typed by a person ("120.5", "1,200.00", "１２０").
    pub fn parse_wan(input: &str) -> Result<Fen, MoneyError> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                _ => c,
            })
            .collect();
        let s = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')).unwrap_or(&s);
        if let Some(rest) = s.strip_prefix('-') {
            if rest.chars().any(|c| c.is_ascii_digit()) {
                return Err(MoneyError::Negative);
            }
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(MoneyError::NotANumber);
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        if frac_part.len() > 6 {
            return Err(MoneyError::TooPrecise);
        }
        if int_part.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let int: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| MoneyError::TooLarge)? };
        let mut frac: i64 = 0;
        for (i, d) in frac_part.chars().enumerate() {
            frac += (d as i64 - '0' as i64) * 10i64.pow(5 - i as u32);
        }
        let fen = int.checked_mul(FEN_PER_WAN).and_then(|v| v.checked_add(frac)).ok_or(MoneyError::TooLarge)?;
        Fen::checked(fen)
    }

    /// Accept an integer 分 figure from JSON, within plausible bounds.
    pub fn checked(fen: i64) -> Result<Fen, MoneyError> {
        if fen < 0 {
            Err(MoneyError::Negative)
        } else if fen > MAX_AMOUNT_FEN {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Fen(fen))
        }
    }

    /// 万元 with two decimals, rounded half away from zero ("1,234.57").
    pub fn wan(self) -> String {
        let neg = self.0 < 0;
        let abs = (self.0 as i128).abs();
        let cents_of_wan = (abs + 5_000) / 10_000; // hundredths of 万元
        let int = cents_of_wan / 100;
        let frac = cents_of_wan % 100;
        let digits = int.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{}{}.{:02}", if neg { "-" } else { "" }, grouped, frac)
    }

    /// 万元 as a plain decimal for form fields ("1234.5"), exact.
    pub fn wan_plain(self) -> String {
        let int = self.0 / FEN_PER_WAN;
        let frac = (self.0 % FEN_PER_WAN).abs();
        if frac == 0 {
            return int.to_string();
        }
        let f = format!("{frac:06}");
        format!("{int}.{}", f.trim_end_matches('0'))
    }

    pub fn saturating_add(self, o: Fen) -> Fen {
        Fen(self.0.saturating_add(o.0))
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.wan())
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, Fen::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wan_exactly() {
        assert_eq!(Fen::parse_wan("120.5"), Ok(Fen(120_500_000)));
        assert_eq!(Fen::parse_wan("1,200"), Ok(Fen(1_200_000_000)));
        assert_eq!(Fen::parse_wan(" 0.000001 "), Ok(Fen(1)));
        assert_eq!(Fen::parse_wan("１２０．５"), Ok(Fen(120_500_000)));
        assert_eq!(Fen::parse_wan("88万元"), Ok(Fen(88_000_000)));
        assert_eq!(Fen::parse_wan(".5"), Ok(Fen(500_000)));
    }

    #[test]
    fn refuses_bad_amounts() {
        assert_eq!(Fen::parse_wan(""), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_wan("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_wan("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_wan("-3"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_wan("0.0000001"), Err(MoneyError::TooPrecise));
        assert_eq!(Fen::parse_wan("99999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(Fen::checked(-1), Err(MoneyError::Negative));
    }

    #[test]
    fn shows_wan_with_two_decimals() {
        assert_eq!(Fen(120_500_000).wan(), "120.50");
        assert_eq!(Fen(1_234_567_890_000).wan(), "1,234,567.89");
        assert_eq!(Fen(4_999).wan(), "0.00");
        assert_eq!(Fen(5_000).wan(), "0.01");
        assert_eq!(Fen(120_500_000).wan_plain(), "120.5");
        assert_eq!(Fen(1).wan_plain(), "0.000001");
    }
}
