//! Sets of byte values, for scans that skip without decoding every byte that cannot start what
//! they look for (a digit of a personal number, an invisible character, a character the
//! sanitizer would rewrite) and decode only at the rest.

/// A set of byte values, each tested with one table load. Built at compile time by
/// `byte_set!`.
pub struct ByteSet([bool; 256]);

impl ByteSet {
    /// The set of the byte values marked `true` in `table`.
    pub const fn from_table(table: [bool; 256]) -> ByteSet {
        ByteSet(table)
    }

    /// Whether `b` is in the set.
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b)]
    }

    /// The offset in `bytes` of the first byte at or after `from` that is in the set.
    pub fn find(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let offset = bytes.get(from..)?.iter().position(|&b| self.contains(b))?;
        Some(from + offset)
    }
}

/// The [`ByteSet`] of the bytes a `const fn(u8) -> bool` accepts, computed at compile time:
/// `static DIGITS: ByteSet = byte_set!(is_digit);`.
macro_rules! byte_set {
    ($member:path) => {{
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = $member(b as u8);
            b += 1;
        }
        $crate::bytes::ByteSet::from_table(table)
    }};
}
pub(crate) use byte_set;

#[cfg(test)]
mod tests {
    use super::*;

    const fn is_digit(b: u8) -> bool {
        b.is_ascii_digit()
    }

    static DIGITS: ByteSet = byte_set!(is_digit);

    #[test]
    fn a_set_holds_exactly_the_bytes_its_rule_accepts() {
        for b in 0..=u8::MAX {
            assert_eq!(DIGITS.contains(b), b.is_ascii_digit(), "{b}");
        }
    }

    #[test]
    fn find_gives_the_first_member_at_or_after_the_offset() {
        let text = "第12条".as_bytes();
        assert_eq!(DIGITS.find(text, 0), Some(3));
        assert_eq!(DIGITS.find(text, 4), Some(4));
        assert_eq!(DIGITS.find(text, 5), None);
        assert_eq!(DIGITS.find(text, text.len()), None);
        assert_eq!(DIGITS.find(text, text.len() + 1), None);
    }
}
