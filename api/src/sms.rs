//! How many SMS messages a reply costs: carriers split long texts into segments, 160 GSM-7
//! characters for one message or 153 each when split; a single character outside GSM-7 (an
//! emoji, a curly quote, Arabic) turns the whole text to UCS-2, 70 or 67 each.

/// GSM 03.38's basic character set: one septet each.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table: an escape and the character, two septets each.
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{c}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsEncoding {
    Gsm7,
    Ucs2,
}

/// What a text costs as SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsCount {
    pub encoding: SmsEncoding,
    /// Messages the carrier sends (0 for an empty text).
    pub segments: u32,
    /// Characters that still fit in the last message before another one starts.
    pub left_in_segment: u32,
}

impl SmsCount {
    /// The length of one message alone, and of each when split, in this encoding's units.
    fn limits(encoding: SmsEncoding) -> (u32, u32) {
        match encoding {
            SmsEncoding::Gsm7 => (160, 153),
            SmsEncoding::Ucs2 => (70, 67),
        }
    }

    pub fn of(text: &str) -> SmsCount {
        let gsm_units: Option<u32> = text.chars().try_fold(0u32, |units, c| {
            if GSM7_BASIC.contains(c) {
                Some(units + 1)
            } else if GSM7_EXTENDED.contains(c) {
                Some(units + 2)
            } else {
                None
            }
        });
        let (encoding, units) = match gsm_units {
            Some(units) => (SmsEncoding::Gsm7, units),
            // UTF-16 code units: an emoji outside the BMP takes two.
            None => (SmsEncoding::Ucs2, text.encode_utf16().count() as u32),
        };
        let (single, each) = Self::limits(encoding);
        let (segments, capacity) = match units {
            0 => (0, single),
            n if n <= single => (1, single),
            n => {
                let segments = n.div_ceil(each);
                (segments, segments * each)
            }
        };
        SmsCount {
            encoding,
            segments,
            left_in_segment: capacity.saturating_sub(units),
        }
    }

    /// "112 characters left · 1 SMS", "2 SMS · 40 left in the last", with the Unicode note
    /// that explains a sudden drop.
    pub fn describe(&self) -> String {
        let unicode = if self.encoding == SmsEncoding::Ucs2 {
            " (Unicode: 70 characters per SMS)"
        } else {
            ""
        };
        match self.segments {
            0 | 1 => format!("{} characters left · 1 SMS{unicode}", self.left_in_segment),
            n => format!(
                "{n} SMS · {} characters left in the last{unicode}",
                self.left_in_segment
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_fits_160_then_splits_by_153() {
        assert_eq!(SmsCount::of("").segments, 0);
        let one = SmsCount::of(&"a".repeat(160));
        assert_eq!((one.segments, one.left_in_segment), (1, 0));
        let two = SmsCount::of(&"a".repeat(161));
        assert_eq!((two.segments, two.left_in_segment), (2, 145));
        assert_eq!(SmsCount::of(&"a".repeat(306)).segments, 2);
        assert_eq!(SmsCount::of(&"a".repeat(307)).segments, 3);
        assert_eq!(SmsCount::of("Hi").encoding, SmsEncoding::Gsm7);
    }

    #[test]
    fn extension_characters_count_twice() {
        let count = SmsCount::of(&"€".repeat(80));
        assert_eq!(count.encoding, SmsEncoding::Gsm7);
        assert_eq!((count.segments, count.left_in_segment), (1, 0));
        assert_eq!(SmsCount::of(&format!("{}[", "a".repeat(159))).segments, 2);
    }

    #[test]
    fn one_character_outside_gsm_makes_it_unicode() {
        let count = SmsCount::of("Thanks 🙂");
        assert_eq!(count.encoding, SmsEncoding::Ucs2);
        // Seven characters and an emoji of two UTF-16 units.
        assert_eq!(count.left_in_segment, 70 - 9);
        assert_eq!(SmsCount::of(&"ش".repeat(71)).segments, 2);
        assert_eq!(SmsCount::of("“quoted”").encoding, SmsEncoding::Ucs2);
        assert!(SmsCount::of("é").describe().contains("1 SMS"));
        assert!(
            SmsCount::of(&"ش".repeat(71))
                .describe()
                .starts_with("2 SMS · 63 characters left in the last (Unicode")
        );
    }
}
