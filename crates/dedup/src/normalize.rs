//! Text normalisation (文本规范化): the first step for every text the detector sees.
//!
//! Traditional characters become simplified, full-width forms become half-width, Latin letters
//! are folded to lower case, and punctuation becomes a run separator. Whitespace between two
//! Chinese characters is dropped (people type "统一 身份 认证"); whitespace next to a Latin letter
//! or digit separates runs ("GIS 地图" must not become one token "gis地图"... it becomes two runs).

/// Separator placed between runs in a normalised string.
pub const RUN_SEPARATOR: char = ' ';

/// Folds one character: full-width ASCII to half-width, ideographic space to space, Latin
/// upper case to lower case.
fn fold_width_and_case(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// True for the characters that carry content: letters (including CJK ideographs) and digits.
pub fn is_content_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True for a CJK ideograph (the ranges that occur in module names).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}' | '〇')
}

/// True when the text may contain traditional characters worth a conversion pass. The converter is
/// the slowest part of normalisation, so pure ASCII/half-width texts skip it; every text with a CJK
/// character goes through it (the converter itself leaves simplified text unchanged).
fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

/// Normalises a text: width and case folding, traditional → simplified, punctuation → one
/// [`RUN_SEPARATOR`], whitespace between CJK characters removed. The result has no leading or
/// trailing separator and never two separators in a row.
pub fn normalize(text: &str) -> String {
    let folded: String = text.chars().map(fold_width_and_case).collect();
    let simplified = if has_cjk(&folded) { zhconv::zhconv(&folded, zhconv::Variant::ZhHans) } else { folded };
    let chars: Vec<char> = simplified.chars().collect();
    let mut out = String::with_capacity(simplified.len());
    let mut pending_sep = false;
    let mut last: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if is_content_char(c) {
            if pending_sep {
                out.push(RUN_SEPARATOR);
                pending_sep = false;
            }
            out.push(c);
            last = Some(c);
        } else if c.is_whitespace() {
            // Whitespace between two CJK characters is dropped; otherwise it separates runs.
            let next = chars[i + 1..].iter().copied().find(|c| !c.is_whitespace());
            let joins = matches!((last, next), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
            if !joins && last.is_some() {
                pending_sep = true;
            }
        } else if last.is_some() {
            pending_sep = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(normalize("統一身份認證"), "统一身份认证");
        assert_eq!(normalize("電子證照庫"), "电子证照库");
        assert_eq!(normalize("視頻監控聯網"), "视频监控联网");
    }

    #[test]
    fn full_width_becomes_half_width_and_lower_case() {
        assert_eq!(normalize("ＧＩＳ地图服务"), "gis地图服务");
        assert_eq!(normalize("ＯＣＲ识别"), "ocr识别");
        assert_eq!(normalize("１２３４５热线"), "12345热线");
        assert_eq!(normalize("SSO单点登录"), "sso单点登录");
    }

    #[test]
    fn punctuation_separates_and_spaces_between_cjk_vanish() {
        assert_eq!(normalize("统一 身份　认证"), "统一身份认证");
        assert_eq!(normalize("短信、消息推送（含APP）"), "短信 消息推送 含app");
        assert_eq!(normalize("  【电子签章】  "), "电子签章");
        assert_eq!(normalize("GIS 地图"), "gis 地图");
        assert_eq!(normalize("！！！"), "");
    }

    #[test]
    fn simplified_text_is_unchanged() {
        for s in ["人口数据统计", "人口迁移审批", "不动产登记受理", "一网通办"] {
            assert_eq!(normalize(s), s);
        }
    }
}
